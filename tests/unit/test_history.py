"""Reading the log for people: a case's history in order with actors and times, filters,
and personal data masked."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from domain.cases import Channel
from domain.service import GridCenter, HouseholdPlan
from infra.history import History, Query
from tests.fixtures import GRID_A, IN_A, MONDAY, OPERATOR, RESIDENT, WORKER_A, Loop

CST = timezone(timedelta(hours=8))


def test_a_cases_history_comes_in_order_with_actors_and_local_times(
    app: GridCenter, loop: Loop
) -> None:
    loop.reported()  # case 1, not shown
    number = loop.closed()
    entries = list(History(app, CST).read(Query(case=number, limit=None)))
    assert [e.name for e in entries] == [
        "CaseReported",
        "CaseFiled",
        "CaseDispatched",
        "CaseAccepted",
        "CaseHandled",
        "CaseVerified",
        "CaseClosed",
    ]
    assert {e.subject for e in entries} == {f"case {number}"}
    assert [e.position for e in entries] == sorted(e.position for e in entries)
    assert entries[1].by == OPERATOR and entries[1].at is not None
    assert entries[1].at.utcoffset() == timedelta(hours=8)
    assert "deadline=2026-03-09 " in entries[2].details  # shown in the district's zone


def test_personal_data_never_appears(app: GridCenter, loop: Loop) -> None:
    app.report_case(
        channel=Channel.APP,
        category="E0101",
        location=IN_A,
        description="垃圾",
        by=RESIDENT,
        at=loop.tick(),
        reporter_name="陈小姐",
        reporter_phone="13912345678",
    )
    app.register_households(
        [HouseholdPlan(f"{GRID_A}0001", "多福巷 1 号", IN_A, 2, (), "刘先生", "13700000000")],
        WORKER_A,
        MONDAY,
    )
    shown = " ".join(e.details for e in History(app, CST).read(Query(limit=None)))
    assert "reporter_name=•••" in shown and "head_phone=•••" in shown
    for secret in ("陈小姐", "13912345678", "刘先生", "13700000000"):
        assert secret not in shown


def test_the_log_can_be_filtered_by_event_and_actor(app: GridCenter, loop: Loop) -> None:
    loop.dispatched()
    loop.dispatched()
    history = History(app, CST)
    dispatched = list(history.read(Query(names=("CaseDispatched",), limit=None)))
    assert [e.subject for e in dispatched] == ["case 1", "case 2"]
    by_worker = list(history.read(Query(actor=WORKER_A.id, limit=None)))
    assert {e.name for e in by_worker} == {"CaseReported"}
    last = list(history.read(Query(last=2, limit=None)))
    assert [e.name for e in last] == ["CaseFiled", "CaseDispatched"]
    assert len(list(history.read(Query(limit=3)))) == 3


def test_an_unknown_case_or_event_name_is_an_error(app: GridCenter) -> None:
    with pytest.raises(LookupError, match="case 99 does not exist"):
        list(History(app, CST).read(Query(case=99)))
    with pytest.raises(ValueError, match="unknown event name CaseUpdated"):
        list(History(app, CST).read(Query(names=("CaseUpdated",))))
