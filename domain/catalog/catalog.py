"""The catalog as a whole: its entries by code, and the limits a dispatch takes from it.

The catalog is data an admin edits, not code; it is built from the parsed file by
`from_records`, which checks a whole edit up front (domain/catalog/records.py), so a typo
is refused when the catalog loads, not when a case is dispatched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.catalog.entries import (
    CatalogInvalid,
    Category,
    Department,
    Family,
    MajorClass,
    UnknownCategory,
    UnknownDepartment,
    UrgentTier,
)
from domain.catalog.records import (
    SECTIONS,
    read_category,
    read_department,
    read_major,
    read_tier,
    records,
    unique,
)
from domain.deadlines import Limit


class Catalog:
    """The validated catalog; build it with `from_records` so every rule is checked."""

    def __init__(
        self,
        version: str,
        departments: Mapping[str, Department],
        tiers: Mapping[str, UrgentTier],
        categories: Mapping[str, Category],
    ) -> None:
        self.version = version
        self._departments = dict(departments)
        self._tiers = dict(tiers)
        self._categories = dict(categories)

    @classmethod
    def from_records(cls, data: Mapping[str, Any]) -> Catalog:
        """Build from the parsed catalog file, refusing the first entry that breaks a rule."""
        unknown = sorted(set(data) - {"version", *SECTIONS})
        if unknown:
            raise CatalogInvalid(f"catalog: unknown section {unknown[0]!r}")
        version = data.get("version")
        if not isinstance(version, str) or not version.strip():
            raise CatalogInvalid("catalog: 'version' must be non-empty text")
        departments = unique("department", map(read_department, records(data, "department")))
        tiers = unique("urgent tier", map(read_tier, records(data, "urgent_tier")))
        majors: dict[tuple[Family, str], MajorClass] = {}
        for record in records(data, "major_class"):
            found = read_major(record)
            if (found.family, found.code) in majors:
                raise record.invalid(f"defined twice for the {found.family} family")
            majors[found.family, found.code] = found
        categories = unique(
            "category",
            (read_category(r, majors, departments, tiers) for r in records(data, "category")),
        )
        return cls(version, departments, tiers, categories)

    def category(self, code: str) -> Category:
        try:
            return self._categories[code]
        except KeyError:
            raise UnknownCategory(f"unknown category {code!r}") from None

    def department(self, code: str) -> Department:
        try:
            return self._departments[code]
        except KeyError:
            raise UnknownDepartment(f"unknown department {code!r}") from None

    def handling_limit(self, code: str, urgent: bool) -> Limit:
        """The limit a dispatch deadline is computed from: an urgent case takes its tier's."""
        category = self.category(code)
        return self._tiers[category.urgent_tier].limit if urgent else category.limit

    def categories(self, family: Family | None = None) -> list[Category]:
        return [
            category
            for _, category in sorted(self._categories.items())
            if family is None or category.family is family
        ]

    @property
    def departments(self) -> list[Department]:
        return [department for _, department in sorted(self._departments.items())]

    @property
    def tiers(self) -> list[UrgentTier]:
        return [tier for _, tier in sorted(self._tiers.items())]
