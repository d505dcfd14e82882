"""Issuing opinions and audit findings, warning rules, evaluation and the import of warnings
found offline (the loops' steps: ``schema.rectification_steps``). Refusals come back as
payload errors naming the field."""

from datetime import date

import strawberry

from api.access import Role
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import Book, LinkKind
from api.models.rectification import OpinionStage
from api.models.regulations import Visibility
from api.models.warnings import LagScope, RuleKind
from api.services import opinions, warning_rules
from api.services.budget_links import LinkDraft
from api.services.sheets import FileRejected, SheetLimits
from api.services.warning_evaluation import evaluate, parse_period
from api.services.warning_import import import_warnings
from schema.budget_files import RowProblem, decoded, problems
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.money import Money
from schema.nodes import document_ids
from schema.people import Unit
from schema.permissions import roles
from schema.rectification import (
    AuditFinding,
    Opinion,
    WarningRule,
)
from schema.rectification_steps import RectificationPayload


@strawberry.input(description="A budget object to link: name what the kind needs.")
class BudgetTargetInput:
    kind: LinkKind = strawberry.field(description="What it points at.")
    department: str = strawberry.field(default="", description="A department's code.")
    classification: str = strawberry.field(default="", description="A classification code.")
    book: Book | None = strawberry.field(default=None, description="A LINE's book; none: all.")
    project: str = strawberry.field(default="", description="A key project's code.")
    note: str = strawberry.field(default="", description="Why; up to 500 characters.")

    def draft(self) -> LinkDraft:
        return LinkDraft(
            kind=self.kind, department=self.department, classification=self.classification,
            book=self.book, project=self.project, note=self.note,
        )  # fmt: skip


@strawberry.input(description="A numbered point of a new opinion (numbered in order).")
class OpinionPointInput:
    text: str = strawberry.field(description="1 to 5,000 characters.")
    budget_links: list[BudgetTargetInput] = strawberry.field(
        default_factory=list, description="Up to 10 budget objects it concerns."
    )


@strawberry.input(description="To whom a new record is issued, by when, and who may read it.")
class AddressedInput:
    unit_ids: list[strawberry.ID] = strawberry.field(description="1 to 20 units.")
    issued_on: date | None = strawberry.field(default=None, description="Omitted: today.")
    deadline: date | None = strawberry.field(
        default=None, description="Omitted: two months after issue (see settings)."
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.INTERNAL, description="PUBLIC: everyone may read it."
    )

    def to_service(self) -> opinions.Addressed:
        return opinions.Addressed(
            unit_ids=document_ids(self.unit_ids, Unit, "unitIds"), issued_on=self.issued_on,
            deadline=self.deadline, visibility=self.visibility,
        )  # fmt: skip


@strawberry.input(description="A deliberation opinion to issue (staff).")
class CreateOpinionInput:
    title: str = strawberry.field(description="1 to 200 characters.")
    stage: OpinionStage = strawberry.field(description="The stage of review.")
    meeting: str = strawberry.field(description="The meeting, 1 to 100 characters.")
    meeting_on: date = strawberry.field(description="When it was held (not in the future).")
    subject: str = strawberry.field(description="What was reviewed, 1 to 200 characters.")
    points: list[OpinionPointInput] = strawberry.field(description="1 to 50 points.")
    addressed: AddressedInput = strawberry.field(description="Units, dates, visibility.")


@strawberry.input(description="An audit finding to record and issue (staff).")
class CreateAuditFindingInput:
    number: str = strawberry.field(description="The audit office's reference, unique.")
    title: str = strawberry.field(description="1 to 200 characters.")
    description: str = strawberry.field(description="1 to 20,000 characters.")
    audit_year: int = strawberry.field(description="The fiscal year audited.")
    auditor: str = strawberry.field(description="The audit office.")
    category: str = strawberry.field(default="", description="e.g. 专项资金管理.")
    amount: Money | None = strawberry.field(default=None, description="The money concerned.")
    budget_links: list[BudgetTargetInput] = strawberry.field(
        default_factory=list, description="Up to 10 budget objects it concerns."
    )
    addressed: AddressedInput = strawberry.field(description="Units, dates, visibility.")


@strawberry.input(description="A rule parameter's value.")
class RuleParameterInput:
    name: str = strawberry.field(description="e.g. `warning`.")
    value: str = strawberry.field(description="A decimal number, e.g. 7.5.")


@strawberry.input(description="A new warning rule (admins).")
class CreateWarningRuleInput:
    name: str = strawberry.field(description="Unique, 1 to 100 characters.")
    kind: RuleKind = strawberry.field(description="What it checks.")
    scope: LagScope | None = strawberry.field(default=None, description="EXECUTION_LAG only.")
    parameters: list[RuleParameterInput] = strawberry.field(
        description="Every parameter of the kind (see `warningRuleKinds`)."
    )
    enabled: bool = strawberry.field(default=True, description="Whether evaluation runs it.")


