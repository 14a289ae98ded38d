"""Where views keep their rows and positions: in memory (tests, time travel), or in
tables of the events' own database (SQLite, PostgreSQL)."""

from __future__ import annotations

from projections.store.base import Page, StalePosition, ViewStore, Where
from projections.store.memory import MemoryViewStore
from projections.store.postgres import PostgresViewStore
from projections.store.sqlite import SQLiteViewStore


def open_view_store(database_url: str) -> ViewStore:
    """The view store beside the event log at `database_url` (the log's URL forms)."""
    if database_url.startswith("memory:"):
        return MemoryViewStore()
    if database_url.startswith("sqlite:///"):
        return SQLiteViewStore(database_url.removeprefix("sqlite:///"))
    if database_url.startswith(("postgresql://", "postgres://")):
        return PostgresViewStore(database_url)
    raise ValueError(f"no view store for {database_url!r}")


__all__ = ["Page", "StalePosition", "ViewStore", "Where", "open_view_store"]
