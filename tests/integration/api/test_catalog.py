"""The catalog over the API: what a client needs to report and dispatch."""

from __future__ import annotations

from infra.loopback import ApiServer
from tests.integration.api.client import mutate, query

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


def test_a_report_answers_its_categorys_extra_questions(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    asked = "{ catalog { categories { code questions { code datatype choices { key } } } } }"
    found = query(server, asked)["catalog"]["categories"]
    (kind,) = next(c for c in found if c["code"] == "E0101")["questions"]
    assert kind["code"] == "garbage_kind" and kind["datatype"] == "multivaluelist"
    report = """mutation ($values: [String!]!) { reportCase(channel: PATROL, category: "E0101",
      location: {lon: 116.405, lat: 39.935}, description: "垃圾", address: "多福巷 3 号",
      answers: [{question: "garbage_kind", values: $values}]) { ANSWER } }"""
    answered = mutate(server, tokens["W001"], report, values=["household", "bulky"])
    assert answered["__typename"] == "Recorded"
    wrong = mutate(server, tokens["W001"], report, values=["nuclear"])
    assert wrong["__typename"] == "RuleBroken" and "is not one of" in wrong["message"]
