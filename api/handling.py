"""Handling (处置) as mutations: dispatch to a department, which accepts, returns or
fixes the case, and asks for more time; the center grants or refuses it, and suspends
and resumes the clock."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.outcomes import Outcome, command, mutation
from domain.components import ComponentOutcome
from domain.deadlines import Limit, TimeUnit

FixOutcome = strawberry.enum(ComponentOutcome, description="What a fix did to the component.")
Unit = strawberry.enum(TimeUnit, description="Work hours, work days or clock hours.")


@strawberry.input(description="Extra time asked for, e.g. 2 WORK_DAYS.")
class Extension:
    amount: int
    unit: Unit  # type: ignore[valid-type]


@strawberry.type
class Mutation:
    @mutation("Dispatch (派遣) to the category's department, or another one with a reason.")
    async def dispatch_case(
        self,
        info: Info,
        number: int,
        department: str | None = None,
        reason: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.dispatch_case,
            number,
            department=department,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("A department takes a dispatched case (签收).")
    async def accept_case(
        self, info: Info, number: int, expected_version: int | None = None, key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info, app.accept_case, number, expected_version=expected_version, key=key
        )

    @mutation("A department sends a case back (退回): not theirs, saying why.")
    async def return_case(
        self,
        info: Info,
        number: int,
        reason: str,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.return_case,
            number,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("A department reports the fix (处置), with photos and what it did to a component.")
    async def handle_case(
        self,
        info: Info,
        number: int,
        note: str,
        photos: list[str] | None = None,
        component_outcome: FixOutcome | None = None,  # type: ignore[valid-type]
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        outcome = None if component_outcome is None else ComponentOutcome(component_outcome)
        return await command(
            info,
            app.handle_case,
            number,
            note=note,
            photos=tuple(photos or ()),
            component_outcome=outcome,
            expected_version=expected_version,
            key=key,
        )

    @mutation("A department asks for more time (延期申请).")
    async def request_extension(
        self,
        info: Info,
        number: int,
        extension: Extension,
        reason: str,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        asked = Limit(extension.amount, TimeUnit(extension.unit))
        return await command(
            info,
            app.request_extension,
            number,
            extension=asked,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("The center grants the time asked for; the deadline moves by it.")
    async def grant_extension(
        self, info: Info, number: int, expected_version: int | None = None, key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info, app.grant_extension, number, expected_version=expected_version, key=key
        )

    @mutation("The center refuses the time asked for, saying why.")
    async def refuse_extension(
        self,
        info: Info,
        number: int,
        reason: str,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.refuse_extension,
            number,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("Stop the case's clock (挂起), saying why.")
    async def suspend_case(
        self,
        info: Info,
        number: int,
        reason: str,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.suspend_case,
            number,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("Start the clock again; the deadline moves by the paused work time.")
    async def resume_case(
        self, info: Info, number: int, expected_version: int | None = None, key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info, app.resume_case, number, expected_version=expected_version, key=key
        )
