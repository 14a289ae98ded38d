"""Events as the views read them: the stored form (infra/event_store/README.md) decoded
lazily. A view touches a few fields of an event, so fields are converted only when
asked for; that keeps a rebuild close to the speed of reading the log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson

from projections.periods import CST

StoredRow = tuple[int, str, int, str, bytes]
"""(position, originator id as 32 hex digits, originator version, topic, state)"""


class Record:
    """One event of the log under its public name (`CaseDispatched`)."""

    __slots__ = ("_at", "_day", "data", "id", "name", "position", "version")
    _at: datetime | None
    _day: str | None

    def __init__(self, position: int, name: str, id: str, version: int, data: Mapping[str, Any]):
        self.position, self.name, self.id, self.version = position, name, id, version
        self.data, self._at, self._day = data, None, None

    def __repr__(self) -> str:
        return f"Record({self.position}, {self.name}, {self.id[:8]}…/{self.version})"

    def __getitem__(self, field: str) -> Any:
        """A plain field (text, number, flag, list of plain values) as stored."""
        return self.data[field]

    def get(self, field: str, default: Any = None) -> Any:
        return self.data.get(field, default)

    @property
    def at(self) -> datetime:
        """The business instant of the event (UTC)."""
        if self._at is None:
            self._at = datetime.fromisoformat(self.data["at"]["_data_"])
        return self._at

    @property
    def day(self) -> str:
        """The local (China Standard Time) day of the event, 'YYYY-MM-DD'. Kept: several
        views of a rebuild ask for it of the same event."""
        if self._day is None:
            stamp: str = self.data["at"]["_data_"]
            if stamp.endswith("+00:00"):  # in UTC, as recorded: the UTC hour gives the day
                self._day = _local_day_of_hour(stamp[:13])
            else:
                self._day = _local_day(stamp)
        return self._day

    def time(self, field: str) -> datetime | None:
        value = self.data.get(field)
        return None if value is None else datetime.fromisoformat(value["_data_"])

    @property
    def by(self) -> Mapping[str, Any]:
        """Who acted: id, name, role, area (prefixes), department."""
        by: Mapping[str, Any] = self.data["by"]["_data_"]
        return by

    def point(self, field: str) -> tuple[float, float]:
        """A location as (lon, lat)."""
        lon, lat = self.data[field]["_data_"]
        return float(lon), float(lat)

    def limit(self, field: str) -> tuple[int, str]:
        """A handling limit as (amount, unit), e.g. (4, 'work_hours')."""
        amount, unit = self.data[field]["_data_"].split(" ")
        return int(amount), unit


@lru_cache(maxsize=1 << 16)
def _local_day(stamp: str) -> str:
    """Cached by the stored text: a survey records thousands of events at one instant."""
    return datetime.fromisoformat(stamp).astimezone(CST).date().isoformat()


@lru_cache(maxsize=1 << 16)
def _local_day_of_hour(hour: str) -> str:
    """The local day of a UTC hour ('2026-03-01T17'): China Standard Time is a whole number
    of hours ahead, so every instant of the hour falls on that day. Cached by the hour, as
    events of one hour are many and their instants all differ."""
    return datetime.fromisoformat(f"{hour}:00+00:00").astimezone(CST).date().isoformat()


def decode(row: StoredRow) -> Record:
    position, originator, version, topic, state = row
    return Record(position, topic[topic.rfind(".") + 1 :], originator, version, orjson.loads(state))


def name_of(topic: str) -> str:
    """The public name an event class's topic ends with."""
    return topic[topic.rfind(".") + 1 :]
