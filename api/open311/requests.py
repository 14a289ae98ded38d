"""Service requests: GET many (the spec's filters and defaults, the page / page_size and
extensions=true extensions), GET one, and POST one — a report through the Open311
channel, recorded by the application as any report is (a public report then waits for
the grid worker's on-site check, 核实, before the center files it).

Defaults of GET requests.{format}: the last 90 days, the latest 1,000 requests, whichever
is fewer; start_date and end_date at most 90 days apart (one of them alone spans 90 days
from it); a service_request_id list overrides every other filter. page (from 1) and
page_size (1 to 1,000) page through the rest, the latest reported first."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from starlette.responses import Response

from api.open311.endpoint import Call, endpoint
from api.open311.errors import BadRequest, Forbidden, Missing
from api.open311.formats import Items, render
from api.open311.params import Params
from api.open311.places import Places
from api.open311.wording import agency, notice, step
from domain.cases import Channel
from domain.errors import DomainError
from domain.grids.geometry import Point
from domain.staff import Actor
from infra.tokens import digest_of
from projections import open311
from projections.open311 import STATUSES, Query, RequestRow, UpdateRow

SPAN = timedelta(days=90)
PAGE_SIZE = 1000
MOST = 10_000
"""page × page_size at most: beyond it, narrow the dates."""
MAX_DESCRIPTION = 4000
KNOWN_STATUSES = ("open", "closed", *STATUSES[1:])


@endpoint
async def request_list(call: Call) -> Response:
    params = call.params
    numbers = [_number(n) for n in params.texts("service_request_id")]
    extensions = params.flag("extensions")
    if numbers:
        if len(numbers) > PAGE_SIZE:
            raise BadRequest(f"service_request_id lists {PAGE_SIZE:,} requests at most")
        query = Query(call.public, numbers=numbers, limit=PAGE_SIZE)
    else:
        query = _query(call, params)
    rows = await call.run(open311.requests, call.services.views, query)
    return render("service_requests", await _shown(call, rows, extensions), call.format)


@endpoint
async def request_one(call: Call) -> Response:
    number = _number(call.request.path_params["id"], missing=True)
    row = await call.run(open311.request, call.services.views, number, call.public)
    if row is None:
        raise Missing(f"service_request_id {number} was not found")
    shown = await _shown(call, [row], call.params.flag("extensions"))
    return render("service_requests", shown, call.format)


@endpoint
async def request_post(call: Call) -> Response:
    params = call.params
    reporter = await _caller(call)
    code = params.text("service_code")
    if code is None:
        raise BadRequest("service_code is required: see services")
    category = call.service(code)
    answers = params.attributes()
    left = category.unanswered(answers)
    if left:
        codes = ", ".join(q.code for q in left)
        raise BadRequest(f"service {code} requires attribute[{codes}]: see services/{code}")
    location, address = await _location(call, params)
    description = params.text("description", MAX_DESCRIPTION) or category.name.text("zh")
    media = params.text("media_url", 2000)
    if media is not None and not media.lower().startswith(("http://", "https://")):
        raise BadRequest("media_url must be an http or https URL")
    recorded = await call.run(
        call.services.app.report_case,
        channel=Channel.OPEN311,
        category=category.code,
        location=location,
        description=description,
        by=reporter,
        at=call.now,
        photos=(media,) if media else (),
        reporter_name=reporter_name(params.text("first_name", 100), params.text("last_name", 100)),
        reporter_phone=params.text("phone", 40),
        address=address,
        answers=answers,
        key=_idempotency_key(call),
    )
    call.services.recorded(recorded)
    made = {
        "service_request_id": str(recorded.number),
        "service_notice": notice(call.catalog, category, call.language),
    }
    return render("service_requests", Items("request", [made]), call.format)


# Reading ---------------------------------------------------------------------------------


def _query(call: Call, params: Params) -> Query:
    start, end = dates(params, call.now)
    statuses = params.texts("status")
    unknown = [s for s in statuses if s not in KNOWN_STATUSES]
    if unknown:
        raise BadRequest(f"status {unknown[0]!r} is not one of {', '.join(KNOWN_STATUSES)}")
    offset, size = paging(params)
    codes = params.texts("service_code")
    return Query(
        call.public,
        codes=codes,
        start=start,
        end=end,
        statuses=statuses,
        offset=offset,
        limit=size,
    )


def dates(
    params: Params, now: datetime, default: bool = True
) -> tuple[datetime | None, datetime | None]:
    """start_date and end_date, at most 90 days apart; one alone spans 90 days from it;
    neither: the last 90 days (if `default`)."""
    start, end = params.instant("start_date"), params.instant("end_date")
    if start is None and end is None:
        return (now - SPAN, now) if default else (None, None)
    if start is None:
        assert end is not None
        start = end - SPAN
    elif end is None:
        end = start + SPAN
    if end < start:
        raise BadRequest("end_date comes before start_date")
    if end - start > SPAN:
        raise BadRequest("start_date and end_date may be 90 days apart at most")
    return start, end


def paging(params: Params) -> tuple[int, int]:
    """The offset and size of the page asked for (page from 1, page_size to 1,000)."""
    page = params.integer("page", 1, MOST) or 1
    size = params.integer("page_size", 1, PAGE_SIZE) or PAGE_SIZE
    if page * size > MOST:
        raise BadRequest(f"page × page_size may reach {MOST:,} at most: narrow the dates")
    return (page - 1) * size, size


def _number(text: str, missing: bool = False) -> int:
    if text.isascii() and text.isdigit() and len(text) <= 12:
        return int(text)
    if missing:
        raise Missing(f"service_request_id {text!r} was not found")
    raise BadRequest(f"service_request_id takes request numbers, not {text!r}")


async def _shown(call: Call, rows: list[RequestRow], extensions: bool) -> Items:
    def read() -> tuple[dict[int, list[UpdateRow]], Places]:
        return open311.notes(call.services.views, rows), call.places_now()

    notes, places = await call.run(read)
    return Items(
        "request", [_request(call, row, notes[row.number], places, extensions) for row in rows]
    )


def _request(
    call: Call, row: RequestRow, updates: list[UpdateRow], places: Places, extensions: bool
) -> dict[str, Any]:
    language, catalog = call.language, call.catalog
    category = catalog.category(row.category)
    last = updates[-1] if updates else None
    shown: dict[str, Any] = {
        "service_request_id": str(row.number),
        "status": row.status,
        "status_notes": step(last, row.channel, catalog, language) if last else None,
        "service_name": category.name.text(language),
        "service_code": row.category,
        "description": row.description,
        "agency_responsible": agency(catalog, row.department, language),
        "service_notice": notice(catalog, category, language, Channel(row.channel).needs_check),
        "requested_datetime": row.reported_at,
        "updated_datetime": row.updated_at,
        "expected_datetime": row.deadline,
        "address": row.address or places.address(row.grid, language),
        "address_id": row.grid,
        "zipcode": None,
        "lat": row.lat,
        "long": row.lon,
        "media_url": row.media_url,
    }
    if extensions:
        shown["extended_attributes"] = {
            "status": row.detail,
            "channel": row.channel,
            "grid": row.grid,
        }
        shown["notes"] = Items("note", [_note(call, row, u) for u in updates])
    return shown


def _note(call: Call, row: RequestRow, update: UpdateRow) -> dict[str, Any]:
    return {
        "update_id": str(update.position),
        "datetime": update.at,
        "type": update.kind,
        "status": update.detail,
        "description": step(update, row.channel, call.catalog, call.language),
        "media_url": update.media_url,
    }


# Posting ---------------------------------------------------------------------------------


async def _caller(call: Call) -> Actor:
    """Who reports: the Open311 client the api_key was issued to (api_key in the body or
    the query, or an `Authorization: Bearer` header)."""
    key = call.params.text("api_key")
    header = call.request.headers.get("authorization", "")
    if key is None and header.lower().startswith("bearer "):
        key = header[7:].strip() or None
    if key is None:
        raise Forbidden("api_key is required to post a request")
    try:
        return await call.run(call.services.app.bearer, digest_of(key))
    except DomainError:
        raise Forbidden("api_key is not valid (unknown, revoked, or its client has left)") from None


async def _location(call: Call, params: Params) -> tuple[Point, str | None]:
    """The point of the report and the address in the reporter's words."""
    lat, lon = params.number("lat", -90, 90), params.number("long", -180, 180)
    address = params.text("address_string", 500)
    address_id = params.text("address_id", 40)
    if (lat is None) != (lon is None):
        raise BadRequest("send lat and long together")
    if lat is not None and lon is not None:
        return Point(lon, lat), address
    if address is None and address_id is None:
        raise BadRequest("a location is required: lat and long, address_string or address_id")
    places = await call.run(call.places_now)
    if address_id is not None:
        point = places.grid_point(address_id)
        if point is None:
            raise BadRequest(f"address_id {address_id} is no grid of the district (15 digits)")
        return point, address
    assert address is not None
    point = places.locate(address)
    if point is None:
        raise BadRequest(
            "address_string names no street, community or grid of the district: send lat and long"
        )
    return point, address


def _idempotency_key(call: Call) -> str | None:
    """An `Idempotency-Key` header: a retry with it returns the first request."""
    key = call.request.headers.get("idempotency-key", "").strip()
    if len(key) > 200:
        raise BadRequest("an Idempotency-Key holds 200 characters at most")
    return key or None


def reporter_name(first: str | None, last: str | None) -> str | None:
    """A name as its language writes it: 李四 (family name first), John Smith."""
    if not first and not last:
        return None
    cjk = any(unicodedata.east_asian_width(ch) == "W" for ch in (first or "") + (last or ""))
    return (last or "") + (first or "") if cjk else " ".join(p for p in (first, last) if p)
