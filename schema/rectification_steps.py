"""The steps of the rectification loops (opinions, audit findings, warnings) in GraphQL: one
mutation per step with a typed input, as for suggestions. Each returns the record or, in
``errors``, why not: a step from the wrong state is CONFLICT and names the current state and
the steps possible from it; a step of another kind of record (issuing an opinion) is
INVALID_INPUT on ``id``."""

from datetime import date
from typing import Any

import strawberry

from api.access import Role, get_visible
from api.language import say
from api.models.suggestions import SupervisionMethod
from api.services import rectification
from api.services.rectification import RectificationStep, StepInput, WarningStep
from api.services.rectification import RectificationStep as RS
from api.services.rectification import WarningStep as WS
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import DocumentNode, document_ids, global_id, object_id
from schema.people import Unit
from schema.permissions import roles
from schema.rectification import AuditFinding, BudgetWarning, Opinion, RectificationRecord

NODES: dict[str, type[DocumentNode]] = {
    "Opinion": Opinion,
    "AuditFinding": AuditFinding,
    "BudgetWarning": BudgetWarning,
}
STAFF = (Role.STAFF,)
UNITS = (Role.HANDLER, Role.FINANCE)
"""A unit's steps: its handlers', and finance's for the finance bureau's unit."""


@strawberry.type(description="The record after the step or creation, or why it was refused.")
class RectificationPayload:
    record: RectificationRecord | None = strawberry.field(default=None, description="The record.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="A step that needs nothing but the record (a note optional).")
class RectificationStepInput:
    id: strawberry.ID = strawberry.field(description="An opinion, audit finding or warning.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A step that needs a reason.")
class RectificationReasonInput:
    id: strawberry.ID = strawberry.field(description="An opinion, audit finding or warning.")
    note: str = strawberry.field(description="Why, 1 to 2,000 characters.")


@strawberry.input(description="A unit's written answer: a plan (方案) or a response (反馈).")
class RectificationAnswerInput:
    id: strawberry.ID = strawberry.field(description="An opinion, audit finding or warning.")
    text: str = strawberry.field(description="1 to 20,000 characters.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A unit's rectification report (整改情况报告).")
class ReportRectificationInput:
    id: strawberry.ID = strawberry.field(description="An opinion or audit finding.")
    text: str = strawberry.field(description="1 to 20,000 characters.")
    points: list[int] | None = strawberry.field(
        default=None, description="An opinion's points rectified by now."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="An act of supervision (督办).")
class SuperviseRectificationInput:
    id: strawberry.ID = strawberry.field(description="An opinion, audit finding or warning.")
    method: SupervisionMethod = strawberry.field(description="How it was supervised.")
    note: str = strawberry.field(description="What was done, 1 to 2,000 characters.")


@strawberry.input(description="A follow-up hearing (跟踪监督听证).")
class ScheduleHearingInput:
    id: strawberry.ID = strawberry.field(description="An opinion or audit finding.")
    hearing_on: date = strawberry.field(description="Its date: from today to two years ahead.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="Issuing a warning to units (下达).")
class IssueWarningInput:
    id: strawberry.ID = strawberry.field(description="The warning.")
    unit_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Omitted: the units of the warning's departments."
    )
    deadline: date | None = strawberry.field(
        default=None, description="Omitted: the usual response time (setting)."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


async def _take(
    info: Info, raw_id: str, step: RectificationStep | WarningStep, given: StepInput
) -> RectificationPayload:
    viewer = info.context.viewer
    parsed = global_id(raw_id, "id")
    node = NODES.get(parsed.type_name)
    record = await get_visible(
        node.__document__ if node else None, viewer=viewer, field="id",
        object_id=object_id(parsed.node_id) if node else None,
        what=say("审议意见、审计查出问题或预警", "deliberation opinion, audit finding or warning"),
    )  # fmt: skip
    taken: Any = await rectification.take_step(
        record, step=step, viewer=viewer, settings=info.context.settings, given=given
    )
    return RectificationPayload(record=NODES[parsed.type_name].from_document(taken))  # type: ignore[arg-type]


@strawberry.type
class RectificationStepMutation:
    @strawberry.mutation(
        description="签收: a unit the record is addressed to accepts it (opinions and findings: "
        "ISSUED → RESPONDING; warnings: ISSUED → RECTIFYING).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def accept_rectification(
        self, info: Info, input: RectificationStepInput
    ) -> RectificationPayload:
        return await _take(info, input.id, RS.ACCEPT, StepInput(note=input.note))

    @strawberry.mutation(
        description="报送整改方案: the unit's plan (opinions and findings: RESPONDING → "
        "RECTIFYING).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def plan_rectification(
        self, info: Info, input: RectificationAnswerInput
    ) -> RectificationPayload:
        return await _take(info, input.id, RS.PLAN, StepInput(note=input.note, text=input.text))

    @strawberry.mutation(
        description="报告整改情况: the unit's report, marking an opinion's points rectified "
        "(RECTIFYING → REPORTED).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def report_rectification(
        self, info: Info, input: ReportRectificationInput
    ) -> RectificationPayload:
        given = StepInput(note=input.note, text=input.text, points=input.points)
        return await _take(info, input.id, RS.REPORT, given)

    @strawberry.mutation(
        description="反馈: the unit's response to a warning (RECTIFYING → RESPONDED).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def respond_to_warning(
        self, info: Info, input: RectificationAnswerInput
    ) -> RectificationPayload:
        return await _take(info, input.id, WS.RESPOND, StepInput(note=input.note, text=input.text))

    @strawberry.mutation(
        description="退回重新整改: staff send a report or response back, saying why "
        "(REPORTED or RESPONDED → RECTIFYING).",
        extensions=[roles(*STAFF), UserErrors()],
    )
    async def return_rectification(
        self, info: Info, input: RectificationReasonInput
    ) -> RectificationPayload:
        return await _take(info, input.id, RS.RETURN, StepInput(note=input.note))

    @strawberry.mutation(
        description="办结: staff close a record once its report or response is accepted.",
        extensions=[roles(*STAFF), UserErrors()],
    )
    async def close_rectification(
        self, info: Info, input: RectificationStepInput
    ) -> RectificationPayload:
        return await _take(info, input.id, RS.CLOSE, StepInput(note=input.note))

    @strawberry.mutation(
        description="督办: staff record an act of supervision while the unit's answer is "
        "awaited (the state stays).",
        extensions=[roles(*STAFF), UserErrors()],
    )
    async def supervise_rectification(
        self, info: Info, input: SuperviseRectificationInput
    ) -> RectificationPayload:
        given = StepInput(note=input.note, method=input.method)
        return await _take(info, input.id, RS.SUPERVISE, given)

    @strawberry.mutation(
        description="安排跟踪听证: staff fix a follow-up hearing of an opinion or finding (the "
        "state stays).",
        extensions=[roles(*STAFF), UserErrors()],
    )
    async def schedule_hearing(
        self, info: Info, input: ScheduleHearingInput
    ) -> RectificationPayload:
        given = StepInput(note=input.note, hearing_on=input.hearing_on)
        return await _take(info, input.id, RS.SCHEDULE_HEARING, given)

    @strawberry.mutation(
        description="下达: staff issue an open warning to units, with a deadline (OPEN → ISSUED).",
        extensions=[roles(*STAFF), UserErrors()],
    )
    async def issue_warning(self, info: Info, input: IssueWarningInput) -> RectificationPayload:
        units = document_ids(input.unit_ids, Unit, "unitIds") if input.unit_ids else None
        given = StepInput(note=input.note, unit_ids=units, deadline=input.deadline)
        return await _take(info, input.id, WS.ISSUE, given)

    @strawberry.mutation(
        description="核实销号: staff dismiss an open warning found to be no problem, saying why "
        "(OPEN → DISMISSED; counted apart from rectified ones).",
        extensions=[roles(*STAFF), UserErrors()],
    )
    async def dismiss_warning(
        self, info: Info, input: RectificationReasonInput
    ) -> RectificationPayload:
        return await _take(info, input.id, WS.DISMISS, StepInput(note=input.note))
