"""The live simulator: a city's worth of clients sending commands through the application.

A discrete-event loop over processes (generators that yield the instant they next act):
reports arriving by time of day, each case's life (infra/demo/script.py), household
visits, and the deadline watch. It can run a stretch of history as fast as it goes and
then keep pace with the wall clock."""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from threading import Event
from typing import Any

from domain.cases import Case, Channel
from domain.deadlines import TimeUnit, add_time
from domain.errors import DomainError
from domain.events import topics_of
from domain.grids.geometry import Point
from domain.service import GridCenter, Recorded
from domain.staff import Actor, Role
from domain.visits import Need
from infra.demo import mix, people
from infra.demo.city import random_point_in
from infra.demo.script import life
from infra.watcher import DeadlineWatch

log = logging.getLogger("gridcenter.simulator")
Process = Iterator[datetime]
WATCH_EVERY = timedelta(minutes=5)


class Simulator:
    def __init__(
        self, app: GridCenter, start: datetime, rate: float = 120.0, seed: int = 1
    ) -> None:
        """`rate`: reports an hour on average over a day; visits run at about 1.5× that."""
        self.app, self.now, self.rate = app, start, rate
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self._queue: list[tuple[datetime, int, Process]] = []
        self._order = itertools.count()
        self._actors: dict[str, Actor] = {}
        self._recent: dict[tuple[str, str], int] = {}
        district = app.map()
        self.zone = app.calendar.zone
        self._grids = sorted(
            (g for g in district.grids.values() if g.retired_at is None), key=lambda g: g.code
        )
        self._grid_weights = [g.population for g in self._grids]
        self._community_names = {code: area.name_zh for code, area in district.communities.items()}
        self._components = _components(app)
        self._departments = [d.code for d in app.catalog.departments]

    # Running ------------------------------------------------------------------------------

    def start(self, open_cases: list[int]) -> None:
        """Schedule the city's processes, and pick up the cases already under way."""
        self.spawn(self._arrivals(), self.now)
        self.spawn(self._visits(), self.now)
        self.spawn(self._watch(DeadlineWatch(self.app)), self.now)
        for number in open_cases:
            self.spawn(life(self, number), self.now + timedelta(seconds=self.rng.uniform(0, 600)))

    def spawn(self, process: Process, at: datetime) -> None:
        heapq.heappush(self._queue, (at, next(self._order), process))

    def run_until(
        self, until: datetime, progress: Callable[[datetime], None] | None = None
    ) -> None:
        """Play everything due before `until` as fast as it goes."""
        while self._queue and self._queue[0][0] <= until:
            self._step()
            if progress is not None and self.counts.total() % 500 == 0:
                progress(self.now)
        self.now = max(self.now, until)

    def run_live(self, stop: Event, on_step: Callable[[], None] | None = None) -> None:
        """Keep pace with the wall clock until `stop` is set."""
        while not stop.is_set() and self._queue:
            wait = (self._queue[0][0] - datetime.now(UTC)).total_seconds()
            if wait > 0 and stop.wait(min(wait, 1.0)):
                return
            if wait <= 0:
                self._step()
                if on_step is not None:
                    on_step()

    def _step(self) -> None:
        at, _, process = heapq.heappop(self._queue)
        self.now = max(self.now, at)
        wake = next(process, None)
        if wake is not None:
            self.spawn(process, max(wake, self.now))

    def act(self, command: Callable[..., Recorded], *args: Any, **kwargs: Any) -> Recorded | None:
        """Send one command as its actor would; a refusal is counted, never fatal."""
        try:
            recorded = command(*args, at=self.now, **kwargs)
        except DomainError as refusal:
            self.errors[f"{command.__name__}: {type(refusal).__name__}"] += 1
            log.warning("simulated %s refused: %s", command.__name__, refusal)
            return None
        self.counts[command.__name__] += 1
        return recorded

    # The city's processes ----------------------------------------------------------------

    def _arrivals(self) -> Process:
        peak = max(mix.HOURLY)
        while True:
            yield self.now + timedelta(hours=self.rng.expovariate(self.rate * peak))
            if self.rng.random() * peak < mix.HOURLY[self.now.astimezone(self.zone).hour]:
                recorded = self._report()
                if recorded is not None and recorded.number is not None:
                    self.spawn(life(self, recorded.number), self.now)

    def _report(self) -> Recorded | None:
        channel = mix.choose_channel(self.rng)
        if channel in (Channel.PATROL, Channel.SUPERVISOR) and not self._daytime():
            channel = self.rng.choice((Channel.HOTLINE, Channel.VIDEO))  # nobody patrols at night
        category = mix.choose(self.rng, mix.CATEGORIES[channel])
        component, location = self._place(category)
        grid = self.app.locate(location, self.now)
        public = channel in (Channel.APP, Channel.OPEN311)
        by = {
            Channel.PATROL: lambda: self.worker(grid),
            Channel.SUPERVISOR: lambda: self.supervisor(grid),
        }.get(channel, lambda: self.resident() if public else self.operator())()
        calls = channel in (Channel.HOTLINE, Channel.APP, Channel.OPEN311)
        name = self.app.catalog.category(category).name.zh
        return self.act(
            self.app.report_case,
            channel=channel,
            category=category,
            location=location,
            description=f"{name}：{self._community_names[grid[:12]]}{self.rng.randint(1, 40)}号",
            by=by,
            photos=(f"photo://{uuid.UUID(int=self.rng.getrandbits(128))}.jpg",),
            component=component,
            reporter_name=people.person(self.rng) if calls else None,
            reporter_phone=people.phone(self.rng) if calls else None,
        )

    def _place(self, category: str) -> tuple[str | None, Point]:
        if category in self._components:
            code, location = self.rng.choice(self._components[category])
            return code, location
        grid = self.rng.choices(self._grids, weights=self._grid_weights)[0]
        return None, random_point_in(grid.shapes[-1][1], self.rng)

    def _visits(self) -> Process:
        while True:
            yield self.now + timedelta(hours=self.rng.expovariate(self.rate * 1.5 * 2.5))
            if not self._daytime(9, 18):
                continue
            grid = self.rng.choice(self._grids)
            home = f"{grid.code}{self.rng.randint(1, grid.households):04d}"
            needs: tuple[Need, ...] = ()
            if self.rng.random() < 0.08:
                category = mix.choose(self.rng, mix.NEEDS)
                needs = (Need(category, self.app.catalog.category(category).name.zh),)
            worker = self.worker(grid.code)
            recorded = self.act(
                self.app.record_visit,
                home,
                findings=self.rng.choice(mix.FINDINGS),
                by=worker,
                needs=needs,
            )
            if recorded is not None and needs and self.rng.random() < 0.6:
                self.spawn(self._refer(home, recorded.number or 0, worker), self.field(10, 60))

    def _refer(self, home: str, visit: int, worker: Actor) -> Process:
        recorded = self.act(self.app.report_need, home, visit=visit, need=1, by=worker)
        if recorded is not None and recorded.number is not None:
            yield from life(self, recorded.number)

    def _daytime(self, start: int = 8, end: int = 20) -> bool:
        return start <= self.now.astimezone(self.zone).hour < end

    def _watch(self, watch: DeadlineWatch) -> Process:
        while True:
            yield self.now + WATCH_EVERY
            watch.run_once(self.now)

    # Who acts and when ---------------------------------------------------------------------

    def worker(self, grid: str) -> Actor:
        return self._actor(people.worker_code(grid))

    def supervisor(self, grid: str) -> Actor:
        return self._actor(people.supervisor_code(grid[:12]))

    def operator(self) -> Actor:
        return self._actor(self.rng.choice(people.operator_codes()))

    def staff_of(self, department: str | None) -> Actor:
        return self._actor(self.rng.choice(people.department_codes(department or "")))

    def resident(self) -> Actor:
        return Actor(f"public:{people.phone(self.rng)}", "市民", Role.PUBLIC)

    def other_department(self, default: str, avoid: tuple[str, ...]) -> str:
        choices = [d for d in self._departments if d != default and d not in avoid]
        return self.rng.choice(choices)

    def center(self, low: float, high: float) -> datetime:
        """The command center works around the clock."""
        return self.now + timedelta(minutes=self.rng.uniform(low, high))

    def field(self, low: float, high: float) -> datetime:
        """Grid workers go out between 08:00 and 20:00."""
        at = (self.now + timedelta(minutes=self.rng.uniform(low, high))).astimezone(self.zone)
        if at.hour >= 20:
            at = (at + timedelta(days=1)).replace(hour=8, minute=self.rng.randint(0, 59))
        elif at.hour < 8:
            at = at.replace(hour=8, minute=self.rng.randint(0, 59))
        return at

    def work(self, low: float, high: float) -> datetime:
        """Departments act in work time."""
        minutes = timedelta(minutes=self.rng.uniform(low, high))
        return add_time(self.now, minutes, TimeUnit.WORK_HOURS, self.app.calendar)

    def open_case_like(self, case: Case) -> int | None:
        """A case of the same category filed in the same grid not long ago: a duplicate's target."""
        number = self._recent.get((case.grid, case.category))
        if number is None or number == case.number or not self.app.case(number).stage.is_open:
            return None
        return number

    def remember(self, case: Case) -> None:
        self._recent[(case.grid, case.category)] = case.number

    def _actor(self, code: str) -> Actor:
        if code not in self._actors:
            self._actors[code] = self.app.actor(code)
        return self._actors[code]


