"""What operators of the deployment (not of the city) look at: /healthz (the process is
alive, and the position its views reflect), /readyz (it can serve: the database answers
and the views are close to the head of the log — a load balancer sends it no traffic
otherwise) and /metrics (Prometheus: events recorded, projection lag in positions and
seconds, subscribers, notices dropped)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from anyio import to_thread
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from infra.bootstrap import Services
from infra.metrics import LAG_POSITIONS, LAG_SECONDS, LOG_HEAD
from infra.redis_bus import RedisBus
from projections import VIEWS

READY_LAG = 5_000
"""Positions the views may be behind the log for a node to take traffic."""


async def healthz(request: Request) -> JSONResponse:
    """Alive, with the position the views reflect."""
    services: Services = request.app.state.services
    position = await to_thread.run_sync(lambda: services.position)
    return JSONResponse({"status": "ok", "position": position})


async def readyz(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    try:
        head, positions = await to_thread.run_sync(_positions, services)
    except Exception as error:  # the database is away
        return JSONResponse({"ready": False, "database": str(error)}, status_code=503)
    behind = {view: head - position for view, position in positions.items()}
    lagging = sorted(view for view, lag in behind.items() if lag > READY_LAG)
    answer: dict[str, Any] = {"ready": not lagging, "head": head, "behind": behind}
    if lagging:
        answer["lagging"] = lagging
    if isinstance(services.bus, RedisBus):  # reported, not required: notices only wake
        answer["redis"] = services.bus.connected.is_set()
    return JSONResponse(answer, status_code=200 if not lagging else 503)


async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    await to_thread.run_sync(_measure_lag, services)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _positions(services: Services) -> tuple[int, dict[str, int]]:
    head = services.log.max_notification_id() or 0
    found = services.views.positions()
    return head, {view.name: found.get(view.name, 0) for view in VIEWS}


def _measure_lag(services: Services) -> None:
    head, positions = _positions(services)
    LOG_HEAD.set(head)
    now = datetime.now(UTC)
    for view, position in positions.items():
        LAG_POSITIONS.labels(view).set(head - position)
        LAG_SECONDS.labels(view).set(_waited(services, position, now) if position < head else 0)


def _waited(services: Services, position: int, now: datetime) -> float:
    """Seconds since the first event the view has not folded happened."""
    rows = services.log.scan(position, 1)
    if not rows:
        return 0.0
    at = orjson.loads(rows[0][4]).get("at")
    if not at:
        return 0.0
    return max((now - datetime.fromisoformat(at["_data_"])).total_seconds(), 0.0)
