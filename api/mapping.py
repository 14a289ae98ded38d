"""Views' rows into GraphQL types at the edge: the API's types are its own, so a view can
change its rows without changing the schema by accident."""

from __future__ import annotations

from typing import Any, TypeVar

from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.private import is_private

T = TypeVar("T")


def mapped(kind: type[T], value: Any) -> T:
    """An instance of the GraphQL type `kind` from the same-named fields of `value` (the
    fields it resolves itself, like a case's timeline, and its private ones are not
    taken from `value`)."""
    definition = get_object_definition(kind, strict=True)
    names = [
        f.python_name for f in definition.fields if f.base_resolver is None and not _private(f)
    ]
    return kind(**{name: _plain(getattr(value, name)) for name in names})


def _private(field: StrawberryField) -> bool:
    return field.type_annotation is not None and is_private(field.type_annotation.annotation)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
