"""Finding records by their words: suggestions, opinions and audit findings. Search only
picks the matching ids, best first; the list itself (its other filters, order and pages)
comes from MongoDB. The permission filter is built from the same access clauses as
MongoDB's (the model's ``access``), over fields every search document of the index carries."""

import logging
from collections.abc import Collection
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchCommunicationError, MeilisearchTimeoutError

from api.access import Clauses
from api.errors import DomainError, ErrorCode
from api.language import say
from search.client import call, quote
from search.indexes import Index
from search.text import search_query

log = logging.getLogger("jiandu.search")


def access_filter(clauses: Clauses, fields: Collection[str]) -> str | None:
    """The Meilisearch filter of access clauses; None when everything may be read."""
    if clauses is None:
        return None
    if not clauses:
        return "source_id IN []"
    parts = []
    for clause in clauses:
        terms = []
        for name, value in clause.items():
            if name not in fields:
                raise ValueError(f"{name} is not a search access field")
            if isinstance(value, list):
                terms.append(f"{name} IN [{', '.join(quote(str(v)) for v in value)}]")
            else:
                terms.append(f"{name} = {quote(str(value))}")
        parts.append("(" + " AND ".join(terms) + ")")
    return " OR ".join(parts)


async def matching_ids(
    client: meilisearch.Client, *, index: Index, access: Clauses, fields: Collection[str],
    text: str, prefix: str, limit: int,
) -> list[str]:  # fmt: skip
    """The source ids of the records ``access`` lets through that match ``text``, best
    first; refused as INVALID_INPUT when ``text`` has nothing to search for (punctuation
    alone would otherwise match everything), as SEARCH_UNAVAILABLE when Meilisearch does not
    answer."""
    query = search_query(text)
    if not query:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "检索词里没有可查的字词：请输入中文、字母或数字",
                "The query has no words to search for: enter Chinese words, letters or digits",
            ),
            field="query",
        )
    permission = access_filter(access, fields)
    parameters: dict[str, Any] = {
        "attributesToRetrieve": ["source_id"],
        "limit": limit,
        "matchingStrategy": "all",
        "locales": ["cmn"],
    }
    if permission is not None:
        parameters["filter"] = [permission]
    found_in = client.index(index.uid(prefix))
    try:
        found = await call(lambda: found_in.search(query, parameters))
    except (MeilisearchCommunicationError, MeilisearchTimeoutError) as e:
        log.warning("search is unavailable", extra={"error": str(e)})
        raise DomainError(
            ErrorCode.SEARCH_UNAVAILABLE,
            say(
                "检索暂时不可用：可以不写检索词直接列出，或稍后再试",
                "Search is unavailable for now: list without a query, or try again later",
            ),
            field="query",
        ) from None
    return list(dict.fromkeys(hit["source_id"] for hit in found["hits"]))
