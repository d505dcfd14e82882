"""工作评议: a department's work evaluated by the standing committee, from the year's plan to the
evaluation opinion, run by ``api.services.loop.Machine``.

Staff plan the year; the department writes its self-report; the committee's preliminary
opinion follows; staff open the members' scoring with its rules (grades and their lowest
average scores, the quorum) and the members present score once each, by secret ballot; the
result is announced when staff close the scoring, or the scoring is void short of its quorum
and is held again; the evaluation opinion then goes to the department as an opinion of stage
WORK_EVALUATION, whose rectification and follow-up hearing (about ``FOLLOW_UP_MONTHS`` later)
are that opinion's loop.

The result: the average of the scores, and the highest grade whose lowest score it reaches,
compared exactly (sum against lowest score times ballots).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.labels import LabeledEnum
from api.language import say
from api.models.people import Deputy, Unit
from api.models.rectification import Opinion, OpinionStage
from api.models.timeline import event
from api.models.users import utcnow
from api.models.work_evaluation import Grade, Paper, Scoring, WorkEvaluation
from api.models.work_evaluation import WorkEvaluationState as W
from api.services import opinions
from api.services.livelihood import counted_once, percent_rule
from api.services.loop import Machine, Step
from api.services.notifications import Audience
from api.services.opinions import Addressed, OpinionDraft
from api.services.people import existing
from api.services.suggestion_loop import add_months
from api.settings import Settings
from api.transactions import transaction

PLAN_MAX = 50
"""Departments in one plan."""
TEXT_MAX = 20_000
NOTE_MAX = 2000
SCORE_MAX = 100
"""Scores are whole numbers from 0 to this (百分制)."""
GRADES_MAX = 10
DEFAULT_GRADES = (("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0))
FOLLOW_UP_MONTHS = 6
"""When the follow-up hearing (跟踪评议) is usually held after the opinion is issued."""


class Actor(LabeledEnum):
    STAFF = "STAFF", "人大常委会工作人员"
    UNIT = "UNIT", "被评议部门"


class EvaluationStep(LabeledEnum):
    """The steps of a work evaluation; values as its timeline stores them."""

    REPORT = "report", "报送自查报告"
    RETURN = "return", "退回自查报告"
    RESEARCH = "research", "形成初步评议意见"
    OPEN_SCORING = "open_scoring", "开始测评"
    ANNOUNCE = "announce", "公布测评结果"
    ANNUL = "annul", "测评无效"
    ISSUE = "issue", "交办评议意见"


S = EvaluationStep
STAFF, UNIT = (Actor.STAFF,), (Actor.UNIT,)
STEPS = [
    Step(S.REPORT, (W.PLANNED,), W.SELF_REPORTED, UNIT, tell=(Audience.STAFF,)),
    Step(S.RETURN, (W.SELF_REPORTED,), W.PLANNED, STAFF, tell=(Audience.UNITS,)),
    Step(S.RESEARCH, (W.SELF_REPORTED,), W.RESEARCHED, STAFF, tell=(Audience.UNITS,)),
    Step(S.OPEN_SCORING, (W.RESEARCHED,), W.SCORING, STAFF, tell=(Audience.PRESENT,)),
    Step(S.ANNOUNCE, (W.SCORING,), W.SCORED, STAFF, tell=(Audience.UNITS,)),
    Step(S.ANNUL, (W.SCORING,), W.RESEARCHED, STAFF),
    Step(S.ISSUE, (W.SCORED,), W.ISSUED, STAFF),
]
LOOP = Machine("工作评议", "work evaluation", STEPS)


def actors_of(viewer: Viewer, evaluation: WorkEvaluation) -> set[Actor]:
    actors = {Actor.STAFF} if viewer.has_role(Role.STAFF) else set()
    if viewer.unit_acted_for is not None and viewer.unit_acted_for == evaluation.unit_id:
        actors.add(Actor.UNIT)
    return actors


def next_steps(viewer: Viewer, evaluation: WorkEvaluation) -> list[Step]:
    """The steps ``viewer`` may take now (closing a scoring: ANNOUNCE or ANNUL, as its
    quorum decides)."""
    actors = actors_of(viewer, evaluation)
    steps = [s for s in LOOP.next_steps(evaluation.state) if set(s.actors) & actors]
    if evaluation.state is W.SCORING:  # one way to close it: the quorum decides which
        decided = S.ANNOUNCE if stood(evaluation.scorings[-1]) else S.ANNUL
        steps = [s for s in steps if s.name not in (S.ANNOUNCE, S.ANNUL) or s.name is decided]
    return steps


# --- the year's plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One department in the year's plan."""

    unit_id: ObjectId
    subject: str
    committee: str


