"""Deliberation opinions and audit findings: writing them down as staff issue them, and the
filters of their lists. Their loop is ``api.services.rectification``."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer, visible
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.language import say
from api.models.budget import BudgetLink
from api.models.people import Unit
from api.models.rectification import (
    AuditFinding,
    Opinion,
    OpinionPoint,
    OpinionStage,
    Rectifiable,
    RectificationState,
)
from api.models.regulations import Visibility
from api.models.timeline import event
from api.models.users import midnight, utcnow
from api.services.budget_links import LinkDraft, checked_link
from api.services.notifications import announce_issued
from api.services.people import existing
from api.services.suggestion_loop import add_months
from api.services.text_search import Words, matching
from api.settings import Settings
from api.transactions import transaction
from search.indexes import AUDIT_FINDINGS, CASE_ACCESS, OPINIONS

POINTS_MAX = 50
LINKS_PER_ITEM_MAX = 10
UNITS_MAX = 20


def _refuse_unless_staff(viewer: Viewer) -> None:
    if not viewer.has_role(Role.STAFF):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                "只有工作人员可以交办审议意见和审计查出问题",
                "Only staff may issue deliberation opinions and audit findings",
            ),
        )


async def _links(drafts: list[LinkDraft], viewer: Viewer, field: str) -> list[BudgetLink]:
    if len(drafts) > LINKS_PER_ITEM_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"最多关联 {LINKS_PER_ITEM_MAX} 项预算",
                f"At most {LINKS_PER_ITEM_MAX} budget links",
            ),
            field=field,
        )
    return [await checked_link(d, viewer) for d in drafts]


@dataclass(frozen=True)
class Addressed:
    """Who must put it right, by when, and who may read it."""

    unit_ids: list[ObjectId]
    issued_on: date | None = None
    """None: today."""
    deadline: date | None = None
    """None: ``rectification_months`` after it was issued."""
    visibility: Visibility = Visibility.INTERNAL


async def _addressed(given: Addressed, settings: Settings, viewer: Viewer) -> dict[str, Any]:
    """The units, dates and visibility of a record issued now, and its first timeline event."""
    if not 1 <= len(given.unit_ids) <= UNITS_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"应交办给 1 到 {UNITS_MAX} 个单位", f"Issue it to 1 to {UNITS_MAX} units"),
            field="unitIds",
        )
    units = await existing(Unit, given.unit_ids, field="unitIds", what=say("单位", "unit"))
    today = settings.today()
    issued_on = given.issued_on or today
    if issued_on > today:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "下达后才登记：日期不能晚于今天",
                "It is recorded once issued: the date cannot be after today",
            ),
            field="issuedOn",
        )
    deadline = given.deadline or add_months(issued_on, settings.rectification_months)
    if not issued_on < deadline <= add_months(issued_on, 36):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"期限应在交办日（{issued_on}）之后、三年之内",
                f"The deadline must be after the day it is issued ({issued_on}) and within "
                "three years",
            ),
            field="deadline",
        )
    now = utcnow()
    return {
        "unit_ids": units, "issued_on": issued_on, "deadline": deadline,
        "visibility": given.visibility, "created_at": now,
        "timeline": [event(viewer, "create", "", RectificationState.ISSUED, at=now)],
    }  # fmt: skip


@dataclass(frozen=True)
class PointDraft:
    text: str
    budget_links: list[LinkDraft] = field(default_factory=list)


@dataclass(frozen=True)
class OpinionDraft:
    title: str
    stage: OpinionStage
    meeting: str
    meeting_on: date
    subject: str
    points: list[PointDraft]


async def create_opinion(
    *, viewer: Viewer, draft: OpinionDraft, addressed: Addressed, settings: Settings
) -> Opinion:
    """Issue an opinion (交办) to its units; its points are numbered in the order given."""
    _refuse_unless_staff(viewer)
    opinion = await drafted_opinion(
        viewer=viewer, draft=draft, addressed=addressed, settings=settings
    )
    async with transaction(Opinion) as session:
        await issue(opinion, viewer, session)
    return opinion


async def issue(
    record: Opinion | AuditFinding, viewer: Viewer, session: AsyncClientSession
) -> None:
    """Store a new opinion or finding and tell its units, inside ``session``'s transaction."""
    await record.insert(session=session)
    await announce_issued(record, viewer, session)


async def drafted_opinion(
    *, viewer: Viewer, draft: OpinionDraft, addressed: Addressed, settings: Settings
) -> Opinion:
    """An opinion as ``draft`` and ``addressed`` give it, checked, not yet stored."""
    if not 1 <= len(draft.points) <= POINTS_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"审议意见应有 1 到 {POINTS_MAX} 条",
                f"A deliberation opinion has 1 to {POINTS_MAX} points",
            ),
            field="points",
        )
    if draft.meeting_on > settings.today():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "会议召开后才登记：日期不能晚于今天",
                "It is recorded once the meeting is held: the date cannot be after today",
            ),
            field="meetingOn",
        )
    points = [
        OpinionPoint(
            number=n,
            text=required_text(
                p.text, field="points", max_length=5000, what=say("意见条目", "point")
            ),
            budget_links=await _links(p.budget_links, viewer, "points"),
        )
        for n, p in enumerate(draft.points, start=1)
    ]
    return Opinion(
        title=required_text(draft.title, field="title", max_length=200, what=say("标题", "title")),
        stage=draft.stage,
        meeting=required_text(
            draft.meeting, field="meeting", max_length=100, what=say("会议", "meeting")
        ),
        meeting_on=draft.meeting_on,
        subject=required_text(
            draft.subject, field="subject", max_length=200, what=say("事项", "subject")
        ),
        points=points,
        budget_links=[link for p in points for link in p.budget_links],
        created_by=viewer.user_id,  # type: ignore[arg-type]
        **await _addressed(addressed, settings, viewer),
    )


