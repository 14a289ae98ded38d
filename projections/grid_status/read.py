"""Reading the grid status at an instant: each grid's counts, what is overdue and due soon,
and its level by the rules (projections/grid_status/__init__.py); areas summed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from projections.grid_status.fold import GridRow, grid_rows, latest, micros
from projections.store import Page, ViewStore, Where

NORMAL, ATTENTION, ALARM = "normal", "attention", "alarm"
LEVELS = (NORMAL, ATTENTION, ALARM)
"""From best to worst."""
ALARMS = frozenset({"overdue", "urgent"})


@dataclass(frozen=True)
class Rules:
    """What the levels are decided by; the defaults are the rules the view documents."""

    due_soon: timedelta = timedelta(hours=2)
    busy: int = 5
    """Open cases at which a grid needs attention."""
    quiet: timedelta = timedelta(days=14)
    """How long a worker on duty may go without recording a visit in the grid."""


RULES = Rules()


@dataclass(frozen=True)
class GridStatus:
    code: str
    name_zh: str
    name_en: str
    community: str
    street: str
    households: int
    population: int
    worker: str | None
    team: tuple[str, ...]
    retired_at: datetime | None
    open: int
    stages: dict[str, int]
    urgent: int
    overdue: int
    due_soon: int
    last_report: datetime | None
    last_visit: datetime | None
    level: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AreaStatus:
    """An area's grids summed. `grids`, `unstaffed`, households and population count its
    current grids; the case figures and `levels` also count retired grids with open cases."""

    code: str
    grids: int
    unstaffed: int
    households: int
    population: int
    open: int
    stages: dict[str, int]
    urgent: int
    overdue: int
    due_soon: int
    last_report: datetime | None
    last_visit: datetime | None
    levels: dict[str, int]  # grids by level
    level: str


def grid(store: ViewStore, code: str, now: datetime, rules: Rules = RULES) -> GridStatus | None:
    """One grid at `now`; None if there is no such grid."""
    return next(iter(grids_of(store, (code,), now, rules)), None)


def grids_of(
    store: ViewStore, codes: Iterable[str], now: datetime, rules: Rules = RULES
) -> list[GridStatus]:
    """The grids with these codes at `now`, by code, in one read however many they are."""
    page = _of(tuple(codes))
    if page is None:
        return []
    return [status_of(row, now, rules) for row in store.select(grid_rows, page)]


async def changed(
    store: ViewStore, codes: Iterable[str], now: datetime, rules: Rules = RULES
) -> list[GridStatus]:
    """`grids_of`, read on the event loop (`select_soon`): what changed on the wall map,
    read after a notice that did not bring the grids' rows."""
    page = _of(tuple(codes))
    if page is None:
        return []
    return [status_of(row, now, rules) for row in await store.select_soon(grid_rows, page)]


def _of(codes: tuple[str, ...]) -> Page | None:
    """What `grids_of` reads; None if nothing (no codes: no condition at all)."""
    return Page(where=(Where("code", "in", codes),)) if codes else None


def grids(
    store: ViewStore, now: datetime, area: str | None = None, rules: Rules = RULES
) -> list[GridStatus]:
    """Every grid (under an area code, if given) at `now`, by code: the wall map."""
    page = Page(where=(Where("code", "prefix", area),)) if area else Page()
    return [
        status_of(row, now, rules)
        for row in store.select(grid_rows, page)
        if row.retired_at is None or row.stages
    ]


def area(store: ViewStore, code: str, now: datetime, rules: Rules = RULES) -> AreaStatus:
    """An area's grids summed at `now`: a community, a street, the district ('' for all)."""
    statuses = grids(store, now, code, rules)
    current = [s for s in statuses if s.retired_at is None]
    stages: dict[str, int] = {}
    for status in statuses:
        for stage, count in status.stages.items():
            stages[stage] = stages.get(stage, 0) + count
    levels = {level: sum(s.level == level for s in statuses) for level in LEVELS}
    return AreaStatus(
        code=code,
        grids=len(current),
        unstaffed=sum(s.worker is None for s in current),
        households=sum(s.households for s in current),
        population=sum(s.population for s in current),
        open=sum(s.open for s in statuses),
        stages=stages,
        urgent=sum(s.urgent for s in statuses),
        overdue=sum(s.overdue for s in statuses),
        due_soon=sum(s.due_soon for s in statuses),
        last_report=_last(s.last_report for s in statuses),
        last_visit=_last(s.last_visit for s in statuses),
        levels=levels,
        level=max((s.level for s in statuses), key=LEVELS.index, default=NORMAL),
    )


def status_of(row: GridRow, now: datetime, rules: Rules = RULES) -> GridStatus:
    """How a grid stands at `now`, from its row alone: what a notice brings is enough."""
    overdue = bisect_left(row.dues, micros(now))
    due_soon = bisect_right(row.dues, micros(now + rules.due_soon)) - overdue
    open_ = sum(row.stages.values())
    reasons = tuple(
        reason
        for reason, holds in (
            ("overdue", overdue > 0),
            ("urgent", row.urgent > 0),
            ("due_soon", due_soon > 0),
            ("busy", open_ >= rules.busy),
            ("quiet", _quiet(row, now, rules)),
        )
        if holds
    )
    level = ALARM if ALARMS.intersection(reasons) else ATTENTION if reasons else NORMAL
    return GridStatus(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        community=row.code[:12],
        street=row.code[:9],
        households=row.households,
        population=row.population,
        worker=row.worker,
        team=row.team,
        retired_at=row.retired_at,
        open=open_,
        stages=dict(row.stages),
        urgent=row.urgent,
        overdue=overdue,
        due_soon=due_soon,
        last_report=row.last_report,
        last_visit=row.last_visit,
        level=level,
        reasons=reasons,
    )


def _quiet(row: GridRow, now: datetime, rules: Rules) -> bool:
    """A worker on duty with no visit recorded in the grid since they took it over, or
    since their last one, for `rules.quiet`."""
    if row.retired_at is not None or row.worker is None or row.staffed_at is None:
        return False
    seen = row.staffed_at if row.last_visit is None else latest(row.staffed_at, row.last_visit)
    return now - seen >= rules.quiet


def _last(instants: Iterable[datetime | None]) -> datetime | None:
    return max((at for at in instants if at is not None), default=None)
