"""What the standing committee asks units to put right (整改), and the loop each goes through:
deliberation opinions (审议意见) from the stages of budget review, audit findings (审计查出问题)
and budget warnings (预警). All three are addressed to units, carry the unit's written
answers, links to the budget objects concerned and a timeline, and move through a loop of
``api.services.loop.Machine``; one document each, so a step and its event are one write.
"""

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, ClassVar

import pymongo
from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from api.access import Clauses, Role, Viewer, clauses_filter
from api.labels import LabeledEnum
from api.models.attachments import Attachment
from api.models.budget import BudgetLink
from api.models.regulations import Visibility
from api.models.suggestions import SupervisionRecord
from api.models.timeline import Event
from api.models.users import utcnow


class RectificationState(LabeledEnum):
    """The loop of an opinion or an audit finding."""

    ISSUED = "ISSUED", "已交办"
    RESPONDING = "RESPONDING", "研究处理中"
    RECTIFYING = "RECTIFYING", "整改中"
    REPORTED = "REPORTED", "已报告整改情况"
    CLOSED = "CLOSED", "已办结"


class WarningState(LabeledEnum):
    """The loop of a budget warning."""

    OPEN = "OPEN", "待处理"
    ISSUED = "ISSUED", "已下达"
    RECTIFYING = "RECTIFYING", "整改中"
    RESPONDED = "RESPONDED", "已反馈"
    CLOSED = "CLOSED", "已办结"
    DISMISSED = "DISMISSED", "已核实销号"
    """Checked and found no problem to rectify (核实销号): ended, but never counted as
    rectified."""


class OpinionStage(LabeledEnum):
    """The stage of budget review an opinion comes from."""

    RESEARCH = "RESEARCH", "调研"
    PRE_REVIEW = "PRE_REVIEW", "预审"
    PRELIMINARY_REVIEW = "PRELIMINARY_REVIEW", "初审"
    STANDING_COMMITTEE = "STANDING_COMMITTEE", "常委会审议"
    CONGRESS = "CONGRESS", "大会审议"
    BRIEFING = "BRIEFING", "大会简报"
    WORK_EVALUATION = "WORK_EVALUATION", "工作评议"


class AnswerKind(LabeledEnum):
    """What a unit wrote back."""

    PLAN = "PLAN", "整改方案"
    REPORT = "REPORT", "整改情况报告"
    RESPONSE = "RESPONSE", "反馈"


class Answer(BaseModel):
    """A unit's written answer in the loop: a plan, a rectification report, a response."""

    kind: AnswerKind
    unit_id: PydanticObjectId | None
    """The unit that wrote it; None when staff entered it for the unit."""
    text: str
    written_by: str
    written_at: datetime


