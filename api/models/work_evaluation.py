"""The standing committee's evaluation of a government department's work (工作评议): the year's
plan names the departments, each writes a self-report, a committee researches and writes a
preliminary opinion, the members present score the department by secret ballot, the result
is announced on the spot, and the evaluation opinion goes to the department as an opinion of
stage WORK_EVALUATION, rectified (and followed up by a hearing) in that opinion's own loop.

A scoring keeps no score: each is added to the sum and to its grade's count as it is given,
and the member is marked as having scored, in one write. Nothing stored can tell who gave
what.
"""

from datetime import date, datetime
from typing import ClassVar

import pymongo
from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from api.labels import LabeledEnum
from api.models.timeline import Event
from api.models.unit_records import OneUnitRecord
from api.models.users import utcnow


class WorkEvaluationState(LabeledEnum):
    PLANNED = "PLANNED", "已列入评议计划"
    SELF_REPORTED = "SELF_REPORTED", "已报送自查报告"
    RESEARCHED = "RESEARCHED", "已形成初步评议意见"
    SCORING = "SCORING", "测评中"
    SCORED = "SCORED", "已公布测评结果"
    ISSUED = "ISSUED", "已交办评议意见"


ANNOUNCED = (WorkEvaluationState.SCORED, WorkEvaluationState.ISSUED)
"""States in which the result is public."""


class Paper(BaseModel):
    """A text written in the evaluation: the department's self-report (自查报告), the
    committee's preliminary opinion (初步评议意见)."""

    text: str
    written_by: str
    written_at: datetime


class Grade(BaseModel):
    """A grade of the result (优秀, 良好 …) and the lowest average score that earns it."""

    label: str
    min_score: int


class Scoring(BaseModel):
    """One round of the members' secret scoring (满意度测评), with its rules as data."""

    round: int
    grades: list[Grade]
    """The grades, the highest first; the last starts at 0, so every result has one."""
    quorum_percent: int
    """The scoring stands only when more than this percentage of the members present score."""
    present: list[PydanticObjectId]
    """The members present (出席的常委会组成人员), who may score."""
    scored: list[PydanticObjectId] = Field(default_factory=list)
    """Who has scored (never what)."""
    ballots: int = 0
    score_sum: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    """Scores per grade, by the grade's place in ``grades`` (from 0)."""
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None = None
    void: bool = False
    """Closed short of its quorum: not counted."""


class WorkEvaluation(OneUnitRecord, Document):
    """One department's evaluation in a year's plan (年度工作评议计划)."""

    year: int
    unit_id: PydanticObjectId
    """The department evaluated, as the unit that answers for it."""
    subject: str
    """The work evaluated, e.g. 义务教育优质均衡发展工作."""
    committee: str
    """The committee that researches it, e.g. 教育科学文化卫生工作委员会."""
    report_due: date
    """When the self-report is due."""
    state: WorkEvaluationState = WorkEvaluationState.PLANNED
    self_report: Paper | None = None
    preliminary_opinion: Paper | None = None
    scorings: list[Scoring] = Field(default_factory=list)
    """The rounds of scoring, the latest last; a void one is followed by another."""
    opinion_id: PydanticObjectId | None = None
    """The evaluation opinion issued to the department (an ``Opinion``)."""
    follow_up_due: date | None = None
    """When the follow-up hearing is due: some months after the opinion was issued."""
    planned_by: str
    timeline: list[Event] = Field(default_factory=list)
    revision: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    PUBLIC_STATES: ClassVar[tuple[str, ...]] = tuple(str(s) for s in ANNOUNCED)
    """Everyone reads an evaluation once its result is announced."""

    class Settings:
        name = "work_evaluations"
        indexes = [
            pymongo.IndexModel([("year", 1), ("unit_id", 1)], unique=True),
            pymongo.IndexModel([("year", 1), ("state", 1), ("created_at", 1)]),
            pymongo.IndexModel([("unit_id", 1), ("year", -1)]),
        ]

    @property
    def title(self) -> str:
        """How notifications name it."""
        return f"{self.year} 年{self.subject}评议"
