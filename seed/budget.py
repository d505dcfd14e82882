"""The demo budget of the fictional 青岚县 and two of its towns, for last year and this one:
the four books, about 40 departments (the handling units among them, so the demo handler sees
their own figures), about 500 lines a year with monthly execution up to last month, 60 key
projects of every fund nature, debt, special and direct funds; and links from the demo
suggestions to the money behind them.

Everything goes in as the files finance would push, through the same import as theirs.
Generated from a fixed seed; every figure is invented.
"""

import io
import random
from typing import Any

from api.access import Role, Viewer
from api.models.budget import Book, FileKind, FundKind, FundNature, LinkKind, ProjectStatus
from api.models.people import Unit
from api.models.suggestions import Suggestion
from api.services import budget_links
from api.services.budget_figures import yuan
from api.services.budget_files import LAYOUTS
from api.services.budget_import import import_budget_file
from api.services.sheets import SheetLimits, write_csv
from api.settings import Settings
from seed.suggestions import UNITS

FINANCE = Viewer(role=Role.FINANCE, name="青岚县财政局")
STAFF = Viewer(role=Role.STAFF, name="预算工委")

REGIONS = [("QL", "青岚县", "县级", ""), ("QL-SM", "石门镇", "乡镇", "QL"),
           ("QL-QX", "青溪镇", "乡镇", "QL"), ("QL-TY", "桃源镇", "乡镇", "QL"),
           ("QL-LT", "龙潭镇", "乡镇", "QL"), ("QL-YL", "云岭乡", "乡镇", "QL"),
           ("QL-BS", "白沙乡", "乡镇", "QL")]  # fmt: skip

TOPICAL: dict[str, tuple[str, ...]] = {
    "发展和改革局": ("2010101",), "教育局": ("2050101", "2050201", "2050202", "2050203",
    "2050204", "2050302"), "科学技术局": ("206",), "公安局": ("2040201",),
    "民政局": ("2080201", "2081001", "2081002", "2081006", "2081901", "2081902", "2082001",
    "2082102", "2081107"), "司法局": ("204",), "财政局": ("2010601", "227"),
    "人力资源和社会保障局": ("2080101", "20807"), "自然资源局": ("220",),
    "生态环境局": ("2110301", "2110302", "2110402"), "住房和城乡建设局": ("2120303",
    "2120399", "2210103", "2210105", "2210108"), "交通运输局": ("2140101", "2140104", "2140106",
    "2140601"), "水利局": ("2130301", "2130314", "2130316", "2130335"),
    "农业农村局": ("2130101", "2130504", "2130701"), "商务局": ("216",),
    "文化广电旅游局": ("2070101", "2070109", "20703"), "卫生健康局": ("2100101", "2100408",
    "2100409", "2101202"), "应急管理局": ("2240101",), "市场监督管理局": ("2010101",),
    "医疗保障局": ("2101202",), "城市管理局": ("2120501", "2120101"),
    "乡村振兴局": ("2130504", "2130701"),
}  # fmt: skip
"""Each handling unit's own classification codes (besides what every department has)."""
OTHERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("县人大常委会办公室", "", "QL", ("2010101", "2010104", "2010108")),
    ("县政府办公室", "", "QL", ("2010301",)),
    ("县纪委监委", "", "QL", ("2011101",)),
    ("县审计局", "", "QL", ("201",)),
    ("县林业局", "", "QL", ("213",)),
    ("县公路事业发展中心", "交通运输局", "QL", ("2140106",)),
    ("县第一中学", "教育局", "QL", ("2050204",)),
    ("县实验小学", "教育局", "QL", ("2050202",)),
    ("县人民医院", "卫生健康局", "QL", ("2100201",)),
    ("县中医院", "卫生健康局", "QL", ("2100202",)),
    ("县社会福利院", "民政局", "QL", ("2081002", "2081006")),
    ("县水利工程管理站", "水利局", "QL", ("2130314",)),
    ("县疾病预防控制中心", "卫生健康局", "QL", ("2100409",)),
    ("县城乡居民社会保险中心", "人力资源和社会保障局", "QL", ("209",)),
    ("县国有资产投资公司", "财政局", "QL", ("223",)),
    ("石门镇人民政府", "", "QL-SM", ("2010301", "2130701", "2120303")),
    ("青溪镇人民政府", "", "QL-QX", ("2010301", "2130701", "2120303")),
    ("石门镇卫生院", "卫生健康局", "QL-SM", ("2100302",)),
)
EVERY_DEPARTMENT = ("2080505", "2080506", "2101101", "2101102", "2101103", "2210201",
                    "2210202", "2210203")  # fmt: skip
