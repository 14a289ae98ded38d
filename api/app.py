"""The server: GraphQL at /graphql (HTTP and WebSocket: graphql-transport-ws and the
legacy graphql-ws), /healthz. The services are built in the lifespan, not at import."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.context import Context
from api.schema import schema
from api.stream import LogHead
from infra.bootstrap import Services
from infra.settings import Settings


class GraphQLEndpoint(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        state = request.app.state
        return Context(state.services, state.head, request, response)


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await to_thread.run_sync(Services, settings)
        await to_thread.run_sync(services.start)
        app.state.services = services
        app.state.head = LogHead(services.log, asyncio.get_running_loop())
        try:
            yield
        finally:
            app.state.head.close()
            await to_thread.run_sync(services.close)

    graphql = GraphQLEndpoint(schema, graphql_ide="graphiql" if settings.development else None)
    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )


async def healthz(request: Request) -> JSONResponse:
    """Alive, with the position the views reflect."""
    services: Services = request.app.state.services
    return JSONResponse({"status": "ok", "position": services.runner.position})
