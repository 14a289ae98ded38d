"""Reading the Open311 view: service requests by the GeoReport v2 filters, one request,
the notes of some requests and the updates of all. The caller names the categories the
public may see (the catalog's `public` flag): nothing else is ever read."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.cases import case_id
from projections.open311.fold import RequestRow, UpdateRow, request_rows, update_rows
from projections.store import Page, ViewStore, Where

BASE = frozenset({"open", "closed"})


@dataclass(frozen=True)
class Query:
    """Which requests: `numbers` overrides every other filter but the public categories.
    `statuses` may mix open / closed with extended statuses: a request matches when its
    status is among the open / closed given (if any) and its extended status among the
    extended ones given (if any)."""

    public: Collection[str]  # the categories the public may see
    numbers: Sequence[int] = ()
    codes: Sequence[str] = ()  # of those, the ones asked for (all if empty)
    start: datetime | None = None  # reported at or after
    end: datetime | None = None  # reported at or before
    statuses: Sequence[str] = ()
    offset: int = 0
    limit: int = 1000


def requests(store: ViewStore, query: Query) -> list[RequestRow]:
    """The requests asked for, the latest reported first (or in the order of `numbers`)."""
    public = Where("category", "in", tuple(sorted(query.public)))
    if query.numbers:
        found = store.select(request_rows, Page((public, Where("number", "in", query.numbers))))
        by_number = {row.number: row for row in found}
        wanted = list(dict.fromkeys(query.numbers))[query.offset : query.offset + query.limit]
        return [by_number[n] for n in wanted if n in by_number]
    where = [public]
    if query.codes:
        where.append(Where("category", "in", tuple(query.codes)))
    if query.start is not None:
        where.append(Where("reported_at", ">=", query.start))
    if query.end is not None:
        where.append(Where("reported_at", "<=", query.end))
    base = tuple(s for s in query.statuses if s in BASE)
    extended = tuple(s for s in query.statuses if s not in BASE)
    if base:
        where.append(Where("status", "in", base))
    if extended:
        where.append(Where("detail", "in", extended))
    page = Page(tuple(where), "reported_at", True, limit=query.offset + query.limit)
    return store.select(request_rows, page)[query.offset :]


def request(store: ViewStore, number: int, public: Collection[str]) -> RequestRow | None:
    row: RequestRow | None = store.fetch(request_rows, (case_id(number).hex,))
    return row if row is not None and row.category in public else None


def notes(store: ViewStore, rows: Sequence[RequestRow]) -> dict[int, list[UpdateRow]]:
    """Each request's updates, oldest first, by request number."""
    found: dict[int, list[UpdateRow]] = {row.number: [] for row in rows}
    if not rows:
        return found
    page = Page((Where("case_id", "in", tuple(row.id for row in rows)),), "position")
    for update in store.select(update_rows, page):
        found[update.number].append(update)
    return found


def updates(
    store: ViewStore,
    public: Collection[str],
    start: datetime | None = None,
    end: datetime | None = None,
    after: int | None = None,
    offset: int = 0,
    limit: int = 1000,
) -> list[UpdateRow]:
    """Updates of public requests in log order: made at or after `start`, at or before
    `end`, after the position `after`."""
    where = [Where("category", "in", tuple(sorted(public)))]
    if start is not None:
        where.append(Where("at", ">=", start))
    if end is not None:
        where.append(Where("at", "<=", end))
    if after is not None:
        where.append(Where("position", ">", after))
    page = Page(tuple(where), "position", limit=offset + limit)
    return store.select(update_rows, page)[offset:]
