"""Opinions, audit findings and warnings in GraphQL: the three records of a rectification
loop, the interface they share, their lists with filters and keyset pages, and the warning
rules. Every list goes through the model's visibility filter, as ``node(id:)`` does; what of
a record's handling a caller reads is decided by ``api.access.handling``, as for suggestions."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api.access import Handling, Role, handling, visible
from api.models.rectification import Answer as AnswerModel
from api.models.rectification import (
    AnswerKind,
    OpinionStage,
    RectificationState,
    WarningState,
)
from api.models.rectification import AuditFinding as AuditFindingDocument
from api.models.rectification import Opinion as OpinionDocument
from api.models.regulations import Visibility
from api.models.warnings import BudgetWarning as BudgetWarningDocument
from api.models.warnings import LagScope, RuleKind, Severity, WarningSource
from api.models.warnings import WarningRule as WarningRuleDocument
from api.paging import Sort, keyset_page
from api.services import opinions, rectification
from api.services.opinions import CaseFilter
from api.services.rectification import RectificationStep as RS
from api.services.rectification import WarningStep as WS
from api.services.warning_rules import PARAMETERS
from schema.attachments import Attachment, attachments
from schema.context import Info
from schema.enums import graphql_enum
from schema.money import Money
from schema.nodes import Connection, DocumentNode, build, document_ids, page_size
from schema.people import Unit
from schema.permissions import roles, signed_in
from schema.spending import BudgetLink, budget_link
from schema.suggestions import NextStep, SupervisionRecord
from schema.timeline import TimelineEvent, timeline

graphql_enum(RectificationState, description="Where an opinion or audit finding is in its loop.")
graphql_enum(WarningState, description="Where a warning is in its loop.")
graphql_enum(OpinionStage, description="The stage of budget review an opinion comes from.")
graphql_enum(AnswerKind, description="What a unit wrote back.")
graphql_enum(RuleKind, description="What a warning rule checks.")
graphql_enum(Severity, description="How serious a warning is.")
graphql_enum(LagScope, description="What an execution-lag rule compares.")
graphql_enum(WarningSource, description="Raised by a rule, or imported from offline checks.")

NEWEST = Sort("created_at", descending=True)
PARTIES_ONLY_UNITS = (
    'Null unless you work for a unit it is addressed to or are staff: see README, "Who sees what".'
)


@strawberry.type(description="A unit's written answer: a plan, a rectification report, a response.")
class Answer:
    kind: AnswerKind = strawberry.field(description="Plan, report or response.")
    text: str = strawberry.field(description="What the unit wrote.")
    written_by: str | None = strawberry.field(
        description=f"Who entered it (a person's name). {PARTIES_ONLY_UNITS}"
    )
    written_at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="The unit that wrote it; null when staff entered it.")
    async def unit(self, info: Info) -> Unit | None:
        source: AnswerModel = self.__dict__["_document"]
        return await Unit.load(info, source.unit_id)


STEP_MUTATIONS: dict[str, str] = {
    RS.ACCEPT: "acceptRectification", RS.PLAN: "planRectification",
    RS.REPORT: "reportRectification", WS.RESPOND: "respondToWarning",
    RS.RETURN: "returnRectification", RS.CLOSE: "closeRectification",
    RS.SUPERVISE: "superviseRectification", RS.SCHEDULE_HEARING: "scheduleHearing",
    WS.ISSUE: "issueWarning", WS.DISMISS: "dismissWarning",
    RS.ATTACH: "addAttachment", RS.DETACH: "removeAttachment",
}  # fmt: skip
"""The mutation that takes each step of the rectification loops (a warning's step of the same
name as an opinion's is the same mutation)."""


@strawberry.interface(
    description="What every record of a rectification loop (整改) has: an opinion, an audit "
    "finding or a warning, addressed to units that must put it right."
)
class RectificationRecord:
    visibility: Visibility = strawberry.field(
        description="PUBLIC: everyone may read it; INTERNAL: staff and its units."
    )
    deadline: date | None = strawberry.field(description="When the unit's answer is due.")
    hearing_on: date | None = strawberry.field(description="A follow-up hearing's date.")
    created_at: datetime = strawberry.field(description="When it was recorded.")
    updated_at: datetime = strawberry.field(description="When its loop last moved.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")

    @property
    def record(self) -> Any:
        return self.__dict__["_document"]

    @strawberry.field(description="Past the deadline while the unit's answer is awaited.")
    def overdue(self, info: Info) -> bool:
        return self.record.overdue(info.context.settings.today())  # type: ignore[no-any-return]

    @strawberry.field(description="The units it is addressed to.")
    async def units(self, info: Info) -> list[Unit]:
        return await Unit.load_many(info, self.record.unit_ids)

    def _handling(self, info: Info) -> Handling:
        return handling(info.context.viewer, self.record)

    @strawberry.field(
        description="The units' plans, reports and responses, oldest first (who wrote them: "
        "for its units and staff only)."
    )
    def answers(self, info: Info) -> list[Answer]:
        seen = self._handling(info)
        return [build(Answer, a, written_by=seen.name(a.written_by)) for a in self.record.answers]

    @strawberry.field(
        description="Acts of supervision (督办), oldest first: for the units it is addressed "
        "to and staff; empty for everyone else."
    )
    def supervision_records(self, info: Info) -> list[SupervisionRecord]:
        seen = self._handling(info)
        return [build(SupervisionRecord, s) for s in seen.supervision(self.record.supervision)]

    @strawberry.field(
        description="Every step taken, oldest first; with `since`, only those after that "
        "time. The units it is addressed to and staff read every step with who took it and "
        "the note; everyone else the changes of state only, without either."
    )
    def timeline(self, info: Info, since: datetime | None = None) -> list[TimelineEvent]:
        record = self.record
        states = WarningState if isinstance(record, BudgetWarningDocument) else RectificationState
        loop = rectification.LOOPS[type(record)]
        return timeline(self._handling(info), record.timeline, loop, states, since)

    @strawberry.field(
        description="The budget objects it concerns (an opinion's: those of all its points)."
    )
    def budget_links(self) -> list[BudgetLink]:
        return [budget_link(k) for k in self.record.budget_links]

    @strawberry.field(description="Files filed with it, oldest first: reports, evidence.")
    def attachments(self) -> list[Attachment]:
        return attachments(self, self.record.attachments)  # type: ignore[arg-type]

    @strawberry.field(
        description="The steps you may take now, each with the mutation that takes it."
    )
    def next_steps(self, info: Info) -> list[NextStep]:
        return [
            NextStep(
                name=s.name, label=s.label,
                mutation=STEP_MUTATIONS[s.name],
            )
            for s in rectification.next_steps(info.context.viewer, self.record)
        ]  # fmt: skip


@strawberry.type(description="A numbered point of an opinion.")
class OpinionPoint:
    number: int = strawberry.field(description="1, 2, …")
    text: str = strawberry.field(description="What the point asks.")
    rectified: bool = strawberry.field(description="Marked rectified by the unit's report.")

    @strawberry.field(description="The budget objects it concerns.")
    def budget_links(self) -> list[BudgetLink]:
        return [budget_link(k) for k in self.__dict__["_document"].budget_links]


@strawberry.type(
    description="A deliberation opinion (审议意见) from a stage of budget review, addressed to "
    "units, in numbered points, and its rectification loop."
)
class Opinion(DocumentNode, RectificationRecord):
    __document__ = OpinionDocument
    __label__ = "审议意见"

    id: relay.NodeID[str]
    title: str = strawberry.field(description="The title.")
    stage: OpinionStage = strawberry.field(description="调研, 预审, 初审, 常委会审议 …")
    meeting: str = strawberry.field(description="The meeting it came from.")
    meeting_on: date = strawberry.field(description="When the meeting was held.")
    subject: str = strawberry.field(description="What was reviewed.")
    issued_on: date = strawberry.field(description="When it was issued to the units.")
    state: RectificationState = strawberry.field(description="Where it is in the loop.")

    @strawberry.field(description="Its numbered points.")
    def points(self) -> list[OpinionPoint]:
        return [build(OpinionPoint, p) for p in self.document.points]


@strawberry.type(
    description="A problem found by audit (审计查出问题) and its rectification loop; it may "
    "stay open for years."
)
class AuditFinding(DocumentNode, RectificationRecord):
    __document__ = AuditFindingDocument
    __label__ = "审计查出问题"

    id: relay.NodeID[str]
    number: str = strawberry.field(description="The audit office's reference.")
    title: str = strawberry.field(description="The problem in a line.")
    description: str = strawberry.field(description="The problem in full.")
    audit_year: int = strawberry.field(description="The fiscal year audited.")
    auditor: str = strawberry.field(description="The audit office.")
    category: str = strawberry.field(description="e.g. 预算执行, 专项资金管理.")
    issued_on: date = strawberry.field(description="When it was issued to the units.")
    state: RectificationState = strawberry.field(description="Where it is in the loop.")

    @strawberry.field(description="The money concerned (问题金额); null when not stated.")
    def amount(self) -> Money | None:
        return None if self.document.amount is None else Money(self.document.amount)


@strawberry.type(description="A figure behind a warning, as the rule read it.")
class WarningFigure:
    name: str = strawberry.field(description="e.g. `rate`.")
    label: str = strawberry.field(description="e.g. 执行率.")
    value: Decimal = strawberry.field(description="Exact.")
    unit: str = strawberry.field(description="%, 个百分点 or 元.")


@strawberry.type(
    description="A budget warning (预警) about one subject in one period, with the figures "
    "that raised it and its loop: open, issued (下达), rectifying, responded (反馈), closed."
)
class BudgetWarning(DocumentNode, RectificationRecord):
    __document__ = BudgetWarningDocument
    __label__ = "预警"

    id: relay.NodeID[str]
    source: WarningSource = strawberry.field(description="Raised by a rule, or imported.")
    kind: RuleKind | None = strawberry.field(description="The rule's kind; null if imported.")
    number: str = strawberry.field(description="An imported warning's reference.")
    year: int = strawberry.field(description="The fiscal year.")
    month: int = strawberry.field(description="The month the figures were read at.")
    subject: str = strawberry.field(description="What it is about, e.g. 青岚县教育局.")
    severity: Severity = strawberry.field(description="一般预警 or 严重预警.")
    title: str = strawberry.field(description="A line.")
    message: str = strawberry.field(description="What the figures say.")
    triggered: bool = strawberry.field(
        description="Whether the latest run of its rule over the period still found it."
    )
    evaluated_at: datetime | None = strawberry.field(description="That run's time.")
    state: WarningState = strawberry.field(description="Where it is in the loop.")

    @strawberry.field(description="The period, e.g. 2025-06.")
    def period(self) -> str:
        return self.document.period  # type: ignore[no-any-return]

    @strawberry.field(description="The figures that raised it.")
    def figures(self) -> list[WarningFigure]:
        return [
            WarningFigure(name=f.name, label=f.label, value=Decimal(f.value), unit=f.unit)
            for f in self.document.figures
        ]

    @strawberry.field(description="The rule that raised it; null if imported or not yours to see.")
    async def rule(self, info: Info) -> "WarningRule | None":
        if not info.context.viewer.has_role(Role.STAFF, Role.ADMIN):
            return None
        return await WarningRule.load(info, self.document.rule_id)


@strawberry.type(description="A rule parameter: its value, meaning and allowed range.")
class RuleParameter:
    name: str = strawberry.field(description="e.g. `warning`.")
    label: str = strawberry.field(description="What it means, with its unit.")
    value: Decimal | None = strawberry.field(description="The rule's value; null in a kind's list.")
    low: Decimal = strawberry.field(description="Smallest allowed.")
    high: Decimal = strawberry.field(description="Largest allowed.")
    default: Decimal = strawberry.field(description="The default.")


def rule_parameters(kind: RuleKind, values: dict[str, str] | None = None) -> list[RuleParameter]:
    return [
        RuleParameter(
            name=p.name, label=p.label, low=p.low, high=p.high, default=p.default,
            value=Decimal(values[p.name]) if values and p.name in values else None,
        )
        for p in PARAMETERS[kind]
    ]  # fmt: skip


@strawberry.type(description="A warning rule (预警规则): data with parameters, kept by admins.")
class WarningRule(DocumentNode):
    __document__ = WarningRuleDocument
    __label__ = "预警规则"

    id: relay.NodeID[str]
    name: str = strawberry.field(description="Unique.")
    kind: RuleKind = strawberry.field(description="What it checks.")
    scope: LagScope | None = strawberry.field(description="An execution-lag rule's scope.")
    enabled: bool = strawberry.field(description="Whether evaluation runs it.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    updated_by: str = strawberry.field(description="Who changed it.")

    @strawberry.field(description="Its parameters.")
    def parameters(self) -> list[RuleParameter]:
        return rule_parameters(self.document.kind, self.document.parameters)


@strawberry.type(description="A kind of rule and the parameters it takes.")
class RuleKindInfo:
    kind: RuleKind = strawberry.field(description="The kind.")
    label: str = strawberry.field(description="Its name.")
    parameters: list[RuleParameter] = strawberry.field(description="What a rule of it holds.")


@strawberry.input(description="Criteria every rectification list offers.")
class RecordFilterFields:
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="Addressed to this unit."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Past the deadline while awaited (true), or not (false)."
    )
    department: str | None = strawberry.field(
        default=None, description="Linked to this budget department's code."
    )

    def case_filter(self, states: list[Any] | None) -> CaseFilter:
        unit = document_ids([self.unit_id] if self.unit_id else None, Unit, "unitId")
        return CaseFilter(
            states=[str(s) for s in states or []],
            unit_id=unit[0] if unit else None,
            overdue=self.overdue,
            department=self.department,
        )


@strawberry.input(description="Which opinions to list; every given criterion narrows it.")
class OpinionFilter(RecordFilterFields):
    states: list[RectificationState] | None = strawberry.field(default=None, description="States.")
    stages: list[OpinionStage] | None = strawberry.field(default=None, description="Stages.")
    query: str | None = strawberry.field(
        default=None, description="Words in the title, subject, meeting or points (≤ 200)."
    )


@strawberry.input(description="Which audit findings to list; every given criterion narrows it.")
class AuditFindingFilter(RecordFilterFields):
    states: list[RectificationState] | None = strawberry.field(default=None, description="States.")
    audit_years: list[int] | None = strawberry.field(default=None, description="Years audited.")
    open_months: int | None = strawberry.field(
        default=None,
        description="Not closed and issued more than this many months ago (1 to 240).",
    )
    query: str | None = strawberry.field(
        default=None, description="Words in the number, title or description (≤ 200)."
    )


@strawberry.input(description="Which warnings to list; every given criterion narrows it.")
class WarningFilter(RecordFilterFields):
    states: list[WarningState] | None = strawberry.field(default=None, description="States.")
    year: int | None = strawberry.field(default=None, description="The fiscal year.")
    months: list[int] | None = strawberry.field(default=None, description="Months of it.")
    kinds: list[RuleKind] | None = strawberry.field(default=None, description="Rule kinds.")
    severities: list[Severity] | None = strawberry.field(default=None, description="Severities.")
    source: WarningSource | None = strawberry.field(default=None, description="Rule or imported.")
    triggered: bool | None = strawberry.field(
        default=None, description="Still found by the latest run (true), or no longer (false)."
    )


async def _page(info: Info, model: Any, node: Any, query: dict[str, Any], first: int | None,
                after: str | None, sort: Sort = NEWEST) -> Any:  # fmt: skip
    page = await keyset_page(
        model, query=query, sort=sort, first=page_size(info, first), after=after
    )
    return Connection.from_page(page, node, model)


@strawberry.type
class RectificationQuery:
    @strawberry.field(
        description="Deliberation opinions you may see (staff all; units theirs; everyone the "
        "public ones), newest first."
    )
    async def opinions(
        self, info: Info, filter: OpinionFilter | None = None, first: int | None = None,
        after: str | None = None,
    ) -> Connection[Opinion]:  # fmt: skip
        given = filter or OpinionFilter()
        query = await opinions.opinion_query(
            given.case_filter(given.states), stages=given.stages or [],
            words=info.context.words(given.query), viewer=info.context.viewer,
            today=info.context.settings.today(),
        )  # fmt: skip
        return await _page(info, OpinionDocument, Opinion, query, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Audit findings you may see, oldest issued first (the longest open lead)."
    )
    async def audit_findings(
        self, info: Info, filter: AuditFindingFilter | None = None, first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditFinding]:  # fmt: skip
        given = filter or AuditFindingFilter()
        query = await opinions.finding_query(
            given.case_filter(given.states), audit_years=given.audit_years or [],
            open_months=given.open_months, words=info.context.words(given.query),
            viewer=info.context.viewer, today=info.context.settings.today(),
        )  # fmt: skip
        return await _page(  # type: ignore[no-any-return]
            info, AuditFindingDocument, AuditFinding, query, first, after, Sort("issued_on")
        )

    @strawberry.field(
        description="Warnings you may see (staff all; a unit, and finance, those issued to it; "
        "everyone the public ones), newest first."
    )
    async def budget_warnings(
        self, info: Info, filter: WarningFilter | None = None, first: int | None = None,
        after: str | None = None,
    ) -> Connection[BudgetWarning]:  # fmt: skip
        given = filter or WarningFilter()
        conditions = opinions.case_conditions(
            given.case_filter(given.states), BudgetWarningDocument, info.context.settings.today()
        )
        for name, values in (("month", given.months), ("kind", given.kinds),
                             ("severity", given.severities)):  # fmt: skip
            if values:
                conditions[name] = {
                    "$in": [str(v) if not isinstance(v, int) else v for v in values]
                }
        for name, value in (("year", given.year), ("source", given.source),
                            ("triggered", given.triggered)):  # fmt: skip
            if value is not None:
                conditions[name] = str(value) if isinstance(value, WarningSource) else value
        query = visible(BudgetWarningDocument, info.context.viewer, conditions)
        return await _page(info, BudgetWarningDocument, BudgetWarning, query, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The warning rules, by name.", extensions=[roles(Role.STAFF, Role.ADMIN)]
    )
    async def warning_rules(self) -> list[WarningRule]:
        found = await WarningRuleDocument.find_all().sort("name").to_list()
        return [WarningRule.from_document(r) for r in found]

    @strawberry.field(
        description="Each kind of rule and its parameters, for writing a new rule.",
        extensions=[signed_in()],
    )
    def warning_rule_kinds(self) -> list[RuleKindInfo]:
        return [
            RuleKindInfo(kind=k, label=k.label, parameters=rule_parameters(k)) for k in RuleKind
        ]
