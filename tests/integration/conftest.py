"""Integration tests run on durable stores: a SQLite file and the throwaway PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture
def store_url(durable_database_url: str) -> str:
    return durable_database_url