async def plan(
    *, year: int, departments: Sequence[Planned], report_due: date, viewer: Viewer,
    settings: Settings,
) -> list[WorkEvaluation]:  # fmt: skip
    """Put departments in the year's plan, all or none; a department is evaluated at most
    once a year."""
    today = settings.today()
    if not today.year - 1 <= year <= today.year + 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"评议年度应在 {today.year - 1} 到 {today.year + 1} 之间",
                f"The year evaluated must be between {today.year - 1} and {today.year + 1}",
            ),
            field="year",
        )
    if not 1 <= len(departments) <= PLAN_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"计划应列 1 到 {PLAN_MAX} 个部门",
                f"The plan must list 1 to {PLAN_MAX} departments",
            ),
            field="departments",
        )
    if not date(year - 1, 1, 1) <= report_due <= date(year, 12, 31):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"自查报告报送日期应在 {year - 1} 年初到 {year} 年底之间",
                f"The self-report must be due between the start of {year - 1}"
                f" and the end of {year}",
            ),
            field="reportDue",
        )
    given = [d.unit_id for d in departments]
    if repeated := [str(n) for n, u in enumerate(given, start=1) if u in given[: n - 1]]:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"计划中的第 {'、'.join(repeated)} 个部门与前面的重复",
                f"Department number {', '.join(repeated)} of the plan repeats an earlier one",
            ),
            field="departments",
        )
    await existing(Unit, given, field="departments", what=say("单位", "unit"))
    if taken := await WorkEvaluation.find({"year": year, "unit_id": {"$in": given}}).to_list():
        names = await _unit_names([t.unit_id for t in taken])
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                f"{year} 年评议计划中已有：{'、'.join(names)}",
                f"The {year} plan already has: {', '.join(names)}",
            ),
            field="departments",
        )
    now = utcnow()
    evaluations = [
        WorkEvaluation(
            id=ObjectId(), year=year, unit_id=d.unit_id,  # type: ignore[arg-type]
            subject=required_text(d.subject, field="departments", max_length=100,
                                  what=say("评议事项", "subject")),
            committee=required_text(d.committee, field="departments", max_length=50,
                                    what=say("承担调研的委员会", "committee doing the research")),
            report_due=report_due, planned_by=viewer.name, created_at=now, updated_at=now,
            timeline=[event(viewer, "plan", "", str(W.PLANNED), at=now)],
        )
        for d in departments
    ]  # fmt: skip
    try:
        async with transaction(WorkEvaluation) as session:
            await WorkEvaluation.insert_many(evaluations, session=session)
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                f"{year} 年评议计划刚被他人改动，请刷新后重试",
                f"The {year} plan was just changed by someone else; refresh and try again",
            ),
            field="departments",
        ) from None
    return evaluations


async def _unit_names(ids: list[ObjectId]) -> list[str]:
    return [u.name for u in await Unit.find({"_id": {"$in": ids}}).sort("name").to_list()]


# --- the steps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StepInput:
    note: str = ""
    text: str = ""
    """The self-report or the preliminary opinion."""
    present: list[ObjectId] = field(default_factory=list)
    """OPEN_SCORING: the members present."""
    grades: list[tuple[str, int]] = field(default_factory=lambda: list(DEFAULT_GRADES))
    quorum_percent: int = 50
    opinion: OpinionDraft | None = None
    """ISSUE: the evaluation opinion (its stage and subject are the evaluation's)."""
    addressed: Addressed | None = None
    """ISSUE: its deadline and visibility (its unit is the department)."""


def _grades(given: list[tuple[str, int]]) -> list[Grade]:
    if not 1 <= len(given) <= GRADES_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"应有 1 到 {GRADES_MAX} 个等次", f"Give 1 to {GRADES_MAX} grades"),
            field="grades",
        )
    labels = [required_text(label, field="grades", max_length=10,
                            what=say("等次名称", "grade name"))
              for label, _ in given]  # fmt: skip
    lows = [low for _, low in given]
    if len(set(labels)) != len(labels) or len(set(lows)) != len(lows):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("等次的名称和最低分都不能重复", "Grade names and lowest scores must not repeat"),
            field="grades",
        )
    if any(not 0 <= low <= SCORE_MAX for low in lows) or 0 not in lows:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"等次的最低分应在 0 到 {SCORE_MAX} 之间，且有一个等次从 0 分起",
                f"The lowest scores of the grades must be from 0 to {SCORE_MAX},"
                " and one grade must start at 0",
            ),
            field="grades",
        )
    grades = [Grade(label=label, min_score=low) for label, low in zip(labels, lows, strict=True)]
    return sorted(grades, key=lambda g: -g.min_score)