class Rectifiable(BaseModel):
    """What every object of a rectification loop has."""

    unit_ids: list[PydanticObjectId] = Field(default_factory=list)
    """The units it is addressed to: their handlers see it and take the unit's steps."""
    deadline: date | None = None
    """When the unit's report (or response) is due; overdue past it while still awaited."""
    visibility: Visibility = Visibility.INTERNAL
    budget_links: list[BudgetLink] = Field(default_factory=list)
    """The budget objects it concerns (an opinion: all its points' links)."""
    answers: list[Answer] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    """Files filed with it: reports, photos, evidence."""
    supervision: list[SupervisionRecord] = Field(default_factory=list)
    hearing_on: date | None = None
    """A follow-up hearing (跟踪监督) fixed for it, if any."""
    timeline: list[Event] = Field(default_factory=list)
    closed_at: datetime | None = None
    created_by: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    revision: int = 0
    """Raised by every write: a step applies only to the revision it was checked on."""

    AWAITED: ClassVar[tuple[LabeledEnum, ...]]
    """States in which the unit's answer is awaited and the deadline runs."""

    @classmethod
    def access(cls, viewer: Viewer) -> Clauses:
        """Staff and admins read all; the units it is addressed to (their handlers, and
        finance for its own unit) read it; everyone reads the public ones."""
        if viewer.has_role(Role.STAFF, Role.ADMIN):
            return None
        clauses: list[dict[str, Any]] = [{"visibility": str(Visibility.PUBLIC)}]
        if viewer.unit_acted_for is not None:
            clauses.append({"unit_ids": viewer.unit_acted_for})
        return clauses

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return clauses_filter(cls.access(viewer))

    def is_party(self, viewer: Viewer) -> bool:
        """Whether ``viewer`` takes part in its rectification: a handler (or finance) of a
        unit it is addressed to (see ``api.access.handling``)."""
        return viewer.unit_acted_for is not None and viewer.unit_acted_for in self.unit_ids

    @classmethod
    def overdue_filter(cls, today: date) -> dict[str, Any]:
        midnight = datetime.combine(today, time())
        return {"state": {"$in": [str(s) for s in cls.AWAITED]}, "deadline": {"$lt": midnight}}

    def overdue(self, today: date) -> bool:
        state = self.state  # type: ignore[attr-defined]
        return state in self.AWAITED and self.deadline is not None and self.deadline < today


def loop_indexes(*extra: pymongo.IndexModel) -> list[pymongo.IndexModel]:
    """Indexes for the filters every rectification list offers."""
    return [
        pymongo.IndexModel([("state", 1), ("deadline", 1)]),
        pymongo.IndexModel([("unit_ids", 1), ("state", 1), ("deadline", 1)]),
        pymongo.IndexModel([("visibility", 1), ("state", 1)]),
        pymongo.IndexModel([("created_at", -1), ("_id", -1)]),
        pymongo.IndexModel([("budget_links.department", 1)]),
        *extra,
    ]


class OpinionPoint(BaseModel):
    """One numbered point of an opinion, with the budget objects it concerns."""

    number: int
    text: str
    budget_links: list[BudgetLink] = Field(default_factory=list)
    rectified: bool = False
    """Marked by the unit's rectification report."""


class Opinion(Rectifiable, Document):
    """A deliberation opinion (审议意见): from a stage of budget review, addressed to units,
    in numbered points."""

    AWAITED = (
        RectificationState.ISSUED,
        RectificationState.RESPONDING,
        RectificationState.RECTIFYING,
    )

    title: str
    stage: OpinionStage
    meeting: str
    """e.g. 县十八届人大常委会第二十次会议."""
    meeting_on: date
    subject: str
    """What was reviewed: next year's budget draft, a department under work evaluation …"""
    points: list[OpinionPoint]
    issued_on: date
    state: RectificationState = RectificationState.ISSUED

    class Settings:
        name = "opinions"
        indexes = loop_indexes(
            pymongo.IndexModel([("stage", 1), ("meeting_on", -1)]),
            pymongo.IndexModel([("meeting_on", -1), ("_id", -1)]),
        )


class AuditFinding(Rectifiable, Document):
    """A problem found by audit (审计查出问题) that the units concerned must put right; it may
    stay open for years."""

    AWAITED = Opinion.AWAITED

    number: str
    """The audit office's reference, unique, e.g. 青审〔2025〕12号-3."""
    title: str
    description: str
    audit_year: int
    """The fiscal year audited."""
    auditor: str
    """e.g. 青岚县审计局."""
    category: str
    """e.g. 预算执行, 专项资金管理, 政府采购."""
    amount: int | None = None
    """The money concerned (问题金额), 分."""
    issued_on: date
    state: RectificationState = RectificationState.ISSUED

    class Settings:
        name = "audit_findings"
        indexes = loop_indexes(
            pymongo.IndexModel([("number", 1)], unique=True),
            pymongo.IndexModel([("issued_on", 1), ("_id", 1)]),
            pymongo.IndexModel([("audit_year", 1)]),
        )
