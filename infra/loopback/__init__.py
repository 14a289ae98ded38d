"""A deployment on loopback, for the tests and the benchmarks: throwaway PostgreSQL and
Redis servers and `gridcenter` commands in processes of their own, on free ports of
127.0.0.1. A server that cannot start raises ServerUnavailableError: a test fails, never
skips, and a benchmark stops with the reason."""

from infra.loopback.common import ServerUnavailableError, free_port
from infra.loopback.gridcenter import ApiServer, Running, start_api, start_command
from infra.loopback.postgres import PostgresServer, start_postgres
from infra.loopback.redis_server import RedisServer, start_redis

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
