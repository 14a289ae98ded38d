"""The case's intake: report (上报), on-site check (核实), filing (立案), rejection and merging.

The Case aggregate is written in three layers that follow the loop: `Intake` (here),
`Handling` (the department's part) and `Case` (verification, closing and the watch).
Public methods check the rules of the practice and raise an error naming the rule;
event methods only assign state, so old events replay under today's code unchanged.
The catalog and the work calendar come in as arguments; what needs another aggregate
(the grid a point lies in, the case a duplicate merges into) the application looks up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Self
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.cases.stages import Channel, Level, Stage
from domain.catalog import Catalog
from domain.components import category_of
from domain.deadlines import Limit
from domain.errors import NotPermitted, RuleBroken
from domain.grids.geometry import Point
from domain.staff import Action, Actor, Role


def case_id(number: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"/cases/{number}")


@dataclass(frozen=True)
class Report:
    """What a report says: the problem, where it is and who saw it."""

    channel: Channel
    category: str
    location: Point
    grid: str
    description: str
    photos: tuple[str, ...] = ()
    component: str | None = None
    reporter_name: str | None = None  # personal data: shown to the operator and grid worker only
    reporter_phone: str | None = None
    visit: str | None = None  # '<household>#<visit>/<need>' for a need raised on a visit
    address: str | None = None  # where it is, in the reporter's words
    answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """To the category's extra questions (domain/catalog/questions.py): code -> values."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", self.description.strip())
        object.__setattr__(self, "photos", tuple(self.photos))
        address = (self.address or "").strip() or None
        object.__setattr__(self, "address", address)
        answers = {code: tuple(values) for code, values in self.answers.items()}
        object.__setattr__(self, "answers", answers)


