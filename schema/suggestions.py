"""Deputy suggestions in GraphQL: the suggestion with its people, units, replies, supervision
and timeline; lists with filters and keyset pages; statistics for staff.

Every relation goes through the request's loaders, so a page of suggestions with deputies,
co-signers and units costs the same few MongoDB commands whatever its size. What of a
suggestion's handling a caller reads (replies, timeline, supervision records, names,
evaluation notes) is decided by one rule, ``api.access.handling``: its parties and staff
read all of it, everyone else its outcome only."""

import base64
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.access import Handling, Role, Viewer, handling
from api.errors import DomainError
from api.language import say
from api.models.regulations import Visibility
from api.models.suggestions import (
    AWAITING_REPLY,
    ResultClass,
    Satisfaction,
    SuggestionKind,
    SuggestionState,
    SupervisionMethod,
    UnitRole,
)
from api.models.suggestions import Reply as ReplyModel
from api.models.suggestions import Suggestion as SuggestionDocument
from api.paging import keyset_page
from api.services import suggestions
from api.services.suggestion_ledger import export_ledger
from api.services.suggestion_loop import LOOP, next_steps
from api.services.suggestion_loop import SuggestionStep as Step
from api.services.suggestion_stats import StatsGrouping, hot_topics, suggestion_stats
from api.services.suggestions import SORTS, SuggestionSort
from schema.attachments import Attachment, attachments
from schema.budget_figures import month_argument, year_of
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import ClientError
from schema.nodes import Connection, DocumentNode, build, document_ids, page_size
from schema.people import CongressSession, Deputy, Unit
from schema.permissions import roles, signed_in
from schema.spending import (
    BudgetCandidate,
    BudgetLink,
    Spending,
    budget_candidates,
    budget_link,
    spending,
    spending_loader,
)
from schema.timeline import TimelineEvent, timeline

graphql_enum(SuggestionKind, description="建议, 批评, 意见, or 议案.")
graphql_enum(SuggestionState, description="Where a suggestion is in the loop 提-交-办-督-评.")
graphql_enum(ResultClass, description="How a reply resolves a suggestion (答复类别 A/B/C).")
graphql_enum(Satisfaction, description="The lead deputy's evaluation of a reply.")
graphql_enum(UnitRole, description="Lead unit (主办) or co-unit (协办).")
graphql_enum(SupervisionMethod, description="How supervision (督办) was done.")
graphql_enum(SuggestionSort, description="Orders of a suggestion list.")
graphql_enum(StatsGrouping, description="What suggestion statistics are grouped by.")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PARTIES_ONLY = (
    "Null unless you take part in the handling (its deputies, the handlers of its units) or "
    'are staff: see README, "Who sees what".'
)


@strawberry.type(description="A promise made in a reply (承诺事项).")
class Commitment:
    id: strawberry.ID = strawberry.field(description="For `completeCommitment`.")
    text: str = strawberry.field(description="What was promised.")
    due_on: date = strawberry.field(description="By when.")
    done: bool = strawberry.field(description="Whether it is done.")
    done_at: datetime | None = strawberry.field(description="When it was marked done.")


@strawberry.type(description="A unit's reply (答复) in one round of handling.")
class Reply:
    unit_role: UnitRole = strawberry.field(description="Lead unit or co-unit.")
    round: int = strawberry.field(description="1, or 2 and up after re-handles.")
    text: str = strawberry.field(description="The reply.")
    result_class: ResultClass = strawberry.field(description="A, B or C.")
    public: bool = strawberry.field(description="Whether the public may read it.")
    replied_at: datetime = strawberry.field(description="When it came.")
    replied_by: str | None = strawberry.field(
        description=f"Who sent it (a person's name). {PARTIES_ONLY}"
    )
    on_time: bool = strawberry.field(description="Whether it came by the deadline.")

    @strawberry.field(description="The unit that replied.")
    async def unit(self, info: Info) -> Unit | None:
        source: ReplyModel = self.__dict__["_document"]
        return await Unit.load(info, source.unit_id)

    @strawberry.field(description="What the unit promised, and whether it is done.")
    def commitments(self) -> list[Commitment]:
        source: ReplyModel = self.__dict__["_document"]
        return [build(Commitment, c, id=str(c.id)) for c in source.commitments]


