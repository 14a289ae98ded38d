"""Commands as mutations, answered as data: what they recorded, or the rule they broke."""

from __future__ import annotations

import pytest

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import head
from tests.integration.api.client import report, step, wait_for_case


def test_the_closed_loop_runs_through_mutations(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    worker, operator, department = tokens["W001"], tokens["OP01"], tokens["D002"]
    reported = report(server, worker)
    assert reported["__typename"] == "Recorded" and reported["number"]
    number = reported["number"]
    for token, name, more in [
        (operator, "fileCase", ""),
        (operator, "dispatchCase", ""),
        (department, "acceptCase", ""),
        (department, "handleCase", ', note: "已清运"'),
        (worker, "verifyCase", ", passed: true"),
        (operator, "closeCase", ""),
    ]:
        answer = step(server, token, name, number, more)
        assert answer["__typename"] == "Recorded", (name, answer)
    assert wait_for_case(server, number, "closed")["stage"] == "closed"


def test_a_refused_command_is_a_typed_answer_and_records_nothing(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    number = report(server, tokens["W001"])["number"]
    before = head(app)
    answer = step(server, tokens["OP01"], "closeCase", number)
    assert answer["__typename"] == "RuleBroken" and "close" in answer["message"]
    missing = step(server, tokens["OP01"], "fileCase", 9999)
    assert missing == {"__typename": "NotFound", "message": "case 9999 does not exist"}
    assert head(app) == before


@pytest.mark.parametrize(
    ("staff", "name", "more"),
    [
        ("AU01", "fileCase", ""),  # an auditor changes nothing
        ("D001", "fileCase", ""),  # a department does not file
        ("W001", "dispatchCase", ""),  # nor does a grid worker dispatch
    ],
)
def test_a_command_outside_the_callers_role_is_not_allowed(
    server: ApiServer, app: GridCenter, tokens: dict[str, str], staff: str, name: str, more: str
) -> None:
    number = report(server, tokens["W001"])["number"]
    before = head(app)
    answer = step(server, tokens[staff], name, number, more)
    assert answer["__typename"] == "NotAllowed", answer
    assert head(app) == before


def test_a_stale_read_is_a_version_conflict(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    reported = report(server, tokens["W001"])
    number, version = reported["number"], reported["version"]
    assert (
        step(server, tokens["OP01"], "fileCase", number, expectedVersion=version)["__typename"]
        == "Recorded"
    )
    stale = step(server, tokens["OP01"], "dispatchCase", number, expectedVersion=version)
    assert stale["__typename"] == "VersionConflict"


def test_a_retry_with_the_same_key_gets_the_first_answer_and_records_nothing(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    first = report(server, tokens["W001"], key="phone-1:report-17")
    after_first = head(app)
    again = report(server, tokens["W001"], key="phone-1:report-17")
    assert again["replayed"] and not first["replayed"]
    assert (again["number"], again["positions"]) == (first["number"], first["positions"])
    assert head(app) == after_first
    reason, number = ', reason: "x"', first["number"]
    other = step(server, tokens["W001"], "escalateCase", number, reason, key="phone-1:report-17")
    assert other["__typename"] == "KeyReused"  # the same caller's key, another command
    assert head(app) == after_first
