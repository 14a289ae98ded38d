"""Time travel: the machine's views of the past equal a fold of the log up to that
position, in whatever order positions are asked for, from whichever kept state it
carries on; an instant means the last event at or before it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.service import GridCenter
from projections import VIEWS
from projections.replay import as_of
from projections.time_travel import TimeMachine
from tests.fixtures import SANITATION, Loop, head
from tests.histories import Step, contents, play, steps


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=steps, asked=st.lists(st.integers(0, 10_000), min_size=1, max_size=6))
def test_the_past_in_any_order_equals_a_fold_up_to_it(
    app_factory: Callable[[str], GridCenter], history: list[Step], asked: list[int]
) -> None:
    app = app_factory("memory:")
    play(app, history)
    machine = TimeMachine(app.recorder, every=7, keep=5)  # few states: they are dropped too
    for wanted in asked:
        position = wanted % (head(app) + 1)
        assert contents(machine.at(position, VIEWS), VIEWS) == contents(
            as_of(app.recorder, VIEWS, position=position), VIEWS
        )


def test_a_kept_state_is_not_changed_by_folding_on_from_it(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched()
    dispatched = head(app)
    app.accept_case(number, by=SANITATION, at=loop.tick())
    machine = TimeMachine(app.recorder)
    then = contents(machine.at(dispatched, VIEWS), VIEWS)
    machine.at(head(app), VIEWS)  # on from the state kept at `dispatched`
    assert contents(machine.at(dispatched, VIEWS), VIEWS) == then


def test_an_instant_means_the_last_event_at_or_before_it(app: GridCenter, loop: Loop) -> None:
    loop.reported()
    reported, at = head(app), loop.at
    loop.reported()
    machine = TimeMachine(app.recorder)
    assert machine.position_at(at) == reported
    assert machine.position_at(at + timedelta(minutes=1)) == reported
    assert machine.position_at(at - timedelta(days=3650)) == 0
    assert machine.instant_of(reported) == at


def test_a_position_beyond_the_log_is_refused(app: GridCenter) -> None:
    with pytest.raises(ValueError, match="is not in the log"):
        TimeMachine(app.recorder).at(head(app) + 1, VIEWS)
