"""The exports' files: GeoJSON feature collections, and CSV with a header row; UTF-8,
times in ISO 8601 with the district's offset."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from starlette.responses import Response

from projections.periods import CST

GEOJSON = "application/geo+json"
CSV = "text/csv; charset=utf-8; header=present"


def geojson(features: list[dict[str, Any]]) -> Response:
    body = orjson.dumps({"type": "FeatureCollection", "features": features})
    return Response(body, media_type=GEOJSON)


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return Response(out.getvalue().encode("utf-8"), media_type=CSV)


FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet formula starts: text starting so is written after a ' (OWASP's
advice against CSV injection), since descriptions come from the public."""


def cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return "" if value is None else value


def instant(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(CST).isoformat(timespec="seconds")
