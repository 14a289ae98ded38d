"""A throwaway PostgreSQL server for the test run, so integration tests use real SQL
without anything to set up by hand. Its data lives in a temporary directory that is
removed when the server stops."""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from uuid import uuid4

import psycopg

SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    " -c full_page_writes=off -c max_connections=300"
)
"""Durability is pointless for a server whose data is thrown away; speed is not."""

INITDB_ARGS = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")

READY_TIMEOUT = 60.0


class ServerUnavailableError(RuntimeError):
    """The throwaway server could not be started; the message says why."""


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server, reached over TCP on 127.0.0.1 with trust auth."""

    root: Path
    port: int
    bindir: Path
    run_as: tuple[str, ...]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"test_{uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stops the server and deletes its data; stopping twice is harmless."""
        if not self.root.exists():
            return
        try:
            self.run_tool("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def run_tool(self, name: str, *args: str) -> None:
        """Runs one of the server's programs as the user the server runs as."""
        _run([*self.run_as, str(self.bindir / name), *args])


def start_postgres() -> PostgresServer:
    """initdb into a temporary directory and start a server on a free local port.

    PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
    OS user, created if missing."""
    bindir = _server_binaries()
    root = Path(tempfile.mkdtemp(prefix="gridcenter-pg-"))
    run_as: tuple[str, ...] = ()
    if os.geteuid() == 0:
        run_as = ("runuser", "-u", "postgres", "--")
        _ensure_postgres_user()
        shutil.chown(root, user="postgres", group="postgres")
    server = PostgresServer(root=root, port=free_port(), bindir=bindir, run_as=run_as)
    try:
        _initdb_and_start(server)
    except ServerUnavailableError:
        shutil.rmtree(root, ignore_errors=True)
        raise
    # Also stop at exit, in case the test session dies before its teardown.
    atexit.register(server.stop)
    try:
        _wait_until_ready(server)
    except ServerUnavailableError:
        server.stop()
        raise
    return server


def _initdb_and_start(server: PostgresServer) -> None:
    data, log = server.root / "data", server.root / "server.log"
    server.run_tool("initdb", "-D", str(data), *INITDB_ARGS)
    options = f"-p {server.port} -k {server.root} {SERVER_OPTIONS}"
    try:
        server.run_tool("pg_ctl", "-D", str(data), "-l", str(log), "-w", "-o", options, "start")
    except ServerUnavailableError as error:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise ServerUnavailableError(f"{error}\nserver log:\n{tail}") from error


def _server_binaries() -> Path:
    """pg_config's bindir, else the newest Debian-style /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], check=False, capture_output=True, text=True)
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(p) for p in versions), key=_version, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    msg = "no PostgreSQL server binaries (initdb, pg_ctl) found; install e.g. Debian's postgresql"
    raise ServerUnavailableError(msg)


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in bindir.parent.name.split(".") if part.isdigit())


def _ensure_postgres_user() -> None:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _run(["useradd", "--system", "--user-group", "--no-create-home", "postgres"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(server: PostgresServer) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        try:
            with psycopg.connect(server.url(), connect_timeout=5):
                return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                msg = f"the server on port {server.port} never accepted connections: {error}"
                raise ServerUnavailableError(msg) from error
            time.sleep(0.1)


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
