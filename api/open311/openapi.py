"""The OpenAPI 3.0 description of the Open311 endpoint, served at
/open311/v2/openapi.json: every resource in both formats, their parameters, the JSON
shapes of the answers and the error array. The test suite fuzzes the endpoint from it
(tests/integration/test_open311_fuzz.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from api.open311.discovery import PATH
from api.open311.requests import KNOWN_STATUSES, MAX_DESCRIPTION, PAGE_SIZE
from projections.open311 import STATUSES

_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": "string", "nullable": True}
_INSTANT = {"type": "string", "format": "date-time"}
_NULLABLE_INSTANT = {**_INSTANT, "nullable": True}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _object(needed: list[str], /, **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": needed, "properties": properties}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema or _TEXT}


_FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "The answer's format.",
    "schema": {"type": "string", "enum": ["xml", "json"]},
}
_JURISDICTION = _query("jurisdiction_id", "Optional: the district's code (110101).")
_PAGE = [
    _query("page", "The page, from 1 (extension).", {"type": "integer", "minimum": 1}),
    _query(
        "page_size",
        "Requests a page (extension).",
        {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE},
    ),
]
_DATES = [
    _query("start_date", "Earliest instant, W3C with its zone, years 1900 to 8999.", _INSTANT),
    _query("end_date", "Latest instant, at most 90 days after start_date.", _INSTANT),
]

SCHEMAS: dict[str, Any] = {
    "Error": _object(["code", "description"], code=_TEXT, description=_TEXT),
    "Errors": _list(_ref("Error")),
    "Discovery": _object(
        ["changeset", "contact", "key_service", "endpoints"],
        changeset=_TEXT,
        contact=_TEXT,
        key_service=_TEXT,
        endpoints=_list(
            _object(
                ["specification", "url", "changeset", "type", "formats"],
                specification=_TEXT,
                url=_TEXT,
                changeset=_TEXT,
                type={"type": "string", "enum": ["production", "test"]},
                formats=_list(_TEXT),
            )
        ),
    ),
    "Service": _object(
        ["service_code", "service_name", "metadata", "type"],
        service_code=_TEXT,
        service_name=_TEXT,
        description=_TEXT,
        metadata={"type": "boolean"},
        type={"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        keywords=_TEXT,
        group=_TEXT,
    ),
    "ServiceDefinition": _object(
        ["service_code", "attributes"],
        service_code=_TEXT,
        attributes=_list(
            _object(
                ["variable", "code", "datatype", "required", "order", "description"],
                variable={"type": "boolean"},
                code=_TEXT,
                datatype={
                    "type": "string",
                    "enum": [
                        "string",
                        "number",
                        "datetime",
                        "text",
                        "singlevaluelist",
                        "multivaluelist",
                    ],
                },
                required={"type": "boolean"},
                datatype_description=_NULLABLE_TEXT,
                order={"type": "integer", "minimum": 1},
                description=_TEXT,
                values=_list(_object(["key", "name"], key=_TEXT, name=_TEXT)),
            )
        ),
    ),
    "Note": _object(
        ["update_id", "datetime", "type", "status", "description"],
        update_id=_TEXT,
        datetime=_INSTANT,
        type=_TEXT,
        status=_TEXT,
        description=_TEXT,
        media_url=_NULLABLE_TEXT,
    ),
    "ServiceRequest": _object(
        [
            "service_request_id",
            "status",
            "service_name",
            "service_code",
            "requested_datetime",
            "updated_datetime",
            "lat",
            "long",
        ],
        service_request_id=_TEXT,
        status={"type": "string", "enum": ["open", "closed"]},
        status_notes=_NULLABLE_TEXT,
        service_name=_TEXT,
        service_code=_TEXT,
        description=_TEXT,
        agency_responsible=_NULLABLE_TEXT,
        service_notice=_NULLABLE_TEXT,
        requested_datetime=_INSTANT,
        updated_datetime=_INSTANT,
        expected_datetime=_NULLABLE_INSTANT,
        address=_NULLABLE_TEXT,
        address_id=_NULLABLE_TEXT,
        zipcode=_NULLABLE_TEXT,
        lat={"type": "number"},
        long={"type": "number"},
        media_url=_NULLABLE_TEXT,
        extended_attributes=_object(["status"], status={"type": "string", "enum": list(STATUSES)}),
        notes=_list(_ref("Note")),
    ),
    "PostedRequest": _object(
        ["service_request_id"], service_request_id=_TEXT, service_notice=_NULLABLE_TEXT
    ),
    "RequestUpdate": _object(
        ["update_id", "service_request_id", "status", "updated_datetime"],
        update_id=_TEXT,
        service_request_id=_TEXT,
        status={"type": "string", "enum": list(STATUSES)},
        updated_datetime=_INSTANT,
        description=_TEXT,
        media_url=_NULLABLE_TEXT,
    ),
}


def _answer(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}, "text/xml": {"schema": _TEXT}},
    }


_ERRORS = {
    "400": _answer(_ref("Errors"), "The request cannot be served as asked."),
    "404": _answer(_ref("Errors"), "Not found: the resource, service_code or jurisdiction_id."),
}


def _get(summary: str, schema: dict[str, Any], *parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [_FORMAT, _JURISDICTION, *parameters],
            "responses": {"200": _answer(schema, summary), **_ERRORS},
        }
    }


_POSTED_FIELDS: dict[str, Any] = {
    "api_key": {**_TEXT, "description": "The Open311 client's key (gridcenter open311 key)."},
    "service_code": _TEXT,
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "address_string": {**_TEXT, "description": "A street, community or grid of the district."},
    "address_id": {**_TEXT, "description": "A grid code (15 digits)."},
    "email": {**_TEXT, "description": "Not recorded."},
    "device_id": {**_TEXT, "description": "Not recorded."},
    "account_id": {**_TEXT, "description": "Not recorded."},
    "first_name": {**_TEXT, "description": "Personal data: never shown in public."},
    "last_name": {**_TEXT, "description": "Personal data: never shown in public."},
    "phone": {**_TEXT, "description": "Personal data: never shown in public."},
    "description": {**_TEXT, "maxLength": MAX_DESCRIPTION},
    "media_url": _TEXT,
}


def document(server: str, codes: Sequence[str] = ()) -> dict[str, Any]:
    """The description; `codes`: the service codes there are (the catalog's public ones)."""
    code = {"type": "string", "enum": list(codes)} if codes else _TEXT
    request_filters = [
        _query("service_request_id", "Comma-separated request ids: overrides every filter."),
        _query("service_code", "Comma-separated service codes."),
        *_DATES,
        _query("status", f"Comma-separated: {', '.join(KNOWN_STATUSES)}."),
        *_PAGE,
        _query("extensions", "true: each request's notes (extension).", {"type": "boolean"}),
    ]
    post = {
        "summary": "Report a problem (上报) through the Open311 channel.",
        "parameters": [_FORMAT],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["api_key", "service_code"],
                        "properties": {**_POSTED_FIELDS, "service_code": code},
                        "additionalProperties": {
                            "type": "string",
                            "description": "attribute[CODE] or attribute[CODE][]: answers",
                        },
                    }
                }
            },
        },
        "responses": {
            "200": _answer(_list(_ref("PostedRequest")), "The request's id."),
            "403": _answer(_ref("Errors"), "api_key missing or not valid."),
            **_ERRORS,
        },
    }
    paths = {
        f"{PATH}/discovery.{{format}}": _get("Service discovery.", _ref("Discovery")),
        f"{PATH}/services.{{format}}": _get("Service types.", _list(_ref("Service"))),
        f"{PATH}/services/{{service_code}}.{{format}}": _get(
            "A service's definition: its extra questions.",
            _ref("ServiceDefinition"),
            {"name": "service_code", "in": "path", "required": True, "schema": code},
        ),
        f"{PATH}/requests.{{format}}": {
            **_get("Service requests.", _list(_ref("ServiceRequest")), *request_filters),
            "post": post,
        },
        f"{PATH}/requests/{{service_request_id}}.{{format}}": _get(
            "One service request.",
            _list(_ref("ServiceRequest")),
            {
                "name": "service_request_id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[0-9]{1,6}$"},
            },
            _query("extensions", "true: its notes (extension).", {"type": "boolean"}),
        ),
        f"{PATH}/servicerequestupdates.{{format}}": _get(
            "Updates of service requests, in log order (extension).",
            _list(_ref("RequestUpdate")),
            *_DATES,
            _query("after", "An update_id: only later updates.", {"type": "integer", "minimum": 0}),
            *_PAGE,
        ),
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "gridcenter Open311 GeoReport v2",
            "version": "2",
            "description": "GeoReport v2 with the page, extensions and servicerequestupdates "
            "extensions. Every resource answers XML or JSON by its extension.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }


async def openapi(request: Request) -> JSONResponse:
    catalog = request.app.state.services.app.catalog
    codes = [c.code for c in catalog.categories() if c.public]
    return JSONResponse(document(str(request.base_url).rstrip("/"), codes))
