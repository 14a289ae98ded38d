"""Making access tokens: a random secret shown once to whoever asked, and the SHA-256
digest of it that the log keeps. A secret has 256 random bits, so a plain hash is
enough: there is nothing to guess from a digest."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from domain.events import topics_of
from infra.event_store import EventLog
from projections.records import decode

PREFIX = "gc_"
"""Secrets start with it, so a leaked one is easy to recognise (and to scan for)."""


def mint() -> tuple[str, str]:
    """A new secret and its digest."""
    secret = PREFIX + secrets.token_urlsafe(32)
    return secret, digest_of(secret)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    digest: str
    staff: str
    label: str
    issued_at: datetime
    revoked: bool

    @property
    def short(self) -> str:
        return self.digest[:8]


def issued(log: EventLog) -> list[Issued]:
    """Every token issued, oldest first, and whether it was revoked since."""
    tokens: dict[str, Issued] = {}
    position, topics = 0, topics_of(["TokenIssued", "TokenRevoked"])
    while page := log.scan(position, 1000, topics):
        for record in map(decode, page):
            if record.name == "TokenIssued":
                tokens[record.id] = Issued(
                    record["digest"], record["staff"], record["label"], record.at, False
                )
            else:
                tokens[record.id] = replace(tokens[record.id], revoked=True)
        position = page[-1][0]
    return list(tokens.values())
