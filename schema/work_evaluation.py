"""The evaluation of a department's work (工作评议) in GraphQL: the year's plan, each
evaluation with its papers, scoring rounds and result (its steps:
``schema.work_evaluation_steps``)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api.access import Handling, Role, handling, visible
from api.models.work_evaluation import Paper, Scoring, WorkEvaluationState
from api.models.work_evaluation import WorkEvaluation as EvaluationDocument
from api.paging import Sort, keyset_page
from api.services import work_evaluation
from api.services.text_search import matching
from schema.budget_figures import year_of
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import UserError, UserErrors
from schema.nodes import Connection, DocumentNode, document_ids, page_size
from schema.people import Unit
from schema.permissions import roles
from schema.rectification import Opinion
from schema.suggestions import NextStep
from schema.timeline import TimelineEvent, timeline
from search.indexes import RECORD_ACCESS, WORK_EVALUATIONS

graphql_enum(
    WorkEvaluationState,
    description="Where a department's work evaluation stands, from the year's plan to the "
    "evaluation opinion issued.",
)

W = work_evaluation.S
STEP_MUTATIONS: dict[str, str] = {
    W.REPORT: "submitWorkEvaluationReport",
    W.RETURN: "returnWorkEvaluationReport",
    W.RESEARCH: "recordPreliminaryEvaluationOpinion",
    W.OPEN_SCORING: "openWorkEvaluationScoring",
    W.ANNOUNCE: "closeWorkEvaluationScoring",
    W.ANNUL: "closeWorkEvaluationScoring",
    W.ISSUE: "issueWorkEvaluationOpinion",
}


@strawberry.type(description="A text written in the evaluation, by whom and when.")
class EvaluationPaper:
    text: str = strawberry.field(description="The text.")
    written_by: str = strawberry.field(description="Who wrote it down.")
    written_at: datetime = strawberry.field(description="When.")


def _paper(found: Paper | None, seen: Handling) -> EvaluationPaper | None:
    if found is None or not seen.party:
        return None
    return EvaluationPaper(text=found.text, written_by=found.written_by,
                           written_at=found.written_at)  # fmt: skip


@strawberry.type(description="A grade of the result and the lowest average score that earns it.")
class EvaluationGrade:
    label: str = strawberry.field(description="e.g. 优秀.")
    min_score: int = strawberry.field(description="The lowest average score of this grade.")


@strawberry.type(description="How many members' scores fell in a grade.")
class GradeCount:
    label: str = strawberry.field(description="The grade.")
    scores: int = strawberry.field(description="Scores within it.")


@strawberry.type(
    description="One round of the members' secret scoring (测评). Who scored is kept, what "
    "anyone gave is not; the figures show once the round is closed."
)
class ScoringRound:
    round: int = strawberry.field(
        description="1 for the first; a void round is followed by another."
    )
    grades: list[EvaluationGrade] = strawberry.field(description="The grades, the highest first.")
    quorum_percent: int = strawberry.field(
        description="It stands only when more than this percentage of the members present score."
    )
    present: int = strawberry.field(description="Members present, who may score.")
    scored: int = strawberry.field(description="Members who have scored so far.")
    void: bool = strawberry.field(description="Closed short of its quorum: not counted.")
    average_score: Decimal | None = strawberry.field(
        description="The average score, to two places; null until closed, and for a void round."
    )
    grade: str | None = strawberry.field(
        description="The grade the average earns; null until closed, and for a void round."
    )
    grade_counts: list[GradeCount] | None = strawberry.field(
        description="Scores per grade, the highest first; null until closed, and for a void "
        "round (it was not counted)."
    )
    opened_at: datetime = strawberry.field(description="When it opened.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")


def scoring_round(found: Scoring) -> ScoringRound:
    counted = found.closed_at is not None and not found.void
    average, grade = work_evaluation.result(found) if counted else (None, None)
    return ScoringRound(
        round=found.round,
        grades=[EvaluationGrade(label=g.label, min_score=g.min_score) for g in found.grades],
        quorum_percent=found.quorum_percent, present=len(found.present),
        scored=len(found.scored), void=found.void, average_score=average,
        grade=grade.label if grade else None,
        grade_counts=[GradeCount(label=g.label, scores=found.counts.get(str(n), 0))
                      for n, g in enumerate(found.grades)] if counted else None,
        opened_at=found.opened_at, closed_at=found.closed_at,
    )  # fmt: skip


@strawberry.type(
    description="A department's work evaluated by the standing committee (工作评议), one in a "
    "year's plan: its self-report, the committee's preliminary opinion, the members' secret "
    "scoring and the evaluation opinion issued to it."
)
class WorkEvaluation(DocumentNode):
    __document__ = EvaluationDocument
    __label__ = "工作评议"

    id: relay.NodeID[str]
    year: int = strawberry.field(description="The year of the plan.")
    subject: str = strawberry.field(description="The work evaluated.")
    committee: str = strawberry.field(description="The committee that researches it.")
    report_due: date = strawberry.field(description="When the self-report is due.")
    state: WorkEvaluationState = strawberry.field(description="Where it stands.")
    created_at: datetime = strawberry.field(description="When it was put in the plan.")

    def _handling(self, info: Info) -> Handling:
        return handling(info.context.viewer, self.document)

    @strawberry.field(description="The department evaluated, as the unit that answers for it.")
    async def unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.document.unit_id)

    @strawberry.field(
        description="The department's self-report (自查报告); null before it is sent, and "
        "unless you are a deputy, the department or staff."
    )
    def self_report(self, info: Info) -> EvaluationPaper | None:
        return _paper(self.document.self_report, self._handling(info))

    @strawberry.field(
        description="The committee's preliminary opinion (初步评议意见); null before it is "
        "written, and unless you are a deputy, the department or staff."
    )
    def preliminary_opinion(self, info: Info) -> EvaluationPaper | None:
        return _paper(self.document.preliminary_opinion, self._handling(info))

    @strawberry.field(description="The rounds of scoring, the latest last.")
    def scorings(self) -> list[ScoringRound]:
        return [scoring_round(s) for s in self.document.scorings]

    @strawberry.field(
        description="The announced result: the round that stood; null before it is announced."
    )
    def result(self) -> ScoringRound | None:
        counted = [s for s in self.document.scorings if s.closed_at and not s.void]
        return scoring_round(counted[-1]) if counted else None

    @strawberry.field(description="Whether you (a member present) have scored in the latest round.")
    def you_scored(self, info: Info) -> bool:
        rounds = self.document.scorings
        return bool(rounds) and info.context.viewer.deputy_id in rounds[-1].scored

    @strawberry.field(
        description="The evaluation opinion issued to the department, rectified in its own "
        "loop; null before it is issued, or when you may not read it."
    )
    async def opinion(self, info: Info) -> Opinion | None:
        found = self.document.opinion_id
        return await Opinion.load(info, found) if found else None

    follow_up_due: date | None = strawberry.field(
        description=f"When the follow-up hearing is due, {work_evaluation.FOLLOW_UP_MONTHS} "
        "months after the opinion was issued; null before."
    )

    @strawberry.field(
        description="Its steps: deputies, the department and staff read who took each and the "
        "note; everyone else the changes of state only."
    )
    def timeline(self, info: Info, since: datetime | None = None) -> list[TimelineEvent]:
        return timeline(self._handling(info), self.document.timeline, work_evaluation.LOOP,
                        WorkEvaluationState, since)  # fmt: skip

    @strawberry.field(description="The steps you may take now, each with its mutation.")
    def next_steps(self, info: Info) -> list[NextStep]:
        viewer = info.context.viewer
        return [NextStep(name=s.name, label=s.label, mutation=STEP_MUTATIONS[s.name])
                for s in work_evaluation.next_steps(viewer, self.document)]  # fmt: skip


@strawberry.type
class WorkEvaluationQuery:
    @strawberry.field(
        description="A year's work evaluations you may read, in the plan's order; `query`: "
        "words in the work evaluated or the committee (≤ 200)."
    )
    async def work_evaluations(
        self, info: Info, year: int, unit_id: strawberry.ID | None = None,
        state: WorkEvaluationState | None = None, query: str | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[WorkEvaluation]:  # fmt: skip
        conditions: dict[str, Any] = {"year": year_of(info, year)}
        if unit_id is not None:
            (conditions["unit_id"],) = document_ids([unit_id], Unit, "unitId")
        if state is not None:
            conditions["state"] = str(state)
        viewer = info.context.viewer
        words = await matching(EvaluationDocument, WORK_EVALUATIONS, RECORD_ACCESS,
                               info.context.words(query), viewer)  # fmt: skip
        page = await keyset_page(
            EvaluationDocument,
            query=visible(EvaluationDocument, viewer, conditions, words),
            sort=Sort("created_at"),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, WorkEvaluation, EvaluationDocument)


@strawberry.input(description="A department in the year's plan.")
class PlannedDepartmentInput:
    unit_id: strawberry.ID = strawberry.field(description="The unit that answers for it.")
    subject: str = strawberry.field(description="The work evaluated, 1 to 100 characters.")
    committee: str = strawberry.field(
        description="The committee that researches it, 1 to 50 characters."
    )


@strawberry.input(description="The departments of a year's work evaluation plan.")
class PlanWorkEvaluationsInput:
    year: int = strawberry.field(description="Last year, this year or next.")
    report_due: date = strawberry.field(description="When the self-reports are due.")
    departments: list[PlannedDepartmentInput] = strawberry.field(
        description="1 to 50 departments, each at most once a year."
    )


@strawberry.type(description="The evaluations planned, or why none was.")
class WorkEvaluationsPayload:
    evaluations: list[WorkEvaluation] = strawberry.field(
        default_factory=list, description="The evaluations, in the order given."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class WorkEvaluationPlanMutation:
    @strawberry.mutation(
        description="Put departments in a year's work evaluation plan (staff): all or none.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def plan_work_evaluations(
        self, info: Info, input: PlanWorkEvaluationsInput
    ) -> WorkEvaluationsPayload:
        units = document_ids([d.unit_id for d in input.departments], Unit, "departments")
        planned = await work_evaluation.plan(
            year=input.year, report_due=input.report_due,
            departments=[work_evaluation.Planned(u, d.subject, d.committee)
                         for u, d in zip(units, input.departments, strict=True)],
            viewer=info.context.viewer, settings=info.context.settings,
        )  # fmt: skip
        return WorkEvaluationsPayload(
            evaluations=[WorkEvaluation.from_document(e) for e in planned]
        )
