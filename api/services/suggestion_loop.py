"""The closed loop 提-交-办-督-评 of a deputy suggestion, as one table of steps (DOMAIN.md):
who may take each, from which states, and what each requires. Every function here takes
one step through ``Machine.take``: the state change, its data and its timeline event are one
conditional write, so of two conflicting steps exactly one applies."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from beanie.odm.enums import SortDirection
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.labels import LabeledEnum
from api.language import say
from api.models.people import Unit
from api.models.suggestions import (
    Commitment,
    Evaluation,
    Reply,
    ResultClass,
    Satisfaction,
    Suggestion,
    SupervisionMethod,
    SupervisionRecord,
    UnitRole,
)
from api.models.suggestions import SuggestionState as S
from api.models.users import utcnow
from api.services import suggestion_tallies
from api.services.loop import ATTACH, DETACH, Machine, Step
from api.services.notifications import Audience
from api.services.people import existing
from api.settings import Settings
from api.transactions import transaction


class Actor(LabeledEnum):
    """The parts people play in one suggestion's loop."""

    LEAD_DEPUTY = "LEAD_DEPUTY", "领衔代表"
    STAFF = "STAFF", "人大常委会工作人员"
    LEAD_UNIT = "LEAD_UNIT", "主办单位"
    CO_UNIT = "CO_UNIT", "协办单位"


OPEN = (S.ASSIGNED, S.HANDLING, S.REPLIED, S.EVALUATED)
"""From assignment until closed: supervision may be recorded."""
TOGETHER = (S.REGISTERED, S.ASSIGNED, S.HANDLING)
"""Registered and not yet replied: suggestions on one matter may be merged (并案)."""
UNFINISHED = (S.DRAFT, S.SUBMITTED, S.REGISTERED, *OPEN)
"""Until it is closed, withdrawn or not registered: files may be attached."""
PARTIES = (Actor.LEAD_DEPUTY, Actor.STAFF, Actor.LEAD_UNIT, Actor.CO_UNIT)
TO_UNITS, TO_DEPUTIES, TO_STAFF = Audience.UNITS, Audience.DEPUTIES, Audience.STAFF


class SuggestionStep(LabeledEnum):
    """The steps of a suggestion's loop. Each value is the ``action`` its timeline events
    record (lowercase, as stored since the first release), each label its Chinese name."""

    EDIT = "edit", "修改"
    SUBMIT = "submit", "提出"
    WITHDRAW = "withdraw", "撤回"
    CORRECT = "correct", "更正"
    REGISTER = "register", "立案"
    REJECT = "reject", "不予立案"
    ASSIGN = "assign", "交办"
    RETURN = "return", "退回"
    TRANSFER = "transfer", "改办"
    ACCEPT = "accept", "签收"
    CO_REPLY = "co_reply", "协办答复"
    REPLY = "reply", "答复"
    SUPERVISE = "supervise", "督办"
    EVALUATE = "evaluate", "评价"
    REHANDLE = "rehandle", "重新办理"
    CLOSE = "close", "办结"
    REOPEN = "reopen", "重新打开"
    COMPLETE_COMMITMENT = "complete_commitment", "承诺事项完成"
    MERGE = "merge", "并案"
    MERGE_INTO = "merge_into", "并入"
    SPLIT = "split", "撤销并案"
    SPLIT_OFF = "split_off", "分开办理"
    ATTACH = ATTACH, "添加附件"
    DETACH = DETACH, "删除附件"


