"""Random command sequences keep the invariants on SQLite and PostgreSQL too, where
positions come from real transactions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from domain.service import GridCenter
from tests.conftest import POSTGRES
from tests.invariants import ClosedLoop


@pytest.fixture(params=["sqlite", POSTGRES])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A new empty store for every hypothesis example."""
    count = iter(range(10_000))
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / f'example-{next(count)}.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        yield server.create_database


def test_random_command_sequences_keep_the_invariants_on_durable_stores(
    app_factory: Callable[[str], GridCenter], fresh_store: Callable[[], str]
) -> None:
    machine = type(
        "Durable", (ClosedLoop,), {"make_app": staticmethod(lambda: app_factory(fresh_store()))}
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
