"""Views in the SQLite file of the embedded default, beside the events."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from threading import Lock
from typing import Any, ClassVar

import orjson

from projections.store.sql import SQLViewStore, json_value, utc
from projections.view import Column


class SQLiteViewStore(SQLViewStore):
    mark = "?"
    converted = frozenset({"json", "time", "bool"})
    types: ClassVar[dict[str, str]] = {
        "text": "TEXT", "int": "INTEGER", "real": "REAL", "bool": "INTEGER",
        "time": "TEXT", "json": "TEXT",
    }  # fmt: skip

    def __init__(self, path: str) -> None:
        super().__init__()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = Lock()
        self._connection = sqlite3.connect(path, timeout=30, check_same_thread=False,
                                           isolation_level=None)  # fmt: skip
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cursor = self._connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            yield self._connection.cursor()

    def encode(self, column: Column, value: Any) -> Any:
        if value is None:
            return None
        if column.kind == "time":
            return utc(value).isoformat(timespec="microseconds")  # fixed width: sorts as text
        if column.kind == "json":
            return orjson.dumps(value).decode()
        if column.kind == "bool":
            return int(value)
        return value

    def decode(self, column: Column, value: Any) -> Any:
        if value is None:
            return None
        if column.kind == "time":
            return datetime.fromisoformat(value)
        if column.kind == "json":
            return json_value(column, value)
        if column.kind == "bool":
            return bool(value)
        return value

    def close(self) -> None:
        with self._lock:
            self._connection.close()