T = SuggestionStep
LOOP = Machine(
    "建议",
    "suggestion",
    [
        Step(T.EDIT, (S.DRAFT,), None, (Actor.LEAD_DEPUTY, Actor.STAFF)),
        Step(T.SUBMIT, (S.DRAFT,), S.SUBMITTED, (Actor.LEAD_DEPUTY, Actor.STAFF)),
        Step(T.WITHDRAW, (S.SUBMITTED,), S.WITHDRAWN, (Actor.LEAD_DEPUTY,)),
        Step(T.CORRECT, (S.SUBMITTED, S.REGISTERED, *OPEN), None, (Actor.STAFF,)),
        Step(T.REGISTER, (S.SUBMITTED,), S.REGISTERED, (Actor.STAFF,), tell=(TO_DEPUTIES,)),
        Step(T.REJECT, (S.SUBMITTED,), S.NOT_REGISTERED, (Actor.STAFF,), tell=(TO_DEPUTIES,)),
        Step(T.ASSIGN, (S.REGISTERED,), S.ASSIGNED, (Actor.STAFF,), tell=(TO_UNITS, TO_DEPUTIES)),
        Step(T.RETURN, (S.ASSIGNED,), S.REGISTERED, (Actor.LEAD_UNIT,), tell=(TO_STAFF,)),
        Step(
            T.TRANSFER,
            (S.ASSIGNED, S.HANDLING),
            S.ASSIGNED,
            (Actor.STAFF,),
            tell=(TO_UNITS, TO_DEPUTIES),
        ),
        Step(T.ACCEPT, (S.ASSIGNED,), S.HANDLING, (Actor.LEAD_UNIT,), tell=(TO_DEPUTIES,)),
        Step(T.CO_REPLY, (S.ASSIGNED, S.HANDLING), None, (Actor.CO_UNIT,)),
        Step(T.REPLY, (S.HANDLING,), S.REPLIED, (Actor.LEAD_UNIT,), tell=(TO_DEPUTIES,)),
        Step(T.SUPERVISE, OPEN, None, (Actor.STAFF,), tell=(TO_UNITS,)),
        Step(
            T.EVALUATE, (S.REPLIED,), S.EVALUATED, (Actor.LEAD_DEPUTY,), tell=(TO_STAFF, TO_UNITS)
        ),
        Step(T.REHANDLE, (S.EVALUATED,), S.HANDLING, (Actor.STAFF,), tell=(TO_UNITS, TO_DEPUTIES)),
        Step(T.CLOSE, (S.EVALUATED,), S.CLOSED, (Actor.STAFF,), tell=(TO_UNITS, TO_DEPUTIES)),
        Step(T.REOPEN, (S.CLOSED,), S.HANDLING, (Actor.STAFF,), tell=(TO_UNITS, TO_DEPUTIES)),
        Step(
            T.COMPLETE_COMMITMENT,
            (S.HANDLING, S.REPLIED, S.EVALUATED, S.CLOSED),
            None,
            (Actor.LEAD_UNIT, Actor.CO_UNIT, Actor.STAFF),
        ),
        Step(T.MERGE, TOGETHER, None, (Actor.STAFF,)),
        Step(T.MERGE_INTO, TOGETHER, S.MERGED, (Actor.STAFF,), tell=(TO_DEPUTIES,)),
        Step(T.SPLIT, (S.REGISTERED, *OPEN), None, (Actor.STAFF,)),
        Step(T.SPLIT_OFF, (S.MERGED,), S.REGISTERED, (Actor.STAFF,), tell=(TO_DEPUTIES,)),
        Step(T.ATTACH, UNFINISHED, None, PARTIES),
        Step(T.DETACH, UNFINISHED, None, PARTIES),
    ],
    keeps=suggestion_tallies.move,
)

NOTE_MAX = 2000
TEXT_MAX = 20_000
COMMITMENTS_MAX = 20


def actors_of(viewer: Viewer, suggestion: Suggestion) -> set[Actor]:
    """The parts ``viewer`` plays in this suggestion's loop."""
    actors: set[Actor] = set()
    if viewer.has_role(Role.STAFF):
        actors.add(Actor.STAFF)
    if viewer.has_role(Role.DEPUTY) and viewer.deputy_id == suggestion.lead_deputy_id:
        actors.add(Actor.LEAD_DEPUTY)
    unit = viewer.unit_acted_for  # a handler's unit, or finance's bureau
    if unit is not None:
        if unit == suggestion.lead_unit_id:
            actors.add(Actor.LEAD_UNIT)
        elif unit in suggestion.co_unit_ids:
            actors.add(Actor.CO_UNIT)
    return actors


