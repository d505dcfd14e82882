"""A chosen livelihood project through its year (两督两评): the responsible unit starts it with
its milestones, reports progress and completion; staff supervise it; the deputies evaluate it
at the end of the year, counted as cast; a project they are not satisfied with goes back to
its unit, which reports again, and is evaluated again. Run by ``api.services.loop.Machine``.

The evaluation's rules are data: a round is counted once at least its ``min_evaluations``
deputies have evaluated, and passes when more than its ``pass_percent`` of the evaluations are
满意 or 基本满意.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.labels import LabeledEnum
from api.language import say
from api.models.livelihood import LivelihoodProject, Milestone, Progress, Satisfaction
from api.models.livelihood import ProjectState as P
from api.models.suggestions import Satisfaction as Said
from api.models.suggestions import SupervisionMethod
from api.models.users import utcnow
from api.services.livelihood import counted_once, percent_rule
from api.services.loop import Machine, Step
from api.services.notifications import Audience
from api.services.suggestion_loop import NOTE_MAX, TEXT_MAX, Supervision, supervision_record
from api.settings import Settings

MILESTONES_MAX = 20
EVALUATORS_MAX = 10_000


class Actor(LabeledEnum):
    STAFF = "STAFF", "人大常委会工作人员"
    UNIT = "UNIT", "责任单位"


class ProjectStep(LabeledEnum):
    """The steps of a chosen project's year; values as its timeline stores them."""

    START = "start", "开工"
    REPORT = "report", "报告进展"
    COMPLETE = "complete", "报告完工"
    SUPERVISE = "supervise", "督办"
    OPEN_EVALUATION = "open_evaluation", "开始满意度测评"
    PASS = "pass", "统计测评（满意）"
    FAIL = "fail", "统计测评（不满意）"


S = ProjectStep
STAFF, UNIT = (Actor.STAFF,), (Actor.UNIT,)
STEPS = [
    Step(S.START, (P.CHOSEN,), P.UNDERWAY, UNIT, tell=(Audience.STAFF,)),
    Step(S.REPORT, (P.UNDERWAY, P.RECTIFYING), None, UNIT),
    Step(S.COMPLETE, (P.UNDERWAY, P.RECTIFYING), P.COMPLETED, UNIT, tell=(Audience.STAFF,)),
    Step(S.SUPERVISE, (P.CHOSEN, P.UNDERWAY, P.RECTIFYING), None, STAFF, tell=(Audience.UNITS,)),
    Step(S.OPEN_EVALUATION, (P.COMPLETED,), P.EVALUATING, STAFF),
    Step(S.PASS, (P.EVALUATING,), P.PASSED, STAFF, tell=(Audience.UNITS,)),
    Step(S.FAIL, (P.EVALUATING,), P.RECTIFYING, STAFF, tell=(Audience.UNITS,)),
]
LOOP = Machine("民生实事项目", "livelihood project", STEPS)


def actors_of(viewer: Viewer, project: LivelihoodProject) -> set[Actor]:
    actors = {Actor.STAFF} if viewer.has_role(Role.STAFF) else set()
    if viewer.unit_acted_for is not None and viewer.unit_acted_for == project.unit_id:
        actors.add(Actor.UNIT)
    return actors


def next_steps(viewer: Viewer, project: LivelihoodProject) -> list[Step]:
    """The steps ``viewer`` may take now (the count of an evaluation: PASS or FAIL, as the
    evaluations decide)."""
    actors = actors_of(viewer, project)
    return [s for s in LOOP.next_steps(project.state) if set(s.actors) & actors]


@dataclass(frozen=True)
class StepInput:
    note: str = ""
    text: str = ""
    percent: int | None = None
    milestones: list[tuple[str, date]] = field(default_factory=list)
    reached: list[int] = field(default_factory=list)
    """Milestones reached, by their number (1 for the first)."""
    method: SupervisionMethod | None = None
    pass_percent: int = 60
    min_evaluations: int = 1


def _milestones(given: list[tuple[str, date]], today: date) -> list[Milestone]:
    if not 1 <= len(given) <= MILESTONES_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"请列出 1 到 {MILESTONES_MAX} 个实施节点", f"List 1 to {MILESTONES_MAX} stages"),
            field="milestones",
        )
    earliest, latest = today - timedelta(days=366), today + timedelta(days=5 * 366)
    if odd := [title for title, due in given if not earliest <= due <= latest]:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"节点日期应在 {earliest} 到 {latest} 之间：{'、'.join(odd)}",
                f"Stage dates must be between {earliest} and {latest}: {', '.join(odd)}",
            ),
            field="milestones",
        )
    return [Milestone(title=required_text(title, field="milestones", max_length=100,
                                          what=say("节点名称", "stage title")), due_on=due)
            for title, due in sorted(given, key=lambda m: m[1])]  # fmt: skip


def _reached(project: LivelihoodProject, numbers: list[int], today: date) -> list[Milestone]:
    if unknown := sorted(n for n in set(numbers) if not 1 <= n <= len(project.milestones)):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"没有第 {'、'.join(map(str, unknown))} 个节点（共 {len(project.milestones)} 个）",
                f"No stage number {', '.join(map(str, unknown))}"
                f" (there are {len(project.milestones)})",
            ),
            field="reached",
        )
    return [m.model_copy(update={"done_on": m.done_on or today}) if n in numbers else m
            for n, m in enumerate(project.milestones, start=1)]  # fmt: skip


