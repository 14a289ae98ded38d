"""The component register (部件): the city's things — manhole covers, street lights,
hydrants, bins — each with a 16-digit code, a place, owners and a state that cases change."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalog import Catalog, Family
from domain.errors import RuleBroken
from domain.grids.codes import DISTRICT_DIGITS
from domain.grids.geometry import Point
from domain.staff import Action, Actor

COMPONENT_DIGITS = 16  # 6 district + 2 major class + 2 minor class + 6 serial


class ComponentState(StrEnum):
    INTACT = "intact"  # 完好
    FAULTY = "faulty"  # 有问题 (a filed case is open against it)
    REMOVED = "removed"  # 已拆除


class ComponentOutcome(StrEnum):
    """What a department's fix did to the component."""

    REPAIRED = "repaired"
    REMOVED = "removed"


def component_id(code: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/components/{code}")


def category_of(code: str) -> str:
    """The catalog category a component code names: 'C' + its major and minor class."""
    return "C" + code[DISTRICT_DIGITS : DISTRICT_DIGITS + 4]


class Component(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return component_id(code)

    @classmethod
    def register(
        cls,
        code: str,
        location: Point,
        grid: str,
        owner: str,
        maintainer: str,
        by: Actor,
        at: datetime,
        catalog: Catalog,
    ) -> Component:
        by.require(Action.REGISTER_COMPONENT)
        if len(code) != COMPONENT_DIGITS or not code.isdigit():
            raise RuleBroken(f"component code '{code}' must be {COMPONENT_DIGITS} digits")
        if not grid.startswith(code[:DISTRICT_DIGITS]):
            raise RuleBroken(f"component {code} lies in grid {grid} of another district")
        category = catalog.category(category_of(code))
        if category.family is not Family.COMPONENT:
            raise RuleBroken(f"component {code}: category {category.code} is not a component class")
        catalog.department(owner)
        catalog.department(maintainer)
        return cls(
            code=code,
            category=category.code,
            location=location,
            grid=grid,
            owner=owner,
            maintainer=maintainer,
            by=by,
            at=at,
        )

    @event("ComponentRegistered")
    def __init__(
        self,
        code: str,
        category: str,
        location: Point,
        grid: str,
        owner: str,
        maintainer: str,
        by: Actor,
        at: datetime,
    ) -> None:
        self.code, self.category, self.location, self.grid = code, category, location, grid
        self.owner, self.maintainer = owner, maintainer
        self.state = ComponentState.INTACT
        self.open_case: int | None = None

    def record_fault(self, case: int, by: Actor, at: datetime) -> None:
        """A case about the component was filed: it is faulty until a fix says otherwise."""
        if self.state is ComponentState.REMOVED:
            raise RuleBroken(f"component {self.code} has been removed: file no case against it")
        self._fault_found(case=case, by=by, at=at)

    @event("ComponentFaultFound")
    def _fault_found(self, case: int, by: Actor, at: datetime) -> None:
        self.state, self.open_case = ComponentState.FAULTY, case

    def apply_fix(self, case: int, outcome: ComponentOutcome, by: Actor, at: datetime) -> None:
        if self.state is ComponentState.REMOVED:
            raise RuleBroken(f"component {self.code} has already been removed")
        if outcome is ComponentOutcome.REPAIRED:
            self._repaired(case=case, by=by, at=at)
        else:
            self._removed(case=case, by=by, at=at)

    @event("ComponentRepaired")
    def _repaired(self, case: int, by: Actor, at: datetime) -> None:
        self.state, self.open_case = ComponentState.INTACT, None

    @event("ComponentRemoved")
    def _removed(self, case: int, by: Actor, at: datetime) -> None:
        self.state, self.open_case = ComponentState.REMOVED, None
