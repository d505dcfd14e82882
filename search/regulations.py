"""Searching the regulation library: documents ranked and counted in the document index, and
for each document on the page its best-matching articles from the article index, in two
Meilisearch requests made from one worker thread.

The caller's permission filter comes first in every request's filter list; the user's
filters are ANDed after it with their values quoted, so nothing a client sends can widen it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import meilisearch

from api.labels import LabeledEnum
from search.client import call, quote
from search.indexes import REGULATION_ARTICLES, REGULATIONS
from search.text import Snippet, highlight, search_query

FACETS = ("kind", "level", "status", "region", "categories", "year")


class SearchOrder(LabeledEnum):
    RELEVANCE = "RELEVANCE", "按相关度"
    NEWEST = "NEWEST", "按公布日期从新到旧"
    OLDEST = "OLDEST", "按公布日期从旧到新"


@dataclass(frozen=True)
class RegulationSearch:
    text: str
    visibilities: list[str]
    """What the caller may read: the permission filter."""
    kinds: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    in_force_on: date | None = None
    order: SearchOrder = SearchOrder.RELEVANCE
    offset: int = 0
    limit: int = 20
    articles_per_hit: int = 3


@dataclass(frozen=True)
class ArticleMatch:
    number: int
    label: str
    heading: str
    snippet: Snippet


@dataclass(frozen=True)
class DocumentHit:
    regulation_id: str
    articles: list[ArticleMatch]


@dataclass(frozen=True)
class SearchResults:
    hits: list[DocumentHit]
    total: int
    facets: dict[str, dict[str, int]]


def _any_of(attribute: str, values: list[str] | list[int]) -> list[str]:
    if not values:
        return []
    quoted = ", ".join(quote(str(v)) for v in values)
    return [f"{attribute} IN [{quoted}]"]


def filters(search: RegulationSearch) -> list[str]:
    """The filter list: the permission filter first, then the user's filters."""
    if not search.visibilities:
        raise ValueError("a search without a permission filter")
    parts = _any_of("visibility", search.visibilities)
    parts += _any_of("kind", search.kinds)
    parts += _any_of("level", search.levels)
    parts += _any_of("status", search.statuses)
    parts += _any_of("region", search.regions)
    parts += _any_of("categories", search.categories)
    parts += [f"year IN [{', '.join(str(y) for y in search.years)}]"] if search.years else []
    if search.in_force_on is not None:
        day = int(search.in_force_on.strftime("%Y%m%d"))
        parts += [f"in_force_from <= {day}", f"in_force_until > {day}"]
    return parts


def _sort(search: RegulationSearch) -> list[str] | None:
    if search.order is SearchOrder.NEWEST or (
        search.order is SearchOrder.RELEVANCE and not search.text.strip()
    ):
        return ["promulgated:desc"]
    if search.order is SearchOrder.OLDEST:
        return ["promulgated:asc"]
    return None


def requests(search: RegulationSearch, prefix: str) -> tuple[str, str, dict[str, Any]]:
    """The document request: index uid, query, and parameters."""
    query = search_query(search.text) if search.text.strip() else ""
    parameters: dict[str, Any] = {
        "filter": filters(search),
        "facets": list(FACETS),
        "attributesToRetrieve": ["source_id"],
        "matchingStrategy": "all",
        "locales": ["cmn"],
    }
    if search.offset % search.limit == 0:
        parameters.update(hitsPerPage=search.limit, page=search.offset // search.limit + 1)
    else:
        parameters.update(offset=search.offset, limit=search.limit)
    if (order := _sort(search)) is not None:
        parameters["sort"] = order
    return REGULATIONS.uid(prefix), query, parameters


def article_queries(
    search: RegulationSearch, prefix: str, regulation_ids: list[str]
) -> list[dict[str, Any]]:
    """One article request per document on the page, sent together."""
    query = search_query(search.text)
    permission = filters(search)[0]
    return [
        {
            "indexUid": REGULATION_ARTICLES.uid(prefix),
            "q": query,
            "filter": [permission, f"source_id = {quote(regulation_id)}"],
            "limit": search.articles_per_hit,
            "matchingStrategy": "last",
            "locales": ["cmn"],
            "attributesToRetrieve": ["number", "label", "heading", "text"],
        }
        for regulation_id in regulation_ids
    ]


def run(client: meilisearch.Client, search: RegulationSearch, prefix: str) -> SearchResults:
    """Both requests (blocking; call through ``search.client.call``)."""
    uid, query, parameters = requests(search, prefix)
    found = client.index(uid).search(query, parameters)
    ids = [hit["source_id"] for hit in found["hits"]]
    articles: list[list[dict[str, Any]]] = [[] for _ in ids]
    if ids and search.text.strip():
        results = client.multi_search(article_queries(search, prefix, ids))["results"]
        articles = [result["hits"] for result in results]
    hits = [
        DocumentHit(
            regulation_id=regulation_id,
            articles=[
                ArticleMatch(
                    number=a["number"],
                    label=a["label"],
                    heading=a["heading"],
                    snippet=highlight(a["text"], search.text),
                )
                for a in matched
            ],
        )
        for regulation_id, matched in zip(ids, articles, strict=True)
    ]
    total = found.get("totalHits", found.get("estimatedTotalHits", len(hits)))
    return SearchResults(hits=hits, total=total, facets=found.get("facetDistribution", {}))


async def search_regulations(
    client: meilisearch.Client, search: RegulationSearch, *, prefix: str
) -> SearchResults:
    return await call(lambda: run(client, search, prefix))
