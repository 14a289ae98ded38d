"""Component register use cases (部件普查)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.components import Component
from domain.errors import RuleBroken
from domain.grids.geometry import Point
from domain.service.commands import Change, ServiceBase, use_case
from domain.service.grids import MapService
from domain.staff import Actor


@dataclass(frozen=True)
class ComponentPlan:
    code: str
    location: Point
    owner: str
    maintainer: str


class ComponentService(MapService, ServiceBase):
    @use_case
    def register_components(
        self,
        components: Sequence[ComponentPlan],
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        """Register components found in a survey; each is located in its grid."""
        if not components:
            raise RuleBroken("name at least one component to register")
        grids = self.locator(at).locate_many([c.location for c in components])
        registered = []
        for plan, grid in zip(components, grids, strict=True):
            if grid is None:
                raise RuleBroken(f"component {plan.code} lies outside the district")
            registered.append(
                Component.register(
                    code=plan.code,
                    location=plan.location,
                    grid=grid,
                    owner=plan.owner,
                    maintainer=plan.maintainer,
                    by=by,
                    at=at,
                    catalog=self.catalog,
                )
            )
        return Change(registered[0], tuple(registered[1:]))
