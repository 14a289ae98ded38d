"""What a view is: tables of typed rows and a deterministic fold of events into them.

A view module declares its row types (frozen dataclasses, made by `row_type`), their tables, the
events it folds, and `apply(record, rows)`, which reads and writes rows only through `Rows`.
The runner decides where rows come from (the view's own tables, or nothing on a rebuild)
and commits the changes with the view's position in one transaction."""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar, dataclass_transform

from projections.records import Record

KINDS: dict[Any, str] = {str: "text", int: "int", float: "real", bool: "bool", datetime: "time"}
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, int, real, bool, time (an instant), json (lists and mappings)
    nullable: bool


@dataclass(frozen=True)
class Table:
    """A table of a view: its rows are instances of `row`, keyed by the `key` columns."""

    name: str
    row: type[Any]
    key: tuple[str, ...]
    columns: tuple[Column, ...] = ()
    key_of: Callable[[Any], Key] = field(init=False, repr=False, compare=False)
    """A row's key, at C speed (an attribute, not a method: a rebuild calls it per event)."""
    values: Callable[[Any], tuple[Any, ...]] = field(init=False, repr=False, compare=False)
    """A row's values in column order."""

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(self.row)
        columns = tuple(_column(f.name, hints[f.name]) for f in dataclasses.fields(self.row))
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "values", _getter(tuple(c.name for c in columns)))
        object.__setattr__(self, "key_of", _getter(self.key))
        missing = set(self.key) - {c.name for c in columns}
        if missing:
            raise ValueError(f"table {self.name}: key columns {missing} are not row fields")

    def make(self, values: Iterable[Any]) -> Any:
        return self.row(*values)


R = TypeVar("R")


