"""The Case aggregate: one problem's closed loop (闭环), from report to evaluation.

This layer closes the loop: on-site verification (核查) with rework (返工), closing (结案),
resolving on the spot (自行处置), escalation (上报上级), the deadline watch (预警/超期)
and the reporter's evaluation (评价).
"""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import event

from domain.calendar import WorkCalendar
from domain.cases.handling import Handling
from domain.cases.intake import require_text
from domain.cases.stages import Level, Stage
from domain.deadlines import warning_instant
from domain.errors import NotPermitted, RuleBroken
from domain.staff import Action, Actor, Role


class Case(Handling):
    # 核查 verify / 结案 close / 自行处置 resolve on the spot ---------------------------------

    def verify(
        self, passed: bool, note: str, by: Actor, at: datetime, photos: tuple[str, ...] = ()
    ) -> None:
        self._require(Action.VERIFY_CASE, by, at, Stage.HANDLED, in_area=True)
        if passed:
            self._verified(note=note.strip(), photos=tuple(photos), by=by, at=at)
        else:
            require_text(note, f"case {self.number}: a failed check must say what is wrong")
            self._rework_ordered(reason=note.strip(), photos=tuple(photos), by=by, at=at)

    @event("CaseVerified")
    def _verified(self, note: str, photos: tuple[str, ...], by: Actor, at: datetime) -> None:
        self.stage, self.last_at = Stage.VERIFIED, at

    @event("ReworkOrdered")
    def _rework_ordered(
        self, reason: str, photos: tuple[str, ...], by: Actor, at: datetime
    ) -> None:
        self.stage, self.rework_count, self.last_at = Stage.REWORK, self.rework_count + 1, at

    def close(self, note: str, by: Actor, at: datetime) -> None:
        by.require(Action.CLOSE_CASE)
        if self.stage not in (Stage.VERIFIED, Stage.RESOLVED_ON_SPOT):
            raise RuleBroken(
                f"case {self.number} cannot be closed: it has not passed on-site verification "
                f"(it is {self.stage.label})"
            )
        self._check_time(at)
        self._closed(note=note.strip(), by=by, at=at)

    @event("CaseClosed")
    def _closed(self, note: str, by: Actor, at: datetime) -> None:
        self.stage, self.last_at = Stage.CLOSED, at

    def resolve_on_spot(
        self, note: str, by: Actor, at: datetime, photos: tuple[str, ...] = ()
    ) -> None:
        self._require(Action.RESOLVE_ON_SPOT, by, at, Stage.REPORTED, in_area=True)
        require_text(note, f"case {self.number}: say how it was resolved on the spot")
        self._resolved_on_spot(note=note.strip(), photos=tuple(photos), by=by, at=at)

    @event("CaseResolvedOnSpot")
    def _resolved_on_spot(
        self, note: str, photos: tuple[str, ...], by: Actor, at: datetime
    ) -> None:
        self.stage, self.last_at = Stage.RESOLVED_ON_SPOT, at

    # 上报上级 escalate -------------------------------------------------------------------

    def escalate(self, reason: str, by: Actor, at: datetime) -> None:
        by.require(Action.ESCALATE_CASE)
        if not self.stage.is_open:
            raise RuleBroken(f"case {self.number} cannot be escalated: it is {self.stage.label}")
        self._check_time(at)
        if self.level is Level.CITY:
            raise RuleBroken(f"case {self.number} is already at the city level, the highest")
        if actor_level(by) < self.level:
            raise NotPermitted(
                f"{by} may not escalate case {self.number}: it is already at the "
                f"{self.level.label} level, above theirs"
            )
        if by.role is not Role.OPERATOR and not by.covers(self.grid):
            raise NotPermitted(f"{by} may not escalate case {self.number}: outside their area")
        require_text(reason, f"case {self.number}: an escalation must say why")
        self._escalated(to=Level(self.level + 1), reason=reason.strip(), by=by, at=at)

    @event("CaseEscalated")
    def _escalated(self, to: int, reason: str, by: Actor, at: datetime) -> None:
        self.level, self.last_at = Level(to), at

    # 预警 / 超期 deadline watch -------------------------------------------------------------

    def watch_deadline(
        self, by: Actor, at: datetime, calendar: WorkCalendar, warn_share: float
    ) -> bool:
        """Warn once `warn_share` of the allowed time is used, and mark the case overdue once
        the deadline passes; each once per deadline in force. Returns whether anything was due."""
        by.require(Action.WATCH_DEADLINE)
        if not self.stage.clock_runs or self.suspended_at is not None:
            return False
        started, deadline, unit = self._clock()
        self._check_time(at)
        if at >= deadline:
            if self.overdue_for == deadline:
                return False
            self._overdue(deadline=deadline, by=by, at=at)
            return True
        warn_at = warning_instant(started, deadline, warn_share, unit, calendar)
        if at >= warn_at and self.warned_for != deadline:
            self._deadline_warned(deadline=deadline, by=by, at=at)
            return True
        return False

    @event("DeadlineWarned")
    def _deadline_warned(self, deadline: datetime, by: Actor, at: datetime) -> None:
        self.warned_for, self.last_at = deadline, at

    @event("CaseOverdue")
    def _overdue(self, deadline: datetime, by: Actor, at: datetime) -> None:
        self.overdue_for, self.last_at = deadline, at

    # 评价 evaluate --------------------------------------------------------------------------

    def evaluate(self, satisfaction: int, comment: str, by: Actor, at: datetime) -> None:
        self._require(Action.EVALUATE_CASE, by, at, Stage.CLOSED)
        if by.role is Role.PUBLIC and by.id not in self.followers:
            raise NotPermitted(f"{by} did not report case {self.number} and cannot evaluate it")
        if self.satisfaction is not None:
            raise RuleBroken(f"case {self.number} has already been evaluated")
        if not 1 <= satisfaction <= 5:
            raise RuleBroken(f"satisfaction is scored 1 to 5, not {satisfaction}")
        self._evaluated(satisfaction=satisfaction, comment=comment.strip(), by=by, at=at)

    @event("CaseEvaluated")
    def _evaluated(self, satisfaction: int, comment: str, by: Actor, at: datetime) -> None:
        self.satisfaction, self.last_at = satisfaction, at


def actor_level(actor: Actor) -> Level:
    """The highest level an actor's area reaches (a district for operators, …)."""
    if not actor.area:
        return Level.GRID
    return max(Level.of_area(code) for code in actor.area)
