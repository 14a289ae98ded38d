"""What every throwaway server on loopback shares: the error raised (a test fails, never
skips) when a server cannot start, and free ports."""

from __future__ import annotations

import socket
import subprocess

READY_TIMEOUT = 60.0


class ServerUnavailableError(RuntimeError):
    """The throwaway server could not be started; the message says why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str]) -> None:
    shown = " ".join(command)
    try:
        done = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=READY_TIMEOUT + 30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ServerUnavailableError(f"`{shown}` failed: {error}") from error
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise ServerUnavailableError(f"`{shown}` exited {done.returncode}:\n{output}")
