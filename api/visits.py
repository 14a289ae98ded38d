"""Visit coverage (走访覆盖): visits done against visits due this quarter, per tag."""

from __future__ import annotations

import strawberry

from api.auth import SignedIn, read_area
from api.context import Info
from api.errors import area_code
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from projections import visit_coverage


@strawberry.type(description="Under one household tag ('all', 'key', or a tag).")
class TagCoverage:
    tag: str
    households: int
    due: int
    done: int
    share: float | None = strawberry.field(description="done / due; null when none is due.")


@strawberry.type
class Coverage:
    area: str
    quarter: str
    tags: list[TagCoverage]


@strawberry.type
class Query:
    @strawberry.field(
        description="This quarter in an area (a grid, community, street; '' for all).",
        permission_classes=[SignedIn],
    )
    async def visit_coverage(
        self, info: Info, area: str = "", as_of: AsOf | None = None
    ) -> Coverage:
        read_area(info.context.caller, area_code(area))
        views, now, _ = await views_as_of(info, as_of, visit_coverage)
        found = await info.context.call(visit_coverage.coverage, views, now, area or None)
        tags = [mapped(TagCoverage, tag) for tag in found.tags]
        return Coverage(area=found.area, quarter=found.quarter, tags=tags)
