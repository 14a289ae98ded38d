"""City components over the API: a survey registers them, each in its grid."""

from __future__ import annotations

from infra.loopback import ApiServer
from tests.integration.api.client import mutate


def test_an_admin_registers_components_found_in_a_survey(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    survey = """mutation {{ registerComponents(components: [{{code: "{code}",
      location: {{lon: {lon}, lat: 39.935}}, owner: "swj", maintainer: "swj"}}]) {{ ANSWER }} }}"""
    found = mutate(server, tokens["AD01"], survey.format(code="1101010101000002", lon=116.402))
    assert found["__typename"] == "Recorded"
    outside = mutate(server, tokens["AD01"], survey.format(code="1101010101000003", lon=116.6))
    assert outside["__typename"] == "RuleBroken" and "outside the district" in outside["message"]
