"""The rectification loops (整改) of opinions, audit findings and warnings: one step table
for opinions and findings, one for warnings, both run by ``api.services.loop.Machine``.
Staff drive the loop; the units it is addressed to answer in it. ``take_step`` checks who may
take a step, from which state, and what the step needs, then applies it as one conditional
write with its timeline event."""

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from bson import ObjectId

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.labels import LabeledEnum
from api.language import say
from api.models.budget import Department
from api.models.people import Unit
from api.models.rectification import (
    Answer,
    AnswerKind,
    AuditFinding,
    Opinion,
    Rectifiable,
    RectificationState,
    WarningState,
)
from api.models.suggestions import SupervisionMethod, SupervisionRecord
from api.models.users import utcnow
from api.models.warnings import BudgetWarning
from api.services.loop import ATTACH, DETACH, Machine, Step
from api.services.notifications import Audience
from api.services.people import existing
from api.settings import Settings

TEXT_MAX = 20_000
NOTE_MAX = 2000


class Actor(LabeledEnum):
    """The parts people play in a rectification loop."""

    STAFF = "STAFF", "人大常委会工作人员"
    UNIT = "UNIT", "被交办单位"


class RectificationStep(LabeledEnum):
    """The steps of an opinion's or audit finding's rectification loop; values and labels as for
    ``SuggestionStep``."""

    ACCEPT = "accept", "签收"
    PLAN = "plan", "报送整改方案"
    REPORT = "report", "报告整改情况"
    RETURN = "return", "退回重新整改"
    CLOSE = "close", "办结"
    SUPERVISE = "supervise", "督办"
    SCHEDULE_HEARING = "schedule_hearing", "安排跟踪听证"
    ATTACH = ATTACH, "添加附件"
    DETACH = DETACH, "删除附件"


class WarningStep(LabeledEnum):
    """The steps of a warning's loop; values and labels as for ``SuggestionStep``."""

    ISSUE = "issue", "下达"
    DISMISS = "dismiss", "核实销号"
    ACCEPT = "accept", "签收"
    RESPOND = "respond", "反馈"
    RETURN = "return", "退回重新整改"
    CLOSE = "close", "办结"
    SUPERVISE = "supervise", "督办"
    ATTACH = ATTACH, "添加附件"
    DETACH = DETACH, "删除附件"


R, W = RectificationState, WarningState
RS, WS = RectificationStep, WarningStep
STAFF, UNIT, BOTH = (Actor.STAFF,), (Actor.UNIT,), (Actor.STAFF, Actor.UNIT)
TO_UNITS, TO_STAFF = Audience.UNITS, Audience.STAFF

RECTIFICATION_STEPS = [
    Step(RS.ACCEPT, (R.ISSUED,), R.RESPONDING, UNIT),
    Step(RS.PLAN, (R.RESPONDING,), R.RECTIFYING, UNIT),
    Step(RS.REPORT, (R.RECTIFYING,), R.REPORTED, UNIT, tell=(TO_STAFF,)),
    Step(RS.RETURN, (R.REPORTED,), R.RECTIFYING, STAFF, tell=(TO_UNITS,)),
    Step(RS.CLOSE, (R.REPORTED,), R.CLOSED, STAFF, tell=(TO_UNITS,)),
    Step(RS.SUPERVISE, (R.ISSUED, R.RESPONDING, R.RECTIFYING), None, STAFF, tell=(TO_UNITS,)),
    Step(
        RS.SCHEDULE_HEARING,
        (R.RECTIFYING, R.REPORTED, R.CLOSED),
        None,
        STAFF,
        tell=(TO_UNITS,),
    ),
    Step(RS.ATTACH, (R.ISSUED, R.RESPONDING, R.RECTIFYING, R.REPORTED), None, BOTH),
    Step(RS.DETACH, (R.ISSUED, R.RESPONDING, R.RECTIFYING, R.REPORTED), None, BOTH),
]
WARNING_STEPS = [
    Step(WS.ISSUE, (W.OPEN,), W.ISSUED, STAFF, tell=(TO_UNITS,)),
    Step(WS.DISMISS, (W.OPEN,), W.DISMISSED, STAFF),
    Step(WS.ACCEPT, (W.ISSUED,), W.RECTIFYING, UNIT),
    Step(WS.RESPOND, (W.RECTIFYING,), W.RESPONDED, UNIT, tell=(TO_STAFF,)),
    Step(WS.RETURN, (W.RESPONDED,), W.RECTIFYING, STAFF, tell=(TO_UNITS,)),
    Step(WS.CLOSE, (W.RESPONDED,), W.CLOSED, STAFF, tell=(TO_UNITS,)),
    Step(WS.SUPERVISE, (W.ISSUED, W.RECTIFYING), None, STAFF, tell=(TO_UNITS,)),
    Step(WS.ATTACH, (W.OPEN, W.ISSUED, W.RECTIFYING, W.RESPONDED), None, BOTH),
    Step(WS.DETACH, (W.OPEN, W.ISSUED, W.RECTIFYING, W.RESPONDED), None, BOTH),
]
LOOPS: dict[type[Rectifiable], Machine] = {
    Opinion: Machine("审议意见", "deliberation opinion", RECTIFICATION_STEPS),
    AuditFinding: Machine("审计查出问题", "audit finding", RECTIFICATION_STEPS),
    BudgetWarning: Machine("预警", "warning", WARNING_STEPS),
}

