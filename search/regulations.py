"""Searching the regulation library. Articles are what is ranked. A question ordered by
relevance is ranked by ``search.ranking`` (candidate articles gathered from Meilisearch and
scored here), then grouped by document, documents in the order of their best article. A
listing, or a question ordered by date, is Meilisearch's: one request ranks the articles and
keeps each document's best (``distinct``), counted and faceted as documents; a second brings
each document's best few articles with their highlighted passages. All of a search's requests
are made from one worker thread. The query is read first (``search.query``).

The caller's permission filter comes first in every request's filter list; the user's
filters are ANDed after it with their values quoted, so nothing a client sends can widen it.
"""

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import meilisearch

from api.labels import LabeledEnum
from search.client import call, quote
from search.indexes import REGULATION_ARTICLES, REGULATION_DISPLAYED
from search.known import Answered, Article, KnownQuestions, opening
from search.ranking import (
    Scored,
    backed_off,
    candidate_queries,
    parts,
    places,
    question_words,
    scored,
    searched,
    weights,
)
from search.text import Snippet, passage
from search.word_counts import WordCounts
from search.words import words

KNOWN_ARTICLES = 20
"""Articles asked for that answered known questions (their versions included)."""
FACETS = ("kind", "level", "status", "region", "categories", "year")
FACETED_ONLY = ("status", "categories", "year")
"""What a candidate article is retrieved with only for the facet counts."""
ALSO_SHOWN = 0.75
"""A document's other articles are shown beside its best one when they score at least this
share of it: a weaker one would only push the next documents' best articles down the page
(from 0.6 to 0.85 the two question sets of bench/README.md score alike)."""


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
    articles_per_hit: int = 5
    """A document's articles shown at most: its best, and those nearly as good
    (``ALSO_SHOWN``). Five found 10 answers more in the first five articles than three over
    the fourteen question sets of bench/README.md, and one more on a fifteenth nobody had
    seen: when one law answers, the article asked for is often its fourth or fifth best."""
    home_region: str = ""
    """The deployment's region (setting ``library_region``): its local regulations rise."""
    facets: bool = True
    """Whether the facet counts are wanted: a question ranked by relevance retrieves what
    they count, and counts it, only then."""
    known: KnownQuestions | None = None
    """The known questions (``search.known``) whose answers rise for a question like one of
    them: the packaged ones (``Resources.known_questions``)."""


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


class NoticeCode(LabeledEnum):
    ARTICLE_NOT_FOUND = "ARTICLE_NOT_FOUND", "没有这一条"
    NOT_IN_FORCE = "NOT_IN_FORCE", "该日期没有施行中的版本"
    LAW_NOT_FOUND = "LAW_NOT_FOUND", "没有这个名称的文件，已按字词查找"
    AMBIGUOUS_LAW = "AMBIGUOUS_LAW", "法律名称对应多部文件"
    ONLY_QUESTION_WORDS = "ONLY_QUESTION_WORDS", "只有疑问词"
    NOTHING_TO_SEARCH = "NOTHING_TO_SEARCH", "没有可查的字词"
    NO_MATCH = "NO_MATCH", "没有找到"


@dataclass(frozen=True)
class Notice:
    """Why a search found what it found (or nothing), in words for the person searching."""

    code: NoticeCode
    message: str


@dataclass(frozen=True)
class SearchResults:
    hits: list[DocumentHit]
    total: int
    facets: dict[str, dict[str, int]]
    notice: Notice | None = None


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


MARK_START, MARK_END = "\x02", "\x03"
"""Highlight marks asked of Meilisearch; control characters never occur in stored text."""
PASSAGE_WORDS = 40
"""Words of an article shown around what matched (about 80 characters of Chinese)."""


def _passage_parameters() -> dict[str, Any]:
    return {
        "attributesToCrop": ["text"],
        "cropLength": PASSAGE_WORDS,
        "cropMarker": "…",
        "attributesToHighlight": ["text"],
        "highlightPreTag": MARK_START,
        "highlightPostTag": MARK_END,
    }


