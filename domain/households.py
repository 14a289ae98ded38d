"""Households of a grid and the grid worker's visits to them (走访)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalog import Catalog
from domain.errors import NotFound, RuleBroken
from domain.grids.codes import GRID_DIGITS
from domain.grids.geometry import Point
from domain.staff import Action, Actor
from domain.visits import Need, Tag, visits_due_a_year

HOUSEHOLD_DIGITS = GRID_DIGITS + 4  # grid code + 4-digit serial


def household_id(code: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/households/{code}")


def _sorted(tags: frozenset[Tag]) -> tuple[Tag, ...]:
    """Household events carry the grid and the tags after the change: a view counting
    visits due and done by grid and tag needs no table of 180,000 households."""
    return tuple(sorted(tags))


class Household(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return household_id(code)

    @classmethod
    def register(
        cls,
        code: str,
        address: str,
        location: Point,
        members: int,
        tags: Iterable[Tag],
        head_name: str,
        head_phone: str,
        by: Actor,
        at: datetime,
    ) -> Household:
        """Register a household (入户采集); name and phone are personal data."""
        if len(code) != HOUSEHOLD_DIGITS or not code.isdigit():
            raise RuleBroken(f"household code '{code}' must be {HOUSEHOLD_DIGITS} digits")
        grid = code[:GRID_DIGITS]
        by.require_area(Action.REGISTER_HOUSEHOLD, grid)
        if members < 1:
            raise RuleBroken(f"household {code} must have at least one member")
        if not address.strip():
            raise RuleBroken(f"household {code} needs an address")
        return cls(
            code=code,
            grid=grid,
            address=address.strip(),
            location=location,
            members=members,
            tags=tuple(sorted(Tag(t) for t in tags)),
            head_name=head_name,
            head_phone=head_phone,
            by=by,
            at=at,
        )

    @event("HouseholdRegistered")
    def __init__(
        self,
        code: str,
        grid: str,
        address: str,
        location: Point,
        members: int,
        tags: tuple[Tag, ...],
        head_name: str,
        head_phone: str,
        by: Actor,
        at: datetime,
    ) -> None:
        self.code, self.grid, self.address, self.members = code, grid, address, members
        self.location = location
        self.tags = frozenset(Tag(t) for t in tags)
        self.head_name, self.head_phone = head_name, head_phone
        self.moved_out = False
        self.visits: list[tuple[datetime, tuple[Need, ...]]] = []
        self.referred: dict[tuple[int, int], int] = {}  # (visit, need) -> case number

    @property
    def visits_due_a_year(self) -> int:
        return visits_due_a_year(self.tags)

    def tag(self, tag: Tag, by: Actor, at: datetime) -> None:
        self._require_present(Action.REGISTER_HOUSEHOLD, by)
        if tag in self.tags:
            raise RuleBroken(f"household {self.code} is already tagged {tag.label}")
        self._tagged(tag=tag, grid=self.grid, tags=_sorted(self.tags | {tag}), by=by, at=at)

    @event("HouseholdTagged")
    def _tagged(self, tag: Tag, grid: str, tags: tuple[Tag, ...], by: Actor, at: datetime) -> None:
        self.tags = frozenset(Tag(t) for t in tags)

    def untag(self, tag: Tag, by: Actor, at: datetime) -> None:
        self._require_present(Action.REGISTER_HOUSEHOLD, by)
        if tag not in self.tags:
            raise RuleBroken(f"household {self.code} is not tagged {tag.label}")
        self._untagged(tag=tag, grid=self.grid, tags=_sorted(self.tags - {tag}), by=by, at=at)

    @event("HouseholdUntagged")
    def _untagged(
        self, tag: Tag, grid: str, tags: tuple[Tag, ...], by: Actor, at: datetime
    ) -> None:
        self.tags = frozenset(Tag(t) for t in tags)

    def move_out(self, by: Actor, at: datetime) -> None:
        self._require_present(Action.REGISTER_HOUSEHOLD, by)
        self._moved_out(grid=self.grid, tags=_sorted(self.tags), by=by, at=at)

    @event("HouseholdMovedOut")
    def _moved_out(self, grid: str, tags: tuple[Tag, ...], by: Actor, at: datetime) -> None:
        self.moved_out = True

    # 走访 visit ----------------------------------------------------------------------------

    def record_visit(
        self, findings: str, needs: Iterable[Need], by: Actor, at: datetime, catalog: Catalog
    ) -> int:
        """Record a visit with what was found and the needs raised; returns its number."""
        self._require_present(Action.RECORD_VISIT, by)
        if not findings.strip():
            raise RuleBroken(f"a visit to household {self.code} must record what was found")
        needs = tuple(needs)
        for need in needs:
            catalog.category(need.category)
            if not need.description.strip():
                raise RuleBroken(f"a need raised at household {self.code} must be described")
        if self.visits and at < self.visits[-1][0]:
            raise RuleBroken(
                f"a visit to household {self.code} cannot be recorded before its last visit"
            )
        number = len(self.visits) + 1
        self._visit_recorded(
            visit=number,
            grid=self.grid,
            tags=_sorted(self.tags),
            findings=findings.strip(),
            needs=needs,
            by=by,
            at=at,
        )
        return number

    @event("VisitRecorded")
    def _visit_recorded(
        self,
        visit: int,
        grid: str,
        tags: tuple[Tag, ...],
        findings: str,
        needs: tuple[Need, ...],
        by: Actor,
        at: datetime,
    ) -> None:
        self.visits.append((at, tuple(needs)))

    def need(self, visit: int, need: int) -> Need:
        if not 1 <= visit <= len(self.visits):
            raise NotFound(f"household {self.code} has no visit {visit}")
        needs = self.visits[visit - 1][1]
        if not 1 <= need <= len(needs):
            raise NotFound(f"visit {visit} to household {self.code} raised no need {need}")
        return needs[need - 1]

    def refer_need(self, visit: int, need: int, case: int, by: Actor, at: datetime) -> None:
        """A need found on a visit became a case."""
        self.check_referral(visit, need)
        self._need_referred(visit=visit, need=need, case=case, by=by, at=at)

    def check_referral(self, visit: int, need: int) -> None:
        """A need opens at most one case."""
        self.need(visit, need)
        if (visit, need) in self.referred:
            raise RuleBroken(
                f"need {need} of visit {visit} to household {self.code} already became "
                f"case {self.referred[(visit, need)]}"
            )

    @event("NeedReferred")
    def _need_referred(self, visit: int, need: int, case: int, by: Actor, at: datetime) -> None:
        self.referred[(visit, need)] = case

    def _require_present(self, action: Action, by: Actor) -> None:
        by.require_area(action, self.grid)
        if self.moved_out:
            raise RuleBroken(f"household {self.code} has moved out")
