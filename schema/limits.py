"""Limits every request is held to, all from settings, checked in time linear in the size of
the document, so that no document however built costs more than a few milliseconds to
refuse. (Page size is checked by ``schema.relay.page_size``, request body size by the HTTP
middleware.)

In order, each step only if the one before passed:

1. Parse, stopping at ``graphql_max_tokens`` tokens (comments count).
2. Count the document's selections (fields, fragment spreads, inline fragments) and its
   fragment spreads, as written: more than ``graphql_max_selections`` or
   ``graphql_max_fragment_spreads`` is refused before any other check.
3. Measure each operation: depth, aliases and cost, each fragment measured once and its
   measure reused wherever it is spread (memoised), without recursion. A fragment spread
   twice in each of twenty fragments is measured twenty times, not 2^20.
4. graphql-core's validation rules (the specification's, plus its introspection-depth rule
   and, when switched off, the introspection rule), with "Did you mean …" suggestions
   hidden unless ``graphql_suggestions`` is on.

Depth is how many fields are nested below the operation (``{ me { user { id } } }`` is 2);
introspection fields (``__schema``, ``__type``) are not followed, graphql-core's
introspection-depth rule bounds them instead. Aliases are counted through fragments, as
often as each is spread. Cost: every field costs 1, and a field that runs searches of its own
what ``SEARCHING`` says; a connection field multiplies the cost of what is selected under it
by the page size it asks for (``first``, or the maximum when ``first`` is a variable, or the
default when absent).

Parse and validation results of repeated query texts are cached (LRU). The cache is an
optimisation, not a defence: renaming a fragment makes a new text and a miss, and a miss
costs one parse and one linear check, bounded by the token and selection limits (see
``bench/limits.py`` for the figures).
"""

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    IntValueNode,
    Node,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    parse,
    validate,
)
from graphql.validation import MaxIntrospectionDepthRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api import language
from api.language import say
from api.settings import Settings

CACHED_DOCUMENTS = 512
"""Distinct query texts whose parse and validation results are kept (LRU)."""
CACHEABLE_QUERY_CHARS = 20_000
"""Longer query texts are checked every time rather than kept in memory."""
COST_CEILING = 10**15
"""Costs are counted up to here and no further (a refusal says "at least")."""
SEARCHING = {("Query", "searchRegulations"): 1000, ("Suggestion", "budgetCandidates"): 1000}
"""Fields that each run Meilisearch requests of their own (a ranked search is several), by
type and field, and what one costs: with the default limit of 20,000 a document holds
fewer than 20 of them, so that no request (a list of suggestions each asking for its candidates,
say) can keep Meilisearch busy for everyone else."""

T = TypeVar("T")


