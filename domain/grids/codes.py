"""Area codes after Beijing's practice: 6-digit district division code + 3 street +
3 community + 3 serial = a 15-digit grid code, so every code names its parents."""

from __future__ import annotations

from domain.errors import RuleBroken

DISTRICT_DIGITS, STREET_DIGITS, COMMUNITY_DIGITS, GRID_DIGITS = 6, 9, 12, 15


def check_code(code: str, digits: int, kind: str, parent: str | None = None) -> str:
    """A code of the given length, all digits, under `parent` (if given), with a non-zero tail."""
    if len(code) != digits or not code.isdigit():
        raise RuleBroken(f"{kind} code '{code}' must be {digits} digits")
    if parent is not None and not code.startswith(parent):
        raise RuleBroken(f"{kind} code '{code}' must start with its parent's code '{parent}'")
    if parent is not None and int(code[len(parent) :]) == 0:
        raise RuleBroken(f"{kind} code '{code}' must not end in a zero serial")
    return code


def street_of(code: str) -> str:
    return code[:STREET_DIGITS]


def community_of(code: str) -> str:
    return code[:COMMUNITY_DIGITS]


def district_of(code: str) -> str:
    return code[:DISTRICT_DIGITS]
