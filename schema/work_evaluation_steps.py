"""A work evaluation's steps in GraphQL: one mutation per step, as for the other loops; each
returns the evaluation or, in ``errors``, why not (a step from the wrong state is CONFLICT
and names the steps you may take)."""

from datetime import date

import strawberry

from api.access import Role, get_visible
from api.language import say
from api.models.rectification import OpinionStage
from api.models.regulations import Visibility
from api.models.work_evaluation import WorkEvaluation as EvaluationDocument
from api.services import opinions, work_evaluation
from api.services.work_evaluation import EvaluationStep, StepInput
from api.services.work_evaluation import EvaluationStep as S
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import document_ids
from schema.people import Deputy
from schema.permissions import roles
from schema.rectification_mutations import OpinionPointInput
from schema.work_evaluation import WorkEvaluation

UNITS = (Role.HANDLER, Role.FINANCE)
"""The department's people."""


@strawberry.type(description="The evaluation, or why it did not change.")
class WorkEvaluationPayload:
    evaluation: WorkEvaluation | None = strawberry.field(
        default=None, description="The evaluation."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(
    description="A text of the evaluation: the self-report or the preliminary opinion."
)
class WorkEvaluationPaperInput:
    id: strawberry.ID = strawberry.field(description="The evaluation.")
    text: str = strawberry.field(description="1 to 20,000 characters.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="Sending the self-report back, with the reason.")
class ReturnWorkEvaluationReportInput:
    id: strawberry.ID = strawberry.field(description="The evaluation.")
    note: str = strawberry.field(description="Why, 1 to 2,000 characters.")


@strawberry.input(description="A grade of the result and its lowest average score.")
class GradeInput:
    label: str = strawberry.field(description="e.g. 优秀, 1 to 10 characters.")
    min_score: int = strawberry.field(description="0 to 100; one grade starts at 0.")


@strawberry.input(description="Opening the members' secret scoring, with its rules.")
class OpenWorkEvaluationScoringInput:
    id: strawberry.ID = strawberry.field(description="The evaluation.")
    present_deputy_ids: list[strawberry.ID] = strawberry.field(
        description="The members of the standing committee present, who may score."
    )
    grades: list[GradeInput] | None = strawberry.field(
        default=None,
        description="1 to 10 grades; omitted: 优秀 from 90, 良好 from 80, 合格 from 60, 不合格 "
        "below.",
    )
    quorum_percent: int = strawberry.field(
        default=50, description="More scores than this percentage of the members present."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A member's score.")
class ScoreWorkEvaluationInput:
    id: strawberry.ID = strawberry.field(description="An evaluation being scored.")
    score: int = strawberry.field(description="A whole number from 0 to 100.")


@strawberry.input(description="Which evaluation's scoring to close.")
class CloseWorkEvaluationScoringInput:
    id: strawberry.ID = strawberry.field(description="An evaluation being scored.")


@strawberry.input(description="The evaluation opinion (评议意见) issued to the department.")
class IssueWorkEvaluationOpinionInput:
    id: strawberry.ID = strawberry.field(description="An evaluation whose result is announced.")
    title: str = strawberry.field(description="1 to 200 characters.")
    meeting: str = strawberry.field(
        description="The standing committee's meeting, 1 to 100 characters."
    )
    meeting_on: date = strawberry.field(description="When it met; not after today.")
    points: list[OpinionPointInput] = strawberry.field(
        description="1 to 50 points, numbered in order."
    )
    deadline: date | None = strawberry.field(
        default=None, description="The rectification report's due date; omitted: two months."
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.INTERNAL, description="PUBLIC: everyone may read the opinion."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


async def _evaluation(info: Info, raw_id: str) -> EvaluationDocument:
    return await get_visible(  # type: ignore[no-any-return]
        EvaluationDocument, object_id=WorkEvaluation.document_id(raw_id),
        viewer=info.context.viewer, what=say("工作评议", "work evaluation"),
    )  # fmt: skip


async def _take(
    info: Info, raw_id: str, step: EvaluationStep, given: StepInput
) -> WorkEvaluationPayload:
    evaluation = await _evaluation(info, raw_id)
    taken = await work_evaluation.take_step(
        evaluation, step=step, viewer=info.context.viewer, given=given,
        settings=info.context.settings,
    )  # fmt: skip
    return WorkEvaluationPayload(evaluation=WorkEvaluation.from_document(taken))


@strawberry.type
class WorkEvaluationStepMutation:
    @strawberry.mutation(
        description="报送自查报告: the department sends its self-report (PLANNED → SELF_REPORTED).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def submit_work_evaluation_report(
        self, info: Info, input: WorkEvaluationPaperInput
    ) -> WorkEvaluationPayload:
        return await _take(info, input.id, S.REPORT, StepInput(note=input.note, text=input.text))

    @strawberry.mutation(
        description="退回自查报告: staff send the self-report back to be rewritten "
        "(SELF_REPORTED → PLANNED).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def return_work_evaluation_report(
        self, info: Info, input: ReturnWorkEvaluationReportInput
    ) -> WorkEvaluationPayload:
        return await _take(info, input.id, S.RETURN, StepInput(note=input.note))

    @strawberry.mutation(
        description="形成初步评议意见: staff record the committee's preliminary opinion "
        "(SELF_REPORTED → RESEARCHED).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def record_preliminary_evaluation_opinion(
        self, info: Info, input: WorkEvaluationPaperInput
    ) -> WorkEvaluationPayload:
        return await _take(info, input.id, S.RESEARCH, StepInput(note=input.note, text=input.text))

    @strawberry.mutation(
        description="开始测评: staff open the members' secret scoring, with its grades and "
        "quorum (RESEARCHED → SCORING).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def open_work_evaluation_scoring(
        self, info: Info, input: OpenWorkEvaluationScoringInput
    ) -> WorkEvaluationPayload:
        present = document_ids(input.present_deputy_ids, Deputy, "presentDeputyIds")
        grades = ([(g.label, g.min_score) for g in input.grades] if input.grades is not None
                  else list(work_evaluation.DEFAULT_GRADES))  # fmt: skip
        given = StepInput(note=input.note, present=present, grades=grades,
                          quorum_percent=input.quorum_percent)  # fmt: skip
        return await _take(info, input.id, S.OPEN_SCORING, given)

    @strawberry.mutation(
        description="A member's score, once per round; added to the sum as given, never kept "
        "with who gave it.",
        extensions=[roles(Role.DEPUTY), UserErrors()],
    )
    async def score_work_evaluation(
        self, info: Info, input: ScoreWorkEvaluationInput
    ) -> WorkEvaluationPayload:
        evaluation = await _evaluation(info, input.id)
        await work_evaluation.score(
            evaluation=evaluation, given=input.score, viewer=info.context.viewer
        )
        return WorkEvaluationPayload(evaluation=await WorkEvaluation.load(info, evaluation.id))

    @strawberry.mutation(
        description="公布测评结果: staff close the scoring; its result is announced (SCORED), or "
        "short of its quorum it is void (back to RESEARCHED, to be scored again).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def close_work_evaluation_scoring(
        self, info: Info, input: CloseWorkEvaluationScoringInput
    ) -> WorkEvaluationPayload:
        evaluation = await _evaluation(info, input.id)
        closed = await work_evaluation.close_scoring(
            evaluation=evaluation, viewer=info.context.viewer
        )
        return WorkEvaluationPayload(evaluation=WorkEvaluation.from_document(closed))

    @strawberry.mutation(
        description="交办评议意见: staff issue the evaluation opinion to the department as an "
        "opinion of stage WORK_EVALUATION, rectified in its own loop (SCORED → ISSUED).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def issue_work_evaluation_opinion(
        self, info: Info, input: IssueWorkEvaluationOpinionInput
    ) -> WorkEvaluationPayload:
        draft = opinions.OpinionDraft(
            title=input.title, stage=OpinionStage.WORK_EVALUATION,
            meeting=input.meeting, meeting_on=input.meeting_on, subject="",
            points=[opinions.PointDraft(p.text, [t.draft() for t in p.budget_links])
                    for p in input.points],
        )  # fmt: skip
        addressed = opinions.Addressed(unit_ids=[], deadline=input.deadline,
                                       visibility=input.visibility)  # fmt: skip
        given = StepInput(note=input.note, opinion=draft, addressed=addressed)
        return await _take(info, input.id, S.ISSUE, given)
