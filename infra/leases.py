"""Leases on views: each view is folded by one process at a time, and another takes it
over when that process dies. On PostgreSQL a lease is a session-level advisory lock on a
connection of its own, which the server releases the moment the holder's connection
ends — however it ends, SIGKILL included. On SQLite, every process on the machine opens
the same file, so a lease is an exclusive `flock` on a lock file beside it, which the
kernel releases when the process dies. In memory there is one process: it holds all.

The views' compare-and-set positions still guard the rows if two processes ever think
they hold one view (a lease lost with a broken connection): one of them is refused."""

from __future__ import annotations

import fcntl
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import psycopg

log = logging.getLogger("gridcenter.leases")


class Leases(ABC):
    def __init__(self) -> None:
        self.held: set[str] = set()

    @abstractmethod
    def claim(self, views: Iterable[str]) -> set[str]:
        """Take the leases of those views no other process holds; returns every lease
        held now (a lease is lost if its holding connection broke)."""

    @abstractmethod
    def release(self) -> None:
        """Give back every lease."""


class MemoryLeases(Leases):
    def claim(self, views: Iterable[str]) -> set[str]:
        self.held = set(views)
        return set(self.held)

    def release(self) -> None:
        self.held = set()


class FileLeases(Leases):
    def __init__(self, database: Path) -> None:
        super().__init__()
        self.database = database
        self._files: dict[str, IO[bytes]] = {}

    def claim(self, views: Iterable[str]) -> set[str]:
        for view in views:
            if view in self.held:
                continue
            lock = open(self.database.with_name(f"{self.database.name}.{view}.lease"), "ab")  # noqa: SIM115 - held open as the lease
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                continue
            self._files[view] = lock
            self.held.add(view)
        return set(self.held)

    def release(self) -> None:
        for lock in self._files.values():
            lock.close()  # closing the file drops its lock
        self._files.clear()
        self.held = set()


class PostgresLeases(Leases):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._connection: psycopg.Connection[Any] | None = None

    def claim(self, views: Iterable[str]) -> set[str]:
        try:
            connection = self._connect()
            connection.execute("SELECT 1")  # the locks live as long as this session does
            for view in views:
                if view not in self.held:
                    (taken,) = connection.execute(
                        "SELECT pg_try_advisory_lock(hashtext(%s))", (f"gridcenter:{view}",)
                    ).fetchone() or (False,)
                    if taken:
                        self.held.add(view)
        except psycopg.Error as error:
            if self.held:
                log.warning("lost the leases of %s: %s", ", ".join(sorted(self.held)), error)
            self.release()
        return set(self.held)

    def release(self) -> None:
        if self._connection is not None:
            self._connection.close()  # the server drops the session's locks with it
        self._connection = None
        self.held = set()

    def _connect(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            self.held = set()
            self._connection = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        return self._connection


def open_leases(database_url: str) -> Leases:
    """The leases that fit the store: advisory locks, lock files, or none to share."""
    if database_url.startswith(("postgresql:", "postgres:")):
        return PostgresLeases(database_url)
    if database_url.startswith("sqlite:///"):
        return FileLeases(Path(database_url.removeprefix("sqlite:///")).absolute())
    return MemoryLeases()
