"""Demo data for local use: one account per role (password ``demo``), the regulation library
of the fictional 澜川省青岚县 (``seed/regulations``, written for this project), and the demo
deputy's favorite folders and excerpts.

Loaded on the first start of ``make run`` (and by ``jiandu seed``); refused in production,
where weak shared passwords must never exist.
"""

from dataclasses import dataclass
from pathlib import Path

from api.access import Role, Viewer
from api.models.budget import BudgetLine, DirectFundAllocation
from api.models.livelihood import LivelihoodProject
from api.models.rectification import Opinion
from api.models.regulations import Regulation
from api.models.suggestions import Suggestion
from api.models.users import User
from api.models.work_evaluation import WorkEvaluation
from api.services import library
from api.services.regulation_import import ImportDefaults, Outcome, import_paths
from api.services.users import create_user
from api.settings import Settings
from seed.budget import load_budget
from seed.direct_funds import load_direct_funds
from seed.livelihood import load_livelihood
from seed.suggestions import load_suggestions
from seed.supervision import load_supervision
from seed.work_evaluation import load_work_evaluations

LIBRARY = Path(__file__).resolve().parent / "regulations"

DEMO_PASSWORD = "demo"
DEMO_REGION = "澜川省"
"""The demo's province: ``jiandu dev`` serves the library with it as ``library_region``."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("deputy", "王立新（县人大代表）", Role.DEPUTY),
    DemoAccount("staff", "李晓梅（选联工委）", Role.STAFF),
    DemoAccount("handler", "赵建国（县交通运输局）", Role.HANDLER),
    DemoAccount("finance", "陈思远（县财政局）", Role.FINANCE),
    DemoAccount("admin", "系统管理员", Role.ADMIN),
)


class DemoRefused(RuntimeError):
    pass


async def needs_demo_data() -> bool:
    """First start (no account yet), or a library still empty from before it had demo data."""
    models = (
        User,
        Regulation,
        Suggestion,
        BudgetLine,
        Opinion,
        LivelihoodProject,
        WorkEvaluation,
        DirectFundAllocation,
    )
    return any([await model.find_one({}) is None for model in models])


async def load_demo(settings: Settings) -> list[DemoAccount]:
    """Create the demo accounts that are missing, and the library when it is empty; returns
    the accounts created."""
    if settings.is_production:
        raise DemoRefused("生产环境（JIANDU_ENV=production）不加载演示账号")
    created = await _accounts()
    if await Regulation.find_one({}) is None:
        await load_library()
    if await Suggestion.find_one({}) is None:
        await load_suggestions(settings)
    if await BudgetLine.find_one({}) is None:
        await load_budget(settings)
    if await Opinion.find_one({}) is None:
        await load_supervision(settings)
    if await LivelihoodProject.find_one({}) is None:
        await load_livelihood(settings)
    if await WorkEvaluation.find_one({}) is None:
        await load_work_evaluations(settings)
    if await DirectFundAllocation.find_one({}) is None:
        await load_direct_funds(settings)
    return created


async def load_library() -> None:
    """Import the demo library, then the demo deputy's folders and excerpts."""
    results = await import_paths([LIBRARY], ImportDefaults())
    failed = [r for r in results if r.outcome is Outcome.FAILED]
    if failed:
        raise DemoRefused(f"the demo library did not import: {failed}")
    deputy = await User.find_one({"username": "deputy"})
    if deputy is None:
        return
    viewer = Viewer(role=Role.DEPUTY, user_id=deputy.id)
    for name, titles in DEMO_FOLDERS.items():
        folder = await library.create_folder(name=name, viewer=viewer)
        for title in titles:
            latest = await Regulation.find({"title": title}).sort("-promulgated_on").first_or_none()
            if latest is not None:
                folder = await library.add_favorite(folder=folder, regulation=latest)
    for title, number, quote, note in DEMO_EXCERPTS:
        latest = await Regulation.find({"title": title}).sort("-promulgated_on").first_or_none()
        if latest is not None:
            await library.add_excerpt(
                regulation=latest,
                article_number=number,
                quote=quote,
                start=None,
                note=note,
                viewer=viewer,
            )


DEMO_FOLDERS = {
    "预算审查常用": [
        "中华人民共和国预算法",
        "澜川省预算审查监督条例",
        "青岚县人大常委会预算联网监督工作规程",
    ],
    "代表建议办理": [
        "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法",
        "澜川省人民代表大会代表建议、批评和意见办理条例",
        "青岚县人民代表大会常务委员会关于代表建议办理工作的规定",
    ],
}

DEMO_EXCERPTS = [
    (
        "中华人民共和国预算法",
        67,
        "举借债务的数额要增加",
        "县里今年新增专项债券，核实是否走了预算调整程序。",
    ),
    (
        "澜川省人民代表大会代表建议、批评和意见办理条例",
        12,
        "自交办之日起三个月内办理完毕并书面答复代表",
        "我提的农村公路建议已超过三个月，需催办。",
    ),
]


async def _accounts() -> list[DemoAccount]:
    created = []
    for account in DEMO_ACCOUNTS:
        if await User.find_one({"username": account.username}) is not None:
            continue
        await create_user(
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            password=DEMO_PASSWORD,
            enforce_policy=False,
        )
        created.append(account)
    return created
