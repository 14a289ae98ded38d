"""Views in memory: for tests, and for time travel (a view folded up to a moment)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from threading import Lock
from typing import Any

from projections.store.base import Page, StalePosition, ViewStore, matches
from projections.view import Key, Rows, Table, View


class MemoryViewStore(ViewStore):
    def __init__(self) -> None:
        self._lock = Lock()
        self._tables: dict[str, dict[Key, Any]] = {}
        self._positions: dict[str, tuple[int, int]] = {}  # view -> (position, version)

    def prepare(self, views: Sequence[View]) -> dict[str, int]:
        with self._lock:
            for view in views:
                stored = self._positions.get(view.name)
                if stored is None or stored[1] != view.version:
                    for table in view.tables:
                        self._tables[table.name] = {}
                    self._positions[view.name] = (0, view.version)
            return {view.name: self._positions[view.name][0] for view in views}

    def positions(self) -> dict[str, int]:
        with self._lock:
            return {view: position for view, (position, _) in self._positions.items()}

    def fetch(self, table: Table, key: Key) -> Any | None:
        return self._tables[table.name].get(key)

    def copy(self) -> MemoryViewStore:
        """A store of its own with the same rows (rows are frozen, so they are shared)."""
        return MemoryViewStore.joined([self])

    @staticmethod
    def joined(stores: Sequence[MemoryViewStore]) -> MemoryViewStore:
        """One store holding the views of each (time travel folds views apart)."""
        joined = MemoryViewStore()
        for store in stores:
            with store._lock:
                joined._tables.update({name: dict(rows) for name, rows in store._tables.items()})
                joined._positions.update(store._positions)
        return joined

    def commit(self, changes: Rows, positions: Mapping[str, tuple[int, int]]) -> None:
        with self._lock:
            for view, (old, _) in positions.items():
                if self._positions[view][0] != old:
                    raise StalePosition(f"view {view} is no longer at position {old}")
            for name, rows in changes.changed.items():
                stored = self._tables[name]
                for key, row in rows.items():
                    if row is None:
                        stored.pop(key, None)
                    else:
                        stored[key] = row
            for view, (_, new) in positions.items():
                self._positions[view] = (new, self._positions[view][1])

    def replace(self, view: View, rows: Rows, position: int) -> None:
        with self._lock:
            for table in view.tables:
                written = rows.changed.get(table.name, {})
                self._tables[table.name] = {k: r for k, r in written.items() if r is not None}
            self._positions[view.name] = (position, view.version)

    def select(self, table: Table, page: Page | None = None) -> list[Any]:
        page = page or Page()
        found = [row for row in self._tables[table.name].values() if matches(row, page.where)]
        found.sort(key=lambda row: _order_key(table, page, row), reverse=page.descending)
        if page.after is not None:
            after = tuple(page.after)
            if page.descending:
                found = [row for row in found if _order_key(table, page, row) < after]
            else:
                found = [row for row in found if _order_key(table, page, row) > after]
        return found[: page.limit] if page.limit is not None else found

    async def select_soon(self, table: Table, page: Page | None = None) -> list[Any]:
        return self.select(table, page)  # in memory: nothing to wait for

    def close(self) -> None:
        """Nothing to release."""


def _order_key(table: Table, page: Page, row: Any) -> tuple[Any, ...]:
    first = (getattr(row, page.order),) if page.order else ()
    return (*first, *table.key_of(row))