ANSWERS = {RS.PLAN: AnswerKind.PLAN, RS.REPORT: AnswerKind.REPORT, WS.RESPOND: AnswerKind.RESPONSE}
"""Steps that carry the unit's written answer, and what it is."""


@dataclass(frozen=True)
class StepInput:
    """What a step may carry; each step takes only the fields it needs (``USES``)."""

    note: str = ""
    text: str = ""
    """The plan, report or response (1 to 20,000 characters)."""
    points: list[int] | None = None
    """A report's rectified point numbers (opinions)."""
    hearing_on: date | None = None
    unit_ids: list[ObjectId] | None = None
    deadline: date | None = None
    method: SupervisionMethod | None = None


USES: dict[str, set[str]] = {
    RS.PLAN: {"text"},
    RS.REPORT: {"text", "points"},
    WS.RESPOND: {"text"},
    RS.SCHEDULE_HEARING: {"hearing_on"},
    WS.ISSUE: {"unit_ids", "deadline"},
    RS.SUPERVISE: {"method"},
}
"""The fields each step takes besides its note (a warning's step of the same name alike)."""
NEEDS_NOTE = {RS.RETURN, WS.DISMISS, RS.SUPERVISE}
FIELD_NAMES = {
    "text": "text", "points": "points", "hearing_on": "hearingOn", "unit_ids": "unitIds",
    "deadline": "deadline", "method": "method",
}  # fmt: skip


def actors_of(viewer: Viewer, document: Rectifiable) -> set[Actor]:
    actors: set[Actor] = set()
    if viewer.has_role(Role.STAFF):
        actors.add(Actor.STAFF)
    if viewer.unit_acted_for is not None and viewer.unit_acted_for in document.unit_ids:
        actors.add(Actor.UNIT)
    return actors


def next_steps(viewer: Viewer, document: Rectifiable) -> list[Step]:
    """The steps ``viewer`` may take now."""
    actors = actors_of(viewer, document)
    loop = LOOPS[type(document)]
    return [
        s
        for s in loop.next_steps(document.state)  # type: ignore[attr-defined]
        if set(s.actors) & actors and (s.name != DETACH or document.attachments)
    ]


def _unexpected(step: RectificationStep | WarningStep, given: StepInput) -> None:
    for f in fields(StepInput):
        if f.name == "note" or f.name in USES.get(step, set()):
            continue
        if getattr(given, f.name) not in (None, "", []):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"`{FIELD_NAMES[f.name]}` 不属于“{step.label}”（{step}）这一步",
                    f"`{FIELD_NAMES[f.name]}` is not part of the step {step}",
                ),
                field=FIELD_NAMES[f.name],
            )


