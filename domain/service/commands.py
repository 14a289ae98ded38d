"""How a use case runs: decide on aggregates, then record their events in one
transaction — with a receipt when the client sent an idempotency key."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording
from eventsourcing.utils import EnvType

from domain.calendar import WorkCalendar
from domain.cases import Case, case_id
from domain.catalog import Catalog
from domain.errors import NotFound, VersionConflict
from domain.receipts import Receipt, receipt_id
from domain.service.transcodings import register_value_objects
from domain.staff import Actor


@dataclass(frozen=True)
class Change:
    """What a use case decided: the aggregate it is about and any others it touched."""

    subject: Aggregate
    others: tuple[Aggregate, ...] = ()
    number: int | None = None  # the number the command gave: a case's, a visit's


@dataclass(frozen=True)
class Recorded:
    """What a command left in the log."""

    id: UUID  # the aggregate the command was about
    version: int  # its version afterwards: the next expected_version
    positions: tuple[int, ...]  # log positions of its events; empty when nothing was due
    number: int | None = None
    replayed: bool = False  # an idempotent retry: the first result, nothing new recorded


class EventLog(Protocol):
    """What the application needs of infra's event store beyond the library's recorder."""

    def next_number(self, counter: str) -> int: ...

    def select_history(self, originator_id: UUID, after: int | None = None) -> list[Any]: ...


S = TypeVar("S", bound="ServiceBase")
P = ParamSpec("P")
A = TypeVar("A", bound=Aggregate)


def use_case(method: Callable[Concatenate[S, P], Change]) -> Callable[Concatenate[S, P], Recorded]:
    """Run a deciding method and record what it decided. Times are stored in UTC, so `at`
    is converted on the way in. A `key` argument (idempotency key) makes a retry return
    the first result; `at` is left out of the comparison so a client that re-stamps its
    retry is still recognised."""
    signature = inspect.signature(method)

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> Recorded:
        arguments = signature.bind(self, *args, **kwargs)
        arguments.apply_defaults()
        given = arguments.arguments
        at = given["at"]
        if isinstance(at, datetime) and at.utcoffset() is not None:
            given["at"] = at.astimezone(UTC)

        def decide() -> Change:
            return method(*arguments.args, **arguments.kwargs)

        if given.get("key") is None:
            return self.record(decide())
        content = {n: v for n, v in given.items() if n not in ("self", "key", "at")}
        fingerprint = self.fingerprint(method.__name__, content)
        return self.record_once(
            method.__name__, given["key"], fingerprint, given["by"], given["at"], decide
        )

    return run


class ServiceBase(Application[UUID]):
    """The application: catalog, calendar and district come in from the wiring."""

    def __init__(
        self,
        catalog: Catalog,
        calendar: WorkCalendar,
        district: str,
        warn_share: float = 0.8,
        env: EnvType | None = None,
    ) -> None:
        super().__init__(env)
        self.catalog, self.calendar, self.district = catalog, calendar, district
        self.warn_share = warn_share
        if not hasattr(self.recorder, "next_number"):
            raise TypeError("the event store must number cases: use infra.event_store")
        self.store = cast(EventLog, self.recorder)
        self._first_look = threading.Lock()
        self._looked: set[UUID] = set()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_objects(transcoder)

    # Recording --------------------------------------------------------------------------

    def record(self, change: Change) -> Recorded:
        try:
            recordings = self.write(change.subject, *change.others)
        except IntegrityError:
            raise _conflict(change) from None
        return _recorded(change, [r.notification.id for r in recordings])

    def record_once(
        self,
        command: str,
        key: str,
        fingerprint: str,
        by: Actor,
        at: datetime,
        decide: Callable[[], Change],
    ) -> Recorded:
        first = self._receipt(by, key)
        if first is not None:
            return self._replay(first, command, fingerprint)
        change = decide()
        count = sum(len(a.pending_events) for a in (change.subject, *change.others))
        receipt = Receipt(
            key=key,
            command=command,
            fingerprint=fingerprint,
            subject=change.subject.id,
            version=change.subject.version,
            number=change.number,
            events=count,
            by=by,
            at=at,
        )
        try:
            recordings = self.write(change.subject, *change.others, receipt)
        except IntegrityError:
            first = self._receipt(by, key)  # a concurrent retry may have won the race
            if first is None:
                raise _conflict(change) from None
            return self._replay(first, command, fingerprint)
        return _recorded(change, [r.notification.id for r in recordings[:-1]])

    def write(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        """The one place the application writes: every pending event of the aggregates in
        one transaction. (The library's `save` checks each object against runtime
        protocols, which costs more than the write itself when a survey registers
        thousands of households at once.)"""
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        return self.events.put(events)

    def fingerprint(self, command: str, content: dict[str, Any]) -> str:
        transcoder = self.mapper.transcoder
        known = transcoder.types if isinstance(transcoder, JSONTranscoder) else {}
        arguments = {name: _plain(value, known) for name, value in sorted(content.items())}
        encoded = transcoder.encode({"command": command, **arguments})
        return hashlib.sha256(encoded).hexdigest()

    def _receipt(self, by: Actor, key: str) -> Receipt | None:
        try:
            return cast(Receipt, self.repository.get(receipt_id(by.id, key)))
        except AggregateNotFoundError:
            return None

    def _replay(self, receipt: Receipt, command: str, fingerprint: str) -> Recorded:
        """The first result again. The receipt was written last in its command's batch and
        a batch takes consecutive positions, so the command's events stand just before it."""
        receipt.check(command, fingerprint)
        own = self.store.select_history(receipt.id)[0].id
        return Recorded(
            id=receipt.subject,
            version=receipt.version,
            positions=tuple(range(own - receipt.events, own)),
            number=receipt.number,
            replayed=True,
        )

    # Loading ----------------------------------------------------------------------------

    def load(self, kind: type[A], aggregate_id: UUID, name: str) -> A:
        """An aggregate for a command, or NotFound naming what was asked for."""
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"{name} does not exist") from None
        if not isinstance(found, kind):
            raise NotFound(f"{name} does not exist")
        return found

    def case(self, number: int, expected_version: int | None = None) -> Case:
        """A case for a command; `expected_version` guards against acting on a stale read."""
        case = self.load(Case, case_id(number), f"case {number}")
        check_version(f"case {number}", case, expected_version)
        return case

    def step(
        self, number: int, expected_version: int | None, decide: Callable[[Case], object]
    ) -> Change:
        """The usual case command: get the case, let it decide, hand back the change."""
        case = self.case(number, expected_version)
        decide(case)
        return Change(case, number=number)

    def peek(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """A read-only look (no copy) for lookups that decide nothing by themselves. A
        look while another thread brings the cached aggregate up to date takes it as it
        is rather than queue for the same read (every report looks the district's map
        up: waiting in line serialised them on one lock). The first look reads the
        whole history, so the looks that come meanwhile wait for it rather than each
        read it too: a burst of reports on a fresh node read the map's 1,400 events
        once for each, and held the node's commands for seconds."""
        if aggregate_id in self._looked:
            return self._peek(kind, aggregate_id)
        with self._first_look:
            found = self._peek(kind, aggregate_id)
            if found is not None:
                self._looked.add(aggregate_id)
            return found

    def _peek(self, kind: type[A], aggregate_id: UUID) -> A | None:
        try:
            found: Aggregate = self.repository.get(
                aggregate_id, deepcopy_from_cache=False, fastforward_skipping=True
            )
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None


def check_version(name: str, aggregate: Aggregate, expected: int | None) -> None:
    if expected is not None and aggregate.version != expected:
        raise VersionConflict(
            f"{name} is at version {aggregate.version}, not {expected}: "
            "someone changed it since you read it; read it again and retry"
        )


def _plain(value: Any, known: Collection[type]) -> Any:
    """A command's arguments as data the transcoder encodes, in a stable order: the plans
    of bulk commands (households, grids, staff) are dataclasses it has no transcoding
    for, so they become mappings; what it knows (an Actor, a Point) stays as it is."""
    if dataclasses.is_dataclass(value) and type(value) not in known:
        fields = dataclasses.fields(value)
        return {f.name: _plain(getattr(value, f.name), known) for f in fields}
    if isinstance(value, list | tuple):
        return [_plain(item, known) for item in value]
    if isinstance(value, dict):
        return {k: _plain(v, known) for k, v in value.items()}
    return value


def _conflict(change: Change) -> VersionConflict:
    subject = change.subject
    name = f"case {subject.number}" if isinstance(subject, Case) else type(subject).__name__
    return VersionConflict(
        f"{name} changed while this command was decided: read it again and retry"
    )


def _recorded(change: Change, positions: list[int]) -> Recorded:
    return Recorded(
        id=change.subject.id,
        version=change.subject.version,
        positions=tuple(positions),
        number=change.number,
    )
