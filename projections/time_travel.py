"""Time travel for the API: views as they were at an earlier position of the log, or at
an instant. Folding a long log from position 0 takes seconds, and an auditor moving a
slider or replaying a day asks for one position after another, so the machine keeps the
states it has folded — at checkpoints every EVERY positions and at the positions asked
for — and folds on from the nearest earlier one. Each view is folded on its own, so a
query pays only for the views it reads.

A state is never changed once kept: going on from it folds into a copy, which shares
its (frozen) rows."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from threading import Lock

import orjson

from projections.replay import Log
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from projections.view import View

EVERY = 25_000
"""Positions between kept checkpoints while folding forward."""
KEEP = 48
"""States kept, over all views; the least recently used goes first."""


class TimeMachine:
    def __init__(self, log: Log, every: int = EVERY, keep: int = KEEP) -> None:
        self.log, self.every, self.keep = log, every, keep
        self._positions: dict[str, list[int]] = {}  # view -> positions of its kept states
        self._states: OrderedDict[tuple[str, int], MemoryViewStore] = OrderedDict()
        self._lock = Lock()

    def at(self, position: int, views: Sequence[View]) -> MemoryViewStore:
        """The views as they were once the event at `position` was folded (0: empty)."""
        head = self.log.max_notification_id() or 0
        if not 0 <= position <= head:
            raise ValueError(f"position {position} is not in the log (1 to {head:,})")
        with self._lock:
            return MemoryViewStore.joined([self._state(view, position) for view in views])

    def position_at(self, instant: datetime) -> int:
        """The position of the last event at or before `instant` (0 if none): the log is
        in the order of the events' instants, the API stamping each command as it runs."""
        low, high = 0, self.log.max_notification_id() or 0
        while low < high:  # the last position whose instant is not after `instant`
            middle = (low + high + 1) // 2
            if _instant(self.log, middle) <= instant:
                low = middle
            else:
                high = middle - 1
        return low

    def instant_of(self, position: int) -> datetime | None:
        """The business instant of the event at `position`."""
        return _instant(self.log, position) if position else None

    def _state(self, view: View, position: int) -> MemoryViewStore:
        kept = self._positions.setdefault(view.name, [])
        index = bisect_right(kept, position)
        start = kept[index - 1] if index else 0
        state = self._states.get((view.name, start)) if start else _empty(view)
        assert state is not None
        if start:
            self._states.move_to_end((view.name, start))
        while start < position:  # on through each checkpoint on the way
            start = min(position, (start // self.every + 1) * self.every)
            state = _folded(self.log, state, view, start)
            self._keep(view.name, start, state)
        return state

    def _keep(self, view: str, position: int, state: MemoryViewStore) -> None:
        self._states[(view, position)] = state
        insort(self._positions[view], position)
        while len(self._states) > self.keep:
            (name, old), _ = self._states.popitem(last=False)
            self._positions[name].remove(old)


def _empty(view: View) -> MemoryViewStore:
    store = MemoryViewStore()
    store.prepare([view])
    return store


def _folded(log: Log, state: MemoryViewStore, view: View, position: int) -> MemoryViewStore:
    """A copy of `state` with the view's events up to `position` folded in."""
    store = state.copy()
    ProjectionRunner(log, store, [view]).catch_up(up_to=position)
    return store


def _instant(log: Log, position: int) -> datetime:
    ((_, _, _, _, state),) = log.scan(position - 1, 1)
    stamp: str = orjson.loads(state)["at"]["_data_"]
    return datetime.fromisoformat(stamp)
