"""Access tokens: issued to a staff member by an admin, kept as a digest, acting as
their holder with the role and scope of the day, and dead once revoked."""

from __future__ import annotations

import hashlib

import pytest

from domain.errors import NotFound, NotPermitted, RuleBroken
from domain.service import GridCenter, StaffPlan
from domain.staff import Actor, Role
from tests.fixtures import ADMIN, COMMUNITY, GRID_A, MONDAY, OPERATOR, head, names_since, refused

SECRET = "gc_not-a-real-secret"
DIGEST = hashlib.sha256(SECRET.encode()).hexdigest()


@pytest.fixture
def worker(app: GridCenter) -> str:
    app.enrol_staff([StaffPlan("W1", "张网格", Role.GRID_WORKER, (GRID_A,))], ADMIN, MONDAY)
    return "W1"


def test_a_token_acts_as_its_holder_with_their_scope_of_the_day(
    app: GridCenter, worker: str
) -> None:
    app.issue_token(DIGEST, worker, "phone", by=ADMIN, at=MONDAY)
    assert app.bearer(DIGEST) == Actor("W1", "张网格", Role.GRID_WORKER, (GRID_A,))
    app.reassign_staff(worker, area=(COMMUNITY,), by=ADMIN, at=MONDAY)
    assert app.bearer(DIGEST).area == (COMMUNITY,)


def test_the_log_keeps_the_digest_never_the_secret(app: GridCenter, worker: str) -> None:
    before = head(app)
    app.issue_token(DIGEST, worker, "phone", by=ADMIN, at=MONDAY)
    assert names_since(app, before) == ["TokenIssued"]
    stored = b"".join(n.state for n in app.recorder.select_notifications(before + 1, 10))
    assert DIGEST.encode() in stored and SECRET.encode() not in stored


def test_a_revoked_token_no_longer_works(app: GridCenter, worker: str) -> None:
    app.issue_token(DIGEST, worker, "phone", by=ADMIN, at=MONDAY)
    app.revoke_token(DIGEST, by=ADMIN, at=MONDAY)
    with pytest.raises(NotPermitted, match="not a valid token"):
        app.bearer(DIGEST)
    with pytest.raises(RuleBroken, match="already revoked"):
        app.revoke_token(DIGEST, by=ADMIN, at=MONDAY)


def test_a_token_stops_working_when_its_holder_leaves(app: GridCenter, worker: str) -> None:
    app.issue_token(DIGEST, worker, "phone", by=ADMIN, at=MONDAY)
    app.staff_leaves(worker, by=ADMIN, at=MONDAY)
    with pytest.raises(NotPermitted, match="not a valid token"):
        app.bearer(DIGEST)


def test_an_unknown_token_is_refused_like_a_revoked_one(app: GridCenter) -> None:
    with pytest.raises(NotPermitted, match="not a valid token"):
        app.bearer(hashlib.sha256(b"guess").hexdigest())


def test_only_an_admin_issues_tokens(app: GridCenter, worker: str) -> None:
    issue = lambda: app.issue_token(DIGEST, worker, "phone", by=OPERATOR, at=MONDAY)  # noqa: E731
    refused(app, issue, NotPermitted, "may not issue token")


def test_a_token_is_issued_only_to_staff_still_working(app: GridCenter) -> None:
    with pytest.raises(NotFound, match="staff W9 does not exist"):
        app.issue_token(DIGEST, "W9", "phone", by=ADMIN, at=MONDAY)


def test_a_token_is_kept_only_as_a_digest(app: GridCenter, worker: str) -> None:
    with pytest.raises(RuleBroken, match="SHA-256 digest"):
        app.issue_token(SECRET, worker, "phone", by=ADMIN, at=MONDAY)
