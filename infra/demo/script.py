"""The script a simulated case follows through the closed loop, with the detours of the
practice: false reports, small matters fixed on the spot, duplicates, wrong departments,
extensions, suspensions, late fixes, failed checks and the reporter's verdict.

A case's life is a generator: it yields the instant it next wants to act, and reads
the case afresh each time, so a life can start from any stage (a restarted demo)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.cases import Case, Channel, Stage
from domain.components import ComponentOutcome
from domain.deadlines import Limit, TimeUnit, add_time, time_used
from domain.staff import Role
from infra.demo.mix import SMALL_MATTERS

if TYPE_CHECKING:
    from infra.demo.simulator import Simulator

Life = Iterator[datetime]


def life(sim: Simulator, number: int) -> Life:
    """From wherever the case stands to its end."""
    while True:
        case = sim.app.case(number)
        step = _STEPS.get(case.stage)
        if step is None:
            return
        version = case.version
        yield from step(sim, case)
        if sim.app.case(number).version == version:
            return  # the step gave up (a refused command): leave the case where it is


def _intake(sim: Simulator, case: Case) -> Life:
    rng, n = sim.rng, case.number
    if case.channel.needs_check and not case.confirmed:
        yield sim.field(20, 120)
        found = rng.random() > 0.08
        note = "现场核实属实" if found else "现场未发现所述问题"
        sim.act(sim.app.confirm_report, n, found=found, note=note, by=sim.worker(case.grid))
        return
    reported_by_staff = case.reported_by.role in (Role.GRID_WORKER, Role.SUPERVISOR)
    if reported_by_staff and case.category in SMALL_MATTERS and rng.random() < 0.35:
        yield sim.field(5, 20)
        sim.act(sim.app.resolve_on_spot, n, note="网格员现场处置完毕", by=case.reported_by)
        return
    if reported_by_staff and rng.random() < 0.02:
        sim.act(
            sim.app.escalate_case, n, reason="超出网格处置能力，提请社区协调", by=case.reported_by
        )
    yield sim.center(3, 30)
    draw = rng.random()
    duplicate = sim.open_case_like(case)
    if draw < 0.04:
        sim.act(sim.app.reject_case, n, reason="不属于城市管理受理范围", by=sim.operator())
    elif duplicate is not None and draw < 0.3:
        sim.act(sim.app.merge_case, n, into=duplicate, by=sim.operator())
    else:
        sim.act(sim.app.file_case, n, by=sim.operator(), urgent=rng.random() < 0.05)
        sim.remember(case)


def _dispatch(sim: Simulator, case: Case) -> Life:
    yield sim.center(3, 25)
    default = sim.app.catalog.category(case.category).department
    if case.stage is Stage.RETURNED or sim.rng.random() < 0.04:
        other = sim.other_department(default, avoid=case.returned_by)
        sim.act(
            sim.app.dispatch_case,
            case.number,
            by=sim.operator(),
            department=other,
            reason="经指挥中心协调，由该部门负责处置",
        )
    else:
        sim.act(sim.app.dispatch_case, case.number, by=sim.operator())


def _accept(sim: Simulator, case: Case) -> Life:
    yield sim.work(10, 90)
    staff = sim.staff_of(case.department)
    if sim.rng.random() < 0.06 and not case.returned_by:
        sim.act(sim.app.return_case, case.number, reason="经核查不属于本单位职责", by=staff)
    else:
        sim.act(sim.app.accept_case, case.number, by=staff)


def _handle(sim: Simulator, case: Case) -> Life:
    rng, n, staff = sim.rng, case.number, sim.staff_of(case.department)
    if case.suspended_at is not None:
        yield sim.center(60, 24 * 60)
        sim.act(sim.app.resume_case, n, by=sim.operator())
        return
    if case.requested_extension is not None:
        yield sim.center(10, 120)
        if rng.random() < 0.75:
            sim.act(sim.app.grant_extension, n, by=sim.operator())
        else:
            sim.act(
                sim.app.refuse_extension, n, reason="时限内可完成，请抓紧处置", by=sim.operator()
            )
        return
    draw = rng.random()
    if case.stage is Stage.ACCEPTED and draw < 0.03:
        yield sim.center(30, 240)
        sim.act(sim.app.suspend_case, n, reason="涉及产权争议，待相关方确认", by=sim.operator())
        return
    if case.stage is Stage.ACCEPTED and draw < 0.1:
        yield sim.work(30, 180)
        extension = rng.choice((Limit(4, TimeUnit.WORK_HOURS), Limit(2, TimeUnit.WORK_DAYS)))
        sim.act(
            sim.app.request_extension, n, extension=extension, reason="需协调多个部门", by=staff
        )
        return
    yield _fix_time(sim, case)
    outcome = ComponentOutcome.REPAIRED if case.component else None
    sim.act(sim.app.handle_case, n, note="已按要求处置完毕", by=staff, component_outcome=outcome)


def _fix_time(sim: Simulator, case: Case) -> datetime:
    """Most fixes land well inside the time allowed; some are late, a few very late."""
    assert case.clock_started_at is not None and case.deadline is not None and case.limit
    unit = case.limit.unit
    allowed = time_used(case.clock_started_at, case.deadline, unit, sim.app.calendar)
    share = sim.rng.uniform(0.15, 0.95) if sim.rng.random() > 0.13 else sim.rng.uniform(1.05, 2.5)
    target = add_time(case.clock_started_at, allowed * share, unit, sim.app.calendar)
    return max(target, sim.now + timedelta(minutes=5))


def _verify(sim: Simulator, case: Case) -> Life:
    yield sim.field(30, 240)
    checker = sim.worker(case.grid) if sim.rng.random() < 0.9 else sim.supervisor(case.grid)
    passed = sim.rng.random() < 0.87
    note = "现场核查，处置到位" if passed else "现场核查，问题仍未解决"
    sim.act(sim.app.verify_case, case.number, passed=passed, note=note, by=checker)


def _close(sim: Simulator, case: Case) -> Life:
    yield sim.center(5, 60)
    if sim.act(sim.app.close_case, case.number, by=sim.operator()) is None:
        return
    if case.channel in (Channel.HOTLINE, Channel.APP, Channel.OPEN311) and sim.rng.random() < 0.7:
        yield sim.center(120, 30 * 60)
        reporter = case.reported_by if case.reported_by.role is Role.PUBLIC else sim.operator()
        score = sim.rng.choices((5, 4, 3, 2, 1), weights=(60, 25, 10, 3, 2))[0]
        sim.act(sim.app.evaluate_case, case.number, satisfaction=score, by=reporter)


_STEPS: dict[Stage, Callable[[Simulator, Case], Life]] = {
    Stage.REPORTED: _intake,
    Stage.FILED: _dispatch,
    Stage.RETURNED: _dispatch,
    Stage.DISPATCHED: _accept,
    Stage.ACCEPTED: _handle,
    Stage.REWORK: _handle,
    Stage.HANDLED: _verify,
    Stage.VERIFIED: _close,
    Stage.RESOLVED_ON_SPOT: _close,
}
