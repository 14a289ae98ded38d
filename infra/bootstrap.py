"""Wiring in one place: settings in, a ready application out. Nothing connects at import."""

from __future__ import annotations

from contextlib import suppress
from threading import Event, Thread

from domain.errors import NotFound
from domain.service import GridCenter, Recorded
from infra.calendar import load_work_calendar
from infra.catalog import load_catalog
from infra.event_store import EventLog
from infra.leases import open_leases
from infra.metrics import EVENTS_APPENDED
from infra.redis_bus import open_bus
from infra.settings import Settings
from infra.workers import ViewWorker
from projections import VIEWS
from projections.bus import Bus, EventsRecorded
from projections.runner import BATCH, ProjectionRunner
from projections.store import open_view_store
from projections.time_travel import TimeMachine


def build_application(settings: Settings) -> GridCenter:
    """The application on the configured event store, with the catalog and the calendar."""
    catalog = load_catalog(settings.catalog_file)
    calendar = load_work_calendar(
        settings.calendar_file, zone=settings.zone, work_hours=settings.work_hours
    )
    env = {
        "PERSISTENCE_MODULE": "infra.event_store",
        "GRIDCENTER_DATABASE_URL": settings.database_url,
    }
    return GridCenter(
        catalog, calendar, district=settings.district, warn_share=settings.warn_share, env=env
    )


def build_projections(
    settings: Settings, app: GridCenter, bus: Bus | None = None, batch: int = BATCH
) -> ProjectionRunner:
    """The runner of every view, its tables in the events' own database."""
    return ProjectionRunner(
        event_log(app), open_view_store(settings.database_url), VIEWS, bus, batch
    )


def event_log(app: GridCenter) -> EventLog:
    """The application's log, as the views and the benchmarks read it."""
    log = app.recorder
    if not isinstance(log, EventLog):
        raise TypeError("the views need the log of infra.event_store")
    return log


class Services:
    """What a server process runs: the application, the views (folded here, by the views'
    leases, unless the deployment leaves them to `gridcenter project` workers), the bus
    their notices go to, and the time machine that folds views of the past. Built and
    closed by the API's lifespan; synchronous, so the API calls into it from worker
    threads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = build_application(settings)
        self.log = event_log(self.app)
        self.bus = open_bus(settings.redis_url)
        self.views = open_view_store(settings.database_url)
        self.views.prepare(VIEWS)
        self.worker: ViewWorker | None = None
        if settings.views == "serve":
            leases = open_leases(settings.database_url)
            self.worker = ViewWorker(self.log, self.views, VIEWS, leases, self.bus)
        self.time_machine = TimeMachine(self.log)
        self._stop = Event()
        self._following: Thread | None = None

    @property
    def position(self) -> int:
        """The position every view has reached, as committed."""
        positions = self.views.positions()
        return min((positions.get(view.name, 0) for view in VIEWS), default=0)

    def recorded(self, written: Recorded) -> None:
        """A command was recorded here: count its events and tell other processes."""
        if written.positions and not written.replayed:
            EVENTS_APPENDED.inc(len(written.positions))
            self.bus.publish(EventsRecorded(max(written.positions)))

    def start(self) -> None:
        """Read the map that every report looks up (its history is long: the first
        report should not wait for it); catch the views this process holds up, then keep
        them current on a thread."""
        with suppress(NotFound):  # not drawn yet
            self.app.map()
        if self.worker is not None:
            self.worker.catch_up()
            self._following = Thread(target=self.worker.run, args=(self._stop,), name="worker")
            self._following.start()

    def close(self) -> None:
        self._stop.set()
        if self._following is not None:
            self._following.join(timeout=30)
        self.bus.close()
        self.views.close()
        self.app.close()
