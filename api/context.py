"""What every resolver reaches the server's services through: the GraphQL context."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.notices import Notices
from api.stream import LogHead
from domain.staff import Actor
from infra.bootstrap import Services
from projections.bus import ViewChanged

if TYPE_CHECKING:
    from api.broadcasts import Broadcasts

T = TypeVar("T")


@dataclass
class Context:
    services: Services
    head: LogHead
    notices: Notices
    request: Request | WebSocket
    response: Response | WebSocket | None
    broadcasts: Broadcasts
    viewer: Actor | None = None
    """Who is asking (api.auth); None until they sign in."""
    connection_params: dict[str, Any] | None = None
    """The connection_init payload of a WebSocket (strawberry sets it)."""
    started: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once a subscription listens to its view (api/broadcasts.py waits for it)."""

    @property
    def caller(self) -> Actor:
        """The viewer of a signed-in request (root fields are SignedIn)."""
        assert self.viewer is not None, "a root field without SignedIn"
        return self.viewer

    @asynccontextmanager
    async def listening(self, view: str) -> AsyncIterator[AsyncIterator[ViewChanged]]:
        """The notices of `view` from now on (see Notices.listening)."""
        async with self.notices.listening(view) as notices:
            self.started.set()
            yield notices

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a call into the synchronous application or views on a worker thread: they
        never run on the event loop."""
        return await to_thread.run_sync(partial(function, *args, **kwargs))


Info = StrawberryInfo[Context, None]
