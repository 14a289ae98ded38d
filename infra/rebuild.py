"""Rebuilding views on every core: views are independent folds, so groups of them are
rebuilt side by side in worker processes, each reading only the events its views read.
The workers outlive one rebuild, like a projection service would: starting a Python
process with the application costs seconds."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import Self

from domain.service import GridCenter
from infra.bootstrap import build_application, build_projections
from infra.event_store import EventLog
from infra.settings import Settings
from projections.records import name_of
from projections.runner import ProjectionRunner
from projections.view import View


class Rebuilder:
    def __init__(self, settings: Settings, log: EventLog, runner: ProjectionRunner, workers: int):
        self.settings, self.log, self.runner = settings, log, runner
        self.workers = 1 if settings.database_url.startswith("memory:") else workers
        self._pool: ProcessPoolExecutor | None = None
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
            return self.runner.rebuild([v.name for v in chosen])
        groups = balance(chosen, self._weights(chosen), self.workers)
        heads = list(self._pool.map(_rebuild, groups))
        self.runner.positions = self.runner.store.prepare(self.runner.views)
        return min(heads)

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

    def _weights(self, views: Sequence[View]) -> dict[str, int]:
        """A view's work: the events it folds."""
        counts: dict[str, int] = {}
        for topic, count in self.log.count_topics().items():
            counts[name_of(topic)] = counts.get(name_of(topic), 0) + count
        return {view.name: sum(counts.get(name, 0) for name in view.events) for view in views}


def balance(views: Sequence[View], weights: dict[str, int], workers: int) -> list[list[str]]:
    """Heaviest first, each to the lightest group so far."""
    groups: list[tuple[int, list[str]]] = [(0, []) for _ in range(min(workers, len(views)))]
    for view in sorted(views, key=lambda v: -weights[v.name]):
        load, names = min(groups, key=lambda group: group[0])
        groups.remove((load, names))
        groups.append((load + weights[view.name], [*names, view.name]))
    return [names for _, names in groups if names]


_worker: tuple[GridCenter, ProjectionRunner] | None = None
"""The worker's application (kept: closing it closes the log) and its runner."""


def _start(settings: Settings) -> None:
    global _worker  # noqa: PLW0603 - one runner per worker process
    logging.getLogger("gridcenter.calendar").setLevel(logging.ERROR)  # said by the parent
    app = build_application(settings)
    _worker = (app, build_projections(settings, app))


def _ready(_: int) -> bool:
    return _worker is not None


def _rebuild(names: list[str]) -> int:
    assert _worker is not None, "the worker was not started"
    return _worker[1].rebuild(names)
