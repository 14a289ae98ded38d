"""Assessment (绩效评价) figures: a department, a grid or area, a grid worker, over the
day, week or month holding a day — each figure with its formula and version."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from api.auth import DISTRICT_READERS, SignedIn, read_area, read_department
from api.context import Info
from api.errors import Refused, area_code
from api.time_travel import AsOf, views_as_of
from domain import assessment as formulas
from domain.staff import Role
from projections import assessment


@strawberry.enum
class Period(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@strawberry.type(description="One figure, with how it is computed; value null is no data.")
class Figure:
    key: str
    name: str
    value: float | None
    formula: str
    unit: str
    version: int


@strawberry.type
class Assessment:
    figures: list[Figure]
    composite: Figure
    grade: str | None = strawberry.field(description="A to E from the composite.")
    version: int = strawberry.field(description="The formula version.")


def _shown(found: formulas.Assessment) -> Assessment:
    def figure(f: formulas.Figure) -> Figure:
        value = None if f.value is None else float(f.value)
        return Figure(
            key=f.key, name=f.name, value=value, formula=f.formula, unit=f.unit, version=f.version
        )

    return Assessment(
        figures=[figure(f) for f in found.figures],
        composite=figure(found.composite),
        grade=found.grade,
        version=found.version,
    )


@strawberry.type
class Query:
    @strawberry.field(description="A department by its code.", permission_classes=[SignedIn])
    async def department_assessment(
        self, info: Info, code: str, period: Period, day: date, as_of: AsOf | None = None
    ) -> Assessment:
        viewer = info.context.caller
        if viewer.role is Role.DEPARTMENT:
            read_department(viewer, code)
        elif viewer.role not in DISTRICT_READERS:
            raise Refused(f"{viewer} may not read department assessments")
        views, _, _ = await views_as_of(info, as_of, assessment)
        return _shown(
            await info.context.call(assessment.department, views, code, period.value, day)
        )

    @strawberry.field(description="A grid or any area by its code.", permission_classes=[SignedIn])
    async def grid_assessment(
        self, info: Info, code: str, period: Period, day: date, as_of: AsOf | None = None
    ) -> Assessment:
        read_area(info.context.caller, area_code(code))
        views, _, _ = await views_as_of(info, as_of, assessment, assessment.grids)
        return _shown(await info.context.call(assessment.grid, views, code, period.value, day))

    @strawberry.field(description="A grid worker by staff id.", permission_classes=[SignedIn])
    async def worker_assessment(
        self, info: Info, staff: str, period: Period, day: date, as_of: AsOf | None = None
    ) -> Assessment:
        viewer = info.context.caller
        if viewer.role not in DISTRICT_READERS and viewer.id != staff:
            raise Refused(f"{viewer} may read only their own assessment")
        views, _, _ = await views_as_of(info, as_of, assessment, assessment.grids)
        return _shown(await info.context.call(assessment.worker, views, staff, period.value, day))
