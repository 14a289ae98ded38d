"""What the command-center page reads beside the other views: today's headline figures,
the open cases as markers, the components by state, the streets' and communities' outlines,
the commands a role allows, and an auditor's replay of a period."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import (
    COMMUNITY,
    COVER,
    GRID_A,
    GRID_B,
    GRID_C,
    GRID_D,
    STREET,
    UNBOUNDED_QUEUE,
    Loop,
    head,
)
from tests.integration.api.client import query, report, step, wait_for_case

HEADLINE = """{ headline(area: "") { day reported filed dispatched closed overdueNow openNow
  onTimeClosingRate rateFormula rateVersion } }"""


def test_the_headline_counts_todays_steps_and_what_stands_open_now(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    first = report(server, tokens["W001"])["number"]
    second = report(server, tokens["W001"])["number"]
    step(server, tokens["OP01"], "fileCase", first)
    step(server, tokens["OP01"], "dispatchCase", first)
    wait_for_case(server, first, "dispatched")
    wait_for_case(server, second, "reported")
    figures = query(server, HEADLINE)["headline"]
    assert (figures["reported"], figures["filed"], figures["dispatched"]) == (2, 1, 1)
    assert (figures["closed"], figures["overdueNow"], figures["openNow"]) == (0, 0, 2)
    assert figures["onTimeClosingRate"] is None  # nothing was due to close today
    assert figures["rateFormula"] and figures["rateVersion"] == 1
    assert figures["day"] == (datetime.now(UTC) + timedelta(hours=8)).date().isoformat()


def test_open_cases_are_markers_at_their_points_until_they_end(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    number = report(server, tokens["W001"])["number"]
    wait_for_case(server, number, "reported")
    text = "query ($area: String!) { caseMarkers(area: $area) { number lon lat grid stage } }"
    (marker,) = query(server, text, area=COMMUNITY)["caseMarkers"]
    assert marker == {"number": number, "lon": 116.405, "lat": 39.935, "grid": GRID_A,
                      "stage": "reported"}  # fmt: skip
    step(server, tokens["OP01"], "rejectCase", number, ', reason: "不属实"')
    wait_for_case(server, number, "rejected")
    assert query(server, text, area="")["caseMarkers"] == []


def test_components_are_found_by_state_and_by_the_box_the_map_shows(
    server: ApiServer, app: GridCenter, loop: Loop
) -> None:
    number = loop.filed(category="C0101", component=COVER)
    wait_for_case(server, number, "filed")
    text = """query ($states: [String!], $box: Box) { components(states: $states, box: $box) {
      code state openCase } }"""
    faulty = query(server, text, states=["faulty"])["components"]
    assert faulty == [{"code": COVER, "state": "faulty", "openCase": number}]
    box = {"west": 116.40, "south": 39.93, "east": 116.41, "north": 39.94}
    assert [c["code"] for c in query(server, text, box=box)["components"]] == [COVER]
    elsewhere = {**box, "west": 116.41, "east": 116.42}
    assert query(server, text, box=elsewhere)["components"] == []


def test_streets_and_communities_are_drawn_as_the_union_of_their_grids(
    server: ApiServer,
) -> None:
    both = "{ streets: areaMap(kind: STREET) communities: areaMap(kind: COMMUNITY) }"
    answer = query(server, both)
    (street,) = answer["streets"]["features"]
    assert street["properties"]["code"] == STREET
    assert street["properties"]["name_zh"] == "东华门街道"
    assert street["geometry"]["type"] == "Polygon"
    west, south, east, north = _bounds(street["geometry"]["coordinates"][0])
    assert (west, south, east, north) == (116.40, 39.92, 116.42, 39.94)
    assert len(answer["communities"]["features"]) == 2
    lon, lat = street["properties"]["label"]
    assert west < lon < east and south < lat < north


def _bounds(ring: list[list[float]]) -> tuple[float, ...]:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return tuple(round(v, 6) for v in (min(lons), min(lats), max(lons), max(lats)))


def test_permissions_are_the_commands_the_callers_role_allows(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    operator = query(server, "{ permissions }", token=tokens["OP01"])["permissions"]
    assert {"file_case", "dispatch_case", "close_case"} <= set(operator)
    assert "handle_case" not in operator
    assert query(server, "{ permissions }", token=tokens["AU01"])["permissions"] == []


def test_an_auditor_replays_a_period_frame_by_frame(
    server: ApiServer, app: GridCenter, tokens: dict[str, str], loop: Loop
) -> None:
    start = loop.at
    number = loop.dispatched()
    end = loop.tick(60)
    wait_for_case(server, number, "dispatched")
    frames = _replay(server, tokens["AU01"], start, end)
    first, last = frames[0], frames[-1]
    assert {g["code"] for g in first["grids"]} == {GRID_A, GRID_B, GRID_C, GRID_D}
    assert first["markers"] == []
    assert last["done"] and last["position"] == head(app)
    played = [e["name"] for frame in frames for e in frame["events"]]
    assert played == ["CaseReported", "CaseFiled", "CaseDispatched"]
    markers = [m for frame in frames for m in frame["markers"]]
    assert markers[-1] == {"number": number, "stage": "dispatched"}
    assert last["headline"]["dispatched"] == 1


def _replay(server: ApiServer, token: str, start: datetime, end: datetime) -> list[Any]:
    text = """subscription ($start: DateTime!, $end: DateTime!) {
      replay(start: $start, end: $end, speed: 14400) { at position done
        grids { code level } markers { number stage } events { name }
        headline { dispatched } } }"""

    async def receive() -> list[Any]:
        signed = {"Authorization": f"Bearer {token}"}
        transport = WebsocketsTransport(
            url=server.ws, init_payload=signed, connect_args=UNBOUNDED_QUEUE
        )
        moments = {"start": start.isoformat(), "end": end.isoformat()}
        request = GraphQLRequest(text, variable_values=moments)
        frames: list[Any] = []
        async with Client(transport=transport) as session:
            answers = session.subscribe(request)
            try:
                async for answer in answers:
                    frames.append(answer["replay"])
                    if answer["replay"]["done"]:
                        break
            finally:
                await answers.aclose()
        return frames

    return asyncio.run(asyncio.wait_for(receive(), 60))
