"""Rebuilding views on every core: views are independent folds, so groups of them are
rebuilt side by side in worker processes, each reading only the events its views read."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from infra.bootstrap import build_application, build_projections
from infra.event_store import EventLog
from infra.settings import Settings
from projections.records import name_of
from projections.runner import ProjectionRunner
from projections.view import View


def rebuild(
    settings: Settings,
    log: EventLog,
    runner: ProjectionRunner,
    names: Sequence[str] | None,
    workers: int,
) -> int:
    """Rebuild the named views (all if None); returns the lowest position they reached.
    A store only this process can see (memory) is rebuilt here."""
    chosen = [v for v in runner.views if names is None or v.name in names]
    if workers < 2 or len(chosen) < 2 or settings.database_url.startswith("memory:"):
        return runner.rebuild([v.name for v in chosen])
    groups = balance(chosen, _weights(log, chosen), workers)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(groups), mp_context=spawn) as pool:
        heads = list(pool.map(_rebuild_group, [settings] * len(groups), groups))
    runner.positions = runner.store.prepare(runner.views)
    return min(heads)


def balance(views: Sequence[View], weights: dict[str, int], workers: int) -> list[list[str]]:
    """Heaviest first, each to the lightest group so far."""
    groups: list[tuple[int, list[str]]] = [(0, []) for _ in range(min(workers, len(views)))]
    for view in sorted(views, key=lambda v: -weights[v.name]):
        load, names = min(groups, key=lambda group: group[0])
        groups.remove((load, names))
        groups.append((load + weights[view.name], [*names, view.name]))
    return [names for _, names in groups if names]


def _weights(log: EventLog, views: Sequence[View]) -> dict[str, int]:
    """Events each view folds, by the log's count of each event name."""
    counts: dict[str, int] = {}
    for topic, count in log.count_topics().items():
        counts[name_of(topic)] = counts.get(name_of(topic), 0) + count
    return {view.name: sum(counts.get(name, 0) for name in view.events) for view in views}


def _rebuild_group(settings: Settings, names: list[str]) -> int:
    logging.getLogger("gridcenter.calendar").setLevel(logging.ERROR)  # said by the parent
    app = build_application(settings)
    try:
        runner = build_projections(settings, app)
        head = runner.rebuild(names)
        runner.store.close()
        return head
    finally:
        app.close()
