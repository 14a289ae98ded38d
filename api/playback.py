"""Replay (回放) for auditors: a period of the log played back at a chosen speed. The views
the wall map reads are taken as they stood at the period's start (the time machine folds
them, projections/time_travel.py), then folded on in memory a slice at a time as the
replay clock runs — `speed` seconds of business time a second — and each frame says what
changed: the grids recoloured, the markers of cases reported, moved on or ended, the
events of the slice, and the day's headline figures at the replay clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import strawberry

from api.auth import SignedIn, read_area, read_history
from api.case_markers import CaseMarker
from api.context import Info
from api.errors import BadInput, area_code
from api.events import Event, event_of
from api.grids import GridStatus
from api.headline import Headline
from api.headline import read as read_headline
from api.mapping import mapped
from domain.events import topics_of
from infra.event_store import EventLog
from projections import assessment, case_board, case_markers, grid_status, headline
from projections.assessment import grids as assessment_grids
from projections.bus import Bus, Notice, ViewChanged
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from projections.time_travel import TimeMachine

VIEWS = (grid_status, case_markers, headline, assessment, assessment_grids)
"""What a frame reads."""
TICK = 0.5
"""Wall-clock seconds between frames."""
LONGEST = timedelta(days=31)
FASTEST = 7 * 86_400.0
EVENTS_A_FRAME = 200
"""The newest events of a slice that a frame carries (a fast replay's slice holds more)."""
FEED = sorted(case_board.events | {"DeadlineWarned"})
"""The events a frame carries: those of cases."""


@strawberry.type(description="One step of a replay: what changed since the last frame.")
class ReplayFrame:
    at: datetime = strawberry.field(description="The replay clock.")
    position: int = strawberry.field(description="The last position played.")
    done: bool
    grids: list[GridStatus] = strawberry.field(
        description="The grids whose status changed (every grid in the first frame)."
    )
    markers: list[CaseMarker] = strawberry.field(
        description="Open cases reported or changed (every open case in the first frame)."
    )
    ended: list[str] = strawberry.field(description="Ids of cases whose markers went.")
    events: list[Event] = strawberry.field(description="The case events of the slice.")
    headline: Headline


@dataclass
class Replay:
    """The views folded from the period's start, moved on slice by slice."""

    log: EventLog
    machine: TimeMachine
    area: str
    start: datetime
    end: datetime
    store: MemoryViewStore = field(init=False)
    position: int = field(init=False)
    last: int = field(init=False)
    touched: dict[str, set[str]] = field(default_factory=dict)
    shown: dict[str, grid_status.GridStatus] = field(default_factory=dict)
    """Each grid as the last frame showed it."""

    def __post_init__(self) -> None:
        self.position = self.machine.position_at(self.start)
        self.last = self.machine.position_at(self.end)
        self.store = self.machine.at(self.position, VIEWS)
        bus = Bus()
        bus.subscribe(self._heard)
        self.runner = ProjectionRunner(self.log, self.store, VIEWS, bus)
        self.feed = topics_of(FEED)

    def _heard(self, notice: Notice) -> None:
        if not isinstance(notice, ViewChanged):
            return
        keys = notice.keys
        if keys is None and notice.view == case_markers.name:  # unknown: every open case
            keys = frozenset(m.id for m in case_markers.open_markers(self.store, self.area))
        self.touched.setdefault(notice.view, set()).update(str(key) for key in keys or ())

    def first(self, at: datetime) -> ReplayFrame:
        markers = case_markers.open_markers(self.store, self.area)
        return self._frame(at, self._grids(at), markers, [], [])

    def _grids(self, at: datetime) -> list[grid_status.GridStatus]:
        """The grids whose status differs from what the last frame showed: moved by an
        event, or by the clock alone (a deadline passing, a visit falling due)."""
        now = grid_status.grids(self.store, at, self.area or None)
        changed = [g for g in now if self.shown.get(g.code) != g]
        self.shown.update((g.code, g) for g in changed)
        return changed

    def step(self, at: datetime) -> ReplayFrame:
        """Fold on up to the replay clock `at` and tell what changed."""
        before = self.position
        target = min(self.machine.position_at(at), self.last)
        if target > before:
            self.runner.catch_up(up_to=target)
            self.position = target
        touched, self.touched = self.touched, {}
        grids = self._grids(at)
        ids = sorted(touched.get(case_markers.name, ()))
        markers = [
            m for m in case_markers.of_cases(self.store, ids) if m.grid.startswith(self.area)
        ]
        ended = sorted(set(ids) - {m.id for m in case_markers.of_cases(self.store, ids)})
        rows = self.log.scan(max(before, self.position - 5000), 5000, self.feed)
        events = [event_of(r) for r in rows if before < r[0] <= self.position][-EVENTS_A_FRAME:]
        return self._frame(at, grids, markers, ended, events)

    def _frame(
        self,
        at: datetime,
        grids: list[grid_status.GridStatus],
        markers: list[case_markers.Marker],
        ended: list[str],
        events: list[Event],
    ) -> ReplayFrame:
        return ReplayFrame(
            at=at,
            position=self.position,
            done=at >= self.end,
            grids=[mapped(GridStatus, g) for g in grids],
            markers=[mapped(CaseMarker, m) for m in markers],
            ended=ended,
            events=events,
            headline=read_headline(self.store, self.area, at),
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Replay a period (at most 31 days) of the grids, open cases, events "
        "and headline figures under an area code, `speed` seconds of business time each "
        "second (1 to 604,800). Auditors only.",
        permission_classes=[SignedIn],
    )
    async def replay(
        self,
        info: Info,
        start: datetime,
        end: datetime,
        speed: float = 600.0,
        area: str = "",
    ) -> AsyncGenerator[ReplayFrame, None]:
        viewer = info.context.caller
        read_history(viewer)
        code = area_code(area)
        read_area(viewer, code)
        if start.tzinfo is None or end.tzinfo is None:
            raise BadInput("start and end need a time zone, e.g. 2026-11-24T09:00:00+08:00")
        if not start < end <= start + LONGEST:
            raise BadInput("a replay runs forward over at most 31 days: start < end")
        if not 1 <= speed <= FASTEST:
            raise BadInput(f"speed is 1 to {FASTEST:,.0f} seconds of business time a second")
        services = info.context.services
        call = info.context.call
        played = await call(Replay, services.log, services.time_machine, code, start, end)
        yield await call(played.first, start)
        began, clock = time.monotonic(), start
        while clock < end:
            await asyncio.sleep(TICK)
            elapsed = time.monotonic() - began
            clock = min(end, start + timedelta(seconds=elapsed * speed))
            yield await call(played.step, clock)
