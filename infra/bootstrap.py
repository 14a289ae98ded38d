"""Wiring in one place: settings in, a ready application out. Nothing connects at import."""

from __future__ import annotations

from threading import Event, Thread

from domain.service import GridCenter
from infra.calendar import load_work_calendar
from infra.catalog import load_catalog
from infra.event_store import EventLog
from infra.settings import Settings
from projections import VIEWS
from projections.bus import Bus
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
    """What a server process runs: the application, the views and their runner following
    the log on a thread of its own, the bus their notices go to, and the time machine
    that folds views of the past. Built and closed by the API's lifespan; synchronous,
    so the API calls into it from worker threads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = build_application(settings)
        self.log = event_log(self.app)
        self.bus = Bus()
        self.runner = build_projections(settings, self.app, self.bus)
        self.views = self.runner.store
        self.time_machine = TimeMachine(self.log)
        self._stop = Event()
        self._following: Thread | None = None

    def start(self) -> None:
        """Catch the views up, then keep them current on a thread."""
        self.runner.catch_up()
        self._following = Thread(target=self.runner.run, args=(self._stop,), name="views")
        self._following.start()

    def close(self) -> None:
        self._stop.set()
        if self._following is not None:
            self._following.join(timeout=30)
        self.views.close()
        self.app.close()
