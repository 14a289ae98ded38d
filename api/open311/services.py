"""GET services and GET a service definition: the catalog's public categories as
service types (service_code = the category code, group = its major class), and the
extra questions of those that ask some as attributes."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.open311.endpoint import Call, endpoint
from api.open311.formats import Items, render
from domain.catalog import Category, Question


@endpoint
async def service_list(call: Call) -> Response:
    shown = [_service(call, category) for category in call.catalog.categories() if category.public]
    return render("services", Items("service", shown), call.format)


@endpoint
async def service_definition(call: Call) -> Response:
    category = call.service(call.request.path_params["code"])
    attributes = [_attribute(call, q, order) for order, q in enumerate(category.questions, 1)]
    definition = {"service_code": category.code, "attributes": Items("attribute", attributes)}
    return render("service_definition", definition, call.format)


def _service(call: Call, category: Category) -> dict[str, Any]:
    language, other = call.language, "en" if call.language == "zh" else "zh"
    return {
        "service_code": category.code,
        "service_name": category.name.text(language),
        "description": category.filing_condition.text(language),
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": ", ".join(
            (category.name.text(other), category.major.name.text(language), category.code)
        ),
        "group": category.major.name.text(language),
    }


def _attribute(call: Call, question: Question, order: int) -> dict[str, Any]:
    language = call.language
    return {
        "variable": True,
        "code": question.code,
        "datatype": question.datatype.value,
        "required": question.required,
        "datatype_description": question.hint.text(language) if question.hint else None,
        "order": order,
        "description": question.description.text(language),
        "values": Items(
            "value", [{"key": c.key, "name": c.name.text(language)} for c in question.choices]
        ),
    }
