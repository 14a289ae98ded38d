"""GeoReport v2 errors: an array of {code, description}, with 404 for what does not
exist, 403 for a missing or wrong api_key and 400 for any other request that cannot be
served as asked. Domain refusals map the same way."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.open311.formats import Items, render
from domain.errors import DomainError, NotFound, NotPermitted


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


class BadRequest(Open311Error):
    def __init__(self, description: str) -> None:
        super().__init__(400, description)


class Forbidden(Open311Error):
    def __init__(self, description: str) -> None:
        super().__init__(403, description)


class Missing(Open311Error):
    def __init__(self, description: str) -> None:
        super().__init__(404, description)


def from_domain(error: DomainError) -> Open311Error:
    if isinstance(error, NotPermitted):
        return Forbidden(str(error))
    if isinstance(error, NotFound):
        return Missing(str(error))
    return BadRequest(str(error))


def answer(error: Open311Error, format: str) -> Response:
    body = Items("error", [{"code": str(error.status), "description": error.description}])
    return render("errors", body, format, error.status)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own 404 and 405 (a path no route matches, a method a resource does not
    take): the error array under /open311/, the plain default elsewhere."""
    assert isinstance(error, HTTPException)
    if not request.url.path.startswith("/open311/"):
        return PlainTextResponse(error.detail, error.status_code, headers=error.headers)
    format = "json" if request.url.path.endswith(".json") else "xml"
    response = answer(
        Open311Error(error.status_code, f"{error.detail}: {request.url.path}"), format
    )
    response.headers.update(error.headers or {})
    return response


HANDLERS = {404: http_error, 405: http_error}
"""For the app's exception_handlers."""
