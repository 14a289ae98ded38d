"""The case catalog's entries: departments, urgent tiers, major classes and categories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.catalog.bilingual import Name
from domain.catalog.questions import Question, check_answers, unanswered
from domain.deadlines import Limit
from domain.errors import NotFound


class Family(StrEnum):
    COMPONENT = "component"  # 部件: a thing on the street, e.g. a manhole cover
    EVENT = "event"  # 事件: something that happens, e.g. street vending


@dataclass(frozen=True)
class Department:
    code: str
    name: Name


@dataclass(frozen=True)
class UrgentTier:
    code: str
    name: Name
    limit: Limit


@dataclass(frozen=True)
class MajorClass:
    family: Family
    code: str
    name: Name


@dataclass(frozen=True)
class Category:
    """A minor class: the unit a case is filed, dispatched and assessed under."""

    code: str
    family: Family
    major: MajorClass
    minor_code: str
    name: Name
    filing_condition: Name  # 立案条件
    closing_condition: Name  # 结案条件
    department: str  # code of the default department; a dispatch may override it
    limit: Limit
    urgent_tier: str  # code of the tier whose limit applies when the case is urgent
    public: bool = True  # false: about people; never offered to nor shown to the public
    questions: tuple[Question, ...] = ()  # extra questions a report may answer, in order

    def check_answers(self, answers: Mapping[str, Sequence[str]]) -> None:
        """The answers are to this category's questions and fit them (AnswerRefused)."""
        check_answers(self.code, self.questions, answers)

    def unanswered(self, answers: Mapping[str, Sequence[str]]) -> tuple[Question, ...]:
        """The required questions the answers leave open."""
        return unanswered(self.questions, answers)


class CatalogInvalid(ValueError):
    """The catalog data breaks a rule; the message names the entry to fix."""


class UnknownCategory(NotFound):
    """A command names a category code the catalog does not define."""


class UnknownDepartment(NotFound):
    """A command names a department code the catalog does not define."""