@strawberry.type(description="An act of supervision (督办) or a three-party meeting.")
class SupervisionRecord:
    held_on: date = strawberry.field(description="When it happened.")
    method: SupervisionMethod = strawberry.field(description="How.")
    note: str = strawberry.field(description="What was done or agreed.")
    recorded_by: str = strawberry.field(description="Who recorded it.")
    recorded_at: datetime = strawberry.field(description="When it was recorded.")


@strawberry.type(description="The lead deputy's evaluation (评) of one round's reply.")
class Evaluation:
    round: int = strawberry.field(description="The round evaluated.")
    satisfaction: Satisfaction = strawberry.field(description="满意, 基本满意 or 不满意.")
    note: str | None = strawberry.field(description=f"The deputy's words. {PARTIES_ONLY}")
    evaluated_at: datetime = strawberry.field(description="When.")


STEP_MUTATIONS: dict[str, str] = {
    Step.EDIT: "updateSuggestion", Step.SUBMIT: "submitSuggestion",
    Step.CORRECT: "updateSuggestion", Step.WITHDRAW: "withdrawSuggestion",
    Step.REGISTER: "registerSuggestion", Step.REJECT: "rejectSuggestion",
    Step.ASSIGN: "assignSuggestion", Step.RETURN: "returnSuggestion",
    Step.ACCEPT: "acceptSuggestion", Step.TRANSFER: "transferSuggestion",
    Step.CO_REPLY: "replyToSuggestion", Step.REPLY: "replyToSuggestion",
    Step.SUPERVISE: "addSupervisionRecord", Step.EVALUATE: "evaluateSuggestion",
    Step.REHANDLE: "rehandleSuggestion", Step.CLOSE: "closeSuggestion",
    Step.REOPEN: "reopenSuggestion", Step.COMPLETE_COMMITMENT: "completeCommitment",
    Step.ATTACH: "addAttachment", Step.DETACH: "removeAttachment",
    Step.MERGE: "mergeSuggestions", Step.MERGE_INTO: "mergeSuggestions",
    Step.SPLIT: "splitSuggestion", Step.SPLIT_OFF: "splitSuggestion",
}  # fmt: skip
"""The mutation that takes each step of the loop."""


@strawberry.type(description="A step of the loop the caller may take now.")
class NextStep:
    name: str = strawberry.field(
        description="The step, as the timeline's `action` names it, e.g. `assign`, `co_reply`."
    )
    label: str = strawberry.field(description="e.g. 交办.")
    mutation: str = strawberry.field(
        description="The mutation that takes it, e.g. `assignSuggestion`; `co_reply` is "
        "`replyToSuggestion` by a co-unit, `edit` and `correct` are `updateSuggestion`; "
        "for opinions, findings and warnings e.g. `acceptRectification`, `issueWarning`."
    )


