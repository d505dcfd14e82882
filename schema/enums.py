"""Domain enums in GraphQL: the same names, each value described by its Chinese label.
``schema.labels`` serves every registered enum's labels to clients."""

from typing import Any

import strawberry

from api.labels import LabeledEnum
from api.models.regulations import Level, Visibility

REGISTERED: dict[str, type[LabeledEnum]] = {}


def graphql_enum(enum: type[LabeledEnum], *, description: str) -> Any:
    """Expose a ``LabeledEnum`` to GraphQL, with each value's label as its description."""
    strawberry.enum(enum, description=description)
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = enum[value.name].label
    REGISTERED[enum.__name__] = enum
    return enum


# Enums several modules use are registered here, before any of them.
graphql_enum(Visibility, description="Who may read an object: everyone, or signed-in insiders.")
graphql_enum(Level, description="The level of government a document belongs to.")
