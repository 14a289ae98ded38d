"""The catalog over the API: what a client needs to report and dispatch."""

from __future__ import annotations

from infra.loopback import ApiServer
from tests.integration.api.client import query

CATALOG = """{ catalog { version
  categories { code family major { code name { zh } } name { zh en } department limit urgentTier }
  departments { code name { zh } } urgentTiers { code limit } } }"""


def test_the_catalog_lists_both_families_with_their_departments_and_limits(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    found = query(server, CATALOG, token=tokens["D002"])["catalog"]
    garbage = next(c for c in found["categories"] if c["code"] == "E0101")
    assert garbage["family"] == "event" and garbage["department"] == "hwj"
    assert garbage["limit"] == "4 work hours" and garbage["name"]["en"]
    assert {c["family"] for c in found["categories"]} == {"component", "event"}
    assert "hwj" in {d["code"] for d in found["departments"]} and found["urgentTiers"]
    assert found["version"]
