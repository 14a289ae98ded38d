"""What every export shares: its caller (a bearer token, for the exports that are not
public), refusals as plain text with their status, and the views read on a worker thread."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial, wraps
from typing import Any, TypeVar

from anyio import to_thread
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.auth import bearer
from api.errors import Refused
from domain.errors import DomainError
from domain.staff import Actor
from infra.bootstrap import Services

T = TypeVar("T")


class ExportRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


Export = Callable[[Request, Services], Awaitable[Response]]


def export(handler: Export) -> Callable[[Request], Awaitable[Response]]:
    @wraps(handler)
    async def serve(request: Request) -> Response:
        try:
            return await handler(request, request.app.state.services)
        except ExportRefused as error:
            return PlainTextResponse(str(error), error.status)
        except (Refused, GraphQLError) as error:
            return PlainTextResponse(error.message, 403)

    return serve


async def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The synchronous views, on a worker thread."""
    return await to_thread.run_sync(partial(function, *args, **kwargs))


async def caller(request: Request, services: Services) -> Actor:
    try:
        found = await run(bearer, services, request.headers)
    except DomainError:
        raise ExportRefused(401, "not a valid token") from None
    except GraphQLError as error:
        raise ExportRefused(401, error.message) from None
    if found is None:
        raise ExportRefused(401, "this export is not public: send 'Authorization: Bearer <token>'")
    return found