def _concluded(suggestion: Suggestion) -> bool:
    """Whether a three-party meeting (提督办三方见面) was recorded since the last evaluation:
    its conclusion may end an unsatisfied suggestion without handling it again."""
    since = suggestion.evaluations[-1].evaluated_at if suggestion.evaluations else None
    return any(
        r.method is SupervisionMethod.THREE_PARTY_MEETING
        and (since is None or r.recorded_at >= since)
        for r in suggestion.supervision
    )


def not_now(suggestion: Suggestion, step: str, co_units_first: bool = False) -> str | None:
    """Why ``step``, which the suggestion's state allows, may not be taken now, by the rules
    of handling beyond the state (None: nothing stands in the way): an unsatisfied
    suggestion is handled again, or concluded by a three-party meeting, before it is closed;
    only an unsatisfied one is handled again; a commitment is marked done only if one is
    open; with ``co_units_first`` (setting ``suggestion_co_units_reply_first``), the lead
    unit replies after every co-unit of the round."""
    unsatisfied = suggestion.satisfaction is Satisfaction.UNSATISFIED
    if step == T.REPLY and co_units_first:
        replied = {r.unit_id for r in suggestion.replies if r.round == suggestion.round}
        waiting = [u for u in suggestion.co_unit_ids if u not in replied]
        if waiting:
            return say(
                f"还有 {len(waiting)} 个协办单位未答复：按规定，主办单位在协办单位答复后再答复",
                f"{len(waiting)} co-units have not replied yet: by the rules, the lead unit "
                "replies after the co-units",
            )
    if step == T.REHANDLE and not unsatisfied:
        judged = suggestion.satisfaction.label if suggestion.satisfaction else "未评价"
        code = suggestion.satisfaction.value if suggestion.satisfaction else "not evaluated"
        return say(
            f"只有评价为不满意的建议才重新办理：这次评价为“{judged}”，请办结",
            f"Only a suggestion evaluated UNSATISFIED is handled again: this one was evaluated "
            f"{code}; close it instead",
        )
    if step == T.CLOSE and unsatisfied and not _concluded(suggestion):
        return say(
            "代表对答复不满意：须重新办理（rehandleSuggestion），或经提督办三方见面形成结论"
            "并记录（addSupervisionRecord，方式 THREE_PARTY_MEETING）后，才能办结",
            "The deputy is unsatisfied with the reply: it must be handled again "
            "(rehandleSuggestion), or a three-party meeting must reach a conclusion and be "
            "recorded (addSupervisionRecord, method THREE_PARTY_MEETING), before it is closed",
        )
    if step == T.DETACH and not suggestion.attachments:
        return say("没有附件", "There are no attachments")
    if step == T.SPLIT and not suggestion.merged_ids:
        return say("没有并入本件的建议", "No suggestion is merged into this one")
    if step == T.MERGE_INTO and suggestion.merged_ids:
        return say(
            f"已有 {len(suggestion.merged_ids)} 件建议并入本件：它只能作为并案的主件",
            f"{len(suggestion.merged_ids)} suggestions are merged into this one: it can only be "
            "the one others are merged into",
        )
    if step == T.COMPLETE_COMMITMENT and all(
        c.done for r in suggestion.replies for c in r.commitments
    ):
        return say("没有未完成的承诺事项", "There is no open commitment")
    return None


def next_steps(viewer: Viewer, suggestion: Suggestion, settings: Settings) -> list[Step]:
    """The steps ``viewer`` may take now."""
    actors = actors_of(viewer, suggestion)
    first = settings.suggestion_co_units_reply_first
    return [
        s
        for s in LOOP.next_steps(suggestion.state)
        if set(s.actors) & actors and not_now(suggestion, s.name, first) is None
    ]


def _check(suggestion: Suggestion, viewer: Viewer, step: SuggestionStep) -> None:
    LOOP.check(LOOP.step(step), suggestion.state, actors_of(viewer, suggestion))
    reason = not_now(suggestion, step)
    if reason is not None:
        raise DomainError(ErrorCode.CONFLICT, reason)