@strawberry.type(
    description="A deputy's suggestion, criticism, opinion or motion (代表建议) and its way "
    "through the loop 提-交-办-督-评."
)
class Suggestion(DocumentNode):
    __document__ = SuggestionDocument
    __label__ = "建议"

    id: relay.NodeID[str]
    number: int | None = strawberry.field(
        description="Given at registration, unique within the session; null before."
    )
    kind: SuggestionKind = strawberry.field(description="建议, 批评, 意见 or 议案.")
    title: str = strawberry.field(description="The title.")
    body: str = strawberry.field(description="The text.")
    category: str = strawberry.field(description="The topic category, e.g. 交通运输.")
    keywords: list[str] = strawberry.field(description="Keywords.")
    theme: str = strawberry.field(description="督办主线 it is supervised under; empty if none.")
    key_supervision: bool = strawberry.field(description="重点督办: under key supervision.")
    visibility: Visibility = strawberry.field(
        description="PUBLIC: everyone reads it once registered; INTERNAL: insiders only."
    )
    state: SuggestionState = strawberry.field(description="Where it is in the loop.")
    round: int = strawberry.field(description="Round of handling: 2 after one re-handle.")
    rehandle_count: int = strawberry.field(description="How often it was handled again.")
    rejection_reason: str = strawberry.field(description="Why it was not registered.")
    assigned_at: datetime | None = strawberry.field(description="When it was assigned.")
    deadline: date | None = strawberry.field(description="This round's deadline.")
    replied_at: datetime | None = strawberry.field(
        description="When the lead unit replied in this round."
    )
    on_time: bool | None = strawberry.field(description="Whether that reply was on time.")
    satisfaction: Satisfaction | None = strawberry.field(
        description="The latest evaluation; null before the first."
    )
    filed_at: datetime | None = strawberry.field(description="When the deputy submitted it.")
    created_at: datetime = strawberry.field(description="When it was first written.")
    updated_at: datetime = strawberry.field(description="When its loop last moved.")

    @strawberry.field(description="The number as written, e.g. 第0123号; empty before.")
    def number_label(self) -> str:
        return self.document.number_label  # type: ignore[no-any-return]

    @strawberry.field(description="Past the deadline and not yet replied.")
    def overdue(self, info: Info) -> bool:
        document = self.document
        return (
            document.state in AWAITING_REPLY
            and document.deadline is not None
            and document.deadline < info.context.settings.today()
        )

    @strawberry.field(
        description="Days until the deadline (negative when overdue); null when no deadline runs."
    )
    def days_left(self, info: Info) -> int | None:
        document = self.document
        if document.state not in AWAITING_REPLY or document.deadline is None:
            return None
        return (document.deadline - info.context.settings.today()).days  # type: ignore[no-any-return]

    @strawberry.field(description="The congress session it was filed in.")
    async def session(self, info: Info) -> CongressSession | None:
        return await CongressSession.load(info, self.document.session_id)

    @strawberry.field(description="The lead deputy (领衔代表).")
    async def lead_deputy(self, info: Info) -> Deputy | None:
        return await Deputy.load(info, self.document.lead_deputy_id)

    @strawberry.field(description="The co-signing deputies (附议).")
    async def cosigners(self, info: Info) -> list[Deputy]:
        return await Deputy.load_many(info, self.document.cosigner_ids)

    @strawberry.field(
        description="The suggestion this one was merged into (并案; state MERGED), if you may "
        "read it."
    )
    async def merged_into(self, info: Info) -> "Suggestion | None":
        return await Suggestion.load(info, self.document.merged_into)

    @strawberry.field(
        description="The suggestions merged into this one, handled as part of it (those you "
        "may read)."
    )
    async def merged(self, info: Info) -> list["Suggestion"]:
        return await Suggestion.load_many(info, self.document.merged_ids)

    @strawberry.field(description="The lead unit (主办单位); null before assignment.")
    async def lead_unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.document.lead_unit_id)

    @strawberry.field(description="The co-units (协办单位).")
    async def co_units(self, info: Info) -> list[Unit]:
        return await Unit.load_many(info, self.document.co_unit_ids)

    @strawberry.field(
        description="Files filed with it, oldest first: the deputy's materials, the units' "
        "reply letters (答复函), photos."
    )
    def attachments(self) -> list[Attachment]:
        return attachments(self, self.document.attachments)

    def _handling(self, info: Info) -> Handling:
        return handling(info.context.viewer, self.document)

    def _replies(self, info: Info) -> list[Reply]:
        seen = self._handling(info)
        return [
            build(Reply, r, replied_by=seen.name(r.replied_by))
            for r in seen.replies(self.document.replies)
        ]

    @strawberry.field(
        description="The units' replies, oldest first. Its deputies, the handlers of its units "
        "and staff read every reply; everyone else the public ones."
    )
    def replies(self, info: Info) -> list[Reply]:
        return self._replies(info)

    @strawberry.field(description="The newest reply you may read (see `replies`), if any.")
    def latest_reply(self, info: Info) -> Reply | None:
        replies = self._replies(info)
        return replies[-1] if replies else None

    @strawberry.field(
        description="Supervision records (督办), oldest first: for its deputies, the handlers "
        "of its units and staff; empty for everyone else."
    )
    def supervision_records(self, info: Info) -> list[SupervisionRecord]:
        seen = self._handling(info)
        return [build(SupervisionRecord, s) for s in seen.supervision(self.document.supervision)]

    @strawberry.field(
        description="The lead deputy's evaluations, one per round evaluated; the note only "
        "for its deputies, the handlers of its units and staff."
    )
    def evaluations(self, info: Info) -> list[Evaluation]:
        seen = self._handling(info)
        return [build(Evaluation, e, note=seen.note(e.note)) for e in self.document.evaluations]

    @strawberry.field(
        description="Every step taken, oldest first; with `since`, only those after that "
        "time. Its deputies, the handlers of its units and staff read every step with who "
        "took it and the note; everyone else the changes of state only, without either."
    )
    def timeline(self, info: Info, since: datetime | None = None) -> list[TimelineEvent]:
        return timeline(self._handling(info), self.document.timeline, LOOP, SuggestionState, since)

    @strawberry.field(
        description="Links to the money behind it (departments, codes, lines, key projects)."
    )
    def budget_links(self) -> list[BudgetLink]:

        return [budget_link(k) for k in self.document.budget_links]

    @strawberry.field(
        description="The money behind it in a fiscal year (default: this year) up to a month "
        "(default: the latest with figures): each link's figures and projects, the total "
        "across links, and the total month by month. Figures you may not see are left out."
    )
    async def spending(
        self, info: Info, year: int | None = None, month: int | None = None
    ) -> Spending:

        year = year_of(info, year)
        loader = spending_loader(info, year, month_argument(month))
        return spending(await loader.load(self.document))

    @strawberry.field(
        description="Links worth making, proposed from its units, keywords, topic and title "
        "(for staff and its lead deputy to confirm with `linkBudget`); already linked ones "
        "are left out."
    )
    async def budget_candidates(self, info: Info, year: int | None = None) -> list[BudgetCandidate]:

        year = year_of(info, year)
        try:
            return await budget_candidates(info, self.document, year)
        except DomainError as e:
            raise ClientError(e.message, code=e.code.value, field=e.field) from None

    @strawberry.field(description="Whether you follow it (your own always are).")
    def followed(self, info: Info) -> bool:
        return suggestions.is_followed(info.context.viewer, self.document)

    @strawberry.field(description="The steps you may take now, e.g. `assign` for staff.")
    def next_steps(self, info: Info) -> list[NextStep]:
        return [
            NextStep(name=s.name, label=s.label, mutation=STEP_MUTATIONS[s.name])
            for s in next_steps(info.context.viewer, self.document, info.context.settings)
        ]


