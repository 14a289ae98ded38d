"""GraphQL over HTTP: the media type of an answer follows the client's Accept header."""

from __future__ import annotations

import pytest

from api.app import JSON_TYPE, RESPONSE_JSON, media_type


@pytest.mark.parametrize(
    ("accept", "answer"),
    [
        ("", JSON_TYPE),  # older clients name none
        ("*/*", JSON_TYPE),
        ("application/json", JSON_TYPE),
        ("application/graphql-response+json", RESPONSE_JSON),
        ("application/graphql-response+json, application/json", RESPONSE_JSON),
        ("application/graphql-response+json;q=0.5, application/json", JSON_TYPE),
        ("application/json;q=0.9, application/graphql-response+json", RESPONSE_JSON),
        ("text/html, */*;q=0.8", JSON_TYPE),
        ("application/xml", None),
        ("application/json;q=0", None),
        ("application/json;q=oops", None),
    ],
)
def test_the_answer_takes_the_acceptable_media_type_of_highest_quality(
    accept: str, answer: str | None
) -> None:
    assert media_type(accept) == answer
