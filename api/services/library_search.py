"""Searching the library as a viewer: the question read, an article reference answered
directly, the rest searched in Meilisearch under the viewer's permission filter, and a notice
whenever the answer would otherwise be an unexplained empty list."""

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import meilisearch
from bson import ObjectId
from meilisearch.errors import MeilisearchCommunicationError, MeilisearchTimeoutError

from api.access import Viewer
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.regulations import Regulation, readable_by
from api.services.article_reference import Found, find_article
from search.query import read
from search.regulations import (
    ArticleMatch,
    DocumentHit,
    Notice,
    NoticeCode,
    RegulationSearch,
    SearchResults,
    search_regulations,
)
from search.text import Snippet
from search.word_counts import WordCounts

log = logging.getLogger("jiandu.regulations")

QUERY_MAX = 200
"""Characters of a search query: far more than any real one, far less than abuse."""
PASSAGE_CHARS = 80


def _answer(found: Found) -> SearchResults:
    article = found.article
    cut = article.text[:PASSAGE_CHARS]
    passage = Snippet(text=cut + ("…" if len(article.text) > len(cut) else ""), matches=[])
    match = ArticleMatch(
        number=article.number, label=article.label, heading=article.heading, snippet=passage
    )
    hit = DocumentHit(regulation_id=str(found.regulation.id), articles=[match])
    return SearchResults(hits=[hit], total=1, facets={})


def _empty(code: NoticeCode, message: str) -> SearchResults:
    return SearchResults(hits=[], total=0, facets={}, notice=Notice(code, message))


FACETED = {"kind": "kind", "level": "level", "status": "status", "region": "region",
           "categories": "categories", "year": "promulgated_on"}  # fmt: skip
"""Each facet and the stored field it counts."""


Readable = Callable[[list[ObjectId]], Awaitable[list[Any]]]
"""The viewer's regulations by id, None for one they may not read (a request's loader, so
the documents of a page are read once, for the check and for the page)."""


async def _rechecked(results: SearchResults, readable: Readable) -> SearchResults:
    """The hits re-checked against MongoDB, the source of truth: a document made internal a
    moment ago, which the index does not know yet, is dropped from the page, its count and
    its facet values, so no passage, title or count of it reaches a viewer who may no longer
    read it."""
    ids = [ObjectId(hit.regulation_id) for hit in results.hits]
    if not ids:
        return results
    kept = {str(i) for i, document in zip(ids, await readable(ids), strict=True) if document}
    dropped = [i for i in ids if str(i) not in kept]
    if not dropped:
        return results
    facets = {name: dict(values) for name, values in results.facets.items()}
    async for gone in Regulation.get_pymongo_collection().find(
        {"_id": {"$in": dropped}}, dict.fromkeys(FACETED.values(), 1)
    ):
        for name, stored in FACETED.items():
            value = gone.get(stored)
            values = value if isinstance(value, list) else [value]
            for v in values:
                key = str(v.year) if name == "year" and v is not None else str(v)
                if key in facets.get(name, {}):
                    facets[name][key] -= 1
                    if facets[name][key] <= 0:
                        del facets[name][key]
    return dataclasses.replace(
        results,
        hits=[hit for hit in results.hits if hit.regulation_id in kept],
        total=max(0, results.total - len(dropped)),
        facets=facets,
    )


async def search(
    *,
    client: meilisearch.Client,
    prefix: str,
    request: RegulationSearch,
    viewer: Viewer,
    readable: Readable,
    counts: WordCounts,
) -> SearchResults:
    """Search the library as ``viewer``: the permission filter is set here, whatever the
    request says."""
    if len(request.text) > QUERY_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"检索词最多 {QUERY_MAX} 个字，这次有 {len(request.text)} 个：请只写要找的内容",
                f"A query may have at most {QUERY_MAX} characters, this one has "
                f"{len(request.text)}: write only what you are looking for",
            ),
            field="query",
        )
    request = dataclasses.replace(request, visibilities=[str(v) for v in readable_by(viewer)])
    question = read(request.text)
    query = question.text
    unknown: Notice | None = None
    if question.reference is not None:
        found = await find_article(
            reference=question.reference, viewer=viewer, on=request.in_force_on
        )
        if isinstance(found, Notice):
            return SearchResults(hits=[], total=0, facets={}, notice=found)
        if found is not None:
            return _answer(found) if request.offset == 0 else SearchResults([], 1, {})
        query = question.with_reference
        unknown = Notice(
            NoticeCode.LAW_NOT_FOUND,
            say(
                f"库中没有名为“{question.reference.name}”的文件（或你无权查看），已按字词查找",
                f'The library has no document named "{question.reference.name}" (or you may '
                "not see it); its words were searched instead",
            ),
        )
    if request.text.strip() and not query:
        if question.only_question_words:
            return _empty(
                NoticeCode.ONLY_QUESTION_WORDS,
                say(
                    "只有疑问词，没有要查的内容：请写出要查的事，如“预算调整 审批”",
                    "The query has only question words: write what you are looking for, "
                    "e.g. a subject and what is done with it",
                ),
            )
        return _empty(
            NoticeCode.NOTHING_TO_SEARCH,
            say(
                "检索词里没有可查的字词：请输入中文或数字",
                "The query has no words to search for: enter Chinese words or digits",
            ),
        )
    try:
        results = await search_regulations(
            client, request, prefix=prefix, query=query, counts=counts
        )
    except (MeilisearchCommunicationError, MeilisearchTimeoutError) as e:
        log.warning("search is unavailable", extra={"error": str(e)})
        raise DomainError(
            ErrorCode.SEARCH_UNAVAILABLE,
            say(
                "检索暂时不可用，请稍后再试；打开文件不受影响。",
                "Search is unavailable for now; try again later. Opening documents still works.",
            ),
        ) from None
    results = await _rechecked(results, readable)
    if unknown is not None and request.offset == 0:
        return dataclasses.replace(results, notice=unknown)
    if query and results.total == 0 and request.offset == 0:
        notice = Notice(
            NoticeCode.NO_MATCH,
            say(
                "没有找到相关条文：可以少写几个词，或换个说法",
                "No article matches: try fewer words, or other words",
            ),
        )
        return dataclasses.replace(results, notice=notice)
    return results
