"""The Open311 endpoint's pure parts: reading parameters as the spec asks (an empty one
is absent, lists comma-separated or repeated, attribute[CODE]), writing both formats,
choosing the caller's language, and placing an address on the district's map."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from xml.etree import ElementTree

import orjson
import pytest

from api.open311.endpoint import language
from api.open311.errors import BadRequest
from api.open311.formats import Items, render
from api.open311.params import Params
from api.open311.places import Places
from api.open311.requests import reporter_name
from domain.service import GridCenter
from projections import grid_map
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from tests.fixtures import GRID_A, GRID_C, GRID_D

# Parameters -------------------------------------------------------------------------------


def test_an_empty_parameter_counts_as_absent() -> None:
    params = Params.of("status=&service_code=%20&page=2")
    assert params.text("status") is None and params.texts("service_code") == []
    assert params.integer("page", 1, 10) == 2 and params.flag("extensions") is False


def test_a_list_may_be_comma_separated_repeated_or_both() -> None:
    params = Params.of("status=open,closed&status=fixed&status=open")
    assert params.texts("status") == ["open", "closed", "fixed"]


def test_a_single_parameter_given_twice_is_refused() -> None:
    with pytest.raises(BadRequest, match="start_date is given 2 times"):
        Params.of("start_date=a&start_date=b").text("start_date")


def test_the_body_and_the_query_string_are_read_together() -> None:
    params = Params.of("api_key=k", b"service_code=E0101&lat=39.9&long=116.4")
    assert (params.text("api_key"), params.number("lat", -90, 90)) == ("k", 39.9)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("2010-01-01T00:00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
        ("2010-01-01T08:00:00+08:00", datetime(2010, 1, 1, 8, tzinfo=timezone(timedelta(hours=8)))),
    ],
)
def test_a_date_is_w3c_with_its_zone(text: str, at: datetime) -> None:
    assert Params([("start_date", text)]).instant("start_date") == at


@pytest.mark.parametrize(
    "text", ["2010-01-01", "2010-01-01T00:00:00", "yesterday", "2010-13-01T00:00:00Z"]
)
def test_a_date_without_its_zone_or_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(BadRequest, match="start_date must be a date and time with its zone"):
        Params([("start_date", text)]).instant("start_date")


@pytest.mark.parametrize(
    "text", ["0001-01-04T00:03:00Z", "1899-12-31T23:59:59Z", "9999-12-31T23:59:59-08:00"]
)
def test_a_date_out_of_the_years_a_window_can_span_is_refused(text: str) -> None:
    with pytest.raises(BadRequest, match="start_date must fall in the years 1900 to 8999"):
        Params([("start_date", text)]).instant("start_date")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nan", "lat must be a number from"),
        ("inf", "lat must be a number from"),
        ("x", "lat must be a number"),
    ],
)
def test_a_coordinate_is_a_finite_number_in_range(value: str, message: str) -> None:
    with pytest.raises(BadRequest, match=message):
        Params([("lat", value)]).number("lat", -90, 90)


def test_answers_come_as_attribute_code_with_several_values_for_a_multiple_choice() -> None:
    params = Params.of(
        "attribute[cover_state]=missing&attribute[kinds][]=a&attribute[kinds][]=b&attribute[x]="
    )
    assert params.attributes() == {"cover_state": ["missing"], "kinds": ["a", "b"]}
    with pytest.raises(BadRequest, match="is not attribute"):
        Params.of("attribute[a][b]=1").attributes()


@pytest.mark.parametrize(("query", "body"), [("status=%00", b""), ("", b"description=a%00b")])
def test_a_nul_character_sent_percent_encoded_is_refused(query: str, body: bytes) -> None:
    with pytest.raises(BadRequest, match="may not hold a NUL character"):
        Params.of(query, body)


def test_a_body_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(BadRequest, match="not UTF-8"):
        Params.of("", b"description=\xff")


# Formats ----------------------------------------------------------------------------------


def test_xml_escapes_text_and_drops_what_xml_cannot_hold() -> None:
    document = Items("request", [{"description": "<b>&\x07", "ok": True, "none": None}])
    body = render("service_requests", document, "xml").body
    root = ElementTree.fromstring(body)
    request = root.find("request")
    assert request is not None and request.findtext("description") == "<b>&"
    assert request.findtext("ok") == "true" and request.find("none") is not None


def test_json_is_an_array_for_a_list_and_times_carry_the_districts_offset() -> None:
    at = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    body = render("service_requests", Items("request", [{"at": at, "lat": 39.9}]), "json").body
    assert orjson.loads(body) == [{"at": "2026-03-09T09:00:00+08:00", "lat": 39.9}]


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("", "zh"),
        ("en-GB,en;q=0.8", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr, en;q=0.5", "en"),
        ("en;q=0.3, zh;q=0.7", "zh"),
        ("en;q=bad", "zh"),
    ],
)
def test_the_callers_language_is_english_only_when_preferred(header: str, chosen: str) -> None:
    assert language(header) == chosen


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        ("四", "李", "李四"),
        ("John", "Smith", "John Smith"),
        (None, "Smith", "Smith"),
        (None, None, None),
    ],
)
def test_a_reporters_name_is_written_as_its_language_writes_it(
    first: str | None, last: str | None, name: str | None
) -> None:
    assert reporter_name(first, last) == name


# Places -----------------------------------------------------------------------------------


@pytest.fixture
def places(app: GridCenter) -> Places:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [grid_map]).catch_up()
    return Places(store)


def test_a_request_is_addressed_by_its_street_community_and_grid(places: Places) -> None:
    assert places.address(GRID_A, "zh") == "东华门街道多福巷社区第1网格"
    assert places.address(GRID_A, "en") == "Grid 1, Duofuxiang, Donghuamen"


@pytest.mark.parametrize(
    ("address", "grids"),
    [
        ("东华门街道韶九社区12号楼", {GRID_C, GRID_D}),
        ("near 110101001001001, Beijing", {GRID_A}),
        ("SHAOJIU community", {GRID_C, GRID_D}),
        ("东华门街道", None),  # the street: anywhere in it
    ],
)
def test_an_address_is_placed_in_the_most_precise_area_it_names(
    app: GridCenter, places: Places, address: str, grids: set[str] | None
) -> None:
    point = places.locate(address)
    assert point is not None
    assert grids is None or app.locate(point) in grids


def test_an_address_naming_no_place_of_the_district_is_not_placed(places: Places) -> None:
    assert places.locate("1600 Pennsylvania Avenue") is None
    assert places.locate("110101009009009") is None  # no such grid
    assert places.grid_point("110101001001009") is None
