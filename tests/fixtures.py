"""The closed-loop fixtures: the application on a store of each kind, a small map of four
square grids, one actor per role, and cases brought to each stage of the loop by real
commands. Unit tests get the in-memory store (tests/unit/conftest.py); the same tests run
again on SQLite and PostgreSQL from tests/integration."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from eventsourcing.domain import DomainEventProtocol

from domain.cases import Channel
from domain.components import ComponentOutcome
from domain.grids.district import Area, GridPlan
from domain.grids.geometry import Point, Ring
from domain.service import ComponentPlan, GridCenter, Recorded
from domain.staff import Actor, Role
from infra.calendar import load_work_calendar
from infra.catalog import load_catalog

TLS = ssl.create_default_context()
"""The TLS settings every HTTP client of the tests shares: httpx makes its own for each
client otherwise, loading the CA bundle each time (67 ms, a query's whole cost here)."""
UNBOUNDED_QUEUE = {"max_queue": None}
"""The connect arguments of every WebSocket client of the tests: a client closing a stream
it stopped reading (the whole log after its first event) must still read up to the
server's close reply. With websockets' default bound of 16 messages queued it stops
reading at the 17th, and waits out its 10-second close timeout instead."""
CST = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=CST)  # an ordinary working Monday
DISTRICT = "110101"
STREET = "110101001"
COMMUNITY = "110101001001"
OTHER_COMMUNITY = "110101001002"
GRID_A, GRID_B = "110101001001001", "110101001001002"  # north-west, north-east
GRID_C, GRID_D = "110101001002001", "110101001002002"  # south-west, south-east
IN_A = Point(116.405, 39.935)
IN_B = Point(116.415, 39.935)
IN_C = Point(116.405, 39.925)
OUTSIDE = Point(116.5, 39.8)
COVER = "1101010101000001"  # a water-supply manhole cover (C0101) in grid A


def square(west: float, south: float, east: float, north: float) -> Ring:
    return ((west, south), (east, south), (east, north), (west, north), (west, south))


ADMIN = Actor("A01", "管理员", Role.ADMIN, ("",))
OPERATOR = Actor("OP01", "王调度", Role.OPERATOR, (DISTRICT,))
WORKER_A = Actor("W001", "张网格", Role.GRID_WORKER, (GRID_A,))
WORKER_B = Actor("W002", "李网格", Role.GRID_WORKER, (GRID_B,))
SUPERVISOR = Actor("S001", "赵监督", Role.SUPERVISOR, (COMMUNITY,))
SANITATION = Actor("D-hwj-1", "环卫 刘", Role.DEPARTMENT, department="hwj")
CITY_MGMT = Actor("D-cgj-1", "城管 陈", Role.DEPARTMENT, department="cgj")
WATER = Actor("D-swj-1", "水务 周", Role.DEPARTMENT, department="swj")
RESIDENT = Actor("public:13800000000", "市民", Role.PUBLIC)
WATCHER = Actor("system:deadline-watch", "deadline watch", Role.SYSTEM)
AUDITOR = Actor("AU01", "审计 孙", Role.AUDITOR, ("",))


@pytest.fixture(scope="session")
def catalog() -> Any:
    return load_catalog()


@pytest.fixture(scope="session")
def calendar() -> Any:
    return load_work_calendar(today=MONDAY.date())


@pytest.fixture(scope="session")
def app_factory(catalog: Any, calendar: Any) -> Callable[[str], GridCenter]:
    """A fresh application on the given store, with the small map already drawn."""

    def make(store_url: str) -> GridCenter:
        env = {"PERSISTENCE_MODULE": "infra.event_store", "GRIDCENTER_DATABASE_URL": store_url}
        application = GridCenter(catalog, calendar, district=DISTRICT, env=env)
        drawn = MONDAY - timedelta(days=365)
        outline = square(116.40, 39.92, 116.42, 39.94)
        application.draw_district("东城区", "Dongcheng", outline, ADMIN, drawn)
        application.draw_map(
            streets=[Area(STREET, "东华门街道", "Donghuamen")],
            communities=[
                Area(COMMUNITY, "多福巷社区", "Duofuxiang"),
                Area(OTHER_COMMUNITY, "韶九社区", "Shaojiu"),
            ],
            grids=[
                GridPlan(
                    GRID_A, "第1网格", "Grid 1", square(116.40, 39.93, 116.41, 39.94), 300, 900
                ),
                GridPlan(
                    GRID_B, "第2网格", "Grid 2", square(116.41, 39.93, 116.42, 39.94), 280, 800
                ),
                GridPlan(
                    GRID_C, "第1网格", "Grid 1", square(116.40, 39.92, 116.41, 39.93), 310, 950
                ),
                GridPlan(
                    GRID_D, "第2网格", "Grid 2", square(116.41, 39.92, 116.42, 39.93), 290, 870
                ),
            ],
            by=ADMIN,
            at=drawn,
        )
        cover = ComponentPlan(COVER, Point(116.401, 39.931), owner="swj", maintainer="swj")
        application.register_components([cover], ADMIN, drawn)
        return application

    return make


