"""Finding suggestions by their words. Search only picks the matching ids, best first; the
list itself (its other filters, order and pages) comes from MongoDB. The permission filter
is built from the same access clauses as MongoDB's (``Suggestion.access``)."""

from typing import Any

import meilisearch

from api.access import Clauses, Viewer
from api.models.suggestions import Suggestion
from search.client import call, quote
from search.indexes import SUGGESTION_ACCESS, SUGGESTIONS
from search.text import search_query


def _value(value: Any) -> str:
    return quote(str(value))


def access_filter(clauses: Clauses) -> str | None:
    """The Meilisearch filter of access clauses; None when everything may be read."""
    if clauses is None:
        return None
    if not clauses:
        return "source_id IN []"
    parts = []
    for clause in clauses:
        terms = []
        for name, value in clause.items():
            if name not in SUGGESTION_ACCESS:
                raise ValueError(f"{name} is not a search access field")
            if isinstance(value, list):
                terms.append(f"{name} IN [{', '.join(_value(v) for v in value)}]")
            else:
                terms.append(f"{name} = {_value(value)}")
        parts.append("(" + " AND ".join(terms) + ")")
    return " OR ".join(parts)


async def matching_ids(
    client: meilisearch.Client, *, viewer: Viewer, text: str, prefix: str, limit: int
) -> list[str]:
    """The ids of the suggestions ``viewer`` may see that match ``text``, best first."""
    permission = access_filter(Suggestion.access(viewer))
    parameters: dict[str, Any] = {
        "attributesToRetrieve": ["source_id"],
        "limit": limit,
        "matchingStrategy": "all",
        "locales": ["cmn"],
    }
    if permission is not None:
        parameters["filter"] = [permission]
    index = client.index(SUGGESTIONS.uid(prefix))
    found = await call(lambda: index.search(search_query(text), parameters))
    return [hit["source_id"] for hit in found["hits"]]
