"""The regulation library in GraphQL: documents with their structure and versions, and the
staff's mutations that curate them."""

import dataclasses
from datetime import date, datetime
from typing import ClassVar

import strawberry
from strawberry import relay

from api.access import Role
from api.errors import DomainError
from api.models.regulations import Article as ArticleModel
from api.models.regulations import Excerpt as ExcerptDocument
from api.models.regulations import (
    HeadingKind,
    Level,
    RegulationKind,
    RegulationStatus,
    Visibility,
)
from api.models.regulations import Regulation as RegulationDocument
from api.services import regulations
from api.services.regulations import RegulationDraft
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import UserError, UserErrors
from schema.nodes import DocumentNode, offset_after, offset_cursor, page_info, page_size
from schema.permissions import roles

graphql_enum(RegulationKind, description="The kind of a document in the library.")
graphql_enum(RegulationStatus, description="Whether a document is in force (时效性).")
graphql_enum(HeadingKind, description="A structural heading: part 编, chapter 章, section 节.")

CURATORS = (Role.STAFF, Role.ADMIN)
ARTICLES = "article"
"""The mark of article cursors."""


@strawberry.type(description="An article (条) of a document, with its paragraphs and items.")
class Article:
    number: int = strawberry.field(description="The article's number, e.g. 67.")
    label: str = strawberry.field(description="The number as written, e.g. 第六十七条.")
    text: str = strawberry.field(description="The article's text; paragraphs on their own lines.")
    heading: str = strawberry.field(
        description="The headings it sits under, e.g. 第三章 预算编制 / 第一节 一般规定."
    )

    @classmethod
    def from_model(cls, article: ArticleModel) -> "Article":
        return cls(
            number=article.number, label=article.label, text=article.text, heading=article.heading
        )


@strawberry.type(description="An entry of a document's table of contents.")
class TableOfContentsEntry:
    kind: HeadingKind = strawberry.field(description="Part, chapter or section.")
    number: int = strawberry.field(description="Its number within its kind, e.g. 3.")
    label: str = strawberry.field(description="The number as written, e.g. 第三章.")
    title: str = strawberry.field(description="The heading's words, e.g. 预算编制.")
    first_article: int | None = strawberry.field(
        description="The number of the first article under it; null when none follows."
    )


@strawberry.type(description="One article in a page of articles.")
class ArticleEdge:
    cursor: str = strawberry.field(description="Where this article is, for `after`.")
    node: Article = strawberry.field(description="The article.")


@strawberry.type(description="A page of a document's articles, in order.")
class ArticleConnection:
    edges: list[ArticleEdge] = strawberry.field(description="The articles of this page.")
    page_info: relay.PageInfo = strawberry.field(description="Where the page is in the list.")
    total_count: int = strawberry.field(description="How many articles the document has.")


