"""Open311 GeoReport v2 at /open311/v2, for resident-facing 311 apps and other cities'
tools: discovery, services (the catalog's public categories; service definitions for
those with extra questions), requests (GET many and one, POST one) and the widely used
extensions — page / page_size, extensions=true (each request's notes: its public steps)
and servicerequestupdates (update_id = the step's position in the log). Every resource
answers XML or JSON by its extension (`requests.xml`, `requests.json`), UTF-8, times
with their zone, ids and codes as text, errors as the spec's error array with 400, 403
or 404. An OpenAPI description is served at /open311/v2/openapi.json.

Reading needs no key. Posting needs an api_key: a bearer token issued to an Open311
client (a staff entry with the public role; `gridcenter open311 key`), sent as the
api_key parameter or an `Authorization: Bearer` header. A POST records CaseReported
through the open311 channel, so the report waits for the grid worker's on-site check
(核实) like every public report. The resident's name and phone (first_name, last_name,
phone) are kept as the report's personal data, shown to nobody in public; email,
device_id and account_id are not recorded.

Statuses: open / closed and the extended statuses (investigating, in_progress, fixed,
duplicate, not_councils_responsibility, no_further_action) follow the loop's stages as
projections/open311 lays out. Only cases of public categories are shown, and never
those raised on household visits; no output holds a reporter's contact data.
"""

from starlette.routing import Mount, Route

from api.open311.discovery import PATH, discovery
from api.open311.errors import HANDLERS
from api.open311.openapi import openapi
from api.open311.requests import request_list, request_one, request_post
from api.open311.services import service_definition, service_list
from api.open311.updates import update_list

routes = [
    Mount(
        PATH,
        routes=[
            Route("/discovery.{format}", discovery, methods=["GET"]),
            Route("/services.{format}", service_list, methods=["GET"]),
            Route("/services/{code}.{format}", service_definition, methods=["GET"]),
            Route("/requests.{format}", request_list, methods=["GET"]),
            Route("/requests.{format}", request_post, methods=["POST"]),
            Route("/requests/{id}.{format}", request_one, methods=["GET"]),
            Route("/servicerequestupdates.{format}", update_list, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
        ],
    )
]

exception_handlers = HANDLERS
"""Starlette's 404 and 405 under /open311/ as the spec's error array."""

__all__ = ["exception_handlers", "routes"]