@strawberry.input(description="Which suggestions to list; every given criterion narrows it.")
class SuggestionFilter:
    session_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Filed in any of these sessions."
    )
    states: list[SuggestionState] | None = strawberry.field(
        default=None, description="In any of these states."
    )
    kinds: list[SuggestionKind] | None = strawberry.field(
        default=None, description="Of any of these kinds."
    )
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="Assigned to this unit, as lead or co-unit."
    )
    deputy_id: strawberry.ID | None = strawberry.field(
        default=None, description="Filed or co-signed by this deputy."
    )
    categories: list[str] | None = strawberry.field(
        default=None, description="In any of these topic categories."
    )
    keywords: list[str] | None = strawberry.field(
        default=None, description="With any of these keywords."
    )
    themes: list[str] | None = strawberry.field(
        default=None, description="Under any of these supervision themes."
    )
    key_supervision: bool | None = strawberry.field(
        default=None, description="Under key supervision (true) or not (false)."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Past the deadline and not replied (true), or not (false)."
    )
    due_within_days: int | None = strawberry.field(
        default=None,
        description="Awaiting a reply with the deadline within this many days (0 to 366).",
    )
    satisfactions: list[Satisfaction] | None = strawberry.field(
        default=None, description="Whose latest evaluation is any of these."
    )
    query: str | None = strawberry.field(
        default=None,
        description="Words in the title, text, topic or keywords (up to 200 characters); "
        "narrows the list to the best 1,000 matches.",
    )

    def to_service(self) -> suggestions.SuggestionFilter:
        unit = document_ids([self.unit_id] if self.unit_id else None, Unit, "unitId")
        deputy = document_ids([self.deputy_id] if self.deputy_id else None, Deputy, "deputyId")
        return suggestions.SuggestionFilter(
            session_ids=document_ids(self.session_ids, CongressSession, "sessionIds"),
            states=self.states or [],
            kinds=self.kinds or [],
            unit_id=unit[0] if unit else None,
            deputy_id=deputy[0] if deputy else None,
            categories=self.categories or [],
            keywords=self.keywords or [],
            themes=self.themes or [],
            key_supervision=self.key_supervision,
            overdue=self.overdue,
            due_within_days=self.due_within_days,
            satisfactions=self.satisfactions or [],
            text=self.query or "",
        )


async def as_seen_by(
    viewer: Viewer, documents: AsyncIterator[SuggestionDocument]
) -> AsyncIterator[SuggestionDocument]:
    """The suggestions with only the replies ``viewer`` may read (``api.access.handling``),
    for the export, whose result class is the latest lead reply's."""
    async for document in documents:
        document.replies = handling(viewer, document).replies(document.replies)
        yield document


