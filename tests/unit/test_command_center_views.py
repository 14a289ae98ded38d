"""The views the command-center page reads beside the others: case markers (open cases on
the map), the component map (部件 by state) and the headline figures of a day — folded
from cases made through the real application."""

from __future__ import annotations

from datetime import timedelta

from domain.components import component_id
from domain.service import GridCenter
from projections import case_markers, component_map, headline
from projections.component_map import Box
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from tests.fixtures import (
    COMMUNITY,
    COVER,
    GRID_A,
    OPERATOR,
    OTHER_COMMUNITY,
    SANITATION,
    WATCHER,
    Loop,
    fix_cover,
)

VIEWS = [case_markers, component_map, headline]


def folded(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, VIEWS).catch_up()
    return store


def markers(app: GridCenter) -> dict[int, case_markers.Marker]:
    return {m.number: m for m in case_markers.open_markers(folded(app))}


def test_a_reported_case_has_a_marker_at_its_point_in_its_grid(app: GridCenter, loop: Loop) -> None:
    number = loop.reported()
    marker = markers(app)[number]
    assert (marker.lon, marker.lat, marker.grid) == (116.405, 39.935, GRID_A)
    assert (marker.stage, marker.channel, marker.urgent, marker.overdue) == (
        "reported",
        "patrol",
        False,
        False,
    )


def test_a_marker_follows_its_case_through_the_loop_and_goes_when_it_closes(
    app: GridCenter, loop: Loop
) -> None:
    urgent = loop.filed(urgent=True)
    dispatched = loop.dispatched()
    closed = loop.closed()
    found = markers(app)
    assert found[urgent].stage == "filed" and found[urgent].urgent
    assert found[dispatched].stage == "dispatched"
    assert closed not in found


def test_a_marker_turns_overdue_when_the_deadline_passes_and_back_when_it_moves(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.dispatched()
    app.watch_deadline(number, by=WATCHER, at=loop.at + timedelta(days=3))
    assert markers(app)[number].overdue
    app.return_case(number, reason="不归我们管", by=SANITATION, at=loop.at + timedelta(days=3))
    assert not markers(app)[number].overdue


def test_markers_can_be_read_for_an_area_and_by_case_id(app: GridCenter, loop: Loop) -> None:
    number = loop.reported()
    store = folded(app)
    assert [m.number for m in case_markers.open_markers(store, COMMUNITY)] == [number]
    assert case_markers.open_markers(store, OTHER_COMMUNITY) == []
    ids = [app.case(number).id.hex, "0" * 32]
    assert [m.number for m in case_markers.of_cases(store, ids)] == [number]


def test_a_component_is_intact_then_faulty_while_a_case_is_open_then_intact_when_fixed(
    app: GridCenter, loop: Loop
) -> None:
    def cover() -> component_map.ComponentRow:
        store = folded(app)
        found = store.fetch(component_map.components, (component_id(COVER).hex,))
        assert found is not None
        return found

    assert (cover().state, cover().grid, cover().code) == ("intact", GRID_A, COVER)
    number = loop.dispatched(category="C0101", component=COVER)
    assert (cover().state, cover().open_case) == ("faulty", number)
    fix_cover(app, loop, number)
    assert (cover().state, cover().open_case) == ("intact", None)


def test_components_are_found_by_state_area_and_box(app: GridCenter, loop: Loop) -> None:
    loop.filed(category="C0101", component=COVER)
    store = folded(app)
    inside = Box(116.40, 39.93, 116.41, 39.94)
    elsewhere = Box(116.41, 39.92, 116.42, 39.93)
    assert [c.code for c in component_map.located(store, COMMUNITY, ("faulty",))] == [COVER]
    assert component_map.located(store, states=("intact",)) == []
    assert [c.code for c in component_map.located(store, box=inside)] == [COVER]
    assert component_map.located(store, box=elsewhere) == []


def test_the_headline_counts_each_step_on_its_local_day_in_its_grid(
    app: GridCenter, loop: Loop
) -> None:
    loop.reported()
    loop.filed()
    loop.closed()
    rejected = loop.reported()
    app.reject_case(rejected, reason="不属实", by=OPERATOR, at=loop.tick())
    counts = headline.day_counts(folded(app), loop.at)
    assert counts["reported"] == 4
    assert counts["filed"] == 2
    assert counts["dispatched"] == 1
    assert counts["closed"] == 1
    assert counts["rejected"] == 1
    assert counts["overdue"] == 0
    assert headline.day_counts(folded(app), loop.at, OTHER_COMMUNITY)["reported"] == 0
    assert headline.day_counts(folded(app), loop.at + timedelta(days=1))["reported"] == 0
