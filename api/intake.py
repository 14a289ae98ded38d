"""Intake (受理) as mutations: reports come in, are checked on site when the public made
them, and are filed as cases, rejected or merged. Case commands take the version the
client read (`expectedVersion`: a stale read is a VersionConflict) and an idempotency key
(`key`: a retry returns the first answer and records nothing)."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.geography import Location
from api.outcomes import Outcome, command, mutation
from domain.cases import Channel as Channels

Channel = strawberry.enum(Channels, description="How a report came in.")


@strawberry.input(description="An answer to one of the category's extra questions.")
class Answer:
    question: str = strawberry.field(description="The question's code (see catalog).")
    values: list[str] = strawberry.field(description="One value; several for a multiple choice.")


@strawberry.type
class Mutation:
    @mutation("Report a problem (上报) at a location; its grid is found from it.")
    async def report_case(
        self,
        info: Info,
        channel: Channel,  # type: ignore[valid-type]
        category: str,
        location: Location,
        description: str,
        photos: list[str] | None = None,
        component: str | None = None,
        reporter_name: str | None = None,
        reporter_phone: str | None = None,
        address: str | None = None,
        answers: list[Answer] | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.report_case,
            address=address,
            answers={a.question: a.values for a in answers or ()},
            channel=Channels(channel),
            category=category,
            location=location.point(),
            description=description,
            photos=tuple(photos or ()),
            component=component,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            key=key,
        )

    @mutation("The on-site check of a public report (核实): found, or not.")
    async def confirm_report(
        self,
        info: Info,
        number: int,
        found: bool,
        note: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.confirm_report,
            number,
            found=found,
            note=note,
            expected_version=expected_version,
            key=key,
        )

    @mutation("File a report as a case (立案), maybe under another category, maybe urgent.")
    async def file_case(
        self,
        info: Info,
        number: int,
        category: str | None = None,
        urgent: bool = False,
        note: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.file_case,
            number,
            category=category,
            urgent=urgent,
            note=note,
            expected_version=expected_version,
            key=key,
        )

    @mutation("Reject a report (不予立案), saying why.")
    async def reject_case(
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
            app.reject_case,
            number,
            reason=reason,
            expected_version=expected_version,
            key=key,
        )

    @mutation("Merge a duplicate report into another case.")
    async def merge_case(
        self,
        info: Info,
        number: int,
        into: int,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info, app.merge_case, number, into=into, expected_version=expected_version, key=key
        )
