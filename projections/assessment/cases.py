"""The cases in the assessment. A case counts in the period of the event that decides
it — its last handling, or its deadline passing unhandled — and a check in the period it
was done in time, or else in the period its limit ran out. So each case keeps its facts,
and an event that changes them moves the case's counts: what the old facts counted is
taken back and what the new ones count is added. A case handled again after rework thus
leaves the period of its earlier handling, and an overdue case moves to 处置数 once it is
handled."""

from __future__ import annotations

from collections.abc import Callable

from domain.assessment import CHECK_LIMIT, VERIFY_LIMIT, field_deadline
from domain.cases import Channel, case_id
from projections.assessment.rows import (
    CaseFacts,
    Counted,
    OnDuty,
    count,
    counted,
    day_of,
    facts,
    on_duty,
    recount,
)
from projections.records import Record
from projections.view import Rows, changed

FIELD_STAFF = frozenset({"grid_worker", "supervisor"})
CHECKED = frozenset(channel.value for channel in Channel if channel.needs_check)
"""The channels whose reports need an on-site check (核实)."""
Step = Callable[[CaseFacts, Record, Rows], tuple[CaseFacts, list[Counted | None]]]


def fold_case(record: Record, rows: Rows) -> None:
    old = rows.get(facts, (record.id,))
    if old is None:
        return  # a case this view never saw reported: nothing to count
    step, parts = STEPS[record.name]
    new, found = step(old, record, rows)
    for extra in found:
        if extra is not None:
            count(rows, extra)
    for part in parts:
        before, after = part(old), part(new)
        if before != after:
            recount(rows, before, after)
    if new is not old:
        rows.put(facts, new)


# What a case counts, in parts: a step recounts only the parts its event can change.


def _report(f: CaseFacts) -> Counted | None:
    """上报数 and 有效上报数, in the period of the report."""
    if f.reporter is None:
        return None
    counts = {"reports": 1, "valid_reports": int(f.valid)}
    return counted(f.reported_day, counts, f.grid, "worker", f.reporter)


def _filing(f: CaseFacts) -> Counted | None:
    """The filed cases of 漏报率, in the period of filing, for the worker then on duty."""
    if f.status != "filed" or f.filed_day is None:
        return None
    counts = {"filed": 1, "filed_public": int(f.public)}
    return counted(f.filed_day, counts, f.grid, "worker", f.filed_duty)


def _check(f: CaseFacts) -> Counted | None:
    """核实: for whoever did it, in the period it was done in time or else its limit ran
    out; undone, for the worker on duty — unless the report was rejected or merged in time."""
    if f.check_due is None:
        return None
    if f.checked_at is not None:
        on_time = f.checked_at <= f.check_due
        counts = {"checks_due": 1, "checks_on_time": int(on_time)}
        day = day_of(f.checked_at if on_time else f.check_due)
        return counted(day, counts, f.grid, "worker", f.checker)
    if f.ended_at is not None and f.ended_at < f.check_due:
        return None
    return counted(day_of(f.check_due), {"checks_due": 1}, f.grid, "worker", f.check_duty)


def _assignment(f: CaseFacts) -> Counted | None:
    """立案数 against the department: in the period of its dispatch, until it returns it."""
    if f.department is None or f.dispatched_day is None:
        return None
    return counted(f.dispatched_day, {"filed_against": 1}, f.grid, "department", f.department)


def _outcome(f: CaseFacts) -> Counted | None:
    """超时未处置 in the period the deadline passed, or else 处置 (and 结案) in the period
    of the last handling."""
    if f.department is None:
        return None
    whom = (f.grid, "department", f.department)
    if f.overdue_day is not None:
        return counted(f.overdue_day, {"overdue_unhandled": 1}, *whom)
    if f.handled_day is None:
        return None
    on_time, closed = int(f.on_time), int(f.closed)
    counts = {
        "handled": 1,
        "handled_on_time": on_time,
        "handling_seconds": f.handling_seconds,
        "closed": closed,
        "closed_on_time": closed * on_time,
    }
    return counted(f.handled_day, counts, *whom)


def _verification(f: CaseFacts) -> Counted | None:
    """The 核查 a handling awaits: due from the worker then on duty, in the period its
    limit runs out."""
    if f.verify_due is None:
        return None
    return counted(day_of(f.verify_due), {"verifications_due": 1}, f.grid, "worker", f.verify_duty)


# The events ---------------------------------------------------------------------------------


def staffed(r: Record, rows: Rows) -> None:
    if r["worker"]:
        rows.put(on_duty, OnDuty(r["code"], r["worker"]))


def visited(r: Record, rows: Rows) -> None:
    found = counted(r.day, {"visits": 1}, r["grid"], "worker", r.by["id"])
    if found is not None:
        count(rows, found)


def reported(r: Record, rows: Rows) -> None:
    at, grid, by = r.at, r["grid"], r.by
    public = r["channel"] in CHECKED
    case = CaseFacts(
        id=r.id,
        grid=grid,
        reported_day=r.day,
        reporter=by["id"] if by["role"] in FIELD_STAFF else None,
        public=public,
        check_due=field_deadline(at, CHECK_LIMIT) if public else None,
        check_duty=_on_duty(rows, grid) if public else None,
    )
    rows.put(facts, case)
    for found in (_report(case), _check(case)):
        if found is not None:
            count(rows, found)


