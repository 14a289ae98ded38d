"""How often the interpreter passes the GIL between a process's threads. A server runs
its event loop (websocket frames, GraphQL) beside worker threads that call the
synchronous application and the views (a query each few lines, releasing the GIL while
PostgreSQL answers); a projection worker runs a thread for each group of views. CPython
lets a thread that wants the GIL back wait up to its switch interval, 5 ms by default,
while another thread computes: a command of several queries beside a busy loop waited
that long again at each query. In paired runs of `gridcenter bench fanout` on a loaded
2-core machine, 0.5 ms took the 90th percentile of a report's command from 300-990 ms
down to 115-210 ms."""

from __future__ import annotations

import sys

SWITCH_INTERVAL = 0.0005
"""Seconds a thread computes at most while another waits for the GIL."""


def take_turns_often() -> None:
    """Let this process's threads take the GIL in turns of SWITCH_INTERVAL."""
    sys.setswitchinterval(SWITCH_INTERVAL)
