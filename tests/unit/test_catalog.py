"""The case catalog: the packaged data, lookups, and the rules a catalog file must keep."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from domain.catalog import (
    AnswerRefused,
    Catalog,
    CatalogInvalid,
    Datatype,
    Family,
    Name,
    UnknownCategory,
    UnknownDepartment,
)
from domain.deadlines import Limit, TimeUnit
from domain.errors import NotFound
from infra.catalog import load_catalog

MANHOLE_COVERS = ["C0101", "C0102", "C0103", "C0104", "C0105", "C0106"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_packaged_catalog_has_fifty_categories_across_both_families_and_all_major_classes(
    catalog: Catalog,
) -> None:
    categories = catalog.categories()
    majors = {(c.family, c.major.code) for c in categories}

    assert catalog.version == "2026.2"
    assert len(categories) >= 50
    assert {c.family for c in categories} == set(Family)
    assert majors == {(Family.COMPONENT, f"0{n}") for n in range(1, 7)} | {
        (Family.EVENT, f"0{n}") for n in range(1, 10)
    }


@pytest.mark.parametrize(
    ("code", "meaning", "limit"),
    [
        pytest.param("E0101", "暴露垃圾", Limit(4, TimeUnit.WORK_HOURS), id="exposed garbage"),
        pytest.param(
            "E0301", "违法建设（责令停工）", Limit(4, TimeUnit.WORK_HOURS), id="stop work"
        ),
        pytest.param("E0302", "违法建设（拆除）", Limit(20, TimeUnit.WORK_DAYS), id="demolish"),
        *[
            pytest.param(code, "井盖", Limit(6, TimeUnit.CLOCK_HOURS), id=f"{code} manhole cover")
            for code in MANHOLE_COVERS
        ],
    ],
)
def test_design_examples_keep_their_handling_limits(
    catalog: Catalog, code: str, meaning: str, limit: Limit
) -> None:
    category = catalog.category(code)

    assert meaning in category.name.zh
    assert catalog.handling_limit(code, urgent=False) == limit


def test_every_category_names_a_department_and_tier_the_catalog_defines(
    catalog: Catalog,
) -> None:
    tier_codes = {tier.code for tier in catalog.tiers}

    for category in catalog.categories():
        assert catalog.department(category.department).code == category.department
        assert category.urgent_tier in tier_codes


def test_an_urgent_case_takes_its_tiers_limit(catalog: Catalog) -> None:
    tiers = {tier.code: tier.limit for tier in catalog.tiers}

    for category in catalog.categories():
        assert catalog.handling_limit(category.code, urgent=True) == tiers[category.urgent_tier]


def test_packaged_catalog_uses_every_department(catalog: Catalog) -> None:
    used = {category.department for category in catalog.categories()}

    assert used == {department.code for department in catalog.departments}


def test_unknown_category_is_refused_with_its_code(catalog: Catalog) -> None:
    with pytest.raises(UnknownCategory, match="unknown category 'X9999'") as refused:
        catalog.handling_limit("X9999", urgent=False)

    assert isinstance(refused.value, NotFound)


def test_unknown_department_is_refused_with_its_code(catalog: Catalog) -> None:
    with pytest.raises(UnknownDepartment, match="unknown department 'xyz'") as refused:
        catalog.department("xyz")

    assert isinstance(refused.value, NotFound)


def test_categories_are_listed_by_code_and_filtered_by_family(catalog: Catalog) -> None:
    everything = catalog.categories()
    codes = [category.code for category in everything]

    assert codes == sorted(codes)
    for family in Family:
        listed = catalog.categories(family)
        assert listed == [category for category in everything if category.family is family]
        assert {category.code[0] for category in listed} == {family.value[0].upper()}


def test_a_name_reads_chinese_then_english() -> None:
    assert str(Name(zh="暴露垃圾", en="exposed garbage")) == "暴露垃圾 (exposed garbage)"


# ── the rules of from_records, each broken in a small catalog ───────────────────────


def _name(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _category(code: str, limit: str = "1 work_days", tier: str = "C") -> dict[str, Any]:
    return {
        "code": code,
        "name": _name("上水井盖", "water supply manhole cover"),
        "filing_condition": _name("井盖缺失", "cover missing"),
        "closing_condition": _name("井盖补齐", "cover replaced"),
        "department": "swj",
        "limit": limit,
        "urgent_tier": tier,
    }


def _records() -> dict[str, Any]:
    return {
        "version": "test",
        "department": [{"code": "swj", "name": _name("水务局", "Water Affairs Bureau")}],
        "urgent_tier": [
            {"code": "A", "name": _name("特急", "extra urgent"), "limit": "1 clock_hours"},
            {"code": "C", "name": _name("较急", "fairly urgent"), "limit": "4 work_hours"},
        ],
        "major_class": [
            {"family": "component", "code": "01", "name": _name("公用设施", "public facilities")},
            {"family": "event", "code": "04", "name": _name("突发事件", "emergencies")},
        ],
        "category": [_category("C0101"), _category("E0401", "2 clock_hours", "A")],
    }


def _choice(key: str) -> dict[str, Any]:
    return {"key": key, "name": _name(key, key)}


def _question(**fields: Any) -> dict[str, Any]:
    return {
        "code": "state",
        "datatype": "singlevaluelist",
        "description": _name("井盖什么情况？", "What is wrong with the cover?"),
        "values": [_choice("missing"), _choice("broken")],
        **fields,
    }


Edit = Callable[[dict[str, Any]], object]


def _set(section: str, index: int, **fields: object) -> Edit:
    return lambda records: records[section][index].update(fields)


def _add(section: str, entry: dict[str, Any]) -> Edit:
    return lambda records: records[section].append(entry)


def _drop(section: str, index: int, field: str) -> Edit:
    return lambda records: records[section][index].pop(field)


def test_a_catalog_keeping_every_rule_is_built() -> None:
    catalog = Catalog.from_records(_records())

    assert [c.code for c in catalog.categories()] == ["C0101", "E0401"]
    assert catalog.category("E0401").major.name.en == "emergencies"
    assert catalog.handling_limit("E0401", urgent=True) == Limit(1, TimeUnit.CLOCK_HOURS)


def test_a_category_is_public_and_asks_nothing_unless_the_catalog_says_so() -> None:
    records = _records()
    records["category"][1].update(public=False, question=[_question(required=True)])

    catalog = Catalog.from_records(records)

    plain, asking = catalog.category("C0101"), catalog.category("E0401")
    assert (plain.public, plain.questions) == (True, ())
    assert asking.public is False
    (question,) = asking.questions
    assert (question.code, question.datatype, question.required) == (
        "state",
        Datatype.SINGLEVALUELIST,
        True,
    )
    assert question.keys == ("missing", "broken") and question.hint is None


def test_the_packaged_catalog_keeps_classes_about_people_from_the_public(
    catalog: Catalog,
) -> None:
    hidden = {c.code for c in catalog.categories() if not c.public}
    assert {"E0601", "E0704", "E0801", "E0802", "E0901"} <= hidden
    assert {c.major.code for c in catalog.categories(Family.EVENT) if c.code in hidden} == {
        "06",
        "07",
        "08",
        "09",
    }
    assert catalog.category("E0101").public and catalog.category("C0101").public


def test_the_packaged_catalog_asks_a_broken_covers_state_before_anything_else(
    catalog: Catalog,
) -> None:
    for code in MANHOLE_COVERS:
        first = catalog.category(code).questions[0]
        assert (first.code, first.required) == ("cover_state", True)
        assert first.keys == ("missing", "broken", "displaced")


@pytest.mark.parametrize(
    ("tier_limit", "limit"),
    [
        pytest.param("6 work_hours", "1 work_days", id="a work day counts as seven work hours"),
        pytest.param("3 clock_hours", "4 work_hours", id="clock tier, work-hour limit"),
        pytest.param("3 work_hours", "4 clock_hours", id="work-hour tier, clock limit"),
    ],
)
def test_a_tier_shorter_than_the_normal_limit_is_accepted_whatever_its_unit(
    tier_limit: str, limit: str
) -> None:
    records = _records()
    records["urgent_tier"][1]["limit"] = tier_limit
    records["category"][0]["limit"] = limit

    catalog = Catalog.from_records(records)

    assert catalog.handling_limit("C0101", urgent=True) == Limit.parse(tier_limit)


_TIER_A = {"code": "A", "name": _name("急", "x"), "limit": "1 clock_hours"}
_EVENT_04 = {"family": "event", "code": "04", "name": _name("突发", "x")}
_SWJ = {"code": "swj", "name": _name("水务", "water")}


# Each edit breaks one rule; the message (a prefix) names the entry and the rule.
_BROKEN_RULES: list[tuple[Edit, str]] = [
    (_add("category", _category("C0101")), "category C0101: defined twice"),
    (_add("department", _SWJ), "department swj: defined twice"),
    (_add("urgent_tier", _TIER_A), "urgent tier A: defined twice"),
    (_add("major_class", _EVENT_04), "major class 04: defined twice for the event family"),
    (_set("category", 0, code="X0101"), "category X0101: code must be the family letter"),
    (_set("category", 0, code="C101"), "category C101: code must be the family letter"),
    (_set("category", 0, code="C0100"), "category C0100: code must be the family letter"),
    (_set("category", 0, code="E0101"), "category E0101: no event major class '01'"),
    (_set("major_class", 0, family="x"), "major class 01: unknown family 'x'"),
    (_set("major_class", 0, code="1"), "major class 1: code must be two digits"),
    (_set("category", 1, department="xyz"), "category E0401: unknown department 'xyz'"),
    (_set("category", 0, urgent_tier="Z"), "category C0101: unknown urgent tier 'Z'"),
    (_set("category", 0, limit="four work_hours"), "category C0101: limit 'four work_hours' is"),
    (_set("category", 0, limit="4 hours"), "category C0101: limit '4 hours' is not"),
    (_set("category", 0, limit="0 work_days"), "category C0101: limit '0 work_days' must be"),
    (_set("urgent_tier", 0, limit="-1 clock_hours"), "urgent tier A: limit '-1 clock_hours' must"),
    (
        _set("category", 1, limit="1 clock_hours"),
        "category E0401: urgent tier A (1 clock hour) is not shorter than the limit (1 clock",
    ),
    (
        _set("category", 1, limit="3 work_hours", urgent_tier="C"),
        "category E0401: urgent tier C (4 work hours) is not shorter than the limit (3 work",
    ),
    (  # a work day counts as seven work hours, no more
        _set("urgent_tier", 1, limit="7 work_hours"),
        "category C0101: urgent tier C (7 work hours) is not shorter than the limit (1 work",
    ),
    (_set("category", 0, name={"zh": "井盖"}), "category C0101: missing field 'name.en'"),
    (
        _set("department", 0, name={"zh": " ", "en": "Water Affairs Bureau"}),
        "department swj: field 'name.zh' must be non-empty text",
    ),
    (
        _set("category", 0, filing_condition={"en": "cover missing"}),
        "category C0101: missing field 'filing_condition.zh'",
    ),
    (
        _drop("category", 1, "closing_condition"),
        "category E0401: missing field 'closing_condition' with its zh and en text",
    ),
    (_drop("category", 0, "department"), "category C0101: missing field 'department'"),
    (_drop("category", 0, "code"), "category #1: missing field 'code'"),
    (_set("category", 0, departement="swj"), "category C0101: unknown field 'departement'"),
    (lambda r: r.pop("version"), "catalog: 'version' must be non-empty text"),
    (lambda r: r.pop("urgent_tier"), "catalog: no [[urgent_tier]] entries"),
    (lambda r: r.update(categories=[]), "catalog: unknown section 'categories'"),
    (lambda r: r.update(question=[]), "catalog: unknown section 'question'"),
    (_set("category", 0, public="no"), "category C0101: field 'public' must be true or false"),
    (_set("category", 0, question={}), "category C0101: field 'question' must be a list"),
    (
        _set("category", 0, question=[_question(datatype="list")]),
        "category C0101: question state: datatype 'list' is not one of string, number",
    ),
    (
        _set("category", 0, question=[_question(code="2nd")]),
        "category C0101: question 2nd: code must be a letter",
    ),
    (
        _set("category", 0, question=[_question(values=[])]),
        "category C0101: question state: a singlevaluelist question needs its values",
    ),
    (
        _set("category", 0, question=[_question(datatype="string")]),
        "category C0101: question state: a string question takes no values",
    ),
    (
        _set("category", 0, question=[_question(values=[_choice("a"), _choice("a")])]),
        "category C0101: question state: a value key is given twice",
    ),
    (
        _set("category", 0, question=[_question(values=[{"key": "a"}])]),
        "category C0101: question state: value a: missing field 'name'",
    ),
    (
        _set("category", 0, question=[_question(), _question()]),
        "category C0101: question state is asked twice",
    ),
    (
        _set("category", 0, question=[_question(asked="x")]),
        "category C0101: question state: unknown field 'asked'",
    ),
    (
        _set("category", 0, question=[_question(required="yes")]),
        "category C0101: question state: field 'required' must be true or false",
    ),
]


@pytest.mark.parametrize(
    ("edit", "message"), [pytest.param(*rule, id=rule[1]) for rule in _BROKEN_RULES]
)
def test_a_broken_rule_is_refused_naming_the_entry(edit: Edit, message: str) -> None:
    records = _records()
    edit(records)

    with pytest.raises(CatalogInvalid) as refused:
        Catalog.from_records(records)

    assert str(refused.value).startswith(message)


# ── loading from a file ─────────────────────────────────────────────────────────────

_SMALL_FILE = """
version = "small"

