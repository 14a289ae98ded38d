"""The district's map over the API: admins staff the grids and redraw them; a redrawing
that breaks the tiling is refused and changes nothing."""

from __future__ import annotations

import time

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import GRID_A, head
from tests.integration.api.client import mutate, query


def test_an_admin_puts_a_grid_worker_on_duty_and_the_map_shows_them(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    duty = f'mutation {{ staffGrids(duties: [{{grid: "{GRID_A}", worker: "W001"}}]) {{ ANSWER }} }}'
    assert mutate(server, tokens["AD01"], duty)["__typename"] == "Recorded"
    for _ in range(100):
        if query(server, f'{{ grid(code: "{GRID_A}") {{ worker }} }}')["grid"]["worker"]:
            break
        time.sleep(0.1)
    assert query(server, f'{{ grid(code: "{GRID_A}") {{ worker }} }}')["grid"]["worker"] == "W001"


def test_a_redrawing_that_leaves_a_gap_is_refused(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    before = head(app)
    shrunk = (
        "[[116.40, 39.93], [116.405, 39.93], [116.405, 39.94], [116.40, 39.94], [116.40, 39.93]]"
    )
    redraw = f'mutation {{ redrawGrids(boundaries: [{{code: "{GRID_A}", boundary: {shrunk}}}]) '
    redraw += "{ ANSWER } }"
    answer = mutate(server, tokens["AD01"], redraw)
    assert answer["__typename"] == "RuleBroken", answer
    assert head(app) == before
