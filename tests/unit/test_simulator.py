"""The demo's simulator sends a realistic mix of commands like any client: every step of
the loop occurs, none is refused, reports follow the time of day, runs repeat, and a
restarted simulator carries on with the cases under way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from threading import Event, Thread
from typing import Any

import pytest

from domain.events import EVENT_NAMES
from domain.service import GridCenter
from infra.demo.city import CityPlan, CommunityPlan, GridPlan, StreetPlan
from infra.demo.seed import seed_city
from infra.demo.simulator import Simulator, open_cases
from tests.fixtures import (
    COMMUNITY,
    GRID_A,
    GRID_B,
    GRID_C,
    GRID_D,
    MONDAY,
    OTHER_COMMUNITY,
    STREET,
    square,
)

TOWN = CityPlan(
    outline=square(116.40, 39.92, 116.42, 39.94),
    streets=(StreetPlan(STREET, "东华门街道", "Donghuamen Subdistrict"),),
    communities=(
        CommunityPlan(COMMUNITY, "多福巷社区", "Duofuxiang Community", STREET),
        CommunityPlan(OTHER_COMMUNITY, "韶九社区", "Shaojiu Community", STREET),
    ),
    grids=tuple(
        GridPlan(code, f"第{n}网格", f"Grid {n}", code[:12], ring, 40, 110)
        for n, (code, ring) in enumerate(
            [
                (GRID_A, square(116.40, 39.93, 116.41, 39.94)),
                (GRID_B, square(116.41, 39.93, 116.42, 39.94)),
                (GRID_C, square(116.40, 39.92, 116.41, 39.93)),
                (GRID_D, square(116.41, 39.92, 116.42, 39.93)),
            ],
            start=1,
        )
    ),
)
NOT_SIMULATED = {
    # the map, the register and the roster are drawn once, by the seeding
    "DistrictDrawn", "StreetAdded", "CommunityAdded", "GridDrawn", "GridsRedrawn",
    "GridRetired", "GridStaffed", "StaffEnrolled", "StaffReassigned", "StaffLeft",
    "ComponentRegistered", "HouseholdRegistered", "HouseholdTagged", "HouseholdUntagged",
    "HouseholdMovedOut", "ComponentRemoved", "ReceiptIssued",
    # access is given by admins, not by the city's life
    "TokenIssued", "TokenRevoked",
}  # fmt: skip


def new_town(catalog: Any, calendar: Any) -> GridCenter:
    """An empty store with a small town seeded the way the demo seeds Dongcheng."""
    env = {"PERSISTENCE_MODULE": "infra.event_store", "GRIDCENTER_DATABASE_URL": "memory:"}
    app = GridCenter(catalog, calendar, district="110101", env=env)
    seed_city(app, TOWN, seed=7)
    return app


@pytest.fixture
def town(catalog: Any, calendar: Any) -> Iterator[GridCenter]:
    app = new_town(catalog, calendar)
    yield app
    app.close()


def simulate(app: GridCenter, days: float, seed: int = 7, rate: float = 10) -> Simulator:
    simulator = Simulator(app, start=MONDAY, rate=rate, seed=seed)
    simulator.start(open_cases(app))
    simulator.run_until(MONDAY + timedelta(days=days))
    return simulator


@pytest.fixture(scope="module")
def week(catalog: Any, calendar: Any) -> Iterator[tuple[GridCenter, Simulator, int]]:
    """A town, the position its seeding ended at, and a simulated week after it."""
    app = new_town(catalog, calendar)
    seeded = app.recorder.max_notification_id() or 0
    yield app, simulate(app, days=7), seeded
    app.close()


def test_a_simulated_week_takes_cases_through_every_step_without_a_refusal(
    week: tuple[GridCenter, Simulator, int],
) -> None:
    app, simulator, seeded = week
    assert not simulator.errors
    happened = Counter(
        n.topic.rsplit(".", 1)[-1]
        for n in app.recorder.select_notifications(seeded, 1_000_000, inclusive_of_start=False)
    )
    missing = [n for n in EVENT_NAMES if n not in NOT_SIMULATED and not happened[n]]
    assert not missing, missing
    assert happened["CaseReported"] > 500


def test_reports_follow_the_time_of_day(week: tuple[GridCenter, Simulator, int]) -> None:
    app, _, seeded = week
    hours: Counter[int] = Counter()
    for notification in app.recorder.select_notifications(
        seeded, 1_000_000, inclusive_of_start=False
    ):
        if notification.topic.endswith("CaseReported"):
            event: Any = app.mapper.to_domain_event(notification)
            hours[event.at.astimezone(app.calendar.zone).hour] += 1
    assert hours[10] > 4 * hours[3]


def test_the_same_seed_simulates_the_same_city(catalog: Any, calendar: Any) -> None:
    runs = []
    for _ in range(2):
        app = new_town(catalog, calendar)
        simulate(app, days=1)
        notifications = app.recorder.select_notifications(1, 1_000_000)
        runs.append(
            [(n.topic, app.mapper.to_domain_event(n).__dict__.get("at")) for n in notifications]
        )
        app.close()
    assert runs[0] == runs[1]


def test_a_restarted_simulator_carries_on_with_the_cases_under_way(town: GridCenter) -> None:
    simulate(town, days=0.5)
    under_way = open_cases(town)
    assert under_way
    later = Simulator(town, start=MONDAY + timedelta(days=0.5), rate=10, seed=8)
    later.start(under_way)
    later.run_until(MONDAY + timedelta(days=4))
    assert not later.errors
    still_open = set(open_cases(town)) & set(under_way)
    assert len(still_open) < len(under_way) / 5


def test_live_the_simulator_keeps_pace_with_the_wall_clock(town: GridCenter) -> None:
    now = datetime.now(UTC)
    simulator = Simulator(town, start=now - timedelta(minutes=30), rate=3000, seed=3)
    simulator.start([])
    stop, steps = Event(), []
    worker = Thread(target=simulator.run_live, args=(stop, lambda: steps.append(simulator.now)))
    worker.start()
    stop.wait(3)
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert steps and not simulator.errors
    assert steps == sorted(steps)
    assert max(steps) <= datetime.now(UTC)  # nothing from the future was played
    assert simulator.counts["report_case"] > 0
