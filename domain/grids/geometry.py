"""Points and boundary rings as plain values, so events stay plain JSON."""

from __future__ import annotations

from dataclasses import dataclass

Ring = tuple[tuple[float, float], ...]
"""A closed boundary ring of (lon, lat) pairs; the first pair repeats at the end."""


@dataclass(frozen=True)
class Point:
    """A WGS-84 location (longitude, latitude in degrees)."""

    lon: float
    lat: float

    def __str__(self) -> str:
        return f"({self.lat:.6f} N, {self.lon:.6f} E)"
