"""``searchRegulations``: documents found by a few Chinese words, each with its matching
articles and highlighted passages, and facet counts for narrowing down."""

import hashlib
import json
from datetime import date

import strawberry
from strawberry import relay

from api.models.regulations import Level, RegulationKind, RegulationStatus
from api.models.regulations import Regulation as RegulationDocument
from api.services import library_search
from schema.context import Info
from schema.enums import graphql_enum
from schema.nodes import object_id, offset_after, offset_cursor, page_info, page_size
from schema.regulations import Regulation
from schema.selection import asked
from search.regulations import FACETS, NoticeCode, RegulationSearch, SearchOrder
from search.text import Snippet

graphql_enum(SearchOrder, description="The order of search results.")
graphql_enum(NoticeCode, description="Why a search answered as it did.")

FACET_LABELS = {"kind": RegulationKind, "level": Level, "status": RegulationStatus}


@strawberry.input(
    description="Narrows a search; each list matches any of its values, and all "
    "given lists must match."
)
class RegulationFilter:
    kinds: list[RegulationKind] | None = strawberry.field(default=None, description="Kinds.")
    levels: list[Level] | None = strawberry.field(default=None, description="Levels.")
    statuses: list[RegulationStatus] | None = strawberry.field(
        default=None, description="Statuses."
    )
    regions: list[str] | None = strawberry.field(default=None, description="Regions, exactly.")
    categories: list[str] | None = strawberry.field(default=None, description="Topics.")
    years: list[int] | None = strawberry.field(default=None, description="Years of promulgation.")
    in_force_on: date | None = strawberry.field(
        default=None, description="Only versions whose text was in force on this date."
    )


@strawberry.type(description="A stretch of a passage that matches the search.")
class TextRange:
    start: int = strawberry.field(description="Offset in the passage, in characters.")
    length: int = strawberry.field(description="Length in characters.")


@strawberry.type(description="A short passage of an article around what matched.")
class Passage:
    text: str = strawberry.field(description="The passage; … where it was cut.")
    matches: list[TextRange] = strawberry.field(description="The stretches to highlight.")

    @classmethod
    def from_snippet(cls, snippet: Snippet) -> "Passage":
        return cls(
            text=snippet.text,
            matches=[TextRange(start=s, length=n) for s, n in snippet.matches],
        )


@strawberry.type(description="An article that matches the search, e.g. 预算法 第六十七条.")
class ArticleMatch:
    number: int = strawberry.field(description="The article's number (0 for the preamble).")
    label: str = strawberry.field(
        description="As written, e.g. 第六十七条; empty for the preamble."
    )
    heading: str = strawberry.field(description="The headings it sits under.")
    passage: Passage = strawberry.field(description="The matching passage, to highlight.")


@strawberry.type(description="A document that matches, with its best-matching articles.")
class RegulationHit:
    regulation_id: strawberry.Private[str]
    articles: list[ArticleMatch] = strawberry.field(
        description="Its best-matching articles, best first: up to five, the others beside "
        "the best only when they are nearly as good; empty for a search without words."
    )

    @strawberry.field(description="The document.")
    async def regulation(self, info: Info) -> Regulation | None:
        regulation_id = object_id(self.regulation_id)
        loader = info.context.loaders.by_id(RegulationDocument, without=Regulation.SUMMARY)
        document = await loader.load(regulation_id) if regulation_id else None
        return Regulation.from_summary(document) if document else None


@strawberry.type(description="One value of a facet and how many documents have it.")
class FacetValue:
    value: str = strawberry.field(description="The value, as used in the filter.")
    label: str = strawberry.field(description="How to show it (the Chinese name of an enum).")
    count: int = strawberry.field(description="Documents that match the search and have it.")


@strawberry.type(description="How the documents that match spread over one attribute.")
class Facet:
    field: str = strawberry.field(
        description="kind, level, status, region, categories or year (the filter's names)."
    )
    values: list[FacetValue] = strawberry.field(description="Values, most frequent first.")


@strawberry.type(
    description="Why a search found nothing, or found only this: a reference to an article "
    "that does not exist, a law name that fits several laws, a query of question words only."
)
class SearchNotice:
    code: NoticeCode = strawberry.field(description="What happened, for the program.")
    message: str = strawberry.field(
        description="What happened, for the person, in the request's language (Chinese unless "
        "Accept-Language prefers English), e.g. 预算法没有第三百条."
    )


