"""Assessment (绩效评价), formula version 1 (DESIGN.md): the figures of a department, a grid
worker and a grid from the counts the assessment view keeps, each figure carrying its
formula and version so that a changed definition shows as a new version, never as drift.

Rules of version 1 beyond DESIGN.md's text, fixed here so the same events always give the
same figures:
- A rate whose denominator is zero is no data (`value is None`), never 0 % or 100 %; a
  composite with any component lacking data is no data too, and has no grade.
- Rates are percentages rounded half up to two decimals (911 / 972 → 93.72); composites are
  computed exactly from the unrounded rates and rounded once; a grade is read from the
  rounded composite, so the figure shown and its grade always agree.
- 返工率 can pass 100 % in a period with more rework orders than last handlings; the
  composite's (100 − 返工率) term then counts 0, not less.
- On-site checks have limits in field hours: the clock hours of the grid workers' day,
  08:00–20:00 China Standard Time, every day of the week. 核实 is on time within 2 field
  hours of the report, 核查 within 4 field hours of the department's handling. Work hours
  would need the district's holiday schedule, which is not in the events; grid workers
  patrol every day, so their day is the fairer clock for them anyway.
- Visits due accrue day by day: a household due n visits a year is due n / 365 visits for
  each day it is registered (4 a year, key households more: domain/visits.py).
- Periods: a case counts in the period of the event that decides it — its last handling,
  or its deadline passing unhandled — and a check in the period it was done in time, or
  else the period its limit ran out (projections/assessment/cases.py keeps them there).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta, timezone

VERSION = 1

FIELD_ZONE = timezone(timedelta(hours=8), "Asia/Shanghai")
FIELD_DAY = (time(8), time(20))
"""The grid workers' day: on-site check limits run only inside it."""
CHECK_LIMIT = timedelta(hours=2)
"""核实: a public report is checked on site within 2 field hours of the report."""
VERIFY_LIMIT = timedelta(hours=4)
"""核查: a department's fix is verified on site within 4 field hours of the handling."""
DAYS_A_YEAR = 365

FILED_SCORE_STEPS = ((50, 100), (100, 90), (200, 75), (500, 60), (1000, 40))
"""(at most this many cases filed against a department, its score); more: 0."""
GRADES = ((90, "A"), (75, "B"), (60, "C"), (40, "D"))
"""(composite at least, grade); below the last: E."""


def field_deadline(start: datetime, limit: timedelta) -> datetime:
    """The earliest instant at which `limit` of field time has passed since `start` (UTC)."""
    opens, closes = FIELD_DAY
    local, remaining = start.astimezone(FIELD_ZONE), limit
    while True:
        day = local.date()
        begin = datetime.combine(day, opens, FIELD_ZONE)
        end = datetime.combine(day, closes, FIELD_ZONE)
        local = max(local, begin)
        if local < end:
            if remaining <= end - local:
                return (local + remaining).astimezone(UTC)
            remaining -= end - local
        local = datetime.combine(day + timedelta(days=1), opens, FIELD_ZONE)


def filed_cases_score(filed: int) -> int:
    """The filed-cases score: it falls as more cases are filed against the department."""
    for most, score in FILED_SCORE_STEPS:
        if filed <= most:
            return score
    return 0


def grade(composite: float | None) -> str | None:
    """A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below; no grade without a composite."""
    if composite is None:
        return None
    for least, letter in GRADES:
        if composite >= least:
            return letter
    return "E"


# What is counted ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseCounts:
    """The cases of a department (or located in a grid or area) over a period."""

    filed_against: int = 0  # 立案数: dispatched to the department and not returned by it
    handled: int = 0  # 处置数: counted by the last handling
    handled_on_time: int = 0  # 按期处置数
    overdue_unhandled: int = 0  # 超时未处置数: counted when the deadline passed
    closed: int = 0  # 结案数: of the handled, those closed
    closed_on_time: int = 0  # 按期结案数: closed and handled on time
    rework: int = 0  # 返工数: rework orders
    returns: int = 0  # 退回数
    extensions_asked: int = 0
    extensions_granted: int = 0
    handling_seconds: int = 0  # time the handled cases took, in their limit's measure
    evaluations: int = 0
    satisfaction: int = 0  # the sum of the evaluations' scores (1–5 each)


@dataclass(frozen=True)
class FieldCounts:
    """The field work of a grid worker (or in a grid or area) over a period."""

    reports: int = 0  # 上报数: by grid workers and supervisors
    valid_reports: int = 0  # 有效上报数
    filed: int = 0  # cases filed in the grids (for a worker: those they were on duty in)
    filed_public: int = 0  # of those, first reported through a public channel
    checks_due: int = 0  # 核实 of public reports
    checks_on_time: int = 0
    verifications_due: int = 0  # 核查 of handlings
    verifications_on_time: int = 0
    resolved_on_spot: int = 0  # 自行处置
    visits: int = 0  # 走访
    visit_days: int = 0  # Σ over the period's days of the yearly visits due that day


