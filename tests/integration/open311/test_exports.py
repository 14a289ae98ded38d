"""The exports at /export/…: open data as GeoJSON for anyone (grids with their status,
open cases of public categories), the case board and the assessment as CSV for a caller
with a token, each reading what that caller may read — and no contact data anywhere."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tests.fixtures import GRID_A, GRID_B, IN_A, TLS
from tests.open311 import City, wait_for


def export(city: City, name: str, token: str | None = None, **params: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = f"http://127.0.0.1:{city.server.port}/export/{name}"
    return httpx.get(url, params=params, headers=headers, verify=TLS)


def rows(answer: httpx.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv; charset=utf-8")
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8"))))


def test_the_grids_come_as_geojson_with_their_status_and_no_staff(city: City) -> None:
    answer = export(city, "grids.geojson")
    assert answer.headers["content-type"] == "application/geo+json"
    features = answer.json()["features"]
    assert [f["id"] for f in features][:2] == [GRID_A, GRID_B]
    first = features[0]
    assert first["geometry"]["type"] == "Polygon"
    properties = first["properties"]
    assert properties["level"] in ("normal", "attention", "alarm")
    assert properties["open"] >= 1 and properties["households"] == 300
    assert "worker" not in properties and "team" not in properties


def test_the_open_cases_come_as_points_with_public_fields_only(city: City) -> None:
    number = city.reported(phone="13912345678", first_name="四", last_name="李")
    wait_for(city.server, number)
    features = export(city, "cases.geojson").json()["features"]
    shown = {f["id"]: f for f in features}
    assert str(number) in shown and str(city.dispatched) in shown
    assert str(city.closed) not in shown and str(city.rejected) not in shown
    assert str(city.dispute) not in shown  # a dispute: not a public category
    mine = shown[str(number)]
    assert mine["geometry"] == {"type": "Point", "coordinates": [IN_A.lon, IN_A.lat]}
    assert mine["properties"]["status"] == "open"
    assert "13912345678" not in str(features) and "李四" not in str(features)


@pytest.mark.parametrize("name", ["case_board.csv", "assessment.csv"])
def test_an_export_of_data_that_is_not_public_needs_a_token(city: City, name: str) -> None:
    assert export(city, name).status_code == 401
    assert export(city, name, token="gc_made-up").status_code == 401


def test_the_case_board_comes_as_csv_as_the_caller_may_read_it(city: City) -> None:
    board = rows(export(city, "case_board.csv", city.tokens["OP01"]))
    numbers = [int(r["number"]) for r in board]
    assert city.dispatched in numbers and city.dispute in numbers  # the operator sees all
    assert numbers == sorted(numbers)
    assert {"stage", "department", "deadline", "description"} <= set(board[0])
    assert "reporter_phone" not in board[0] and "reporter_name" not in board[0]
    department = rows(export(city, "case_board.csv", city.tokens["D002"]))
    assert {r["department"] for r in department} == {"hwj"}
    other = rows(export(city, "case_board.csv", city.tokens["D001"]))  # swj: nothing of its own
    assert other == []
    filtered = rows(export(city, "case_board.csv", city.tokens["OP01"], stages="dispatched"))
    assert {r["stage"] for r in filtered} == {"dispatched"}


def test_a_reader_is_refused_an_export_outside_their_scope(city: City) -> None:
    refused = export(city, "case_board.csv", city.tokens["W001"], area=GRID_B)
    assert refused.status_code == 403 and "may not read" in refused.text
    other = export(city, "case_board.csv", city.tokens["D001"], department="hwj")
    assert other.status_code == 403 and "only the cases of department swj" in other.text


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_inert(city: City) -> None:
    number = city.reported(description='=HYPERLINK("http://evil","x")')
    wait_for(city.server, number)
    board = rows(export(city, "case_board.csv", city.tokens["OP01"]))
    (mine,) = [r for r in board if r["number"] == str(number)]
    assert mine["description"].startswith("'=HYPERLINK")


def test_the_assessment_comes_as_csv_one_row_a_figure_with_its_formula(city: City) -> None:
    given = {"subject": "department", "period": "month", "day": "2026-03-09"}
    figures = rows(export(city, "assessment.csv", city.tokens["AU01"], **given))
    hwj = {r["key"]: r for r in figures if r["code"] == "hwj"}
    assert hwj["closed"]["value"] == "1" and hwj["closed"]["formula"]
    assert hwj["closed"]["version"] == "1" and hwj["composite"]["unit"]
    assert {r["code"] for r in figures} >= {"hwj", "swj"}
    own = rows(export(city, "assessment.csv", city.tokens["D002"], **given))
    assert {r["code"] for r in own} == {"hwj"}
    refused = export(city, "assessment.csv", city.tokens["D002"], code="swj", **given)
    assert refused.status_code == 403
    grid = rows(
        export(city, "assessment.csv", city.tokens["W001"], subject="grid", day="2026-03-09")
    )
    assert {r["code"] for r in grid} == {GRID_A}


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"subject": "street"}, "subject is one of department, grid, worker"),
        ({"period": "year"}, "period is one of day, week, month"),
        ({"day": "9 March"}, "day is a date"),
        ({"subject": "grid", "code": "abc"}, "an area code is digits"),
        ({"subject": "worker"}, "name the grid workers"),
    ],
)
def test_an_assessment_export_asked_wrongly_says_why(
    city: City, params: dict[str, str], says: str
) -> None:
    answer = export(city, "assessment.csv", city.tokens["OP01"], **params)
    assert answer.status_code == 400 and says in answer.text
