"""A projection worker: keeps current the views whose leases it holds (infra/leases.py),
and takes over any view whose holder died. `gridcenter project` runs one on its own; an
API node runs one beside the API unless the deployment leaves the views to workers.

Every CLAIM_EVERY seconds the worker tries to take the leases it lacks; when it gains
one, it starts folding that view from the view's committed position.

The views it holds are followed in groups, each by a runner committing on its own: each
live view (those screens subscribe to, see LIVE) alone and first, the others together
last. The runners take turns on one thread, woken by the log's own commit listener
(projections.runner.Wakes): each batch is read once for all of them, and the wall map's
fold and small commit come first, so its notice goes out before the other views have
read their rows, and without them competing for the process's GIL meanwhile. A report
that comes while the others fold goes to the wall map between two of their commits
(projections.runner.follow_in_turn), not after the round. With a
thread a runner, every commit woke four threads that each read the same events; in
alternating runs of the fan-out benchmark the p99 from commit was lower in five pairs
of six."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Event, Thread

from infra.leases import Leases
from projections import case_board, grid_status, workload
from projections.bus import Bus
from projections.replay import Log
from projections.runner import (
    BATCH,
    ProjectionRunner,
    Wake,
    Wakes,
    catch_up_in_turn,
    follow_in_turn,
)
from projections.store import ViewStore
from projections.view import View

CLAIM_EVERY = 2.0
LIVE = (grid_status.name, case_board.name, workload.name)
"""The views followed each on its own: the live subscriptions' (api/broadcasts.py)."""
log = logging.getLogger("gridcenter.workers")


@dataclass
class Follower:
    """Runners following the log in turn on a thread of their own."""

    runners: list[ProjectionRunner]
    thread: Thread | None = None
    halt: Event = field(default_factory=Event)
    wake: Wake = field(default_factory=Wake)
    fresh: Wake = field(default_factory=Wake)
    """Set by each commit too: the wall map's runner goes ahead mid-round."""

    @property
    def names(self) -> list[str]:
        return [view.name for runner in self.runners for view in runner.views]

    def start(self, wakes: Wakes) -> None:
        self.wake, self.fresh = wakes.event(), wakes.event()
        self.thread = Thread(target=self._follow, args=(wakes,), name="views", daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def catch_up(self) -> int:
        return catch_up_in_turn(self.runners)

    def stop(self) -> None:
        self.halt.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=30)

    def _follow(self, wakes: Wakes) -> None:
        try:
            follow_in_turn(self.runners, self.halt, self.wake, fresh=self.fresh)
        except Exception:
            log.exception("the views %s stopped; they start again from their positions", self.names)
        finally:
            wakes.forget(self.wake)
            wakes.forget(self.fresh)


class ViewWorker:
    def __init__(
        self,
        log_: Log,
        store: ViewStore,
        views: Sequence[View],
        leases: Leases,
        bus: Bus | None = None,
        batch: int = BATCH,
        claim_every: float = CLAIM_EVERY,
    ) -> None:
        self.log, self.store, self.views, self.leases = log_, store, views, leases
        self.bus, self.batch, self.claim_every = bus, batch, claim_every
        self.follower: Follower | None = None

    @property
    def held(self) -> list[View]:
        return [view for view in self.views if view.name in self.leases.held]

    def claim(self) -> bool:
        """Take the leases free now; True if the views held changed (the follower is
        then a new one, not started)."""
        before = self.held
        self.leases.claim(view.name for view in self.views)
        held = self.held
        if held == before and (self.follower is not None or not held):
            return False
        log.info("folding views %s", ", ".join(v.name for v in held) or "none")
        self._halt()
        self.follower = Follower(self._runners(groups(held))) if held else None
        return True

    def catch_up(self) -> int:
        """Claim, then fold the held views up to the head of the log (synchronously);
        returns the position they all reached (0 if none is held)."""
        self.claim()
        return 0 if self.follower is None else self.follower.catch_up()

    def run(self, stop: Event) -> None:
        """Follow the log with the held views until `stop`, claiming again every while.
        A runner that failed (its error is logged) starts again from the committed
        positions: a view never skips an event."""
        wakes = Wakes(self.log)
        try:
            while not stop.is_set():
                self.claim()
                self.follower = self._again(self.follower)
                if self.follower is not None and self.follower.thread is None:
                    self.follower.start(wakes)
                stop.wait(self.claim_every)
        finally:
            self._halt()
            wakes.close()
            self.leases.release()

    def _again(self, follower: Follower | None) -> Follower | None:
        """A follower whose runners failed, as a new one from the committed positions."""
        if follower is None or follower.thread is None or follower.alive():
            return follower
        return Follower(self._runners([runner.views for runner in follower.runners]))

    def _runners(self, groups: Sequence[Sequence[View]]) -> list[ProjectionRunner]:
        return [ProjectionRunner(self.log, self.store, g, self.bus, self.batch) for g in groups]

    def _halt(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        self.follower = None


def groups(views: Sequence[View]) -> list[list[View]]:
    """The views as their runners follow them, each group committed on its own, in turn:
    each live one alone and first, the rest together last."""
    alone = [[view] for name in LIVE for view in views if view.name == name]
    rest = [view for view in views if view.name not in LIVE]
    return alone + ([rest] if rest else [])
