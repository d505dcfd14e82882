"""Narrowing a list of records to those whose words match a query: search picks the ids (with
the same permissions as the list), MongoDB the rest (its other filters, order and pages)."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import meilisearch
from bson import ObjectId

from api.access import Viewer
from api.errors import optional_text
from api.language import say
from search.indexes import Index
from search.matching import matching_ids

MATCHES_MAX = 1000
"""The best matches a list keeps."""


@dataclass(frozen=True)
class Words:
    """A text query and where to look it up."""

    text: str
    client: meilisearch.Client
    prefix: str


async def matching(
    model: Any, index: Index, fields: Collection[str], words: Words | None, viewer: Viewer
) -> dict[str, Any]:
    """The condition narrowing a list of ``model`` to the best matches of ``words`` that
    ``viewer`` may read, ``fields`` being those its access clauses name in ``index``; none
    without words."""
    text = (
        optional_text(words.text, field="query", max_length=200, what=say("检索词", "query"))
        if words
        else ""
    )
    if not words or not text:
        return {}
    ids = await matching_ids(
        words.client, index=index, access=model.access(viewer), fields=fields, text=text,
        prefix=words.prefix, limit=MATCHES_MAX,
    )  # fmt: skip
    return {"_id": {"$in": [ObjectId(i) for i in ids]}}
