"""Unit tests run on the in-memory log: no I/O, milliseconds."""

from __future__ import annotations

import pytest


@pytest.fixture
def store_url() -> str:
    return "memory:"
