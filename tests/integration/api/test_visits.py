"""Visits over the API: recording them, their needs becoming cases, and visit coverage."""

from __future__ import annotations

from domain.service import GridCenter, HouseholdPlan
from infra.loopback import ApiServer
from tests.fixtures import ADMIN, GRID_B, IN_B, MONDAY
from tests.histories import HOMES
from tests.integration.api.client import mutate, query, wait_for_case


def test_visit_coverage_counts_the_quarters_due_per_tag(server: ApiServer) -> None:
    found = query(server, '{ visitCoverage(area: "") { area quarter tags { tag due done } } }')
    coverage = found["visitCoverage"]
    assert coverage["tags"][0]["tag"] == "all" and coverage["quarter"]


def test_a_visit_is_recorded_and_its_need_becomes_a_case(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    app.register_households(HOMES, ADMIN, MONDAY)
    home = HOMES[0].code
    visit = f"""mutation {{ recordVisit(household: "{home}", findings: "独居老人, 楼道堆物",
      needs: [{{category: "E0101", description: "楼道堆物"}}]) {{ ANSWER }} }}"""
    recorded = mutate(server, tokens["W001"], visit)
    assert (recorded["__typename"], recorded["number"]) == ("Recorded", 1)  # the first visit
    need = f'mutation {{ reportNeed(household: "{home}", visit: 1, need: 1) {{ ANSWER }} }}'
    reported = mutate(server, tokens["W001"], need)
    assert reported["__typename"] == "Recorded"
    case = wait_for_case(server, reported["number"], "reported")
    assert case["timeline"][0]["name"] == "CaseReported"
    again = mutate(server, tokens["W001"], need)
    assert again["__typename"] == "RuleBroken"  # a need becomes a case once


def test_a_visit_outside_the_workers_grids_is_not_allowed(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    outside = HouseholdPlan(f"{GRID_B}0001", "韶九 3 号", IN_B, 2, (), "丙", "132")
    app.register_households([outside], ADMIN, MONDAY)
    visit = f'mutation {{ recordVisit(household: "{outside.code}", findings: "x") {{ ANSWER }} }}'
    assert mutate(server, tokens["W001"], visit)["__typename"] == "NotAllowed"
