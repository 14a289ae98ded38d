"""What the public reads: the notes of each step of a case, the notice of what a report
will go through, the names of channels, levels and agencies — in Chinese, or in English
for a client that prefers it. Personal data never reaches here (projections/open311)."""

from __future__ import annotations

from datetime import datetime

from domain.catalog import Catalog, Category
from domain.deadlines import TimeUnit
from domain.errors import NotFound
from projections.open311 import UpdateRow
from projections.periods import CST

_CHANNELS = {
    "patrol": ("网格员巡查", "a grid worker's patrol"),
    "supervisor": ("监督员巡查", "a supervisor's patrol"),
    "hotline": ("12345 热线", "the 12345 hotline"),
    "app": ("市民 app", "the residents' app"),
    "open311": ("Open311", "Open311"),
    "video": ("视频监控", "video surveillance"),
    "higher_office": ("上级交办", "a higher office"),
}
_LEVELS = {
    1: ("网格", "grid"),
    2: ("社区", "community"),
    3: ("街道", "street"),
    4: ("区", "district"),
    5: ("市", "city"),
}
_UNITS = {
    TimeUnit.WORK_HOURS: "个工作时",
    TimeUnit.WORK_DAYS: "个工作日",
    TimeUnit.CLOCK_HOURS: "小时",
}

# Each step: (Chinese, English); {note}, {department}, {deadline}, {other}, {level}, {channel}.
_STEPS = {
    "reported": ("通过{channel}上报", "Reported through {channel}"),
    "confirmed": ("网格员现场核实属实{note}", "Confirmed on site by the grid worker{note}"),
    "filed": ("已立案", "Filed as a case"),
    "rejected": ("不予立案{note}", "Not taken up{note}"),
    "merged": ("与诉求 {other} 重复，已合并", "A duplicate of request {other}: merged into it"),
    "duplicate_merged": (
        "重复诉求 {other} 已并入本诉求",
        "Request {other}, a duplicate, was merged into this one",
    ),
    "dispatched": (
        "已派遣至{department}，{deadline}前处置",
        "Dispatched to the {department}, to be handled by {deadline}",
    ),
    "accepted": ("{department}已签收", "Accepted by the {department}"),
    "returned": (
        "{department}退回指挥中心另行派遣",
        "Returned to the command center for another department",
    ),
    "handled": ("{department}已处置{note}", "The {department} reports it fixed{note}"),
    "extended": ("处置期限延至{deadline}", "More time granted: now due by {deadline}"),
    "suspended": ("暂缓处置（挂账）", "On hold"),
    "resumed": ("恢复处置，{deadline}前处置", "Work resumed: due by {deadline}"),
    "rework": (
        "现场核查未通过，返工{note}",
        "The fix did not pass the on-site check: sent back{note}",
    ),
    "verified": ("现场核查通过{note}", "The fix passed the on-site check{note}"),
    "resolved_on_spot": ("网格员现场处置{note}", "Resolved on the spot by the grid worker{note}"),
    "closed": ("已结案{note}", "Closed{note}"),
    "escalated": ("已提请{level}级协调", "Referred up to the {level} level"),
}


def step(update: UpdateRow, channel: str, catalog: Catalog, language: str) -> str:
    """What a step says to the public."""
    zh, en = _STEPS[update.kind]
    english = language == "en"
    note = update.note and (f": {update.note}" if english else f"：{update.note}")
    level = _LEVELS.get(update.level or 0, ("", ""))[english]
    department = agency(catalog, update.department, language)
    return (en if english else zh).format(
        note=note,
        department=department or ("department" if english else "部门"),
        deadline=when(update.deadline),
        other=update.other,
        level=level,
        channel=_CHANNELS.get(channel, (channel, channel))[english],
    )


def agency(catalog: Catalog, code: str | None, language: str) -> str | None:
    if code is None:
        return None
    try:
        return catalog.department(code).name.text(language)
    except NotFound:
        return code


def notice(catalog: Catalog, category: Category, language: str, checked: bool = True) -> str:
    """What a report of this service goes through; `checked`: a public report, which the
    grid worker checks on site before it is filed."""
    department = agency(catalog, category.department, language)
    if language == "en":
        first = "A grid worker checks the report on site; once it is filed, " if checked else ""
        then = f"the {department} has {category.limit} to handle it."
        return first + (then if checked else then[0].upper() + then[1:])
    amount, unit = category.limit.amount, _UNITS[category.limit.unit]
    first = "网格员现场核实后立案，" if checked else ""
    return f"{first}由{department}在{amount}{unit}内处置。"


def when(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(CST).strftime("%Y-%m-%d %H:%M")