CASE_COUNTS = tuple(f.name for f in fields(CaseCounts))
FIELD_COUNTS = tuple(f.name for f in fields(FieldCounts))


# What is shown --------------------------------------------------------------------------------

DEFINITIONS: dict[str, str] = {
    "filed_against": "立案数 = 派遣给本部门且未被本部门退回的案件数",
    "handled": "处置数 = 本期处置的案件数（返工后再处置的按最后一次计）",
    "handled_on_time": "按期处置数 = 处置数中在有效期限内处置的（批准延期顺延，挂账不计时）",
    "handled_late": "超期处置数 = 处置数 − 按期处置数",
    "overdue_unhandled": (
        "超时未处置数 = 已派遣、未处置、期限在本期届满的案件数（其后处置的移入处置数）"
    ),
    "due": "应处置数 = 处置数 + 超时未处置数",
    "due_to_close": "应结案数 = 应处置数",
    "handling_rate": "处置率 = 处置数 / 应处置数",
    "on_time_handling_rate": "按期处置率 = 按期处置数 / 应处置数",
    "closed": "结案数 = 处置数中已结案的",
    "closed_on_time": "按期结案数 = 结案数中按期处置的",
    "closing_rate": "结案率 = 结案数 / 应结案数",
    "on_time_closing_rate": "按期结案率 = 按期结案数 / 应结案数",
    "rework": "返工数 = 本期下达的返工数",
    "rework_rate": "返工率 = 返工数 / 处置数",
    "returns": "退回数 = 本期退回指挥中心的案件数",
    "extensions_asked": "延期申请数 = 本期申请延期的次数",
    "extensions_granted": "延期批准数 = 本期批准延期的次数",
    "mean_handling_hours": (
        "平均处置时长 = 处置数中各案件自派遣至处置的用时之和 / 处置数"
        "（按时限的计量：工作时或自然小时）"
    ),
    "mean_satisfaction": "平均满意度 = 本期评价的满意度之和 / 评价数",
    "filed_score": "立案数得分 = "
    + ", ".join(f"立案数 ≤ {most} → {score}" for most, score in FILED_SCORE_STEPS)
    + ", 更多 → 0",
    "department_composite": (
        "综合得分 = 10% × 立案数得分 + 30% × 结案率 + 30% × 按期处置率 + 30% × (100 − 返工率)"
    ),
    "reports": "上报数 = 网格员、监督员上报的问题数",
    "valid_reports": (
        "有效上报数 = 上报数中立案、现场自行处置或并入非网格员上报案件的"
        "（不予立案、并入网格员上报案件的不计）"
    ),
    "valid_report_rate": "有效上报率 = 有效上报数 / 上报数",
    "filed": "网格立案数 = 负责网格内立案的案件数（立案后被合并的不计）",
    "filed_public": "公众首报立案数 = 网格立案数中首报来自须核实渠道（热线、app、Open311、视频）的",
    "missed_report_rate": "漏报率 = 公众首报立案数 / 网格立案数",
    "checks_due": "应核实数 = 须现场核实的上报数（时限内不予立案或合并的不计）",
    "checks_on_time": "按时核实数 = 上报后 2 个巡查小时内完成的核实",
    "on_time_check_rate": "按时核实率 = 按时核实数 / 应核实数",
    "verifications_due": "应核查数 = 每次处置后须现场核查的次数",
    "verifications_on_time": "按时核查数 = 处置后 4 个巡查小时内完成的核查（通过或返工）",
    "on_time_verification_rate": "按时核查率 = 按时核查数 / 应核查数",
    "resolved_on_spot": "自行处置数 = 网格员现场自行处置的案件数",
    "visits": "走访数 = 记录的入户走访次数",
    "visits_due": (
        "应走访数 = Σ 各户每年应走访次数 × 本期在册天数 / 365（每户每年 4 次，重点户更多）"
    ),
    "visit_rate": "走访完成率 = 走访数 / 应走访数",
    "field_composite": (
        "综合得分 = 40% × 有效上报率 + 20% × (100 − 漏报率) + 20% × 按时核实率 + 20% × 按时核查率"
    ),
}
"""Every figure of formula version 1 as '名称 = 公式', for the figures and for the API to list."""
UNITS = {
    "mean_handling_hours": "hours",
    "mean_satisfaction": "1–5",
    "filed_score": "points",
    "department_composite": "points",
    "field_composite": "points",
}
"""Units other than '%' for rates and 'count' for the rest."""


@dataclass(frozen=True)
class Figure:
    """One figure with how it is computed; `value` None is no data."""

    key: str
    name: str
    value: int | float | None
    formula: str
    unit: str  # count, %, hours, points, 1–5
    version: int = VERSION

    @property
    def definition(self) -> str:
        """'结案率 = 结案数 / 应结案数 (v1)'"""
        return f"{self.name} = {self.formula} (v{self.version})"


@dataclass(frozen=True)
class Assessment:
    figures: tuple[Figure, ...]
    composite: Figure  # key 'composite'
    grade: str | None
    version: int = VERSION

    def __getitem__(self, key: str) -> Figure:
        for figure in (*self.figures, self.composite):
            if figure.key == key:
                return figure
        raise KeyError(f"no figure {key!r} in this assessment")


