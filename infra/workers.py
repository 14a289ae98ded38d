"""A projection worker: keeps current the views whose leases it holds (infra/leases.py),
and takes over any view whose holder died. `gridcenter project` runs one on its own; an
API node runs one beside the API unless the deployment leaves the views to workers.

Every CLAIM_EVERY seconds the worker tries to take the leases it lacks; when it gains
one, it starts folding that view from the view's committed position."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from threading import Event, Thread

from infra.leases import Leases
from projections.bus import Bus
from projections.replay import Log
from projections.runner import BATCH, ProjectionRunner
from projections.store import ViewStore
from projections.view import View

CLAIM_EVERY = 2.0
log = logging.getLogger("gridcenter.workers")


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
        self.runner: ProjectionRunner | None = None
        self._running: tuple[Thread, Event] | None = None

    @property
    def held(self) -> list[View]:
        return [view for view in self.views if view.name in self.leases.held]

    def claim(self) -> bool:
        """Take the leases free now; True if the views held changed."""
        before = self.held
        self.leases.claim(view.name for view in self.views)
        held = self.held
        if held == before and (self.runner is not None or not held):
            return False
        log.info("folding views %s", ", ".join(v.name for v in held) or "none")
        self.runner = ProjectionRunner(self.log, self.store, held, self.bus, self.batch)
        return True

    def catch_up(self) -> int:
        """Claim, then fold the held views up to the head of the log (synchronously);
        returns the position they reached (0 if none is held)."""
        self.claim()
        return self.runner.catch_up() if self.runner is not None and self.held else 0

    def run(self, stop: Event) -> None:
        """Follow the log with the held views until `stop`, claiming again every while.
        A runner that failed (its error is logged) starts again from the committed
        positions: a view never skips an event."""
        try:
            while not stop.is_set():
                changed = self.claim()
                if changed or not self._alive():
                    self._restart()
                stop.wait(self.claim_every)
        finally:
            self._halt()
            self.leases.release()

    def _alive(self) -> bool:
        return self._running is not None and self._running[0].is_alive()

    def _restart(self) -> None:
        self._halt()
        held = self.held
        if not held:
            return
        self.runner = ProjectionRunner(self.log, self.store, held, self.bus, self.batch)
        halt = Event()
        thread = Thread(target=self._follow, args=(self.runner, halt), name="views", daemon=True)
        thread.start()
        self._running = (thread, halt)

    @staticmethod
    def _follow(runner: ProjectionRunner, halt: Event) -> None:
        try:
            runner.run(halt)
        except Exception:
            log.exception("the views stopped; they start again from their positions")

    def _halt(self) -> None:
        if self._running is not None:
            thread, halt = self._running
            halt.set()
            thread.join(timeout=30)
            self._running = None