async def suggestion_page(
    info: Info,
    *,
    filter: SuggestionFilter | None,
    sort: SuggestionSort,
    first: int | None,
    after: str | None,
    scope: dict[str, Any] | None = None,
) -> Connection[Suggestion]:
    """A page of the suggestions the caller may see, within ``scope``, matching ``filter``."""
    context = info.context
    query = await suggestions.list_query(
        filter.to_service() if filter else suggestions.SuggestionFilter(),
        viewer=context.viewer,
        today=context.settings.today(),
        client=context.resources.meili,
        prefix=context.settings.mongodb_database,
        scope=scope,
    )
    page = await keyset_page(
        SuggestionDocument,
        query=query,
        sort=SORTS[sort],
        first=page_size(info, first),
        after=after,
    )
    return Connection.from_page(page, Suggestion, SuggestionDocument)


@strawberry.type(description="Figures of the loop for one group (a session, unit, topic, theme).")
class SuggestionStatsRow:
    key: str | None = strawberry.field(
        description="The topic or theme; the session's or unit's global id (as `sessionIds` "
        "and the filters take it); null for suggestions not assigned yet (by unit)."
    )
    total: int = strawberry.field(description="Suggestions filed (drafts are not counted).")
    assigned: int = strawberry.field(description="Assigned to units.")
    replied: int = strawberry.field(description="Replied by the lead unit in the current round.")
    on_time: int = strawberry.field(description="Of those, replied by the deadline.")
    evaluated: int = strawberry.field(description="Evaluated by the lead deputy.")
    satisfied: int = strawberry.field(description="Of those, satisfied or basically satisfied.")
    closed: int = strawberry.field(description="Closed (办结).")
    overdue: int = strawberry.field(description="Past the deadline and not replied.")
    rehandles: int = strawberry.field(description="Re-handles after unsatisfied evaluations.")
    reply_rate: float | None = strawberry.field(description="replied / assigned.")
    on_time_rate: float | None = strawberry.field(description="onTime / replied.")
    satisfaction_rate: float | None = strawberry.field(description="satisfied / evaluated.")
    closure_rate: float | None = strawberry.field(description="closed / assigned.")
    by_state: strawberry.Private[dict[str, int]]
    grouping: strawberry.Private[StatsGrouping]
    raw_key: strawberry.Private[Any]

    @strawberry.field(description="How many are in each state (states with none left out).")
    def counts(self) -> list["StateCount"]:
        return [
            StateCount(state=s, count=self.by_state[s])
            for s in SuggestionState
            if s in self.by_state
        ]

    @strawberry.field(description="The session, when grouped by session.")
    async def session(self, info: Info) -> CongressSession | None:
        if self.grouping is not StatsGrouping.SESSION:
            return None
        return await CongressSession.load(info, self.raw_key)

    @strawberry.field(description="The lead unit, when grouped by unit.")
    async def unit(self, info: Info) -> Unit | None:
        if self.grouping is not StatsGrouping.UNIT:
            return None
        return await Unit.load(info, self.raw_key)


def _stats_key(grouping: StatsGrouping, key: Any) -> str | None:
    """A group's key as clients pass it back: a global id for a session or a unit."""
    if key is None:
        return None
    node = {StatsGrouping.SESSION: CongressSession, StatsGrouping.UNIT: Unit}.get(grouping)
    return str(relay.GlobalID(node.__name__, str(key))) if node else str(key)


