"""Service discovery (required by GeoReport v2): where the endpoint is, the formats it
speaks, whom to ask and how to get an api key."""

from __future__ import annotations

from starlette.responses import Response

from api.open311.endpoint import Call, endpoint
from api.open311.formats import JSON_TYPE, XML_TYPE, Items, render

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
PATH = "/open311/v2"
CHANGESET = "2026-03-09T00:00:00+08:00"
"""When this endpoint's shape last changed (the catalog has its own edition)."""


@endpoint
async def discovery(call: Call) -> Response:
    base = str(call.request.base_url).rstrip("/") + PATH
    changeset = f"{CHANGESET} catalog {call.catalog.version}"
    endpoint_ = {
        "specification": SPECIFICATION,
        "url": base,
        "changeset": changeset,
        "type": "production",
        "formats": Items("format", [XML_TYPE.split(";")[0], JSON_TYPE.split(";")[0]]),
    }
    document = {
        "changeset": changeset,
        "contact": "The district's command center (指挥中心); the OpenAPI description of this "
        f"endpoint is at {base}/openapi.json",
        "key_service": "An admin issues an api key with `gridcenter open311 key <client code> "
        '--name "<app name>"` (see the README, Open311)',
        "endpoints": Items("endpoint", [endpoint_]),
    }
    return render("discovery", document, call.format)
