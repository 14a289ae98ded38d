"""Leases on views (lock files beside a SQLite store): one process a view; a lease freed
when its holder goes is taken over, and a worker folds only the views it holds. The
PostgreSQL leases are taken over in test_scale_out.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from domain.service import GridCenter
from infra.leases import FileLeases, MemoryLeases, open_leases
from infra.workers import ViewWorker
from projections import VIEWS, case_board
from projections.case_board import board
from projections.store import open_view_store
from tests.fixtures import SANITATION, Loop


def test_a_view_leased_by_one_holder_is_refused_to_another_until_released(
    tmp_path: Path,
) -> None:
    database = tmp_path / "gridcenter.db"
    first, second = FileLeases(database), FileLeases(database)
    assert first.claim(["case_board", "grid_status"]) == {"case_board", "grid_status"}
    assert second.claim(["case_board", "grid_status", "staff"]) == {"staff"}
    first.release()
    assert second.claim(["case_board", "grid_status"]) == {"case_board", "grid_status", "staff"}
    second.release()


def test_the_store_decides_the_kind_of_lease(tmp_path: Path) -> None:
    assert isinstance(open_leases(f"sqlite:///{tmp_path / 'x.db'}"), FileLeases)
    assert isinstance(open_leases("memory:"), MemoryLeases)


def test_a_worker_takes_over_the_views_of_one_that_stopped(
    app_factory: Callable[[str], GridCenter], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'gridcenter.db'}"
    app = app_factory(url)
    loop = Loop(app)
    number = loop.dispatched()
    stores = [open_view_store(url) for _ in range(2)]
    leases = [open_leases(url) for _ in range(2)]
    first, spare = (
        ViewWorker(app.recorder, s, VIEWS, lease) for s, lease in zip(stores, leases, strict=True)
    )
    assert first.catch_up() == app.recorder.max_notification_id()
    assert spare.catch_up() == 0 and spare.held == []
    app.accept_case(number, by=SANITATION, at=loop.tick())
    leases[0].release()  # the first worker is gone
    assert spare.catch_up() == app.recorder.max_notification_id()
    assert [view.name for view in spare.held][:1] == [case_board.name]
    rows, _ = board(stores[1], loop.at)
    assert rows[0].stage == "accepted"
    leases[1].release()
    for store in stores:
        store.close()
    app.close()
