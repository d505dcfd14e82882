"""Keyset pagination over MongoDB: the cursor holds the sort key, never an offset.

A page is fetched with one query on an index that starts with the sort field and ends with
``_id``; ``after`` continues strictly after the cursor's (value, _id) pair, so inserts and
deletes between pages never repeat or skip a row the way ``skip`` does.
"""

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Generic, TypeVar

from beanie import Document
from beanie.odm.enums import SortDirection
from bson import json_util

from api.errors import DomainError, ErrorCode
from api.language import say

D = TypeVar("D", bound=Document)


@dataclass(frozen=True)
class Sort:
    """Order by one field, ties broken by ``_id`` in the same direction."""

    field: str
    descending: bool = False


@dataclass
class Page(Generic[D]):
    items: list[D]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    """True when the page continues a cursor (forward paging only looks ahead)."""
    query: dict[str, Any]
    """The filter of the whole list, for counting it on demand."""


def encode_cursor(sort: Sort, document: Document) -> str:
    """The sort field names a document attribute stored under the same name."""
    value = getattr(document, sort.field)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())  # stored so in MongoDB
    raw = json_util.dumps([sort.field, value, document.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(sort: Sort, cursor: str) -> tuple[Any, Any]:
    try:
        field, value, object_id = json_util.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("分页游标无效", "The page cursor is not valid"),
            field="after",
        ) from None
    if field != sort.field:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "这个分页游标属于另一种排序：请去掉 after，从第一页重新开始",
                "This page cursor belongs to another order: leave out after and start again "
                "from the first page",
            ),
            field="after",
        )
    return value, object_id


def _beyond(sort: Sort, value: Any, object_id: Any) -> list[dict[str, Any]]:
    """The rows after (value, _id) in sort order. MongoDB puts missing and null values
    before all others ascending (after them descending) and compares only values of one
    type, so null needs its own terms."""
    beyond = "$lt" if sort.descending else "$gt"
    same = {sort.field: value, "_id": {beyond: object_id}}
    if value is None:
        return [same] if sort.descending else [same, {sort.field: {"$ne": None}}]
    later = [same, {sort.field: {beyond: value}}]
    return [*later, {sort.field: None}] if sort.descending else later


async def keyset_page(
    model: type[D],
    *,
    query: Mapping[str, Any],
    sort: Sort,
    first: int,
    after: str | None = None,
) -> Page[D]:
    """The ``first`` documents matching ``query`` after the cursor, in ``sort`` order."""
    page_filter: dict[str, Any] = dict(query)
    if after is not None:
        value, object_id = decode_cursor(sort, after)
        page_filter = {"$and": [dict(query), {"$or": _beyond(sort, value, object_id)}]}
    direction = SortDirection.DESCENDING if sort.descending else SortDirection.ASCENDING
    documents = (
        await model.find(page_filter)
        .sort([(sort.field, direction), ("_id", direction)])
        .limit(first + 1)
        .to_list()
    )
    items = documents[:first]
    return Page(
        items=items,
        cursors=[encode_cursor(sort, doc) for doc in items],
        has_next_page=len(documents) > first,
        has_previous_page=after is not None,
        query=dict(query),
    )
