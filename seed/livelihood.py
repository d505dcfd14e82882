"""The demo county's livelihood projects chosen by the deputies' vote (票决制): the earlier
session's vote, void for want of ballots and held again, counted (chosen, not chosen, two
tied for the last place, one set aside); the current session's vote open, the demo deputy
王立新 present and not yet voted. Written for this project; the county is fictional."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from api.access import Role, Viewer
from api.models.budget import Department, LinkKind
from api.models.livelihood import LivelihoodProject, ProjectSource, ProjectState
from api.models.people import CongressSession, Deputy, Unit
from api.models.suggestions import Satisfaction as Said
from api.models.suggestions import SupervisionMethod
from api.services import budget_links, livelihood
from api.services import livelihood_loop as loop
from api.services.livelihood import Proposal, Rules
from api.services.livelihood_loop import ProjectStep
from api.settings import Settings
from seed.suggestions import id_of

STAFF = Viewer(role=Role.STAFF, name="李晓梅（选联工委）")
G, D, P = ProjectSource.GOVERNMENT, ProjectSource.DEPUTY, ProjectSource.PUBLIC

EARLIER = (
    # title, unit, township, 元, source, votes in the counted vote (None: set aside)
    ("城乡供水一体化提质工程", "水利局", "", 38_600_000, G, 55),
    ("县人民医院急诊急救中心改造", "卫生健康局", "", 26_000_000, G, 52),
    ("农村公路安全生命防护工程", "交通运输局", "", 18_400_000, D, 48),
    ("老旧小区加装电梯和适老化改造", "住房和城乡建设局", "城关镇", 12_000_000, P, 40),
    ("中小学校食堂明厨亮灶改造", "教育局", "", 4_800_000, G, 33),
    ("乡镇敬老院提升改造", "民政局", "云岭乡", 6_500_000, D, 33),
    ("农贸市场标准化改造", "市场监督管理局", "石门镇", 5_200_000, P, 20),
    ("城区公共停车场建设", "城市管理局", "城关镇", 9_900_000, G, 12),
    ("县城夜间灯光亮化工程", "城市管理局", "城关镇", 7_000_000, G, None),
)
"""Sixty ballots of sixty-four deputies present, five to choose: more than thirty votes pass;
the fifth place is tied at 33."""
CURRENT = (
    ("农村学校学生饮水净化工程", "教育局", "", 3_600_000, G),
    ("村级养老服务站建设", "民政局", "", 8_800_000, D),
    ("山塘水库除险加固", "水利局", "白沙乡", 15_000_000, G),
    ("城区背街小巷改造", "住房和城乡建设局", "城关镇", 11_000_000, P),
    ("农村客运班线公交化改造", "交通运输局", "", 6_300_000, D),
    ("县域医共体远程影像中心", "卫生健康局", "", 4_200_000, G),
    ("城南体育公园二期", "文化广电旅游局", "城关镇", 21_000_000, P),
)
"""Six put to the vote, three to choose; the last recorded is set aside."""
Y, B, N = Said.SATISFIED, Said.BASICALLY_SATISFIED, Said.UNSATISFIED
YEAR = (
    (ProjectState.PASSED, (Y, Y, B, Y, N)),
    (ProjectState.RECTIFYING, (N, B, N, Y, N)),
    (ProjectState.EVALUATING, (Y, B)),
    (ProjectState.UNDERWAY, ()),
)
"""How far each chosen project has come (the most votes first), and how the deputies
evaluate it."""


def _deputy(deputy: Deputy) -> Viewer:
    return Viewer(role=Role.DEPUTY, deputy_id=deputy.id, name=deputy.name)


async def _propose(
    session: CongressSession, rows: Sequence[tuple[Any, ...]]
) -> list[LivelihoodProject]:
    units = {u.name.removeprefix("青岚县"): u for u in await Unit.find_all().to_list()}
    made = []
    for title, unit, township, yuan, source, *_ in rows:
        made.append(await livelihood.propose(
            Proposal(session_id=id_of(session), title=title, unit_id=id_of(units[unit]),
                     description=f"{township or '全县'}{title}，列入本年度民生实事。",
                     amount=yuan * 100, township=township, source=source),
            STAFF,
        ))  # fmt: skip
    return made


def _ballots(targets: list[int], voters: int, places: int) -> list[list[int]]:
    """Ballots (indexes of projects) giving each project exactly its target, none choosing
    more than ``places``: each project goes to the voters who have chosen least so far."""
    ballots: list[list[int]] = [[] for _ in range(voters)]
    for project in sorted(range(len(targets)), key=lambda p: -targets[p]):
        takers = sorted(range(voters), key=lambda v: (len(ballots[v]), v))[: targets[project]]
        assert all(len(ballots[v]) < places for v in takers), "the targets fit the ballots"
        for voter in takers:
            ballots[voter].append(project)
    return ballots


async def _step(
    project: LivelihoodProject, step: ProjectStep, who: Viewer, settings: Settings, **given: Any
) -> LivelihoodProject:
    return await loop.take_step(
        project, step=step, viewer=who, given=loop.StepInput(**given), settings=settings
    )


async def _carried_out(settings: Settings, deputies: list[Deputy]) -> None:
    """The earlier session's four chosen projects through their year, each as far as the
    table ``YEAR`` says: passed, sent back after the deputies' evaluation, being evaluated, or
    underway."""
    today = settings.today()
    chosen = (
        await LivelihoodProject.find({"state": str(ProjectState.CHOSEN)}).sort("-votes").to_list()
    )
    for project, (reached, said) in zip(chosen, YEAR, strict=True):
        unit = Viewer(role=Role.HANDLER, unit_id=project.unit_id, name="项目负责人")
        stages = [("完成设计和招标", today - timedelta(days=200)),
                  ("主体工程完工", today - timedelta(days=60)),
                  ("验收交付", today + timedelta(days=30))]  # fmt: skip

        department = await Department.find_one({"unit_id": project.unit_id})
        if department is not None:  # the money behind it: its unit's own budget
            draft = budget_links.LinkDraft(kind=LinkKind.DEPARTMENT, department=department.code,
                                           note="责任单位部门预算")  # fmt: skip
            project = await budget_links.link(record=project, draft=draft, viewer=STAFF)
        project = await _step(project, ProjectStep.START, unit, settings, milestones=stages)
        project = await _step(project, ProjectStep.REPORT, unit, settings, percent=35,
                              text="设计和招标已完成，已进场施工。", reached=[1])  # fmt: skip
        project = await _step(
            project,
            ProjectStep.SUPERVISE,
            STAFF,
            settings,
            method=SupervisionMethod.VISIT,
            note="年中视察，督促加快进度。",
        )
        if reached == ProjectState.UNDERWAY:
            continue
        project = await _step(project, ProjectStep.COMPLETE, unit, settings,
                              text="工程已完工并投入使用。")  # fmt: skip
        project = await _step(project, ProjectStep.OPEN_EVALUATION, STAFF, settings)
        for n, deputy in enumerate(deputies[:50]):
            await loop.evaluate(project=project, said=said[n % len(said)], viewer=_deputy(deputy))
        if reached == ProjectState.EVALUATING:
            continue
        project = await LivelihoodProject.get(id_of(project)) or project
        project = await loop.count(project=project, viewer=STAFF)


async def load_livelihood(settings: Settings) -> None:
    sessions = await CongressSession.find_all().sort("opened_on").to_list()
    deputies = await Deputy.find_all().sort("created_at").to_list()
    if len(sessions) < 2 or len(deputies) < 64:
        return
    earlier, current = sessions[-2], sessions[-1]

    made = await _propose(earlier, EARLIER)
    ballot = [id_of(p) for p, row in zip(made, EARLIER, strict=True) if row[-1] is not None]
    present = [id_of(d) for d in deputies[:64]]
    void = await livelihood.open_vote(
        session_id=id_of(earlier), project_ids=ballot, present=present, rules=Rules(5), viewer=STAFF
    )
    for deputy in deputies[:20]:  # the ballot box opened before the delegations came back
        await livelihood.cast(vote_id=id_of(void), project_ids=ballot[:2], viewer=_deputy(deputy))
    await livelihood.count(vote_id=id_of(void), viewer=STAFF)
    vote = await livelihood.open_vote(
        session_id=id_of(earlier), project_ids=ballot, present=present, rules=Rules(5), viewer=STAFF
    )
    targets = [row[-1] for row in EARLIER if row[-1] is not None]
    for deputy, chosen in zip(deputies[:60], _ballots(targets, 60, 5), strict=True):
        await livelihood.cast(
            vote_id=id_of(vote), project_ids=[ballot[i] for i in chosen], viewer=_deputy(deputy)
        )
    await livelihood.count(vote_id=id_of(vote), viewer=STAFF)
    await _carried_out(settings, deputies)

    made = await _propose(current, CURRENT)
    ballot = [id_of(p) for p in made[:-1]]
    vote = await livelihood.open_vote(
        session_id=id_of(current), project_ids=ballot, present=[id_of(d) for d in deputies[:62]],
        rules=Rules(3), viewer=STAFF,
    )  # fmt: skip
    # Forty have voted; the demo deputy (the first on the roll) has not.
    for n, deputy in enumerate(deputies[1:41]):
        picks = dict.fromkeys([ballot[n % 6], ballot[(n * 5 + 1) % 6], ballot[(n + 3) % 6]])
        await livelihood.cast(vote_id=id_of(vote), project_ids=list(picks), viewer=_deputy(deputy))
