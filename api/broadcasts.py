"""Fan-out of live views: subscribers of the same query, with the same variables and the
same scope, share one execution on this node. A view change is read and turned into
JSON once, and the same text goes to every one of them; only the operation id differs
from frame to frame. (graphql-transport-ws; the legacy protocol runs each subscription
on its own.)

A subscriber joins its broadcast, waits until the broadcast's own execution listens to
the view, and only then gets its first answer — for gridStatus and workloadUpdates the
state now, for caseUpdates nothing but the sign that it may read it — from a read that
starts after it joined, so no change can fall between its first answer and the shared
ones (a change sent twice is harmless: an answer is the state of what changed, not a
difference). Subscribers that join while a first read is under way share the next one:
a wall of screens reconnecting at once (a node restarted) costs a few reads, not one
each.

How an answer then reaches each subscriber, written at once or queued, and what becomes
of one that falls behind: api/subscribers.py."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from enum import Enum
from functools import lru_cache
from typing import Any, Generic, TypeVar

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError

from api.context import Context
from api.subscribers import FELL_BEHIND, Answer, Member, offered
from infra.metrics import BROADCASTS, SUBSCRIBERS

log = logging.getLogger("gridcenter.broadcasts")


class Kind(Enum):
    STATE = "its first answer is the state now"
    CHANGES = "it answers changes only"


SHARED = {"gridStatus": Kind.STATE, "workloadUpdates": Kind.STATE, "caseUpdates": Kind.CHANGES}
"""The subscriptions shared between subscribers: the live views. The event stream is
not: every subscriber replays from a position of their own."""

Key = tuple[str, str | None, bytes, tuple[Any, ...]]
T = TypeVar("T")
First = str | list[Any] | None
"""A first answer: its JSON text, the errors that refused it, or none (changes only)."""


class Broadcast:
    """One execution of a subscription for all the members that share its key."""

    def __init__(self, key: Key, context: Context, operation: Operation[Context, None]):
        self.key, self.members = key, set[Member]()
        self.context = dataclasses.replace(context, started=asyncio.Event())
        self.task = asyncio.ensure_future(self._run(operation))
        self.first = NextRead[First]()
        """Members' first answers, each from a read that starts after the member asks."""

    async def _run(self, operation: Operation[Context, None]) -> None:
        from api.schema import schema  # noqa: PLC0415 - the schema imports the api modules

        source = await schema.subscribe(
            operation.query,
            variable_values=operation.variables,
            context_value=self.context,
            operation_name=operation.operation_name,
        )
        try:
            answers = _answers(source)
            if SHARED[_field(operation.query) or ""] is Kind.STATE:
                await anext(answers, None)  # the state now: each member reads its own
            async for answer in answers:
                offered(self.members, Answer(answer))
        except Exception:
            log.exception("a shared subscription failed; its subscribers are told it ended")
        finally:
            for member in list(self.members):
                member.offer(None)
            with contextlib.suppress(Exception):
                await source.aclose()


class NextRead(Generic[T]):
    """Reads that start after whoever asks, shared by all who ask before one starts: one
    read runs at a time, and everyone who asked while it ran gets the next one."""

    def __init__(self) -> None:
        self._next: asyncio.Future[T] | None = None
        self._reading = asyncio.Lock()
        self._readers: set[asyncio.Future[None]] = set()

    async def after_now(self, read: Callable[[], Awaitable[T]]) -> T:
        """The answer of a read that starts after this call (`read` is this asker's own,
        run if no read is waiting to start yet)."""
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            self._next.add_done_callback(_retrieved)
            reading = asyncio.ensure_future(self._read(read, self._next))
            self._readers.add(reading)  # held until done: the loop keeps only weak ones
            reading.add_done_callback(self._readers.discard)
        return await asyncio.shield(self._next)  # an asker that leaves cancels no one

    async def _read(self, read: Callable[[], Awaitable[T]], answer: asyncio.Future[T]) -> None:
        async with self._reading:  # after the read under way, which began too early
            self._next = None
            try:
                answer.set_result(await read())
            except Exception as error:
                answer.set_exception(error)
            finally:
                if not answer.done():  # cancelled (the server stops): so are its askers
                    answer.cancel()


