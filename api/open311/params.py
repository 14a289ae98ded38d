"""The parameters of a GeoReport v2 request: the query string and, for a POST, the
urlencoded body (UTF-8). A parameter sent empty counts as absent, as the spec asks; a
list parameter may be comma-separated, repeated, or both."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from api.open311.errors import BadRequest

MAX_FIELDS = 200
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)
"""The instants a date may name: far enough inside what a datetime holds that a span of
days from either end (a window of 90 days, a zone's offset) stays inside it too."""
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]*)\](\[\])?")
_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


class Params:
    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.values: dict[str, list[str]] = {}
        for name, value in pairs:
            if "\x00" in name or "\x00" in value:  # %00: no text of the practice holds one
                raise BadRequest("a request may not hold a NUL character")
            if value.strip():
                self.values.setdefault(name, []).append(value)

    @classmethod
    def of(cls, query: str, body: bytes = b"") -> Params:
        try:
            text = body.decode("utf-8")
            pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS)
            pairs += parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
        except UnicodeDecodeError:
            raise BadRequest("the request is not UTF-8") from None
        except ValueError:
            raise BadRequest(f"a request holds {MAX_FIELDS} parameters at most") from None
        return cls(pairs)

    def text(self, name: str, longest: int = 1000) -> str | None:
        values = self.values.get(name)
        if not values:
            return None
        if len(values) > 1:
            raise BadRequest(f"{name} is given {len(values)} times: give it once")
        value = values[0].strip()
        if len(value) > longest:
            raise BadRequest(f"{name} holds {longest:,} characters at most, not {len(value):,}")
        return value

    def texts(self, name: str) -> list[str]:
        """A list: comma-separated, repeated, or both; blanks dropped, order kept."""
        found = [part.strip() for value in self.values.get(name, ()) for part in value.split(",")]
        return list(dict.fromkeys(part for part in found if part))

    def number(self, name: str, low: float, high: float) -> float | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            value = float(text)
        except ValueError:
            raise BadRequest(f"{name} must be a number, not {text!r}") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise BadRequest(f"{name} must be a number from {low:g} to {high:g}, not {text}")
        return value

    def integer(self, name: str, low: int, high: int) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            raise BadRequest(
                f"{name} must be a whole number from {low:,} to {high:,}, not {text!r}"
            )
        return int(text)

    def instant(self, name: str) -> datetime | None:
        """A W3C date and time with its zone, e.g. 2010-01-01T00:00:00Z."""
        text = self.text(name)
        if text is None:
            return None
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            at = None
        if at is None or at.utcoffset() is None or "T" not in text.upper():
            raise BadRequest(
                f"{name} must be a date and time with its zone, as 2010-01-01T00:00:00Z "
                f"or 2010-01-01T08:00:00+08:00, not {text!r}"
            )
        if not EARLIEST <= at < LATEST:
            raise BadRequest(f"{name} must fall in the years 1900 to 8999, not {text!r}")
        return at

    def flag(self, name: str) -> bool:
        text = self.text(name)
        if text is None:
            return False
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise BadRequest(f"{name} must be true or false, not {text!r}")

    def attributes(self) -> dict[str, list[str]]:
        """attribute[CODE]=value and attribute[CODE][]=value (several for a multiple
        choice), by code."""
        answers: dict[str, list[str]] = {}
        for name, values in self.values.items():
            if not name.startswith("attribute"):
                continue
            match = _ATTRIBUTE.fullmatch(name)
            if match is None or not match.group(1):
                raise BadRequest(f"{name!r} is not attribute[CODE] or attribute[CODE][]")
            answers.setdefault(match.group(1), []).extend(v.strip() for v in values)
        return answers
