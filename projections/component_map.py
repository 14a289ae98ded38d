"""The component map (部件地图): every city component registered — manhole covers, street
lights, hydrants, bins, trees — with its point, grid, category and state, for the map's
components layer.

Rules:
- A component is intact when registered; faulty from the filing of a case against it
  (ComponentFaultFound, with the case number) until a fix repairs it (intact again) or
  removes it (removed, kept on the map greyed).
- Rows are keyed by the component's aggregate id: the later events name only that.
- Notices name the component code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table, changed, row_type

name = "component_map"
version = 1

INTACT, FAULTY, REMOVED = "intact", "faulty", "removed"
STATES = (INTACT, FAULTY, REMOVED)


@row_type
class ComponentRow:
    id: str
    code: str
    category: str
    lon: float
    lat: float
    grid: str
    owner: str
    state: str
    changed_at: datetime
    open_case: int | None = None


components = Table("component_map", ComponentRow, key=("id",))
tables = (components,)
events = frozenset(
    {"ComponentRegistered", "ComponentFaultFound", "ComponentRepaired", "ComponentRemoved"}
)


def apply(record: Record, rows: Rows) -> None:
    if record.name == "ComponentRegistered":
        lon, lat = record.point("location")
        row = ComponentRow(
            id=record.id,
            code=record["code"],
            category=record["category"],
            lon=lon,
            lat=lat,
            grid=record["grid"],
            owner=record["owner"],
            state=INTACT,
            changed_at=record.at,
        )
        rows.put(components, row)
        rows.tell(name, row.code)
        return
    found: ComponentRow | None = rows.get(components, (record.id,))
    if found is None:
        return
    match record.name:
        case "ComponentFaultFound":
            now = changed(found, state=FAULTY, open_case=record["case"], changed_at=record.at)
        case "ComponentRepaired":
            now = changed(found, state=INTACT, open_case=None, changed_at=record.at)
        case _:  # ComponentRemoved
            now = changed(found, state=REMOVED, open_case=None, changed_at=record.at)
    rows.put(components, now)
    rows.tell(name, found.code)


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A WGS-84 bounding box: what the map shows."""

    west: float
    south: float
    east: float
    north: float


def located(
    store: ViewStore,
    area: str = "",
    states: tuple[str, ...] = (),
    box: Box | None = None,
    limit: int | None = None,
) -> list[ComponentRow]:
    """The components under an area code, in the states asked for (all if none), inside a
    box if given, by code; at most `limit`."""
    where = [Where("grid", "prefix", area)] if area else []
    if states:
        where.append(Where("state", "in", states))
    if box is not None:
        where += [
            Where("lon", ">=", box.west),
            Where("lon", "<=", box.east),
            Where("lat", ">=", box.south),
            Where("lat", "<=", box.north),
        ]
    found = store.select(components, Page(tuple(where), order="code", limit=limit))
    return list(found)
