"""The PostgreSQL log's writers exclude one another only while the server works: a writer
slow to hear back (a busy API node, a slow network) keeps no other writer waiting."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from infra.event_store import open_event_log
from tests.integration.test_event_store import new_events

LOCK = b"LOCK TABLE events"


class LateAnswers:
    """A TCP relay to PostgreSQL that, once a client has sent the table lock, holds back
    everything the server says until `release` is set."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.server = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.listener = socket.create_server(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        self.url = parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}").geturl()
        self.locked, self.release = threading.Event(), threading.Event()
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        for sock in self.sockets:
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.server)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, asking: bool) -> None:
        try:
            while data := source.recv(65536):
                if not asking and self.locked.is_set():
                    self.release.wait()
                target.sendall(data)
                if asking and LOCK in data:
                    self.locked.set()
        except OSError:
            return


@contextmanager
def late_answers(url: str) -> Iterator[LateAnswers]:
    relay = LateAnswers(url)
    try:
        yield relay
    finally:
        relay.close()


def committed(connection: psycopg.Connection[Any], within: float = 10.0) -> list[Any]:
    """The positions committed, as soon as there are any (none after `within` seconds)."""
    deadline = time.monotonic() + within
    while True:
        rows = connection.execute("SELECT position FROM events").fetchall()
        if rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


@pytest.mark.postgres
def test_a_writer_slow_to_hear_back_keeps_no_other_writer_waiting(postgres_url: str) -> None:
    open_event_log(postgres_url).close()  # the tables, made without the relay
    with late_answers(postgres_url) as relay, ThreadPoolExecutor(1) as pool:
        slow = open_event_log(relay.url)
        try:
            writing = pool.submit(slow.insert_events, new_events(1))
            assert relay.locked.wait(10), "the writer never asked for the table lock"
            with psycopg.connect(postgres_url, autocommit=True) as other:
                assert committed(other) == [(1,)], "the writer must hear back to commit"
                other.execute("SET lock_timeout = '5s'")
                with other.transaction():
                    other.execute("LOCK TABLE events IN EXCLUSIVE MODE")
            relay.release.set()
            assert writing.result(10) == [1]
        finally:
            relay.release.set()
            slow.close()


@pytest.mark.postgres
def test_a_conflicting_batch_is_refused_quietly_and_the_next_one_written(
    postgres_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer slow between its statements reads the refusal while still sending them."""
    execute = psycopg.Connection.execute

    def slowly(connection: psycopg.Connection[Any], *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.05)
        return execute(connection, *args, **kwargs)

    log = open_event_log(postgres_url)
    try:
        first = new_events(1)
        log.insert_events(first)
        monkeypatch.setattr(psycopg.Connection, "execute", slowly)
        for _ in range(3):
            with pytest.raises(IntegrityError):
                log.insert_events([*new_events(1), first[0]])
        assert log.insert_events(new_events(1)) == [2]
    finally:
        log.close()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
