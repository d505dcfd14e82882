"""Demo opinions, audit findings and warnings for 青岚县 (invented): the opinions of last
year's budget review with some points rectified, audit findings of which one has stayed open
for well over a year, and the warnings the rules raised over the demo budget taken to every
state of their loop. Everything goes through the same services staff use."""

from datetime import timedelta

from api.access import Role, Viewer
from api.models.budget import LinkKind
from api.models.people import Unit
from api.models.rectification import Opinion, OpinionStage
from api.models.regulations import Visibility
from api.models.suggestions import SupervisionMethod
from api.models.users import User
from api.models.warnings import BudgetWarning
from api.services.budget_links import LinkDraft
from api.services.opinions import (
    Addressed,
    FindingDraft,
    OpinionDraft,
    PointDraft,
    create_finding,
    create_opinion,
)
from api.services.rectification import RectificationStep, StepInput, take_step
from api.services.rectification import RectificationStep as RS
from api.services.rectification import WarningStep as WS
from api.services.suggestion_loop import add_months
from api.settings import Settings

STAFF = Viewer(role=Role.STAFF, name="李晓梅（预算工委）")


def _department(code: str) -> LinkDraft:
    return LinkDraft(kind=LinkKind.DEPARTMENT, department=code)


def _unit_viewer(unit: Unit) -> Viewer:
    return Viewer(role=Role.HANDLER, unit_id=unit.id, name=f"{unit.name}整改联络员")


OPINIONS = (
    # (title, stage, months ago, subject, units, points [(text, departments)], visibility)
    ("关于{last}年预算草案的初审意见", OpinionStage.PRELIMINARY_REVIEW, 12,
     "{last}年县级预算草案", ("财政局", "发展和改革局"), (
        ("细化代编预算，提高年初预算到位率，代编比例原则上不超过10%。", ("107",)),
        ("重点项目应完成前期论证后列入预算，避免资金闲置。", ("101",)),
        ("严格控制一般性支出和“三公”经费。", ()),
     ), Visibility.PUBLIC),
    ("关于{last}年上半年预算执行情况的审议意见", OpinionStage.STANDING_COMMITTEE, 7,
     "{last}年上半年预算执行情况", ("财政局", "交通运输局", "教育局"), (
        ("交通、教育等部门支出进度明显滞后于时间进度，应查找原因、加快执行。", ("112", "102")),
        ("专项债券资金使用效率不高，应加快项目建设进度。", ("112",)),
        ("加强直达资金监控，确保资金及时惠企利民。", ("107",)),
        ("规范非税收入征管。", ("107",)),
     ), Visibility.PUBLIC),
    ("关于县交通运输局工作的评议意见", OpinionStage.WORK_EVALUATION, 4,
     "县交通运输局履职情况", ("交通运输局",), (
        ("农村公路养护资金拨付慢，应建立按月拨付机制。", ("112",)),
        ("重点工程质量监管有待加强。", ()),
     ), Visibility.INTERNAL),
    ("大会审议{this}年预算报告时代表提出的意见", OpinionStage.CONGRESS, 1,
     "{this}年预算报告", ("财政局",), (
        ("加大对乡村振兴的投入。", ("122",)),
        ("提高预算公开的完整性和可读性。", ()),
     ), Visibility.PUBLIC),
)  # fmt: skip

FINDINGS = (
    # (number, title, months ago, audit year, category, amount 元, department, units, state)
    ("青审〔{y2}〕5号-2", "农村公路养护专项资金滞留未拨付", 17, 2, "专项资金管理", 3_860_000,
     "112", ("交通运输局", "财政局"), RS.PLAN),
    ("青审〔{y1}〕9号-1", "部分单位超标准列支公务接待费", 13, 1, "预算执行", 128_400,
     "105", ("民政局",), RS.CLOSE),
    ("青审〔{y1}〕9号-4", "义务教育薄弱环节改善资金结余未统筹使用", 5, 1, "专项资金管理",
     1_250_000, "102", ("教育局",), RS.REPORT),
    ("青审〔{y1}〕12号-2", "政府采购项目未按规定公开", 2, 1, "政府采购", None, "111",
     ("住房和城乡建设局",), None),
)  # fmt: skip

STEPS = (RS.ACCEPT, RS.PLAN, RS.REPORT, RS.CLOSE)
"""The usual way round an opinion's or finding's loop."""
ANSWERS = {
    RS.PLAN: "已制定整改方案，明确责任科室和完成时限，逐条推进。",
    RS.REPORT: "经整改，相关问题已按意见要求落实，具体情况如下：资金已拨付到位，制度已修订。",
}