class _Recent(Generic[T]):
    """The last ``size`` results, by key (an LRU cache)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.kept: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key in self.kept:
            self.kept.move_to_end(key)
            return self.kept[key]
        value = self.kept[key] = make()
        if len(self.kept) > self.size:
            self.kept.popitem(last=False)
        return value


_TOO_MANY_TOKENS = re.compile(r"Document contains more than (\d+) tokens")
_NESTED_TOO_DEEPLY = "Document is nested too deeply"


def _refusal(message: str, code: str, nodes: Node | None = None, **details: Any) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code, **details})


def _operation_name(operation: OperationDefinitionNode) -> str:
    if operation.name is None:
        return say("该操作", "The operation")
    return say(f"操作“{operation.name.value}”", f'The operation "{operation.name.value}"')


@dataclass(frozen=True, slots=True)
class Measure:
    """What one selection set (with all it spreads) would take."""

    height: int
    """Fields on the longest path down (a leaf field is 1)."""
    aliases: int
    cost: int


def count_selections(document: DocumentNode) -> tuple[int, int]:
    """Selections and fragment spreads written in the document (not expanded)."""
    selections = spreads = 0
    stack: list[SelectionSetNode] = [
        definition.selection_set
        for definition in document.definitions
        if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode))
    ]
    while stack:
        for selection in stack.pop().selections:
            selections += 1
            if isinstance(selection, FragmentSpreadNode):
                spreads += 1
            elif selection.selection_set is not None:  # type: ignore[attr-defined]
                stack.append(selection.selection_set)  # type: ignore[attr-defined]
    return selections, spreads


class _Frame:
    """A selection set being measured: where it is, and what it has added up so far."""

    __slots__ = ("aliases", "combine", "cost", "fragment", "height", "next", "parent", "selections")

    def __init__(
        self,
        selections: tuple[SelectionNode, ...],
        parent: GraphQLNamedType | None,
        fragment: str | None = None,
    ) -> None:
        self.selections = selections
        self.parent = parent
        self.fragment = fragment
        self.next = 0
        self.height = self.aliases = self.cost = 0
        self.combine: Callable[[Measure], Measure] = _same

    def add(self, measure: Measure) -> None:
        self.height = max(self.height, measure.height)
        self.aliases += measure.aliases
        self.cost = min(self.cost + measure.cost, COST_CEILING)

    def measure(self) -> Measure:
        return Measure(self.height, self.aliases, self.cost)


def _same(measure: Measure) -> Measure:
    return measure


class Measurer:
    """Measures the operations of one document, each fragment once."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.measured: dict[str, Measure] = {}
        self.open: set[str] = set()
        """Fragments being measured: a spread of one of them is a cycle (refused by
        graphql-core's rules later) and counts nothing."""

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        return self.selection_set(
            operation.selection_set, self.schema.get_root_type(operation.operation)
        )

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> Measure:
        stack = [_Frame(selection_set.selections, parent)]
        while True:
            frame = stack[-1]
            if frame.next == len(frame.selections):
                stack.pop()
                done = frame.measure()
                if frame.fragment is not None:
                    self.measured[frame.fragment] = done
                    self.open.discard(frame.fragment)
                if not stack:
                    return done
                stack[-1].add(stack[-1].combine(done))
                continue
            selection = frame.selections[frame.next]
            frame.next += 1
            child = self._enter(frame, selection)
            if child is not None:
                stack.append(child)

    def _enter(self, frame: _Frame, selection: SelectionNode) -> _Frame | None:
        """Adds what ``selection`` takes to ``frame``, or returns the frame to measure first."""
        if isinstance(selection, FieldNode):
            fields = getattr(frame.parent, "fields", None) or {}
            definition = fields.get(selection.name.value)
            alias = 1 if selection.alias else 0
            own = SEARCHING.get((getattr(frame.parent, "name", ""), selection.name.value), 1)
            if selection.selection_set is None:
                frame.add(Measure(1, alias, own))
                return None
            child = get_named_type(definition.type) if definition else None
            introspection = selection.name.value.startswith("__")
            page = self._page_size(selection) if _is_connection(child) else 1

            def field(inner: Measure) -> Measure:
                height = 1 if introspection else 1 + inner.height
                return Measure(height, alias + inner.aliases, own + page * inner.cost)

            frame.combine = field
            return _Frame(selection.selection_set.selections, child)
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = self.schema.get_type(condition.name.value) if condition else frame.parent
            frame.combine = _same
            return _Frame(selection.selection_set.selections, target)
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in self.measured:
                frame.add(self.measured[name])
                return None
            fragment = self.fragments.get(name)
            if fragment is None or name in self.open:
                return None  # unknown, or a cycle: graphql-core's rules say so
            self.open.add(name)
            frame.combine = _same
            target = self.schema.get_type(fragment.type_condition.name.value)
            return _Frame(fragment.selection_set.selections, target, fragment=name)
        return None

    def _page_size(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    digits = argument.value.value
                    return max(1, int(digits)) if len(digits) < 16 else COST_CEILING
                return self.settings.page_size_max
        return self.settings.page_size_default


def _is_connection(type_: GraphQLNamedType | None) -> bool:
    return isinstance(type_, GraphQLObjectType) and type_.name.endswith("Connection")


def check_limits(
    schema: GraphQLSchema, document: DocumentNode, settings: Settings
) -> list[GraphQLError]:
    """Steps 2 and 3: the refusals for a document over a limit, in time linear in its size."""
    selections, spreads = count_selections(document)
    if spreads > settings.graphql_max_fragment_spreads:
        limit = settings.graphql_max_fragment_spreads
        return [
            _refusal(
                say(
                    f"查询中有 {spreads} 处片段展开（...片段名），超过上限 {limit}",
                    f"The query has {spreads} fragment spreads (...name), more than the limit "
                    f"of {limit}",
                ),
                "TOO_MANY_FRAGMENT_SPREADS",
                count=spreads,
                limit=limit,
            )
        ]
    if selections > settings.graphql_max_selections:
        limit = settings.graphql_max_selections
        return [
            _refusal(
                say(
                    f"查询中有 {selections} 个选择（字段、片段展开和内联片段），超过上限 {limit}",
                    f"The query has {selections} selections (fields, fragment spreads and "
                    f"inline fragments), more than the limit of {limit}",
                ),
                "TOO_MANY_SELECTIONS",
                count=selections,
                limit=limit,
            )
        ]
    measurer = Measurer(schema, document, settings)
    errors = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if schema.get_root_type(definition.operation) is None:
            continue  # an operation type the schema lacks: graphql-core's rules say so
        measure = measurer.operation(definition)
        name = _operation_name(definition)
        depth = measure.height - 1
        if depth > settings.graphql_max_depth:
            limit = settings.graphql_max_depth
            errors.append(
                _refusal(
                    say(
                        f"{name}嵌套 {depth} 层，超过上限 {limit}",
                        f"{name} is nested {depth} levels deep, more than the limit of {limit}",
                    ),
                    "QUERY_TOO_DEEP",
                    definition,
                    depth=depth,
                    limit=limit,
                )
            )
        if measure.aliases > settings.graphql_max_aliases:
            limit = settings.graphql_max_aliases
            errors.append(
                _refusal(
                    say(
                        f"{name}用了 {measure.aliases} 个别名（片段中的按展开次数计），"
                        f"超过上限 {limit}",
                        f"{name} uses {measure.aliases} aliases (those in a fragment counted "
                        f"each time it is spread), more than the limit of {limit}",
                    ),
                    "TOO_MANY_ALIASES",
                    definition,
                    count=measure.aliases,
                    limit=limit,
                )
            )
        if measure.cost > settings.graphql_max_cost:
            limit = settings.graphql_max_cost
            at_least = say("至少 ", "at least ") if measure.cost >= COST_CEILING else ""
            errors.append(
                _refusal(
                    say(
                        f"{name}的查询代价为 {at_least}{measure.cost}，超过上限 {limit}："
                        "请每页少取一些对象，或少嵌套几层列表",
                        f"{name} costs {at_least}{measure.cost}, more than the limit of "
                        f"{limit}: take fewer objects a page, or nest fewer lists",
                    ),
                    "QUERY_TOO_COSTLY",
                    definition,
                    cost=measure.cost,
                    limit=limit,
                )
            )
    return errors


class NoIntrospection(ValidationRule):
    """Refuses ``__schema`` and ``__type`` (``__typename`` stays allowed)."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(
                _refusal(
                    say(
                        f"本服务已关闭内省查询，不能查询 {node.name.value}",
                        f"Introspection is switched off here: {node.name.value} cannot be queried",
                    ),
                    "INTROSPECTION_DISABLED",
                    node,
                )
            )


class DocumentChecks:
    """Parsing and validation with the limits, and their caches, for one schema."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hide_suggestions = not settings.suggestions_enabled
        self.extra_rules: tuple[type[ASTValidationRule], ...] = (MaxIntrospectionDepthRule,)
        if not settings.introspection_enabled:
            self.extra_rules += (NoIntrospection,)
        self.parsed: _Recent[DocumentNode] = _Recent(CACHED_DOCUMENTS)
        self.validated: _Recent[list[GraphQLError]] = _Recent(CACHED_DOCUMENTS)

    def parse(self, query: str) -> DocumentNode:
        if len(query) > CACHEABLE_QUERY_CHARS:
            return self._parse(query)
        return self.parsed.get(query, lambda: self._parse(query))

    def _parse(self, query: str) -> DocumentNode:
        limit = self.settings.graphql_max_tokens
        try:
            return parse(query, max_tokens=limit)
        except GraphQLSyntaxError as error:
            if _TOO_MANY_TOKENS.search(error.message):
                raise _refusal(
                    say(
                        f"查询超过 {limit} 个词法单元（注释也计入），已停止解析",
                        f"The query has more than {limit} tokens (comments count); parsing stopped",
                    ),
                    "TOO_MANY_TOKENS",
                    limit=limit,
                ) from None
            if _NESTED_TOO_DEEPLY in error.message:
                raise _refusal(
                    say(
                        "查询嵌套过深，已停止解析",
                        "The query is nested too deeply; parsing stopped",
                    ),
                    "QUERY_TOO_DEEP",
                ) from None
            raise

    def validate(
        self,
        schema: GraphQLSchema,
        query: str | None,
        document: DocumentNode,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        """The errors of a document; remembered by query text (and rules, and the language
        of the refusals) when short."""
        if query is None or len(query) > CACHEABLE_QUERY_CHARS:
            return self._validate(schema, document, rules)
        key = (query, rules, language.current.get())
        return self.validated.get(key, lambda: self._validate(schema, document, rules))

    def _validate(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        refusals = check_limits(schema, document, self.settings)
        if refusals:
            return refusals
        return validate(
            schema,
            document,
            (*rules, *self.extra_rules),
            hide_suggestions=self.hide_suggestions,
        )


class QueryLimits(SchemaExtension):
    """Parses and validates with the limits (in place of strawberry's parser and validation
    caches, token, depth and alias limiters)."""

    def __init__(self, checks: DocumentChecks) -> None:
        super().__init__()
        self.checks = checks

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            context.graphql_document = self.checks.parse(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = self.checks.validate(
            context.schema._schema,
            context.query,
            context.graphql_document,
            tuple(context.validation_rules),
        )
        definitions = context.graphql_document.definitions
        operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        # strawberry's ``operation_name`` falls back to the first operation's: ask what the
        # request named.
        unnamed = not getattr(context, "_provided_operation_name", None)
        if not context.pre_execution_errors and len(operations) > 1 and unnamed:
            # GraphQL-over-HTTP: which one to run is the client's to say, not the first's.
            context.pre_execution_errors = [
                _refusal(
                    say(
                        "文档中有多个操作时，须用 operationName 指明要执行哪一个",
                        "The document has several operations: name the one to run in operationName",
                    ),
                    "BAD_REQUEST",
                )
            ]
        yield


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories of the limit extensions (strawberry makes fresh ones for each request); the
    checks and their caches are made once, here."""
    checks = DocumentChecks(settings)
    return [lambda: QueryLimits(checks)]


def execution_context_class(settings: Settings) -> type[StrawberryGraphQLCoreExecutionContext]:
    """Strawberry's execution context, hiding "Did you mean …" from errors found while
    running (a variable's unknown enum value or input field) unless suggestions are on."""
    if settings.suggestions_enabled:
        return StrawberryGraphQLCoreExecutionContext

    class WithoutSuggestions(StrawberryGraphQLCoreExecutionContext):
        @classmethod
        def build(cls, *args: Any, **kwargs: Any) -> Any:
            kwargs["hide_suggestions"] = True
            return super().build(*args, **kwargs)

    return WithoutSuggestions
