"""The demo county's direct funds published down to the village (直达资金信息公开) and its
townships' public pages (乡镇公开), last year and this year, and the public's consultations
and complaints about them in every state. Policies, standards and figures are written for
this project; the county is fictional."""

import random
from typing import Any

from api.access import Role, Viewer
from api.models.budget import FileKind
from api.models.budget import TownshipModule as M
from api.models.complaints import ComplaintKind
from api.models.complaints import ComplaintState as C
from api.services import complaints
from api.services.budget_import import import_budget_file
from api.services.complaints import ComplaintStep as S
from api.services.complaints import Submission
from api.services.sheets import SheetLimits
from api.settings import Settings
from seed.budget import csv_file, regions

FINANCE = Viewer(role=Role.FINANCE, name="县财政局国库股")
STAFF = Viewer(role=Role.STAFF, name="陈思远（预算工委）")
TOWNSHIPS = {
    "QL-SM": ("石门", "上塘", "下湾", "枫林", "松岗"),
    "QL-QX": ("青溪", "柳溪", "杏坪", "梅岭"),
    "QL-TY": ("桃源", "竹园", "荷塘", "桂花", "茶山"),
    "QL-LT": ("龙潭", "石桥", "水口"),
    "QL-YL": ("云岭", "高坪", "岩门", "大坳"),
    "QL-BS": ("白沙", "沙洲", "渡口"),
}
"""Each township's seat (a 社区) and its villages."""
POLICIES = (
    # code, policy, topic, standard, 元 per household (or per head), share paid
    ("ZD-NY-01", "耕地地力保护补贴", "农业农村", "每亩 120 元", 960, 1.0),
    ("ZD-NY-02", "农机购置与应用补贴", "农业农村", "按机具类别定额补贴", 4200, 0.7),
    ("ZD-SB-01", "城乡居民最低生活保障", "社会保障", "每人每月 560 元", 6720, 0.83),
    ("ZD-SB-02", "特困人员救助供养", "社会保障", "每人每月 780 元", 9360, 0.75),
    ("ZD-JY-01", "义务教育学生营养改善计划", "教育", "每生每天 5 元", 1000, 0.9),
    ("ZD-JY-02", "学前教育幼儿资助", "教育", "每生每年 1000 元", 1000, 0.6),
    ("ZD-YL-01", "基本公共卫生服务补助", "医疗卫生", "每人每年 94 元", 94, 0.55),
    ("ZD-ZF-01", "农村危房改造补助", "住房保障", "每户 2.5 万元", 25000, 0.4),
)


def _rows(year: int, rng: random.Random, progress: float) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for code, policy, topic, standard, each, share in POLICIES:
        for region, (seat, *villages) in TOWNSHIPS.items():
            for village in [f"{seat}社区", *(f"{v}村" for v in villages)]:
                households = rng.randint(8, 160)
                allocated = households * each * rng.uniform(0.9, 1.1)
                paid = allocated * min(1.0, share * progress * rng.uniform(0.85, 1.15))
                rows.append({
                    "year": year, "code": code, "policy": policy, "topic": topic,
                    "standard": standard, "region": region, "village": village,
                    "allocated": f"{allocated:.2f}", "paid": f"{paid:.2f}",
                    "households": households, "persons": households * rng.randint(2, 4),
                })  # fmt: skip
        held = round(each * 40 * rng.uniform(0.8, 1.2), 2)  # kept at the county for late claims
        rows.append({"year": year, "code": code, "policy": policy, "topic": topic,
                     "standard": standard, "region": "QL", "village": "", "allocated": f"{held}",
                     "paid": "0", "households": 0, "persons": 0})  # fmt: skip
    return rows


SPECIAL_FUNDS = ("农村人居环境整治", "高标准农田建设", "乡村振兴衔接资金")
STATE_ASSETS = (("办公用房", "平方米", 1_800, 6_500), ("公务用车", "辆", 2, 6),
                ("集体土地（出租）", "亩", 40, 900))  # fmt: skip
"""What a township holds, its unit, and the range of a township's holding."""


