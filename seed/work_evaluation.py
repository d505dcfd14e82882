"""The demo county's work evaluations (工作评议): this year's plan of six departments, one in
each state from PLANNED to ISSUED (a void scoring among them, and the scoring of 民政局 open
with the demo deputy 王立新 present and not yet scored), and last year's, whose opinion is
reported on and has its follow-up hearing fixed. Written for this project; the county is
fictional."""

from datetime import date, timedelta

from api.access import Role, Viewer
from api.models.people import Deputy, Unit
from api.models.rectification import Opinion, OpinionStage
from api.models.regulations import Visibility
from api.models.work_evaluation import WorkEvaluation
from api.models.work_evaluation import WorkEvaluationState as W
from api.services import rectification
from api.services import work_evaluation as loop
from api.services.opinions import Addressed, OpinionDraft, PointDraft
from api.services.rectification import RectificationStep as RS
from api.services.work_evaluation import EvaluationStep as S
from api.services.work_evaluation import Planned, StepInput
from api.settings import Settings
from seed.suggestions import id_of

STAFF = Viewer(role=Role.STAFF, name="周文静（教科文卫工委）")
MEMBERS = 25
"""The standing committee's members, the first deputies on the roll."""
THIS_YEAR = (
    # department, the work evaluated, committee, how far it has come, scores given
    ("教育局", "义务教育优质均衡发展工作", "教育科学文化卫生工作委员会", W.ISSUED, 23),
    ("卫生健康局", "县域医共体建设工作", "教育科学文化卫生工作委员会", W.SCORED, 22),
    ("民政局", "农村养老服务体系建设工作", "社会建设工作委员会", W.SCORING, 18),
    ("水利局", "农村饮水安全保障工作", "农业农村工作委员会", W.RESEARCHED, 8),
    ("生态环境局", "青溪河流域水污染防治工作", "城乡建设环境保护工作委员会",
     W.SELF_REPORTED, 0),
    ("交通运输局", "“四好农村路”建设工作", "城乡建设环境保护工作委员会", W.PLANNED, 0),
)  # fmt: skip
"""水利局's scoring is void: 8 of 25 scored, short of the quorum; it waits to be held again."""
LAST_YEAR = ("市场监督管理局", "食品安全监管工作", "财政经济工作委员会", W.ISSUED, 24)
ORDER = (W.PLANNED, W.SELF_REPORTED, W.RESEARCHED, W.SCORING, W.SCORED, W.ISSUED)


def _score(member: int, department: int) -> int:
    """A member's score, spread from the sixties to the high nineties."""
    return 62 + (member * 7 + department * 11) % 37


async def _walk(
    evaluation: WorkEvaluation, reach: W, scores: int, n: int, members: list[Deputy],
    settings: Settings,
) -> WorkEvaluation:  # fmt: skip
    unit = Viewer(role=Role.HANDLER, unit_id=evaluation.unit_id, name="办公室主任")
    subject = evaluation.subject

    async def take(step: S, who: Viewer, **given: object) -> WorkEvaluation:
        return await loop.take_step(evaluation, step=step, viewer=who, settings=settings,
                                    given=StepInput(**given))  # type: ignore[arg-type]  # fmt: skip

    if ORDER.index(reach) < ORDER.index(W.SELF_REPORTED):
        return evaluation
    report = f"关于{subject}的自查报告：工作开展情况、存在问题和下一步打算。"
    evaluation = await take(S.REPORT, unit, text=report)
    if reach is W.SELF_REPORTED:
        return evaluation
    found = f"经实地调研和座谈，{subject}总体推进有力，资金保障和长效管护有待加强。"
    evaluation = await take(S.RESEARCH, STAFF, text=found)
    present = [id_of(m) for m in members]
    # The demo deputy (the first on the roll) scores last, so an open scoring waits for them.
    evaluation = await take(S.OPEN_SCORING, STAFF, present=present)
    for m, member in list(enumerate(members))[::-1][:scores]:
        member_viewer = Viewer(role=Role.DEPUTY, deputy_id=member.id, name=member.name)
        await loop.score(evaluation=evaluation, given=_score(m, n), viewer=member_viewer)
    if reach is W.SCORING:
        return evaluation
    evaluation = await WorkEvaluation.get(id_of(evaluation)) or evaluation
    evaluation = await loop.close_scoring(evaluation=evaluation, viewer=STAFF)
    if reach is not W.ISSUED:
        return evaluation
    meeting_on = min(settings.today(), date(evaluation.year, 12, 31)) - timedelta(days=20)
    opinion = OpinionDraft(
        title=f"关于县{subject}的评议意见", stage=OpinionStage.WORK_EVALUATION,
        meeting="县十八届人大常委会第二十七次会议", meeting_on=meeting_on, subject=subject,
        points=[PointDraft("建立稳定的资金保障机制，提高资金使用绩效。"),
                PointDraft("完善长效管护制度，明确管护责任。"),
                PointDraft("加强部门协同，及时回应群众关切。")],
    )  # fmt: skip
    addressed = Addressed(unit_ids=[], issued_on=meeting_on, visibility=Visibility.PUBLIC)
    return await take(S.ISSUE, STAFF, opinion=opinion, addressed=addressed)


async def load_work_evaluations(settings: Settings) -> None:
    units = {u.name.removeprefix("青岚县"): u for u in await Unit.find_all().to_list()}
    members = await Deputy.find_all().sort("created_at").limit(MEMBERS).to_list()
    if len(members) < MEMBERS or any(row[0] not in units for row in (*THIS_YEAR, LAST_YEAR)):
        return
    today = settings.today()
    for year, rows in ((today.year - 1, (LAST_YEAR,)), (today.year, THIS_YEAR)):
        planned = await loop.plan(
            year=year, report_due=date(year, 6, 30), viewer=STAFF, settings=settings,
            departments=[Planned(id_of(units[unit]), subject, committee)
                         for unit, subject, committee, *_ in rows],
        )  # fmt: skip
        for n, (evaluation, row) in enumerate(zip(planned, rows, strict=True)):
            await _walk(evaluation, row[3], row[4], n, members, settings)
    # Last year's opinion: accepted, planned and reported on; its follow-up hearing is fixed.
    last = await WorkEvaluation.find_one({"year": today.year - 1})
    opinion = await Opinion.get(last.opinion_id) if last and last.opinion_id else None
    if opinion is None:
        return
    unit = Viewer(role=Role.HANDLER, unit_id=opinion.unit_ids[0], name="办公室主任")
    for step, who, text in ((RS.ACCEPT, unit, ""), (RS.PLAN, unit, "整改方案：分三项落实。"),
                            (RS.REPORT, unit, "三项意见均已整改到位。"),
                            (RS.SCHEDULE_HEARING, STAFF, "")):  # fmt: skip
        hearing = today + timedelta(days=30) if step == RS.SCHEDULE_HEARING else None
        given = rectification.StepInput(text=text, hearing_on=hearing)
        opinion = await rectification.take_step(
            opinion, step=step, viewer=who, given=given, settings=settings
        )