def _components(app: GridCenter) -> dict[str, list[tuple[str, Point]]]:
    """Component codes and places by class, from the register in the log."""
    found: dict[str, list[tuple[str, Point]]] = {}
    position = 0
    topics = topics_of(["ComponentRegistered"])
    while page := app.recorder.select_notifications(
        position, 5000, topics=topics, inclusive_of_start=False
    ):
        for notification in page:
            event: Any = app.mapper.to_domain_event(notification)
            found.setdefault(event.category, []).append((event.code, event.location))
        position = page[-1].id
    return found


def open_cases(app: GridCenter) -> list[int]:
    """The cases still open in the log, so a restarted demo carries on with them."""
    ended = {"CaseClosed", "CaseRejected", "CaseMerged"}
    numbers: dict[Any, int] = {}
    open_now: set[int] = set()
    position = 0
    topics = topics_of(["CaseReported", *sorted(ended)])
    while page := app.recorder.select_notifications(
        position, 5000, topics=topics, inclusive_of_start=False
    ):
        for notification in page:
            event: Any = app.mapper.to_domain_event(notification)
            if type(event).__name__ == "CaseReported":
                numbers[event.originator_id] = event.number
                open_now.add(event.number)
            else:
                open_now.discard(numbers.get(event.originator_id, -1))
        position = page[-1].id
    return sorted(open_now)


def any_cases(app: GridCenter) -> bool:
    """Whether the log holds a case yet: a freshly seeded city gets some history first."""
    topics = topics_of(["CaseReported"])
    return bool(app.recorder.select_notifications(1, 1, topics=topics))
