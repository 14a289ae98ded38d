"""Receipts (回执) for commands sent with an idempotency key.

A mobile client that lost its connection sends the same command again with the same
key; the receipt, recorded in the same transaction as the command's events, lets the
retry return the first result and record nothing new."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import KeyReused
from domain.staff import Actor


def receipt_id(actor: str, key: str) -> UUID:
    """Keys are scoped to the actor: two phones may pick the same key."""
    return uuid5(NAMESPACE_URL, f"/receipts/{actor}/{key}")


class Receipt(Aggregate):
    @staticmethod
    def create_id(key: str, by: Actor) -> UUID:
        return receipt_id(by.id, key)

    @event("ReceiptIssued")
    def __init__(
        self,
        key: str,
        command: str,
        fingerprint: str,
        subject: UUID,
        version: int,
        number: int | None,
        events: int,
        by: Actor,
        at: datetime,
    ) -> None:
        self.key, self.command, self.fingerprint = key, command, fingerprint
        self.subject, self.version, self.number, self.events = subject, version, number, events

    def check(self, command: str, fingerprint: str) -> None:
        """A retry must repeat the very same command."""
        if (command, fingerprint) != (self.command, self.fingerprint):
            raise KeyReused(
                f"idempotency key '{self.key}' was already used for another {self.command} "
                "command; use a new key for a new command"
            )
