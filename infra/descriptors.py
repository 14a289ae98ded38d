"""Open files a process may hold. An API node with thousands of websocket subscribers,
or a benchmark client with thousands of connections, needs more than the usual soft
limit (1,024 on many systems): it is raised to the hard limit, which only an
administrator can raise further."""

from __future__ import annotations

import resource


def allow_open_files() -> int:
    """Raise this process's soft limit on open files to the hard one; returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = max(soft, 1 << 20)
    if soft == resource.RLIM_INFINITY or soft >= hard:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        return soft
    return hard
