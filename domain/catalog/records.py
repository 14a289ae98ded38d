"""Reading the catalog file's entries: each record checked field by field, so that every
complaint names the entry to fix and an unknown field is refused as the typo it is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from domain.catalog.bilingual import Name
from domain.catalog.entries import (
    CatalogInvalid,
    Category,
    Department,
    Family,
    MajorClass,
    UrgentTier,
)
from domain.catalog.questions import CODE, Choice, Datatype, Question
from domain.deadlines import Limit, TimeUnit

# What each section's entries may hold: an unknown field is a typo, not an extension.
SECTIONS = {
    "department": frozenset({"code", "name"}),
    "urgent_tier": frozenset({"code", "name", "limit"}),
    "major_class": frozenset({"family", "code", "name"}),
    "category": frozenset(
        {
            "code",
            "name",
            "filing_condition",
            "closing_condition",
            "department",
            "limit",
            "urgent_tier",
            "public",
            "question",
        }
    ),
}
_QUESTION_FIELDS = frozenset({"code", "datatype", "required", "description", "hint", "values"})
_CHOICE_FIELDS = frozenset({"key", "name"})
_CATEGORY_CODE = re.compile(r"([CE])(\d\d)(\d\d)")
_MAJOR_CODE = re.compile(r"\d\d")
_FAMILY_OF_LETTER = {"C": Family.COMPONENT, "E": Family.EVENT}
# Only to check that an urgent tier is faster than the normal limit, never for deadlines:
# a work day counts as 7 work hours and a clock hour as a work hour.
_HOURS_PER_UNIT = {TimeUnit.WORK_HOURS: 1, TimeUnit.CLOCK_HOURS: 1, TimeUnit.WORK_DAYS: 7}


class _Record:
    """One entry of the catalog file, read so that every complaint names it."""

    def __init__(
        self,
        section: str,
        number: int,
        raw: object,
        fields: frozenset[str] | None = None,
        within: str = "",
    ) -> None:
        kind = within + section.replace("_", " ")
        if not isinstance(raw, Mapping):
            raise CatalogInvalid(f"{kind} #{number}: expected a table of fields")
        code = raw.get("code", raw.get("key"))
        self.label = f"{kind} {code}" if isinstance(code, str) and code else f"{kind} #{number}"
        self.raw: Mapping[str, object] = raw
        unknown = sorted(set(raw) - (SECTIONS[section] if fields is None else fields))
        if unknown:
            raise self.invalid(f"unknown field {unknown[0]!r}")

    def invalid(self, problem: str) -> CatalogInvalid:
        return CatalogInvalid(f"{self.label}: {problem}")

    def text(self, key: str) -> str:
        return self._text(self.raw, key, key)

    def name(self, key: str) -> Name:
        table = self.raw.get(key)
        if not isinstance(table, Mapping):
            raise self.invalid(f"missing field {key!r} with its zh and en text")
        return Name(
            zh=self._text(table, "zh", f"{key}.zh"), en=self._text(table, "en", f"{key}.en")
        )

    def optional_name(self, key: str) -> Name | None:
        return None if self.raw.get(key) is None else self.name(key)

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.invalid(f"field {key!r} must be true or false")
        return value

    def entries(self, key: str) -> list[object]:
        value = self.raw.get(key, [])
        if not isinstance(value, list):
            raise self.invalid(f"field {key!r} must be a list of tables")
        return value

    def limit(self) -> Limit:
        text = self.text("limit")
        try:
            limit = Limit.parse(text)
        except ValueError:
            units = ", ".join(TimeUnit)
            raise self.invalid(
                f"limit {text!r} is not '<amount> <unit>', the unit one of {units}"
            ) from None
        if limit.amount <= 0:
            raise self.invalid(f"limit {text!r} must be positive")
        return limit

    def _text(self, table: Mapping[str, object], key: str, field: str) -> str:
        value = table.get(key)
        if value is None:
            raise self.invalid(f"missing field {field!r}")
        if not isinstance(value, str) or not value.strip():
            raise self.invalid(f"field {field!r} must be non-empty text")
        return value


def records(data: Mapping[str, Any], section: str) -> list[_Record]:
    entries = data.get(section)
    if not isinstance(entries, list) or not entries:
        raise CatalogInvalid(f"catalog: no [[{section}]] entries")
    return [_Record(section, number, raw) for number, raw in enumerate(entries, start=1)]


_Coded = TypeVar("_Coded", Department, UrgentTier, Category)


def unique(kind: str, items: Iterable[_Coded]) -> dict[str, _Coded]:
    by_code: dict[str, _Coded] = {}
    for item in items:
        if item.code in by_code:
            raise CatalogInvalid(f"{kind} {item.code}: defined twice")
        by_code[item.code] = item
    return by_code


def read_department(record: _Record) -> Department:
    return Department(code=record.text("code"), name=record.name("name"))


def read_tier(record: _Record) -> UrgentTier:
    return UrgentTier(code=record.text("code"), name=record.name("name"), limit=record.limit())


def read_major(record: _Record) -> MajorClass:
    family, code = record.text("family"), record.text("code")
    if family not in {member.value for member in Family}:
        raise record.invalid(f"unknown family {family!r}; use component or event")
    if not _MAJOR_CODE.fullmatch(code) or code == "00":
        raise record.invalid("code must be two digits from '01', e.g. '03'")
    return MajorClass(family=Family(family), code=code, name=record.name("name"))


def read_category(
    record: _Record,
    majors: Mapping[tuple[Family, str], MajorClass],
    departments: Mapping[str, Department],
    tiers: Mapping[str, UrgentTier],
) -> Category:
    code = record.text("code")
    match = _CATEGORY_CODE.fullmatch(code)
    if match is None or match[3] == "00":
        raise record.invalid(
            "code must be the family letter (C component, E event), the 2-digit major class "
            "and a 2-digit minor class from '01', e.g. 'C0101'"
        )
    letter, major_code, minor_code = match.groups()
    family = _FAMILY_OF_LETTER[letter]
    major = majors.get((family, major_code))
    if major is None:
        raise record.invalid(f"no {family} major class {major_code!r}")
    department = record.text("department")
    if department not in departments:
        raise record.invalid(f"unknown department {department!r}")
    tier_code = record.text("urgent_tier")
    if tier_code not in tiers:
        raise record.invalid(f"unknown urgent tier {tier_code!r}")
    limit, tier = record.limit(), tiers[tier_code]
    if _hours(tier.limit) >= _hours(limit):
        raise record.invalid(
            f"urgent tier {tier.code} ({tier.limit}) is not shorter than the limit ({limit})"
        )
    return Category(
        code=code,
        family=family,
        major=major,
        minor_code=minor_code,
        name=record.name("name"),
        filing_condition=record.name("filing_condition"),
        closing_condition=record.name("closing_condition"),
        department=department,
        limit=limit,
        urgent_tier=tier_code,
        public=record.flag("public", True),
        questions=_questions(record),
    )


def _questions(category: _Record) -> tuple[Question, ...]:
    within = f"{category.label}: "
    questions = [
        _question(_Record("question", n, raw, _QUESTION_FIELDS, within))
        for n, raw in enumerate(category.entries("question"), start=1)
    ]
    codes = [q.code for q in questions]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise category.invalid(f"question {twice[0]} is asked twice")
    return tuple(questions)


def _question(record: _Record) -> Question:
    code, datatype = record.text("code"), record.text("datatype")
    if not CODE.fullmatch(code):
        raise record.invalid("code must be a letter, then letters, digits or _ (40 at most)")
    if datatype not in {d.value for d in Datatype}:
        raise record.invalid(f"datatype {datatype!r} is not one of {', '.join(Datatype)}")
    kind = Datatype(datatype)
    within = f"{record.label}: "
    choices = tuple(
        _choice(_Record("value", n, raw, _CHOICE_FIELDS, within))
        for n, raw in enumerate(record.entries("values"), start=1)
    )
    if kind.is_list and not choices:
        raise record.invalid(f"a {kind} question needs its values")
    if choices and not kind.is_list:
        raise record.invalid(f"a {kind} question takes no values")
    keys = [c.key for c in choices]
    if len(set(keys)) != len(keys):
        raise record.invalid("a value key is given twice")
    return Question(
        code=code,
        datatype=kind,
        required=record.flag("required", False),
        description=record.name("description"),
        hint=record.optional_name("hint"),
        choices=choices,
    )


def _choice(record: _Record) -> Choice:
    key = record.text("key")
    if not CODE.fullmatch(key):
        raise record.invalid("key must be a letter, then letters, digits or _ (40 at most)")
    return Choice(key=key, name=record.name("name"))


def _hours(limit: Limit) -> int:
    return limit.amount * _HOURS_PER_UNIT[limit.unit]
