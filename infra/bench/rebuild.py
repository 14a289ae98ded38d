"""The rebuild benchmark: every view rebuilt from position 0 beside the raw rate of
reading and decoding the same events."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.events import topics_of
from projections.records import decode
from projections.replay import PAGE, Log, bulk
from projections.view import View


@dataclass(frozen=True)
class Rebuild:
    events: int  # events the views read (the log holds more)
    raw: float  # events/s reading and decoding them, nothing else
    rebuild: float  # events/s rebuilding every view from 0 and storing it

    @property
    def share(self) -> float:
        return self.rebuild / self.raw


def bench_rebuild(
    log: Log, views: Sequence[View], rebuild: Callable[[], object], repeat: int = 3
) -> Rebuild:
    """Median of `repeat` runs of each: the raw read and decode of the events the views
    read, in one process, then `rebuild()` of all views from position 0. One rebuild
    runs first, untimed, as a warm-up: the rebuilder measures what each view costs to
    fold (to share them out evenly) and the database fills its caches."""
    names = sorted({name for view in views for name in view.events})
    topics = topics_of(names)
    raws, rebuilds, count = [], [], 0
    rebuild()
    for _ in range(repeat):
        started = time.perf_counter()
        with bulk():  # as the rebuild does
            count = _read_and_decode(log, topics)
        raws.append(count / (time.perf_counter() - started))
        started = time.perf_counter()
        rebuild()
        rebuilds.append(count / (time.perf_counter() - started))
    return Rebuild(count, statistics.median(raws), statistics.median(rebuilds))


def _read_and_decode(log: Log, topics: list[str]) -> int:
    position, count = 0, 0
    while page := log.scan(position, PAGE, topics):
        for row in page:
            decode(row)
        count += len(page)
        position = page[-1][0]
    return count
