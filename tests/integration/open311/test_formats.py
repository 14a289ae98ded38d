"""Both formats of the Open311 endpoint: UTF-8 with their content types, the same
answer in XML and in JSON, ids and codes as text, times with their zone, and discovery."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures import TLS
from tests.open311 import (
    FORMATS,
    MARCH,
    TYPES,
    W3C,
    City,
    base,
    get,
)


@pytest.mark.parametrize("format", FORMATS)
def test_each_format_is_utf8_with_its_content_type(city: City, format: str) -> None:
    for resource in ("discovery", "services", "requests", "servicerequestupdates"):
        answer = get(city.server, resource, format)
        assert (answer.status, answer.content_type) == (200, TYPES[format]), resource
        answer.raw.decode("utf-8")


def test_both_formats_say_the_same(city: City) -> None:
    for resource, params in [
        ("services", {}),
        ("services/C0101", {}),
        ("requests", {**MARCH, "extensions": "true"}),
        (f"requests/{city.closed}", {"extensions": "true"}),
        ("servicerequestupdates", {"after": "0"}),
    ]:
        xml, json = (get(city.server, resource, f, **params) for f in FORMATS)
        assert xml.body == json.body, resource


def test_json_gives_ids_and_codes_as_text_places_as_numbers_and_flags_as_booleans(
    city: City,
) -> None:
    (request,) = httpx.get(f"{base(city.server)}/requests/{city.closed}.json", verify=TLS).json()
    assert isinstance(request["service_request_id"], str)
    assert isinstance(request["service_code"], str) and isinstance(request["address_id"], str)
    assert isinstance(request["lat"], float) and isinstance(request["long"], float)
    service = httpx.get(f"{base(city.server)}/services.json", verify=TLS).json()[0]
    assert service["metadata"] is True and isinstance(service["service_code"], str)
    (error,) = httpx.get(f"{base(city.server)}/requests/99999.json", verify=TLS).json()
    assert error == {"code": "404", "description": "service_request_id 99999 was not found"}


@pytest.mark.parametrize("format", FORMATS)
def test_times_carry_their_zone(city: City, format: str) -> None:
    (request,) = get(city.server, f"requests/{city.closed}", format, extensions="true").body
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(request[field]), (field, request[field])
    assert all(W3C.match(note["datetime"]) for note in request["notes"])
    assert request["requested_datetime"] == "2026-03-09T10:10:00+08:00"


@pytest.mark.parametrize("format", FORMATS)
def test_discovery_names_the_endpoint_its_formats_and_how_to_get_a_key(
    city: City, format: str
) -> None:
    found = get(city.server, "discovery", format).body
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(found)
    (endpoint,) = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == base(city.server)
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert "gridcenter open311 key" in found["key_service"]
