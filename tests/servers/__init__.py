"""Throwaway servers and processes the tests start themselves: PostgreSQL, Redis and
`gridcenter` commands. A test that needs one and cannot start it fails, never skips."""

from tests.servers.common import ServerUnavailableError, free_port
from tests.servers.gridcenter import ApiServer, Running, start_api, start_command
from tests.servers.postgres import PostgresServer, start_postgres
from tests.servers.redis_server import RedisServer, start_redis

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
