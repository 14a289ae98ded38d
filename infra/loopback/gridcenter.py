"""`gridcenter` commands in processes of their own, as a deployment runs them: the API
(`serve`, on a free port) and the others (`project`, `watch`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from infra.loopback.common import READY_TIMEOUT, ServerUnavailableError, free_port


@dataclass
class ApiServer:
    """`gridcenter serve` in a process of its own, on a free local port."""

    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]  # what it printed
    token: str = ""  # the bearer token tests send by default

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def said(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start_api(database_url: str, port: int | None = None, **settings: str) -> ApiServer:
    """Serve the store at `database_url` (on `port`, or a free one); returns once /healthz
    answers."""
    port = port or free_port()
    env = {
        **os.environ,
        "GRIDCENTER_DATABASE_URL": database_url,
        **{f"GRIDCENTER_{k.upper()}": v for k, v in settings.items()},
    }
    command = [str(Path(sys.executable).parent / "gridcenter"), "serve", "--port", str(port)]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop(); a pipe would fill up
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = ApiServer(process, port, log)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = server.said()
            log.close()
            raise ServerUnavailableError(f"gridcenter serve exited: {said[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise ServerUnavailableError(f"gridcenter serve did not answer within {READY_TIMEOUT:g} s")


@dataclass
class Running:
    """A `gridcenter` command (project, watch) in a process of its own."""

    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def said(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no chance to tidy up, as when a machine fails."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def start_command(database_url: str, *args: str, ready: str, **settings: str) -> Running:
    """Run `gridcenter <args>` on the store; returns once it has printed `ready`."""
    env = {
        **os.environ,
        "GRIDCENTER_DATABASE_URL": database_url,
        **{f"GRIDCENTER_{k.upper()}": v for k, v in settings.items()},
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
    command = [str(Path(sys.executable).parent / "gridcenter"), *args]
    running = Running(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT), log)
    deadline = time.monotonic() + READY_TIMEOUT
    while ready not in running.said():
        if running.process.poll() is not None or time.monotonic() > deadline:
            said = running.said()
            running.stop()
            raise ServerUnavailableError(f"gridcenter {' '.join(args)} failed: {said[-2000:]}")
        time.sleep(0.1)
    return running
