"""What every Open311 resource shares: the format from the path's extension, the
parameters (an empty one is absent), the jurisdiction, the caller's language, calls into
the synchronous application and views on a worker thread, and errors as the spec's
error array in the format asked for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial, wraps
from typing import Any, TypeVar

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response

from api.open311.errors import BadRequest, Missing, Open311Error, answer, from_domain
from api.open311.formats import FORMATS
from api.open311.params import Params
from api.open311.places import Gazetteer, Places
from domain.catalog import Catalog, Category
from domain.errors import DomainError
from infra.bootstrap import Services

T = TypeVar("T")
FORM = "application/x-www-form-urlencoded"


@dataclass
class Call:
    request: Request
    format: str
    params: Params
    language: str  # 'zh' or 'en', from Accept-Language
    services: Services
    now: datetime

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The synchronous application and views, on a worker thread."""
        return await to_thread.run_sync(partial(function, *args, **kwargs))

    @property
    def catalog(self) -> Catalog:
        return self.services.app.catalog

    @property
    def public(self) -> frozenset[str]:
        """The categories the public may see."""
        return frozenset(c.code for c in self.catalog.categories() if c.public)

    def service(self, code: str) -> Category:
        """A public category by its code, or 404."""
        if code not in self.public:
            raise Missing(f"service_code {code} was not found: see services.{self.format}")
        return self.catalog.category(code)

    def places_now(self) -> Places:
        """The district's places (on a worker thread: it may read the grid map view)."""
        state = self.request.app.state
        if not hasattr(state, "open311_places"):
            state.open311_places = Gazetteer()
        gazetteer: Gazetteer = state.open311_places
        return gazetteer.places(self.services.views)


Handler = Callable[[Call], Awaitable[Response]]


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    @wraps(handler)
    async def serve(request: Request) -> Response:
        format = request.path_params.get("format", "xml")
        if format not in FORMATS:
            return answer(Missing(f"no format {format!r} here: ask for .xml or .json"), "xml")
        try:
            call = Call(
                request=request,
                format=format,
                params=Params.of(request.url.query, await _body(request)),
                language=language(request.headers.get("accept-language", "")),
                services=request.app.state.services,
                now=datetime.now(UTC),
            )
            _check_jurisdiction(call)
            return await handler(call)
        except Open311Error as error:
            return answer(error, format)
        except DomainError as error:
            return answer(from_domain(error), format)

    return serve


async def _body(request: Request) -> bytes:
    if request.method != "POST":
        return b""
    kind = request.headers.get("content-type", FORM).split(";")[0].strip().lower()
    if kind not in (FORM, ""):
        raise BadRequest(f"send the request as {FORM}, not {kind}")
    return await request.body()


def _check_jurisdiction(call: Call) -> None:
    """One jurisdiction is served: its id is the district's code (110101); leaving it out
    is the same."""
    given = call.params.text("jurisdiction_id")
    district = call.services.settings.district
    if given is not None and given != district:
        raise Missing(f"jurisdiction_id {given} was not found: this endpoint serves {district}")


def language(accepted: str) -> str:
    """'en' if the client prefers English to Chinese, else 'zh' (the district's)."""
    best, chosen = -1.0, "zh"
    for part in accepted.split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        primary = tag.strip().lower().split("-")[0]
        if primary in ("en", "zh") and weight > best:
            best, chosen = weight, primary
    return chosen
