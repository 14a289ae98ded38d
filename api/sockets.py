"""The server's WebSocket connections: uvicorn's own (websockets' sans-I/O protocol) with
one ASGI extension, WRITE_NOW, for the live views' fan-out (api/broadcasts.py).

Through ASGI a message goes out by awaiting `send`, so a broadcast to 500 screens is 500
awaits, each in a task of its own lest a slow screen hold up the rest, each task woken
through the event loop. Yet a connection whose buffer has room writes at once: nothing in
that path waits. WRITE_NOW does just that, without a task or an await, and says when it
could not (the connection is closing, or its buffer is full because the screen reads
slowly); the caller then queues the message and sends it the ASGI way, which waits for
room. Under another server the extension is absent and every message goes the ASGI way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import State

WRITE_NOW = "gridcenter.write_now"
"""The scope's extension: a callable taking a text message and the same message as an
unmasked, uncompressed frame, True if it was written."""
WriteNow = Callable[[str, bytes], bool]


class Sockets(WebSocketsSansIOProtocol):
    """uvicorn's protocol (`ws=Sockets`), offering WRITE_NOW in each connection's scope."""

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        scope: Any = getattr(self, "scope", None)  # none if the handshake was refused
        if scope is not None:
            scope["extensions"][WRITE_NOW] = self.write_now

    def write_now(self, text: str, frame: bytes) -> bool:
        """Write a text message if the connection is open and its buffer has room: the
        frame as it is (made once for every subscriber), unless the connection compresses
        its messages (permessage-deflate, each with a state of its own)."""
        if (
            not self.handshake_complete
            or self.conn.state is not State.OPEN
            or self.close_sent
            or self.disconnected
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        if self.conn.extensions:
            self.conn.send_text(text.encode())
            self.transport.write(b"".join(self.conn.data_to_send()))
        else:
            self.transport.write(frame)
        return True


def write_now_of(scope: Any) -> WriteNow | None:
    """The connection's WRITE_NOW, if the server offers it."""
    found: WriteNow | None = scope.get("extensions", {}).get(WRITE_NOW)
    return found
