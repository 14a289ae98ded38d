"""Cases over the API: the board in cursor pages, one case with its timeline, and a case's
changes by subscription."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import OPERATOR, Loop
from tests.integration.api.client import query, subscribe, wait_for_case


def test_a_case_comes_with_its_timeline(server: ApiServer, app: GridCenter) -> None:
    number = Loop(app).dispatched()
    found = wait_for_case(server, number, "dispatched")
    names = [entry["name"] for entry in found["timeline"]]
    assert names[0] == "CaseReported" and names[-1] == "CaseDispatched"
    assert all(entry["by"]["role"] for entry in found["timeline"])


def test_a_suspended_case_says_when_its_clock_stopped(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    number = loop.accepted()
    app.suspend_case(number, reason="等待审批", by=OPERATOR, at=loop.tick(60))
    text = "query ($n: Int!) { case(number: $n) { suspended suspendedAt deadline } }"
    for _ in range(100):
        found = query(server, text, n=number)["case"]
        if found is not None and found["suspended"]:
            break
        asyncio.run(asyncio.sleep(0.1))
    else:
        pytest.fail(f"case {number} was not shown suspended on the server")
    assert datetime.fromisoformat(found["suspendedAt"]) == loop.at
    assert datetime.fromisoformat(found["deadline"]) > loop.at


def test_the_case_board_pages_with_a_cursor(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    numbers = [loop.filed() for _ in range(3)]
    wait_for_case(server, numbers[-1], "filed")
    board = "query ($after: String) { caseBoard(first: 2, after: $after, sort: NUMBER, "
    board += "descending: false) { cases { number } next } }"
    first = query(server, board)["caseBoard"]
    second = query(server, board, after=first["next"])["caseBoard"]
    seen = [case["number"] for page in (first, second) for case in page["cases"]]
    assert seen == sorted(numbers) and second["next"] is None


def test_a_bad_argument_is_an_error_that_names_it(server: ApiServer) -> None:
    with pytest.raises(TransportQueryError, match="first must be 1 to 200"):
        query(server, "{ caseBoard(first: 0) { next } }")


CASE_UPDATES = """subscription ($department: String, $number: Int) {
  caseUpdates(department: $department, number: $number) { number stage department } }"""


def test_a_department_follows_the_cases_dispatched_to_it(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    received = subscribe(
        server,
        CASE_UPDATES,
        until=lambda got: got[-1]["stage"] == "accepted",
        during=Loop(app).accepted,  # dispatched to hwj, then accepted
        token=tokens["D002"],
        quiet=True,
    )
    # a notice comes per batch the views commit: the case as it stands after it
    assert received[-1]["stage"] == "accepted"
    assert {case["department"] for case in received} == {"hwj"}


def test_a_department_may_not_follow_another_departments_cases(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    with pytest.raises(TransportQueryError, match="only the cases of department swj"):
        subscribe(
            server, CASE_UPDATES, until=lambda got: True, token=tokens["D001"], department="hwj"
        )