@strawberry.input(description="Changes to a warning rule; omitted fields stay.")
class UpdateWarningRuleInput:
    id: strawberry.ID = strawberry.field(description="The rule.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    scope: LagScope | None = strawberry.field(default=None, description="A new scope.")
    parameters: list[RuleParameterInput] | None = strawberry.field(
        default=None, description="Parameters to change; the others stay."
    )
    enabled: bool | None = strawberry.field(default=None, description="On or off.")


@strawberry.type(description="The rule after the change, or why it was refused.")
class WarningRulePayload:
    rule: WarningRule | None = strawberry.field(default=None, description="The rule.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="What one rule did in an evaluation.")
class RuleOutcome:
    rule: WarningRule = strawberry.field(description="The rule.")
    checked: int = strawberry.field(description="Subjects compared.")
    raised: int = strawberry.field(description="New warnings.")
    updated: int = strawberry.field(description="Warnings found again, figures updated.")
    cleared: int = strawberry.field(description="Warnings of the period no longer found.")
    skipped: str = strawberry.field(description="Why it compared nothing; empty if it did.")


@strawberry.type(description="An evaluation's result, or why it could not run.")
class EvaluateWarningsPayload:
    period: str | None = strawberry.field(default=None, description="e.g. 2025-06.")
    outcomes: list[RuleOutcome] = strawberry.field(
        default_factory=list, description="One per enabled rule."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="A sheet of warnings found offline, base64-encoded.")
class ImportWarningsInput:
    file_name: str = strawberry.field(description="Ends in .xlsx or .csv.")
    content_base64: str = strawberry.field(description="The file's bytes, base64-encoded.")


@strawberry.type(description="How many warnings were imported, or every bad row.")
class ImportWarningsPayload:
    imported: int = strawberry.field(default=0, description="Warnings imported.")
    rejected_rows: list[RowProblem] = strawberry.field(
        default_factory=list, description="Every bad row; nothing was imported if any."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


def _parameters(given: list[RuleParameterInput] | None) -> dict[str, str] | None:
    if given is None:
        return None
    found: dict[str, str] = {}
    for p in given:
        if p.name in found:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(f"参数 {p.name} 给了两次", f"The parameter {p.name} is given twice"),
                field=p.name,
            )
        found[p.name] = p.value
    return found


@strawberry.type
class RectificationMutation:
    @strawberry.mutation(
        description="Issue a deliberation opinion to its units (staff).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def create_opinion(self, info: Info, input: CreateOpinionInput) -> RectificationPayload:
        draft = opinions.OpinionDraft(
            title=input.title, stage=input.stage, meeting=input.meeting,
            meeting_on=input.meeting_on, subject=input.subject,
            points=[opinions.PointDraft(p.text, [t.draft() for t in p.budget_links])
                    for p in input.points],
        )  # fmt: skip
        created = await opinions.create_opinion(
            viewer=info.context.viewer, draft=draft, addressed=input.addressed.to_service(),
            settings=info.context.settings,
        )  # fmt: skip
        return RectificationPayload(record=Opinion.from_document(created))

    @strawberry.mutation(
        description="Record an audit finding and issue it to its units (staff).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def create_audit_finding(
        self, info: Info, input: CreateAuditFindingInput
    ) -> RectificationPayload:
        draft = opinions.FindingDraft(
            number=input.number, title=input.title, description=input.description,
            audit_year=input.audit_year, auditor=input.auditor, category=input.category,
            amount=input.amount, budget_links=[t.draft() for t in input.budget_links],
        )  # fmt: skip
        created = await opinions.create_finding(
            viewer=info.context.viewer, draft=draft, addressed=input.addressed.to_service(),
            settings=info.context.settings,
        )  # fmt: skip
        return RectificationPayload(record=AuditFinding.from_document(created))

    @strawberry.mutation(
        description="Add a warning rule (admins).", extensions=[roles(Role.ADMIN), UserErrors()]
    )
    async def create_warning_rule(
        self, info: Info, input: CreateWarningRuleInput
    ) -> WarningRulePayload:
        rule = await warning_rules.create_rule(
            viewer=info.context.viewer, name=input.name, kind=input.kind, scope=input.scope,
            parameters=_parameters(input.parameters) or {}, enabled=input.enabled,
        )  # fmt: skip
        return WarningRulePayload(rule=WarningRule.from_document(rule))

    @strawberry.mutation(
        description="Change a warning rule (admins).",
        extensions=[roles(Role.ADMIN), UserErrors()],
    )
    async def update_warning_rule(
        self, info: Info, input: UpdateWarningRuleInput
    ) -> WarningRulePayload:
        rule = await warning_rules.update_rule(
            viewer=info.context.viewer, rule_id=WarningRule.document_id(input.id),
            name=input.name, scope=input.scope, parameters=_parameters(input.parameters),
            enabled=input.enabled,
        )  # fmt: skip
        return WarningRulePayload(rule=WarningRule.from_document(rule))

    @strawberry.mutation(
        description="Run every enabled rule over a period's figures (e.g. 2025-06). "
        "Idempotent: one warning per rule, subject and period; a re-run updates them. "
        "Refused when the period has no execution figures.",
        extensions=[roles(Role.STAFF, Role.ADMIN), UserErrors()],
    )
    async def evaluate_warnings(self, period: str) -> EvaluateWarningsPayload:
        year, month = parse_period(period)
        result = await evaluate(year, month)
        return EvaluateWarningsPayload(
            period=f"{year}-{month:02d}",
            outcomes=[
                RuleOutcome(
                    rule=WarningRule.from_document(o.rule),
                    checked=o.checked,
                    raised=o.raised,
                    updated=o.updated,
                    cleared=o.cleared,
                    skipped=o.skipped,
                )
                for o in result.outcomes
            ],
        )

    @strawberry.mutation(
        description="Import warnings found offline (staff): columns 预警编号, 期间, 预警等级, "
        "标题, 预警内容 and optionally 部门编码; every row or none.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def import_warnings(
        self, info: Info, input: ImportWarningsInput
    ) -> ImportWarningsPayload:
        try:
            count = await import_warnings(
                decoded(input.content_base64),
                name=input.file_name,
                viewer=info.context.viewer,
                limits=SheetLimits.of(info.context.settings),
            )
        except FileRejected as rejected:
            return ImportWarningsPayload(rejected_rows=problems(rejected.errors))
        return ImportWarningsPayload(imported=count)