"""Pension, annuity and medical contributions and housing: every department has them."""
REVENUE = (("10101", 240000, 288000), ("10104", 64000, 80000), ("10106", 20000, 24000),
           ("10109", 24000, 28000), ("10110", 16000, 20800), ("10112", 12000, 16000),
           ("10113", 20000, 24000), ("10118", 32000, 40000), ("10302", 72000, 88000),
           ("10304", 48000, 56000), ("10305", 28000, 36000), ("10306", 96000, 120000))  # fmt: skip
"""Revenue codes, tax (101…) and non-tax (103…), and their range as ``_Budget.amount`` takes
it (hundreds of 元)."""
FUNDED_BY_LAND = ("2120303", "2120801", "2120399", "2210103")
"""Codes whose money partly comes from the government fund book (land revenue)."""

PROJECT_KINDS = (
    ("交通", "交通运输局", "2140104", ("{town}至{village}农村公路改建", "县道{n}线路面改造工程")),
    ("教育", "教育局", "2050202", ("{town}中心小学教学楼改扩建", "城南第{n}幼儿园新建工程")),
    ("卫生", "卫生健康局", "2100302", ("{town}卫生院综合楼建设", "县人民医院第{n}住院楼")),
    ("养老", "民政局", "2081006", ("{town}农村互助养老服务站", "县养老服务中心第{n}期改造")),
    ("水利", "水利局", "2130316", ("{village}小型水库除险加固", "青溪河第{n}段堤防整治")),
    ("城建", "住房和城乡建设局", "2210108", ("{town}老旧小区改造", "城区第{n}片区排水管网改造")),
    ("生态", "生态环境局", "2110302", ("{town}污水收集管网", "青溪河第{n}段水环境治理")),
    ("农业", "农业农村局", "2130504", ("{town}高标准农田建设", "茶叶加工园区第{n}期")),
)  # fmt: skip
TOWNS = ("石门镇", "青溪镇", "桃源镇", "龙潭镇", "云岭乡", "白沙乡")
VILLAGES = ("云岭村", "下坝村", "枫林村", "三岔村", "柳湾村", "松坪村")
TOPIC_CODES = {"交通运输": "21401", "教育": "20502", "卫生健康": "21004", "养老服务": "20810",
               "生态环境": "21103", "水利": "21303", "农业农村": "21305",
               "城乡建设": "22101", "就业创业": "20807"}  # fmt: skip


def regions() -> list[dict[str, Any]]:
    """The county and its townships, as a REGIONS file's rows."""
    return [dict(zip(("code", "name", "level", "parent_code"), r, strict=True)) for r in REGIONS]


def csv_file(kind: FileKind, rows: list[dict[str, Any]]) -> io.BytesIO:
    """A file in the layout of ``kind``, written from rows by field name."""
    buffer = io.StringIO()
    columns = LAYOUTS[kind]
    write_csv(buffer, [[c.header for c in columns], *([row.get(c.field, "") for c in columns]
                                                      for row in rows)])  # fmt: skip
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


