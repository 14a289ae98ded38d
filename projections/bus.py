"""View-changed notices: after each commit, which view changed, which keys, and the
position it now reflects. In-process here; the scale-out issue carries them over Redis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any


@dataclass(frozen=True)
class ViewChanged:
    view: str
    keys: frozenset[Any]
    position: int


Listener = Callable[[ViewChanged], None]


class Bus:
    """Calls every listener with every notice, in order, on the publisher's thread;
    listeners hand work to their own loop rather than block it."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, notice: ViewChanged) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(notice)
