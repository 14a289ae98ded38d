"""The server: GraphQL at /graphql (HTTP and WebSocket: graphql-transport-ws and the
legacy graphql-ws), /healthz, /readyz and /metrics, and the command-center page at /
(api/page.py). The services are built in the lifespan, not at import."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api import exports, open311
from api.auth import bearer
from api.broadcasts import Broadcasts, TransportHandler
from api.context import Context
from api.errors import Refused
from api.limits import RequestLimits
from api.notices import Notices
from api.operations import healthz, metrics, readyz
from api.page import routes as page_routes
from api.schema import schema
from api.stream import LogHead
from domain.errors import DomainError
from domain.staff import Actor
from infra.bootstrap import Services
from infra.settings import Settings


class GraphQLEndpoint(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportHandler

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        """Negotiate the media type of the answer (GraphQL over HTTP): a client that
        accepts application/graphql-response+json gets it, with status codes that say
        what went wrong; others get application/json (always 200); neither: 406."""
        sub_response = await super().get_sub_response(request)
        media = media_type(request.headers.get("accept", ""))
        if media is None:
            raise HTTPException(406, f"answers are {RESPONSE_JSON} or {JSON_TYPE}")
        sub_response.media_type = media
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = f"{sub_response.media_type}; charset=utf-8"
        if sub_response.media_type == RESPONSE_JSON and _request_error(response_data):
            response.status_code = 400  # not valid GraphQL: nothing was executed
        return response

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """A mutation sent by GET is refused with 405, as GraphQL over HTTP asks."""
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        state = request.app.state
        context = Context(
            state.services, state.head, state.notices, request, response, state.broadcasts
        )
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


RESPONSE_JSON, JSON_TYPE = "application/graphql-response+json", "application/json"


def media_type(accept: str) -> str | None:
    """The answer's media type for an Accept header: the acceptable one of higher q,
    application/graphql-response+json on a tie; application/json when the client names
    no type (or only wildcards), as the spec asks of a server serving older clients."""
    if not accept.strip():
        return JSON_TYPE
    best: tuple[float, bool, str] | None = None
    for part in accept.split(","):
        kind, _, parameters = part.partition(";")
        quality = _quality(parameters)
        for media in _matching(kind.strip().lower()):
            ranked = (quality, media == RESPONSE_JSON, media)
            if quality > 0 and (best is None or ranked > best):
                best = ranked
    return None if best is None else best[2]


def _matching(kind: str) -> tuple[str, ...]:
    if kind in (RESPONSE_JSON, JSON_TYPE):
        return (kind,)
    return (JSON_TYPE,) if kind in ("*/*", "application/*") else ()


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _request_error(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> bool:
    """A document that did not parse or validate: no data, errors with no path."""
    if isinstance(data, list):
        return False
    errors = data.get("errors") or []
    return data.get("data") is None and bool(errors) and all(_unplaced(e) for e in errors)


def _unplaced(error: object) -> bool:
    return isinstance(error, dict) and "path" not in error


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await to_thread.run_sync(Services, settings)
        await to_thread.run_sync(services.start)
        app.state.services = services
        loop = asyncio.get_running_loop()
        app.state.head = await to_thread.run_sync(LogHead, services.log, loop, services.bus)
        app.state.notices = Notices(services.bus, loop, services.views, services.log)
        app.state.broadcasts = Broadcasts()
        try:
            yield
        finally:
            app.state.notices.close()
            app.state.head.close()
            await services.views.aclose()  # the live reads' connections of this loop
            await to_thread.run_sync(services.close)

    graphql = GraphQLEndpoint(schema, graphql_ide="graphiql" if settings.development else None)
    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
            *open311.routes,
            *exports.routes,
            *page_routes(),
        ],
        middleware=[Middleware(RequestLimits)],
        exception_handlers=open311.exception_handlers,
        lifespan=lifespan,
    )