class _Budget:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.departments: list[dict[str, Any]] = []
        self.codes: dict[str, tuple[str, ...]] = {}
        self.by_unit: dict[str, str] = {}

    def amount(self, low: int, high: int) -> int:
        """分, a round-ish number of 元 with some cents."""
        return self.rng.randrange(low, high) * 10_000 + self.rng.randrange(0, 100)

    def plan(self, units: dict[str, Unit]) -> None:
        for i, name in enumerate(UNITS, start=1):
            code = f"{100 + i}"
            self.by_unit[name] = code
            self.departments.append({
                "code": code, "name": f"青岚县{name}", "region": "QL", "parent_code": "",
                "unit_id": f"青岚县{name}" if f"青岚县{name}" in units else "",
                "published": "否" if name in ("公安局", "司法局") else "是",
            })  # fmt: skip
            self.codes[code] = (*TOPICAL[name], *EVERY_DEPARTMENT, "2010102")
        for i, (name, parent, region, codes) in enumerate(OTHERS, start=1):
            code = f"{300 + i}"
            self.departments.append({
                "code": code, "name": name, "region": region,
                "parent_code": self.by_unit.get(parent, ""), "unit_id": "",
                "published": "是" if i % 3 else "否",
            })  # fmt: skip
            self.codes[code] = (*codes, *EVERY_DEPARTMENT)

    def lines(self, year: int, growth: float) -> list[dict[str, Any]]:
        rows = []
        for department, codes in self.codes.items():
            for code in codes:
                three = code == "2010102"
                initial = self.amount(2, 30) if three else int(self.amount(30, 5000) * growth)
                adjusted = initial + (self.amount(0, 400) if self.rng.random() < 0.3 else 0)
                if code in ("209",):
                    book = Book.SOCIAL_INSURANCE
                elif code in ("223",):
                    book = Book.STATE_CAPITAL
                else:
                    book = Book.GENERAL_PUBLIC
                rows.append(self._line(year, book, department, code, initial, adjusted, three))
                if code in FUNDED_BY_LAND:
                    land = self.amount(200, 3000)
                    rows.append(self._line(year, Book.GOVERNMENT_FUND, department, code, land,
                                           land, False))  # fmt: skip
        return rows + self.revenue(year, growth)

    def revenue(self, year: int, growth: float) -> list[dict[str, Any]]:
        """The county's general public budget revenue, booked by the finance bureau: taxes
        (101) and a non-tax share (103) of about a third, above the usual 30% line."""
        rows = []
        for code, low, high in REVENUE:
            amount = int(self.amount(low, high) * growth)
            row = self._line(year, Book.GENERAL_PUBLIC, self.by_unit["财政局"], code, amount,
                             amount, False)  # fmt: skip
            rows.append({**row, "direction": "收入"})
        return rows

    def _line(self, year: int, book: Book, department: str, code: str, initial: int,
              adjusted: int, three: bool) -> dict[str, Any]:  # fmt: skip
        return {"year": year, "book": book.label, "department": department,
                "classification": code, "direction": "支出", "initial": yuan(initial),
                "adjusted": yuan(adjusted), "adjusted_fen": adjusted,
                "three_public": "是" if three else "否"}  # fmt: skip

    def execution(self, lines: list[dict[str, Any]], months: int) -> list[dict[str, Any]]:
        """Cumulative execution per month: most departments near time progress, some lagging
        (slow projects), a few ahead."""
        rows = []
        pace = {d["code"]: self.rng.choice((0.55, 0.8, 0.95, 1.0, 1.0, 1.05)) for d in
                self.departments}  # fmt: skip
        for line in lines:
            spent = 0
            for month in range(1, months + 1):
                target = line["adjusted_fen"] * min(1.0, pace[line["department"]] * month / 12)
                spent = max(spent, int(target * self.rng.uniform(0.9, 1.0)))
                rows.append({**line, "month": month, "executed": yuan(spent)})
        return rows

    def projects(self, year: int, months: int) -> list[dict[str, Any]]:
        rows = []
        natures = list(FundNature)
        for n in range(60):
            kind, unit, code, names = PROJECT_KINDS[n % len(PROJECT_KINDS)]
            name = self.rng.choice(names).format(
                town=TOWNS[n % len(TOWNS)], village=VILLAGES[n % len(VILLAGES)], n=n // 8 + 1
            )
            total = self.amount(300, 30000)
            planned = total // self.rng.choice((1, 2, 3))
            done = 1.0 if n % 9 == 0 else min(1.0, months / 12 * self.rng.uniform(0.3, 1.1))
            status = (ProjectStatus.COMPLETED if done >= 1.0 else ProjectStatus.PLANNED
                      if done < 0.1 else ProjectStatus.SUSPENDED if n % 17 == 0
                      else ProjectStatus.IN_PROGRESS)  # fmt: skip
            rows.append({
                "year": year, "code": f"QL-XM-{n + 1:03d}", "name": name, "type": kind,
                "department": self.by_unit[unit], "classification": code,
                "fund_nature": natures[n % len(natures)].label, "total": yuan(total),
                "planned": yuan(planned), "paid": yuan(int(planned * done)),
                "status": status.label,
            })  # fmt: skip
        return rows

    def debt(self, year: int, growth: float) -> list[dict[str, Any]]:
        rows = []
        for region, scale, published in (("QL", 1000, "是"), ("QL-SM", 40, "否"),
                                         ("QL-QX", 30, "否")):  # fmt: skip
            balance = int(self.amount(scale * 40, scale * 45) * growth)
            rows.append({
                "year": year, "region": region, "balance": yuan(balance),
                "limit": yuan(int(balance * 1.12)), "capacity": yuan(int(balance / 1.3)),
                "gdp": yuan(balance * 7), "maturing": yuan(balance // 9),
                "bonds_issued": yuan(balance // 6),
                "bond_use": "农村公路、保障性安居工程、水利设施" if region == "QL" else "",
                "published": published,
            })  # fmt: skip
        return rows

    def funds(self, year: int) -> list[dict[str, Any]]:
        rows = []
        for n, (name, unit, kind) in enumerate((
            ("困难群众救助补助资金", "民政局", FundKind.DIRECT),
            ("义务教育薄弱环节改善资金", "教育局", FundKind.DIRECT),
            ("基本公共卫生服务补助资金", "卫生健康局", FundKind.DIRECT),
            ("农村公路养护专项资金", "交通运输局", FundKind.SPECIAL),
            ("水利发展专项资金", "水利局", FundKind.SPECIAL),
            ("衔接推进乡村振兴补助资金", "乡村振兴局", FundKind.SPECIAL),
        )):  # fmt: skip
            allocated = self.amount(500, 5000)
            rows.append({
                "year": year, "code": f"QL-ZJ-{n + 1:02d}", "name": name, "kind": kind.label,
                "department": self.by_unit[unit], "allocated": yuan(allocated),
                "disbursed": yuan(int(allocated * self.rng.uniform(0.4, 1.0))),
                "beneficiaries": "全县城乡居民" if kind is FundKind.DIRECT else "",
            })  # fmt: skip
        return rows


async def load_budget(settings: Settings) -> None:
    """Import the demo budget and link the demo suggestions to it."""
    rng = random.Random(2025)
    plan = _Budget(rng)
    limits = SheetLimits.of(settings)

    async def push(kind: FileKind, rows: list[dict[str, Any]], name: str) -> None:
        await import_budget_file(csv_file(kind, rows), name=name, viewer=FINANCE, kind=kind,
                                 limits=limits, as_of=settings.budget_day())  # fmt: skip

    units = {u.name: u for u in await Unit.find_all().to_list()}
    plan.plan(units)
    await push(FileKind.REGIONS, regions(), "地区.csv")
    await push(FileKind.DEPARTMENTS, plan.departments, "预算部门.csv")
    this_year = settings.today().year
    for year, months, growth in ((this_year - 1, 12, 1.0), (this_year, settings.today().month - 1,
                                                             1.06)):  # fmt: skip
        lines = plan.lines(year, growth)
        await push(FileKind.LINES, lines, f"{year}年预算指标.csv")
        if months:
            await push(FileKind.EXECUTION, plan.execution(lines, months), f"{year}年执行.csv")
        await push(FileKind.PROJECTS, plan.projects(year, months or 1), f"{year}年重点项目.csv")
        await push(FileKind.DEBT, plan.debt(year, growth), f"{year}年政府债务.csv")
        await push(FileKind.FUNDS, plan.funds(year), f"{year}年专项和直达资金.csv")
    await _link_suggestions(plan, rng)


async def _link_suggestions(plan: _Budget, rng: random.Random) -> None:
    """Most registered suggestions get their lead unit's department and their topic's code;
    some a key project of that department too."""
    units = {u.id: u.name.removeprefix("青岚县") for u in await Unit.find_all().to_list()}
    async for suggestion in Suggestion.find(Suggestion.lead_unit_id != None):  # noqa: E711
        if rng.random() < 0.2:
            continue
        department = plan.by_unit.get(units.get(suggestion.lead_unit_id, ""))  # type: ignore[arg-type]
        drafts = []
        if department:
            drafts.append(budget_links.LinkDraft(LinkKind.DEPARTMENT, department=department,
                                                 note="主办单位的部门预算"))  # fmt: skip
        if suggestion.category in TOPIC_CODES:
            drafts.append(budget_links.LinkDraft(
                LinkKind.CLASSIFICATION, classification=TOPIC_CODES[suggestion.category],
                note="与建议主题对应的支出科目"))  # fmt: skip
        if department and rng.random() < 0.3:
            projects = [n for n in range(60) if plan.by_unit[PROJECT_KINDS[n % 8][1]] == department]
            if projects:
                drafts.append(budget_links.LinkDraft(
                    LinkKind.PROJECT, project=f"QL-XM-{rng.choice(projects) + 1:03d}",
                    note="建议涉及的重点项目"))  # fmt: skip
        for draft in drafts:
            suggestion = await budget_links.link(record=suggestion, draft=draft, viewer=STAFF)
