"""Throwaway servers and processes the tests start themselves: PostgreSQL, Redis and
`gridcenter` commands (infra/loopback, shared with the benchmarks). A test that needs one
and cannot start it fails, never skips."""

from infra.loopback import (
    ApiServer,
    PostgresServer,
    RedisServer,
    Running,
    ServerUnavailableError,
    free_port,
    start_api,
    start_command,
    start_postgres,
    start_redis,
)

__all__ = [
    "ApiServer",
    "PostgresServer",
    "RedisServer",
    "Running",
    "ServerUnavailableError",
    "free_port",
    "start_api",
    "start_command",
    "start_postgres",
    "start_redis",
]
