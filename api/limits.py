"""What one request may ask: a bounded body, no NUL characters (no text of the practice
holds one, and PostgreSQL cannot store one in text), a bounded depth, number of aliases
and of tokens — a query cannot make the server do unbounded work. Parsed and validated
documents are cached: a wall of screens sends the same few queries all day."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext

from api.open311.errors import Open311Error, answer

MAX_BODY = 256 * 1024
"""Bytes of a request body: a mutation with a long description fits many times over."""
MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000
"""Enough for the introspection query GraphiQL and schemathesis send."""
NUL = re.compile(rb"\x00|\\+u0000", re.IGNORECASE)
"""A NUL byte, or one escaped in JSON (and in a GraphQL string inside JSON)."""
NUL_REFUSED = "a request may not hold a NUL character"


def extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories: strawberry makes each extension anew per request; the caches live at
    module level, shared by every request. The depth and alias limits are validation
    rules made once (LIMITS): the validation cache is keyed by the rules too, and the
    limiters make a rule class of their own each time they are made, so rules made per
    request would never find a document validated before."""
    return [
        lambda: AddValidationRules(LIMITS),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]


def _introspection(ignore: IgnoreContext) -> bool:
    return ignore.field_name.startswith("__")


LIMITS = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH, should_ignore=_introspection).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class RequestLimits:
    """ASGI middleware: 413 for a body over MAX_BODY, 400 for a NUL in the body or the
    query string, before GraphQL sees the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if NUL.search(scope.get("query_string", b"")):
            await _refuse(scope, 400, NUL_REFUSED)(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                reason = f"a request body may hold {MAX_BODY:,} bytes at most"
                await _refuse(scope, 413, reason)(scope, receive, send)
                return
        if NUL.search(body):
            await _refuse(scope, 400, NUL_REFUSED)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _refuse(scope: Scope, status: int, reason: str) -> Response:
    """Plain text; under /open311/ the error array its clients read (api/open311/errors)."""
    path: str = scope.get("path", "")
    if path.startswith("/open311/"):
        format = "json" if path.endswith(".json") else "xml"
        return answer(Open311Error(status, reason), format)
    return PlainTextResponse(reason, status_code=status)


def _replay(body: bytes, then: Receive) -> Receive:
    """The body read, once; then the client's own messages, so that a response that
    streams (a file) learns of a disconnect when it really happens, not at once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
