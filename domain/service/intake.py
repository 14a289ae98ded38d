"""Case intake use cases: report (上报), on-site check (核实), filing, rejection, merging."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.cases import Case, Channel, Report
from domain.components import Component, component_id
from domain.grids.geometry import Point
from domain.households import Household, household_id
from domain.service.commands import Change, ServiceBase, use_case
from domain.service.grids import MapService
from domain.staff import Actor
from domain.visits import visit_ref


class IntakeService(MapService, ServiceBase):
    @use_case
    def report_case(
        self,
        channel: Channel,
        category: str,
        location: Point,
        description: str,
        by: Actor,
        at: datetime,
        photos: tuple[str, ...] = (),
        component: str | None = None,
        reporter_name: str | None = None,
        reporter_phone: str | None = None,
        address: str | None = None,
        answers: Mapping[str, Sequence[str]] | None = None,
        key: str | None = None,
    ) -> Change:
        if component is not None:
            self.load(Component, component_id(component), f"component {component}")
        report = Report(
            channel=channel,
            category=category,
            location=location,
            grid=self.locate(location, at),
            description=description,
            photos=photos,
            component=component,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            address=address,
            answers={code: tuple(values) for code, values in (answers or {}).items()},
        )
        Case.check_report(report, by, at, self.catalog)
        number = self.store.next_number("case")
        return Change(Case.report(number, report, by, at, self.catalog), number=number)

    @use_case
    def report_need(
        self,
        household: str,
        visit: int,
        need: int,
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        """A need found on a visit becomes a case linked to that visit."""
        home = self.load(Household, household_id(household), f"household {household}")
        raised = home.need(visit, need)
        report = Report(
            channel=Channel.VISIT,
            category=raised.category,
            location=home.location,
            grid=self.locate(home.location, at),
            description=raised.description,
            visit=visit_ref(household, visit, need),
        )
        Case.check_report(report, by, at, self.catalog)
        home.check_referral(visit, need)
        number = self.store.next_number("case")
        case = Case.report(number, report, by, at, self.catalog)
        home.refer_need(visit=visit, need=need, case=number, by=by, at=at)
        return Change(case, (home,), number=number)

    @use_case
    def confirm_report(
        self,
        number: int,
        found: bool,
        note: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number,
            expected_version,
            lambda case: case.confirm_report(found=found, note=note, by=by, at=at),
        )

    @use_case
    def file_case(
        self,
        number: int,
        by: Actor,
        at: datetime,
        category: str | None = None,
        urgent: bool = False,
        note: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        case = self.case(number, expected_version)
        case.file(category=category, urgent=urgent, note=note, by=by, at=at, catalog=self.catalog)
        others: tuple[Component, ...] = ()
        if case.component is not None:
            part = self.load(Component, component_id(case.component), f"component {case.component}")
            part.record_fault(case=number, by=by, at=at)
            others = (part,)
        return Change(case, others, number=number)

    @use_case
    def reject_case(
        self,
        number: int,
        reason: str,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        return self.step(
            number, expected_version, lambda case: case.reject(reason=reason, by=by, at=at)
        )

    @use_case
    def merge_case(
        self,
        number: int,
        into: int,
        by: Actor,
        at: datetime,
        expected_version: int | None = None,
        key: str | None = None,
    ) -> Change:
        case, target = self.case(number, expected_version), self.case(into, None)
        case.merge_into(target, by=by, at=at)
        return Change(case, (target,), number=number)
