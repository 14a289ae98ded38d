"""The event log keeps positions gap-free and in commit order on every backend."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    InfrastructureFactoryError,
    IntegrityError,
    Notification,
    OperationalError,
    StoredEvent,
    Subscription,
    Tracking,
)

from infra.event_store import EventLog, open_event_log

OpenLog = Callable[[str], EventLog]


def new_events(count: int, topic: str = "domain.cases:Case.Reported") -> list[StoredEvent]:
    """First events of `count` new aggregates."""
    return [StoredEvent(uuid4(), 1, topic, b'{"by":"w-1"}') for _ in range(count)]


def positions(notifications: list[Notification]) -> list[int]:
    return [n.id for n in notifications]


def take(subscription: Subscription[EventLog], count: int) -> list[int]:
    """The next `count` positions a subscription yields, failing rather than hanging."""
    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(lambda: [next(subscription).id for _ in range(count)]).result(10)
    finally:
        pool.shutdown(wait=False)


def write_batches(url: str, batches: int, start: Barrier, results: Queue[list[int]]) -> None:
    """A writer process: appends batches through its own log, sends back their positions."""
    with open_event_log(url) as log:
        start.wait(timeout=60)
        results.put([p for _ in range(batches) for p in log.insert_events(new_events(5))])


@pytest.fixture
def open_log() -> Iterator[OpenLog]:
    logs: list[EventLog] = []

    def open_(url: str) -> EventLog:
        logs.append(open_event_log(url))
        return logs[-1]

    yield open_
    for log in logs:
        log.close()


@pytest.fixture
def log(database_url: str, open_log: OpenLog) -> EventLog:
    return open_log(database_url)


def test_positions_start_at_one_and_continue_across_batches(log: EventLog) -> None:
    assert log.max_notification_id() is None
    assert log.insert_events(new_events(2)) == [1, 2]
    assert log.insert_events(new_events(3)) == [3, 4, 5]
    assert positions(log.select_notifications(None, 10)) == [1, 2, 3, 4, 5]
    assert log.max_notification_id() == 5


def test_a_conflicting_batch_records_nothing_and_burns_no_position(log: EventLog) -> None:
    recorded = new_events(2)
    log.insert_events(recorded)
    with pytest.raises(IntegrityError):
        log.insert_events([*new_events(1), recorded[1]])
    with pytest.raises(IntegrityError):
        log.insert_events(new_events(1) * 2)
    assert log.max_notification_id() == 2
    assert log.insert_events(new_events(1)) == [3]


@contextmanager
def watching_for_holes(log: EventLog) -> Iterator[list[list[int]]]:
    """Reads the log while others write, collecting what it saw whenever there was a hole:
    a hole that fills later means a commit became visible before one with a smaller
    position, so a reader resuming after a position would miss an event."""
    holes: list[list[int]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen = positions(log.select_notifications(None, 1_000_000))
            if seen != list(range(1, len(seen) + 1)):
                holes.append(seen)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield holes
    finally:
        done.set()
        watcher.join()


def test_concurrent_writers_get_gap_free_positions_in_commit_order(log: EventLog) -> None:
    written: dict[int, UUID] = {}

    def write(writer: int) -> None:
        for size in [1, 2, 3] * 10:
            batch = new_events(size)
            for position, stored in zip(log.insert_events(batch), batch, strict=True):
                written[position] = stored.originator_id  # type: ignore[assignment]

    with watching_for_holes(log) as holes, ThreadPoolExecutor(6) as pool:
        list(pool.map(write, range(6)))
    assert holes == []
    assert sorted(written) == list(range(1, 6 * 60 + 1))
    stored = {n.id: n.originator_id for n in log.select_notifications(None, 1000)}
    assert stored == written


def test_writer_processes_share_one_gap_free_sequence(
    durable_database_url: str, open_log: OpenLog
) -> None:
    context = get_context("spawn")
    start, results = context.Barrier(3), context.Queue()
    writers = [
        context.Process(target=write_batches, args=(durable_database_url, 100, start, results))
        for _ in range(3)
    ]
    with watching_for_holes(open_log(durable_database_url)) as holes:
        for writer in writers:
            writer.start()
        returned = [p for _ in writers for p in results.get(timeout=60)]
        for writer in writers:
            writer.join()
    assert holes == []
    assert sorted(returned) == list(range(1, 1501))


def test_select_notifications_honours_start_stop_limit_and_topics(log: EventLog) -> None:
    for topic in "ababa":
        log.insert_events(new_events(1, topic=f"tests:{topic}"))
    select = log.select_notifications
    assert positions(select(2, 10)) == [2, 3, 4, 5]
    assert positions(select(2, 10, inclusive_of_start=False)) == [3, 4, 5]
    assert positions(select(1, 10, stop=3)) == [1, 2, 3]
    assert positions(select(1, 2)) == [1, 2]
    assert positions(select(1, 10, topics=["tests:b"])) == [2, 4]
    assert positions(select(1, 1, topics=["tests:a"], inclusive_of_start=False)) == [3]


def test_select_events_honours_gt_lte_desc_and_limit(log: EventLog) -> None:
    case = uuid4()
    log.insert_events([StoredEvent(case, v, "t:E", b"%d" % v) for v in range(1, 6)])
    log.insert_events(new_events(2))

    def versions(**kwargs: Any) -> list[int]:
        return [e.originator_version for e in log.select_events(case, **kwargs)]

    assert versions() == [1, 2, 3, 4, 5]
    assert versions(gt=2) == [3, 4, 5]
    assert versions(lte=3) == [1, 2, 3]
    assert versions(desc=True, limit=2) == [5, 4]
    assert versions(gt=1, lte=4, desc=True, limit=2) == [4, 3]
    first = log.select_events(case, limit=1)[0]
    assert (first.originator_id, first.topic, first.state) == (case, "t:E", b"1")


def test_select_history_gives_one_aggregates_events_with_their_positions(log: EventLog) -> None:
    case, other = uuid4(), uuid4()
    log.insert_events([StoredEvent(case, 1, "t:E", b"{}"), StoredEvent(other, 1, "t:E", b"{}")])
    log.insert_events([StoredEvent(other, 2, "t:E", b"{}"), StoredEvent(case, 2, "t:E", b"{}")])
    log.insert_events([StoredEvent(case, 3, "t:E", b"{}")])
    history = log.select_history(case)
    assert [(n.id, n.originator_version) for n in history] == [(1, 1), (4, 2), (5, 3)]
    assert {n.originator_id for n in history} == {case}
    assert positions(log.select_history(case, after=4)) == [5]
    assert log.select_history(uuid4()) == []


def test_next_number_counts_from_one_without_repeats_across_threads(log: EventLog) -> None:
    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(lambda _: log.next_number("case"), range(200)))
    assert sorted(numbers) == list(range(1, 201))
    assert log.next_number("visit") == 1


def test_tracking_is_recorded_with_its_batch_or_not_at_all(log: EventLog) -> None:
    log.insert_events(new_events(1), tracking=Tracking("case_board", 7))
    assert log.max_tracking_id("case_board") == 7
    taken = new_events(1)
    log.insert_events(taken)
    with pytest.raises(IntegrityError):
        log.insert_events([*new_events(1), *taken], tracking=Tracking("case_board", 8))
    with pytest.raises(IntegrityError):
        log.insert_events(new_events(1), tracking=Tracking("case_board", 7))
    assert not log.has_tracking_id("case_board", 8)
    assert log.max_notification_id() == 2
    log.insert_events([], tracking=Tracking("case_board", 9))
    log.insert_tracking(Tracking("grid_status", 3))
    assert (log.max_tracking_id("case_board"), log.max_tracking_id("grid_status")) == (9, 3)
    assert log.max_tracking_id("visit_coverage") is None


def test_a_subscription_yields_recorded_then_new_events(log: EventLog) -> None:
    log.insert_events(new_events(2))
    with log.subscribe(gt=1) as subscription:
        assert take(subscription, 1) == [2]
        log.insert_events(new_events(2))
        assert take(subscription, 2) == [3, 4]
    with log.subscribe(topics=["tests:wanted"]) as subscription:
        log.insert_events([*new_events(1), *new_events(1, topic="tests:wanted")])
        assert take(subscription, 1) == [6]


def test_a_subscription_sees_events_written_through_another_log(
    durable_database_url: str, open_log: OpenLog
) -> None:
    reader, writer = open_log(durable_database_url), open_log(durable_database_url)
    with reader.subscribe() as subscription:
        writer.insert_events(new_events(2))
        assert take(subscription, 2) == [1, 2]


@pytest.mark.postgres
def test_a_subscription_outlives_a_lost_listen_connection(
    postgres_url: str, open_log: OpenLog
) -> None:
    reader, writer = open_log(postgres_url), open_log(postgres_url)
    with reader.subscribe() as subscription:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        writer.insert_events(new_events(1))
        assert take(subscription, 1) == [1]


class Told:
    """The heads a log told a follower of it."""

    def __init__(self) -> None:
        self.heads: list[int] = []
        self._moved = threading.Condition()

    def __call__(self, head: int) -> None:
        with self._moved:
            self.heads.append(head)
            self._moved.notify_all()

    def reaches(self, head: int, within: float = 10.0) -> bool:
        """Whether a head of at least `head` is told within `within` seconds."""
        with self._moved:
            return self._moved.wait_for(lambda: max(self.heads, default=0) >= head, within)


def test_a_follower_is_told_the_head_at_each_commit_and_no_more_once_stopped(
    log: EventLog,
) -> None:
    told = Told()
    stop = log.follow_head(told)
    log.insert_events(new_events(2))
    assert told.reaches(2)
    log.insert_events(new_events(3))
    assert told.reaches(5)
    stop()
    count = len(told.heads)
    log.insert_events(new_events(1))
    assert log.max_notification_id() == 6
    assert not told.reaches(6, within=1.0)  # a NOTIFY comes in milliseconds
    assert len(told.heads) == count


def test_a_follower_is_told_another_writers_commits(
    durable_database_url: str, open_log: OpenLog
) -> None:
    reader, writer = open_log(durable_database_url), open_log(durable_database_url)
    told = Told()
    reader.follow_head(told)
    writer.insert_events(new_events(3))
    assert told.reaches(3)


@pytest.mark.postgres
def test_a_follower_takes_the_head_from_the_notify_and_reads_it_when_none_is_given(
    postgres_url: str, open_log: OpenLog
) -> None:
    log, told = open_log(postgres_url), Told()
    log.follow_head(told)
    with psycopg.connect(postgres_url, autocommit=True) as other:
        other.execute("LISTEN gridcenter_events")
        log.insert_events(new_events(2))
        assert [n.payload for n in other.notifies(timeout=10, stop_after=1)] == ["2"]
        assert told.reaches(2)
        other.execute("SELECT pg_notify('gridcenter_events', '40')")
        assert told.reaches(40)  # told, not read: the log holds 2
        told.heads.clear()
        other.execute("SELECT pg_notify('gridcenter_events', '')")  # an older writer's
        assert told.reaches(2)
        assert told.heads == [2]


def test_reopening_a_store_keeps_events_counters_and_tracking(
    durable_database_url: str, open_log: OpenLog
) -> None:
    first = open_log(durable_database_url)
    batch = new_events(3)
    first.insert_events(batch, tracking=Tracking("case_board", 1))
    first.next_number("case")
    first.close()
    again = open_log(durable_database_url)
    kept = again.select_notifications(None, 10)
    assert [(n.originator_id, n.state) for n in kept] == [(e.originator_id, e.state) for e in batch]
    assert again.max_tracking_id("case_board") == 1
    assert again.next_number("case") == 2
    assert again.insert_events(new_events(1)) == [4]


def test_a_store_written_by_newer_code_is_refused(tmp_path: Path, open_log: OpenLog) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    open_log(url).close()
    with sqlite3.connect(tmp_path / "events.db") as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(OperationalError, match="schema version 99"):
        open_log(url)


def test_sqlite_urls_take_relative_and_absolute_paths_and_make_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_log: OpenLog
) -> None:
    monkeypatch.chdir(tmp_path)
    open_log("sqlite:///data/relative.db")
    open_log(f"sqlite:///{tmp_path / 'deep' / 'absolute.db'}")
    assert (tmp_path / "data" / "relative.db").exists()
    assert (tmp_path / "deep" / "absolute.db").exists()


@pytest.mark.parametrize(
    "url", ["", "memory", "sqlite://", "sqlite:///", "mysql://u@h/db", "postgresql:/h/db"]
)
def test_unsupported_database_urls_are_refused_with_the_accepted_forms(url: str) -> None:
    with pytest.raises(ValueError, match="accepted forms: memory:, sqlite:///"):
        open_event_log(url)


class Tally(Aggregate):
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Counted")
    def count_one(self) -> None:
        self.count += 1


class Tallies(Application[UUID]):
    is_snapshotting_enabled = True

    def open_tally(self, name: str) -> UUID:
        tally = Tally(name)
        self.save(tally)
        return tally.id

    def count(self, tally_id: UUID) -> None:
        tally: Tally = self.repository.get(tally_id)
        tally.count_one()
        self.save(tally)


def test_an_application_saves_and_reads_aggregates_through_the_factory(database_url: str) -> None:
    app = Tallies(
        env={"PERSISTENCE_MODULE": "infra.event_store", "GRIDCENTER_DATABASE_URL": database_url}
    )
    try:
        tally_id = app.open_tally("manhole covers")
        app.count(tally_id)
        app.take_snapshot(tally_id)
        app.count(tally_id)
        assert app.repository.get(tally_id).count == 2
        notifications = app.notification_log.select(start=1, limit=10)
        assert positions(list(notifications)) == [1, 2, 3]
        assert [n.topic for n in notifications] == [
            "tests.integration.test_event_store:Tally.Created",
            "tests.integration.test_event_store:Tally.Counted",
            "tests.integration.test_event_store:Tally.Counted",
        ]
    finally:
        app.close()


def test_an_application_without_a_database_url_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRIDCENTER_DATABASE_URL", raising=False)
    with pytest.raises(InfrastructureFactoryError, match="GRIDCENTER_DATABASE_URL is not set"):
        Tallies(env={"PERSISTENCE_MODULE": "infra.event_store"})
