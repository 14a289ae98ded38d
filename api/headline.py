"""The headline figures of the wall: today's reports, filings, dispatches and closings,
the cases overdue now, and today's on-time closing rate (按期结案率, as the assessment
computes it, formula and version included) — for the district or any area."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import SignedIn, read_area
from api.context import Info
from api.errors import area_code
from api.time_travel import AsOf, views_as_of
from projections import assessment, grid_status, headline
from projections.assessment import grids as assessment_grids
from projections.periods import local_day
from projections.store import ViewStore

RATE = "on_time_closing_rate"


@strawberry.type(description="What happened in an area on one local day, and where it stands.")
class Headline:
    area: str
    day: str = strawberry.field(description="The local day (China Standard Time) counted.")
    at: datetime = strawberry.field(description="The instant the figures are read at.")
    reported: int = strawberry.field(description="Reports of every channel (上报).")
    filed: int
    rejected: int
    merged: int
    dispatched: int
    returned: int
    handled: int
    closed: int
    resolved_on_spot: int
    went_overdue: int = strawberry.field(description="Deadlines that passed that day.")
    overdue_now: int = strawberry.field(description="Open cases past their deadline now.")
    open_now: int
    on_time_closing_rate: float | None = strawberry.field(
        description="按期结案率 of the day in percent; null when nothing was due to close."
    )
    rate_formula: str
    rate_version: int


def read(views: ViewStore, area: str, at: datetime) -> Headline:
    counts = headline.day_counts(views, at, area)
    status = grid_status.area(views, area, at)
    day = local_day(at)
    figures = assessment.grid(views, area, "day", day).figures
    rate = next(f for f in figures if f.key == RATE)
    return Headline(
        area=area,
        day=day.isoformat(),
        at=at,
        reported=counts["reported"],
        filed=counts["filed"],
        rejected=counts["rejected"],
        merged=counts["merged"],
        dispatched=counts["dispatched"],
        returned=counts["returned"],
        handled=counts["handled"],
        closed=counts["closed"],
        resolved_on_spot=counts["resolved_on_spot"],
        went_overdue=counts["overdue"],
        overdue_now=status.overdue,
        open_now=status.open,
        on_time_closing_rate=None if rate.value is None else float(rate.value),
        rate_formula=rate.formula,
        rate_version=rate.version,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Today's figures of an area ('' for the district) for the wall; as of "
        "an instant, that day's up to then.",
        permission_classes=[SignedIn],
    )
    async def headline(self, info: Info, area: str = "", as_of: AsOf | None = None) -> Headline:
        code = area_code(area)
        read_area(info.context.caller, code)
        views, now, _ = await views_as_of(
            info, as_of, headline, grid_status, assessment, assessment_grids
        )
        return await info.context.call(read, views, code, now)