async def _take(
    suggestion: Suggestion,
    viewer: Viewer,
    step: SuggestionStep,
    *,
    note: str = "",
    changes: dict[str, Any] | None = None,
    push: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Suggestion:
    """Take ``step`` as ``viewer``, in the parts they play in this suggestion."""
    _check(suggestion, viewer, step)
    return await LOOP.take(
        suggestion,
        step=step,
        actors=actors_of(viewer, suggestion),
        viewer=viewer,
        note=note,
        changes=changes,
        push=push,
        at=at,
    )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _deadline(given: date | None, *, today: date, months: int) -> date:
    if given is None:
        return add_months(today, months)
    if not today < given <= add_months(today, 24):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"办理期限应在今天（{today}）之后、两年之内",
                f"The deadline must be after today ({today}) and within two years",
            ),
            field="deadline",
        )
    return given


def _note(note: str) -> str:
    return optional_text(note, field="note", max_length=NOTE_MAX, what=say("备注", "note"))


async def submit(
    *, suggestion: Suggestion, viewer: Viewer, note: str = "", at: datetime | None = None
) -> Suggestion:
    when = at or utcnow()
    return await _take(
        suggestion,
        viewer,
        T.SUBMIT,
        note=_note(note),
        changes={"filed_at": when},
        at=when,
    )


async def withdraw(
    *, suggestion: Suggestion, viewer: Viewer, note: str = "", at: datetime | None = None
) -> Suggestion:
    """The lead deputy withdraws (撤回) a submitted suggestion before it is registered."""
    return await _take(suggestion, viewer, T.WITHDRAW, note=_note(note), at=at)


async def _next_number(suggestion: Suggestion) -> int:
    last = (
        await Suggestion.find({"session_id": suggestion.session_id, "number": {"$type": "int"}})
        .sort([("number", SortDirection.DESCENDING)])
        .limit(1)
        .to_list()
    )
    return (last[0].number or 0) + 1 if last else 1


async def register(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    number: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Suggestion:
    """Register (立案) under ``number``, or the next free number of the session."""
    if number is not None and not 1 <= number <= 99_999:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("编号应为 1 到 99999", "The number must be 1 to 99999"),
            field="number",
        )
    for _ in range(5):
        chosen = number or await _next_number(suggestion)
        try:
            return await _take(
                suggestion,
                viewer,
                T.REGISTER,
                note=_note(note),
                changes={"number": chosen},
                at=at,
            )
        except DuplicateKeyError:
            if number is not None:
                raise DomainError(
                    ErrorCode.ALREADY_EXISTS,
                    say(
                        f"本次会议已有第{number:04d}号建议",
                        f"No. {number:04d} is already taken in this session",
                    ),
                    field="number",
                ) from None
    raise DomainError(
        ErrorCode.CONFLICT,
        say("有人同时在立案：请重试", "Someone else is registering at the same time: try again"),
    )


async def reject(
    *, suggestion: Suggestion, viewer: Viewer, reason: str, at: datetime | None = None
) -> Suggestion:
    """Not registered (不予立案): the reason is required and shown to the deputy."""
    text = required_text(reason, field="reason", max_length=NOTE_MAX, what=say("理由", "reason"))
    return await _take(
        suggestion,
        viewer,
        T.REJECT,
        note=text,
        changes={"rejection_reason": text},
        at=at,
    )


@dataclass(frozen=True)
class Assignment:
    lead_unit_id: ObjectId
    co_unit_ids: list[ObjectId]
    deadline: date | None = None
    """None: the usual deadline from settings."""


async def assign(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    assignment: Assignment,
    settings: Settings,
    note: str = "",
    at: datetime | None = None,
) -> Suggestion:
    """Assign (交办) to one lead unit and any co-units, with a deadline."""
    _check(suggestion, viewer, T.ASSIGN)
    changes = await _assigned(assignment, settings, at)
    return await _take(suggestion, viewer, T.ASSIGN, note=_note(note), changes=changes, at=at)


