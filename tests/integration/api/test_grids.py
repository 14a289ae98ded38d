"""Grid status over the API: the whole map in one query, the base map as GeoJSON, and the
live map by subscription."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import GRID_A, GRID_B, Loop
from tests.integration.api.client import query, subscribe


def test_the_whole_map_comes_in_one_query(server: ApiServer, app: GridCenter) -> None:
    found = query(server, "{ grids { code level open worker } }")["grids"]
    assert [grid["code"] for grid in found][:2] == [GRID_A, GRID_B]
    assert {grid["level"] for grid in found} <= {"normal", "attention", "alarm"}


GRID_STATUS = "subscription ($area: String) { gridStatus(area: $area) { code open level } }"


def test_the_map_gets_every_grid_then_the_grids_that_change(
    server: ApiServer, app: GridCenter
) -> None:
    received = subscribe(
        server,
        GRID_STATUS,
        until=lambda got: len(got) > 1 and any(g["open"] for g in got[-1]),
        during=Loop(app).reported,  # in grid A
    )
    assert [grid["code"] for grid in received[0]][:2] == [GRID_A, GRID_B]
    changed = [grid for grid in received[-1] if grid["open"]]
    assert [grid["code"] for grid in changed] == [GRID_A]


def test_a_grid_worker_watches_only_their_grids(server: ApiServer, tokens: dict[str, str]) -> None:
    (first,) = subscribe(server, GRID_STATUS, until=lambda got: True, token=tokens["W001"])
    assert [grid["code"] for grid in first] == [GRID_A]
    with pytest.raises(TransportQueryError, match="may not read area"):
        subscribe(server, GRID_STATUS, until=lambda got: True, token=tokens["D001"])


def test_the_base_map_comes_as_geojson_with_the_areas(server: ApiServer) -> None:
    found = query(server, '{ areas { code kind } gridMap(area: "") }')
    assert [area["kind"] for area in found["areas"]][:2] == ["district", "street"]
    features = found["gridMap"]["features"]
    assert [feature["id"] for feature in features][:2] == [GRID_A, GRID_B]
    assert features[0]["geometry"]["type"] == "Polygon"
