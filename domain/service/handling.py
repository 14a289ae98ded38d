"""The department's use cases: dispatch, accept, return, handle, extensions, suspension."""

from __future__ import annotations

from datetime import datetime

from domain.components import Component, ComponentOutcome, component_id
from domain.deadlines import Limit
from domain.service.commands import Change, ServiceBase, use_case
from domain.staff import Actor


class HandlingService(ServiceBase):
    @use_case
    def dispatch_case(
        self,
        number: int,
        by: Actor,
        at: datetime,
        department: str | None = None,
        reason: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.dispatch(
                department=department,
                reason=reason,
                by=by,
                at=at,
                catalog=self.catalog,
                calendar=self.calendar,
            ),
        )

    @use_case
    def accept_case(
        self,
        number: int,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(number, expected_version, lambda case: case.accept(by=by, at=at))

    @use_case
    def return_case(
        self,
        number: int,
        reason: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number, expected_version, lambda case: case.return_(reason=reason, by=by, at=at)
        )

    @use_case
    def handle_case(
        self,
        number: int,
        note: str,
        by: Actor,
        at: datetime,
        photos: tuple[str, ...] = (),
        component_outcome: ComponentOutcome | None = None,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        case = self.case(number, expected_version)
        case.handle(
            note=note,
            by=by,
            at=at,
            calendar=self.calendar,
            photos=photos,
            component_outcome=component_outcome,
        )
        others: tuple[Component, ...] = ()
        if component_outcome is not None and case.component is not None:
            part = self.load(Component, component_id(case.component), f"component {case.component}")
            part.apply_fix(case=number, outcome=component_outcome, by=by, at=at)
            others = (part,)
        return Change(case, others, number=number)

    @use_case
    def request_extension(
        self,
        number: int,
        extension: Limit,
        reason: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.request_extension(extension=extension, reason=reason, by=by, at=at),
        )

    @use_case
    def grant_extension(
        self,
        number: int,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.grant_extension(by=by, at=at, calendar=self.calendar),
        )

    @use_case
    def refuse_extension(
        self,
        number: int,
        reason: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.refuse_extension(reason=reason, by=by, at=at),
        )

    @use_case
    def suspend_case(
        self,
        number: int,
        reason: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number, expected_version, lambda case: case.suspend(reason=reason, by=by, at=at)
        )

    @use_case
    def resume_case(
        self,
        number: int,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number, expected_version, lambda case: case.resume(by=by, at=at, calendar=self.calendar)
        )