class Broadcasts:
    """The broadcasts of this node, by key."""

    def __init__(self) -> None:
        self._running: dict[Key, Broadcast] = {}

    def join(
        self, member: Member, operation: Operation[Context, None], context: Context
    ) -> Broadcast:
        key = _key(operation, context)
        broadcast = self._running.get(key)
        if broadcast is None or broadcast.task.done():
            broadcast = self._running[key] = Broadcast(key, context, operation)
        broadcast.members.add(member)
        BROADCASTS.set(len(self._running))
        return broadcast

    def leave(self, member: Member, broadcast: Broadcast) -> None:
        broadcast.members.discard(member)
        if not broadcast.members:
            broadcast.task.cancel()
            if self._running.get(broadcast.key) is broadcast:
                del self._running[broadcast.key]
            BROADCASTS.set(len(self._running))


class TransportHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, with the live views shared through the node's broadcasts."""

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        field = _field(operation.query)
        SUBSCRIBERS.labels(field or "other").inc()
        try:
            if field in SHARED:
                await self._shared(operation)
            else:
                await super().run_operation(operation)
        finally:
            SUBSCRIBERS.labels(field or "other").dec()

    async def send_text(self, frame: str) -> None:
        await self.websocket.ws.send_text(frame)  # type: ignore[attr-defined]

    async def fell_behind(self) -> None:
        with contextlib.suppress(Exception):
            await self.websocket.close(FELL_BEHIND, "fell behind: reconnect and subscribe again")

    async def _shared(self, operation: Operation[Context, None]) -> None:
        from api.schema import schema  # noqa: PLC0415 - the schema imports the api modules

        broadcasts: Broadcasts = self.context.broadcasts
        member = Member(self, operation.id)
        broadcast = broadcasts.join(member, operation, self.context)
        try:
            listening = asyncio.ensure_future(broadcast.context.started.wait())
            await asyncio.wait({listening, broadcast.task}, return_when=asyncio.FIRST_COMPLETED)
            listening.cancel()  # the broadcast listens, or it failed: this member finds out

            async def read() -> First:
                own = dataclasses.replace(self.context, started=asyncio.Event())
                source = await schema.subscribe(
                    operation.query,
                    variable_values=operation.variables,
                    context_value=own,
                    operation_name=operation.operation_name,
                )
                return await _first(source, own, SHARED[_field(operation.query) or ""])

            first = await broadcast.first.after_now(read)
            if isinstance(first, list):  # refused, or not a valid query: nothing shared
                await operation.send_operation_message(
                    {"id": operation.id, "type": "error", "payload": first}
                )
                return
            if first is not None:
                await self.send_text(Answer(first).text(member.prefix))
            await member.send()
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        finally:
            broadcasts.leave(member, broadcast)


async def _first(source: Any, own: Context, kind: Kind) -> First:
    """A member's own first answer: the state now (STATE), or nothing once it listens
    (CHANGES); a list of errors if it was refused."""
    answers = _answers(source, errors=True)
    try:
        reading = asyncio.ensure_future(anext(answers, None))
        if kind is Kind.CHANGES:
            listening = asyncio.ensure_future(own.started.wait())
            await asyncio.wait({reading, listening}, return_when=asyncio.FIRST_COMPLETED)
            listening.cancel()
            if not reading.done():
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading  # the generator must stop before it is closed
                return None
        answer = await reading
        return answer
    finally:
        await answers.aclose()
        with contextlib.suppress(Exception):
            await source.aclose()


async def _answers(source: Any, errors: bool = False) -> AsyncGenerator[Any, None]:
    """Each answer of a subscription as JSON text. With `errors`, a first answer that is
    only errors comes as their list (the protocol's 'error' message)."""
    if isinstance(source, ExecutionResult | PreExecutionError):  # not even started
        source = _once(source)
    first = True
    async for result in source:
        if first and errors and result.errors and not result.data:
            yield [_formatted(e) for e in result.errors]
            return
        first = False
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [_formatted(e) for e in result.errors]
        yield orjson.dumps(payload).decode()


def _retrieved(answer: asyncio.Future[Any]) -> None:
    """A first answer nobody waited for any more (they all left) fails quietly."""
    if not answer.cancelled():
        answer.exception()


async def _once(result: Any) -> AsyncGenerator[Any, None]:
    yield result


def _formatted(error: GraphQLError) -> Mapping[str, Any]:
    return error.formatted


def _key(operation: Operation[Context, None], context: Context) -> Key:
    viewer = context.caller
    variables = orjson.dumps(operation.variables or {}, option=orjson.OPT_SORT_KEYS)
    scope = (viewer.role, viewer.area, viewer.department)
    return (operation.query, operation.operation_name, variables, scope)


@lru_cache(maxsize=1024)
def _field(query: str) -> str | None:
    """The one root field of a subscription document, or None if it is not one."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return None
    selections = operations[0].selection_set.selections
    name = getattr(selections[0], "name", None) if len(selections) == 1 else None
    return None if name is None else str(name.value)
