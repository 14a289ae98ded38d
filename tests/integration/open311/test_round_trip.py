"""The round trip: a request posted through Open311 is a case in GraphQL, goes round the
loop there through the mutations of each role, and reads back closed through Open311
with its notes, in both formats and both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.integration.api.client import query, step
from tests.open311 import (
    FORMATS,
    City,
    get,
    wait_for,
)


def test_a_posted_request_goes_round_the_loop_in_graphql_and_reads_closed_with_its_notes(
    city: City,
) -> None:
    number = city.reported(description="多福巷北口垃圾堆了三天")
    wait_for(city.server, number)
    worker, operator, department = (city.tokens[c] for c in ("W001", "OP01", "D002"))
    board = "query ($n: Int!) { case(number: $n) { channel stage description } }"
    assert query(city.server, board, n=number)["case"] == {
        "channel": "open311",
        "stage": "reported",
        "description": "多福巷北口垃圾堆了三天",
    }
    for token, name, more, status in [
        (worker, "confirmReport", ', found: true, note: "现场确有垃圾"', "investigating"),
        (operator, "fileCase", "", "investigating"),
        (operator, "dispatchCase", "", "in_progress"),
        (department, "acceptCase", "", "in_progress"),
        (department, "handleCase", ', note: "已清运"', "in_progress"),
        (worker, "verifyCase", ', passed: true, note: "现场已干净"', "fixed"),
        (operator, "closeCase", "", "fixed"),
    ]:
        answer = step(city.server, token, name, number, more)
        assert answer["__typename"] == "Recorded", (name, answer)
        wait_for(city.server, number, status)
    for format in FORMATS:
        (request,) = get(city.server, f"requests/{number}", format, extensions="true").body
        assert (request["status"], request["extended_attributes"]["status"]) == ("closed", "fixed")
        assert request["agency_responsible"] == "环境卫生管理局"
        assert [n["type"] for n in request["notes"]] == [
            "reported",
            "confirmed",
            "filed",
            "dispatched",
            "accepted",
            "handled",
            "verified",
            "closed",
        ]
        texts = [n["description"] for n in request["notes"]]
        assert texts[0] == "通过Open311上报" and "已清运" in texts[5] and "现场已干净" in texts[6]
        assert request["updated_datetime"] == request["notes"][-1]["datetime"]
    closed_at = datetime.fromisoformat(request["updated_datetime"])
    assert datetime.now(UTC) - closed_at < timedelta(minutes=5)
    english = get(city.server, f"requests/{number}", "json", extensions="true", language="en")
    assert english.body[0]["notes"][3]["description"].startswith(
        "Dispatched to the Environmental Sanitation Bureau, to be handled by"
    )
