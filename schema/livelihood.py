"""Livelihood projects and the deputies' vote on them (票决制) in GraphQL."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api.access import Handling, Role, handling, visible
from api.models.livelihood import LivelihoodProject as ProjectDocument
from api.models.livelihood import LivelihoodVote as VoteDocument
from api.models.livelihood import ProjectSource, ProjectState, VoteState
from api.models.livelihood import Satisfaction as Round
from api.models.suggestions import Satisfaction
from api.paging import Sort, keyset_page
from api.services import livelihood, livelihood_loop
from api.services.budget_figures import percent
from api.services.text_search import matching
from schema.budget_figures import month_argument, year_of
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import UserError, UserErrors
from schema.money import Money
from schema.nodes import Connection, DocumentNode, document_ids, page_size
from schema.people import CongressSession, Deputy, Unit
from schema.permissions import roles
from schema.spending import BudgetLink, Spending, budget_link, spending, spending_loader
from schema.suggestions import NextStep, SupervisionRecord
from schema.timeline import TimelineEvent, timeline
from search.indexes import LIVELIHOOD_PROJECTS, RECORD_ACCESS

graphql_enum(ProjectSource, description="Who put a livelihood project forward.")
graphql_enum(
    ProjectState,
    description="Where a livelihood project stands: a candidate, in the vote, and once "
    "chosen, through its year to the deputies' evaluation.",
)
graphql_enum(VoteState, description="Where a session's vote on livelihood projects stands.")

STEP_MUTATIONS: dict[str, str] = {
    livelihood_loop.S.START: "startLivelihoodProject",
    livelihood_loop.S.REPORT: "reportLivelihoodProgress",
    livelihood_loop.S.COMPLETE: "completeLivelihoodProject",
    livelihood_loop.S.SUPERVISE: "superviseLivelihoodProject",
    livelihood_loop.S.OPEN_EVALUATION: "openLivelihoodEvaluation",
    livelihood_loop.S.PASS: "countLivelihoodEvaluation",
    livelihood_loop.S.FAIL: "countLivelihoodEvaluation",
}


@strawberry.type(description="A stage the unit planned (实施节点).")
class Milestone:
    title: str = strawberry.field(description="The stage.")
    due_on: date = strawberry.field(description="When it is due.")
    done_on: date | None = strawberry.field(description="When it was reached; null before.")


@strawberry.type(description="The unit's report of how far the project has come.")
class ProgressReport:
    text: str = strawberry.field(description="What has been done.")
    percent: int = strawberry.field(description="Share of the work done, 0 to 100.")
    written_by: str | None = strawberry.field(
        description="Who wrote it; null unless you are a deputy, its unit or staff."
    )
    written_at: datetime = strawberry.field(description="When.")


@strawberry.type(
    description="One round of the deputies' year-end evaluation (满意度测评). Who evaluated "
    "is kept, what each said is not; the counts show once the round is counted."
)
class EvaluationRound:
    round: int = strawberry.field(description="1 for the first, 2 after a rectification …")
    pass_percent: int = strawberry.field(
        description="It passes with more than this percentage 满意 or 基本满意."
    )
    min_evaluations: int = strawberry.field(
        description="It is counted only once this many deputies have evaluated."
    )
    evaluated: int = strawberry.field(description="How many deputies have evaluated.")
    satisfied: int | None = strawberry.field(description="满意; null until counted.")
    basically_satisfied: int | None = strawberry.field(description="基本满意; null until counted.")
    unsatisfied: int | None = strawberry.field(description="不满意; null until counted.")
    satisfaction_rate: Decimal | None = strawberry.field(
        description="满意 and 基本满意 in percent of all; null until counted."
    )
    opened_at: datetime = strawberry.field(description="When the round opened.")
    counted_at: datetime | None = strawberry.field(description="When it was counted.")


def evaluation_round(found: Round) -> EvaluationRound:
    counted = found.counted_at is not None
    good, total = livelihood_loop.satisfied_share(found)

    def shown(said: Satisfaction) -> int | None:
        return found.counts.get(str(said), 0) if counted else None

    return EvaluationRound(
        round=found.round, pass_percent=found.pass_percent,
        min_evaluations=found.min_evaluations, evaluated=len(found.evaluated),
        satisfied=shown(Satisfaction.SATISFIED),
        basically_satisfied=shown(Satisfaction.BASICALLY_SATISFIED),
        unsatisfied=shown(Satisfaction.UNSATISFIED),
        satisfaction_rate=percent(good, total) if counted else None,
        opened_at=found.opened_at, counted_at=found.counted_at,
    )  # fmt: skip


@strawberry.type(
    description="A livelihood project (民生实事项目): a candidate for a session's vote and, "
    "once chosen, its year."
)
class LivelihoodProject(DocumentNode):
    __document__ = ProjectDocument
    __label__ = "民生实事项目"

    id: relay.NodeID[str]
    title: str = strawberry.field(description="The project's name.")
    description: str = strawberry.field(description="What it does, for whom.")
    amount: Money = strawberry.field(description="Estimated cost.")
    township: str = strawberry.field(description="Where (乡镇); empty for the whole county.")
    source: ProjectSource = strawberry.field(description="Who put it forward.")
    state: ProjectState = strawberry.field(
        description="Where it stands: in the vote, then through its year."
    )
    votes: int | None = strawberry.field(description="Votes received; null before the count.")
    created_at: datetime = strawberry.field(description="When it was recorded.")

    @strawberry.field(description="The session whose vote it is for.")
    async def session(self, info: Info) -> CongressSession | None:
        return await CongressSession.load(info, self.document.session_id)

    @strawberry.field(description="The responsible unit (责任单位).")
    async def unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.document.unit_id)

    @strawberry.field(
        description="Links to the money behind it (departments, codes, lines, key projects)."
    )
    def budget_links(self) -> list[BudgetLink]:
        return [budget_link(k) for k in self.document.budget_links]

    @strawberry.field(
        description="The money behind it in a fiscal year (default: this year) up to a month "
        "(default: the latest with figures), as for a suggestion."
    )
    async def spending(
        self, info: Info, year: int | None = None, month: int | None = None
    ) -> Spending:
        loader = spending_loader(info, year_of(info, year), month_argument(month))
        return spending(await loader.load(self.document))

    @strawberry.field(
        description="Who recorded it; null unless you are a deputy, its unit or staff."
    )
    def proposed_by(self, info: Info) -> str | None:
        return self._handling(info).name(self.document.proposed_by)

    def _handling(self, info: Info) -> Handling:
        return handling(info.context.viewer, self.document)

    @strawberry.field(description="The stages its unit planned when it started, by date.")
    def milestones(self) -> list[Milestone]:
        return [Milestone(title=m.title, due_on=m.due_on, done_on=m.done_on)
                for m in self.document.milestones]  # fmt: skip

    @strawberry.field(description="The unit's progress reports, the first first.")
    def progress(self, info: Info) -> list[ProgressReport]:
        seen = self._handling(info)
        return [
            ProgressReport(text=p.text, percent=p.percent, written_by=seen.name(p.written_by),
                           written_at=p.written_at)
            for p in self.document.progress
        ]  # fmt: skip

    @strawberry.field(
        description="Acts of supervision (督办); empty unless you are a deputy, its unit or staff."
    )
    def supervision(self, info: Info) -> list[SupervisionRecord]:
        return [SupervisionRecord(held_on=r.held_on, method=r.method, note=r.note,
                                  recorded_by=r.recorded_by, recorded_at=r.recorded_at)
                for r in self._handling(info).supervision(self.document.supervision)]  # fmt: skip

    @strawberry.field(description="The rounds of the deputies' evaluation, the latest last.")
    def evaluations(self) -> list[EvaluationRound]:
        return [evaluation_round(r) for r in self.document.evaluations]

    @strawberry.field(description="Whether you (a deputy) have evaluated it in the open round.")
    def you_evaluated(self, info: Info) -> bool:
        rounds = self.document.evaluations
        return bool(rounds) and info.context.viewer.deputy_id in rounds[-1].evaluated

    @strawberry.field(
        description="Its steps once chosen: deputies, its unit and staff read who took each "
        "and the note; everyone else the changes of state only."
    )
    def timeline(self, info: Info, since: datetime | None = None) -> list[TimelineEvent]:
        return timeline(self._handling(info), self.document.timeline, livelihood_loop.LOOP,
                        ProjectState, since)  # fmt: skip

    @strawberry.field(description="The steps you may take now, each with its mutation.")
    def next_steps(self, info: Info) -> list[NextStep]:
        viewer = info.context.viewer
        return [NextStep(name=s.name, label=s.label, mutation=STEP_MUTATIONS[s.name])
                for s in livelihood_loop.next_steps(viewer, self.document)]  # fmt: skip


@strawberry.type(description="How one project fared in a counted vote.")
class VoteResult:
    project: LivelihoodProject = strawberry.field(description="The project.")
    votes: int = strawberry.field(description="Votes received.")
    state: ProjectState = strawberry.field(description="CHOSEN, NOT_CHOSEN or TIED.")


@strawberry.type(
    description="A session's secret vote on livelihood projects, with its rules. Who voted "
    "is known, what anyone chose is not: ballots are added to the counts as they are cast."
)
class LivelihoodVote(DocumentNode):
    __document__ = VoteDocument
    __label__ = "票决"

    id: relay.NodeID[str]
    state: VoteState = strawberry.field(description="Open, counted, or void (quorum not met).")
    to_choose: int = strawberry.field(description="Projects each ballot may choose, at most.")
    pass_percent: int = strawberry.field(
        description="A project needs more votes than this percentage of the ballots cast."
    )
    quorum_percent: int = strawberry.field(
        description="The vote stands only when more than this percentage of the deputies "
        "present cast a ballot."
    )
    ballots: int = strawberry.field(description="Ballots cast so far.")
    opened_at: datetime = strawberry.field(description="When.")
    counted_at: datetime | None = strawberry.field(description="When it was counted.")

    @strawberry.field(description="Who opened the vote; null unless you are a deputy or staff.")
    def opened_by(self, info: Info) -> str | None:
        sees = info.context.viewer.role in ProjectDocument.SEES_ALL
        return self.document.opened_by if sees else None

    @strawberry.field(description="How many deputies are present and may vote.")
    def present(self) -> int:
        return len(self.document.present)

    @strawberry.field(description="The session.")
    async def session(self, info: Info) -> CongressSession | None:
        return await CongressSession.load(info, self.document.session_id)

    @strawberry.field(description="The projects on the ballot, in the order printed.")
    async def projects(self, info: Info) -> list[LivelihoodProject]:
        return await LivelihoodProject.load_many(info, self.document.project_ids)

    @strawberry.field(description="Whether you (a deputy) have cast your ballot.")
    def you_voted(self, info: Info) -> bool:
        return info.context.viewer.deputy_id in self.document.voted

    @strawberry.field(
        description="Votes per project, the most first; null until the vote is counted."
    )
    async def results(self, info: Info) -> list[VoteResult] | None:
        vote = self.document
        if vote.state is not VoteState.COUNTED:
            return None
        outcome = livelihood.outcome(vote.model_dump())
        projects = await LivelihoodProject.load_many(info, vote.project_ids)
        rows = [VoteResult(project=p, votes=outcome[p.document.id][1],
                           state=outcome[p.document.id][0]) for p in projects]  # fmt: skip
        return sorted(rows, key=lambda row: -row.votes)


@strawberry.type
class LivelihoodQuery:
    @strawberry.field(
        description="A session's livelihood projects, in the order recorded; `query`: words in "
        "the title, description or township (≤ 200)."
    )
    async def livelihood_projects(
        self, info: Info, session_id: strawberry.ID, state: ProjectState | None = None,
        query: str | None = None, first: int | None = None, after: str | None = None,
    ) -> Connection[LivelihoodProject]:  # fmt: skip
        (session,) = document_ids([session_id], CongressSession, "sessionId")
        conditions: dict[str, Any] = {"session_id": session}
        if state is not None:
            conditions["state"] = str(state)
        viewer = info.context.viewer
        words = await matching(ProjectDocument, LIVELIHOOD_PROJECTS, RECORD_ACCESS,
                               info.context.words(query), viewer)  # fmt: skip
        page = await keyset_page(
            ProjectDocument,
            query=visible(ProjectDocument, viewer, conditions, words),
            sort=Sort("created_at"),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, LivelihoodProject, ProjectDocument)

    @strawberry.field(
        description="A session's standing vote (open or counted), else its latest void one; "
        "null when there is none you may see."
    )
    async def livelihood_vote(self, info: Info, session_id: strawberry.ID) -> LivelihoodVote | None:
        (session,) = document_ids([session_id], CongressSession, "sessionId")
        found = (
            await VoteDocument.find(
                visible(VoteDocument, info.context.viewer, {"session_id": session})
            )
            .sort("-current", "-opened_at")
            .first_or_none()
        )
        return LivelihoodVote.from_document(found) if found else None


@strawberry.input(description="A new candidate project.")
class ProposeLivelihoodProjectInput:
    session_id: strawberry.ID = strawberry.field(description="The session whose vote it is for.")
    title: str = strawberry.field(description="1 to 100 characters.")
    description: str = strawberry.field(description="1 to 2,000 characters.")
    amount: Money = strawberry.field(description="Estimated cost, 0 to a trillion 元.")
    unit_id: strawberry.ID = strawberry.field(description="The responsible unit.")
    township: str = strawberry.field(default="", description="乡镇, at most 50 characters.")
    source: ProjectSource | None = strawberry.field(
        default=None, description="Required of staff; a deputy's proposal is always DEPUTY."
    )


@strawberry.input(description="The ballot and the rules of a session's vote.")
class OpenLivelihoodVoteInput:
    session_id: strawberry.ID = strawberry.field(description="The session.")
    project_ids: list[strawberry.ID] = strawberry.field(
        description="The candidates put to the vote (1 to 100), in the order printed; the "
        "session's other candidates are set aside."
    )
    to_choose: int = strawberry.field(description="How many projects to choose (应选数).")
    present_deputy_ids: list[strawberry.ID] = strawberry.field(
        description="The deputies present, who may vote."
    )
    pass_percent: int = strawberry.field(
        default=50, description="More votes than this percentage of ballots cast to pass."
    )
    quorum_percent: int = strawberry.field(
        default=50, description="More ballots than this percentage of deputies present."
    )


@strawberry.input(description="A deputy's ballot.")
class CastLivelihoodBallotInput:
    vote_id: strawberry.ID = strawberry.field(description="The vote.")
    project_ids: list[strawberry.ID] = strawberry.field(
        description="The projects chosen, at most the vote's toChoose; none is a blank ballot."
    )


@strawberry.input(description="Which vote to count.")
class CountLivelihoodVoteInput:
    vote_id: strawberry.ID = strawberry.field(description="The vote.")


@strawberry.type(description="The project, or why there is none.")
class LivelihoodProjectPayload:
    project: LivelihoodProject | None = strawberry.field(default=None, description="The project.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="The vote, or why it did not change.")
class LivelihoodVotePayload:
    vote: LivelihoodVote | None = strawberry.field(default=None, description="The vote.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class LivelihoodMutation:
    @strawberry.mutation(
        description="Record a candidate project for a session's vote.",
        extensions=[roles(Role.STAFF, Role.DEPUTY), UserErrors()],
    )
    async def propose_livelihood_project(
        self, info: Info, input: ProposeLivelihoodProjectInput
    ) -> LivelihoodProjectPayload:
        (session,) = document_ids([input.session_id], CongressSession, "sessionId")
        (unit,) = document_ids([input.unit_id], Unit, "unitId")
        proposal = livelihood.Proposal(
            session_id=session, title=input.title, description=input.description,
            amount=input.amount, unit_id=unit, township=input.township, source=input.source,
        )  # fmt: skip
        project = await livelihood.propose(proposal, info.context.viewer)
        return LivelihoodProjectPayload(project=LivelihoodProject.from_document(project))

    @strawberry.mutation(
        description="Put candidates to the vote of the deputies present, and open it.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def open_livelihood_vote(
        self, info: Info, input: OpenLivelihoodVoteInput
    ) -> LivelihoodVotePayload:
        (session,) = document_ids([input.session_id], CongressSession, "sessionId")
        vote = await livelihood.open_vote(
            session_id=session,
            project_ids=document_ids(input.project_ids, LivelihoodProject, "projectIds"),
            present=document_ids(input.present_deputy_ids, Deputy, "presentDeputyIds"),
            rules=livelihood.Rules(input.to_choose, input.pass_percent, input.quorum_percent),
            viewer=info.context.viewer,
        )
        return LivelihoodVotePayload(vote=LivelihoodVote.from_document(vote))

    @strawberry.mutation(
        description="Cast your secret ballot (deputies present only; once).",
        extensions=[roles(Role.DEPUTY), UserErrors()],
    )
    async def cast_livelihood_ballot(
        self, info: Info, input: CastLivelihoodBallotInput
    ) -> LivelihoodVotePayload:
        vote_id = LivelihoodVote.document_id(input.vote_id, "voteId")
        await livelihood.cast(
            vote_id=vote_id,  # type: ignore[arg-type]
            project_ids=document_ids(input.project_ids, LivelihoodProject, "projectIds"),
            viewer=info.context.viewer,
        )
        return LivelihoodVotePayload(vote=await LivelihoodVote.load(info, vote_id))

    @strawberry.mutation(
        description="Close the vote and count it by its rules.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def count_livelihood_vote(
        self, info: Info, input: CountLivelihoodVoteInput
    ) -> LivelihoodVotePayload:
        vote_id = LivelihoodVote.document_id(input.vote_id, "voteId")
        vote = await livelihood.count(vote_id=vote_id, viewer=info.context.viewer)  # type: ignore[arg-type]
        return LivelihoodVotePayload(vote=LivelihoodVote.from_document(vote))