async def transfer(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    assignment: Assignment,
    settings: Settings,
    reason: str,
    at: datetime | None = None,
) -> Suggestion:
    """Transfer (改办) an assigned suggestion to another lead unit (and co-units), with a
    reason and a new deadline; the new lead unit accepts it as after an assignment, and the
    units it leaves no longer handle it."""
    _check(suggestion, viewer, T.TRANSFER)
    text = required_text(reason, field="reason", max_length=NOTE_MAX, what=say("理由", "reason"))
    changes = await _assigned(assignment, settings, at)
    if changes["lead_unit_id"] == suggestion.lead_unit_id:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("改办须交给另一个主办单位", "A transfer must go to another lead unit"),
            field="leadUnitId",
        )
    # The timeline says which unit it left and which took it, with the reason.
    names = {
        u.id: u.name
        for u in await Unit.find(
            {"_id": {"$in": [suggestion.lead_unit_id, changes["lead_unit_id"]]}}
        ).to_list()
    }
    left = names.get(suggestion.lead_unit_id, "原主办单位")
    note = f"由{left}改由{names[changes['lead_unit_id']]}主办：{text}"
    return await _take(suggestion, viewer, T.TRANSFER, note=note, changes=changes, at=at)


async def _assigned(
    assignment: Assignment, settings: Settings, at: datetime | None
) -> dict[str, Any]:
    """What an assignment (or a transfer) sets: the units, checked, and the deadline."""
    (lead,) = await existing(
        Unit, [assignment.lead_unit_id], field="leadUnitId", what=say("单位", "unit")
    )
    co = await existing(Unit, assignment.co_unit_ids, field="coUnitIds", what=say("单位", "unit"))
    if lead in co:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("主办单位不能同时是协办单位", "The lead unit cannot also be a co-unit"),
            field="coUnitIds",
        )
    deadline = _deadline(
        assignment.deadline,
        today=settings.today(at),
        months=settings.suggestion_handling_months,
    )
    return {
        "lead_unit_id": lead,
        "co_unit_ids": co,
        "unit_ids": [lead, *co],
        "deadline": deadline,
        "assigned_at": at or utcnow(),
    }


async def return_assignment(
    *, suggestion: Suggestion, viewer: Viewer, reason: str, at: datetime | None = None
) -> Suggestion:
    """The lead unit returns a suggestion that is not theirs to handle (退回), for staff to
    assign again."""
    return await _take(
        suggestion,
        viewer,
        T.RETURN,
        note=required_text(reason, field="reason", max_length=NOTE_MAX, what=say("理由", "reason")),
        changes={
            "lead_unit_id": None,
            "co_unit_ids": [],
            "unit_ids": [],
            "deadline": None,
            "assigned_at": None,
        },
        at=at,
    )


async def accept(
    *, suggestion: Suggestion, viewer: Viewer, note: str = "", at: datetime | None = None
) -> Suggestion:
    return await _take(
        suggestion,
        viewer,
        T.ACCEPT,
        note=_note(note),
        at=at,
    )


@dataclass(frozen=True)
class ReplyDraft:
    text: str
    result_class: ResultClass
    commitments: list[tuple[str, date]]
    """(what, by when)."""
    public: bool = True


