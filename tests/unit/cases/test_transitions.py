"""Every command at every stage, sent by the person who would normally send it: the
loop allows exactly the transitions of the table below and refuses all the others,
leaving the log untouched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from domain.cases import Channel
from domain.deadlines import Limit, TimeUnit
from domain.errors import DomainError
from domain.service import GridCenter
from tests.fixtures import OPERATOR, SANITATION, WATCHER, WORKER_A, Loop, head

Command = Callable[[GridCenter, int, Any], object]

COMMANDS: dict[str, Command] = {
    "confirm": lambda app, n, at: app.confirm_report(n, found=True, note="", by=WORKER_A, at=at),
    "file": lambda app, n, at: app.file_case(n, by=OPERATOR, at=at),
    "reject": lambda app, n, at: app.reject_case(n, reason="重复", by=OPERATOR, at=at),
    "dispatch": lambda app, n, at: app.dispatch_case(n, by=OPERATOR, at=at),
    "redispatch": lambda app, n, at: app.dispatch_case(
        n, by=OPERATOR, at=at, department="cgj", reason="改派城管"
    ),
    "accept": lambda app, n, at: app.accept_case(n, by=SANITATION, at=at),
    "return": lambda app, n, at: app.return_case(n, reason="不归我们", by=SANITATION, at=at),
    "handle": lambda app, n, at: app.handle_case(n, note="ok", by=SANITATION, at=at),
    "ask": lambda app, n, at: app.request_extension(
        n, extension=Limit(2, TimeUnit.WORK_HOURS), reason="r", by=SANITATION, at=at
    ),
    "grant": lambda app, n, at: app.grant_extension(n, by=OPERATOR, at=at),
    "refuse": lambda app, n, at: app.refuse_extension(n, reason="不准", by=OPERATOR, at=at),
    "suspend": lambda app, n, at: app.suspend_case(n, reason="挂账", by=OPERATOR, at=at),
    "resume": lambda app, n, at: app.resume_case(n, by=OPERATOR, at=at),
    "verify": lambda app, n, at: app.verify_case(n, passed=True, note="", by=WORKER_A, at=at),
    "rework": lambda app, n, at: app.verify_case(n, passed=False, note="未改", by=WORKER_A, at=at),
    "resolve": lambda app, n, at: app.resolve_on_spot(n, note="当场", by=WORKER_A, at=at),
    "close": lambda app, n, at: app.close_case(n, by=OPERATOR, at=at),
    "escalate": lambda app, n, at: app.escalate_case(n, reason="上报", by=OPERATOR, at=at),
    "evaluate": lambda app, n, at: app.evaluate_case(n, satisfaction=5, by=OPERATOR, at=at),
}


def public_report(loop: Loop) -> int:
    return loop.reported(channel=Channel.APP)


def suspended(loop: Loop) -> int:
    number = loop.accepted()
    COMMANDS["suspend"](loop.app, number, loop.tick())
    return number


def asked(loop: Loop) -> int:
    number = loop.accepted()
    COMMANDS["ask"](loop.app, number, loop.tick())
    return number


def returned(loop: Loop) -> int:
    number = loop.accepted()
    COMMANDS["return"](loop.app, number, loop.tick())
    return number


def in_rework(loop: Loop) -> int:
    number = loop.handled()
    COMMANDS["rework"](loop.app, number, loop.tick())
    return number


def resolved(loop: Loop) -> int:
    number = loop.reported()
    COMMANDS["resolve"](loop.app, number, loop.tick())
    return number


def rejected(loop: Loop) -> int:
    number = loop.reported()
    COMMANDS["reject"](loop.app, number, loop.tick())
    return number


STAGES: dict[str, tuple[Callable[[Loop], int], set[str]]] = {
    "reported by a worker": (Loop.reported, {"file", "reject", "resolve", "escalate"}),
    "reported by the public": (public_report, {"confirm", "reject", "resolve", "escalate"}),
    "filed": (Loop.filed, {"dispatch", "redispatch", "escalate"}),
    "dispatched": (Loop.dispatched, {"accept", "return", "suspend", "escalate"}),
    "accepted": (Loop.accepted, {"return", "handle", "ask", "suspend", "escalate"}),
    "asked for time": (asked, {"return", "handle", "grant", "refuse", "suspend", "escalate"}),
    "suspended": (suspended, {"resume", "escalate"}),
    "returned": (returned, {"redispatch", "escalate"}),
    "handled": (Loop.handled, {"verify", "rework", "escalate"}),
    "in rework": (in_rework, {"handle", "ask", "suspend", "escalate"}),
    "verified": (Loop.verified, {"close", "escalate"}),
    "resolved on the spot": (resolved, {"close", "escalate"}),
    "closed": (Loop.closed, {"evaluate"}),
    "rejected": (rejected, set()),
}
"""Each starting state and the commands its usual senders may send in it."""


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_command_is_allowed_exactly_where_the_loop_allows_it(
    app: GridCenter, loop: Loop, stage: str, command: str
) -> None:
    prepare, allowed = STAGES[stage]
    number = prepare(loop)
    before = head(app)
    try:
        COMMANDS[command](app, number, loop.tick())
    except DomainError as refusal:
        assert command not in allowed, f"{command} refused when {stage}: {refusal}"
        assert head(app) == before
    else:
        assert command in allowed, f"{command} allowed when {stage}"
        assert head(app) > before


def test_the_watch_records_nothing_where_no_clock_runs(app: GridCenter, loop: Loop) -> None:
    for prepare in (Loop.reported, Loop.filed, Loop.handled, suspended, returned, Loop.closed):
        number = prepare(loop)
        before = head(app)
        app.watch_deadline(number, by=WATCHER, at=loop.tick(60 * 24 * 30))
        assert head(app) == before, prepare
