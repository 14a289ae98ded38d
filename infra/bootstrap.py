"""Wiring in one place: settings in, a ready application out. Nothing connects at import."""

from __future__ import annotations

from domain.service import GridCenter
from infra.calendar import load_work_calendar
from infra.catalog import load_catalog
from infra.settings import Settings


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