[[department]]
code = "hwj"
name = { zh = "环境卫生管理局", en = "Environmental Sanitation Bureau" }

[[urgent_tier]]
code = "B"
name = { zh = "紧急", en = "urgent" }
limit = "2 clock_hours"

[[major_class]]
family = "event"
code = "01"
name = { zh = "市容环境", en = "city appearance" }

[[category]]
code = "E0101"
name = { zh = "暴露垃圾", en = "exposed garbage" }
filing_condition = { zh = "有暴露垃圾", en = "garbage lying about" }
closing_condition = { zh = "垃圾清除", en = "garbage removed" }
department = "hwj"
limit = "4 work_hours"
urgent_tier = "B"
"""


def test_a_catalog_file_given_by_path_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(_SMALL_FILE, encoding="utf-8")

    catalog = load_catalog(path)

    assert catalog.version == "small"
    assert catalog.category("E0101").department == "hwj"


def test_a_malformed_toml_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text('version = "2026.1"\n[[category]\ncode = "C0101"\n', encoding="utf-8")

    with pytest.raises(CatalogInvalid) as refused:
        load_catalog(path)

    assert str(refused.value).startswith(f"{path}: ")


def test_a_file_breaking_a_rule_is_refused_naming_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(_SMALL_FILE.replace('department = "hwj"', 'department = "xyz"'), "utf-8")

    with pytest.raises(CatalogInvalid) as refused:
        load_catalog(path)

    assert str(refused.value) == f"{path}: category E0101: unknown department 'xyz'"


# ── answers to the extra questions ──────────────────────────────────────────────────

_ASKED = {
    "category": [
        {
            **_category("C0101"),
            "question": [
                _question(required=True),
                _question(code="kinds", datatype="multivaluelist"),
                _question(code="pole", datatype="string", values=[]),
                _question(code="notes", datatype="text", values=[]),
                _question(code="depth", datatype="number", values=[]),
                _question(code="since", datatype="datetime", values=[]),
            ],
        },
        _category("E0401", "2 clock_hours", "A"),
    ]
}


@pytest.fixture
def asking() -> Catalog:
    return Catalog.from_records({**_records(), **_ASKED})


@pytest.mark.parametrize(
    "answers",
    [
        {"state": ["missing"]},
        {"kinds": ["missing", "broken"]},
        {"pole": ["A-17"], "notes": ["one\nline or two"]},
        {"depth": ["12.5"]},
        {"depth": ["-3"]},
        {"since": ["2026-03-09T22:30:00+08:00"]},
        {"since": ["2026-03-09T14:30:00Z"]},
        {},
    ],
)
def test_answers_that_fit_the_questions_are_accepted(
    asking: Catalog, answers: dict[str, list[str]]
) -> None:
    asking.category("C0101").check_answers(answers)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"colour": ["red"]}, "category C0101 asks no question 'colour' (it asks: state, kinds"),
        ({"state": ["stolen"]}, "question state: 'stolen' is not one of missing, broken"),
        ({"state": ["missing", "broken"]}, "question state takes one value, not 2"),
        ({"kinds": ["missing", "missing"]}, "question kinds: a choice is given twice"),
        ({"state": []}, "question state: give a value"),
        ({"pole": ["  "]}, "question pole: give a value, not blank text"),
        ({"pole": ["A\n17"]}, "question pole takes one line"),
        ({"pole": ["x" * 1001]}, "question pole: 1000 characters at most"),
        ({"depth": ["deep"]}, "question depth takes a number, not 'deep'"),
        ({"depth": ["nan"]}, "question depth takes a number"),
        ({"depth": ["1_000"]}, "question depth takes a number"),
        ({"since": ["2026-03-09T22:30:00"]}, "question since takes a date and time with its zone"),
        ({"since": ["yesterday"]}, "question since takes a date and time"),
    ],
)
def test_an_answer_the_questions_do_not_allow_is_refused_naming_the_question(
    asking: Catalog, answers: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(AnswerRefused) as refused:
        asking.category("C0101").check_answers(answers)
    assert str(refused.value).startswith(message)


def test_a_required_question_left_open_is_named(asking: Catalog) -> None:
    category = asking.category("C0101")
    assert [q.code for q in category.unanswered({"kinds": ["broken"]})] == ["state"]
    assert category.unanswered({"state": ["missing"]}) == ()
    assert asking.category("E0401").unanswered({}) == ()