def _confirmed(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    return changed(f, checked_at=r.at, checker=r.by["id"]), []


def _rejected(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    changes = {"status": "rejected", "valid": False, "ended_at": r.at}
    if f.public and f.checked_at is None and r.by["role"] in FIELD_STAFF:
        changes.update(checked_at=r.at, checker=r.by["id"])  # not found on site: a check
    return changed(f, **changes), []


def _filed(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    day, duty = r.day, _on_duty(rows, f.grid)
    return changed(f, status="filed", valid=True, filed_day=day, filed_duty=duty), []


def _merged(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    """A duplicate of another worker's report is no valid report; of the public's, it is."""
    into = rows.get(facts, (case_id(r["into"]).hex,))
    valid = into is not None and into.reporter is None
    return changed(f, status="merged", valid=valid, ended_at=r.at), []


def _resolved(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    """Resolved on the spot: a valid report, and the on-site check of a public one."""
    by, changes = r.by["id"], {"status": "resolved", "valid": True}
    if f.public and f.checked_at is None:
        changes.update(checked_at=r.at, checker=by)
    found = counted(r.day, {"resolved_on_spot": 1}, f.grid, "worker", by)
    return changed(f, **changes), [found]


def _dispatched(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    department, day = r["department"], r.day
    return changed(f, department=department, dispatched_day=day, overdue_day=None), []


def _returned(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    """Not ours: the case leaves the department, overdue or not; the return is counted."""
    found = _case_counted(f, r, {"returns": 1})
    return changed(f, department=None, dispatched_day=None, overdue_day=None), [found]


def _handled(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    at = r.at
    handled = changed(
        f,
        handled_day=r.day,
        on_time=bool(r["on_time"]),
        handling_seconds=round(r["hours_used"] * 3600),
        overdue_day=None,
        closed=False,
        verify_due=field_deadline(at, VERIFY_LIMIT),
        verify_duty=_on_duty(rows, f.grid),
    )
    return handled, []


def _overdue(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    """Counted in the period its deadline passed, whenever the watcher noticed."""
    return changed(f, overdue_day=day_of(r.time("deadline") or r.at)), []


def _deadline_moved(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    """A granted extension or a resume moves the deadline: the case is overdue again only
    when the watcher finds the new one passed."""
    granted = {"extensions_granted": 1} if r.name == "ExtensionGranted" else {}
    return changed(f, overdue_day=None), [_case_counted(f, r, granted)]


def _extension_asked(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    return f, [_case_counted(f, r, {"extensions_asked": 1})]


def _verified(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    """核查 done, passed or not: it counts for whoever did it."""
    found: list[Counted | None] = []
    if f.verify_due is not None:
        on_time = r.at <= f.verify_due
        counts = {"verifications_due": 1, "verifications_on_time": int(on_time)}
        day = r.day if on_time else day_of(f.verify_due)
        found.append(counted(day, counts, f.grid, "worker", r.by["id"]))
    if r.name == "ReworkOrdered":
        found.append(_case_counted(f, r, {"rework": 1}))
    return changed(f, verify_due=None, verify_duty=None), found


def _closed(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    return changed(f, closed=True), []


def _evaluated(f: CaseFacts, r: Record, rows: Rows) -> tuple[CaseFacts, list[Counted | None]]:
    return f, [_case_counted(f, r, {"evaluations": 1, "satisfaction": int(r["satisfaction"])})]


def _case_counted(f: CaseFacts, r: Record, counts: dict[str, int]) -> Counted | None:
    """Counts of the event's own day, for the case's department and grid."""
    return counted(r.day, counts, f.grid, "department", f.department)


Part = Callable[[CaseFacts], Counted | None]
STEPS: dict[str, tuple[Step, tuple[Part, ...]]] = {
    "CaseConfirmed": (_confirmed, (_check,)),
    "CaseRejected": (_rejected, (_report, _check)),
    "CaseFiled": (_filed, (_report, _filing)),
    "CaseMerged": (_merged, (_report, _filing, _check)),
    "CaseResolvedOnSpot": (_resolved, (_report, _check)),
    "CaseDispatched": (_dispatched, (_assignment, _outcome)),
    "CaseReturned": (_returned, (_assignment, _outcome)),
    "CaseHandled": (_handled, (_outcome, _verification)),
    "CaseOverdue": (_overdue, (_outcome,)),
    "ExtensionGranted": (_deadline_moved, (_outcome,)),
    "CaseResumed": (_deadline_moved, (_outcome,)),
    "ExtensionRequested": (_extension_asked, ()),
    "CaseVerified": (_verified, (_verification,)),
    "ReworkOrdered": (_verified, (_verification,)),
    "CaseClosed": (_closed, (_outcome,)),
    "CaseEvaluated": (_evaluated, ()),
}
"""Each event's step (new facts, and what the event itself counts) and the parts of what
the case counts that the step can change."""


def _on_duty(rows: Rows, grid: str) -> str | None:
    duty: OnDuty | None = rows.get(on_duty, (grid,))
    return None if duty is None else duty.worker
