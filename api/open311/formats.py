"""Answers in both of GeoReport v2's formats from one value: XML (root element, items
named, `<?xml …encoding="utf-8"?>`) and JSON after the Spark convention (a list of items
is an array; a document is an object). Both UTF-8; times with their zone; ids and codes as
text; lat and long as numbers; true and false as booleans."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

import orjson
from starlette.responses import Response

from projections.periods import CST

FORMATS = ("xml", "json")
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, even escaped."""


@dataclass(frozen=True)
class Items:
    """A list: in XML each item is an element `name`; in JSON an array."""

    name: str
    values: Sequence[Any]


Document = Mapping[str, Any] | Items


def render(root: str, value: Document, format: str, status: int = 200) -> Response:
    """`value` as the answer in `format` ('xml' or 'json'); `root` names XML's root."""
    if format == "json":
        return Response(orjson.dumps(_json(value)), status, media_type=JSON_TYPE)
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + _element(root, value)
    return Response(body.encode("utf-8"), status, media_type=XML_TYPE)


def instant(at: datetime | None) -> str | None:
    """W3C date and time with the district's offset, e.g. 2026-03-09T10:10:00+08:00."""
    return None if at is None else at.astimezone(CST).isoformat(timespec="seconds")


def _json(value: Any) -> Any:
    if isinstance(value, Items):
        return [_json(v) for v in value.values]
    if isinstance(value, Mapping):
        return {key: _json(v) for key, v in value.items()}
    if isinstance(value, datetime):
        return instant(value)
    return value


def _element(name: str, value: Any) -> str:
    if value is None:
        return f"<{name}/>"
    if isinstance(value, Items):
        inner = "".join(_element(value.name, v) for v in value.values)
    elif isinstance(value, Mapping):
        inner = "".join(_element(key, v) for key, v in value.items())
    else:
        inner = escape(_NOT_XML.sub("", _text(value)))
    return f"<{name}>{inner}</{name}>"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return instant(value) or ""
    return str(value)
