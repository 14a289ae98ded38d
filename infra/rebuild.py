"""Rebuilding views on every core: views are independent folds, so groups of them are
rebuilt side by side in worker processes, each reading only the events its views read.
The workers outlive one rebuild, like a projection service would: starting a Python
process with the application costs seconds.

Groups are chosen to finish together. A group costs a walk through the log (the
database reads all of it to find the events of the group's topics), the reading of every
event any of its views reads (once, however many of them read it), and each view's
folding and storing. Folding costs differ tenfold between views, so they are those the rebuilds
measured (averaged with the ones before, as a busy machine makes one measure noisy);
before any, folding an event is taken to cost as much as reading it. The log's events
are counted by topic once; then the counts are those the last rebuild read, since
counting them in the log is a scan of its own on the way of every rebuild."""

from __future__ import annotations

import itertools
import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import Self

from domain.service import GridCenter
from infra.bootstrap import build_application, build_projections
from infra.event_store import EventLog
from infra.settings import Settings
from projections.records import name_of
from projections.replay import Effort
from projections.runner import ProjectionRunner
from projections.view import View


class Rebuilder:
    def __init__(self, settings: Settings, log: EventLog, runner: ProjectionRunner, workers: int):
        self.settings, self.log, self.runner = settings, log, runner
        self.workers = 1 if settings.database_url.startswith("memory:") else workers
        self._pool: ProcessPoolExecutor | None = None
        self._costs = Costs()
        self.groups: list[list[str]] = []
        """The groups of the last rebuild on several processes."""
        if self.workers > 1:
            spawn = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=spawn, initializer=_start, initargs=(settings,)
            )
            list(self._pool.map(_ready, range(self.workers)))  # start them all now

    def rebuild(self, names: Sequence[str] | None = None) -> int:
        """Rebuild the named views (all if None); returns the lowest position reached."""
        chosen = [v for v in self.runner.views if names is None or v.name in names]
        if self._pool is None or len(chosen) < 2:
            head = self.runner.rebuild([v.name for v in chosen])
            self._costs.learn([self.runner.effort])
            return head
        self.groups = balance(chosen, self._counts(), self._costs, self.workers)
        done = list(self._pool.map(_rebuild, self.groups))
        self._costs.learn([effort for _, effort in done])
        for group, (head, _) in zip(self.groups, done, strict=True):
            self.runner.rebuilt(group, head)
        return min(head for head, _ in done)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _counts(self) -> dict[str, int]:
        """Events by public name: as the rebuilds read them, or else as the log counts them."""
        if not self._costs.topics:
            self._costs.topics = self.log.count_topics()
        counts: dict[str, int] = {}
        for topic, count in self._costs.topics.items():
            counts[name_of(topic)] = counts.get(name_of(topic), 0) + count
        return counts


class Costs:
    """Seconds to read one event and to scan the log once, each view's seconds of folding
    and storing, and the events of each topic, as measured."""

    def __init__(self) -> None:
        self.read: float | None = None
        self.scan: float | None = None
        """What a group's reading costs however few events it reads: the database walks
        the whole log to find the events of its topics."""
        self.fold: dict[str, float] = {}
        self.topics: dict[str, int] = {}

    def learn(self, efforts: Sequence[Effort]) -> None:
        """What the groups of a rebuild cost, averaged with what was known; how many events
        of each topic they read (each group reads all the events of its topics)."""
        reading = [(e.events, e.seconds - sum(e.views.values())) for e in efforts if e.events]
        if reading:
            read, scan = _fitted(reading)
            self.read = _averaged(self.read, read)
            if scan is not None:
                self.scan = _averaged(self.scan, scan)
        for effort in efforts:
            for name, seconds in effort.views.items():
                self.fold[name] = _averaged(self.fold.get(name), seconds)
            if self.topics:  # known for every topic once the log was counted
                self.topics.update(effort.topics)

    def of(self, views: Sequence[View], counts: Mapping[str, int]) -> float:
        read = self.read or 1.0
        events = {name for view in views for name in view.events}
        reading = (self.scan or 0.0) + read * sum(counts.get(name, 0) for name in events)
        return reading + sum(self._folding(view, counts, read) for view in views)

    def _folding(self, view: View, counts: Mapping[str, int], read: float) -> float:
        if self.read is not None and view.name in self.fold:
            return self.fold[view.name]
        return read * sum(counts.get(name, 0) for name in view.events)


def _fitted(reading: Sequence[tuple[int, float]]) -> tuple[float, float | None]:
    """Seconds an event and seconds a scan, from groups' (events read, seconds reading):
    the line through them, when groups that read different numbers of events tell the two
    apart; else every second is put on the events, and the scan is not known."""
    events = sum(n for n, _ in reading)
    seconds = max(sum(t for _, t in reading), 0.0)
    mean_n, mean_t = events / len(reading), seconds / len(reading)
    spread = sum((n - mean_n) ** 2 for n, _ in reading)
    if spread:
        read = sum((n - mean_n) * (t - mean_t) for n, t in reading) / spread
        scan = mean_t - read * mean_n
        if read > 0 and scan >= 0:
            return read, scan
    return seconds / events, None


def _averaged(known: float | None, measured: float) -> float:
    return measured if known is None else (known + measured) / 2


def balance(
    views: Sequence[View], counts: Mapping[str, int], costs: Costs, workers: int
) -> list[list[str]]:
    """The groups whose costliest costs least: every way of sharing the views out is
    tried (a few hundred for the views there are; past SEARCH ways, each view in turn,
    costliest first, joins the group it adds least to)."""
    workers = min(workers, len(views))
    if workers ** (len(views) - 1) > SEARCH:
        return _greedy(views, counts, costs, workers)
    best: tuple[float, list[list[View]]] | None = None
    for assignment in itertools.product(range(workers), repeat=len(views) - 1):
        groups: list[list[View]] = [[] for _ in range(workers)]
        for view, group in zip(views, (0, *assignment), strict=True):  # mirror images once
            groups[group].append(view)
        worst = max(costs.of(group, counts) for group in groups if group)
        if best is None or worst < best[0]:
            best = (worst, groups)
    assert best is not None
    return [[view.name for view in group] for group in best[1] if group]


SEARCH = 50_000


def _greedy(
    views: Sequence[View], counts: Mapping[str, int], costs: Costs, workers: int
) -> list[list[str]]:
    groups: list[list[View]] = [[] for _ in range(workers)]
    for view in sorted(views, key=lambda v: -costs.of([v], counts)):
        min(groups, key=lambda group: costs.of([*group, view], counts)).append(view)
    return [[view.name for view in group] for group in groups if group]


_worker: tuple[GridCenter, ProjectionRunner] | None = None
"""The worker's application (kept: closing it closes the log) and its runner."""


def _start(settings: Settings) -> None:
    global _worker  # noqa: PLW0603 - one runner per worker process
    logging.getLogger("gridcenter.calendar").setLevel(logging.ERROR)  # said by the parent
    app = build_application(settings)
    _worker = (app, build_projections(settings, app))


def _ready(_: int) -> bool:
    return _worker is not None


def _rebuild(names: list[str]) -> tuple[int, Effort]:
    assert _worker is not None, "the worker was not started"
    runner = _worker[1]
    return runner.rebuild(names), runner.effort
