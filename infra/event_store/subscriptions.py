"""Subscriptions to the log: recorded notifications first, then each new one as it is
committed. Every backend wakes its subscribers, and tells its head to those who follow
it, through a `CommitSignal`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from threading import Event, Lock, Thread
from typing import Any

from eventsourcing.persistence import ListenNotifySubscription

from infra.event_store import EventLog


class CommitSignal:
    """Tells one log's subscriptions and followers that a commit moved its head, and to
    where: each subscription is woken to read what came, each follower given the head."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._waiters: set[Event] = set()
        self._followers: set[Callable[[int], None]] = set()

    def listen(self, waiter: Event) -> None:
        with self._lock:
            self._waiters.add(waiter)

    def unlisten(self, waiter: Event) -> None:
        with self._lock:
            self._waiters.discard(waiter)

    def follow(self, moved: Callable[[int], None]) -> Callable[[], None]:
        """Call `moved` with the head at each commit from now on; returns what stops it."""
        with self._lock:
            self._followers.add(moved)
        return partial(self._unfollow, moved)

    def notify(self, head: int) -> None:
        with self._lock:
            for waiter in self._waiters:
                waiter.set()
            followers = list(self._followers)
        for moved in followers:
            moved(head)

    def _unfollow(self, moved: Callable[[int], None]) -> None:
        with self._lock:
            self._followers.discard(moved)


class LogSubscription(ListenNotifySubscription[EventLog]):
    """Yields notifications after `gt`, then blocks for new ones.

    It wakes on the log's commit signal and, when `poll_interval` is given, also on a
    timer: other processes writing to the same SQLite file signal nothing here.
    """

    def __init__(
        self,
        log: EventLog,
        signal: CommitSignal,
        gt: int | None,
        topics: Sequence[str],
        poll_interval: float | None,
    ) -> None:
        # Set before the base class starts its thread, which may call stop() at once.
        self._signal = signal
        self._stopped = Event()
        super().__init__(recorder=log, gt=gt, topics=topics)
        signal.listen(self._has_been_notified)
        # Pull once more now that we listen: a commit since the first pull is not missed.
        self._has_been_notified.set()
        self._poller: Thread | None = None
        if poll_interval is not None:
            self._poller = Thread(target=self._poll, args=(poll_interval,), daemon=True)
            self._poller.start()

    def stop(self) -> None:
        super().stop()
        self._signal.unlisten(self._has_been_notified)
        self._stopped.set()

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            if self._poller is not None:
                self._poller.join()

    def _poll(self, interval: float) -> None:
        while not self._stopped.wait(interval):
            self._has_been_notified.set()