def _rectified(document: Rectifiable, numbers: list[int]) -> list[Any]:
    if not isinstance(document, Opinion):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("只有审议意见有分条的意见", "Only deliberation opinions have numbered points"),
            field="points",
        )
    known = {p.number for p in document.points}
    unknown = sorted(set(numbers) - known)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"审议意见没有第 {'、'.join(map(str, unknown))} 条（共 {len(known)} 条）",
                f"The deliberation opinion has no point {', '.join(map(str, unknown))} "
                f"(it has {len(known)})",
            ),
            field="points",
        )
    return [p.model_copy(update={"rectified": p.rectified or p.number in numbers})
            for p in document.points]  # fmt: skip


async def _issued_to(document: Rectifiable, unit_ids: list[ObjectId] | None) -> list[ObjectId]:
    """The units named, or those handling the departments the warning concerns."""
    if unit_ids:
        return await existing(Unit, unit_ids, field="unitIds", what=say("单位", "unit"))
    codes = [link.department for link in document.budget_links if link.department]
    departments = await Department.find({"code": {"$in": codes}}).to_list()
    found = list(dict.fromkeys(d.unit_id for d in departments if d.unit_id))
    if not found:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "请指定单位：预警涉及的部门没有对应的承办单位",
                "Name the units: no unit handles the departments the warning concerns",
            ),
            field="unitIds",
        )
    return found  # type: ignore[return-value]


async def take_step(
    document: Rectifiable,
    *,
    step: RectificationStep | WarningStep,
    viewer: Viewer,
    given: StepInput,
    settings: Settings,
    at: datetime | None = None,
) -> Any:
    """Take ``step`` on an opinion, audit finding or warning as ``viewer``."""
    loop = LOOPS[type(document)]
    if step not in loop.steps or step in (ATTACH, DETACH):  # those: api.services.attachments
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"{loop.what}没有“{step.label}”（{step}）这一步：可用的步骤见 nextSteps",
                f"A {loop.english} has no step {step}: nextSteps lists the steps available",
            ),
            field="id",
        )
    chosen = loop.step(step)
    actors = actors_of(viewer, document)
    loop.check(chosen, document.state, actors)  # type: ignore[attr-defined]
    _unexpected(step, given)
    if step in NEEDS_NOTE:
        note = required_text(
            given.note, field="note", max_length=NOTE_MAX, what=say("备注", "note")
        )
    else:
        note = optional_text(
            given.note, field="note", max_length=NOTE_MAX, what=say("备注", "note")
        )
    when = at or utcnow()
    today = settings.today(when)
    changes: dict[str, Any] = {}
    push: dict[str, Any] = {}
    if step in ANSWERS:
        text = required_text(
            given.text, field="text", max_length=TEXT_MAX, what=say("正文", "text")
        )
        push["answers"] = Answer(
            kind=ANSWERS[step],
            unit_id=viewer.unit_id if Actor.UNIT in actors else None,  # type: ignore[arg-type]
            text=text,
            written_by=viewer.name or "—",
            written_at=when,
        )
    if step == RS.REPORT and given.points:
        changes["points"] = _rectified(document, given.points)
    if step == RS.SCHEDULE_HEARING:
        if given.hearing_on is None or not 0 <= (given.hearing_on - today).days <= 731:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    "须给出今天起两年内的听证日期",
                    "Give a hearing date within two years from today",
                ),
                field="hearingOn",
            )
        changes["hearing_on"] = given.hearing_on
        note = note or f"跟踪听证 {given.hearing_on}"
    if step == WS.ISSUE:
        units = await _issued_to(document, given.unit_ids)
        deadline = given.deadline or today + timedelta(days=settings.warning_response_days)
        if not today < deadline <= today + timedelta(days=366):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"整改期限应在今天（{today}）之后、一年之内",
                    f"The deadline must be after today ({today}) and within a year",
                ),
                field="deadline",
            )
        changes.update(unit_ids=units, deadline=deadline)
    if step == RS.SUPERVISE:
        if given.method is None:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say("请说明督办方式", "Give the method of supervision"),
                field="method",
            )
        push["supervision"] = SupervisionRecord(
            held_on=today, method=given.method, note=note, recorded_by=viewer.name or "—",
            recorded_at=when,
        )  # fmt: skip
    if chosen.target in (R.CLOSED, W.CLOSED, W.DISMISSED):
        changes["closed_at"] = when
    return await loop.take(
        document, step=step, actors=actors, viewer=viewer, note=note, changes=changes,
        push=push, at=when,
    )  # fmt: skip
