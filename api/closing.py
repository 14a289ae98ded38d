"""Closing the loop as mutations: the on-site check of a fix (核查), closing (结案),
resolving on the spot, escalating, and the reporter's evaluation (回访)."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.outcomes import Outcome, command, mutation


@strawberry.type
class Mutation:
    @mutation("The on-site check of a fix (核查): passed, or rework is ordered.")
    async def verify_case(
        self,
        info: Info,
        number: int,
        passed: bool,
        note: str = "",
        photos: list[str] | None = None,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.verify_case,
            number,
            passed=passed,
            note=note,
            photos=tuple(photos or ()),
            expected_version=expected_version,
            key=key,
        )

    @mutation("Close the case (结案): only after a passed check or an on-the-spot fix.")
    async def close_case(
        self,
        info: Info,
        number: int,
        note: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info, app.close_case, number, note=note, expected_version=expected_version, key=key
        )

    @mutation("A grid worker fixes it on the spot (自行处置), with photos.")
    async def resolve_on_spot(
        self,
        info: Info,
        number: int,
        note: str,
        photos: list[str] | None = None,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.resolve_on_spot,
            number,
            note=note,
            photos=tuple(photos or ()),
            expected_version=expected_version,
            key=key,
        )

    @mutation("Escalate the case one level up (上报上级), saying why.")
    async def escalate_case(
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
            app.escalate_case,
            number,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("The reporter's verdict (回访): satisfaction 1 to 5.")
    async def evaluate_case(
        self,
        info: Info,
        number: int,
        satisfaction: int,
        comment: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.evaluate_case,
            number,
            satisfaction=satisfaction,
            comment=comment,
            expected_version=expected_version,
            key=key,
        )
