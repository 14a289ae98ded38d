"""Views in the PostgreSQL database of the events. A rebuild loads each table with one
COPY; live batches upsert the rows they changed, and a batch's commit goes to the server
in one round trip: its positions moved, its rows written and the COMMIT sent together
(pipeline mode), the check that each position was still the one the runner read made by
the server (MOVE), which fails the transaction if one was not. Sent one at a time (the
BEGIN, the positions, each table's rows, the COMMIT), the wall map's commit waited for
five answers, each as late as a loaded machine scheduled the server and the runner again.
The live views' reads after each change go over asynchronous connections of the
server's event loop (`select_soon`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

import orjson
import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb, set_json_dumps
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from projections.store.base import POSITIONS, Page
from projections.store.sql import SQLViewStore, json_value, stale, utc
from projections.view import Column, Rows, Table

T = TypeVar("T")

SOON_POOL = (1, 4)
"""Asynchronous connections kept open, and at most open: reads of a few rows each."""

_BINARY = {
    "text": "text", "int": "int8", "real": "float8", "bool": "bool",
    "time": "timestamptz", "json": "jsonb",
}  # fmt: skip

STALE = "GC409"
"""The SQLSTATE of a position that was not the one the runner read."""
OWN_SCHEMA = f"""
SELECT pg_advisory_xact_lock(hashtext('gridcenter view store schema'));
CREATE OR REPLACE FUNCTION gridcenter_moved(expected TEXT[], moved TEXT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(moved) <> cardinality(expected) THEN
        RAISE EXCEPTION 'views % are no longer all where this runner read them', expected
            USING ERRCODE = '{STALE}';
    END IF;
END $$;
"""
MOVE = f"""
WITH moved AS (
    UPDATE {POSITIONS} AS p SET position = m.new
    FROM unnest(%s::text[], %s::int8[], %s::int8[]) AS m (view, old, new)
    WHERE p.view = m.view AND p.position = m.old
    RETURNING p.view
)
SELECT gridcenter_moved(%s::text[], ARRAY(SELECT view FROM moved))
"""


def _configure(connection: psycopg.Connection[Any]) -> None:
    set_json_dumps(orjson.dumps, connection)  # several times faster than the stdlib's


async def _configure_async(connection: psycopg.AsyncConnection[Any]) -> None:
    set_json_dumps(orjson.dumps, connection)


class PostgresViewStore(SQLViewStore):
    mark = "%s"
    converted = frozenset({"json"})  # instants go as they are: timestamptz takes any zone
    types: ClassVar[dict[str, str]] = {
        "text": "TEXT", "int": "BIGINT", "real": "DOUBLE PRECISION", "bool": "BOOLEAN",
        "time": "TIMESTAMPTZ", "json": "JSONB",
    }  # fmt: skip

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url, min_size=1, max_size=8, open=True, name="gridcenter-views", configure=_configure
        )
        self._soon: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None
        with self.transaction() as cursor:  # once a store, not at every prepare
            cursor.execute(OWN_SCHEMA)

    async def select_soon(self, table: Table, page: Page | None = None) -> list[Any]:
        if self._soon is None:  # opened on the loop that reads, at its first read
            self._soon = AsyncConnectionPool(
                self._url,
                min_size=SOON_POOL[0],
                max_size=SOON_POOL[1],
                open=False,
                name="gridcenter-views-soon",
                configure=_configure_async,
            )
            await self._soon.open()
        query, params = self.selecting(table, page or Page())
        async with self._soon.connection() as connection:
            found = await (await connection.execute(query, params)).fetchall()
        return [self.row(table, values) for values in found]

    async def aclose(self) -> None:
        if self._soon is not None:
            await self._soon.close()
            self._soon = None

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        with (
            self._pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            yield cursor

    def commit(self, changes: Rows, positions: Mapping[str, tuple[int, int]]) -> None:
        views = list(positions)
        olds, news = [positions[v][0] for v in views], [positions[v][1] for v in views]

        def send(connection: psycopg.Connection[Any]) -> None:
            cursor = connection.cursor()
            if positions:
                cursor.execute(MOVE, (views, olds, news, views))
            for statement, rows in self.writes(changes):
                cursor.executemany(statement, rows)
            connection.commit()

        with self._pool.connection() as connection:
            try:
                in_one_round_trip(connection, send)
            except psycopg.Error as error:
                if error.sqlstate == STALE:
                    raise stale(positions) from None
                raise

    @contextmanager
    def reading(self) -> Iterator[psycopg.Cursor[Any]]:
        with self._pool.connection() as connection, connection.cursor() as cursor:
            yield cursor

    def bulk_insert(self, cursor: Any, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """One binary COPY (three times the rows a second of a text COPY) into the table
        without its primary key, which is then built from the sorted rows at once: a third
        less of the server's time than inserting every row into the key's index."""
        names = ", ".join(c.name for c in table.columns)
        cursor.execute(f"ALTER TABLE {table.name} DROP CONSTRAINT {table.name}_pkey")
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([_BINARY[c.kind] for c in table.columns])
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ALTER TABLE {table.name} ADD PRIMARY KEY ({', '.join(table.key)})")

    def clear(self, cursor: Any, table: Table) -> None:
        cursor.execute(f"TRUNCATE {table.name}")

    def encode(self, column: Column, value: Any) -> Any:
        if value is None:
            return None
        if column.kind == "json":
            return Jsonb(value)
        return value

    def decode(self, column: Column, value: Any) -> Any:
        if value is None:
            return None
        if column.kind == "json":
            return json_value(column, value)
        if column.kind == "time":
            return utc(value)
        return value

    def close(self) -> None:
        self._pool.close()


def in_one_round_trip(
    connection: psycopg.Connection[Any], send: Callable[[psycopg.Connection[Any]], T]
) -> T:
    """What `send` sends on the connection goes out together (pipeline mode), no answer
    awaited between its statements, and the first error among the answers is raised
    after the transaction is rolled back. (Raised inside the pipeline, the pipeline's
    exit would log an error of its own: an answer read while sending skips the rest.)"""
    failed: psycopg.Error | None = None
    try:
        with connection.pipeline():
            try:
                sent = send(connection)
            except psycopg.Error as error:
                failed = error
    except psycopg.Error as error:
        failed = failed or error
    if failed is not None:
        if connection.info.transaction_status in (
            TransactionStatus.INTRANS,
            TransactionStatus.INERROR,
        ):
            connection.rollback()  # and forgets statements prepared in the aborted pipeline
        raise failed
    return sent
