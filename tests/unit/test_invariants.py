"""Random command sequences never break the closed loop's invariants (in-memory log)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from domain.service import GridCenter
from tests.invariants import ClosedLoop


def test_random_command_sequences_keep_the_invariants(
    make_app: Callable[[], GridCenter],
) -> None:
    machine = type("InMemory", (ClosedLoop,), {"make_app": staticmethod(make_app)})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=60,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


@pytest.fixture
def make_app(app_factory: Callable[[str], GridCenter]) -> Callable[[], GridCenter]:
    return lambda: app_factory("memory:")
