"""Shared fixtures: the stores every integration test can run against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.loopback import (
    PostgresServer,
    RedisServer,
    ServerUnavailableError,
    start_postgres,
    start_redis,
)

pytest_plugins = ["tests.fixtures"]

POSTGRES = pytest.param("postgres", marks=pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole run; a test that needs it fails,
    never skips, when it cannot be started."""
    try:
        server = start_postgres()
    except ServerUnavailableError as error:
        pytest.fail(f"the throwaway PostgreSQL server could not be started: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One throwaway Redis for the whole run; fails, never skips, when it cannot start."""
    try:
        server = start_redis()
    except ServerUnavailableError as error:
        pytest.fail(f"the throwaway Redis server could not be started: {error}")
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the throwaway server."""
    return postgres_server.create_database()


@pytest.fixture(params=["memory", "sqlite", POSTGRES])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty store of each kind."""
    return _url(request, tmp_path)


@pytest.fixture(params=["sqlite", POSTGRES])
def durable_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty store that outlives the object that opened it."""
    return _url(request, tmp_path)


def _url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory:"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gridcenter.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