async def take_step(
    project: LivelihoodProject, *, step: ProjectStep, viewer: Viewer, given: StepInput,
    settings: Settings, at: datetime | None = None,
) -> LivelihoodProject:  # fmt: skip
    """Take ``step`` on a chosen project as ``viewer`` (PASS and FAIL: ``count``)."""
    chosen = LOOP.step(step)
    actors = actors_of(viewer, project)
    LOOP.check(chosen, project.state, actors)
    when = at or utcnow()
    today = settings.today(when)
    note = optional_text(given.note, field="note", max_length=NOTE_MAX, what=say("备注", "note"))
    changes: dict[str, object] = {}
    push: dict[str, object] = {}
    if step is S.START:
        changes["milestones"] = _milestones(given.milestones, today)
    if step in (S.REPORT, S.COMPLETE):
        percent = 100 if step is S.COMPLETE else given.percent
        if percent is None or not 0 <= percent <= 100:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say("完成比例应为 0 到 100", "The percent done must be from 0 to 100"),
                field="percent",
            )
        if step is S.COMPLETE:
            what = say("完工情况", "completion report")
        else:
            what = say("进展情况", "progress report")
        push["progress"] = Progress(
            text=required_text(given.text, field="text", max_length=TEXT_MAX, what=what),
            percent=percent, written_by=viewer.name or "—", written_at=when,
        )  # fmt: skip
        reached = given.reached if step is S.REPORT else range(1, len(project.milestones) + 1)
        changes["milestones"] = _reached(project, list(reached), today)
    if step is S.SUPERVISE:
        if given.method is None:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say("请说明督办方式", "Give the method of supervision"),
                field="method",
            )
        record = supervision_record(Supervision(given.method, given.note), viewer=viewer,
                                    settings=settings, at=when)  # fmt: skip
        push["supervision"], note = record, record.note
    if step is S.OPEN_EVALUATION:
        percent_rule(given.pass_percent, "passPercent")
        if not 1 <= given.min_evaluations <= EVALUATORS_MAX:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"最少测评人数应为 1 到 {EVALUATORS_MAX}",
                    f"The minimum number of evaluations must be 1 to {EVALUATORS_MAX}",
                ),
                field="minEvaluations",
            )
        push["evaluations"] = Satisfaction(
            round=len(project.evaluations) + 1, pass_percent=given.pass_percent,
            min_evaluations=given.min_evaluations, opened_at=when,
        )  # fmt: skip
        note = note or (f"满意（含基本满意）须超过 {given.pass_percent}%，"
                        f"至少 {given.min_evaluations} 位代表测评")  # fmt: skip
    return await LOOP.take(
        project, step=step, actors=actors, viewer=viewer, note=note, changes=changes, push=push,
        at=when,
    )  # fmt: skip


async def evaluate(*, project: LivelihoodProject, said: Said, viewer: Viewer) -> None:
    """A deputy's evaluation in the open round, added to its counts as it is given: once per
    deputy and round, and nothing keeps what a deputy said."""
    if viewer.role is not Role.DEPUTY or viewer.deputy_id is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say("只有代表可以参加满意度测评", "Only deputies may take part in the evaluation"),
        )
    if project.state is not P.EVALUATING:
        raise DomainError(
            ErrorCode.CONFLICT,
            say("该项目现在没有进行满意度测评", "This project is not being evaluated now"),
            field="id",
        )
    last = len(project.evaluations) - 1
    match = {"_id": project.id, "state": str(P.EVALUATING)}
    increments = {f"evaluations.{last}.counts.{said}": 1, "revision": 1}
    if await counted_once(LivelihoodProject, match, f"evaluations.{last}.evaluated",
                          viewer.deputy_id, increments):  # fmt: skip
        return
    now = await LivelihoodProject.get(project.id)
    if now is None or now.state is not P.EVALUATING:
        raise DomainError(
            ErrorCode.CONFLICT, say("满意度测评已经结束", "The evaluation has ended"), field="id"
        )
    raise DomainError(
        ErrorCode.CONFLICT,
        say("你已经参加过这一轮测评", "You have already evaluated in this round"),
        field="id",
    )


def satisfied_share(round_: Satisfaction) -> tuple[int, int]:
    """Evaluations that were 满意 or 基本满意, and all of them."""
    total = sum(round_.counts.values())
    good = round_.counts.get(str(Said.SATISFIED), 0)
    good += round_.counts.get(str(Said.BASICALLY_SATISFIED), 0)
    return good, total


async def count(*, project: LivelihoodProject, viewer: Viewer) -> LivelihoodProject:
    """Close the open round: PASS when more than its ``pass_percent`` were satisfied, FAIL
    (back to the unit) otherwise; a round nobody evaluated is not counted."""
    actors = actors_of(viewer, project)
    LOOP.check(LOOP.step(S.PASS), project.state, actors)
    current = project.evaluations[-1]
    good, total = satisfied_share(current)
    if total == 0:
        raise DomainError(
            ErrorCode.CONFLICT,
            say("还没有代表参加测评，不能统计", "No deputy has evaluated yet: nothing to count"),
            field="id",
        )
    if total < current.min_evaluations:
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                f"参加测评的代表 {total} 人，"
                f"不足本轮规定的 {current.min_evaluations} 人，还不能统计",
                f"{total} deputies have evaluated, fewer than the {current.min_evaluations}"
                " this round requires: it cannot be counted yet",
            ),
            field="id",
        )
    passed = good * 100 > current.pass_percent * total
    when = utcnow()
    note = f"满意（含基本满意）{good}/{total}，须超过 {current.pass_percent}%"
    # An evaluation given meanwhile changed the revision: this write is refused (CONFLICT).
    return await LOOP.take(
        project, step=S.PASS if passed else S.FAIL, actors=actors, viewer=viewer, note=note,
        changes={f"evaluations.{len(project.evaluations) - 1}.counted_at": when}, at=when,
    )  # fmt: skip