async def take_step(
    evaluation: WorkEvaluation, *, step: EvaluationStep, viewer: Viewer, given: StepInput,
    settings: Settings, at: datetime | None = None,
) -> WorkEvaluation:  # fmt: skip
    """Take ``step`` as ``viewer`` (ANNOUNCE and ANNUL: ``close_scoring``)."""
    chosen = LOOP.step(step)
    actors = actors_of(viewer, evaluation)
    LOOP.check(chosen, evaluation.state, actors)
    when = at or utcnow()
    if step is S.RETURN:
        note = required_text(
            given.note,
            field="note",
            max_length=NOTE_MAX,
            what=say("退回理由", "reason for returning"),
        )
    else:
        note = optional_text(
            given.note, field="note", max_length=NOTE_MAX, what=say("备注", "note")
        )
    changes: dict[str, object] = {}
    push: dict[str, object] = {}
    if step in (S.REPORT, S.RESEARCH):
        if step is S.REPORT:
            what = say("自查报告", "self-report")
        else:
            what = say("初步评议意见", "preliminary opinion")
        paper = Paper(text=required_text(given.text, field="text", max_length=TEXT_MAX, what=what),
                      written_by=viewer.name or "—", written_at=when)  # fmt: skip
        changes["self_report" if step is S.REPORT else "preliminary_opinion"] = paper
    if step is S.OPEN_SCORING:
        push["scorings"] = await _scoring(evaluation, given, viewer, when)
        note = note or f"出席 {len(given.present)} 人，须超过 {given.quorum_percent}% 参加测评"
    if step is S.ISSUE:
        return await _issue(evaluation, given, viewer, settings, actors, note, when)
    return await LOOP.take(
        evaluation, step=step, actors=actors, viewer=viewer, note=note, changes=changes,
        push=push, at=when,
    )  # fmt: skip


async def _scoring(
    evaluation: WorkEvaluation, given: StepInput, viewer: Viewer, when: datetime
) -> Scoring:
    percent_rule(given.quorum_percent, "quorumPercent")
    if len(set(given.present)) != len(given.present):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("出席人员有重复", "A member present is listed more than once"),
            field="presentDeputyIds",
        )
    if not given.present:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "请列出出席会议的常委会组成人员",
                "List the members of the standing committee present at the meeting",
            ),
            field="presentDeputyIds",
        )
    present = await existing(
        Deputy, given.present, field="presentDeputyIds", what=say("代表", "deputy")
    )
    return Scoring(
        round=len(evaluation.scorings) + 1, grades=_grades(given.grades),
        quorum_percent=given.quorum_percent, present=present,  # type: ignore[arg-type]
        opened_by=viewer.name or "—", opened_at=when,
    )  # fmt: skip


async def _issue(
    evaluation: WorkEvaluation, given: StepInput, viewer: Viewer, settings: Settings,
    actors: set[Actor], note: str, when: datetime,
) -> WorkEvaluation:  # fmt: skip
    """The evaluation opinion stored and told to the department, and the step, together."""
    if given.opinion is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("请给出评议意见", "Give the evaluation opinion"),
            field="points",
        )
    if given.opinion.meeting_on.year < evaluation.year:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"评议意见的会议日期应在评议年度（{evaluation.year} 年）之内或之后",
                f"The opinion's meeting date must be in the year evaluated"
                f" ({evaluation.year}) or later",
            ),
            field="meetingOn",
        )
    addressed = given.addressed or Addressed(unit_ids=[])
    opinion = await opinions.drafted_opinion(
        viewer=viewer,
        draft=OpinionDraft(
            title=given.opinion.title, stage=OpinionStage.WORK_EVALUATION,
            meeting=given.opinion.meeting, meeting_on=given.opinion.meeting_on,
            subject=evaluation.subject, points=given.opinion.points,
        ),
        addressed=Addressed(
            unit_ids=[evaluation.unit_id], issued_on=addressed.issued_on,
            deadline=addressed.deadline, visibility=addressed.visibility,
        ),
        settings=settings,
    )  # fmt: skip
    async with transaction(Opinion) as session:
        await opinions.issue(opinion, viewer, session)
        return await LOOP.take(
            evaluation, step=S.ISSUE, actors=actors, viewer=viewer, note=note or opinion.title,
            changes={"opinion_id": opinion.id,
                     "follow_up_due": add_months(opinion.issued_on, FOLLOW_UP_MONTHS)},
            at=when, session=session,
        )  # fmt: skip


