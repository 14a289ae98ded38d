"""Staff, roles and scopes: who may do what, and where.

Every event records its actor (`by`) as an `Actor`: the staff member's id, name, role
and scope at the moment they acted, so history never depends on today's roster.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import NotPermitted, RuleBroken


class Role(StrEnum):
    GRID_WORKER = "grid_worker"  # 网格员
    SUPERVISOR = "supervisor"  # 监督员
    OPERATOR = "operator"  # 指挥中心
    DEPARTMENT = "department"  # 职能部门
    AUDITOR = "auditor"  # 审计/考核
    ADMIN = "admin"
    PUBLIC = "public"  # residents via hotline, app, Open311
    SYSTEM = "system"  # the deadline watcher

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.GRID_WORKER: "grid worker (网格员)",
    Role.SUPERVISOR: "supervisor (监督员)",
    Role.OPERATOR: "operator (指挥中心)",
    Role.DEPARTMENT: "department staff (职能部门)",
    Role.AUDITOR: "auditor (审计/考核)",
    Role.ADMIN: "admin",
    Role.PUBLIC: "member of the public",
    Role.SYSTEM: "system",
}


class Action(StrEnum):
    """Every command of the practice, named as in the glossary."""

    REPORT_CASE = "report_case"
    CONFIRM_REPORT = "confirm_report"
    FILE_CASE = "file_case"
    REJECT_CASE = "reject_case"
    MERGE_CASE = "merge_case"
    DISPATCH_CASE = "dispatch_case"
    ACCEPT_CASE = "accept_case"
    RETURN_CASE = "return_case"
    HANDLE_CASE = "handle_case"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    SUSPEND_CASE = "suspend_case"
    RESUME_CASE = "resume_case"
    VERIFY_CASE = "verify_case"
    CLOSE_CASE = "close_case"
    RESOLVE_ON_SPOT = "resolve_on_spot"
    ESCALATE_CASE = "escalate_case"
    WATCH_DEADLINE = "watch_deadline"
    EVALUATE_CASE = "evaluate_case"
    RECORD_VISIT = "record_visit"
    REGISTER_HOUSEHOLD = "register_household"
    REGISTER_COMPONENT = "register_component"
    DRAW_MAP = "draw_map"  # geography: district, streets, communities, grids
    ENROL_STAFF = "enrol_staff"
    ISSUE_TOKEN = "issue_token"  # and revoke one


_FIELD_WORK = frozenset(
    {
        Action.REPORT_CASE,
        Action.CONFIRM_REPORT,
        Action.VERIFY_CASE,
        Action.RESOLVE_ON_SPOT,
        Action.ESCALATE_CASE,
        Action.RECORD_VISIT,
        Action.REGISTER_HOUSEHOLD,
    }
)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.GRID_WORKER: _FIELD_WORK,
    Role.SUPERVISOR: _FIELD_WORK,
    Role.OPERATOR: frozenset(
        {
            Action.REPORT_CASE,  # hotline call-takers enter 12345 reports
            Action.FILE_CASE,
            Action.REJECT_CASE,
            Action.MERGE_CASE,
            Action.DISPATCH_CASE,
            Action.GRANT_EXTENSION,
            Action.REFUSE_EXTENSION,
            Action.SUSPEND_CASE,
            Action.RESUME_CASE,
            Action.CLOSE_CASE,
            Action.ESCALATE_CASE,
            Action.EVALUATE_CASE,  # the return call (回访) records the reporter's verdict
        }
    ),
    Role.DEPARTMENT: frozenset(
        {Action.ACCEPT_CASE, Action.RETURN_CASE, Action.HANDLE_CASE, Action.REQUEST_EXTENSION}
    ),
    Role.AUDITOR: frozenset(),
    Role.ADMIN: frozenset(
        {
            Action.DRAW_MAP,
            Action.ENROL_STAFF,
            Action.ISSUE_TOKEN,
            Action.REGISTER_HOUSEHOLD,
            Action.REGISTER_COMPONENT,
        }
    ),
    Role.PUBLIC: frozenset({Action.REPORT_CASE, Action.EVALUATE_CASE}),
    Role.SYSTEM: frozenset({Action.WATCH_DEADLINE}),
}


@dataclass(frozen=True)
class Actor:
    """Who acted. `area` holds area-code prefixes (a grid worker's grids, a supervisor's
    community or street, the operator's district); `department` a department code."""

    id: str
    name: str
    role: Role
    area: tuple[str, ...] = ()
    department: str | None = None

    def __str__(self) -> str:
        return f"{self.name} ({self.role.label})"

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def require(self, action: Action) -> None:
        if not self.may(action):
            raise NotPermitted(f"{self} may not {action.value.replace('_', ' ')}")

    def covers(self, area_code: str) -> bool:
        """Whether `area_code` (a grid, community, … code) lies within this actor's area."""
        return any(area_code.startswith(prefix) for prefix in self.area)

    def require_area(self, action: Action, area_code: str) -> None:
        self.require(action)
        if not self.covers(area_code):
            raise NotPermitted(
                f"{self} may not {action.value.replace('_', ' ')} in grid {area_code}: "
                "it is outside their area"
            )

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "area": list(self.area),
            "department": self.department,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Actor:
        area = data.get("area") or []
        department = data.get("department")
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            role=Role(str(data["role"])),
            area=tuple(str(a) for a in area) if isinstance(area, list | tuple) else (),
            department=str(department) if department is not None else None,
        )


