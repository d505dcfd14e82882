"""Budget objects whose names match a text: classification codes, and the key projects of
the load that is current, best first. Names are public record and only people who may read
every figure ask (staff and lead deputies proposing links), so no permission filter is
needed beyond the current load."""

from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchCommunicationError, MeilisearchTimeoutError

from api.errors import DomainError, ErrorCode
from api.language import say
from search.client import call, quote
from search.indexes import BUDGET_SUBJECTS
from search.text import search_query


async def matching_subjects(
    client: meilisearch.Client, *, phrases: list[str], prefix: str, projects_load: str | None,
    limit: int,
) -> list[dict[str, Any]]:  # fmt: skip
    """Hits with ``kind`` (CLASSIFICATION or PROJECT), ``code`` and ``name`` whose names hold
    one of the phrases whole, in the order of the phrases, each once; one request."""
    wanted = "kind = CLASSIFICATION"
    if projects_load:
        wanted += f" OR load = {quote(projects_load)}"
    uid = BUDGET_SUBJECTS.uid(prefix)
    queries = [
        {
            "indexUid": uid, "q": search_query(phrase), "filter": [wanted], "limit": limit,
            "matchingStrategy": "all", "locales": ["cmn"],
            "attributesToRetrieve": ["kind", "code", "name"],
        }
        for phrase in phrases
    ]  # fmt: skip
    if not queries:
        return []
    try:
        found = await call(lambda: client.multi_search(queries))
    except (MeilisearchCommunicationError, MeilisearchTimeoutError):
        raise DomainError(
            ErrorCode.SEARCH_UNAVAILABLE,
            say("检索暂时不可用，请稍后再试", "Search is unavailable now; try again later"),
        ) from None
    hits: dict[tuple[str, str], dict[str, Any]] = {}
    for result in found["results"]:
        for hit in result["hits"]:
            hits.setdefault((hit["kind"], hit["code"]), hit)
    return list(hits.values())[:limit]
