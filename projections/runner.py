"""Running views over the log: catch up from each view's position, then follow the log
as it grows; rebuild a view from position 0 (projections/replay.py folds it).

Each batch of events and the positions it brings the views to are committed in one
transaction, then a view-changed notice goes to the bus. A runner that crashes leaves
every view at the last committed batch, so a new runner carries on from there."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from threading import Event, Thread
from time import perf_counter
from typing import Any

from domain.events import topics_of
from projections.bus import Bus, ViewChanged
from projections.records import Record, StoredRow, decode, name_of
from projections.replay import Effort, Log, Progress, bulk, fold
from projections.store import StalePosition, ViewStore
from projections.view import Key, Rows, Table, View, noticed

BATCH = 2000
CACHE_LIMIT = 200_000
NOTICED_ROWS = 100
"""Rows a notice brings at most; a batch that wrote more (a catch-up) names keys only."""
POLL = 0.5
"""Seconds between looks at the log when no wake-up came."""


class ProjectionRunner:
    def __init__(
        self,
        log: Log,
        store: ViewStore,
        views: Sequence[View],
        bus: Bus | None = None,
        batch: int = BATCH,
    ) -> None:
        self.log, self.store, self.views, self.bus, self.batch = log, store, views, bus, batch
        self._readers: dict[str, list[View]] = {}
        for view in views:
            for name in view.events:
                self._readers.setdefault(name, []).append(view)
        self.topics = topics_of(sorted(self._readers))
        """The topics of the events its views fold."""
        self._cache: dict[tuple[str, Key], Any | None] = {}
        self.effort = Effort()
        """What the last rebuild cost."""
        self.positions = store.prepare(views)

    @property
    def position(self) -> int:
        """The position every view has reached."""
        return min(self.positions.values(), default=0)

    def catch_up(self, progress: Progress | None = None, up_to: int | None = None) -> int:
        """Fold every event recorded so far (or up to a position); returns the position
        reached."""
        return catch_up_in_turn([self], progress, up_to)

    def run(self, stop: Event, poll: float = POLL) -> None:
        """Catch up, then follow the log until `stop` is set, woken at each commit (see
        Wakes)."""
        wakes = Wakes(self.log)
        wake = wakes.event()
        Thread(target=_wake_on_stop, args=(stop, wake), daemon=True).start()
        try:
            follow_in_turn([self], stop, wake, poll)
        finally:
            wakes.close()

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Fold the named views (all if None) from position 0 and replace what they hold.
        The collector stays off while the rows are stored too (see `bulk`): they are all
        still young, and its first passes would walk every one of them."""
        chosen = [v for v in self.views if names is None or v.name in set(names)]
        self.effort = effort = Effort()
        with bulk():
            rows, head = fold(self.log, chosen, progress=progress, effort=effort)
            for view in chosen:
                started = perf_counter()
                self.store.replace(view, rows, head)
                spent = perf_counter() - started
                effort.views[view.name] = effort.views.get(view.name, 0.0) + spent
                effort.seconds += spent
                self.positions[view.name] = head
        self._cache.clear()
        return head

    def rebuilt(self, names: Iterable[str], head: int) -> None:
        """The named views were rebuilt up to `head` by another runner (a rebuild's worker
        process): carry on from there, forgetting the rows this one had read of them."""
        for name in names:
            self.positions[name] = head
        self._cache.clear()

    # Batches ---------------------------------------------------------------------------------

    def commit(self, stored: Sequence[StoredRow], reached: int) -> None:
        """Fold a batch read from the log into the views not yet past each event, bring
        them all to `reached` in one transaction, then tell the bus."""
        changes = Rows(self)
        for record in _records(stored, self._readers):
            for view in self._readers[record.name]:
                if record.position > self.positions[view.name]:
                    view.apply(record, changes)
        moves = {
            view.name: (self.positions[view.name], reached)
            for view in self.views
            if self.positions[view.name] < reached
        }
        try:
            self.store.commit(changes, moves)
        except StalePosition:
            self._cache.clear()
            self.positions = self.store.prepare(self.views)
            raise
        for view_name, (_, new) in moves.items():
            self.positions[view_name] = new
        self._remember(changes)
        if self.bus is not None:
            moved = [view for view in self.views if view.name in moves]
            self.bus.publish(*(_notice(view, changes, *moves[view.name]) for view in moved))

    def fetch(self, table: Table, key: Key) -> Any | None:
        """Rows missing from a batch come from the store, through a cache of our own
        writes: this runner is the only writer of its views (positions guard that)."""
        slot = (table.name, key)
        if slot not in self._cache:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[slot] = self.store.fetch(table, key)
        return self._cache[slot]

    def _remember(self, changes: Rows) -> None:
        for table_name, written in changes.changed.items():
            for key, row in written.items():
                self._cache[(table_name, key)] = row


