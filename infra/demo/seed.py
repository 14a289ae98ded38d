"""Seeding the demo city through the application, like an admin's first survey would:
staff, the map and the grid teams, then each grid's components and households.

The survey of the grids is split into chunks that worker processes record side by side
(both cores build aggregates and encode events; the store serialises the writes). Each
grid draws from its own random stream, so the city is the same however it is split."""

from __future__ import annotations

import logging
import multiprocessing
import random
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from domain.grids.district import Area
from domain.grids.district import GridPlan as MapGrid
from domain.service import ComponentPlan, GridCenter, HouseholdPlan
from domain.staff import Actor, Role
from infra.bootstrap import build_application
from infra.demo import people
from infra.demo.city import CityPlan, GridPlan, random_point_in
from infra.settings import Settings

SEEDED_AT = datetime(2025, 12, 31, 9, 0, tzinfo=timezone(timedelta(hours=8)))
"""The survey's instant: before any history the simulator makes up."""
ADMIN = Actor(people.ADMIN_CODE, "系统管理员", Role.ADMIN, ("",))
GRIDS_A_CHUNK = 24

COMPONENTS_PER_GRID = {
    "C0101": 9.0, "C0102": 8.0, "C0103": 6.0, "C0104": 3.0, "C0105": 3.0, "C0106": 2.0,
    "C0107": 1.2, "C0108": 1.5, "C0201": 9.0, "C0202": 0.6, "C0203": 2.0, "C0204": 1.0,
    "C0205": 0.4, "C0301": 6.0, "C0302": 0.35, "C0303": 1.0, "C0304": 1.2, "C0401": 10.0,
    "C0402": 0.6, "C0403": 3.0, "C0502": 0.05, "C0503": 0.5, "C0601": 0.8, "C0602": 0.5,
    "C0603": 1.5, "C0604": 0.8,
}  # fmt: skip
"""Expected components of each class in a grid: covers and lights everywhere, toilets rarer."""

Progress = Callable[[str, int, int], None]
"""(what, done, total): a progress bar's view of the seeding."""


@dataclass(frozen=True)
class Seeded:
    grids: int
    staff: int
    components: int
    households: int
    events: int


def seed_city(
    app: GridCenter,
    city: CityPlan,
    seed: int = 2004,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> Seeded:
    """Record a planned city; deterministic for a given seed. With `settings` of a shared
    store, two worker processes survey the grids; without, this process does."""
    report = progress or (lambda what, done, total: None)
    staff = seed_map(app, city, seed)
    report("map", len(city.grids), len(city.grids))
    chunks = [
        list(range(start, min(start + GRIDS_A_CHUNK, len(city.grids))))
        for start in range(0, len(city.grids), GRIDS_A_CHUNK)
    ]
    shared = settings is not None and not settings.database_url.startswith("memory:")
    counts = (
        _survey_in_parallel(settings, city, seed, chunks, report)
        if shared and settings is not None
        else _survey_here(app, city, seed, chunks, report)
    )
    return Seeded(
        grids=len(city.grids),
        staff=staff,
        components=sum(c for c, _ in counts),
        households=sum(h for _, h in counts),
        events=app.recorder.max_notification_id() or 0,
    )


def seed_map(app: GridCenter, city: CityPlan, seed: int = 2004) -> int:
    """The staff, the map and the grid teams of a planned city: seed_city without the
    survey of components and households (a benchmark of the live map needs no more).
    Returns how many staff."""
    rng = random.Random(seed)
    staff = people.staff(city, app.catalog, rng)
    app.enrol_staff(staff, ADMIN, SEEDED_AT)
    app.draw_district(city.name_zh, city.name_en, city.outline, ADMIN, SEEDED_AT)
    app.draw_map(
        streets=[Area(s.code, s.name_zh, s.name_en) for s in city.streets],
        communities=[Area(c.code, c.name_zh, c.name_en) for c in city.communities],
        grids=[
            MapGrid(g.code, g.name_zh, g.name_en, g.boundary, g.households, g.population)
            for g in city.grids
        ],
        by=ADMIN,
        at=SEEDED_AT,
    )
    app.staff_grids(
        {g.code: (people.worker_code(g.code), people.team(rng)) for g in city.grids},
        ADMIN,
        SEEDED_AT,
    )
    return len(staff)


def survey(app: GridCenter, city: CityPlan, seed: int, grids: Sequence[int]) -> tuple[int, int]:
    """Register the components and households of some grids; returns how many of each."""
    names = {c.code: c.name_zh for c in city.communities}
    components: list[ComponentPlan] = []
    households: list[HouseholdPlan] = []
    for index in grids:
        grid = city.grids[index]
        rng = random.Random(f"{seed}:{grid.code}")
        components += _components(app, city.district_code, index, grid, rng)
        households += people.households(grid, names[grid.community], rng)
    app.register_components(components, ADMIN, SEEDED_AT)
    for start in range(0, len(households), 4000):
        app.register_households(households[start : start + 4000], ADMIN, SEEDED_AT)
    return len(components), len(households)


def _survey_here(
    app: GridCenter, city: CityPlan, seed: int, chunks: list[list[int]], report: Progress
) -> list[tuple[int, int]]:
    counts, done = [], 0
    for chunk in chunks:
        counts.append(survey(app, city, seed, chunk))
        done += len(chunk)
        report("survey", done, len(city.grids))
    return counts


def _survey_in_parallel(
    settings: Settings, city: CityPlan, seed: int, chunks: list[list[int]], report: Progress
) -> list[tuple[int, int]]:
    total = sum(len(c) for c in chunks)
    counts, done = [], 0
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        2, mp_context=spawn, initializer=_start_worker, initargs=(settings, city, seed)
    ) as pool:
        futures: dict[Future[tuple[int, int]], int] = {
            pool.submit(_survey_chunk, chunk): len(chunk) for chunk in chunks
        }
        for future in as_completed(futures):
            counts.append(future.result())
            done += futures[future]
            report("survey", done, total)
    return counts


_worker: tuple[GridCenter, CityPlan, int] | None = None


def _start_worker(settings: Settings, city: CityPlan, seed: int) -> None:
    logging.getLogger("gridcenter.calendar").setLevel(logging.ERROR)  # said once, by the parent
    global _worker  # noqa: PLW0603 - one application per worker process
    _worker = (build_application(settings), city, seed)


def _survey_chunk(grids: list[int]) -> tuple[int, int]:
    assert _worker is not None, "the worker was not started"
    app, city, seed = _worker
    return survey(app, city, seed, grids)


def _components(
    app: GridCenter, district: str, index: int, grid: GridPlan, rng: random.Random
) -> Iterator[ComponentPlan]:
    """A grid's components; serials are the grid's index and a running number, so codes
    stay unique whichever process registers them."""
    running = 0
    for category, expected in COMPONENTS_PER_GRID.items():
        department = app.catalog.category(category).department
        for _ in range(int(expected) + (rng.random() < expected % 1)):
            running += 1
            yield ComponentPlan(
                code=f"{district}{category[1:]}{index + 1:03d}{running:03d}",
                location=random_point_in(grid.boundary, rng),
                owner=department,
                maintainer=department,
            )
