"""Households over the API: registered in a survey, tagged, moved out — by the grid
workers of their grids."""

from __future__ import annotations

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import ADMIN, GRID_A, GRID_B, MONDAY
from tests.histories import HOMES
from tests.integration.api.client import mutate


def test_a_grid_worker_registers_tags_and_moves_out_households_of_their_grid(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    worker, home = tokens["W001"], f"{GRID_A}0007"
    register = f"""mutation {{ registerHouseholds(households: [{{code: "{home}",
      address: "多福巷 7 号", location: {{lon: 116.405, lat: 39.935}}, members: 2,
      tags: [LOW_INCOME], headName: "丁", headPhone: "13700000000"}}]) {{ ANSWER }} }}"""
    assert mutate(server, worker, register)["__typename"] == "Recorded"
    for step in (
        f'tagHousehold(household: "{home}", tag: ELDERLY_ALONE)',
        f'untagHousehold(household: "{home}", tag: LOW_INCOME)',
        f'moveOut(household: "{home}")',
    ):
        assert mutate(server, worker, f"mutation {{ {step} {{ ANSWER }} }}")["__typename"] == (
            "Recorded"
        ), step
    gone = mutate(server, worker, f'mutation {{ moveOut(household: "{home}") {{ ANSWER }} }}')
    assert gone["__typename"] == "RuleBroken"


def test_a_household_is_registered_only_in_the_grid_its_code_names(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    app.register_households(HOMES, ADMIN, MONDAY)
    misplaced = f"""mutation {{ registerHouseholds(households: [{{code: "{GRID_B}0001",
      address: "x", location: {{lon: 116.405, lat: 39.935}}, members: 1, headName: "x",
      headPhone: "1"}}]) {{ ANSWER }} }}"""
    answer = mutate(server, tokens["AD01"], misplaced)
    assert answer["__typename"] == "RuleBroken" and "is located in grid" in answer["message"]
