"""What every resolver reaches the server's services through: the GraphQL context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.stream import LogHead
from infra.bootstrap import Services

T = TypeVar("T")


@dataclass
class Context:
    services: Services
    head: LogHead
    request: Request | WebSocket
    response: Response | WebSocket | None

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a call into the synchronous application or views on a worker thread: they
        never run on the event loop."""
        return await to_thread.run_sync(partial(function, *args, **kwargs))


Info = StrawberryInfo[Context, None]