# --- the scoring -------------------------------------------------------------------------


async def score(*, evaluation: WorkEvaluation, given: int, viewer: Viewer) -> None:
    """A member's score in the open scoring, added to the sum and its grade's count as it is
    given: once per member and round, and nothing keeps who gave what."""
    if viewer.role is not Role.DEPUTY or viewer.deputy_id is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                "只有出席会议的常委会组成人员可以测评",
                "Only the members of the standing committee present at the meeting may score",
            ),
        )
    if evaluation.state is not W.SCORING:
        raise DomainError(
            ErrorCode.CONFLICT,
            say("该工作评议现在没有进行测评", "This work evaluation is not being scored now"),
            field="id",
        )
    if not 0 <= given <= SCORE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"评分应为 0 到 {SCORE_MAX} 的整数",
                f"The score must be a whole number from 0 to {SCORE_MAX}",
            ),
            field="score",
        )
    last = len(evaluation.scorings) - 1
    current = evaluation.scorings[last]
    place = next(n for n, g in enumerate(current.grades) if given >= g.min_score)
    member = viewer.deputy_id
    match = {"_id": evaluation.id, "state": str(W.SCORING), f"scorings.{last}.present": member}
    increments = {f"scorings.{last}.ballots": 1, f"scorings.{last}.score_sum": given,
                  f"scorings.{last}.counts.{place}": 1, "revision": 1}  # fmt: skip
    if await counted_once(WorkEvaluation, match, f"scorings.{last}.scored", member, increments):
        return
    now = await WorkEvaluation.get(evaluation.id)
    if now is None or now.state is not W.SCORING or len(now.scorings) != last + 1:
        raise DomainError(
            ErrorCode.CONFLICT, say("测评已经结束", "The scoring has ended"), field="id"
        )
    if member not in now.scorings[last].present:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                "你不在本次会议出席人员名单中",
                "You are not on the list of those present at this meeting",
            ),
            field="id",
        )
    raise DomainError(
        ErrorCode.CONFLICT,
        say("你已经评过分，每人只能评一次", "You have already scored; each member scores once"),
        field="id",
    )


def stood(scoring: Scoring) -> bool:
    """More than its quorum of the members present scored."""
    return scoring.ballots * 100 > scoring.quorum_percent * len(scoring.present)


def result(scoring: Scoring) -> tuple[Decimal, Grade]:
    """The average score (to two places) and the grade it earns, compared exactly."""
    ballots = scoring.ballots
    grade = next(g for g in scoring.grades if scoring.score_sum >= g.min_score * ballots)
    average = (Decimal(scoring.score_sum) / Decimal(ballots)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return average, grade


async def close_scoring(*, evaluation: WorkEvaluation, viewer: Viewer) -> WorkEvaluation:
    """Close the open scoring: its result announced (SCORED) when its quorum was met, else
    void (back to RESEARCHED, to be scored again)."""
    actors = actors_of(viewer, evaluation)
    LOOP.check(LOOP.step(S.ANNOUNCE), evaluation.state, actors)
    last = len(evaluation.scorings) - 1
    current = evaluation.scorings[last]
    when = utcnow()
    changes: dict[str, object] = {f"scorings.{last}.closed_at": when}
    turnout = f"出席 {len(current.present)} 人，{current.ballots} 人测评"
    if stood(current):
        average, grade = result(current)
        step, note = S.ANNOUNCE, f"平均 {average} 分，{grade.label}（{turnout}）"
    else:
        step = S.ANNUL
        note = f"{turnout}，未超过 {current.quorum_percent}%：测评无效"
        changes[f"scorings.{last}.void"] = True
    # A score given meanwhile changed the revision: this write is refused (CONFLICT).
    return await LOOP.take(
        evaluation, step=step, actors=actors, viewer=viewer, note=note, changes=changes, at=when
    )
