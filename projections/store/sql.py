"""The SQL both view stores share: one table per view table (named after it, columns
after its row's fields) and `view_positions` for each view's position and version."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, ClassVar

import orjson

from projections.store.base import POSITIONS, Page, StalePosition, ViewStore, Where
from projections.view import Column, Key, Rows, Table, View

Cursor = Any


class SQLViewStore(ViewStore):
    mark: ClassVar[str]  # the driver's placeholder
    types: ClassVar[Mapping[str, str]]  # column kind -> SQL type
    converted: ClassVar[frozenset[str]]  # column kinds the driver does not take as they are

    def __init__(self) -> None:
        self.known: dict[str, Table] = {}
        self._encoders: dict[str, Callable[[Any], tuple[Any, ...]]] = {}

    def converts(self, column: Column) -> bool:
        """Whether values of this column need `encode` on their way in."""
        return column.kind in self.converted

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Cursor]:
        """A cursor inside one transaction, committed when the block ends."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads, outside any write transaction."""

    @abstractmethod
    def encode(self, column: Column, value: Any) -> Any: ...

    @abstractmethod
    def decode(self, column: Column, value: Any) -> Any: ...

    def bulk_insert(self, cursor: Cursor, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """Insert many encoded rows into an empty table (PostgreSQL overrides with COPY)."""
        cursor.executemany(self._insert(table), rows)

    def clear(self, cursor: Cursor, table: Table) -> None:
        """Empty a table inside the current transaction."""
        cursor.execute(f"DELETE FROM {table.name}")

    # ViewStore -----------------------------------------------------------------------------

    def prepare(self, views: Sequence[View]) -> dict[str, int]:
        positions: dict[str, int] = {}
        self.known.update({table.name: table for view in views for table in view.tables})
        with self.transaction() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {POSITIONS} (view TEXT PRIMARY KEY,"
                f" position BIGINT NOT NULL, version INTEGER NOT NULL)"
            )
            for view in views:
                cursor.execute(
                    f"SELECT position, version FROM {POSITIONS} WHERE view = {self.mark}",
                    (view.name,),
                )
                stored = cursor.fetchone()
                if stored is not None and stored[1] == view.version:
                    positions[view.name] = int(stored[0])
                    continue
                for table in view.tables:  # new, or its fold changed: start again
                    cursor.execute(f"DROP TABLE IF EXISTS {table.name}")
                    cursor.execute(self._create(table))
                cursor.execute(f"DELETE FROM {POSITIONS} WHERE view = {self.mark}", (view.name,))
                cursor.execute(
                    f"INSERT INTO {POSITIONS} VALUES ({self.mark}, 0, {self.mark})",
                    (view.name, view.version),
                )
                positions[view.name] = 0
        return positions

    def positions(self) -> dict[str, int]:
        with self.reading() as cursor:
            cursor.execute(f"SELECT view, position FROM {POSITIONS}")
            return {str(view): int(position) for view, position in cursor.fetchall()}

    def fetch(self, table: Table, key: Key) -> Any | None:
        where = " AND ".join(f"{name} = {self.mark}" for name in table.key)
        with self.reading() as cursor:
            cursor.execute(f"SELECT * FROM {table.name} WHERE {where}", self._key(table, key))
            found = cursor.fetchone()
        return None if found is None else self.row(table, found)

    def commit(self, changes: Rows, positions: Mapping[str, tuple[int, int]]) -> None:
        with self.transaction() as cursor:
            if positions:  # one batch of statements (a pipeline on PostgreSQL)
                cursor.executemany(
                    f"UPDATE {POSITIONS} SET position = {self.mark}"
                    f" WHERE view = {self.mark} AND position = {self.mark}",
                    [(new, view, old) for view, (old, new) in positions.items()],
                )
                if cursor.rowcount != len(positions):  # the rows moved, all of them
                    raise stale(positions)
            for statement, rows in self.writes(changes):
                cursor.executemany(statement, rows)

    def writes(self, changes: Rows) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """The statements that write a batch's changed rows, each with its rows."""
        writes = []
        for name, written in changes.changed.items():
            table = self.known[name]
            gone = [self._key(table, k) for k, row in written.items() if row is None]
            encode = self._encoder(table)
            kept = [encode(row) for row in written.values() if row is not None]
            if gone:
                where = " AND ".join(f"{n} = {self.mark}" for n in table.key)
                writes.append((f"DELETE FROM {table.name} WHERE {where}", gone))
            if kept:
                writes.append((self._upsert(table), kept))
        return writes

    def replace(self, view: View, rows: Rows, position: int) -> None:
        with self.transaction() as cursor:
            for table in view.tables:
                self.clear(cursor, table)
                written = rows.changed.get(table.name, {})
                encode = self._encoder(table)
                encoded = [encode(row) for row in written.values() if row is not None]
                if encoded:
                    self.bulk_insert(cursor, table, encoded)
            cursor.execute(
                f"UPDATE {POSITIONS} SET position = {self.mark}, version = {self.mark}"
                f" WHERE view = {self.mark}",
                (position, view.version, view.name),
            )

    def select(self, table: Table, page: Page | None = None) -> list[Any]:
        query, params = self.selecting(table, page or Page())
        with self.reading() as cursor:
            cursor.execute(query, params)
            return [self.row(table, found) for found in cursor.fetchall()]

    def selecting(self, table: Table, page: Page) -> tuple[str, list[Any]]:
        """The statement of a select and its parameters."""
        conditions, params = self._where(table, page.where)
        order = ([page.order] if page.order else []) + list(table.key)
        if page.after is not None:
            sign = "<" if page.descending else ">"
            marks = ", ".join(self.mark for _ in order)
            conditions.append(f"({', '.join(order)}) {sign} ({marks})")
            columns = {c.name: c for c in table.columns}
            params += [self.encode(columns[n], v) for n, v in zip(order, page.after, strict=True)]
        query = f"SELECT * FROM {table.name}"
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        direction = " DESC" if page.descending else ""
        query += " ORDER BY " + ", ".join(f"{name}{direction}" for name in order)
        if page.limit is not None:
            query += f" LIMIT {int(page.limit)}"
        return query, params

    # Statements ------------------------------------------------------------------------------

    def _create(self, table: Table) -> str:
        columns = ", ".join(
            f"{c.name} {self.types[c.kind]}{'' if c.nullable else ' NOT NULL'}"
            for c in table.columns
        )
        return f"CREATE TABLE {table.name} ({columns}, PRIMARY KEY ({', '.join(table.key)}))"

    def _insert(self, table: Table) -> str:
        names = ", ".join(c.name for c in table.columns)
        marks = ", ".join(self.mark for _ in table.columns)
        return f"INSERT INTO {table.name} ({names}) VALUES ({marks})"

    def _upsert(self, table: Table) -> str:
        others = [c.name for c in table.columns if c.name not in table.key]
        update = ", ".join(f"{n} = excluded.{n}" for n in others)
        action = f"DO UPDATE SET {update}" if others else "DO NOTHING"
        return f"{self._insert(table)} ON CONFLICT ({', '.join(table.key)}) {action}"

    def _where(self, table: Table, where: Sequence[Where]) -> tuple[list[str], list[Any]]:
        columns = {c.name: c for c in table.columns}
        conditions: list[str] = []
        params: list[Any] = []
        for condition in where:
            column, op, value = columns[condition.column], condition.op, condition.value
            if op in ("null", "not null"):
                conditions.append(f"{column.name} IS {'NULL' if op == 'null' else 'NOT NULL'}")
            elif op == "in":
                marks = ", ".join(self.mark for _ in value) or "NULL"
                conditions.append(f"{column.name} IN ({marks})")
                params += [self.encode(column, v) for v in value]
            elif op == "prefix":
                conditions.append(f"substr({column.name}, 1, {len(value)}) = {self.mark}")
                params.append(value)
            else:
                conditions.append(f"{column.name} {op} {self.mark}")
                params.append(self.encode(column, value))
        return conditions, params

    def _key(self, table: Table, key: Key) -> tuple[Any, ...]:
        columns = {c.name: c for c in table.columns}
        return tuple(self.encode(columns[n], v) for n, v in zip(table.key, key, strict=True))

    def _encoder(self, table: Table) -> Callable[[Any], tuple[Any, ...]]:
        """How a table's rows go to the driver: their values, with only the columns whose
        kind needs it converted; the values as they are for most tables (a rebuild encodes
        hundreds of thousands of rows)."""
        encoder = self._encoders.get(table.name)
        if encoder is None:
            encoder = self._encoders[table.name] = self._new_encoder(table)
        return encoder

    def _new_encoder(self, table: Table) -> Callable[[Any], tuple[Any, ...]]:
        convert = [(i, c) for i, c in enumerate(table.columns) if self.converts(c)]
        values = table.values
        if not convert:
            return values

        def encoded(row: Any) -> tuple[Any, ...]:
            changed = list(values(row))
            for index, column in convert:
                changed[index] = self.encode(column, changed[index])
            return tuple(changed)

        return encoded

    def row(self, table: Table, found: Sequence[Any]) -> Any:
        """A row of the table from the driver's values."""
        return table.make(self.decode(c, v) for c, v in zip(table.columns, found, strict=True))


def json_value(column: Column, value: Any, load: Callable[[Any], Any] = orjson.loads) -> Any:
    """JSON columns hold lists as arrays: rows hold them as tuples."""
    if value is None:
        return None
    loaded = load(value) if isinstance(value, str | bytes) else value
    return tuple(loaded) if isinstance(loaded, list) else loaded


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def stale(positions: Mapping[str, tuple[int, int]]) -> StalePosition:
    return StalePosition(
        f"views {sorted(positions)} are no longer all where this runner read them ({positions})"
    )