@pytest.fixture
def app(app_factory: Callable[[str], GridCenter], store_url: str) -> Iterator[GridCenter]:
    application = app_factory(store_url)
    yield application
    application.close()


def events_since(app: GridCenter, position: int) -> list[DomainEventProtocol[Any]]:
    """The events recorded after `position`, decoded, in log order."""
    notifications = app.recorder.select_notifications(
        start=position, limit=10_000, inclusive_of_start=False
    )
    return [app.mapper.to_domain_event(n) for n in notifications]


def names_since(app: GridCenter, position: int) -> list[str]:
    return [type(e).__name__ for e in events_since(app, position)]


def head(app: GridCenter) -> int:
    return app.recorder.max_notification_id() or 0


def refused(
    app: GridCenter, command: Callable[[], object], error: type[Exception], match: str
) -> None:
    """The command is refused with `error` and the log is left exactly as it was."""
    before = head(app)
    with pytest.raises(error, match=match):
        command()
    assert head(app) == before


class Loop:
    """Brings a fresh case through the closed loop by the same commands a client sends."""

    def __init__(self, app: GridCenter) -> None:
        self.app = app
        self.at = MONDAY + timedelta(hours=1)  # 10:00

    def tick(self, minutes: int = 10) -> datetime:
        self.at += timedelta(minutes=minutes)
        return self.at

    def reported(
        self,
        category: str = "E0101",
        channel: Channel = Channel.PATROL,
        component: str | None = None,
    ) -> int:
        by = {Channel.PATROL: WORKER_A, Channel.APP: RESIDENT, Channel.HOTLINE: OPERATOR}[channel]
        recorded = self.app.report_case(
            channel=channel,
            category=category,
            location=IN_A,
            description="垃圾堆放在路边 / garbage piled by the road",
            by=by,
            at=self.tick(),
            component=component,
        )
        assert recorded.number is not None
        return recorded.number

    def filed(self, urgent: bool = False, **report: Any) -> int:
        number = self.reported(**report)
        self.app.file_case(number, by=OPERATOR, at=self.tick(), urgent=urgent)
        return number

    def dispatched(self, **report: Any) -> int:
        number = self.filed(**report)
        self.app.dispatch_case(number, by=OPERATOR, at=self.tick())
        return number

    def accepted(self, **report: Any) -> int:
        number = self.dispatched(**report)
        self.app.accept_case(number, by=SANITATION, at=self.tick())
        return number

    def handled(self, **report: Any) -> int:
        number = self.accepted(**report)
        self.app.handle_case(number, note="已清运 / cleared", by=SANITATION, at=self.tick())
        return number

    def verified(self, **report: Any) -> int:
        number = self.handled(**report)
        self.app.verify_case(number, passed=True, note="现场已干净", by=WORKER_A, at=self.tick())
        return number

    def closed(self, **report: Any) -> int:
        number = self.verified(**report)
        self.app.close_case(number, by=OPERATOR, at=self.tick())
        return number


@pytest.fixture
def loop(app: GridCenter) -> Loop:
    return Loop(app)


def fix_cover(app: GridCenter, loop: Loop, number: int) -> Recorded:
    app.accept_case(number, by=WATER, at=loop.tick())
    return app.handle_case(
        number,
        note="井盖已补齐",
        by=WATER,
        at=loop.tick(),
        component_outcome=ComponentOutcome.REPAIRED,
    )


@pytest.fixture
def case_reported(loop: Loop) -> int:
    return loop.reported()


@pytest.fixture
def case_filed(loop: Loop) -> int:
    return loop.filed()


@pytest.fixture
def case_dispatched(loop: Loop) -> int:
    return loop.dispatched()


@pytest.fixture
def case_accepted(loop: Loop) -> int:
    return loop.accepted()


@pytest.fixture
def case_handled(loop: Loop) -> int:
    return loop.handled()


@pytest.fixture
def case_verified(loop: Loop) -> int:
    return loop.verified()


@pytest.fixture
def case_closed(loop: Loop) -> int:
    return loop.closed()
