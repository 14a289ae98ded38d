"""Staff over the API: who the token belongs to, the roster as far as the caller's scope
reaches, and what admins do — enrol, reassign, sign off staff, issue and revoke tokens."""

from __future__ import annotations

import time

import httpx

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import TLS
from tests.integration.api.client import mutate, query

ROSTER = "{ staff { code role department grids active } }"


def roster(server: ApiServer, token: str, until: str = "") -> list[dict[str, object]]:
    """The roster the caller sees, once it names `until` (the views may lag a moment)."""
    for _ in range(100):
        found: list[dict[str, object]] = query(server, ROSTER, token=token)["staff"]
        if until in {m["code"] for m in found} or not until:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{until} never appeared on the roster")


def test_a_token_says_who_it_belongs_to(server: ApiServer, tokens: dict[str, str]) -> None:
    found = query(server, "{ viewer { code role area department } }", token=tokens["D002"])
    assert found["viewer"] == {
        "code": "D002",
        "role": "department",
        "area": [],
        "department": "hwj",
    }


def test_each_caller_sees_the_staff_of_their_scope(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    everyone = {m["code"] for m in roster(server, tokens["OP01"], until="AD01")}
    assert {"OP01", "AU01", "W001", "D001", "D002", "AD01"} <= everyone
    assert [m["code"] for m in roster(server, tokens["D002"])] == ["D002"]
    assert [m["code"] for m in roster(server, tokens["W001"])] == ["W001"]


def test_an_admin_enrols_staff_and_issues_them_a_token_that_can_be_revoked(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    admin = tokens["AD01"]
    enrol = 'mutation { enrolStaff(staff: [{code: "D003", name: "城管 孙", role: DEPARTMENT, '
    enrol += 'department: "cgj"}]) { ANSWER } }'
    assert mutate(server, admin, enrol)["__typename"] == "Recorded"
    assert {
        "code": "D003",
        "role": "department",
        "department": "cgj",
        "grids": [],
        "active": True,
    } in (roster(server, admin, until="D003"))
    issue = 'mutation { issueToken(staff: "D003", label: "城管 tablet") { __typename '
    issue += "... on TokenIssued { secret short recorded { positions } } } }"
    issued = query(server, issue, token=admin)["issueToken"]
    viewer = query(server, "{ viewer { code } }", token=issued["secret"])["viewer"]
    assert viewer == {"code": "D003"} and issued["recorded"]["positions"]
    revoke = f'mutation {{ revokeToken(token: "{issued["short"]}") {{ ANSWER }} }}'
    assert mutate(server, admin, revoke)["__typename"] == "Recorded"
    answer = httpx.post(
        server.http,
        json={"query": "{ viewer { code } }"},
        headers={"Authorization": f"Bearer {issued['secret']}"},
        verify=TLS,
    )
    assert answer.status_code == 401
    missing = mutate(server, admin, 'mutation { revokeToken(token: "nope") { ANSWER } }')
    assert missing == {"__typename": "NotFound", "message": "no token nope"}


def test_staff_who_leave_stop_acting_at_once(server: ApiServer, tokens: dict[str, str]) -> None:
    left = mutate(server, tokens["AD01"], 'mutation { staffLeaves(code: "D001") { ANSWER } }')
    assert left["__typename"] == "Recorded"
    answer = httpx.post(
        server.http,
        json={"query": "{ viewer { code } }"},
        headers={"Authorization": f"Bearer {tokens['D001']}"},
        verify=TLS,
    )
    assert answer.status_code == 401