class Intake(Aggregate):
    @staticmethod
    def create_id(number: int) -> UUID:
        return case_id(number)

    # 上报 report ---------------------------------------------------------------------

    @classmethod
    def report(cls, number: int, report: Report, by: Actor, at: datetime, catalog: Catalog) -> Self:
        """A problem reported through any channel; the application has located its grid."""
        cls.check_report(report, by, at, catalog)
        return cls(number=number, **vars(report), by=by, at=at)

    @staticmethod
    def check_report(report: Report, by: Actor, at: datetime, catalog: Catalog) -> None:
        """The rules of a report, checkable before a case number is spent on it."""
        by.require(Action.REPORT_CASE)
        require_zone(at)
        catalog.category(report.category).check_answers(report.answers)
        if by.role not in report.channel.roles:
            raise NotPermitted(f"{by} may not report through the {report.channel.value} channel")
        if by.role in (Role.GRID_WORKER, Role.SUPERVISOR) and not by.covers(report.grid):
            raise NotPermitted(
                f"{by} may not report in grid {report.grid}: it is outside their area"
            )
        if not report.description:
            raise RuleBroken("a report needs a description of the problem")
        if (report.visit is None) != (report.channel is not Channel.VISIT):
            raise RuleBroken("a report through the visit channel, and only that, names its visit")
        if report.component is not None and report.category != category_of(report.component):
            raise RuleBroken(
                f"component {report.component} is of class {category_of(report.component)}, "
                f"not of the reported category {report.category}"
            )

    @event("CaseReported")
    def __init__(
        self,
        number: int,
        channel: Channel,
        category: str,
        location: Point,
        grid: str,
        description: str,
        photos: tuple[str, ...],
        component: str | None,
        reporter_name: str | None,
        reporter_phone: str | None,
        visit: str | None,
        by: Actor,
        at: datetime,
        address: str | None = None,
        answers: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """`address` and `answers` came with the extra questions: older reports lack them."""
        self.number, self.channel, self.category = number, Channel(channel), category
        self.location, self.grid, self.component = location, grid, component
        self.description, self.photos = description, tuple(photos)
        self.reporter_name, self.reporter_phone = reporter_name, reporter_phone
        self.visit, self.reported_by, self.reported_at = visit, by, at
        self.address = address
        self.answers = {code: tuple(values) for code, values in (answers or {}).items()}
        self.stage, self.level, self.confirmed = Stage.REPORTED, Level.GRID, False
        self.urgent = False
        self.department: str | None = None
        self.limit: Limit | None = None
        self.clock_started_at: datetime | None = None
        self.deadline: datetime | None = None
        self.suspended_at: datetime | None = None
        self.requested_extension: Limit | None = None
        self.warned_for: datetime | None = None
        self.overdue_for: datetime | None = None
        self.returned_by: tuple[str, ...] = ()
        self.rework_count = 0
        self.handled_on_time: bool | None = None
        self.satisfaction: int | None = None
        self.merged_into: int | None = None
        self.followers: tuple[str, ...] = (by.id,)
        self.last_at = at

    # 核实 on-site check of a public report ---------------------------------------------

    def confirm_report(self, found: bool, note: str, by: Actor, at: datetime) -> None:
        self._require(Action.CONFIRM_REPORT, by, at, Stage.REPORTED, in_area=True)
        if not self.channel.needs_check:
            raise RuleBroken(
                f"case {self.number} needs no on-site check: it was reported by our own staff"
            )
        if self.confirmed:
            raise RuleBroken(f"case {self.number} has already been checked on site")
        if found:
            self._confirmed(note=note, by=by, at=at)
        else:
            self._rejected(reason=f"not found on site (核实未发现): {note}".strip(), by=by, at=at)

    @event("CaseConfirmed")
    def _confirmed(self, note: str, by: Actor, at: datetime) -> None:
        self.confirmed, self.last_at = True, at

    # 立案 file / 不予立案 reject / 合并 merge ------------------------------------------------

    def file(
        self,
        category: str | None,
        urgent: bool,
        note: str,
        by: Actor,
        at: datetime,
        catalog: Catalog,
    ) -> None:
        """The center files the report as a case, correcting its category if need be."""
        self._require(Action.FILE_CASE, by, at, Stage.REPORTED)
        category = catalog.category(category or self.category).code
        if self.channel.needs_check and not self.confirmed:
            raise RuleBroken(
                f"case {self.number} cannot be filed: a public report needs an on-site check "
                "(核实) by the grid worker first"
            )
        self._filed(category=category, urgent=urgent, note=note, by=by, at=at)

    @event("CaseFiled")
    def _filed(self, category: str, urgent: bool, note: str, by: Actor, at: datetime) -> None:
        self.stage, self.category, self.urgent, self.last_at = Stage.FILED, category, urgent, at

    def reject(self, reason: str, by: Actor, at: datetime) -> None:
        self._require(Action.REJECT_CASE, by, at, Stage.REPORTED)
        require_text(reason, f"case {self.number} cannot be rejected without a reason")
        self._rejected(reason=reason.strip(), by=by, at=at)

    @event("CaseRejected")
    def _rejected(self, reason: str, by: Actor, at: datetime) -> None:
        self.stage, self.last_at = Stage.REJECTED, at

    def merge_into(self, target: Intake, by: Actor, at: datetime) -> None:
        self._require(Action.MERGE_CASE, by, at, Stage.REPORTED, Stage.FILED)
        if target.number == self.number:
            raise RuleBroken(f"case {self.number} cannot be merged into itself")
        if not target.stage.is_open:
            raise RuleBroken(
                f"case {self.number} cannot be merged into case {target.number}: "
                f"that case is {target.stage.label}"
            )
        target._check_time(at)
        self._merged(into=target.number, by=by, at=at)
        target._duplicate_merged(duplicate=self.number, followers=self.followers, by=by, at=at)

    @event("CaseMerged")
    def _merged(self, into: int, by: Actor, at: datetime) -> None:
        self.stage, self.merged_into, self.last_at = Stage.MERGED, into, at

    @event("DuplicateMerged")
    def _duplicate_merged(
        self, duplicate: int, followers: tuple[str, ...], by: Actor, at: datetime
    ) -> None:
        known = set(self.followers)
        self.followers += tuple(f for f in followers if f not in known)
        self.last_at = at

    # Guards shared by the steps --------------------------------------------------------------

    def _require(
        self,
        action: Action,
        by: Actor,
        at: datetime,
        *stages: Stage,
        in_area: bool = False,
        own_department: bool = False,
    ) -> None:
        by.require(action)
        verb = action.value.replace("_case", "").replace("_", " ")
        if self.stage not in stages:
            raise RuleBroken(
                f"case {self.number} cannot be {_PAST[action]}: it is {self.stage.label}"
            )
        if in_area and not by.covers(self.grid):
            raise NotPermitted(
                f"{by} may not {verb} case {self.number}: grid {self.grid} is outside their area"
            )
        if own_department and by.department != self.department:
            raise NotPermitted(
                f"{by} may not {verb} case {self.number}: it is dispatched to "
                f"{self.department}, not to {by.department}"
            )
        self._check_time(at)

    def _require_running(self, action: Action) -> None:
        if self.suspended_at is not None:
            raise RuleBroken(
                f"case {self.number} cannot be {_PAST[action]}: it is suspended (挂账)"
            )

    def _check_time(self, at: datetime) -> None:
        require_zone(at)
        if at < self.last_at:
            raise RuleBroken(
                f"case {self.number}: a step at {at.isoformat()} cannot come before its "
                f"last step at {self.last_at.isoformat()}"
            )


_PAST = {
    Action.CONFIRM_REPORT: "checked on site",
    Action.FILE_CASE: "filed",
    Action.REJECT_CASE: "rejected",
    Action.MERGE_CASE: "merged",
    Action.DISPATCH_CASE: "dispatched",
    Action.ACCEPT_CASE: "accepted",
    Action.RETURN_CASE: "returned",
    Action.HANDLE_CASE: "handled",
    Action.REQUEST_EXTENSION: "given an extension request",
    Action.GRANT_EXTENSION: "granted an extension",
    Action.REFUSE_EXTENSION: "refused an extension",
    Action.SUSPEND_CASE: "suspended",
    Action.RESUME_CASE: "resumed",
    Action.VERIFY_CASE: "verified",
    Action.RESOLVE_ON_SPOT: "resolved on the spot",
    Action.EVALUATE_CASE: "evaluated",
}


def require_zone(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise RuleBroken("the time of a step must carry its zone")


def require_text(text: str, message: str) -> None:
    if not text.strip():
        raise RuleBroken(message)
