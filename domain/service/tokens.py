"""Token use cases: issuing and revoking access tokens, and who a token acts as."""

from __future__ import annotations

from datetime import datetime

from domain.errors import DomainError, NotPermitted
from domain.service.commands import Change, ServiceBase, use_case
from domain.staff import Actor, Staff, staff_id
from domain.tokens import Token, token_id


class TokenService(ServiceBase):
    @use_case
    def issue_token(
        self, digest: str, staff: str, label: str, by: Actor, at: datetime, key: str | None = None
    ) -> Change:
        self.load(Staff, staff_id(staff), f"staff {staff}").actor()  # must still be working
        return Change(Token.issue(digest, staff, label, by=by, at=at))

    @use_case
    def revoke_token(self, digest: str, by: Actor, at: datetime, key: str | None = None) -> Change:
        token = self.load(Token, token_id(digest), f"token {digest[:8]}")
        token.revoke(by=by, at=at)
        return Change(token)

    def bearer(self, digest: str) -> Actor:
        """Who a token acts as now; NotPermitted if it is unknown, revoked or its holder
        has left (one message for all: a caller learns nothing about other tokens)."""
        try:
            token = self.load(Token, token_id(digest), "token")
            token.require_valid()
            return self.load(Staff, staff_id(token.staff), "staff").actor()
        except DomainError as error:
            raise NotPermitted("not a valid token") from error