async def reply(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    draft: ReplyDraft,
    settings: Settings,
    at: datetime | None = None,
) -> Suggestion:
    """A unit's reply (答复). The lead unit's closes the handling step; a co-unit's is
    recorded beside it, once per round."""
    actors = actors_of(viewer, suggestion)
    if not {Actor.LEAD_UNIT, Actor.CO_UNIT} & actors:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                "只有主办单位（LEAD_UNIT）或协办单位（CO_UNIT）可以答复此建议",
                "Only the lead unit (LEAD_UNIT) or a co-unit (CO_UNIT) may reply to this "
                "suggestion",
            ),
        )
    lead = Actor.LEAD_UNIT in actors
    step = T.REPLY if lead else T.CO_REPLY
    LOOP.check(LOOP.step(step), suggestion.state, actors)
    if (reason := not_now(suggestion, step, settings.suggestion_co_units_reply_first)) is not None:
        raise DomainError(ErrorCode.CONFLICT, reason)
    unit = viewer.unit_acted_for
    assert unit is not None
    if any(r.unit_id == unit and r.round == suggestion.round for r in suggestion.replies):
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say("你的单位在本轮已经答复过", "Your unit has already replied in this round"),
        )
    text = required_text(draft.text, field="text", max_length=TEXT_MAX, what=say("答复", "reply"))
    if len(draft.commitments) > COMMITMENTS_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"一次答复最多 {COMMITMENTS_MAX} 项承诺事项",
                f"A reply may have at most {COMMITMENTS_MAX} commitments",
            ),
            field="commitments",
        )
    when = at or utcnow()
    if any(due < settings.today(when) for _, due in draft.commitments):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"承诺事项的完成期限不能早于答复当天（{settings.today(when).isoformat()}）",
                f"A commitment cannot be due before the day of the reply "
                f"({settings.today(when).isoformat()})",
            ),
            field="commitments",
        )
    commitments = [
        Commitment(
            text=required_text(
                what, field="commitments", max_length=500, what=say("承诺事项", "commitment")
            ),
            due_on=due,
        )
        for what, due in draft.commitments
    ]
    on_time = suggestion.deadline is None or settings.today(when) <= suggestion.deadline
    answer = Reply(
        unit_id=unit,  # type: ignore[arg-type]
        unit_role=UnitRole.LEAD if lead else UnitRole.CO,
        round=suggestion.round,
        text=text,
        result_class=draft.result_class,
        commitments=commitments,
        public=draft.public,
        replied_at=when,
        replied_by=viewer.name,
        on_time=on_time,
    )
    return await LOOP.take(
        suggestion,
        step=step,
        actors=actors,
        viewer=viewer,
        note=f"答复类别 {draft.result_class}",
        changes={"replied_at": when, "on_time": on_time} if lead else {},
        push={"replies": answer},
        at=when,
    )


async def evaluate(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    satisfaction: Satisfaction,
    note: str = "",
    at: datetime | None = None,
) -> Suggestion:
    """The lead deputy's evaluation (评) of this round's reply."""
    when = at or utcnow()
    text = _note(note)
    return await _take(
        suggestion,
        viewer,
        T.EVALUATE,
        note=f"{satisfaction.label} {text}".strip(),
        changes={"satisfaction": satisfaction},
        push={
            "evaluations": Evaluation(
                round=suggestion.round, satisfaction=satisfaction, note=text, evaluated_at=when
            )
        },
        at=when,
    )


@dataclass(frozen=True)
class Supervision:
    method: SupervisionMethod
    note: str
    held_on: date | None = None
    """None: today."""


def supervision_record(
    supervision: Supervision, *, viewer: Viewer, settings: Settings, at: datetime | None
) -> SupervisionRecord:
    """An act of supervision as recorded, on the day given (not later than today) or today;
    every loop's 督办 is written by this."""
    today = settings.today(at)
    held_on = supervision.held_on or today
    if held_on > today:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "督办在发生后登记：日期不能晚于今天",
                "Supervision is recorded after it took place: the date cannot be after today",
            ),
            field="heldOn",
        )
    return SupervisionRecord(
        held_on=held_on,
        method=supervision.method,
        note=required_text(
            supervision.note, field="note", max_length=NOTE_MAX, what=say("备注", "note")
        ),
        recorded_by=viewer.name,
        recorded_at=at or utcnow(),
    )


def _another_round(
    suggestion: Suggestion, settings: Settings, deadline: date | None, at: datetime | None
) -> dict[str, Any]:
    """What handling again starts with: the next round, its deadline (by default the
    re-handle one), no reply yet."""
    return {
        "round": suggestion.round + 1,
        "deadline": _deadline(
            deadline, today=settings.today(at), months=settings.suggestion_rehandle_months
        ),
        "replied_at": None,
        "on_time": None,
    }