@dataclass(frozen=True)
class FindingDraft:
    number: str
    title: str
    description: str
    audit_year: int
    auditor: str
    category: str
    amount: int | None = None
    budget_links: list[LinkDraft] = field(default_factory=list)


async def create_finding(
    *, viewer: Viewer, draft: FindingDraft, addressed: Addressed, settings: Settings
) -> AuditFinding:
    """Record an audit finding and issue it to the units that must put it right."""
    _refuse_unless_staff(viewer)
    today = settings.today()
    if not 2000 <= draft.audit_year <= today.year:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"审计年度应在 2000 到 {today.year} 之间",
                f"The audit year must be between 2000 and {today.year}",
            ),
            field="auditYear",
        )
    if draft.amount is not None and draft.amount < 0:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("金额不能为负", "The amount cannot be negative"),
            field="amount",
        )
    finding = AuditFinding(
        number=required_text(
            draft.number, field="number", max_length=50, what=say("编号", "number")
        ),
        title=required_text(draft.title, field="title", max_length=200, what=say("标题", "title")),
        description=required_text(
            draft.description,
            field="description",
            max_length=20_000,
            what=say("说明", "description"),
        ),
        audit_year=draft.audit_year,
        auditor=required_text(
            draft.auditor, field="auditor", max_length=100, what=say("审计机关", "auditor")
        ),
        category=optional_text(
            draft.category, field="category", max_length=50, what=say("类别", "category")
        ),
        amount=draft.amount,
        budget_links=await _links(draft.budget_links, viewer, "budgetLinks"),
        created_by=viewer.user_id,  # type: ignore[arg-type]
        **await _addressed(addressed, settings, viewer),
    )
    try:
        async with transaction(AuditFinding) as session:
            await issue(finding, viewer, session)
        return finding
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                f"审计查出问题 {finding.number} 已经登记",
                f"Audit finding {finding.number} is already recorded",
            ),
            field="number",
        ) from None


@dataclass(frozen=True)
class CaseFilter:
    """Each given criterion narrows an opinion, finding or warning list."""

    states: list[str] = field(default_factory=list)
    unit_id: ObjectId | None = None
    overdue: bool | None = None
    department: str | None = None
    """Linked to this budget department."""


def case_conditions(given: CaseFilter, model: type[Rectifiable], today: date) -> dict[str, Any]:
    """The MongoDB conditions every rectification list shares."""
    found: dict[str, Any] = {}
    if given.states:
        found["state"] = {"$in": given.states}
    if given.unit_id is not None:
        found["unit_ids"] = given.unit_id
    if given.overdue is True:
        found.update(model.overdue_filter(today))
    elif given.overdue is False:
        found["$nor"] = [model.overdue_filter(today)]
    if given.department:
        found["budget_links.department"] = given.department
    return found


async def opinion_query(
    given: CaseFilter, *, stages: list[OpinionStage], words: Words | None, viewer: Viewer,
    today: date,
) -> dict[str, Any]:  # fmt: skip
    """The opinions ``viewer`` may read that match."""
    conditions = case_conditions(given, Opinion, today)
    if stages:
        conditions["stage"] = {"$in": [str(s) for s in stages]}
    return visible(
        Opinion, viewer, conditions, await matching(Opinion, OPINIONS, CASE_ACCESS, words, viewer)
    )


async def finding_query(
    given: CaseFilter, *, audit_years: list[int], open_months: int | None, words: Words | None,
    viewer: Viewer, today: date,
) -> dict[str, Any]:  # fmt: skip
    """The audit findings ``viewer`` may read that match; ``open_months``: still open and
    issued more than that many months ago."""
    conditions = case_conditions(given, AuditFinding, today)
    if audit_years:
        conditions["audit_year"] = {"$in": audit_years}
    if open_months is not None:
        if not 1 <= open_months <= 240:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    "未整改时长应在 1 到 240 个月之间",
                    "The months open must be between 1 and 240",
                ),
                field="openMonths",
            )
        conditions["issued_on"] = {"$lt": midnight(add_months(today, -open_months))}
        still_open = [s for s in given.states or RectificationState if s != "CLOSED"]
        conditions["state"] = {"$in": [str(s) for s in still_open]}
    matched = await matching(AuditFinding, AUDIT_FINDINGS, CASE_ACCESS, words, viewer)
    return visible(AuditFinding, viewer, conditions, matched)
