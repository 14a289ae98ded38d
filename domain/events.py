"""The events of the practice under the names clients see (`CaseDispatched`), and the
stored topics behind each name (a name can have several: an event class is redefined
on each aggregate subclass)."""

from __future__ import annotations

from collections import defaultdict

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import get_topic

from domain.cases.case import Case
from domain.cases.handling import Handling
from domain.cases.intake import Intake
from domain.components import Component
from domain.grids.district import District
from domain.households import Household
from domain.receipts import Receipt
from domain.staff import Staff
from domain.tokens import Token

_LIBRARY_BASES = {"Event", "Created", "Snapshot"}
AGGREGATES = (Intake, Handling, Case, District, Household, Component, Staff, Receipt, Token)


def _topics_by_name() -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = defaultdict(set)
    for aggregate in AGGREGATES:
        for value in vars(aggregate).values():
            if (
                isinstance(value, type)
                and issubclass(value, DomainEvent)
                and value.__name__ not in _LIBRARY_BASES
            ):
                found[value.__name__].add(get_topic(value))
    return {name: tuple(sorted(topics)) for name, topics in found.items()}


TOPICS = _topics_by_name()
EVENT_NAMES = tuple(sorted(TOPICS))
CASE_EVENTS = frozenset(
    name for name, topics in TOPICS.items() if any(t.startswith("domain.cases.") for t in topics)
)
"""The events of cases: what a department's stream is made of."""
PERSONAL = frozenset({"reporter_name", "reporter_phone", "head_name", "head_phone"})
"""Fields of events that hold personal data: shown only to the operator and the assigned
grid worker, never in public outputs or logs."""


def topics_of(names: list[str]) -> list[str]:
    """The stored topics of the named events; an unknown name is an error naming it."""
    unknown = [n for n in names if n not in TOPICS]
    if unknown:
        raise ValueError(
            f"unknown event name {', '.join(unknown)}; known: {', '.join(EVENT_NAMES)}"
        )
    return [topic for name in names for topic in TOPICS[name]]