async def rehandle(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    settings: Settings,
    deadline: date | None = None,
    meeting: Supervision | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Suggestion:
    """After an unsatisfied evaluation the units handle it again, with a new (shorter)
    deadline; a three-party meeting may be recorded with it."""
    push = {}
    if meeting is not None:
        push["supervision"] = supervision_record(meeting, viewer=viewer, settings=settings, at=at)
    return await _take(
        suggestion,
        viewer,
        T.REHANDLE,
        note=_note(note),
        changes={
            **_another_round(suggestion, settings, deadline, at),
            "rehandle_count": suggestion.rehandle_count + 1,
        },
        push=push,
        at=at,
    )


async def close(
    *, suggestion: Suggestion, viewer: Viewer, note: str = "", at: datetime | None = None
) -> Suggestion:
    return await _take(
        suggestion,
        viewer,
        T.CLOSE,
        note=_note(note),
        at=at,
    )


async def reopen(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    settings: Settings,
    reason: str,
    deadline: date | None = None,
    at: datetime | None = None,
) -> Suggestion:
    """Staff reopen a closed suggestion (the problem came back, or it was closed in error):
    the units handle it again in a new round, with the re-handle deadline; the reason is
    kept in the timeline."""
    text = required_text(reason, field="reason", max_length=NOTE_MAX, what=say("理由", "reason"))
    return await _take(
        suggestion,
        viewer,
        T.REOPEN,
        note=text,
        changes=_another_round(suggestion, settings, deadline, at),
        at=at,
    )


async def supervise(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    supervision: Supervision,
    settings: Settings,
    at: datetime | None = None,
) -> Suggestion:
    """Record an act of supervision (督办) or a three-party meeting."""
    record = supervision_record(supervision, viewer=viewer, settings=settings, at=at)
    return await _take(
        suggestion,
        viewer,
        T.SUPERVISE,
        note=f"{record.method.label}：{record.note}",
        push={"supervision": record},
        at=at,
    )


async def complete_commitment(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    commitment_id: ObjectId | None,
    at: datetime | None = None,
) -> Suggestion:
    """Mark a commitment of a reply done: by the unit that made it, or by staff."""
    actors = actors_of(viewer, suggestion)
    LOOP.check(LOOP.step(T.COMPLETE_COMMITMENT), suggestion.state, actors)
    found = next(
        ((r, c) for r in suggestion.replies for c in r.commitments if c.id == commitment_id),
        None,
    )
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这个承诺事项", "No such commitment"), field="commitmentId"
        )
    made_by, commitment = found
    if Actor.STAFF not in actors and made_by.unit_id != viewer.unit_acted_for:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                "只有作出承诺的单位或工作人员可以标记其完成",
                "Only the unit that made the commitment, or staff, may mark it done",
            ),
        )
    if commitment.done:
        return suggestion
    when = at or utcnow()
    commitment.done, commitment.done_at = True, when
    return await LOOP.take(
        suggestion,
        step=T.COMPLETE_COMMITMENT,
        actors=actors,
        viewer=viewer,
        note=commitment.text,
        changes={"replies": suggestion.replies},
        at=when,
    )


MERGE_MAX = 20


def _named(suggestion: Suggestion) -> str:
    return suggestion.number_label or f"“{suggestion.title}”"


def _named_en(suggestion: Suggestion) -> str:
    """``_named`` in English: No. 0123, or the title in quotes."""
    number = suggestion.number
    return f"No. {number:04d}" if number is not None else f'"{suggestion.title}"'


def _deputies(suggestions: list[Suggestion]) -> list[ObjectId]:
    """The lead deputies and co-signers of suggestions merged into another (and of those
    merged into them before)."""
    found = (d for s in suggestions
             for d in (s.lead_deputy_id, *s.cosigner_ids, *s.merged_deputy_ids))  # fmt: skip
    return list(dict.fromkeys(found))


