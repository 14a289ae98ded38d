"""Rows, as a batch of events reads and writes them: working copies of counter rows; row
types, frozen dataclasses made in one step."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from projections.view import Rows, Table, changed, row_type


@dataclass
class Counter:
    code: str
    counts: dict[str, int]


counters = Table("counters", Counter, key=("code",))


class Stored:
    def __init__(self, *rows: Counter) -> None:
        self.rows = {(row.code,): row for row in rows}

    def fetch(self, table: Table, key: tuple[str, ...]) -> Counter | None:
        return self.rows.get(key)


def test_an_edited_row_is_copied_once_and_then_changed_in_place() -> None:
    stored = Counter("a", {"visits": 1})
    rows = Rows(Stored(stored))
    first = rows.edit(counters, ("a",), Counter, "a", {})
    first.counts["visits"] += 1
    again = rows.edit(counters, ("a",), Counter, "a", {})
    assert again is first and rows.get(counters, ("a",)) is first
    assert first.counts == {"visits": 2} and stored.counts == {"visits": 1}


def test_a_row_not_found_is_made_from_the_arguments_given() -> None:
    rows = Rows(None)
    made = rows.edit(counters, ("b",), Counter, "b", {"visits": 0})
    assert made == Counter("b", {"visits": 0}) and rows.changed["counters"] == {("b",): made}


def test_without_a_maker_only_a_row_that_exists_is_edited() -> None:
    stored = Counter("a", {"visits": 1})
    rows = Rows(Stored(stored))
    assert rows.edit(counters, ("b",)) is None and ("b",) not in rows.changed["counters"]
    copy = rows.edit(counters, ("a",))
    assert copy == stored and copy is not stored and rows.get(counters, ("a",)) is copy
    rows.delete(counters, ("a",))
    assert rows.edit(counters, ("a",)) is None


def test_a_row_put_or_deleted_is_copied_again_before_it_is_changed() -> None:
    rows = Rows(None)
    edited = rows.edit(counters, ("a",), Counter, "a", {})
    put = Counter("a", {"visits": 5})
    rows.put(counters, put)
    copy = rows.edit(counters, ("a",), Counter, "a", {})
    assert copy is not put and copy == put
    copy.counts["visits"] += 1
    assert put.counts == {"visits": 5}
    rows.delete(counters, ("a",))
    fresh = rows.edit(counters, ("a",), Counter, "a", {})
    assert fresh == Counter("a", {}) and fresh is not edited


@row_type
class Marker:
    id: str
    stage: str
    level: int = 1
    note: str | None = None


def test_a_row_type_is_a_frozen_dataclass_made_by_position_or_by_name_with_its_defaults() -> None:
    made = Marker("a", "filed")
    assert made == Marker(id="a", stage="filed", level=1, note=None)
    assert hash(made) == hash(Marker("a", "filed")) and repr(made).startswith("Marker(id='a'")
    assert dataclasses.replace(made, level=2) == changed(made, level=2) == Marker("a", "filed", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.stage = "closed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Marker("a")  # type: ignore[call-arg]