def catch_up_in_turn(
    runners: Sequence[ProjectionRunner],
    progress: Progress | None = None,
    up_to: int | None = None,
    between: Callable[[], None] | None = None,
    told: int | None = None,
) -> int:
    """Fold every event recorded so far (or up to a position) into the runners' views,
    reading each batch of the log once for all of them and committing it runner by
    runner, in their order: the first one's notice goes out first, and the others' folds
    and reads of the log do not compete with it. `between` is called after each runner's
    commit; `told`, the head a commit told (Wake), spares reading it. Returns the
    position all reached."""
    log, batch = runners[0].log, runners[0].batch
    topics = sorted({topic for runner in runners for topic in runner.topics})
    head = (log.max_notification_id() or 0) if told is None else told
    head = head if up_to is None else min(head, up_to)
    while (position := min(runner.position for runner in runners)) < head:
        rows = [row for row in log.scan(position, batch, topics) if row[0] <= head]
        reached = rows[-1][0] if len(rows) == batch else head
        for runner in runners:
            if runner.position < reached:
                runner.commit(rows, reached)
                if between is not None:
                    between()
        if progress is not None:
            progress(reached, head)
    return min(runner.position for runner in runners)


def follow_in_turn(
    runners: Sequence[ProjectionRunner],
    stop: Event,
    wake: Wake,
    poll: float = POLL,
    fresh: Wake | None = None,
) -> None:
    """Catch up each time `wake` is set, or after `poll` seconds without, until `stop`
    is set (whoever sets it sets `wake` too). Events are read in batches by position,
    up to the head the wake-up told (after a poll, the head is read): a wake-up only
    says there may be more, and the poll covers a missed one.

    `fresh`, set by every commit as `wake` is, lets the first runner go ahead mid-round:
    a commit that came while the others fold and commit goes into the first one's views
    before the next of them starts. The wall map then waits for one other view's commit
    at most, not for the rest of the round. In the fan-out benchmark at 50 reports a
    second, a round took 18 ms at the median (its reads and commits, each a round trip
    to a loaded database), and a report that came during one waited 13 ms for it at the
    median, 36 ms at the 99th percentile; the p99 from a report's commit to the wall
    map's notice went from 23-25 ms to 15-18 ms."""

    def first_goes_ahead() -> None:
        if fresh is not None and fresh.is_set():
            fresh.clear()
            catch_up_in_turn(runners[:1], told=fresh.head)

    between = first_goes_ahead if len(runners) > 1 else None
    woken = False
    while not stop.is_set():
        wake.clear()  # before reading: a commit from now on wakes the next round
        if fresh is not None:
            fresh.clear()  # this round reads it
        catch_up_in_turn(runners, between=between, told=wake.head if woken else None)
        woken = wake.wait(poll)


def _notice(view: View, changes: Rows, old: int, new: int) -> ViewChanged:
    keys = frozenset(changes.touched.get(view.name, ()))
    return ViewChanged(view.name, keys, new, old, _noticed_rows(view, changes))


def _noticed_rows(view: View, changes: Rows) -> tuple[Any, ...] | None:
    """What the view's notice brings of its `noticed` table: the rows the batch wrote;
    None if it wrote too many, or deleted one (listeners then read)."""
    table = noticed(view)
    if table is None:
        return None
    written = changes.changed.get(table.name, {})
    rows = tuple(written.values())
    if len(rows) > NOTICED_ROWS or None in rows:
        return None
    return rows


def _records(stored: Iterable[StoredRow], readers: dict[str, list[View]]) -> Iterator[Record]:
    for row in stored:
        if name_of(row[3]) in readers:
            yield decode(row)


class Wake(Event):
    """Set at each commit from now on, which tells it the head of the log."""

    def __init__(self) -> None:
        super().__init__()
        self.head: int | None = None
        """The furthest head a commit told; None until one did."""

    def told(self, head: int) -> None:
        self.head = max(self.head or 0, head)
        self.set()


class Wakes:
    """Wake-ups when the log grows (LISTEN/NOTIFY on PostgreSQL, the commit signal
    in-process) for any number of followers, each with a Wake of its own that the log's
    listener sets itself: no thread and no read of the log stand between a commit and
    the runners that read it by position, and the head they read to comes with it."""

    def __init__(self, log: Log) -> None:
        self._log = log
        self._stops: dict[Wake, Callable[[], None]] = {}

    def event(self) -> Wake:
        wake = Wake()
        self._stops[wake] = self._log.follow_head(wake.told)
        return wake

    def forget(self, wake: Wake) -> None:
        self._stops.pop(wake)()

    def close(self) -> None:
        for stop in self._stops.values():
            stop()
        self._stops.clear()


def _wake_on_stop(stop: Event, wake: Event) -> None:
    stop.wait()
    wake.set()
