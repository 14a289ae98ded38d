"""GET services and service definitions: the public categories of the catalog, their
extra questions as attributes, in Chinese or English."""

from __future__ import annotations

import pytest

from tests.open311 import (
    FORMATS,
    City,
    get,
)


@pytest.mark.parametrize("format", FORMATS)
def test_services_list_the_public_categories_with_their_required_fields(
    city: City, format: str
) -> None:
    services = get(city.server, "services", format).body
    codes = [s["service_code"] for s in services]
    public = [c.code for c in city.app.catalog.categories() if c.public]
    assert codes == public and "E0601" not in codes and "E0801" not in codes
    for service in services:
        assert service["service_name"] and service["type"] == "realtime"
        assert service["metadata"] in ("true", "false") and service["group"]
    asking = {s["service_code"] for s in services if s["metadata"] == "true"}
    assert {"C0101", "C0201", "E0101"} <= asking and "E0102" not in asking


def test_services_speak_english_to_a_client_that_prefers_it(city: City) -> None:
    first = get(city.server, "services", "json", language="en-GB,zh;q=0.5").body[0]
    assert first["service_name"] == "water supply manhole cover"
    assert first["group"] == "public facilities"
    assert get(city.server, "services", "json").body[0]["service_name"] == "上水井盖"


@pytest.mark.parametrize("format", FORMATS)
def test_a_service_definition_lists_its_questions_as_attributes(city: City, format: str) -> None:
    found = get(city.server, "services/C0201", format, language="en").body
    assert found["service_code"] == "C0201"
    state, pole = found["attributes"]
    assert state["variable"] == "true" and state["datatype"] == "singlevaluelist"
    assert (state["code"], state["required"], state["order"]) == ("light_state", "false", "1")
    assert state["values"][0] == {"key": "off", "name": "off at night"}
    assert (pole["datatype"], pole["order"], pole["values"]) == ("string", "2", [])
    assert pole["datatype_description"].startswith("the number painted")
    assert get(city.server, "services/E0102", format).body["attributes"] == []


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("code", ["X9999", "E0601"])
def test_an_unknown_or_hidden_service_is_404(city: City, format: str, code: str) -> None:
    answer = get(city.server, f"services/{code}", format)
    assert answer.status == 404
    assert answer.body == [{"code": "404", "description": f"service_code {code} was not found: "
                            f"see services.{format}"}]  # fmt: skip
