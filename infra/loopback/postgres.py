"""A throwaway PostgreSQL server for a test run or a benchmark, so they use real SQL
without anything to set up by hand. Its data lives in a temporary directory that is
removed when the server stops."""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import psycopg

from infra.loopback.common import READY_TIMEOUT, ServerUnavailableError, _run, free_port

SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    " -c full_page_writes=off -c max_connections=300 -c track_commit_timestamp=on"
)
"""Durability is pointless for a server whose data is thrown away; speed is not. Commit
timestamps let the fan-out benchmark count from each report's commit."""

INITDB_ARGS = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")


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
