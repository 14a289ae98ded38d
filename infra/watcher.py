"""The deadline watcher (预警 / 超期): follows the log to know every running clock and asks
the application to look at each case whose warning instant or deadline has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.deadlines import TimeUnit, warning_instant
from domain.errors import VersionConflict
from domain.events import topics_of
from domain.service import GridCenter
from domain.staff import Actor, Role

WATCHER = Actor("system:deadline-watch", "deadline watch", Role.SYSTEM)
_FOLLOWED = [
    "CaseReported", "CaseDispatched", "CaseReturned", "CaseHandled", "ReworkOrdered",
    "ExtensionGranted", "CaseSuspended", "CaseResumed", "DeadlineWarned", "CaseOverdue",
    "CaseClosed", "CaseRejected", "CaseMerged",
]  # fmt: skip


@dataclass
class Clock:
    number: int
    started: datetime
    deadline: datetime
    unit: TimeUnit
    warn_at: datetime
    running: bool = True
    warned_for: datetime | None = None
    overdue_for: datetime | None = None

    def due(self, now: datetime) -> bool:
        if not self.running:
            return False
        if now >= self.deadline:
            return self.overdue_for != self.deadline
        return now >= self.warn_at and self.warned_for != self.deadline


class DeadlineWatch:
    def __init__(self, app: GridCenter) -> None:
        self.app = app
        self.position = 0
        self.clocks: dict[UUID, Clock] = {}
        self._numbers: dict[UUID, int] = {}
        self._topics = topics_of(_FOLLOWED)

    def run_once(self, now: datetime) -> int:
        """Catch up with the log, then watch every case that is due; returns how many
        this watcher recorded. Another watcher may record one first: this one's write
        then conflicts with it and is dropped, so each is recorded once."""
        self.catch_up()
        due = [clock.number for clock in self.clocks.values() if clock.due(now)]
        recorded = 0
        for number in due:
            try:
                recorded += bool(self.app.watch_deadline(number, by=WATCHER, at=now).positions)
            except VersionConflict:
                continue  # the other watcher's event comes in with the next catch-up
        return recorded

    def catch_up(self) -> None:
        while page := self.app.recorder.select_notifications(
            start=self.position, limit=1000, topics=self._topics, inclusive_of_start=False
        ):
            for notification in page:
                self._follow(self.app.mapper.to_domain_event(notification))
            self.position = page[-1].id

    def _follow(self, event: Any) -> None:
        case = event.originator_id
        clock = self.clocks.get(case)
        match type(event).__name__:
            case "CaseReported":
                self._numbers[case] = event.number
            case "CaseDispatched":
                warn_at = self._warn_at(event.at, event.deadline, event.limit.unit)
                self.clocks[case] = Clock(
                    self._numbers[case], event.at, event.deadline, event.limit.unit, warn_at
                )
            case "CaseReturned" | "CaseClosed" | "CaseRejected" | "CaseMerged":
                self.clocks.pop(case, None)
            case "CaseHandled" | "CaseSuspended" if clock:
                clock.running = False
            case "ReworkOrdered" if clock:
                clock.running = True
            case "CaseResumed" | "ExtensionGranted" if clock:
                clock.running = clock.running or type(event).__name__ == "CaseResumed"
                clock.deadline = event.deadline
                clock.warn_at = self._warn_at(clock.started, event.deadline, clock.unit)
            case "DeadlineWarned" if clock:
                clock.warned_for = event.deadline
            case "CaseOverdue" if clock:
                clock.overdue_for = event.deadline

    def _warn_at(self, started: datetime, deadline: datetime, unit: TimeUnit) -> datetime:
        return warning_instant(started, deadline, self.app.warn_share, unit, self.app.calendar)
