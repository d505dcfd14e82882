"""Relay pieces every list uses: global ids through ``node(id:)``, and cursor connections
paged by keyset (``api.paging``) with ``first`` capped by settings."""

import base64
import binascii
from collections.abc import Iterable, Sequence
from typing import Any, Generic, Self, TypeVar

import strawberry
from beanie import Document
from bson import ObjectId
from bson.errors import InvalidId
from strawberry import relay

from api.errors import DomainError, ErrorCode
from api.language import say
from api.paging import Page
from schema.context import Info
from schema.errors import ClientError

NodeType = TypeVar("NodeType", bound=relay.Node)


def page_size(info: Info, first: int | None) -> int:
    """``first`` as asked, refused when outside 1..page_size_max, the default when absent."""
    settings = info.context.settings
    if first is None:
        return settings.page_size_default
    if not 1 <= first <= settings.page_size_max:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"每页条数应在 1 到 {settings.page_size_max} 之间，现为 {first}",
                f"first must be 1 to {settings.page_size_max}, not {first}",
            ),
            field="first",
        )
    return first


def page_info(cursors: list[str], *, has_next: bool, has_previous: bool) -> relay.PageInfo:
    """Relay's page info for a page whose edges have these cursors."""
    return relay.PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


def offset_cursor(mark: str, position: int) -> str:
    """The cursor of the item at ``position`` of a list that is paged by offset (an
    embedded list, or search results ranked by relevance); ``mark`` names that list."""
    return base64.urlsafe_b64encode(f"{mark}:{position}".encode()).decode()


def offset_after(mark: str, cursor: str | None) -> int:
    """Where a page after ``cursor`` starts; refused when the cursor is malformed or belongs
    to another list."""
    if cursor is None:
        return 0
    try:
        found, position = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        start = int(position) + 1
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ClientError(
            say("分页游标无效", "The page cursor is not valid"),
            code="INVALID_INPUT",
            field="after",
        ) from None
    if found != mark or start < 1:
        raise ClientError(
            say(
                "这个分页游标属于另一个列表：请去掉 after，从第一页重新开始",
                "This page cursor belongs to another list: leave out after and start again "
                "from the first page",
            ),
            code="INVALID_INPUT",
            field="after",
        )
    return start


def object_id(raw: str) -> ObjectId | None:
    try:
        return ObjectId(raw)
    except (InvalidId, TypeError):
        return None


def global_id(raw: str, field: str) -> relay.GlobalID:
    """A global id as a client sent it in ``field``; refused as INVALID_INPUT naming the
    field when it is none (so a mutation reports it in its payload's ``errors``)."""
    try:
        return relay.GlobalID.from_id(raw)
    except Exception:  # strawberry raises several kinds for a malformed id
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"“{raw}”不是有效的 id", f'"{raw}" is not a valid id'),
            field=field,
        ) from None


def document_ids(
    ids: Sequence[str] | None, node: type["DocumentNode"], field: str
) -> list[ObjectId]:
    """The document ids inside global ids that must all be ``node``'s; refused (naming the
    input ``field``) when one is malformed or another type's."""
    found = []
    for raw in ids or []:
        document_id = node.document_id(raw, field)
        if document_id is None:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(f"“{raw}”不是{node.__label__}的 id", f'"{raw}" is not a {node.__name__} id'),
                field=field,
            )
        found.append(document_id)
    return found


T = TypeVar("T")


def build(cls: type[T], source: Any, **values: Any) -> T:
    """An instance of the strawberry type ``cls`` whose plain fields (those without a
    resolver) take the attributes of the same name of ``source``, unless given."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        if field.base_resolver is None and field.python_name not in values:
            values[field.python_name] = getattr(source, field.python_name)
    instance = cls(**values)
    instance.__dict__["_document"] = source
    return instance


class DocumentNode(relay.Node):
    """A GraphQL node type backed by a Beanie document class (``__document__``).

    ``node(id:)`` resolves through the request's by-id loader, so the document class's
    visibility filter applies: an object the caller may not read is ``null``, as if absent.
    """

    __document__: type[Document]
    __label__: str
    """What it is called in the messages people read (会次, 建议 …)."""

    @classmethod
    def document_id(cls, raw: str, field: str = "id") -> ObjectId | None:
        """The document id inside a global id of this type; None for another type's id or
        one holding no document id (``Suggestion:zzz``), which names nothing; refused as
        INVALID_INPUT naming ``field`` when the id is malformed."""
        found = global_id(raw, field)
        if found.type_name != cls.__name__:
            return None
        return object_id(found.node_id)

    @classmethod
    def from_document(cls, document: Any) -> Self:
        """The node for a document: each plain field takes the document's attribute of the
        same name; fields with resolvers compute their own values."""
        return build(cls, document, id=str(document.id))

    @property
    def document(self) -> Any:
        """The document this node was built from, for fields with resolvers."""
        return self.__dict__["_document"]

    @classmethod
    async def load(cls, info: Info, object_id: ObjectId | None) -> Self | None:
        """The node of the document with this id, through the request's loader (so its
        visibility filter applies); None when there is no id, no such document, or the
        caller may not read it."""
        if object_id is None:
            return None
        found = await info.context.loaders.by_id(cls.__document__).load(object_id)
        return cls.from_document(found) if found else None

    @classmethod
    async def load_many(cls, info: Info, object_ids: Iterable[ObjectId]) -> list[Self]:
        """The nodes of those documents the caller may read, in the order of the ids."""
        found = await info.context.loaders.by_id(cls.__document__).load_many(list(object_ids))
        return [cls.from_document(d) for d in found if d is not None]

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        loader = info.context.loaders.by_id(cls.__document__)
        ids = [object_id(raw) for raw in node_ids]
        documents = await loader.load_many([i for i in ids if i is not None])
        by_id = {doc.id: doc for doc in documents if doc is not None}
        nodes = [cls.from_document(by_id[i]) if i in by_id else None for i in ids]
        if required and any(node is None for node in nodes):
            raise ClientError(
                say("没有这个对象，或你无权查看", "No such object, or you may not see it"),
                code="NOT_FOUND",
            )
        return nodes


@strawberry.type(description="A page of a list, in Relay's cursor connection form.")
class Connection(relay.Connection[NodeType], Generic[NodeType]):
    count_query: strawberry.Private[tuple[type[Document], dict[str, Any]] | None] = None

    @strawberry.field(
        description="How many objects the whole list holds (all pages), counting only those "
        "you may see."
    )
    async def total_count(self) -> int:
        assert self.count_query is not None
        model, query = self.count_query
        return await model.find(query).count()

    @classmethod
    def from_page(cls, page: Page[Any], node: type[DocumentNode], model: type[Document]) -> Self:
        edges = [
            relay.Edge(node=node.from_document(doc), cursor=cursor)
            for doc, cursor in zip(page.items, page.cursors, strict=True)
        ]
        return cls(
            edges=edges,  # type: ignore[arg-type]
            page_info=page_info(
                page.cursors, has_next=page.has_next_page, has_previous=page.has_previous_page
            ),
            count_query=(model, page.query),
        )
