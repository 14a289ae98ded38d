"""Typed domain errors: each names the rule a command broke, so every layer can
report it the same way (GraphQL maps `code` to `extensions.code`)."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused; nothing was recorded."""

    code = "DOMAIN_ERROR"


class RuleBroken(DomainError):
    """The command breaks a rule of the practice (wrong stage, missing step, bad value)."""

    code = "RULE_BROKEN"


class NotPermitted(DomainError):
    """The actor's role or scope does not allow the command."""

    code = "FORBIDDEN"


class NotFound(DomainError):
    """The command names something that does not exist (case, category, grid, …)."""

    code = "NOT_FOUND"


class OutsideDistrict(RuleBroken):
    """A location lies outside every grid of the district."""

    code = "OUTSIDE_DISTRICT"


class VersionConflict(DomainError):
    """Optimistic concurrency: the aggregate changed since the client read it."""

    code = "VERSION_CONFLICT"


class KeyReused(DomainError):
    """An idempotency key came back with a different command."""

    code = "IDEMPOTENCY_KEY_REUSED"
