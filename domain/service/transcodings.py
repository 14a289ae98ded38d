"""How the value objects inside events are stored: small JSON objects tagged with a
stable name (`{"_type_": "actor", "_data_": {...}}`). These names are part of the
stored form of events; never rename one without a decoder for the old name."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.deadlines import Limit
from domain.grids.geometry import Point
from domain.staff import Actor
from domain.visits import Need


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, object]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Actor:
        return Actor.from_dict(data)


class PointAsPair(Transcoding):
    type = Point
    name = "point"

    def encode(self, obj: Point) -> list[float]:
        return [obj.lon, obj.lat]

    def decode(self, data: list[float]) -> Point:
        return Point(lon=float(data[0]), lat=float(data[1]))


class LimitAsText(Transcoding):
    type = Limit
    name = "limit"

    def encode(self, obj: Limit) -> str:
        return f"{obj.amount} {obj.unit.value}"

    def decode(self, data: str) -> Limit:
        return Limit.parse(data)


class NeedAsDict(Transcoding):
    type = Need
    name = "need"

    def encode(self, obj: Need) -> dict[str, str]:
        return obj.to_dict()

    def decode(self, data: dict[str, str]) -> Need:
        return Need.from_dict(data)


def register_value_objects(transcoder: JSONTranscoder) -> None:
    for transcoding in (ActorAsDict(), PointAsPair(), LimitAsText(), NeedAsDict()):
        transcoder.register(transcoding)
