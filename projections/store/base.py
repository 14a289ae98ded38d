"""What every view store does: keep a view's rows and position together.

A view's rows and its position change in one transaction, so a view never reflects an
event twice or skips one, whatever crashes in between; a position only moves forward
from the value the writer read (compare and set), so two runners cannot both advance
one view."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from projections.view import Key, Rows, Table, View

POSITIONS = "view_positions"


class StalePosition(RuntimeError):
    """Another runner advanced the view meanwhile; this one must reload and carry on."""


@dataclass(frozen=True)
class Where:
    """A condition on a column: `=`, `in`, `prefix`, `<`, `<=`, `>`, `>=`, `null`, `not null`."""

    column: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class Page:
    """A slice of a table in a stable order: by `order` (a non-null column, descending if
    `descending`), then by key; `after` is the (order value, *key) of the last row seen."""

    where: tuple[Where, ...] = ()
    order: str | None = None
    descending: bool = False
    after: tuple[Any, ...] | None = None
    limit: int | None = None


class ViewStore(ABC):
    @abstractmethod
    def prepare(self, views: Sequence[View]) -> dict[str, int]:
        """Create what is missing and return each view's position. A view whose version
        differs from the stored one is emptied and starts again from 0."""

    @abstractmethod
    def positions(self) -> dict[str, int]:
        """Each prepared view's position as committed (what readers of the views see)."""

    @abstractmethod
    def fetch(self, table: Table, key: Key) -> Any | None:
        """One row by its key, or None."""

    @abstractmethod
    def commit(self, changes: Rows, positions: Mapping[str, tuple[int, int]]) -> None:
        """Write the changed rows and move each view from its old position to its new one,
        all in one transaction; raises StalePosition if a position was not the old one."""

    @abstractmethod
    def replace(self, view: View, rows: Rows, position: int) -> None:
        """A rebuild: the view's tables hold exactly `rows`, at `position`, in one
        transaction."""

    @abstractmethod
    def select(self, table: Table, page: Page | None = None) -> list[Any]:
        """Rows of a table matching the page's conditions, in its order."""

    async def select_soon(self, table: Table, page: Page | None = None) -> list[Any]:
        """The rows `select` gives, awaited on the event loop, for the live views' reads
        after each change: here on a thread; PostgreSQL reads over an asynchronous
        connection, with no thread to wait for between the loop and the rows."""
        return await asyncio.to_thread(self.select, table, page)

    @abstractmethod
    def close(self) -> None: ...

    async def aclose(self) -> None:  # noqa: B027 - most stores open nothing on the loop
        """Release what `select_soon` opened on the event loop."""


def matches(row: Any, where: Iterable[Where]) -> bool:
    """The in-memory meaning of conditions; the SQL stores translate the same ones."""
    for condition in where:
        value = getattr(row, condition.column)
        op, wanted = condition.op, condition.value
        if not _OPS[op](value, wanted):
            return False
    return True


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda v, w: v == w,
    "in": lambda v, w: v in w,
    "prefix": lambda v, w: v is not None and str(v).startswith(w),
    "<": lambda v, w: v is not None and v < w,
    "<=": lambda v, w: v is not None and v <= w,
    ">": lambda v, w: v is not None and v > w,
    ">=": lambda v, w: v is not None and v >= w,
    "null": lambda v, w: v is None,
    "not null": lambda v, w: v is not None,
}
