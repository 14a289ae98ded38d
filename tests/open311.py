"""Talking to a running server's Open311 endpoint with a real HTTP client (httpx), and
reading both of its formats into one shape, so a test checks XML and JSON alike: XML
lists become lists, elements dicts, text stays text; JSON values become the same text
(true, 39.935), so equal answers compare equal."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import httpx

from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.loopback import ApiServer
from tests.fixtures import TLS
from tests.integration.api.client import caught_up

LISTS = {
    "services",
    "attributes",
    "values",
    "service_requests",
    "service_requests_updates",
    "notes",
    "errors",
    "endpoints",
    "formats",
}
"""The XML elements whose children are the items of a list."""
CLIENT = StaffPlan("O311-test", "测试 311 app", Role.PUBLIC)
"""The Open311 client whose key the tests post with."""
REPORT = {"service_code": "E0101", "lat": "39.935", "long": "116.405", "description": "路边垃圾"}
"""A request to post: exposed garbage in grid A."""
FORMATS = ["xml", "json"]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
"""A date and time with its zone, as GeoReport v2 requires."""
MARCH = {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-31T00:00:00+08:00"}
"""The month the served city's cases were reported in."""
TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: Any  # in the one shape of both formats
    raw: bytes


def base(server: ApiServer) -> str:
    return f"http://127.0.0.1:{server.port}/open311/v2"


def get(server: ApiServer, resource: str, format: str, **params: Any) -> Answer:
    """GET `resource` ('requests', 'services/C0101') in `format`; params as given
    (None leaves one out, a list repeats it)."""
    given = {k: v for k, v in params.items() if v is not None}
    headers = {"Accept-Language": given.pop("language")} if "language" in given else {}
    answer = httpx.get(
        f"{base(server)}/{resource}.{format}", params=given, headers=headers, verify=TLS
    )
    return read(answer)


def post(
    server: ApiServer, format: str, fields: dict[str, Any], headers: dict[str, str] | None = None
) -> Answer:
    answer = httpx.post(
        f"{base(server)}/requests.{format}", data=fields, headers=headers or {}, verify=TLS
    )
    return read(answer)


def read(answer: httpx.Response) -> Answer:
    kind = answer.headers.get("content-type", "")
    if kind.startswith("text/xml"):
        assert answer.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        body = from_xml(ElementTree.fromstring(answer.content))
    elif kind.startswith("application/json"):
        body = as_text(answer.json())
    else:
        body = answer.text
    return Answer(answer.status_code, kind, body, answer.content)


def from_xml(element: ElementTree.Element) -> Any:
    children = list(element)
    if element.tag in LISTS:
        return [from_xml(child) for child in children]
    if children:
        return {child.tag: from_xml(child) for child in children}
    return element.text if element.text else None


def as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return None
    return str(value)


def march(city: City, format: str, **params: Any) -> Answer:
    """GET requests reported in March 2026."""
    return get(city.server, "requests", format, **MARCH, **params)


def ids(answer: Answer) -> list[int]:
    assert answer.status == 200, answer.body
    return [int(request["service_request_id"]) for request in answer.body]


def wait_for(server: ApiServer, number: int, status: str | None = None) -> dict[str, Any]:
    """The request once the server's views show it (with that extended status) and every
    view has folded as far."""
    for _ in range(100):
        found = get(server, f"requests/{number}", "json", extensions="true")
        if found.status == 200:
            (request,) = found.body
            if status is None or request["extended_attributes"]["status"] == status:
                caught_up(server)
                return dict(request)
        time.sleep(0.1)
    raise AssertionError(f"request {number} never showed {status or 'up'} on the server")


@dataclass
class City:
    """A running server over the fixtures' map, with cases at several stages reported on
    Monday 9 March 2026, tokens for the loop's roles and an Open311 client's key."""

    server: ApiServer
    app: GridCenter
    url: str
    key: str
    tokens: dict[str, str]
    closed: int
    dispatched: int
    rejected: int
    dispute: int  # not a public category

    def report(self, format: str = "json", **fields: Any) -> Answer:
        return post(self.server, format, {"api_key": self.key, **REPORT, **fields})

    def reported(self, **fields: Any) -> int:
        answer = self.report(**fields)
        assert answer.status == 200, answer.body
        return int(answer.body[0]["service_request_id"])
