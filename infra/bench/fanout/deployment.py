"""The deployment the fan-out benchmark measures, on loopback, every part a process of
its own: PostgreSQL and Redis, two API nodes that leave the views to a projection
worker (GRIDCENTER_VIEWS=workers), and that worker.

PostgreSQL and Redis are throwaway servers started for the run, unless the settings
name them (GRIDCENTER_DATABASE_URL of PostgreSQL, GRIDCENTER_REDIS_URL): then the run
records its reports into that database, which must be empty or hold the demo city. An
empty store gets the demo city's map (its staff, 589 grids and their teams), without
the households and components the wall map does not show."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from infra.bench.fanout.commands import Node
from infra.bootstrap import build_application
from infra.demo.city import plan_city, random_point_in
from infra.demo.people import ADMIN_CODE, operator_codes
from infra.demo.seed import seed_map
from infra.loopback import ApiServer, Running, start_api, start_command, start_postgres, start_redis
from infra.settings import Settings
from infra.tokens import mint

CITY = 2004
"""The demo city's seed."""


@dataclass(frozen=True)
class Deployment:
    nodes: tuple[ApiServer, ApiServer]
    worker: Running
    tokens: tuple[str, ...]
    """One for each of the district's operators: operators report hotline calls (each
    their own, so no token is every command's) and read the whole district."""
    codes: tuple[str, ...]
    """The grids, by code."""
    targets: tuple[tuple[float, float], ...]
    """A point (lon, lat) inside each grid, in the order of the codes."""
    database: str
    redis: str

    @property
    def urls(self) -> list[str]:
        return [node.ws for node in self.nodes]

    @property
    def addresses(self) -> list[Node]:
        return [Node("127.0.0.1", node.port) for node in self.nodes]


@contextmanager
def deployed(settings: Settings, say: Callable[[str], None]) -> Iterator[Deployment]:
    with ExitStack() as stack:
        database = settings.database_url
        if database.startswith(("postgresql:", "postgres:")):
            say("PostgreSQL: GRIDCENTER_DATABASE_URL's")
        else:
            postgres = start_postgres()
            stack.callback(postgres.stop)
            database = postgres.create_database()
            say(f"PostgreSQL: a throwaway server on port {postgres.port}")
        redis = settings.redis_url
        if redis:
            say("Redis: GRIDCENTER_REDIS_URL's")
        else:
            server = start_redis()
            stack.callback(server.stop)
            redis = server.url
            say(f"Redis: a throwaway server on port {server.port}")
        tokens = _prepared(replace(settings, database_url=database, redis_url=redis), say)
        city = plan_city(CITY)
        points = random.Random(CITY)
        targets = tuple(
            (point.lon, point.lat)
            for point in (random_point_in(grid.boundary, points) for grid in city.grids)
        )
        first, second = (start_api(database, redis_url=redis, views="workers") for _ in range(2))
        for node in (first, second):
            stack.callback(node.stop)
        worker = start_command(
            database, "project", ready="following the log", redis_url=redis, views="workers"
        )
        stack.callback(worker.stop)
        say(f"API nodes on ports {first.port} and {second.port}, one projection worker")
        codes = tuple(grid.code for grid in city.grids)
        yield Deployment((first, second), worker, tokens, codes, targets, database, redis)


def _prepared(settings: Settings, say: Callable[[str], None]) -> tuple[str, ...]:
    """Seed the demo city's map into an empty store; a token for each operator."""
    app = build_application(settings)
    try:
        if not app.recorder.max_notification_id():
            staff = seed_map(app, plan_city(CITY), CITY)
            say(f"seeded the demo city's map: 589 grids, {staff} staff")
        tokens = []
        for operator in operator_codes():
            secret, digest = mint()
            admin, now = app.actor(ADMIN_CODE), datetime.now(UTC)
            app.issue_token(digest, operator, "fan-out benchmark", by=admin, at=now)
            tokens.append(secret)
        return tuple(tokens)
    finally:
        app.close()
