"""The server: GraphQL at /graphql (HTTP and WebSocket: graphql-transport-ws and the
legacy graphql-ws), /healthz. The services are built in the lifespan, not at import."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from api import exports, open311
from api.auth import bearer
from api.context import Context
from api.errors import Refused
from api.limits import RequestLimits
from api.notices import Notices
from api.schema import schema
from api.stream import LogHead
from domain.errors import DomainError
from domain.staff import Actor
from infra.bootstrap import Services
from infra.settings import Settings


class GraphQLEndpoint(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        state = request.app.state
        context = Context(state.services, state.head, state.notices, request, response)
        if not isinstance(request, WebSocket):  # a WebSocket signs in with connection_init
            context.viewer = await _signed_in(context, request.headers)
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType:
        try:
            context.viewer = await _signed_in(context, context.connection_params or {})
        except HTTPException:
            raise ConnectionRejectionError() from None
        if context.viewer is None:  # closed with 4403: sign in with connection_init
            raise ConnectionRejectionError()
        unset: UnsetType = UNSET
        return unset


async def _signed_in(context: Context, credentials: Mapping[str, Any]) -> Actor | None:
    try:
        return await context.call(bearer, context.services, credentials)
    except (DomainError, Refused) as error:
        raise HTTPException(401, str(error)) from None


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await to_thread.run_sync(Services, settings)
        await to_thread.run_sync(services.start)
        app.state.services = services
        loop = asyncio.get_running_loop()
        app.state.head = LogHead(services.log, loop)
        app.state.notices = Notices(services.bus, loop)
        try:
            yield
        finally:
            app.state.notices.close()
            app.state.head.close()
            await to_thread.run_sync(services.close)

    graphql = GraphQLEndpoint(schema, graphql_ide="graphiql" if settings.development else None)
    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
            *open311.routes,
            *exports.routes,
        ],
        middleware=[Middleware(RequestLimits)],
        exception_handlers=open311.exception_handlers,
        lifespan=lifespan,
    )


async def healthz(request: Request) -> JSONResponse:
    """Alive, with the position the views reflect."""
    services: Services = request.app.state.services
    return JSONResponse({"status": "ok", "position": services.runner.position})