@strawberry.type(description="One document in a page of search results.")
class RegulationHitEdge:
    cursor: str = strawberry.field(description="Where this hit is, for `after`.")
    node: RegulationHit = strawberry.field(description="The hit.")


@strawberry.type(description="A page of search results, with counts over all of them.")
class RegulationSearchConnection:
    edges: list[RegulationHitEdge] = strawberry.field(description="The hits of this page.")
    page_info: relay.PageInfo = strawberry.field(description="Where the page is in the list.")
    total_count: int = strawberry.field(
        description="How many documents match (of those you may see). A question ranked "
        "by relevance counts the documents of its best-scored articles (a few hundred at "
        "most, all reachable by paging); a listing or an order by date counts them all."
    )
    facets: list[Facet] = strawberry.field(description="Counts per value, for narrowing down.")
    notice: SearchNotice | None = strawberry.field(
        description="Said when the hits alone would not explain themselves (see SearchNotice)."
    )


def _fingerprint(query: str, filter: RegulationFilter | None, order: SearchOrder) -> str:
    described = json.dumps([query, repr(filter), order.value], ensure_ascii=False)
    return hashlib.sha256(described.encode()).hexdigest()[:12]


def _label(field: str, value: str) -> str:
    enum = FACET_LABELS.get(field)
    return enum[value].label if enum and value in enum.__members__ else value


@strawberry.type
class RegulationSearchQuery:
    @strawberry.field(
        description="Search the library by a question or a few words, in simplified or "
        "traditional script. Articles are ranked; each document comes with its best-matching "
        "articles, highlighted, in the order of its best one, with facet counts of documents. "
        "An article reference (预算法第六十七条, 《预算法》第67条, 监督法第三十条规定) answers "
        "with that article of the version in force (on `filter.inForceOn` when given). "
        "Question words (哪些, 怎么办, 是否 …) need not match. A question worded like a known "
        "one (asked before, its answers read against the articles) brings those answers "
        "first when the library holds them. An empty query lists documents "
        "(newest first) by the filter alone. Internal documents appear only to deputies, staff "
        "and admins."
    )
    async def search_regulations(
        self,
        info: Info,
        query: str = "",
        filter: RegulationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order: SearchOrder = SearchOrder.RELEVANCE,
    ) -> RegulationSearchConnection:
        limit = page_size(info, first)
        fingerprint = _fingerprint(query, filter, order)
        offset = offset_after(fingerprint, after)
        given = filter or RegulationFilter()
        results = await library_search.search(
            client=info.context.resources.meili,
            prefix=info.context.settings.mongodb_database,
            viewer=info.context.viewer,
            readable=info.context.loaders.by_id(
                RegulationDocument, without=Regulation.SUMMARY
            ).load_many,
            counts=info.context.resources.word_counts,
            request=RegulationSearch(
                text=query,
                visibilities=[],
                kinds=[str(k) for k in given.kinds or []],
                levels=[str(v) for v in given.levels or []],
                statuses=[str(s) for s in given.statuses or []],
                regions=given.regions or [],
                categories=given.categories or [],
                years=given.years or [],
                in_force_on=given.in_force_on,
                order=order,
                offset=offset,
                limit=limit,
                home_region=info.context.settings.library_region,
                facets="facets" in asked(info),
                known=info.context.resources.known_questions,
            ),
        )
        edges = [
            RegulationHitEdge(
                cursor=offset_cursor(fingerprint, offset + i),
                node=RegulationHit(
                    regulation_id=hit.regulation_id,
                    articles=[
                        ArticleMatch(
                            number=a.number,
                            label=a.label,
                            heading=a.heading,
                            passage=Passage.from_snippet(a.snippet),
                        )
                        for a in hit.articles
                    ],
                ),
            )
            for i, hit in enumerate(results.hits)
        ]
        notice = results.notice
        return RegulationSearchConnection(
            notice=SearchNotice(code=notice.code, message=notice.message) if notice else None,
            edges=edges,
            page_info=page_info(
                [e.cursor for e in edges],
                has_next=offset + len(edges) < results.total,
                has_previous=offset > 0,
            ),
            total_count=results.total,
            facets=[
                Facet(
                    field=name,
                    values=[
                        FacetValue(value=value, label=_label(name, value), count=count)
                        for value, count in results.facets.get(name, {}).items()
                    ],
                )
                for name in FACETS
            ],
        )