async def _walk(
    record: object, unit: Unit, until: RectificationStep | None, settings: Settings
) -> object:
    """Take a record round the loop up to and including the step ``until``."""
    if not until:
        return record
    for name in STEPS:
        viewer = STAFF if name == RS.CLOSE else _unit_viewer(unit)
        given = StepInput(text=ANSWERS.get(name, ""))
        if name == RS.REPORT and isinstance(record, Opinion):
            given = StepInput(text=ANSWERS[RS.REPORT], points=[1, 2][: len(record.points) - 1])
        record = await take_step(record, step=name, viewer=viewer, given=given,  # type: ignore[arg-type]
                                 settings=settings)  # fmt: skip
        if name == until:
            break
    return record


async def load_supervision(settings: Settings) -> None:
    """Opinions, audit findings and the demo budget's warnings in every state. Departments
    are named by their codes in the demo budget (``seed.budget``: 101 发展和改革局 … 122
    乡村振兴局, in the order of ``seed.suggestions.UNITS``)."""
    units = {u.name.removeprefix("青岚县"): u for u in await Unit.find_all().to_list()}
    today = settings.today()
    this, last = today.year, today.year - 1
    progress = (RS.CLOSE, RS.REPORT, RS.PLAN, None)
    for n, (title, stage, months, subject, named, points, visibility) in enumerate(OPINIONS):
        issued = add_months(today, -months)
        opinion = await create_opinion(
            viewer=STAFF, settings=settings,
            draft=OpinionDraft(
                title=title.format(last=last, this=this), stage=stage,
                meeting="县十八届人大三次会议" if stage is OpinionStage.CONGRESS
                else f"县十八届人大常委会第{20 + n}次会议", meeting_on=issued - timedelta(days=3),
                subject=subject.format(last=last, this=this),
                points=[PointDraft(text, [_department(c) for c in codes])
                        for text, codes in points],
            ),
            addressed=Addressed(unit_ids=[units[u].id for u in named], issued_on=issued,  # type: ignore[misc]
                                visibility=visibility),
        )  # fmt: skip
        await _walk(opinion, units[named[0]], progress[n], settings)
    for number, title, months, years_ago, category, amount, code, named, until in FINDINGS:
        issued = add_months(today, -months)
        finding = await create_finding(
            viewer=STAFF, settings=settings,
            draft=FindingDraft(
                number=number.format(y1=this - 1, y2=this - 2), title=title,
                description=f"审计发现：{title}。", audit_year=this - years_ago,
                auditor="青岚县审计局", category=category,
                amount=amount * 100 if amount else None,
                budget_links=[_department(code)],
            ),
            addressed=Addressed(unit_ids=[units[u].id for u in named], issued_on=issued,  # type: ignore[misc]
                                deadline=add_months(issued, 3)),
        )  # fmt: skip
        if months > 12:
            finding = await take_step(
                finding, step=RS.SUPERVISE, viewer=STAFF, settings=settings,
                given=StepInput(note="逾期未整改，书面督办", method=SupervisionMethod.WRITTEN),
            )  # fmt: skip
        await _walk(finding, units[named[0]], until, settings)
    await _warnings_in_every_state(settings)
    finance = await User.find_one({"username": "finance"})
    if finance is not None:
        await finance.set({"unit_id": units["财政局"].id})


async def _warnings_in_every_state(settings: Settings) -> None:
    """The rules have run over the demo budget with each import; take some of the latest
    month's warnings round their loop so every state shows."""
    latest = await BudgetWarning.find_all().sort("-year", "-month").limit(1).to_list()
    if not latest:
        return
    found = (
        await BudgetWarning.find(
            {
                "year": latest[0].year,
                "month": latest[0].month,
                "subject_key": {"$regex": "^DEPARTMENT:1"},
            }
        )
        .sort("-severity", "subject_key")
        .to_list()
    )
    plans = (WS.ISSUE, WS.ACCEPT, WS.RESPOND, WS.CLOSE, WS.DISMISS)
    for n, warning in enumerate(found[:10]):
        until = plans[n % len(plans)]
        if until == WS.DISMISS:
            await take_step(warning, step=WS.DISMISS, viewer=STAFF, settings=settings,
                            given=StepInput(note="核实为跨年度集中支付，不属滞后"))  # fmt: skip
            continue
        for name in plans[: plans.index(until) + 1]:
            unit = await Unit.get(warning.unit_ids[0]) if warning.unit_ids else None
            viewer = STAFF if name in (WS.ISSUE, WS.CLOSE) else _unit_viewer(unit)  # type: ignore[arg-type]
            text = "已督促相关科室加快支出，本月已拨付到位。" if name == WS.RESPOND else ""
            warning = await take_step(warning, step=name, viewer=viewer, settings=settings,
                                      given=StepInput(text=text))  # fmt: skip
