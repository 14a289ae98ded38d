"""The monthly analysis over the API."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import Loop
from tests.integration.api.client import query, wait_for_case


def test_the_monthly_analysis_counts_reports_against_the_month_before(
    server: ApiServer, app: GridCenter
) -> None:
    number = Loop(app).filed()
    wait_for_case(server, number, "filed")
    (month,) = query(server, "{ reportMonths }")["reportMonths"]
    text = "query ($m: String!) { monthlyAnalysis(month: $m) { total { reports previous } } }"
    assert query(server, text, m=month)["monthlyAnalysis"]["total"] == {
        "reports": 1,
        "previous": 0,
    }
    with pytest.raises(TransportQueryError, match="not a month") as refused:
        query(server, text, m="March")
    assert refused.value.errors
    assert refused.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
