"""The extensions: extensions=true (the extended status and the notes of each public
step) and servicerequestupdates (update_id = the step's position in the log)."""

from __future__ import annotations

import pytest

from tests.open311 import (
    FORMATS,
    W3C,
    City,
    get,
    wait_for,
)


@pytest.mark.parametrize("format", FORMATS)
def test_extensions_add_the_extended_status_and_the_notes_of_each_public_step(
    city: City, format: str
) -> None:
    (request,) = get(city.server, f"requests/{city.rejected}", format, extensions="true").body
    assert request["status"] == "closed"
    assert request["extended_attributes"]["status"] == "no_further_action"
    assert [n["type"] for n in request["notes"]] == ["reported", "rejected"]
    assert (
        request["notes"][-1]["description"]
        == "不予立案：not found on site (核实未发现): 现场无垃圾"
    )
    assert request["status_notes"] == request["notes"][-1]["description"]


@pytest.mark.parametrize("format", FORMATS)
def test_updates_come_in_log_order_with_their_extended_status(city: City, format: str) -> None:
    found = get(city.server, "servicerequestupdates", format, after=0).body
    mine = [(u["service_request_id"], u["status"]) for u in found]
    assert mine[:3] == [(str(city.closed), "open"), (str(city.closed), "investigating"),
                        (str(city.closed), "in_progress")]  # fmt: skip
    assert (str(city.closed), "fixed") in mine and str(city.dispute) not in dict(mine)
    positions = [int(u["update_id"]) for u in found]
    assert positions == sorted(positions)
    later = get(city.server, "servicerequestupdates", format, after=positions[2]).body
    assert [int(u["update_id"]) for u in later] == positions[3 : len(later) + 3]
    for update in found:
        assert W3C.match(update["updated_datetime"]) and update["description"]


def test_updates_default_to_the_last_90_days(city: City) -> None:
    number = city.reported()
    wait_for(city.server, number)
    found = get(city.server, "servicerequestupdates", "json").body
    assert {u["service_request_id"] for u in found} >= {str(number)}
    assert str(city.closed) not in {u["service_request_id"] for u in found}
    window = {"start_date": "2026-03-09T11:05:00+08:00", "end_date": "2026-03-09T11:15:00+08:00"}
    (closing,) = get(city.server, "servicerequestupdates", "json", **window).body
    assert (closing["service_request_id"], closing["status"]) == (str(city.closed), "fixed")


@pytest.mark.parametrize("format", FORMATS)
def test_a_date_whose_window_would_leave_the_calendar_is_a_400(city: City, format: str) -> None:
    answer = get(
        city.server, "servicerequestupdates", format, after=0, end_date="0001-01-04T00:03:00Z"
    )
    assert answer.status == 400, answer.body
    assert "years 1900 to 8999" in answer.body[0]["description"]
