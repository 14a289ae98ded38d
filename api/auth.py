"""Who is asking, and what they may read. A request names its caller with a bearer
token (the `Authorization` header over HTTP; the same key in the connection_init
payload over WebSocket). Every root field needs a caller; what they may read follows
DESIGN.md's roles: the operator, auditors and admins read the district; grid workers
and supervisors their area; department staff the cases dispatched to their department."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strawberry.permission import BasePermission

from api.errors import Refused
from domain.staff import Actor, Role
from infra.bootstrap import Services
from infra.tokens import digest_of

DISTRICT_READERS = frozenset({Role.OPERATOR, Role.AUDITOR, Role.ADMIN})
AREA_READERS = frozenset({Role.GRID_WORKER, Role.SUPERVISOR})


class SignedIn(BasePermission):
    message = "sign in first: send 'Authorization: Bearer <token>'"
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012 - strawberry's interface

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return info.context.viewer is not None


def bearer(services: Services, credentials: Mapping[str, Any]) -> Actor | None:
    """The caller named by an `Authorization: Bearer …` entry; None if there is none.
    A token that does not work raises NotPermitted."""
    value = credentials.get("Authorization") or credentials.get("authorization")
    if not value:
        return None
    scheme, _, secret = str(value).partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Refused("send 'Authorization: Bearer <token>'", "UNAUTHENTICATED")
    return services.app.bearer(digest_of(secret.strip()))


def read_area(viewer: Actor, code: str) -> None:
    """May `viewer` read the grids and cases under the area `code`?"""
    if viewer.role in DISTRICT_READERS:
        return
    if viewer.role in AREA_READERS and viewer.covers(code):
        return
    if viewer.role in AREA_READERS and any(prefix.startswith(code) for prefix in viewer.area):
        raise Refused(f"{viewer} reads only within {', '.join(viewer.area)}: name one of them")
    raise Refused(f"{viewer} may not read area {code or 'the district'}")


def read_department(viewer: Actor, department: str | None) -> None:
    """May `viewer` read the cases of `department` (None: every department's)?"""
    if viewer.role is Role.DEPARTMENT and department != viewer.department:
        raise Refused(f"{viewer} reads only the cases of department {viewer.department}")


def read_history(viewer: Actor) -> None:
    """Time travel is the auditors' (DESIGN.md: what only auditors see)."""
    if viewer.role is not Role.AUDITOR:
        raise Refused(f"{viewer} may not travel in time: views as of the past are for auditors")


def read_stream(viewer: Actor, department: str | None) -> str | None:
    """May `viewer` stream the events (of `department`: None for the whole log)? Returns
    the department whose stream they get: department staff always get their own."""
    if viewer.role is Role.DEPARTMENT:
        read_department(viewer, department or viewer.department)
        return viewer.department
    if viewer.role not in DISTRICT_READERS:
        stream = f"the event stream of department {department}" if department else None
        raise Refused(f"{viewer} may not read {stream or 'the whole event stream'}")
    return department
