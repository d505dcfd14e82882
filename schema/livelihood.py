"""Livelihood projects and the deputies' vote on them (票决制) in GraphQL."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.access import Role, visible
from api.models.livelihood import LivelihoodProject as ProjectDocument
from api.models.livelihood import LivelihoodVote as VoteDocument
from api.models.livelihood import ProjectSource, ProjectState, VoteState
from api.paging import Sort, keyset_page
from api.services import livelihood
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.money import Money
from schema.nodes import Connection, DocumentNode, document_ids, page_size
from schema.people import CongressSession, Deputy, Unit
from schema.permissions import roles


@strawberry.type(description="A candidate livelihood project (民生实事候选项目) of a session.")
class LivelihoodProject(DocumentNode):
    __document__ = ProjectDocument
    __label__ = "民生实事项目"

    id: relay.NodeID[str]
    title: str = strawberry.field(description="The project's name.")
    description: str = strawberry.field(description="What it does, for whom.")
    amount: Money = strawberry.field(description="Estimated cost.")
    township: str = strawberry.field(description="Where (乡镇); empty for the whole county.")
    source: ProjectSource = strawberry.field(description="Who put it forward.")
    proposed_by: str = strawberry.field(description="Who recorded it.")
    state: ProjectState = strawberry.field(description="Where it stands in the vote.")
    votes: int | None = strawberry.field(description="Votes received; null before the count.")
    created_at: datetime = strawberry.field(description="When it was recorded.")

    @strawberry.field(description="The session whose vote it is for.")
    async def session(self, info: Info) -> CongressSession | None:
        return await CongressSession.load(info, self.document.session_id)

    @strawberry.field(description="The responsible unit (责任单位).")
    async def unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.document.unit_id)


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
    opened_by: str = strawberry.field(description="Who opened the vote.")
    opened_at: datetime = strawberry.field(description="When.")
    counted_at: datetime | None = strawberry.field(description="When it was counted.")

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
    @strawberry.field(description="A session's livelihood projects, in the order recorded.")
    async def livelihood_projects(
        self, info: Info, session_id: strawberry.ID, state: ProjectState | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[LivelihoodProject]:  # fmt: skip
        (session,) = document_ids([session_id], CongressSession, "sessionId")
        conditions: dict[str, Any] = {"session_id": session}
        if state is not None:
            conditions["state"] = str(state)
        page = await keyset_page(
            ProjectDocument,
            query=visible(ProjectDocument, info.context.viewer, conditions),
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
