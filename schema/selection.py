"""What a query selects below a field, for resolvers that skip work nobody asked for."""

from typing import Any

from strawberry.types.nodes import SelectedField

from schema.context import Info


def _names(selections: list[Any]) -> set[str]:
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        names |= _names(selection.selections)
    return names


def asked(info: Info) -> set[str]:
    """The names of the fields selected under the current one, through fragments, at any
    depth."""
    return _names(info.selected_fields[0].selections)
