"""Staff use cases: enrolling staff with their role and scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.errors import RuleBroken
from domain.service.commands import Change, ServiceBase, use_case
from domain.staff import Actor, Role, Staff, staff_id


@dataclass(frozen=True)
class StaffPlan:
    code: str
    name: str
    role: Role
    area: tuple[str, ...] = ()
    department: str | None = None


class StaffService(ServiceBase):
    @use_case
    def enrol_staff(
        self, staff: Sequence[StaffPlan], by: Actor, at: datetime, key: str | None = None
    ) -> Change:
        if not staff:
            raise RuleBroken("name at least one staff member to enrol")
        enrolled = []
        for plan in staff:
            if plan.department is not None:
                self.catalog.department(plan.department)
            enrolled.append(
                Staff.enrol(
                    plan.code, plan.name, plan.role, plan.area, plan.department, by=by, at=at
                )
            )
        return Change(enrolled[0], tuple(enrolled[1:]))

    @use_case
    def reassign_staff(
        self,
        code: str,
        area: tuple[str, ...],
        by: Actor,
        at: datetime,
        department: str | None = None,
        key: str | None = None,
    ) -> Change:
        member = self._member(code)
        if department is not None:
            self.catalog.department(department)
        member.reassign(area, department, by=by, at=at)
        return Change(member)

    @use_case
    def staff_leaves(self, code: str, by: Actor, at: datetime, key: str | None = None) -> Change:
        member = self._member(code)
        member.leave(by=by, at=at)
        return Change(member)

    def actor(self, code: str) -> Actor:
        """The actor a staff member acts as (their role and scope today)."""
        return self._member(code).actor()

    def _member(self, code: str) -> Staff:
        return self.load(Staff, staff_id(code), f"staff {code}")
