"""Livelihood projects chosen by the deputies' vote (民生实事项目人大代表票决制): the candidate
projects of a congress session, the session's secret vote on those put to it, and each chosen
project's year (``api.services.livelihood_loop``).

A vote keeps no ballot: each ballot is added to the counts the moment it is cast, and the
deputy is marked as having voted, in one write. Nothing stored can tell who chose what.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar

import pymongo
from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from api.access import Viewer
from api.labels import LabeledEnum
from api.models.budget import BudgetLink
from api.models.suggestions import SupervisionRecord
from api.models.timeline import Event
from api.models.unit_records import OneUnitRecord
from api.models.users import utcnow


class ProjectSource(LabeledEnum):
    """Who put the project forward."""

    GOVERNMENT = "GOVERNMENT", "政府提出"
    DEPUTY = "DEPUTY", "代表提出"
    PUBLIC = "PUBLIC", "群众征集"


class ProjectState(LabeledEnum):
    CANDIDATE = "CANDIDATE", "候选"
    ON_BALLOT = "ON_BALLOT", "提交票决"
    SET_ASIDE = "SET_ASIDE", "未提交票决"
    CHOSEN = "CHOSEN", "票决通过"
    NOT_CHOSEN = "NOT_CHOSEN", "未通过"
    TIED = "TIED", "票数相同待定"
    UNDERWAY = "UNDERWAY", "实施中"
    COMPLETED = "COMPLETED", "已完工"
    EVALUATING = "EVALUATING", "满意度测评中"
    RECTIFYING = "RECTIFYING", "测评不满意，整改中"
    PASSED = "PASSED", "测评满意"


NOT_PUBLIC = (ProjectState.CANDIDATE, ProjectState.SET_ASIDE, ProjectState.ON_BALLOT)
"""Working papers, and the ballot while the vote is open; a project is public once the vote
is counted, with its result and how it is carried out."""


class Milestone(BaseModel):
    """A stage the unit plans (节点), and when it was reached."""

    title: str
    due_on: date
    done_on: date | None = None


class Progress(BaseModel):
    """The unit's report of how far the project has come (进展)."""

    text: str
    percent: int
    """Share of the work done, 0 to 100."""
    written_by: str
    written_at: datetime


class Satisfaction(BaseModel):
    """One round of the deputies' year-end evaluation (满意度测评), counted as cast: who has
    evaluated is kept, what each said is not."""

    round: int
    pass_percent: int
    """The project passes with more satisfied (满意 and 基本满意) than this percentage."""
    min_evaluations: int = 1
    """The round is counted only once this many deputies have evaluated."""
    evaluated: list[PydanticObjectId] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    """Evaluations per ``api.models.suggestions.Satisfaction`` value."""
    opened_at: datetime
    counted_at: datetime | None = None


class LivelihoodProject(OneUnitRecord, Document):
    """A candidate livelihood project (民生实事候选项目) of a congress session."""

    session_id: PydanticObjectId
    title: str
    description: str
    amount: int
    """Estimated cost in 分."""
    unit_id: PydanticObjectId
    """The responsible unit (责任单位)."""
    township: str = ""
    """Where it is carried out (乡镇); empty for the whole county."""
    source: ProjectSource
    proposed_by: str
    """Who recorded it, as timelines name people."""
    state: ProjectState = ProjectState.CANDIDATE
    votes: int | None = None
    """Votes received, once the vote is counted."""
    budget_links: list[BudgetLink] = Field(default_factory=list)
    """The money behind it: departments, codes, lines, key projects."""
    milestones: list[Milestone] = Field(default_factory=list)
    progress: list[Progress] = Field(default_factory=list)
    supervision: list[SupervisionRecord] = Field(default_factory=list)
    evaluations: list[Satisfaction] = Field(default_factory=list)
    """The rounds of the year-end evaluation, the current one last."""
    timeline: list[Event] = Field(default_factory=list)
    revision: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    PUBLIC_STATES: ClassVar[tuple[str, ...]] = tuple(
        str(s) for s in ProjectState if s not in NOT_PUBLIC
    )
    """Working papers are not public, nor the ballot while the vote is open; a project is
    public once the vote is counted, with its result and how it is carried out."""

    class Settings:
        name = "livelihood_projects"
        indexes = [
            pymongo.IndexModel([("session_id", 1), ("state", 1), ("created_at", 1)]),
            pymongo.IndexModel([("session_id", 1), ("created_at", 1)]),
        ]


class VoteState(LabeledEnum):
    OPEN = "OPEN", "投票中"
    COUNTED = "COUNTED", "已计票"
    VOID = "VOID", "投票无效"


class LivelihoodVote(Document):
    """A session's vote on the projects put to it, with its rules as data."""

    session_id: PydanticObjectId
    project_ids: list[PydanticObjectId]
    """The ballot: the projects put to the vote, in the order printed."""
    to_choose: int
    """How many projects each deputy may choose, and how many are chosen at most."""
    pass_percent: int
    """A project is chosen only with more votes than this percentage of the ballots cast."""
    quorum_percent: int
    """The vote counts only when more than this percentage of the deputies present cast a
    ballot."""
    present: list[PydanticObjectId]
    """The deputies present (出席代表), who may vote."""
    voted: list[PydanticObjectId] = Field(default_factory=list)
    """Who has cast a ballot (never what it said)."""
    ballots: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    """Votes per project id so far; shown to no one before the count."""
    state: VoteState = VoteState.OPEN
    current: bool | None = True
    """True while the vote stands (open or counted); unset when void, so that the session
    may vote again."""
    opened_by: str
    opened_at: datetime = Field(default_factory=utcnow)
    counted_at: datetime | None = None

    class Settings:
        name = "livelihood_votes"
        indexes = [
            pymongo.IndexModel(
                [("session_id", 1)],
                unique=True,
                partialFilterExpression={"current": True},
                name="one_standing_vote_per_session",
            ),
            pymongo.IndexModel([("session_id", 1), ("opened_at", -1)]),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Everyone sees a vote once it is counted; deputies and staff while it is open."""
        if viewer.role in LivelihoodProject.SEES_ALL:
            return {}
        return {"state": str(VoteState.COUNTED)}
