"""A chosen livelihood project's year in GraphQL: one mutation per step, as for the other
loops; each returns the project or, in ``errors``, why not (a step from the wrong state is
CONFLICT and names the steps you may take)."""

from datetime import date

import strawberry

from api.access import Role, get_visible
from api.language import say
from api.models.livelihood import LivelihoodProject as ProjectDocument
from api.models.suggestions import Satisfaction, SupervisionMethod
from api.services import livelihood_loop
from api.services.livelihood_loop import ProjectStep, StepInput
from api.services.livelihood_loop import ProjectStep as S
from schema.context import Info
from schema.errors import UserErrors
from schema.livelihood import LivelihoodProject, LivelihoodProjectPayload
from schema.permissions import roles

UNITS = (Role.HANDLER, Role.FINANCE)
"""The responsible unit's people."""


@strawberry.input(description="A stage of the project.")
class MilestoneInput:
    title: str = strawberry.field(description="1 to 100 characters.")
    due_on: date = strawberry.field(description="When it is due.")


@strawberry.input(description="Starting a chosen project (开工), with its stages.")
class StartLivelihoodProjectInput:
    id: strawberry.ID = strawberry.field(description="The project.")
    milestones: list[MilestoneInput] = strawberry.field(description="1 to 20 stages.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A progress report (进展).")
class ReportLivelihoodProgressInput:
    id: strawberry.ID = strawberry.field(description="The project.")
    text: str = strawberry.field(description="What has been done, 1 to 20,000 characters.")
    percent: int = strawberry.field(description="Share of the work done, 0 to 100.")
    reached: list[int] = strawberry.field(
        default_factory=list, description="Stages reached by now, by number (1 for the first)."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="The report that the project is done (完工).")
class CompleteLivelihoodProjectInput:
    id: strawberry.ID = strawberry.field(description="The project.")
    text: str = strawberry.field(description="What was done, 1 to 20,000 characters.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="An act of supervision (督办).")
class SuperviseLivelihoodProjectInput:
    id: strawberry.ID = strawberry.field(description="The project.")
    method: SupervisionMethod = strawberry.field(description="How it was supervised.")
    note: str = strawberry.field(description="What was done, 1 to 2,000 characters.")


@strawberry.input(description="Opening the deputies' evaluation (满意度测评).")
class OpenLivelihoodEvaluationInput:
    id: strawberry.ID = strawberry.field(description="A completed project.")
    pass_percent: int = strawberry.field(
        default=60, description="It passes with more than this percentage 满意 or 基本满意."
    )
    min_evaluations: int = strawberry.field(
        default=1, description="It is counted only once this many deputies have evaluated."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A deputy's evaluation.")
class EvaluateLivelihoodProjectInput:
    id: strawberry.ID = strawberry.field(description="A project being evaluated.")
    satisfaction: Satisfaction = strawberry.field(description="满意, 基本满意 or 不满意.")


@strawberry.input(description="Which project's evaluation to count.")
class CountLivelihoodEvaluationInput:
    id: strawberry.ID = strawberry.field(description="A project being evaluated.")


async def _project(info: Info, raw_id: str) -> ProjectDocument:
    return await get_visible(  # type: ignore[no-any-return]
        ProjectDocument, object_id=LivelihoodProject.document_id(raw_id),
        viewer=info.context.viewer, what=say("民生实事项目", "livelihood project"),
    )  # fmt: skip


async def _take(
    info: Info, raw_id: str, step: ProjectStep, given: StepInput
) -> LivelihoodProjectPayload:
    project = await _project(info, raw_id)
    taken = await livelihood_loop.take_step(
        project, step=step, viewer=info.context.viewer, given=given, settings=info.context.settings
    )
    return LivelihoodProjectPayload(project=LivelihoodProject.from_document(taken))


@strawberry.type
class LivelihoodStepMutation:
    @strawberry.mutation(
        description="开工: its unit starts a chosen project, with its stages (CHOSEN → UNDERWAY).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def start_livelihood_project(
        self, info: Info, input: StartLivelihoodProjectInput
    ) -> LivelihoodProjectPayload:
        stages = [(m.title, m.due_on) for m in input.milestones]
        return await _take(info, input.id, S.START, StepInput(note=input.note, milestones=stages))

    @strawberry.mutation(
        description="报告进展: its unit reports progress and the stages reached (the state stays).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def report_livelihood_progress(
        self, info: Info, input: ReportLivelihoodProgressInput
    ) -> LivelihoodProjectPayload:
        given = StepInput(note=input.note, text=input.text, percent=input.percent,
                          reached=input.reached)  # fmt: skip
        return await _take(info, input.id, S.REPORT, given)

    @strawberry.mutation(
        description="报告完工: its unit reports the project done, every stage reached "
        "(UNDERWAY or RECTIFYING → COMPLETED).",
        extensions=[roles(*UNITS), UserErrors()],
    )
    async def complete_livelihood_project(
        self, info: Info, input: CompleteLivelihoodProjectInput
    ) -> LivelihoodProjectPayload:
        return await _take(info, input.id, S.COMPLETE, StepInput(note=input.note, text=input.text))

    @strawberry.mutation(
        description="督办: staff record an act of supervision (the state stays).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def supervise_livelihood_project(
        self, info: Info, input: SuperviseLivelihoodProjectInput
    ) -> LivelihoodProjectPayload:
        given = StepInput(note=input.note, method=input.method)
        return await _take(info, input.id, S.SUPERVISE, given)

    @strawberry.mutation(
        description="开始满意度测评: staff open the deputies' evaluation of a completed "
        "project (COMPLETED → EVALUATING).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def open_livelihood_evaluation(
        self, info: Info, input: OpenLivelihoodEvaluationInput
    ) -> LivelihoodProjectPayload:
        given = StepInput(note=input.note, pass_percent=input.pass_percent,
                          min_evaluations=input.min_evaluations)  # fmt: skip
        return await _take(info, input.id, S.OPEN_EVALUATION, given)

    @strawberry.mutation(
        description="A deputy's evaluation, once per round; counted as given, never kept "
        "with who gave it.",
        extensions=[roles(Role.DEPUTY), UserErrors()],
    )
    async def evaluate_livelihood_project(
        self, info: Info, input: EvaluateLivelihoodProjectInput
    ) -> LivelihoodProjectPayload:
        project = await _project(info, input.id)
        await livelihood_loop.evaluate(
            project=project, said=input.satisfaction, viewer=info.context.viewer
        )
        return LivelihoodProjectPayload(project=await LivelihoodProject.load(info, project.id))

    @strawberry.mutation(
        description="统计测评结果: staff count the open round; the project passes (PASSED) or "
        "goes back to its unit (RECTIFYING), by the round's passPercent.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def count_livelihood_evaluation(
        self, info: Info, input: CountLivelihoodEvaluationInput
    ) -> LivelihoodProjectPayload:
        project = await _project(info, input.id)
        counted = await livelihood_loop.count(project=project, viewer=info.context.viewer)
        return LivelihoodProjectPayload(project=LivelihoodProject.from_document(counted))
