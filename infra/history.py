"""Reading the log for people: entries with position, time, event, subject, actor and
what happened — personal data masked, boundaries abbreviated."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import islice
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from domain.cases import case_id
from domain.events import PERSONAL, topics_of
from domain.service import GridCenter
from domain.staff import Actor

_PLUMBING = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "by", "at", "number"}
)
"""Shown elsewhere in the entry (subject, actor, time) or not worth a reader's eye."""
_PAGE = 1000


@dataclass(frozen=True)
class Entry:
    position: int
    name: str
    at: datetime | None
    by: Actor | None
    subject: str
    details: str


@dataclass(frozen=True)
class Query:
    """Which part of the log to read."""

    after: int = 0
    limit: int | None = 100
    last: int | None = None  # the most recent N instead of reading forwards
    case: int | None = None
    names: tuple[str, ...] = ()
    actor: str | None = None


class History:
    """Turns notifications into entries, remembering which aggregate is which case."""

    def __init__(self, app: GridCenter, zone: tzinfo) -> None:
        self.app, self.zone = app, zone
        self._subjects: dict[UUID, str] = {}

    def read(self, query: Query) -> Iterator[Entry]:
        entries = self._entries(query)
        if query.last is not None:
            yield from deque(entries, maxlen=query.last)
        else:
            yield from islice(entries, query.limit)

    def _entries(self, query: Query) -> Iterator[Entry]:
        for notification in self._notifications(query):
            event = self.app.mapper.to_domain_event(notification)
            by = getattr(event, "by", None)
            if query.actor is None or (by is not None and by.id == query.actor):
                yield self._entry(notification.id, event)

    def _notifications(self, query: Query) -> Iterator[Notification]:
        topics = topics_of(list(query.names)) if query.names else []
        if query.case is not None:
            history = self.app.store.select_history(case_id(query.case), after=query.after)
            if not history:
                raise LookupError(f"case {query.case} does not exist")
            yield from (n for n in history if not topics or n.topic in topics)
            return
        start = query.after
        if query.last is not None and not topics and query.actor is None:
            start = max(start, (self.app.recorder.max_notification_id() or 0) - query.last)
        while True:
            page = self.app.recorder.select_notifications(
                start=start, limit=_PAGE, topics=topics, inclusive_of_start=False
            )
            yield from page
            if len(page) < _PAGE:
                return
            start = page[-1].id

    def _entry(self, position: int, event: Any) -> Entry:
        at = getattr(event, "at", None)
        return Entry(
            position=position,
            name=type(event).__name__,
            at=at.astimezone(self.zone) if isinstance(at, datetime) else None,
            by=getattr(event, "by", None),
            subject=self._subject(event),
            details=describe(event, self.zone),
        )

    def _subject(self, event: Any) -> str:
        """'case 42', 'household 1101…0001', … named by the aggregate's first event."""
        subject = self._subjects.get(event.originator_id)
        if subject is None:
            created = next(iter(self.app.events.get(event.originator_id, limit=1)), event)
            kind = type(created).__qualname__.split(".")[0].lower()
            ident = next(
                (getattr(created, f) for f in ("number", "code", "key") if hasattr(created, f)),
                "",
            )
            subject = f"{kind} {ident}".strip()
            self._subjects[event.originator_id] = subject
        return subject


def describe(event: Any, zone: tzinfo) -> str:
    """The event's own fields that carry something, as 'name=value'; times in the
    district's zone, personal data masked."""
    return " ".join(
        f"{name}={_show(name, value, zone)}"
        for name, value in vars(event).items()
        if name not in _PLUMBING and value is not None
    )


_SHAPES: dict[str, Callable[[Any], str]] = {
    "boundary": lambda ring: f"<polygon of {len(ring) - 1} points>",
    "outline": lambda ring: f"<polygon of {len(ring) - 1} points>",
    "boundaries": lambda rings: f"<{len(rings)} polygons>",
}


def _show(name: str, value: Any, zone: tzinfo) -> str:
    if name in PERSONAL and value:
        return "•••"
    if name in _SHAPES:
        return _SHAPES[name](value)
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show("", v, zone) for v in value) + "]"
    text = str(value)
    return repr(text) if isinstance(value, str) and (" " in text or not text) else text
