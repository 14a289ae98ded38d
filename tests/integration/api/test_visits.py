"""Visit coverage over the API."""

from __future__ import annotations

from tests.integration.api.client import query
from tests.servers import ApiServer


def test_visit_coverage_counts_the_quarters_due_per_tag(server: ApiServer) -> None:
    found = query(server, '{ visitCoverage(area: "") { area quarter tags { tag due done } } }')
    coverage = found["visitCoverage"]
    assert coverage["tags"][0]["tag"] == "all" and coverage["quarter"]
