"""The assessment over the API: each figure with its formula and version."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import Loop
from tests.integration.api.client import query, wait_for_case


def test_the_assessment_shows_each_figure_with_its_formula(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    loop = Loop(app)
    number = loop.closed()
    wait_for_case(server, number, "closed")
    text = """query ($day: Date!) {
      departmentAssessment(code: "hwj", period: MONTH, day: $day) {
        figures { key value formula version } composite { value } grade version } }"""
    day = loop.at.date().isoformat()  # the local day (fixtures are in CST)
    found = query(server, text, day=day)["departmentAssessment"]
    closed = next(f for f in found["figures"] if f["key"] == "closed")
    assert closed["value"] == 1 and closed["formula"] and closed["version"] == found["version"]
    with pytest.raises(TransportQueryError, match="only the cases of department swj"):
        query(server, text, token=tokens["D001"], day=day)
