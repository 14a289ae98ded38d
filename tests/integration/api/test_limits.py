"""What bounds a request, and the health endpoint."""

from __future__ import annotations

import httpx

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import TLS, head
from tests.integration.api.client import post


def test_health_tells_the_position_the_views_reflect(server: ApiServer, app: GridCenter) -> None:
    answer = httpx.get(f"http://127.0.0.1:{server.port}/healthz", verify=TLS).json()
    assert answer == {"status": "ok", "position": head(app)}


def test_the_deepest_query_of_the_schema_is_served(server: ApiServer) -> None:
    deepest = "{ caseBoard { cases { timeline { by { id } } } } }"
    assert "errors" not in post(server, {"query": deepest}).json()


def test_too_many_aliases_are_refused(server: ApiServer) -> None:
    aliased = "{ " + " ".join(f"g{n}: grids {{ code }}" for n in range(40)) + " }"
    answer = post(server, {"query": aliased}).json()
    assert "aliases found" in answer["errors"][0]["message"], answer


def test_a_body_too_large_is_answered_413(server: ApiServer) -> None:
    description = "垃" * 100_000
    text = f'mutation {{ reportCase(channel: PATROL, category: "E0101", location: {{lon: 116.405, lat: 39.935}}, description: "{description}") {{ __typename }} }}'  # noqa: E501
    assert post(server, {"query": text}).status_code == 413


def test_a_nul_character_is_answered_400_and_records_nothing(
    server: ApiServer, app: GridCenter
) -> None:
    before = head(app)
    text = 'mutation { reportCase(channel: PATROL, category: "E0101", location: {lon: 116.405, lat: 39.935}, description: "a\\u0000b") { __typename } }'  # noqa: E501
    assert post(server, {"query": text}).status_code == 400
    assert post(server, b'{"query": "{ grids { code } }", "x": "\\u0000"}').status_code == 400
    assert head(app) == before
