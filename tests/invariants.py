"""A hypothesis state machine that drives cases through the closed loop while throwing
every other command at them — by the right people and the wrong ones, in order and out
of it, with retried keys and stale versions — and checks after every step that the
loop's invariants still hold in the log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.cases import Case, Channel, Stage
from domain.components import ComponentOutcome
from domain.deadlines import Limit, TimeUnit
from domain.errors import DomainError
from domain.service import GridCenter
from domain.staff import Actor
from tests.fixtures import (
    CITY_MGMT,
    IN_A,
    MONDAY,
    OPERATOR,
    RESIDENT,
    SANITATION,
    SUPERVISOR,
    WATCHER,
    WORKER_A,
    WORKER_B,
    head,
)

EVERYONE = [OPERATOR, WORKER_A, WORKER_B, SUPERVISOR, SANITATION, CITY_MGMT, RESIDENT]
MAX_CASES = 4
DEADLINE_MOVERS = {"CaseDispatched", "ExtensionGranted", "CaseResumed", "CaseReturned"}
Step = Callable[[GridCenter, int, Actor, Any], object]

CENTER, DEPARTMENT, FIELD = "center", "department", "field"
ANY_COMMAND: list[tuple[str, Step]] = [
    (FIELD, lambda app, n, by, at: app.confirm_report(n, found=True, note="核实", by=by, at=at)),
    (FIELD, lambda app, n, by, at: app.confirm_report(n, found=False, note="无", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.file_case(n, by=by, at=at, urgent=True)),
    (CENTER, lambda app, n, by, at: app.reject_case(n, reason="重复", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.dispatch_case(n, by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.dispatch_case(
        n, by=by, at=at, department="cgj", reason="占道")),
    (DEPARTMENT, lambda app, n, by, at: app.accept_case(n, by=by, at=at)),
    (DEPARTMENT, lambda app, n, by, at: app.return_case(n, reason="不归我们管", by=by, at=at)),
    (DEPARTMENT, lambda app, n, by, at: app.handle_case(n, note="已处置", by=by, at=at)),
    (DEPARTMENT, lambda app, n, by, at: app.handle_case(
        n, note="已处置", by=by, at=at, component_outcome=ComponentOutcome.REPAIRED)),
    (DEPARTMENT, lambda app, n, by, at: app.request_extension(
        n, extension=Limit(5, TimeUnit.WORK_HOURS), reason="r", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.grant_extension(n, by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.refuse_extension(n, reason="不准", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.suspend_case(n, reason="挂账", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.resume_case(n, by=by, at=at)),
    (FIELD, lambda app, n, by, at: app.verify_case(n, passed=True, note="", by=by, at=at)),
    (FIELD, lambda app, n, by, at: app.verify_case(n, passed=False, note="未改", by=by, at=at)),
    (FIELD, lambda app, n, by, at: app.resolve_on_spot(n, note="当场处理", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.close_case(n, by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.escalate_case(n, reason="上报", by=by, at=at)),
    (CENTER, lambda app, n, by, at: app.evaluate_case(n, satisfaction=3, by=by, at=at)),
]  # fmt: skip
"""Every case command, with who would normally send it."""


def _staff(case: Case) -> Actor:
    return CITY_MGMT if case.department == "cgj" else SANITATION


def next_steps(case: Case) -> list[Callable[[GridCenter, Any], object]]:
    """What the practice does next with a case, by the right person."""
    n, staff = case.number, _staff(case)
    extension = Limit(3, TimeUnit.WORK_HOURS)
    department = [
        lambda app, at: app.handle_case(n, note="ok", by=staff, at=at),
        lambda app, at: app.request_extension(n, extension=extension, reason="r", by=staff, at=at),
        lambda app, at: app.grant_extension(n, by=OPERATOR, at=at),
        lambda app, at: app.suspend_case(n, reason="挂账", by=OPERATOR, at=at),
        lambda app, at: app.resume_case(n, by=OPERATOR, at=at),
    ]
    steps: dict[Stage, list[Callable[[GridCenter, Any], object]]] = {
        Stage.REPORTED: [
            lambda app, at: (
                app.confirm_report(n, found=True, note="", by=WORKER_A, at=at)
                if case.channel.needs_check and not case.confirmed
                else app.file_case(n, by=OPERATOR, at=at)
            )
        ],
        Stage.FILED: [lambda app, at: app.dispatch_case(n, by=OPERATOR, at=at)],
        Stage.RETURNED: [
            lambda app, at: app.dispatch_case(
                n, by=OPERATOR, at=at, department="cgj", reason="改派"
            )
        ],
        Stage.DISPATCHED: [
            lambda app, at: app.accept_case(n, by=staff, at=at),
            lambda app, at: app.return_case(n, reason="不归我们", by=staff, at=at),
        ],
        Stage.ACCEPTED: department,
        Stage.REWORK: department,
        Stage.HANDLED: [
            lambda app, at: app.verify_case(n, passed=True, note="", by=WORKER_A, at=at),
            lambda app, at: app.verify_case(n, passed=False, note="未改", by=WORKER_A, at=at),
        ],
        Stage.VERIFIED: [lambda app, at: app.close_case(n, by=OPERATOR, at=at)],
        Stage.RESOLVED_ON_SPOT: [lambda app, at: app.close_case(n, by=OPERATOR, at=at)],
        Stage.CLOSED: [lambda app, at: app.evaluate_case(n, satisfaction=4, by=OPERATOR, at=at)],
    }
    return steps.get(case.stage, [])


class ClosedLoop(RuleBasedStateMachine):
    """Subclasses provide `make_app`; one fresh application per example."""

    make_app: Callable[[], GridCenter]

    def __init__(self) -> None:
        super().__init__()
        self.app = self.make_app()
        self.at = MONDAY + timedelta(hours=1)
        self.cases: list[int] = []

    def teardown(self) -> None:
        self.app.close()

    def send(self, command: Callable[[], object]) -> None:
        """Refused commands must leave the log exactly as it was."""
        before = head(self.app)
        try:
            command()
        except DomainError:
            assert head(self.app) == before

    @rule(minutes=st.integers(-30, 300))
    def time_passes(self, minutes: int) -> None:
        self.at += timedelta(minutes=minutes)  # sometimes backwards: steps must be refused

    @precondition(lambda self: len(self.cases) < MAX_CASES)
    @rule(channel=st.sampled_from([Channel.PATROL, Channel.APP, Channel.HOTLINE]))
    def report(self, channel: Channel) -> None:
        by = {Channel.PATROL: WORKER_A, Channel.APP: RESIDENT, Channel.HOTLINE: OPERATOR}[channel]
        try:
            recorded = self.app.report_case(
                channel=channel,
                category="E0101",
                location=IN_A,
                description="暴露垃圾",
                by=by,
                at=self.at,
            )
        except DomainError:
            return
        assert recorded.number is not None
        self.cases.append(recorded.number)

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        case = self.app.case(data.draw(st.sampled_from(self.cases)))
        steps = next_steps(case)
        if steps:
            step = data.draw(st.sampled_from(steps))
            self.send(lambda: step(self.app, self.at))

    @precondition(lambda self: self.cases)
    @rule(data=st.data(), command=st.sampled_from(ANY_COMMAND), stranger=st.booleans())
    def out_of_turn(self, data: st.DataObject, command: tuple[str, Step], stranger: bool) -> None:
        """Any command at any stage: by its usual sender (out of turn) or by anyone."""
        number = data.draw(st.sampled_from(self.cases))
        sender, step = command
        usual = {CENTER: OPERATOR, FIELD: WORKER_A, DEPARTMENT: _staff(self.app.case(number))}
        by = data.draw(st.sampled_from(EVERYONE)) if stranger else usual[sender]
        self.send(lambda: step(self.app, number, by, self.at))

    @precondition(lambda self: len(self.cases) > 1)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        duplicate, target = (data.draw(st.sampled_from(self.cases)) for _ in range(2))
        self.send(lambda: self.app.merge_case(duplicate, into=target, by=OPERATOR, at=self.at))

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def watch(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(self.cases))
        self.send(lambda: self.app.watch_deadline(number, by=WATCHER, at=self.at))

    @precondition(lambda self: self.cases)
    @rule(data=st.data(), key=st.sampled_from(["k1", "k2"]), stale=st.booleans())
    def retry_or_race(self, data: st.DataObject, key: str, stale: bool) -> None:
        number = data.draw(st.sampled_from(self.cases))
        version = self.app.case(number).version - (1 if stale else 0)
        self.send(
            lambda: self.app.escalate_case(
                number, reason="上报", by=OPERATOR, at=self.at, key=key, expected_version=version
            )
        )

    @invariant()
    def positions_are_gap_free_and_increasing(self) -> None:
        positions = [n.id for n in self.app.recorder.select_notifications(1, 100_000)]
        assert positions == list(range(1, len(positions) + 1))

    @invariant()
    def a_case_closes_at_most_once_and_only_after_passing(self) -> None:
        for number in self.cases:
            names = self._names(number)
            assert names.count("CaseClosed") <= 1
            if "CaseClosed" in names:
                deciding = ("CaseVerified", "ReworkOrdered", "CaseHandled", "CaseResolvedOnSpot")
                last = [n for n in names[: names.index("CaseClosed")] if n in deciding]
                assert last and last[-1] in ("CaseVerified", "CaseResolvedOnSpot"), names

    @invariant()
    def deadlines_move_only_by_dispatch_extension_or_suspension(self) -> None:
        for number in self.cases:
            case_id = self.app.case(number).id
            previous = None
            for version, name in enumerate(self._names(number), start=1):
                deadline = self.app.repository.get(case_id, version=version).deadline
                if deadline != previous:
                    assert name in DEADLINE_MOVERS, (name, previous, deadline)
                previous = deadline

    def _names(self, number: int) -> list[str]:
        case = self.app.case(number)
        return [type(e).__name__ for e in self.app.repository.event_store.get(case.id)]
