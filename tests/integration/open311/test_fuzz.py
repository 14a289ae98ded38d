"""Schemathesis against the Open311 endpoint, from the OpenAPI description it serves:
generated requests of every operation — valid and invalid parameters, any strings, posts
with a working api_key and a district location or without — find no server error, and
every JSON answer fits the description. The number of examples per operation and mode is
bounded (`FUZZ_EXAMPLES`, 30 by default) to keep the suite short."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from api.open311.openapi import document
from tests.open311 import REPORT, City, base

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
OPERATIONS = [
    (path, method)
    for path, methods in document("http://127.0.0.1")["paths"].items()
    for method in methods
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def described(city: City) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{base(city.server)}/openapi.json")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_generated_request_is_a_server_error_or_off_the_description(
    city: City,
    described: schemathesis.BaseSchema,
    path: str,
    method: str,
    mode: GenerationMode,
) -> None:
    operation = described[path][method.upper()]

    @given(case=operation.as_strategy(mode), working=st.booleans())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def sent(case: schemathesis.Case, working: bool) -> None:
        if method == "post" and working and isinstance(case.body, dict):
            case.body = {**case.body, **REPORT, "api_key": city.key}  # gets past the checks
        case.call_and_validate(checks=CHECKS)

    sent()
