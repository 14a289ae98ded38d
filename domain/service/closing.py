"""Closing the loop: verification, closing, on-the-spot resolution, escalation,
the deadline watch and the reporter's evaluation."""

from __future__ import annotations

from datetime import datetime

from domain.service.commands import Change, ServiceBase, use_case
from domain.staff import Actor


class ClosingService(ServiceBase):
    @use_case
    def verify_case(
        self,
        number: int,
        passed: bool,
        note: str,
        by: Actor,
        at: datetime,
        photos: tuple[str, ...] = (),
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.verify(passed=passed, note=note, by=by, at=at, photos=photos),
        )

    @use_case
    def close_case(
        self,
        number: int,
        by: Actor,
        at: datetime,
        note: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(number, expected_version, lambda case: case.close(note=note, by=by, at=at))

    @use_case
    def resolve_on_spot(
        self,
        number: int,
        note: str,
        by: Actor,
        at: datetime,
        photos: tuple[str, ...] = (),
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.resolve_on_spot(note=note, by=by, at=at, photos=photos),
        )

    @use_case
    def escalate_case(
        self,
        number: int,
        reason: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number, expected_version, lambda case: case.escalate(reason=reason, by=by, at=at)
        )

    @use_case
    def watch_deadline(self, number: int, by: Actor, at: datetime) -> Change:
        """The deadline watcher's look at one case: a warning or an overdue, if due."""
        return self.step(
            number,
            None,
            lambda case: case.watch_deadline(
                by=by, at=at, calendar=self.calendar, warn_share=self.warn_share
            ),
        )

    @use_case
    def evaluate_case(
        self,
        number: int,
        satisfaction: int,
        by: Actor,
        at: datetime,
        comment: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.evaluate(satisfaction=satisfaction, comment=comment, by=by, at=at),
        )