@dataclass_transform(frozen_default=True)
def row_type(cls: type[R]) -> type[R]:
    """A row type: a frozen dataclass whose `__init__` sets its fields in one step. A frozen
    dataclass's own sets them one by one through `object.__setattr__`, four times slower
    for a row of ten fields, and a rebuild makes some 200,000 rows."""
    made: Any = dataclass(frozen=True)(cls)
    fields = dataclasses.fields(made)
    if any(f.default_factory is not dataclasses.MISSING for f in fields):
        raise TypeError(f"row {cls.__name__}: default factories are not supported")
    defaults = {f"_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    params = [f"{f.name}=_{f.name}" if f"_{f.name}" in defaults else f.name for f in fields]
    values = ", ".join(f"{f.name!r}: {f.name}" for f in fields)
    source = f"def __init__(self, {', '.join(params)}):\n    _set(self, '__dict__', {{{values}}})"
    scope: dict[str, Any] = {"_set": object.__setattr__, **defaults}
    exec(source, scope)  # as dataclasses makes its __init__: from the fields' names
    scope["__init__"].__qualname__ = f"{made.__qualname__}.__init__"
    made.__init__ = scope["__init__"]
    return typing.cast(type[R], made)


def _working_copy(row: Any) -> Any:
    fields = {k: v.copy() if isinstance(v, dict) else v for k, v in row.__dict__.items()}
    copy = object.__new__(type(row))
    object.__setattr__(copy, "__dict__", fields)
    return copy


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """Attribute values as a tuple, at C speed; `attrgetter` of one name gives a bare value."""
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda row: (one(row),)
    return operator.attrgetter(*names)


def _column(name: str, hint: Any) -> Column:
    args = typing.get_args(hint)
    nullable = isinstance(hint, types.UnionType) and type(None) in args
    if nullable:
        (hint,) = [a for a in args if a is not type(None)]
    kind = KINDS.get(hint) or ("json" if typing.get_origin(hint) in (tuple, list, dict) else None)
    if kind is None:
        raise TypeError(f"column {name}: no column kind for {hint!r}")
    return Column(name, kind, nullable)


def changed(row: R, **fields: Any) -> R:
    """A copy of a frozen row with some fields changed: `dataclasses.replace` without its
    per-call introspection, since a rebuild folds hundreds of thousands of events. The
    row's dict is copied whole, then updated: twice as fast as unpacking both into a new
    dict, since a copy of an instance's dict takes its keys as they are."""
    known = row.__dict__
    values = known.copy()
    values.update(fields)
    if len(values) != len(known):
        raise TypeError(f"{type(row).__name__} has no field {set(values) - set(row.__dict__)}")
    copy = object.__new__(type(row))
    object.__setattr__(copy, "__dict__", values)  # frozen: set the way dataclasses do
    return copy


class Source(Protocol):
    """Where rows missing from a batch's cache are read from."""

    def fetch(self, table: Table, key: Key) -> Any | None: ...


class Rows:
    """The rows a batch of events reads and writes. Writes are kept, in order, until the
    runner commits them; reads see the batch's own writes first. A rebuild calls these
    for every event, so they look each table up once and allocate nothing they can avoid."""

    def __init__(self, source: Source | None, notices: bool = True) -> None:
        self._source, self.notices = source, notices
        self.changed: dict[str, dict[Key, Any | None]] = defaultdict(dict)
        """Table name -> key -> the row written, or None for a deleted row."""
        self.touched: dict[str, set[Any]] = {}  # view name -> keys for the change notice
        self._copies: dict[str, dict[Key, Any]] = defaultdict(dict)  # made by `edit`

    def get(self, table: Table, key: Key) -> Any | None:
        written = self.changed.get(table.name)
        if written is not None:
            row = written.get(key, _ABSENT)
            if row is not _ABSENT:
                return row
        return None if self._source is None else self._source.fetch(table, key)

    def put(self, table: Table, row: Any) -> None:
        key = table.key_of(row)
        self.changed[table.name][key] = row
        if table.name in self._copies:
            self._replaced(table.name, key)

    def delete(self, table: Table, key: Key) -> None:
        self.changed[table.name][key] = None
        if table.name in self._copies:
            self._replaced(table.name, key)

    def edit(
        self, table: Table, key: Key, make: Callable[..., Any] | None = None, *args: Any
    ) -> Any:
        """A working copy of a row that this batch alone holds and may change in place:
        its dict fields are copies, and it is the row committed. `make(*args)` gives the
        row when there is none; without `make` there is then no row to change (None).
        Counters and case rows use it: a rebuild then copies a row once, not once for
        every event that changes it."""
        copies = self._copies[table.name]
        row = copies.get(key)
        if row is not None:
            return row  # still the batch's own copy: a put or delete drops it
        written = self.changed[table.name]
        row = written.get(key, _ABSENT)
        if row is _ABSENT:
            row = None if self._source is None else self._source.fetch(table, key)
        if row is None:
            if make is None:
                return None
            row = make(*args)
        else:
            row = _working_copy(row)
        written[key] = copies[key] = row
        return row

    def update(
        self,
        table: Table,
        key: Key,
        evolve: Callable[[Any | None, Record], Any | None],
        record: Record,
    ) -> None:
        """Fold one row: `evolve(row or None, record) -> row or None` (None deletes it)."""
        written = self.changed[table.name]
        row = written.get(key, _ABSENT)
        if row is _ABSENT:
            row = None if self._source is None else self._source.fetch(table, key)
        written[key] = evolve(row, record)
        if table.name in self._copies:
            self._replaced(table.name, key)

    def tell(self, view: str, key: Any) -> None:
        """Name a key that changed, for the view-changed notice after the commit."""
        if self.notices:
            touched = self.touched.get(view)
            if touched is None:
                touched = self.touched[view] = set()
            touched.add(key)

    def _replaced(self, table_name: str, key: Key) -> None:
        """A row written whole is no longer a working copy that `edit` may hand out."""
        self._copies[table_name].pop(key, None)


_ABSENT: Any = object()
"""Not written in this batch (None is written: a deleted row)."""


class View(Protocol):
    """A view: a deterministic fold of events into its tables. A view is a module with
    these names (projections/case_board.py is one)."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> int:
        """Raise it when the fold or the tables change: the view is then rebuilt."""

    @property
    def tables(self) -> tuple[Table, ...]: ...

    @property
    def events(self) -> frozenset[str]:
        """The public names of the events it folds."""

    def apply(self, record: Record, rows: Rows) -> None: ...


def noticed(view: View) -> Table | None:
    """The table whose changed rows a view's notices bring (a module's `noticed`, if it
    has one): a live view's screens then read nothing after a notice."""
    table: Table | None = getattr(view, "noticed", None)
    return table
