"""Access tokens (令牌): a bearer token lets a staff member use the API as themselves.

The secret is made and hashed outside the domain; the log keeps only its digest (SHA-256),
who it was issued to, by whom and when — an audit trail of who was given access. A
token is found by its digest (its id is derived from it) and acts as the staff member
it was issued to, with their role and scope of the day: a reassignment or a departure
takes effect at once. A revoked token never works again."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import NotPermitted, RuleBroken
from domain.staff import Action, Actor

DIGEST_LENGTH = 64
"""Hex digits of a SHA-256 digest."""


def token_id(digest: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/tokens/{digest}")


class Token(Aggregate):
    @staticmethod
    def create_id(digest: str) -> UUID:
        return token_id(digest)

    @classmethod
    def issue(cls, digest: str, staff: str, label: str, by: Actor, at: datetime) -> Token:
        by.require(Action.ISSUE_TOKEN)
        if len(digest) != DIGEST_LENGTH or not all(c in "0123456789abcdef" for c in digest):
            raise RuleBroken("a token is kept as the SHA-256 digest of its secret, in hex")
        return cls(digest=digest, staff=staff, label=label, by=by, at=at)

    @event("TokenIssued")
    def __init__(self, digest: str, staff: str, label: str, by: Actor, at: datetime) -> None:
        self.digest, self.staff, self.label = digest, staff, label
        self.revoked = False

    def revoke(self, by: Actor, at: datetime) -> None:
        by.require(Action.ISSUE_TOKEN)
        if self.revoked:
            raise RuleBroken(f"token {self.short} was already revoked")
        self._revoked(by=by, at=at)

    @event("TokenRevoked")
    def _revoked(self, by: Actor, at: datetime) -> None:
        self.revoked = True

    def require_valid(self) -> None:
        if self.revoked:
            raise NotPermitted(f"token {self.short} was revoked")

    @property
    def short(self) -> str:
        """How people name a token: the first digits of its digest."""
        return self.digest[:8]
