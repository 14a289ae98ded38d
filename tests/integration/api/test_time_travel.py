"""Time travel over the API: an auditor reads any view as of a position or an instant;
nobody else may."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import GRID_A, SANITATION, Loop, head
from tests.integration.api.client import query, wait_for_case

THEN = """query ($asOf: AsOf) {
  case: caseBoard(asOf: $asOf) { cases { number stage timeline { name } } }
  grid(code: "GRID", asOf: $asOf) { open stages }
  moment(asOf: $asOf) { position at head }
}""".replace("GRID", GRID_A)


def test_an_auditor_sees_a_case_and_its_grid_as_they_were(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    loop = Loop(app)
    number = loop.dispatched()
    dispatched, at = head(app), loop.at
    app.accept_case(number, by=SANITATION, at=loop.tick(60))
    wait_for_case(server, number, "accepted")
    by_position = query(server, THEN, token=tokens["AU01"], asOf={"position": dispatched})
    by_instant = query(server, THEN, token=tokens["AU01"], asOf={"instant": at.isoformat()})
    for then in (by_position, by_instant):
        (case,) = then["case"]["cases"]
        assert (case["number"], case["stage"]) == (number, "dispatched")
        assert case["timeline"][-1]["name"] == "CaseDispatched"
        assert then["grid"] == {"open": 1, "stages": {"dispatched": 1}}
        assert then["moment"]["position"] == dispatched and then["moment"]["head"] == head(app)
    now = query(server, THEN, token=tokens["AU01"])
    assert now["case"]["cases"][0]["stage"] == "accepted"
    assert now["case"]["cases"][0]["timeline"][-1]["name"] == "CaseAccepted"


@pytest.mark.parametrize("staff", ["OP01", "W001", "D002"])
def test_only_auditors_travel_in_time(
    server: ApiServer, tokens: dict[str, str], staff: str
) -> None:
    board = "{ caseBoard(asOf: {position: 1}) { next } }"
    with pytest.raises(TransportQueryError, match="views as of the past are for auditors") as no:
        query(server, board, token=tokens[staff])
    assert no.value.errors and no.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("as_of", "says"),
    [
        ({"position": 10**9}, "is not in the log"),
        ({"position": 1, "instant": "2026-03-09T09:00:00+08:00"}, "one of the two"),
        ({"instant": "2000-01-01T00:00:00+08:00"}, "holds nothing at or before"),
    ],
)
def test_a_moment_outside_the_log_is_bad_input(
    server: ApiServer, tokens: dict[str, str], as_of: dict[str, object], says: str
) -> None:
    with pytest.raises(TransportQueryError, match=says) as bad:
        query(server, THEN, token=tokens["AU01"], asOf=as_of)
    assert bad.value.errors and bad.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