def assess_department(counts: CaseCounts) -> Assessment:
    c = counts
    not_reworked = max(c.handled - c.rework, 0)  # (100 − 返工率) counts 0, never less
    composite = _composite(
        "department_composite",
        (10, (filed_cases_score(c.filed_against), 100)),
        (30, (c.closed, _due(c))),
        (30, (c.handled_on_time, _due(c))),
        (30, (not_reworked, c.handled)),
    )
    figures = (*_case_figures(c), _figure("filed_score", filed_cases_score(c.filed_against)))
    return Assessment(figures, composite, grade(composite.value))


def assess_worker(counts: FieldCounts) -> Assessment:
    composite = _field_composite(counts)
    return Assessment(_field_figures(counts), composite, grade(composite.value))


def assess_grid(cases: CaseCounts, field: FieldCounts) -> Assessment:
    """A grid or area: its cases' figures and its field figures; its composite is the
    grid workers' composite over the grid's counts."""
    composite = _field_composite(field)
    figures = (*_case_figures(cases), *_field_figures(field))
    return Assessment(figures, composite, grade(composite.value))


def _due(c: CaseCounts) -> int:
    return c.handled + c.overdue_unhandled


def _case_figures(c: CaseCounts) -> tuple[Figure, ...]:
    due = _due(c)
    return (
        *_counts(c, "filed_against", "handled", "handled_on_time"),
        _figure("handled_late", c.handled - c.handled_on_time),
        *_counts(c, "overdue_unhandled"),
        _figure("due", due),
        _figure("due_to_close", due),
        _rate("handling_rate", c.handled, due),
        _rate("on_time_handling_rate", c.handled_on_time, due),
        *_counts(c, "closed", "closed_on_time"),
        _rate("closing_rate", c.closed, due),
        _rate("on_time_closing_rate", c.closed_on_time, due),
        *_counts(c, "rework"),
        _rate("rework_rate", c.rework, c.handled),
        *_counts(c, "returns", "extensions_asked", "extensions_granted"),
        _figure("mean_handling_hours", _hundredths(c.handling_seconds, 3600 * c.handled)),
        _figure("mean_satisfaction", _hundredths(c.satisfaction, c.evaluations)),
    )


def _field_figures(c: FieldCounts) -> tuple[Figure, ...]:
    return (
        *_counts(c, "reports", "valid_reports"),
        _rate("valid_report_rate", c.valid_reports, c.reports),
        *_counts(c, "filed", "filed_public"),
        _rate("missed_report_rate", c.filed_public, c.filed),
        *_counts(c, "checks_due", "checks_on_time"),
        _rate("on_time_check_rate", c.checks_on_time, c.checks_due),
        *_counts(c, "verifications_due", "verifications_on_time"),
        _rate("on_time_verification_rate", c.verifications_on_time, c.verifications_due),
        *_counts(c, "resolved_on_spot", "visits"),
        _figure("visits_due", _hundredths(c.visit_days, DAYS_A_YEAR)),
        _rate("visit_rate", c.visits * DAYS_A_YEAR, c.visit_days),
    )


def _field_composite(c: FieldCounts) -> Figure:
    return _composite(
        "field_composite",
        (40, (c.valid_reports, c.reports)),
        (20, (c.filed - c.filed_public, c.filed)),
        (20, (c.checks_on_time, c.checks_due)),
        (20, (c.verifications_on_time, c.verifications_due)),
    )


# Exact arithmetic -----------------------------------------------------------------------------


def _figure(key: str, value: int | float | None, as_key: str | None = None) -> Figure:
    name, formula = DEFINITIONS[key].split(" = ", 1)
    unit = UNITS.get(key, "%" if key.endswith("_rate") else "count")
    return Figure(as_key or key, name, value, formula, unit)


def _counts(counts: CaseCounts | FieldCounts, *keys: str) -> tuple[Figure, ...]:
    return tuple(_figure(key, getattr(counts, key)) for key in keys)


def _rate(key: str, numerator: int, denominator: int) -> Figure:
    """A percentage rounded half up to two decimals; no data over a zero denominator."""
    return _figure(key, _hundredths(numerator * 100, denominator))


def _composite(key: str, *terms: tuple[int, tuple[int, int]]) -> Figure:
    """Σ weight (in %) × part / whole, exact until one final rounding; no data if any
    whole is 0."""
    total, whole = 0, 1
    for weight, (part, of) in terms:
        if of == 0:
            return _figure(key, None, as_key="composite")
        total, whole = total * of + weight * part * whole, whole * of
    return _figure(key, _hundredths(total, whole), as_key="composite")


def _hundredths(numerator: int, denominator: int) -> float | None:
    """numerator / denominator rounded half up to two decimals; None when dividing by 0."""
    if denominator == 0:
        return None
    return (numerator * 200 + denominator) // (2 * denominator) / 100
