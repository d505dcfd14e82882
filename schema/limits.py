"""Limits every request is held to, all from settings: depth, aliases, tokens, cost, and
introspection on or off. (Page size is checked by ``schema.relay.page_size``, request body
size by the HTTP middleware.)

Cost: every field costs 1; a connection field multiplies the cost of what is selected
under it by the page size it asks for (``first``, or the maximum when ``first`` is a
variable, or the default when absent). A query that could touch more objects than
``graphql_max_cost`` is refused before it runs.
"""

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from api.settings import Settings


def _cost_rule(settings: Settings) -> type[ValidationRule]:
    limit = settings.graphql_max_cost

    class QueryCost(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            self.fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            schema = context.schema
            for definition in document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                root = schema.get_root_type(definition.operation)
                cost = self.selection_cost(definition.selection_set, root, set())
                if cost > limit:
                    name = definition.name.value if definition.name else "the operation"
                    context.report_error(
                        GraphQLError(
                            f"Query cost {cost} of {name} exceeds the limit of {limit}: "
                            "ask for fewer objects per page or fewer nested lists",
                            definition,
                            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit},
                        )
                    )

        def selection_cost(
            self, selections: SelectionSetNode | None, parent: Any, seen: set[str]
        ) -> int:
            if selections is None:
                return 0
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    total += self.field_cost(selection, parent, seen)
                elif isinstance(selection, InlineFragmentNode):
                    target = (
                        self.context.schema.get_type(selection.type_condition.name.value)
                        if selection.type_condition
                        else parent
                    )
                    total += self.selection_cost(selection.selection_set, target, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in seen:
                        continue
                    target = self.context.schema.get_type(fragment.type_condition.name.value)
                    total += self.selection_cost(fragment.selection_set, target, seen | {name})
            return total

        def field_cost(self, node: FieldNode, parent: Any, seen: set[str]) -> int:
            fields = getattr(parent, "fields", None) or {}
            definition = fields.get(node.name.value)
            if definition is None:
                return 1
            child: GraphQLNamedType = get_named_type(definition.type)
            inner = self.selection_cost(node.selection_set, child, seen)
            if isinstance(child, GraphQLObjectType) and child.name.endswith("Connection"):
                return 1 + self.page_size(node) * inner
            return 1 + inner

        def page_size(self, node: FieldNode) -> int:
            for argument in node.arguments or ():
                if argument.name.value == "first":
                    if isinstance(argument.value, IntValueNode):
                        return max(1, int(argument.value.value))
                    return settings.page_size_max
            return settings.page_size_default

    return QueryCost


CACHED_DOCUMENTS = 512
"""Distinct query texts whose parse and validation results are kept (LRU)."""


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories of the limit extensions (strawberry makes fresh ones for each request).

    The validation rules are built once: the validation cache is keyed by the rule classes,
    so a repeated query is parsed and validated once, not on every request.
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        _cost_rule(settings),
    ]
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    return extensions
