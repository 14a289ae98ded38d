"""The event stream: the log replayed from a position, then live, with no gap and no
repeat; filtered; a department's own; without personal data."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.cases import Channel, case_id
from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import (
    CITY_MGMT,
    IN_A,
    OPERATOR,
    RESIDENT,
    SANITATION,
    WORKER_A,
    Loop,
    head,
)
from tests.integration.api.client import LEGACY_WS, TRANSPORT_WS, stream


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


def department_stream(app: GridCenter, loop: Loop) -> tuple[list[tuple[str, str]], int, int]:
    """Cases whose events are, and are not, sanitation's (hwj): one it keeps, one it
    returns (then city management's), one never dispatched. Returns what hwj's stream
    holds, as (case id, event name), and the two cases' numbers."""
    kept = loop.handled()  # dispatched to hwj, accepted, handled
    loop.filed()  # never dispatched: nobody's
    returned = loop.dispatched()
    app.return_case(returned, reason="不归我们管", by=SANITATION, at=loop.tick())
    app.dispatch_case(returned, department="cgj", reason="违建", by=OPERATOR, at=loop.tick())
    app.accept_case(returned, by=CITY_MGMT, at=loop.tick())  # city management's now
    ids = {kept: case_id(kept).hex, returned: case_id(returned).hex}
    expected = [(ids[kept], n) for n in ("CaseDispatched", "CaseAccepted", "CaseHandled")]
    expected += [(ids[returned], n) for n in ("CaseDispatched", "CaseReturned")]
    return expected, kept, returned


def test_a_department_streams_its_cases_from_dispatch_to_return(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    loop = Loop(app)
    expected, _, _ = department_stream(app, loop)
    last = loop.dispatched()  # the last event of hwj's stream
    expected += [(case_id(last).hex, "CaseDispatched")]
    received = stream(server, 0, until=lambda got: len(got) >= len(expected), token=tokens["D002"])
    assert [(event["originator"], event["name"]) for event in received] == expected
    positions = [event["position"] for event in received]
    assert positions == sorted(positions) and positions[-1] == head(app)


def test_a_department_reconnecting_gets_its_cases_that_moved_while_it_was_away(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    loop = Loop(app)
    kept = loop.handled()
    first = stream(server, 0, until=lambda got: len(got) == 3, token=tokens["D002"])
    app.verify_case(kept, passed=True, note="干净了", by=WORKER_A, at=loop.tick())
    app.close_case(kept, by=OPERATOR, at=loop.tick())  # while hwj is away
    returned = loop.dispatched()
    app.return_case(returned, reason="不归我们管", by=SANITATION, at=loop.tick())
    again = stream(
        server, first[-1]["position"], until=lambda got: len(got) == 4, token=tokens["D002"]
    )
    names = [(event["originator"], event["name"]) for event in first + again]
    ids = case_id(kept).hex, case_id(returned).hex
    assert names == [
        (ids[0], "CaseDispatched"),
        (ids[0], "CaseAccepted"),
        (ids[0], "CaseHandled"),
        (ids[0], "CaseVerified"),
        (ids[0], "CaseClosed"),
        (ids[1], "CaseDispatched"),
        (ids[1], "CaseReturned"),
    ]
