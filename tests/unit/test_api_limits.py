"""The API's limits, on a schema deep enough to break them (the real one has no cycles,
so no real query goes deeper than five)."""

from __future__ import annotations

import strawberry

from api.limits import MAX_ALIASES, MAX_DEPTH, extensions


@strawberry.type
class Node:
    @strawberry.field
    def child(self) -> Node:
        return Node()

    name: str = "n"


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        return Node()


schema = strawberry.Schema(query=Query, extensions=extensions())


def nested(depth: int) -> str:
    """A query whose deepest field lies `depth` levels below its first one."""
    return "{ root " + "{ child " * (depth - 1) + "{ name }" + " }" * (depth - 1) + " }"


def test_a_query_as_deep_as_the_limit_runs_and_a_deeper_one_is_refused() -> None:
    assert schema.execute_sync(nested(MAX_DEPTH)).errors is None
    refused = schema.execute_sync(nested(MAX_DEPTH + 1)).errors
    assert refused and "exceeds maximum operation depth" in refused[0].message


def test_aliases_up_to_the_limit_run_and_more_are_refused() -> None:
    def aliased(count: int) -> str:
        return "{ " + " ".join(f"a{n}: root {{ name }}" for n in range(count)) + " }"

    assert schema.execute_sync(aliased(MAX_ALIASES)).errors is None
    refused = schema.execute_sync(aliased(MAX_ALIASES + 1)).errors
    assert refused and "aliases found" in refused[0].message


def test_introspection_is_not_held_to_the_depth_limit() -> None:
    from graphql import get_introspection_query  # noqa: PLC0415

    assert schema.execute_sync(get_introspection_query()).errors is None


def test_a_query_sent_again_is_not_validated_again() -> None:
    from strawberry.extensions.validation_cache import _get_validate_cache  # noqa: PLC0415

    validated = _get_validate_cache(256)  # the cache every request's ValidationCache shares
    before = validated.cache_info()
    for _ in range(3):
        assert schema.execute_sync("{ root { child { name } } }  # sent again").errors is None
    after = validated.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 2)
