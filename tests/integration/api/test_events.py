"""The event stream: the log replayed from a position, then live, with no gap and no
repeat; filtered; without personal data."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.cases import Channel
from domain.service import GridCenter
from tests.fixtures import IN_A, RESIDENT, Loop, head
from tests.integration.api.client import LEGACY_WS, TRANSPORT_WS, stream
from tests.servers import ApiServer


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
def test_the_event_stream_replays_the_log_then_goes_live(
    server: ApiServer, app: GridCenter, protocol: str
) -> None:
    loop, recorded = Loop(app), head(app)
    received = stream(
        server,
        0,
        until=lambda got: got[-1]["name"] == "CaseReported",
        protocol=protocol,
        during=loop.reported,
    )
    positions = [event["position"] for event in received]
    assert positions == list(range(1, len(positions) + 1))  # from the start, in order
    assert positions[-1] > recorded  # and then the report made while streaming


def test_a_department_reconnecting_after_its_last_position_misses_and_repeats_nothing(
    server: ApiServer, app: GridCenter
) -> None:
    loop = Loop(app)
    loop.dispatched()
    first = stream(server, 0, until=lambda got: got[-1]["position"] == head(app))
    last = first[-1]["position"]
    loop.closed()  # while the department is away
    again = stream(server, last, until=lambda got: got[-1]["position"] == head(app))
    positions = [event["position"] for event in first + again]
    assert positions == list(range(1, head(app) + 1))


def test_the_stream_filters_by_event_name(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    numbers = [loop.dispatched() for _ in range(2)]
    only = {"names": ["CaseDispatched"]}
    received = stream(server, 0, until=lambda got: len(got) == 2, filter=only)
    assert [event["name"] for event in received] == ["CaseDispatched"] * 2
    assert len(numbers) == 2 and all(event["data"]["department"] for event in received)


def test_an_unknown_event_name_is_refused_before_anything_streams(server: ApiServer) -> None:
    with pytest.raises(TransportQueryError, match="unknown event name CaseUpdated"):
        stream(server, 0, until=lambda got: True, filter={"names": ["CaseUpdated"]})


def test_the_stream_shows_no_personal_data(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    app.report_case(
        channel=Channel.APP,
        category="E0101",
        location=IN_A,
        description="路灯不亮",
        by=RESIDENT,  # known by their phone number
        at=loop.tick(),
        reporter_name="李四",
        reporter_phone="13912345678",
    )
    received = stream(server, 0, until=lambda got: got[-1]["name"] == "CaseReported")
    assert received[-1]["by"] == {"id": "public", "role": "public"}
    assert "reporter_name" not in received[-1]["data"]
    assert "13912345678" not in str(received) and "13800000000" not in str(received)
    assert "李四" not in str(received)
