"""The department's part of the loop: dispatch (派遣), accept (签收), return (退回),
handle (处置), extensions (延期) and suspension (挂账) of the deadline clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from eventsourcing.domain import event

from domain.calendar import WorkCalendar
from domain.cases.intake import Intake, require_text
from domain.cases.stages import Stage
from domain.catalog import Catalog
from domain.deadlines import (
    Limit,
    TimeUnit,
    deadline_after,
    extended,
    overrun_multiple,
    resumed,
    time_used,
)
from domain.errors import RuleBroken
from domain.staff import Action, Actor


class Handling(Intake):
    # 派遣 dispatch / 签收 accept / 退回 return ---------------------------------------------

    def dispatch(
        self,
        department: str | None,
        reason: str,
        by: Actor,
        at: datetime,
        catalog: Catalog,
        calendar: WorkCalendar,
    ) -> None:
        """Send the case to a department; the clock starts now. The catalog names the
        department and the limit; another department needs a reason."""
        self._require(Action.DISPATCH_CASE, by, at, Stage.FILED, Stage.RETURNED)
        default = catalog.category(self.category).department
        department = catalog.department(department or default).code
        reason = reason.strip()
        if department != default and not reason:
            raise RuleBroken(
                f"case {self.number} goes to {default} by the catalog: "
                f"dispatching it to {department} needs a reason"
            )
        if department in self.returned_by and not reason:
            raise RuleBroken(
                f"case {self.number} was returned by {department}: "
                "dispatching it there again needs a reason"
            )
        limit = catalog.handling_limit(self.category, self.urgent)
        deadline = deadline_after(at, limit, calendar)
        self._dispatched(
            department=department,
            reason=reason,
            limit=limit,
            deadline=deadline,
            fallback_years=calendar.uncovered_years(at, deadline),
            by=by,
            at=at,
        )

    @event("CaseDispatched")
    def _dispatched(
        self,
        department: str,
        reason: str,
        limit: Limit,
        deadline: datetime,
        fallback_years: tuple[int, ...],
        by: Actor,
        at: datetime,
    ) -> None:
        self.stage, self.department, self.limit = Stage.DISPATCHED, department, limit
        self.clock_started_at, self.deadline, self.last_at = at, deadline, at

    def accept(self, by: Actor, at: datetime) -> None:
        self._require(Action.ACCEPT_CASE, by, at, Stage.DISPATCHED, own_department=True)
        self._accepted(by=by, at=at)

    @event("CaseAccepted")
    def _accepted(self, by: Actor, at: datetime) -> None:
        self.stage, self.last_at = Stage.ACCEPTED, at

    def return_(self, reason: str, by: Actor, at: datetime) -> None:
        self._require(
            Action.RETURN_CASE, by, at, Stage.DISPATCHED, Stage.ACCEPTED, own_department=True
        )
        require_text(reason, f"case {self.number} cannot be returned without a reason")
        self._require_running(Action.RETURN_CASE)
        self._returned(reason=reason.strip(), by=by, at=at)

    @event("CaseReturned")
    def _returned(self, reason: str, by: Actor, at: datetime) -> None:
        self.returned_by += (self.department or "",)
        self.stage, self.department, self.limit = Stage.RETURNED, None, None
        self.clock_started_at = self.deadline = None
        self.requested_extension, self.last_at = None, at

    # 处置 handle ---------------------------------------------------------------------------

    def handle(
        self,
        note: str,
        by: Actor,
        at: datetime,
        calendar: WorkCalendar,
        photos: tuple[str, ...] = (),
        component_outcome: str | None = None,
    ) -> None:
        """The department reports the fix; lateness is judged against the deadline in force
        and kept as the overrun multiple (超时倍数)."""
        self._require(Action.HANDLE_CASE, by, at, Stage.ACCEPTED, Stage.REWORK, own_department=True)
        self._require_running(Action.HANDLE_CASE)
        require_text(note, f"case {self.number} cannot be handled without a note on the fix")
        if component_outcome is not None and self.component is None:
            raise RuleBroken(f"case {self.number} is about no component whose state could change")
        started, deadline, unit = self._clock()
        self._handled(
            note=note.strip(),
            photos=tuple(photos),
            on_time=at <= deadline,
            overrun=overrun_multiple(started, deadline, at, unit, calendar),
            hours_used=time_used(started, at, unit, calendar) / timedelta(hours=1),
            component_outcome=component_outcome,
            by=by,
            at=at,
        )

    @event("CaseHandled")
    def _handled(
        self,
        note: str,
        photos: tuple[str, ...],
        on_time: bool,
        overrun: float,
        hours_used: float,
        component_outcome: str | None,
        by: Actor,
        at: datetime,
    ) -> None:
        self.stage, self.handled_on_time, self.last_at = Stage.HANDLED, on_time, at

    # 延期 extension / 挂账 suspension ---------------------------------------------------------

    def request_extension(self, extension: Limit, reason: str, by: Actor, at: datetime) -> None:
        self._require(
            Action.REQUEST_EXTENSION, by, at, Stage.ACCEPTED, Stage.REWORK, own_department=True
        )
        self._require_running(Action.REQUEST_EXTENSION)
        if self.requested_extension is not None:
            raise RuleBroken(
                f"case {self.number} already has an extension request awaiting the center"
            )
        if extension.amount <= 0:
            raise RuleBroken("an extension must add time")
        require_text(reason, f"case {self.number}: an extension request needs a reason")
        self._extension_requested(extension=extension, reason=reason.strip(), by=by, at=at)

    @event("ExtensionRequested")
    def _extension_requested(self, extension: Limit, reason: str, by: Actor, at: datetime) -> None:
        self.requested_extension, self.last_at = extension, at

    def grant_extension(self, by: Actor, at: datetime, calendar: WorkCalendar) -> None:
        extension = self._require_pending_extension(Action.GRANT_EXTENSION, by, at)
        _, deadline, _ = self._clock()
        self._extension_granted(
            extension=extension, deadline=extended(deadline, extension, calendar), by=by, at=at
        )

    @event("ExtensionGranted")
    def _extension_granted(
        self, extension: Limit, deadline: datetime, by: Actor, at: datetime
    ) -> None:
        self.requested_extension, self.deadline, self.last_at = None, deadline, at

    def refuse_extension(self, reason: str, by: Actor, at: datetime) -> None:
        self._require_pending_extension(Action.REFUSE_EXTENSION, by, at)
        require_text(reason, f"case {self.number}: refusing an extension needs a reason")
        self._extension_refused(reason=reason.strip(), by=by, at=at)

    @event("ExtensionRefused")
    def _extension_refused(self, reason: str, by: Actor, at: datetime) -> None:
        self.requested_extension, self.last_at = None, at

    def _require_pending_extension(self, action: Action, by: Actor, at: datetime) -> Limit:
        self._require(action, by, at, Stage.DISPATCHED, Stage.ACCEPTED, Stage.REWORK)
        if self.requested_extension is None:
            raise RuleBroken(f"case {self.number} has no extension request to decide")
        return self.requested_extension

    def suspend(self, reason: str, by: Actor, at: datetime) -> None:
        self._require(Action.SUSPEND_CASE, by, at, Stage.DISPATCHED, Stage.ACCEPTED, Stage.REWORK)
        self._require_running(Action.SUSPEND_CASE)
        require_text(reason, f"case {self.number} cannot be suspended without a reason")
        self._suspended(reason=reason.strip(), by=by, at=at)

    @event("CaseSuspended")
    def _suspended(self, reason: str, by: Actor, at: datetime) -> None:
        self.suspended_at, self.last_at = at, at

    def resume(self, by: Actor, at: datetime, calendar: WorkCalendar) -> None:
        """The paused clock runs again: the deadline moves by the time spent suspended."""
        self._require(Action.RESUME_CASE, by, at, Stage.DISPATCHED, Stage.ACCEPTED, Stage.REWORK)
        if self.suspended_at is None:
            raise RuleBroken(f"case {self.number} cannot be resumed: it is not suspended")
        _, deadline, unit = self._clock()
        self._resumed(
            suspended_at=self.suspended_at,
            deadline=resumed(deadline, self.suspended_at, at, unit, calendar),
            by=by,
            at=at,
        )

    @event("CaseResumed")
    def _resumed(self, suspended_at: datetime, deadline: datetime, by: Actor, at: datetime) -> None:
        self.suspended_at, self.deadline, self.last_at = None, deadline, at

    def _clock(self) -> tuple[datetime, datetime, TimeUnit]:
        """When the clock started, the deadline in force and the unit it is counted in."""
        if self.clock_started_at is None or self.deadline is None or self.limit is None:
            raise RuleBroken(f"case {self.number} has no deadline running")
        return self.clock_started_at, self.deadline, self.limit.unit