def _township_rows(year: int, rng: random.Random) -> list[dict[str, Any]]:
    """Each township's public page: its overview, special funds, state assets and each
    village's collective business income (村级集体经济经营性收入)."""
    rows: list[dict[str, Any]] = []

    def add(region: str, module: M, item: str, value: object, unit: str, village: str = "",
            note: str = "") -> None:  # fmt: skip
        rows.append({"year": year, "region": region, "module": module, "village": village,
                     "item": item, "value": value, "unit": unit, "note": note})  # fmt: skip

    for region, (_, *villages) in TOWNSHIPS.items():
        people = rng.randint(9_000, 32_000)
        add(region, M.OVERVIEW, "户籍人口", people, "人")
        add(region, M.OVERVIEW, "常住人口", int(people * rng.uniform(0.7, 0.9)), "人")
        add(region, M.OVERVIEW, "行政村（社区）", len(villages) + 1, "个")
        add(region, M.OVERVIEW, "耕地面积", f"{rng.uniform(8_000, 30_000):.1f}", "亩")
        for fund in SPECIAL_FUNDS:
            add(region, M.SPECIAL_FUNDS, fund, f"{rng.randint(300, 3_000) * 1000}", "元",
                note="县级下达")  # fmt: skip
        for asset, unit, low, high in STATE_ASSETS:
            add(region, M.STATE_ASSETS, asset, rng.randint(low, high), unit)
        for village in villages:
            add(region, M.COLLECTIVE_INCOME, "村集体经营性收入",
                f"{rng.uniform(50_000, 600_000):.2f}", "元", village=f"{village}村",
                note=rng.choice(("茶园租赁", "光伏发电", "厂房出租", "农产品加工")))  # fmt: skip
    return rows


COMPLAINTS = (
    # kind, text, region, village, policy, how far it has come, the published summary, and
    # the answer (or the reason it was not taken up)
    (ComplaintKind.COMPLAINT, "我村低保金这两个月都没到账，去镇上问也没有答复。", "QL-SM",
     "上塘村", "城乡居民最低生活保障", C.ANSWERED, "上塘村低保金两个月未到账",
     "经核实，系代发银行批量数据退回所致，已补发到户，今后按月 10 日前发放。"),
    (ComplaintKind.CONSULTATION, "耕地地力保护补贴是按承包面积还是实际种植面积算？", "QL-QX",
     "", "耕地地力保护补贴", C.ANSWERED, "耕地地力保护补贴按什么面积计算",
     "按承包耕地中实际用于农业生产的面积计算，撂荒地和已改变用途的土地不予补贴。"),
    (ComplaintKind.COMPLAINT, "危房改造补助公示名单里有人家里已经盖了新楼房。", "QL-TY",
     "荷塘村", "农村危房改造补助", C.HANDLING, "", ""),
    (ComplaintKind.CONSULTATION, "学前教育幼儿资助怎么申请？在哪里交材料？", "QL-YL", "高坪村",
     "学前教育幼儿资助", C.RECEIVED, "", ""),
    (ComplaintKind.COMPLAINT, "小区门口的路灯坏了很久没人修。", "QL", "", "", C.DISMISSED, "",
     "不属于直达资金事项，已转县城市管理局处理，可拨打 12345 查询进度。"),
)  # fmt: skip


async def load_direct_funds(settings: Settings) -> None:
    """Both years' allocations, imported as finance pushes them, then the complaints."""
    rng = random.Random(2026)
    limits = SheetLimits.of(settings)
    today = settings.today()
    files = [(FileKind.REGIONS, regions(), "地区.csv")]  # the townships the funds go to
    for year, progress in ((today.year - 1, 1.0), (today.year, today.month / 12)):
        files.append(
            (FileKind.DIRECT_FUNDS, _rows(year, rng, progress), f"{year}年直达资金到村.csv")
        )
        files.append(
            (FileKind.TOWNSHIP_FIGURES, _township_rows(year, rng), f"{year}年乡镇公开.csv")
        )
    for file_kind, rows, name in files:
        await import_budget_file(
            csv_file(file_kind, rows), name=name, viewer=FINANCE, kind=file_kind, limits=limits,
            as_of=settings.budget_day(),
        )  # fmt: skip
    for kind, text, region, village, policy, reached, summary, said in COMPLAINTS:
        complaint, _ = await complaints.submit(
            Submission(kind=kind, text=text, region=region, village=village, policy=policy),
            address=f"demo-{region}-{village}", settings=settings,
        )  # fmt: skip
        steps = {C.HANDLING: [S.ACCEPT], C.ANSWERED: [S.ACCEPT, S.ANSWER],
                 C.DISMISSED: [S.DISMISS]}.get(reached, [])  # fmt: skip
        given = complaints.StepInput(summary=summary, answer=said, reason=said)
        for step in steps:
            complaint = await complaints.take_step(complaint, step=step, viewer=STAFF, given=given)