@strawberry.type(description="How many suggestions are in one state.")
class StateCount:
    state: SuggestionState = strawberry.field(description="The state.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="A topic or keyword and how often it occurs.")
class TopicCount:
    value: str = strawberry.field(description="The topic category or keyword.")
    count: int = strawberry.field(description="In how many suggestions.")


@strawberry.type(description="The most frequent topics and keywords (热点).")
class HotTopics:
    categories: list[TopicCount] = strawberry.field(description="Topic categories.")
    keywords: list[TopicCount] = strawberry.field(description="Keywords.")


@strawberry.type(description="A suggestion list as an Excel workbook (the ledger's columns).")
class SuggestionExport:
    file_name: str = strawberry.field(description="e.g. 代表建议台账-2026-11-21.xlsx.")
    media_type: str = strawberry.field(description="The workbook's media type.")
    content_base64: str = strawberry.field(description="The workbook, base64-encoded.")
    row_count: int = strawberry.field(description="How many suggestions it lists.")


@strawberry.type
class SuggestionQuery:
    @strawberry.field(description="A suggestion by id; null when absent or not yours to see.")
    async def suggestion(self, info: Info, id: strawberry.ID) -> Suggestion | None:
        return await Suggestion.load(info, Suggestion.document_id(id))

    @strawberry.field(
        description="Suggestions you may see: staff all; deputies their own, co-signed, "
        "followed and public ones; handlers their unit's and public ones; the public the "
        "public ones."
    )
    async def suggestions(
        self,
        info: Info,
        filter: SuggestionFilter | None = None,
        sort: SuggestionSort = SuggestionSort.NUMBER,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Suggestion]:
        return await suggestion_page(info, filter=filter, sort=sort, first=first, after=after)

    @strawberry.field(
        description="Counts per state and the reply, on-time, satisfaction and closure rates, "
        "grouped by session, lead unit, topic or theme; largest groups first.",
        extensions=[roles(Role.STAFF, Role.ADMIN)],
    )
    async def suggestion_stats(
        self,
        info: Info,
        group_by: StatsGrouping,
        session_ids: list[strawberry.ID] | None = None,
    ) -> list[SuggestionStatsRow]:
        rows = await suggestion_stats(
            viewer=info.context.viewer,
            grouping=group_by,
            session_ids=document_ids(session_ids, CongressSession, "sessionIds"),
            today=info.context.settings.today(),
        )
        return [
            SuggestionStatsRow(
                key=_stats_key(group_by, row.key),
                raw_key=row.key,
                grouping=group_by,
                **{k: v for k, v in vars(row).items() if k != "key"},
            )
            for row in rows
        ]

    @strawberry.field(
        description="Any list you may see, filtered and ordered as `suggestions` takes them, "
        "as an .xlsx ledger with the columns the import reads plus the loop's figures "
        "(state, dates, result class, on time, satisfaction, re-handles, overdue). Refused "
        "when the list is longer than the configured maximum: narrow the filter.",
        extensions=[signed_in()],
    )
    async def export_suggestions(
        self,
        info: Info,
        filter: SuggestionFilter | None = None,
        sort: SuggestionSort = SuggestionSort.NUMBER,
    ) -> SuggestionExport:
        context = info.context
        settings = context.settings
        query = await suggestions.list_query(
            filter.to_service() if filter else suggestions.SuggestionFilter(),
            viewer=context.viewer,
            today=settings.today(),
            client=context.resources.meili,
            prefix=settings.mongodb_database,
        )
        total = await SuggestionDocument.find(query).count()
        if total > settings.export_max_rows:
            raise ClientError(
                say(
                    f"列表中有 {total} 件建议，一次最多导出 {settings.export_max_rows} 件："
                    "请缩小筛选范围",
                    f"The list has {total} suggestions and at most {settings.export_max_rows} "
                    "can be exported at once: narrow the filter",
                ),
                code="INVALID_INPUT",
            )
        order = SORTS[sort]
        direction = -1 if order.descending else 1
        documents = SuggestionDocument.find(query).sort(
            [(order.field, direction), ("_id", direction)]  # type: ignore[list-item]
        )
        content, rows = await export_ledger(
            as_seen_by(context.viewer, aiter(documents)), today=settings.today()
        )
        return SuggestionExport(
            file_name=f"代表建议台账-{settings.today().isoformat()}.xlsx",
            media_type=XLSX,
            content_base64=base64.b64encode(content).decode(),
            row_count=rows,
        )

    @strawberry.field(
        description="The most frequent topic categories and keywords (热点), at most `limit` "
        "(1 to 50) of each.",
        extensions=[roles(Role.STAFF, Role.ADMIN)],
    )
    async def hot_topics(
        self, info: Info, session_ids: list[strawberry.ID] | None = None, limit: int = 10
    ) -> HotTopics:
        if not 1 <= limit <= 50:
            raise ClientError(
                say("条数应在 1 到 50 之间", "limit must be 1 to 50"),
                code="INVALID_INPUT",
                field="limit",
            )
        found = await hot_topics(
            viewer=info.context.viewer,
            session_ids=document_ids(session_ids, CongressSession, "sessionIds"),
            limit=limit,
        )
        return HotTopics(
            categories=[TopicCount(value=v, count=c) for v, c in found.categories],
            keywords=[TopicCount(value=v, count=c) for v, c in found.keywords],
        )
