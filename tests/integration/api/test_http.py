"""GraphQL over HTTP as its spec says: GET for queries, POST for everything, both media
types, and status codes that tell a request error from an answer."""

from __future__ import annotations

import httpx

from infra.loopback import ApiServer
from tests.fixtures import TLS

NEW, OLD = "application/graphql-response+json", "application/json"


def send(server: ApiServer, method: str, accept: str, **request: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token}", "Accept": accept}
    if method == "GET":
        return httpx.get(server.http, params=request, headers=headers, verify=TLS)  # type: ignore[arg-type]
    return httpx.post(server.http, json=request, headers=headers, verify=TLS)


def test_a_query_by_get_or_post_is_answered_in_the_media_type_asked_for(
    server: ApiServer,
) -> None:
    for method in ("GET", "POST"):
        for accept, media in (
            (NEW, NEW),
            ("application/json", "application/json"),
            ("", "application/json"),
        ):
            answer = send(server, method, accept, query="{ viewer { code } }")
            assert answer.status_code == 200, (method, accept)
            assert answer.headers["content-type"].startswith(media)
            assert answer.json() == {"data": {"viewer": {"code": "OP01"}}}


def test_a_document_that_does_not_validate_is_a_400_in_the_new_media_type(
    server: ApiServer,
) -> None:
    assert send(server, "POST", NEW, query="{ nothing }").status_code == 400
    assert send(server, "POST", NEW, query="{ viewer {").status_code == 400
    legacy = send(server, "POST", OLD, query="{ nothing }")
    assert legacy.status_code == 200 and legacy.json()["errors"]


def test_a_refusal_while_executing_is_an_answer_not_a_request_error(server: ApiServer) -> None:
    answer = send(server, "POST", NEW, query="{ caseBoard(first: 0) { next } }")
    assert answer.status_code == 200 and answer.json()["errors"][0]["path"] == ["caseBoard"]


def test_a_mutation_by_get_and_an_unacceptable_media_type_are_refused(server: ApiServer) -> None:
    mutation = "mutation { closeCase(number: 1) { __typename } }"
    assert send(server, "GET", NEW, query=mutation).status_code == 405
    assert send(server, "POST", "application/xml", query="{ viewer { code } }").status_code == 406
