"""Visits (走访): recording a visit and the needs found on it, turning a need into a case;
and visit coverage — visits done against visits due this quarter, per tag."""

from __future__ import annotations

import strawberry

from api.auth import SignedIn, read_area
from api.context import Info
from api.errors import area_code
from api.mapping import mapped
from api.outcomes import Outcome, command, mutation
from api.time_travel import AsOf, views_as_of
from domain.visits import Need
from projections import visit_coverage


@strawberry.input(description="A need found on a visit; it may become a case of its category.")
class NeedInput:
    category: str
    description: str


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


@strawberry.type
class Mutation:
    @mutation("Record a visit to a household (走访): what was found, and any needs.")
    async def record_visit(
        self,
        info: Info,
        household: str,
        findings: str,
        needs: list[NeedInput] | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        raised = tuple(Need(n.category, n.description) for n in needs or ())
        return await command(info, app.record_visit, household, findings, needs=raised, key=key)

    @mutation("Report a need found on a visit as a case (its number is the answer's).")
    async def report_need(
        self, info: Info, household: str, visit: int, need: int, key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.report_need, household, visit, need, key=key)
