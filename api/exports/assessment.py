"""The assessment as CSV, for a caller with a token: figures in long form, one row a
subject and figure with its formula and version, as the assessment queries give them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.auth import DISTRICT_READERS, read_area, read_department
from api.errors import Refused
from api.exports.access import ExportRefused, caller, export, run
from api.exports.files import table
from domain import assessment as formulas
from domain.staff import Actor, Role
from infra.bootstrap import Services
from projections import assessment
from projections.periods import CST

SUBJECTS = ("department", "grid", "worker")
PERIODS = ("day", "week", "month")


ASSESSMENT_COLUMNS = (
    "subject",
    "code",
    "period",
    "day",
    "key",
    "name",
    "value",
    "unit",
    "formula",
    "version",
    "grade",
)


@export
async def assessment_csv(request: Request, services: Services) -> Response:
    viewer = await caller(request, services)
    given = request.query_params
    subject = given.get("subject") or "department"
    period = given.get("period") or "month"
    if subject not in SUBJECTS:
        raise ExportRefused(400, f"subject is one of {', '.join(SUBJECTS)}")
    if period not in PERIODS:
        raise ExportRefused(400, f"period is one of {', '.join(PERIODS)}")
    try:
        day = date.fromisoformat(given.get("day") or datetime.now(CST).date().isoformat())
    except ValueError:
        raise ExportRefused(400, "day is a date, as 2026-03-09") from None
    codes = [c for c in (given.get("code") or "").split(",") if c]
    codes = codes or _default_subjects(viewer, subject, services)
    for code in codes:
        _may_read(viewer, subject, code)
    read = {
        "department": assessment.department,
        "grid": assessment.grid,
        "worker": assessment.worker,
    }
    found = await run(lambda: [(c, read[subject](services.views, c, period, day)) for c in codes])
    return table(ASSESSMENT_COLUMNS, _figure_rows(subject, period, day, found))


def _default_subjects(viewer: Actor, subject: str, services: Services) -> list[str]:
    if subject == "department":
        if viewer.role is Role.DEPARTMENT and viewer.department:
            return [viewer.department]
        return [d.code for d in services.app.catalog.departments]
    if subject == "grid":
        return [""] if viewer.role in DISTRICT_READERS else list(viewer.area)
    if viewer.role in DISTRICT_READERS:
        raise ExportRefused(400, "name the grid workers: code=<staff id>,…")
    return [viewer.id]


def _may_read(viewer: Actor, subject: str, code: str) -> None:
    """The assessment queries' rules."""
    if subject == "department":
        if viewer.role is Role.DEPARTMENT:
            read_department(viewer, code)
        elif viewer.role not in DISTRICT_READERS:
            raise Refused(f"{viewer} may not read department assessments")
    elif subject == "grid":
        if not code.isdigit() and code != "":
            raise ExportRefused(400, f"an area code is digits, not {code!r}")
        read_area(viewer, code)
    elif viewer.role not in DISTRICT_READERS and viewer.id != code:
        raise Refused(f"{viewer} may read only their own assessment")


def _figure_rows(
    subject: str, period: str, day: date, found: Sequence[tuple[str, formulas.Assessment]]
) -> Iterable[list[Any]]:
    for code, assessed in found:
        for figure in (*assessed.figures, assessed.composite):
            grade = assessed.grade if figure.key == "composite" else None
            yield [
                subject,
                code,
                period,
                day.isoformat(),
                figure.key,
                figure.name,
                figure.value,
                figure.unit,
                figure.formula,
                figure.version,
                grade,
            ]
