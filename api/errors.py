"""Errors a request gets instead of data, each with `extensions.code`: BAD_USER_INPUT for
arguments the API cannot use, FORBIDDEN for what the caller may not read. (A command's
refusals are data: api/outcomes.py.)"""

from __future__ import annotations

from graphql import GraphQLError


class Refused(GraphQLError):
    def __init__(self, message: str, code: str = "FORBIDDEN") -> None:
        super().__init__(message, extensions={"code": code})


class BadInput(Refused):
    def __init__(self, message: str) -> None:
        super().__init__(message, "BAD_USER_INPUT")


def area_code(code: str) -> str:
    """A grid, community or street code (digits), or '' for the whole district."""
    if not code.isdigit() and code != "":
        raise BadInput(f"an area code is digits (a grid has 15), not {code!r}")
    return code
