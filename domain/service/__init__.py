"""The application service: one method per command of the practice."""

from typing import ClassVar

from domain.service.closing import ClosingService
from domain.service.commands import Change, Recorded
from domain.service.components import ComponentPlan, ComponentService
from domain.service.handling import HandlingService
from domain.service.households import HouseholdPlan, HouseholdService
from domain.service.intake import IntakeService
from domain.service.staff import StaffPlan, StaffService
from domain.service.tokens import TokenService


class GridCenter(
    IntakeService,
    HandlingService,
    ClosingService,
    HouseholdService,
    ComponentService,
    StaffService,
    TokenService,
):
    """The gridcenter application: every command of the practice, recorded as events."""

    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "10000"}


__all__ = [
    "Change",
    "ComponentPlan",
    "GridCenter",
    "HouseholdPlan",
    "Recorded",
    "StaffPlan",
]