@strawberry.type(
    description="One version of a law, regulation, policy file or work material in the "
    "library. The versions of one work share `workId`."
)
class Regulation(DocumentNode):
    __document__ = RegulationDocument
    __label__ = "法规"

    id: relay.NodeID[str]
    work_id: str = strawberry.field(description="Shared by all versions of the same work.")
    title: str = strawberry.field(description="The title, e.g. 中华人民共和国预算法.")
    kind: RegulationKind = strawberry.field(description="Law, local regulation, policy file …")
    level: Level = strawberry.field(description="National, provincial, … township.")
    region: str = strawberry.field(description="行政区划; empty for national documents.")
    status: RegulationStatus = strawberry.field(description="Whether this version is in force.")
    visibility: Visibility = strawberry.field(description="PUBLIC, or INTERNAL for insiders.")
    document_number: str = strawberry.field(description="文号, e.g. 青政办发〔2024〕12号.")
    issuing_body: str = strawberry.field(description="制定机关: who issued it.")
    promulgated_on: date | None = strawberry.field(
        description="公布日期: the date of this version."
    )
    effective_on: date | None = strawberry.field(description="施行日期, when it differs.")
    ineffective_on: date | None = strawberry.field(
        description="失效日期: when a later version or a repeal ended this one."
    )
    categories: list[str] = strawberry.field(description="Topics, e.g. 预算审查, 政府债务.")
    tags: list[str] = strawberry.field(description="Free keywords.")
    created_at: datetime = strawberry.field(description="When it entered the library.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    SUMMARY: ClassVar[tuple[str, ...]] = ("preamble", "headings", "articles")
    """The fields a list of hits does without; a node built from such a summary loads them
    (for all nodes of the request in one query) when asked for."""

    @classmethod
    def from_summary(cls, document: RegulationDocument) -> "Regulation":
        node = cls.from_document(document)
        node.__dict__["_summary"] = True
        return node

    async def _full(self, info: Info) -> RegulationDocument:
        if not self.__dict__.get("_summary"):
            return self.document  # type: ignore[no-any-return]
        full = await info.context.loaders.by_id(RegulationDocument).load(self.document.id)
        return full or self.document

    @strawberry.field(
        description="The text before the first article: adoption and amendment history."
    )
    async def preamble(self, info: Info) -> str:
        return (await self._full(info)).preamble

    @strawberry.field(description="The parts, chapters and sections, in order.")
    async def table_of_contents(self, info: Info) -> list[TableOfContentsEntry]:
        document = await self._full(info)
        return [
            TableOfContentsEntry(
                kind=h.kind,
                number=h.number,
                label=h.label,
                title=h.title,
                first_article=(
                    document.articles[h.position].number
                    if h.position < len(document.articles)
                    else None
                ),
            )
            for h in document.headings
        ]

    @strawberry.field(description="The articles, in order, a page at a time.")
    async def articles(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> ArticleConnection:
        articles = (await self._full(info)).articles
        start = offset_after(ARTICLES, after)
        size = page_size(info, first)
        page = articles[start : start + size]
        edges = [
            ArticleEdge(cursor=offset_cursor(ARTICLES, start + i), node=Article.from_model(a))
            for i, a in enumerate(page)
        ]
        return ArticleConnection(
            edges=edges,
            page_info=page_info(
                [e.cursor for e in edges],
                has_next=start + size < len(articles),
                has_previous=start > 0,
            ),
            total_count=len(articles),
        )

    @strawberry.field(description="One article by its number (67 for 第六十七条); null if none.")
    async def article(self, info: Info, number: int) -> Article | None:
        articles = (await self._full(info)).articles
        found = next((a for a in articles if a.number == number), None)
        return Article.from_model(found) if found else None

    @strawberry.field(description="Every version of this work you may read, oldest first.")
    async def versions(self, info: Info) -> list["Regulation"]:
        loader = info.context.loaders.by_field(RegulationDocument, "work_id", sort="promulgated_on")
        return [Regulation.from_document(d) for d in await loader.load(self.document.work_id)]

    @strawberry.field(
        description="The version of this work whose text was in force on a date; null when "
        "none was (not yet enacted, or repealed by then)."
    )
    async def version_in_force(self, info: Info, on: date) -> "Regulation | None":
        loader = info.context.loaders.by_field(RegulationDocument, "work_id", sort="promulgated_on")
        found = regulations.in_force_on(await loader.load(self.document.work_id), on)
        return Regulation.from_document(found) if found else None

    @strawberry.field(description="Your own excerpts of this document, by article.")
    async def my_excerpts(self, info: Info) -> list["Excerpt"]:
        if not info.context.viewer.signed_in:
            return []
        loader = info.context.loaders.by_field(
            ExcerptDocument, "regulation_id", sort="article_number"
        )
        return [Excerpt.from_document(d) for d in await loader.load(self.document.id)]


@strawberry.type
class RegulationQuery:
    @strawberry.field(
        description="A document by id; null when it does not exist or you may not see it."
    )
    async def regulation(self, info: Info, id: strawberry.ID) -> Regulation | None:
        return await Regulation.load(info, Regulation.document_id(id))


# --- mutations for staff ---------------------------------------------------------------


@strawberry.type(description="A passage of an article you marked, with your note (摘录).")
class Excerpt(DocumentNode):
    __document__ = ExcerptDocument
    __label__ = "摘录"

    id: relay.NodeID[str]
    article_number: int = strawberry.field(description="The article's number, e.g. 67.")
    start: int = strawberry.field(description="Where the passage starts in the article text.")
    note: str = strawberry.field(description="Your note.")
    created_at: datetime = strawberry.field(description="When you marked it.")
    updated_at: datetime = strawberry.field(description="When you last changed the note.")

    @strawberry.field(
        description="The document; null if it was deleted or you may no longer see it."
    )
    async def regulation(self, info: Info) -> Regulation | None:
        return await Regulation.load(info, self.document.regulation_id)

    @strawberry.field(
        description="The passage as it was when you marked it; empty when you may no longer "
        "see the document (made internal since), so its words are not shown to you."
    )
    async def quote(self, info: Info) -> str:
        readable = await Regulation.load(info, self.document.regulation_id)
        return self.document.quote if readable is not None else ""


@strawberry.input(description="A new document (or a new version of one) for the library.")
class CreateRegulationInput:
    title: str = strawberry.field(description="1 to 200 characters.")
    kind: RegulationKind = strawberry.field(description="What kind of document it is.")
    level: Level = strawberry.field(description="Its level of government.")
    text: str = strawberry.field(
        default="",
        description="The text as in an imported file: headings like 第三章 预算编制 on their "
        "own lines, articles starting with 第十三条, the preamble before the first article.",
    )
    status: RegulationStatus | None = strawberry.field(
        default=None,
        description="Omitted: EFFECTIVE, or NOT_YET_EFFECTIVE while the effective date is ahead.",
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="Who reads it."
    )
    region: str = strawberry.field(default="", description="行政区划, up to 100 characters.")
    document_number: str = strawberry.field(default="", description="文号.")
    issuing_body: str = strawberry.field(default="", description="制定机关.")
    promulgated_on: date | None = strawberry.field(default=None, description="公布日期.")
    effective_on: date | None = strawberry.field(default=None, description="施行日期.")
    categories: list[str] = strawberry.field(default_factory=list, description="Topics.")
    tags: list[str] = strawberry.field(default_factory=list, description="Keywords.")
    version_of: strawberry.ID | None = strawberry.field(
        default=None,
        description="A version of the same work: the new document becomes its newer (or "
        "older) version, and the versions before the newest are marked AMENDED.",
    )


@strawberry.input(description="Changes to a document; omitted fields stay as they are.")
class UpdateRegulationInput:
    id: strawberry.ID = strawberry.field(description="The document's id.")
    title: str | None = strawberry.field(default=None, description="New title.")
    kind: RegulationKind | None = strawberry.field(default=None, description="New kind.")
    level: Level | None = strawberry.field(default=None, description="New level.")
    text: str | None = strawberry.field(default=None, description="New text (whole).")
    visibility: Visibility | None = strawberry.field(default=None, description="New visibility.")
    region: str | None = strawberry.field(default=None, description="New region.")
    document_number: str | None = strawberry.field(default=None, description="New 文号.")
    issuing_body: str | None = strawberry.field(default=None, description="New 制定机关.")
    promulgated_on: date | None = strawberry.field(default=None, description="New 公布日期.")
    effective_on: date | None = strawberry.field(default=None, description="New 施行日期.")
    categories: list[str] | None = strawberry.field(default=None, description="New topics.")
    tags: list[str] | None = strawberry.field(default=None, description="New keywords.")


@strawberry.input(description="A change of a document's status (时效性).")
class SetRegulationStatusInput:
    id: strawberry.ID = strawberry.field(description="The document's id.")
    status: RegulationStatus = strawberry.field(description="The new status.")
    ineffective_on: date | None = strawberry.field(
        default=None, description="For REPEALED or AMENDED: when it ended (default today)."
    )


@strawberry.input(description="The document to delete.")
class DeleteRegulationInput:
    id: strawberry.ID = strawberry.field(description="The document's id.")


@strawberry.type(description="The document after the change, or why it did not change.")
class RegulationPayload:
    regulation: Regulation | None = strawberry.field(default=None, description="The document.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="Which document was deleted, or why it was not.")
class DeleteRegulationPayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the deleted document."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


async def _target(info: Info, id: strawberry.ID) -> RegulationDocument:
    return await regulations.get_visible(
        regulation_id=Regulation.document_id(id), viewer=info.context.viewer
    )


def _changed(document: RegulationDocument, input: UpdateRegulationInput) -> RegulationDraft:
    current = regulations.draft_of(document)
    changes = {
        f.name: getattr(input, f.name)
        for f in dataclasses.fields(current)
        if getattr(input, f.name, None) is not None
    }
    return dataclasses.replace(current, **changes)


@strawberry.type
class RegulationMutation:
    @strawberry.mutation(
        description="Add a document to the library, or a new version of one.",
        extensions=[roles(*CURATORS), UserErrors()],
    )
    async def create_regulation(
        self, info: Info, input: CreateRegulationInput
    ) -> RegulationPayload:
        version_of = None
        if input.version_of is not None:
            try:
                version_of = await _target(info, input.version_of)
            except DomainError as e:
                raise DomainError(e.code, e.message, field="versionOf") from None
        document = await regulations.create_regulation(
            draft=RegulationDraft(
                title=input.title,
                kind=input.kind,
                level=input.level,
                status=input.status,
                visibility=input.visibility,
                region=input.region,
                document_number=input.document_number,
                issuing_body=input.issuing_body,
                promulgated_on=input.promulgated_on,
                effective_on=input.effective_on,
                categories=input.categories,
                tags=input.tags,
            ),
            text=input.text,
            version_of=version_of,
        )
        return RegulationPayload(regulation=Regulation.from_document(document))

    @strawberry.mutation(
        description="Change a document's description or text.",
        extensions=[roles(*CURATORS), UserErrors()],
    )
    async def update_regulation(
        self, info: Info, input: UpdateRegulationInput
    ) -> RegulationPayload:
        document = await _target(info, input.id)
        updated = await regulations.update_regulation(
            regulation=document, draft=_changed(document, input), text=input.text
        )
        return RegulationPayload(regulation=Regulation.from_document(updated))

    @strawberry.mutation(
        description="Change a document's status, e.g. record its repeal.",
        extensions=[roles(*CURATORS), UserErrors()],
    )
    async def set_regulation_status(
        self, info: Info, input: SetRegulationStatusInput
    ) -> RegulationPayload:
        document = await regulations.set_status(
            regulation=await _target(info, input.id),
            status=input.status,
            ineffective_on=input.ineffective_on,
        )
        return RegulationPayload(regulation=Regulation.from_document(document))

    @strawberry.mutation(
        description="Delete a document version, with the excerpts marked on it and its place "
        "in favorite folders.",
        extensions=[roles(*CURATORS), UserErrors()],
    )
    async def delete_regulation(
        self, info: Info, input: DeleteRegulationInput
    ) -> DeleteRegulationPayload:
        await regulations.delete_regulation(regulation=await _target(info, input.id))
        return DeleteRegulationPayload(deleted_id=input.id)
