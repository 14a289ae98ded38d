"""The garbage collector of a long-running process walks only what came since its last
full collection, and everything once every while, so that cycles among what it had
frozen are freed too."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from infra.collector import Collector


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Ring:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def clock() -> Iterator[Clock]:
    """A Collector on this process's gc for one test, on a clock the test moves."""
    clock = Clock()
    collector = Collector(rewalk=600.0, clock=clock)
    gc.callbacks.append(collector)
    try:
        yield clock
    finally:
        gc.callbacks.remove(collector)
        gc.unfreeze()
        gc.collect()


def test_a_full_collection_freezes_what_it_leaves_out_of_the_next_walks(clock: Clock) -> None:
    kept = Ring()
    gc.collect()
    assert gc.get_freeze_count() > 0
    assert not any(found is kept for found in gc.get_objects(generation=2))


def test_a_cycle_frozen_before_it_became_garbage_is_freed_once_the_rewalk_is_due(
    clock: Clock,
) -> None:
    ring = Ring()
    gone = weakref.ref(ring)
    gc.collect()  # the ring survives, and is frozen
    del ring
    gc.collect()
    assert gone() is not None, "a frozen cycle is not walked before the rewalk is due"
    clock.now = 600.0
    gc.collect()
    assert gone() is None
    assert gc.get_freeze_count() > 0  # and what is left is frozen again
