"""The monthly analysis (民情分析): reports of a month by category and channel in an
area, with the change against the month before."""

from __future__ import annotations

import strawberry

from api.auth import SignedIn, read_area
from api.context import Info
from api.errors import BadInput, area_code
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from projections import monthly_analysis


@strawberry.type(description="Reports under one heading: a category, a channel or 'all'.")
class Change:
    heading: str
    reports: int
    previous: int
    change: int
    relative: float | None = strawberry.field(
        description="change / previous; null when the month before had none."
    )


@strawberry.type
class Analysis:
    month: str
    previous: str
    area: str
    total: Change
    categories: list[Change] = strawberry.field(description="Most reports first.")
    channels: list[Change]


@strawberry.type
class Query:
    @strawberry.field(
        description="A month ('2026-03') in an area ('' for the district).",
        permission_classes=[SignedIn],
    )
    async def monthly_analysis(
        self, info: Info, month: str, area: str = "", as_of: AsOf | None = None
    ) -> Analysis:
        read_area(info.context.caller, area_code(area))
        views, _, _ = await views_as_of(info, as_of, monthly_analysis)
        try:
            found = await info.context.call(monthly_analysis.analysis, views, month, area or None)
        except ValueError as error:  # not a month
            raise BadInput(str(error)) from None
        return Analysis(
            month=found.month,
            previous=found.previous,
            area=found.area,
            total=mapped(Change, found.total),
            categories=[mapped(Change, change) for change in found.categories],
            channels=[mapped(Change, change) for change in found.channels],
        )

    @strawberry.field(
        description="The months with reports, oldest first.", permission_classes=[SignedIn]
    )
    async def report_months(self, info: Info, as_of: AsOf | None = None) -> list[str]:
        read_area(info.context.caller, "")
        views, _, _ = await views_as_of(info, as_of, monthly_analysis)
        return await info.context.call(monthly_analysis.months, views)
