"""Places of the district for Open311: the address shown for a request (its street,
community and grid, from the grid map view) and the point of an `address_string` or
`address_id`, since GeoReport v2 lets a client send either instead of lat and long.

An `address_id` is a grid code (15 digits). An `address_string` is located by the most
precise place it names: a grid code in it, else the community, else the street whose
name (Chinese or English) it holds. The report is then placed at a point inside that
area (shapely's representative point) and keeps the address in the reporter's words:
the on-site check (核实) of every public report finds the exact spot. An address naming
no place of the district is refused: send lat and long."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from threading import Lock

from shapely import unary_union
from shapely.geometry import shape

from domain.grids.geometry import Point
from projections import grid_map
from projections.store import ViewStore

_GRID_CODE = re.compile(r"(?<!\d)\d{15}(?!\d)")


@dataclass(frozen=True)
class Place:
    code: str
    name_zh: str
    name_en: str


class Places:
    """The map's names and shapes as of one position of the grid map view."""

    def __init__(self, store: ViewStore) -> None:
        self.areas = {
            a.code: Place(a.code, a.name_zh, a.name_en) for a in grid_map.area_list(store)
        }
        self.shapes = {s.code: s for s in grid_map.shapes(store)}
        self.grids = {c: Place(c, s.name_zh, s.name_en) for c, s in self.shapes.items()}
        named = [p for p in self.areas.values() if len(p.code) > 6]  # streets, communities
        self._by_name = sorted(
            ((name, p) for p in named for name in (p.name_zh, p.name_en.lower()) if name),
            key=lambda found: (-len(found[1].code), -len(found[0])),
        )

    def address(self, grid: str, language: str) -> str:
        """The street, community and grid of a grid code, most precise first in English
        (Grid 1, Duofuxiang, Donghuamen), as written in Chinese (东华门街道多福巷社区第1网格)."""
        parts = [self.areas.get(grid[:9]), self.areas.get(grid[:12]), self.grids.get(grid)]
        if language == "en":
            return ", ".join(p.name_en for p in reversed(parts) if p is not None)
        return "".join(p.name_zh for p in parts if p is not None)

    def grid_point(self, code: str) -> Point | None:
        """A point inside a current grid."""
        return self._inside([code]) if code in self.shapes else None

    def locate(self, address: str) -> Point | None:
        """A point in the most precise place `address` names; None if it names none."""
        for code in _GRID_CODE.findall(address):
            if code in self.shapes:
                return self._inside([code])
        lowered = address.lower()
        for name, place in self._by_name:
            if name in lowered or name in address:
                codes = [c for c in self.shapes if c.startswith(place.code)]
                if codes:
                    return self._inside(codes)
        return None

    def _inside(self, codes: list[str]) -> Point:
        area = unary_union([shape(self.shapes[c].geometry) for c in codes])
        inside = area.representative_point()
        return Point(float(inside.x), float(inside.y))


class Gazetteer:
    """Places, read again from the grid map view once they are `max_age` seconds old: the
    map changes when an admin redraws it, not while requests come in."""

    def __init__(self, max_age: float = 60.0) -> None:
        self.max_age = max_age
        self._lock = Lock()
        self._cached: tuple[float, Places] | None = None

    def places(self, store: ViewStore) -> Places:
        with self._lock:
            now = time.monotonic()
            if self._cached is None or now - self._cached[0] > self.max_age:
                self._cached = (now, Places(store))
            return self._cached[1]
