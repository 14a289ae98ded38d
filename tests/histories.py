"""Random event histories for the views: hypothesis draws a list of steps, and playing
them through the real application gives a log of cases at every stage, visits and
deadline watches — and the comparisons the projection tests make on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from domain.cases import Channel
from domain.errors import DomainError
from domain.service import GridCenter, HouseholdPlan, StaffPlan
from domain.visits import Need, Tag
from projections.store import ViewStore
from projections.store.memory import MemoryViewStore
from projections.view import Rows, View
from tests.fixtures import (
    ADMIN,
    GRID_A,
    IN_A,
    MONDAY,
    OPERATOR,
    RESIDENT,
    WATCHER,
    WORKER_A,
)
from tests.invariants import next_steps

Step = tuple[int, int, int]  # (what, which, minutes later)
steps = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 20), st.integers(0, 600)), max_size=80)
HOMES = [
    HouseholdPlan(f"{GRID_A}0001", "多福巷 1 号", IN_A, 1, (Tag.ELDERLY_ALONE,), "甲", "130"),
    HouseholdPlan(f"{GRID_A}0002", "多福巷 2 号", IN_A, 3, (), "乙", "131"),
]


def play(app: GridCenter, history: Sequence[Step]) -> None:
    """Record a history: reports, the loop's next steps, visits and deadline watches."""
    at = MONDAY
    app.enrol_staff(
        [StaffPlan(WORKER_A.id, WORKER_A.name, WORKER_A.role, WORKER_A.area)], ADMIN, at
    )
    app.staff_grids({GRID_A: (WORKER_A.id, ["楼门长 刘"])}, ADMIN, at)
    app.register_households(HOMES, WORKER_A, at)
    cases: list[int] = []
    for what, which, minutes in history:
        at += timedelta(minutes=minutes)
        try:
            if what == 0 or not cases:
                channel = (Channel.PATROL, Channel.APP, Channel.HOTLINE)[which % 3]
                by = {Channel.PATROL: WORKER_A, Channel.APP: RESIDENT}.get(channel, OPERATOR)
                category = ("E0101", "E0501", "E0903")[which % 3]
                recorded = app.report_case(
                    channel=channel,
                    category=category,
                    location=IN_A,
                    description="问题",
                    by=by,
                    at=at,
                )
                cases.append(recorded.number or 0)
            elif what == 1:
                needs = (Need("E0801", "需要帮扶"),) if which % 4 == 0 else ()
                home = HOMES[which % len(HOMES)].code
                app.record_visit(home, findings="走访", by=WORKER_A, at=at, needs=needs)
            elif what == 2:
                app.watch_deadline(cases[which % len(cases)], by=WATCHER, at=at)
            else:
                options = next_steps(app.case(cases[which % len(cases)]))
                if options:
                    options[which % len(options)](app, at)
        except DomainError:
            pass  # a refused step records nothing; the history goes on


def contents(store: ViewStore, views: Sequence[View]) -> dict[str, list[Any]]:
    """Every row of every table of the views, in key order: what 'identical views' compares."""
    return {
        table.name: sorted(store.select(table), key=table.key_of)
        for view in views
        for table in view.tables
    }


def folded(rows: Rows, views: Sequence[View], position: int) -> dict[str, list[Any]]:
    store = MemoryViewStore()
    store.prepare(views)
    for view in views:
        store.replace(view, rows, position)
    return contents(store, views)


Crash = Callable[[int, int], None]
"""A progress callback that raises to stop a runner between batches."""


class Crashed(Exception):
    """The simulated crash of a runner between two batches."""


def crash_after(batches: int) -> Crash:
    count = 0

    def progress(reached: int, head: int) -> None:
        nonlocal count
        count += 1
        if count >= batches and reached < head:
            raise Crashed

    return progress
