"""The ``enumLabels`` query: the Chinese label of every enum value, for clients to display."""

import strawberry

from api.language import say
from schema.enums import REGISTERED
from schema.errors import ClientError


@strawberry.type(description="One value of an enum and how to show it.")
class EnumValueLabel:
    value: str = strawberry.field(description="The value as it appears in the API.")
    label: str = strawberry.field(description="The Chinese label to show users.")


@strawberry.type(description="The labels of one enum type.")
class EnumLabels:
    name: str = strawberry.field(description="The GraphQL enum type's name, e.g. `Role`.")
    values: list[EnumValueLabel] = strawberry.field(description="Its values in declared order.")


@strawberry.type
class EnumQuery:
    @strawberry.field(
        description="Chinese labels of the API's enums, for clients to display. "
        "Without `names`, every enum."
    )
    def enum_labels(self, names: list[str] | None = None) -> list[EnumLabels]:
        chosen = sorted(REGISTERED) if names is None else names
        unknown = [name for name in chosen if name not in REGISTERED]
        if unknown:
            raise ClientError(
                say(
                    f"没有名为 {'、'.join(unknown)} 的枚举",
                    f"There is no enum named {', '.join(unknown)}",
                ),
                code="INVALID_INPUT",
                field="names",
            )
        return [
            EnumLabels(
                name=name,
                values=[EnumValueLabel(value=m.value, label=m.label) for m in REGISTERED[name]],
            )
            for name in chosen
        ]