def requests(search: RegulationSearch, prefix: str, query: str) -> tuple[str, str, dict[str, Any]]:
    """The request for the page: articles ranked, one per document (its best), with the
    documents' count and facets. ``query`` is the question as read (``search.query``)."""
    parameters: dict[str, Any] = {
        "filter": filters(search),
        "facets": list(FACETS),
        "distinct": "source_id",
        "attributesToRetrieve": ["source_id"],
        "matchingStrategy": "frequency",
        "locales": ["cmn"],
    }
    if search.offset % search.limit == 0:
        parameters.update(hitsPerPage=search.limit, page=search.offset // search.limit + 1)
    else:
        parameters.update(offset=search.offset, limit=search.limit)
    if (order := _sort(search)) is not None:
        parameters["sort"] = order
    return REGULATION_ARTICLES.uid(prefix), query, parameters


def article_queries(
    search: RegulationSearch, prefix: str, query: str, regulation_ids: list[str]
) -> list[dict[str, Any]]:
    """The best articles of each document on the page, one request each, sent together."""
    return [
        {
            "indexUid": REGULATION_ARTICLES.uid(prefix),
            "q": query,
            "filter": [*filters(search), f"source_id = {quote(regulation_id)}"],
            "limit": search.articles_per_hit,
            "matchingStrategy": "frequency",
            "locales": ["cmn"],
            "attributesToRetrieve": ["number", "label", "heading"],
            **_passage_parameters(),
        }
        for regulation_id in regulation_ids
    ]


def snippet(formatted: str) -> Snippet:
    """A passage as Meilisearch marked it: the text, and where the marks were."""
    text: list[str] = []
    matches: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for char in formatted:
        if char == MARK_START:
            start = length
        elif char == MARK_END:
            if start is not None and length > start:
                matches.append((start, length - start))
            start = None
        else:
            text.append(char)
            length += 1
    return Snippet(text="".join(text), matches=matches)


def _article(hit: dict[str, Any]) -> ArticleMatch:
    return ArticleMatch(
        number=hit["number"],
        label=hit["label"],
        heading=hit["heading"],
        snippet=snippet(hit["_formatted"]["text"]),
    )


def _counted(client: meilisearch.Client, search: RegulationSearch, prefix: str,
             found: list[str], counts: WordCounts) -> tuple[list[int], int]:  # fmt: skip
    """Each word's document frequency among the articles the caller may read, and their
    number: kept ones from ``counts``, the others asked of Meilisearch in one request."""
    uid = REGULATION_ARTICLES.uid(prefix)
    permission = filters(search)[:1]
    scope = (uid, permission[0])
    known = counts.known(scope, ["", *found])
    missing = [w for w in ["", *found] if w not in known]
    if missing:
        one = {"indexUid": uid, "limit": 0, "locales": ["cmn"], "filter": permission}
        queries = [{**one, "q": w, "matchingStrategy": "all"} for w in missing]
        results = client.multi_search(queries)["results"]
        asked = {w: r["estimatedTotalHits"] for w, r in zip(missing, results, strict=True)}
        counts.keep(scope, asked)
        known |= asked
    return [known[w] for w in found], known[""]


@dataclass(frozen=True)
class Ranking:
    """The scored candidates of a question, best first, and the weighed words."""

    articles: list[Scored]
    weighed: dict[str, float]


@dataclass(frozen=True)
class Candidates:
    """The articles gathered for a question, and its weighed words: what is scored."""

    hits: list[dict[str, Any]]
    weighed: dict[str, float]
    known: dict[str, float] = field(default_factory=dict)
    """The candidates (by id) that answered a known question like this one, with how alike
    the two questions are."""


def gathered(
    client: meilisearch.Client,
    search: RegulationSearch,
    prefix: str,
    query: str,
    counts: WordCounts,
) -> Candidates:
    """The question's words weighed and candidates gathered (``search.ranking``)."""
    found = question_words(query)
    inside = {word: parts(word) for word in found}
    asked = list(dict.fromkeys([*found, *(p for ps in inside.values() for p in ps)]))
    held, articles = _counted(client, search, prefix, asked, counts)
    frequencies = dict(zip(asked, held, strict=True))
    weighed = backed_off(inside, weights(asked, held, articles), frequencies)
    kept = searched(weighed, found) or found
    uid = REGULATION_ARTICLES.uid(prefix)
    queries = candidate_queries(kept, places(inside))
    if not queries:  # every word of the question is a stop word
        return Candidates(hits=[], weighed=weighed)
    # What is scored and shown; what only the facets count, only when they are asked for.
    shown = [a for a in REGULATION_DISPLAYED if search.facets or a not in FACETED_ONLY]
    gather = [
        {"indexUid": uid, "q": q, "filter": filters(search), "limit": limit,
         "matchingStrategy": strategy, "locales": ["cmn"],
         "attributesToRetrieve": shown, "showRankingScore": True}
        for q, strategy, limit in queries
    ]  # fmt: skip
    answered = search.known.closest(found) if search.known is not None else None
    if answered is not None:
        # First, so that an article the words also gathered keeps their ranking score.
        gather.insert(0, _answers_request(search, uid, answered.articles, shown))
    results = client.multi_search(gather)["results"]
    hits = {h["id"]: h for result in results for h in result["hits"]}
    known = _answering(hits.values(), answered) if answered is not None else {}
    return Candidates(hits=list(hits.values()), weighed=weighed, known=known)


def _answering(hits: Iterable[dict[str, Any]], answered: Answered) -> dict[str, float]:
    """The hits that are the known answers: their title and number, and a text that opens as
    the answer's did (another text there is another article)."""
    return {
        hit["id"]: answered.alike
        for hit in hits
        if (opens := answered.articles.get((hit["title"], hit["number"]))) is not None
        and opening(hit["text"]) == opens
    }


def _answers_request(
    search: RegulationSearch, uid: str, articles: Collection[Article], shown: list[str]
) -> dict[str, Any]:
    """The request for the articles that answered a known question, as the caller may read
    them and the filters allow."""
    titles = ", ".join(quote(title) for title in sorted({t for t, _ in articles}))
    numbers = ", ".join(str(n) for n in sorted({n for _, n in articles}))
    return {
        "indexUid": uid, "q": "", "limit": KNOWN_ARTICLES, "attributesToRetrieve": shown,
        "filter": [*filters(search), f"title IN [{titles}]", f"number IN [{numbers}]"],
    }  # fmt: skip


def ranking(candidates: Candidates, search: RegulationSearch) -> Ranking:
    """The candidates scored (``search.ranking``), those that hold none of the question's
    words left out."""
    best = scored(
        candidates.hits, candidates.weighed, search.text, search.home_region, candidates.known
    )
    return Ranking(articles=[s for s in best if s.holds], weighed=candidates.weighed)


def ranked(found: Ranking, search: RegulationSearch) -> SearchResults:
    """A question's ranking as a page: documents in the order of their best article,
    counted and faceted as listed (a facet's count is what choosing it lists)."""
    weighed = found.weighed
    documents: dict[str, list[Scored]] = {}
    shown: dict[tuple[str, str], str] = {}
    # One version of a work: the one in force if it has a candidate (an amended version may
    # word the answer closer to the question, but deputies cite the law as it stands), else
    # the best scored; the others are reached through its versions.
    in_force = {(a.hit["title"], a.hit["region"]) for a in found.articles if a.hit["current"]}
    for article in found.articles:
        hit = article.hit
        if not hit["current"] and (hit["title"], hit["region"]) in in_force:
            continue
        version = shown.setdefault((hit["title"], hit["region"]), hit["source_id"])
        if version != hit["source_id"]:
            continue
        matched = documents.setdefault(hit["source_id"], [])
        if not matched or article.score >= ALSO_SHOWN * matched[0].score:
            matched.append(article)
    needles = {w for word in weighed for w in (word, *words().synonyms.get(word, []))}
    page = list(documents.items())[search.offset : search.offset + search.limit]
    hits = [
        DocumentHit(
            regulation_id=regulation_id,
            articles=[
                ArticleMatch(
                    number=a.hit["number"],
                    label=a.hit["label"],
                    heading=a.hit["heading"],
                    snippet=passage(a.hit["text"], needles),
                )
                for a in matched[: search.articles_per_hit]
            ],
        )
        for regulation_id, matched in page
    ]
    best = (matched[0].hit for matched in documents.values())
    facets = listed_facets(best) if search.facets else {}
    return SearchResults(hits=hits, total=len(documents), facets=facets)


def listed_facets(best: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """How many of the listed documents have each facet value (as Meilisearch writes them)."""
    counted: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for hit in best:
        for name, tally in counted.items():
            value = hit.get(name)
            for one in value if isinstance(value, list) else [value]:
                if one is not None and one != "":
                    tally[str(one)] += 1
    return {name: dict(tally.most_common()) for name, tally in counted.items() if tally}


def run(
    client: meilisearch.Client,
    search: RegulationSearch,
    prefix: str,
    query: str,
    counts: WordCounts,
) -> SearchResults:
    """The search (blocking; call through ``search.client.call``): a question by relevance is
    ranked here; a listing, or an order by date, is Meilisearch's."""
    if query and search.order is SearchOrder.RELEVANCE:
        return ranked(ranking(gathered(client, search, prefix, query, counts), search), search)
    uid, query, parameters = requests(search, prefix, query)
    found = client.index(uid).search(query, parameters)
    ids = [hit["source_id"] for hit in found["hits"]]
    articles: list[list[dict[str, Any]]] = [[] for _ in ids]
    if ids and query:
        results = client.multi_search(article_queries(search, prefix, query, ids))["results"]
        articles = [result["hits"] for result in results]
    hits = [
        DocumentHit(regulation_id=regulation_id, articles=[_article(a) for a in matched])
        for regulation_id, matched in zip(ids, articles, strict=True)
    ]
    total = found.get("totalHits", found.get("estimatedTotalHits", len(hits)))
    return SearchResults(hits=hits, total=total, facets=found.get("facetDistribution", {}))


async def search_regulations(
    client: meilisearch.Client,
    search: RegulationSearch,
    *,
    prefix: str,
    query: str,
    counts: WordCounts,
) -> SearchResults:
    return await call(lambda: run(client, search, prefix, query, counts))