async def merge(
    *,
    suggestion: Suggestion,
    duplicates: list[Suggestion],
    viewer: Viewer,
    note: str = "",
    at: datetime | None = None,
) -> Suggestion:
    """Staff merge (并案) suggestions on the same matter into ``suggestion``: each duplicate
    becomes MERGED, pointing at it; it is handled, replied and evaluated as one, and the
    duplicates' deputies read its handling as their own. All of one session and kind, all
    registered and not yet replied; one write for all, or none."""
    text = _note(note)
    ids = [d.id for d in duplicates]
    if not ids or len(ids) > MERGE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"请指定 1 到 {MERGE_MAX} 件要并入的建议",
                f"Name 1 to {MERGE_MAX} suggestions to merge",
            ),
            field="duplicateIds",
        )
    if suggestion.id in ids or len(set(ids)) != len(ids):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "一件建议不能并入它自己，也不能重复指定",
                "A suggestion cannot be merged into itself, nor named twice",
            ),
            field="duplicateIds",
        )
    for d in duplicates:
        if d.session_id != suggestion.session_id:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"{_named(d)}与{_named(suggestion)}不是同一次会议提出的，不能并案",
                    f"{_named_en(d)} and {_named_en(suggestion)} were not filed at the same "
                    "session: they cannot be merged",
                ),
                field="duplicateIds",
            )
        if d.kind != suggestion.kind:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"{_named(d)}是{d.kind.label}，{_named(suggestion)}是{suggestion.kind.label}："
                    "不同类别的不能并案",
                    f"{_named_en(d)} is {d.kind.value} and {_named_en(suggestion)} is "
                    f"{suggestion.kind.value}: different kinds cannot be merged",
                ),
                field="duplicateIds",
            )
    _check(suggestion, viewer, T.MERGE)
    for d in duplicates:
        _check(d, viewer, T.MERGE_INTO)
    when = at or utcnow()
    why = f"：{text}" if text else ""
    own = {suggestion.lead_deputy_id, *suggestion.cosigner_ids}
    deputies = [
        d for d in _deputies([suggestion, *duplicates]) if d not in own
    ]  # fmt: skip
    async with transaction(Suggestion) as session:
        for d in duplicates:
            await LOOP.take(
                d, step=T.MERGE_INTO, actors=actors_of(viewer, d), viewer=viewer,
                note=f"并入{_named(suggestion)}{why}", changes={"merged_into": suggestion.id},
                at=when, session=session,
            )  # fmt: skip
        return await LOOP.take(
            suggestion, step=T.MERGE, actors=actors_of(viewer, suggestion), viewer=viewer,
            note=f"{'、'.join(_named(d) for d in duplicates)}并入本件{why}",
            changes={"merged_ids": [*suggestion.merged_ids, *ids], "merged_deputy_ids": deputies},
            at=when, session=session,
        )  # fmt: skip


async def split(
    *, suggestion: Suggestion, viewer: Viewer, reason: str, at: datetime | None = None
) -> Suggestion:
    """Staff take a merged suggestion out of the one it was merged into (撤销并案), with the
    reason: it is registered again, to be assigned and handled on its own."""
    text = required_text(reason, field="reason", max_length=NOTE_MAX, what=say("理由", "reason"))
    _check(suggestion, viewer, T.SPLIT_OFF)
    into = await Suggestion.get(suggestion.merged_into) if suggestion.merged_into else None
    if into is None:
        raise DomainError(
            ErrorCode.CONFLICT,
            say("找不到它并入的建议", "The suggestion it was merged into cannot be found"),
        )
    _check(into, viewer, T.SPLIT)
    rest = [i for i in into.merged_ids if i != suggestion.id]
    others = await Suggestion.find({"_id": {"$in": rest}}).to_list()
    own = {into.lead_deputy_id, *into.cosigner_ids}
    when = at or utcnow()
    async with transaction(Suggestion) as session:
        await LOOP.take(
            into, step=T.SPLIT, actors=actors_of(viewer, into), viewer=viewer,
            note=f"{_named(suggestion)}分开办理：{text}",
            changes={"merged_ids": rest,
                     "merged_deputy_ids": [d for d in _deputies(others) if d not in own]},
            at=when, session=session,
        )  # fmt: skip
        return await LOOP.take(
            suggestion, step=T.SPLIT_OFF, actors=actors_of(viewer, suggestion), viewer=viewer,
            note=f"从{_named(into)}分出：{text}",
            changes={"merged_into": None, "lead_unit_id": None, "co_unit_ids": [],
                     "unit_ids": [], "deadline": None, "assigned_at": None},
            at=when, session=session,
        )  # fmt: skip