def staff_id(code: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/staff/{code}")


class Staff(Aggregate):
    """A staff member and the scope they work in."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return staff_id(code)

    @classmethod
    def enrol(
        cls,
        code: str,
        name: str,
        role: Role,
        area: tuple[str, ...],
        department: str | None,
        by: Actor,
        at: datetime,
    ) -> Staff:
        by.require(Action.ENROL_STAFF)
        _check_scope(code, role, area, department)
        return cls(code=code, name=name, role=role, area=area, department=department, by=by, at=at)

    @event("StaffEnrolled")
    def __init__(
        self,
        code: str,
        name: str,
        role: Role,
        area: tuple[str, ...],
        department: str | None,
        by: Actor,
        at: datetime,
    ) -> None:
        self.code, self.name, self.role = code, name, Role(role)
        self.area, self.department = tuple(area), department
        self.active = True

    def reassign(
        self, area: tuple[str, ...], department: str | None, by: Actor, at: datetime
    ) -> None:
        by.require(Action.ENROL_STAFF)
        if not self.active:
            raise RuleBroken(f"staff {self.code} cannot be reassigned: they have left")
        _check_scope(self.code, self.role, area, department)
        self._reassigned(area=area, department=department, by=by, at=at)

    @event("StaffReassigned")
    def _reassigned(
        self, area: tuple[str, ...], department: str | None, by: Actor, at: datetime
    ) -> None:
        self.area, self.department = tuple(area), department

    def leave(self, by: Actor, at: datetime) -> None:
        by.require(Action.ENROL_STAFF)
        if not self.active:
            raise RuleBroken(f"staff {self.code} cannot leave: they have already left")
        self._left(by=by, at=at)

    @event("StaffLeft")
    def _left(self, by: Actor, at: datetime) -> None:
        self.active = False

    def actor(self) -> Actor:
        if not self.active:
            raise NotPermitted(f"staff {self.code} has left and can no longer act")
        return Actor(self.code, self.name, self.role, self.area, self.department)


def _check_scope(code: str, role: Role, area: tuple[str, ...], department: str | None) -> None:
    if role is Role.DEPARTMENT and not department:
        raise RuleBroken(f"staff {code} is department staff and needs a department")
    if role in (Role.GRID_WORKER, Role.SUPERVISOR, Role.OPERATOR) and not area:
        raise RuleBroken(f"staff {code} is a {role.label} and needs an area")
