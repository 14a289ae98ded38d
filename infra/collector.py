"""How often the garbage collector walks a long-running process's objects. A full
collection walks every object the process tracks: the libraries, the GraphQL schema,
the city's map, every open connection. In an API node holding 500 websocket subscribers
under `gridcenter bench fanout`, one took 100-160 ms of CPU time every two or three
seconds, holding the GIL: no frame went out meanwhile.

So what a full collection finds alive is frozen out of the next ones (gc.freeze): a
server's objects that survive one mostly live as long as the process (its modules, its
services, the connections of screens that stay all day), and a frozen object is still
freed by reference counting when it goes. The next full collections walk only what came
since: 20-35 ms in the same benchmark. Only garbage in reference cycles among frozen
objects (a closed connection's, say) would stay, so every REWALK seconds the next full
collection walks everything again, and one longer pause then frees it."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

REWALK = 600.0
"""Seconds between full collections that walk every object, the frozen ones too."""


class Collector:
    """The gc callback that freezes what each full collection leaves, and unfreezes it
    all before a full collection once every `rewalk` seconds."""

    def __init__(self, rewalk: float = REWALK, clock: Callable[[], float] = time.monotonic):
        self.rewalk, self._clock = rewalk, clock
        self._walked = clock()

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start" and self._clock() - self._walked >= self.rewalk:
            self._walked = self._clock()
            gc.unfreeze()
        elif phase == "stop":
            gc.freeze()


def freeze_what_lasts() -> None:
    """The process has started serving: freeze what it holds, and what each full
    collection leaves from now on."""
    gc.collect()
    gc.freeze()
    gc.callbacks.append(Collector())
