"""Household visits (走访): who must be visited how often, and what a visit found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tag(StrEnum):
    ELDERLY_ALONE = "elderly_alone"  # 独居老人
    EMPTY_NEST = "empty_nest"  # 空巢老人
    DISABLED = "disabled"  # 残疾人
    LOW_INCOME = "low_income"  # 低保户
    SPECIAL_CARE = "special_care"  # 重点关注人员 (e.g. severe mental illness under care)
    LEFT_BEHIND_CHILD = "left_behind_child"  # 留守儿童
    VETERAN = "veteran"  # 退役军人
    RENTED = "rented"  # 出租房屋

    @property
    def label(self) -> str:
        return _TAG_LABELS[self]


_TAG_LABELS = {
    Tag.ELDERLY_ALONE: "elderly living alone (独居老人)",
    Tag.EMPTY_NEST: "empty-nest elderly (空巢老人)",
    Tag.DISABLED: "disabled (残疾人)",
    Tag.LOW_INCOME: "low-income (低保户)",
    Tag.SPECIAL_CARE: "special care (重点关注)",
    Tag.LEFT_BEHIND_CHILD: "left-behind child (留守儿童)",
    Tag.VETERAN: "veteran (退役军人)",
    Tag.RENTED: "rented (出租房屋)",
}

ORDINARY_VISITS_A_YEAR = 4
"""Every household is visited at least four times a year."""

KEY_VISITS_A_YEAR = {
    Tag.ELDERLY_ALONE: 12,
    Tag.SPECIAL_CARE: 12,
    Tag.DISABLED: 6,
    Tag.LOW_INCOME: 6,
    Tag.EMPTY_NEST: 6,
    Tag.LEFT_BEHIND_CHILD: 6,
}
"""Key households (重点户) are visited more: monthly or every other month."""


def visits_due_a_year(tags: frozenset[Tag]) -> int:
    return max([ORDINARY_VISITS_A_YEAR, *(KEY_VISITS_A_YEAR.get(tag, 0) for tag in tags)])


def is_key_household(tags: frozenset[Tag]) -> bool:
    return any(tag in KEY_VISITS_A_YEAR for tag in tags)


@dataclass(frozen=True)
class Need:
    """A need raised on a visit; it may become a case of the given category."""

    category: str
    description: str

    def to_dict(self) -> dict[str, str]:
        return {"category": self.category, "description": self.description}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Need:
        return cls(category=data["category"], description=data["description"])


def visit_ref(household: str, visit: int, need: int) -> str:
    """How a case names the visit need it came from: '<household code>#<visit>/<need>'."""
    return f"{household}#{visit}/{need}"
