"""GET requests and GET a request: the fields the spec requires, its defaults and
filters, pages, errors — and no reporter contact data in any public output."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fixtures import DISTRICT, GRID_A, IN_A, TLS
from tests.open311 import (
    FORMATS,
    MARCH,
    TYPES,
    City,
    base,
    get,
    ids,
    march,
    wait_for,
)


@pytest.mark.parametrize("format", FORMATS)
def test_a_request_has_the_fields_the_spec_requires(city: City, format: str) -> None:
    (request,) = get(city.server, f"requests/{city.closed}", format).body
    assert request["service_request_id"] == str(city.closed)
    assert (request["status"], request["service_code"]) == ("closed", "E0101")
    assert (
        request["service_name"] == "暴露垃圾" and request["agency_responsible"] == "环境卫生管理局"
    )
    assert request["description"] == "垃圾堆放在路边 / garbage piled by the road"
    assert (request["lat"], request["long"]) == (str(IN_A.lat), str(IN_A.lon))
    assert request["address"] == "东华门街道多福巷社区第1网格" and request["address_id"] == GRID_A
    assert request["status_notes"] == "已结案"
    assert "notes" not in request and "extended_attributes" not in request


@pytest.mark.parametrize("format", FORMATS)
def test_the_default_is_the_last_90_days(city: City, format: str) -> None:
    recent = city.reported()
    wait_for(city.server, recent)
    found = ids(get(city.server, "requests", format))
    assert recent in found and city.closed not in found  # reported in March


@pytest.mark.parametrize("format", FORMATS)
def test_requests_are_filtered_by_dates_code_and_status(city: City, format: str) -> None:
    every = ids(march(city, format))
    assert every == [city.rejected, city.dispatched, city.closed]  # the latest first
    assert city.dispute not in every
    assert ids(march(city, format, status="closed")) == [city.rejected, city.closed]
    assert ids(march(city, format, status="open")) == [city.dispatched]
    assert ids(march(city, format, status="closed,fixed")) == [city.closed]
    assert ids(march(city, format, status=["in_progress", "no_further_action"])) == [
        city.rejected,
        city.dispatched,
    ]
    assert ids(march(city, format, service_code="E0102,C0101")) == []
    later = {"start_date": "2026-03-09T10:25:00+08:00", "end_date": "2026-03-10T00:00:00+08:00"}
    assert ids(get(city.server, "requests", format, **later)) == [city.rejected, city.dispatched]


@pytest.mark.parametrize("format", FORMATS)
def test_one_date_alone_spans_90_days_from_it(city: City, format: str) -> None:
    assert city.closed in ids(get(city.server, "requests", format, start_date=MARCH["start_date"]))
    found = ids(get(city.server, "requests", format, end_date="2026-06-01T00:00:00Z"))
    assert city.closed in found
    assert ids(get(city.server, "requests", format, end_date="2026-03-01T00:00:00Z")) == []


@pytest.mark.parametrize("format", FORMATS)
def test_a_list_of_ids_overrides_every_other_filter(city: City, format: str) -> None:
    asked = f"{city.closed},{city.dispute},{city.dispatched}"
    found = get(city.server, "requests", format, service_request_id=asked, status="open")
    assert ids(found) == [city.closed, city.dispatched]  # in the order asked; no dispute


@pytest.mark.parametrize("format", FORMATS)
def test_pages_follow_each_other(city: City, format: str) -> None:
    pages = [ids(march(city, format, page=n, page_size=2)) for n in (1, 2, 3)]
    assert pages == [[city.rejected, city.dispatched], [city.closed], []]


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_parameter_counts_as_absent(city: City, format: str) -> None:
    blank = {"status": "", "service_code": "", "page": "", "page_size": "", "extensions": ""}
    assert ids(march(city, format, **blank)) == ids(march(city, format))


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "2026-03-10T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"}, "before"),
        ({"start_date": "2026-03-01T00:00:00"}, "with its zone"),
        ({"start_date": "2026-03-01"}, "with its zone"),
        ({"end_date": "0001-01-04T00:03:00Z"}, "years 1900 to 8999"),
        ({"status": "pending"}, "status 'pending' is not one of open, closed"),
        ({"page_size": "1001"}, "page_size must be a whole number from 1 to 1,000"),
        ({"page": "0"}, "page must be a whole number from 1"),
        ({"page": "20", "page_size": "1000"}, "page × page_size may reach 10,000"),
        ({"service_request_id": "12a"}, "service_request_id takes request numbers"),
        ({"extensions": "maybe"}, "extensions must be true or false"),
        ({"start_date": ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"]}, "given 2 times"),
    ],
)
def test_a_filter_the_spec_does_not_allow_is_a_400(
    city: City, format: str, params: dict[str, Any], says: str
) -> None:
    answer = get(city.server, "requests", format, **params)
    assert answer.status == 400, answer.body
    assert says in answer.body[0]["description"]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("which", ["99999", "E0601 case", "abc"])
def test_one_request_that_is_not_there_or_not_public_is_404(
    city: City, format: str, which: str
) -> None:
    number = str(city.dispute) if which == "E0601 case" else which
    answer = get(city.server, f"requests/{number}", format)
    assert answer.status == 404 and answer.body[0]["code"] == "404"


@pytest.mark.parametrize("format", FORMATS)
def test_the_jurisdiction_is_the_districts_code(city: City, format: str) -> None:
    assert get(city.server, "services", format, jurisdiction_id=DISTRICT).status == 200
    wrong = get(city.server, "services", format, jurisdiction_id="sfgov.org")
    assert wrong.status == 404 and "jurisdiction_id sfgov.org" in wrong.body[0]["description"]


@pytest.mark.parametrize("format", FORMATS)
def test_an_unknown_resource_or_format_is_a_404_error_array(city: City, format: str) -> None:
    answer = get(city.server, "tokens/1", format)
    assert answer.status == 404 and answer.body[0]["code"] == "404"
    other = httpx.get(f"{base(city.server)}/requests.csv", verify=TLS)
    assert other.status_code == 404 and other.headers["content-type"] == TYPES["xml"]


def test_no_reporter_contact_data_reaches_any_public_output(city: City) -> None:
    personal = {
        "first_name": "四",
        "last_name": "李",
        "phone": "13912345678",
        "email": "li.si@example.com",
        "device_id": "device-4711",
        "account_id": "account-0815",
        "description": "垃圾太多了，李四 13912345678 li.si@example.com",
        "address_string": "多福巷社区 李四家门口",
    }
    number = city.reported(**personal)
    wait_for(city.server, number)
    seen = [
        get(city.server, resource, format, **params).raw.decode()
        for format in FORMATS
        for resource, params in [
            ("requests", {"extensions": "true"}),
            (f"requests/{number}", {"extensions": "true"}),
            ("servicerequestupdates", {}),
        ]
    ]
    for shown in seen:
        assert str(number) in shown
        for value in ("李四", "13912345678", "example.com", "device-4711", "account-0815"):
            assert value not in shown, value
    assert city.app.case(number).reporter_phone == "13912345678"  # kept for the operator
