"""Budget figures (DOMAIN.md "Budget figures"): the reference lists they are written against
(regions, departments, the functional classification) and the figures finance pushes
(budget lines, monthly execution, key projects, debt, special and direct funds).

Money is integer 分 everywhere it is stored; nothing here is ever a float.

Figures are stored per import ("load"): every row carries the ``load`` it came in with, and
``BudgetYear.loads`` names, for each period of a year, the load that is current. An import
writes its rows beside the current ones and then switches the period over in one write,
so a file is current whole or not at all, and readers never see half of one.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import pymongo
from beanie import Document, Indexed, PydanticObjectId
from pydantic import BaseModel, Field

from api.access import Viewer
from api.labels import LabeledEnum
from api.models.regulations import Level
from api.models.users import utcnow


class Book(LabeledEnum):
    """The four budget books (四本预算)."""

    GENERAL_PUBLIC = "GENERAL_PUBLIC", "一般公共预算"
    GOVERNMENT_FUND = "GOVERNMENT_FUND", "政府性基金预算"
    STATE_CAPITAL = "STATE_CAPITAL", "国有资本经营预算"
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE", "社会保险基金预算"


class Direction(LabeledEnum):
    REVENUE = "REVENUE", "收入"
    EXPENDITURE = "EXPENDITURE", "支出"


class FundNature(LabeledEnum):
    """Where a key project's money comes from (资金性质)."""

    GENERAL_BUDGET = "GENERAL_BUDGET", "一般公共预算资金"
    GOVERNMENT_FUND = "GOVERNMENT_FUND", "政府性基金"
    GENERAL_BOND = "GENERAL_BOND", "一般债券"
    SPECIAL_BOND = "SPECIAL_BOND", "专项债券"
    TRANSFER = "TRANSFER", "上级转移支付"
    DIRECT = "DIRECT", "直达资金"
    PPP_OTHER = "PPP_OTHER", "PPP/其他"


class ProjectStatus(LabeledEnum):
    PLANNED = "PLANNED", "未开工"
    IN_PROGRESS = "IN_PROGRESS", "在建"
    COMPLETED = "COMPLETED", "已完工"
    SUSPENDED = "SUSPENDED", "停缓建"


class FundKind(LabeledEnum):
    SPECIAL = "SPECIAL", "专项资金"
    DIRECT = "DIRECT", "直达资金"


class FileKind(LabeledEnum):
    """What a budget file holds (each has its documented layout)."""

    REGIONS = "REGIONS", "地区"
    DEPARTMENTS = "DEPARTMENTS", "预算部门"
    CLASSIFICATIONS = "CLASSIFICATIONS", "支出功能分类科目"
    LINES = "LINES", "预算指标"
    EXECUTION = "EXECUTION", "预算执行"
    PROJECTS = "PROJECTS", "重点项目"
    DEBT = "DEBT", "政府债务"
    FUNDS = "FUNDS", "专项资金和直达资金"
    DIRECT_FUNDS = "DIRECT_FUNDS", "直达资金分配到乡村（公开）"
    TOWNSHIP_FIGURES = "TOWNSHIP_FIGURES", "乡镇公开数据"


class ClassLevel(LabeledEnum):
    CATEGORY = "CATEGORY", "类"
    SECTION = "SECTION", "款"
    ITEM = "ITEM", "项"


def class_level(code: str) -> ClassLevel:
    """类 for 3 digits, 款 for 5, 项 for 7."""
    return {3: ClassLevel.CATEGORY, 5: ClassLevel.SECTION}.get(len(code), ClassLevel.ITEM)


def class_path(code: str) -> list[str]:
    """``2080101`` → ``["208", "20801", "2080101"]``: the code and the codes above it."""
    return [code[:n] for n in (3, 5, 7) if n <= len(code)]


class ReadByEveryone:
    """Reference lists are public record: every role reads them."""

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return {}


# --- reference lists: upserted by code, never deleted by an import -------------------------


class Region(ReadByEveryone, Document):
    """The county and its townships."""

    code: Annotated[str, Indexed(unique=True)]
    name: str
    level: Level
    parent_code: str = ""
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "regions"


class Department(ReadByEveryone, Document):
    """A budget department or unit (部门/预算单位), under its parent if it has one. A department
    that handles suggestions names its ``Unit``: that unit's handlers see its figures."""

    code: Annotated[str, Indexed(unique=True)]
    name: str
    parent_code: str = ""
    region: str
    """The region's code."""
    unit_id: Annotated[PydanticObjectId | None, Indexed()] = None
    published: bool = False
    """公开: its budget and execution are published, so the public may read them."""
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "budget_departments"


class Classification(ReadByEveryone, Document):
    """One code of the functional classification of expenditure (支出功能分类科目): 3 digits
    for a 类, 5 for a 款, 7 for a 项."""

    code: Annotated[str, Indexed(unique=True)]
    name: str
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "classifications"


# --- imports and which of them is current ---------------------------------------------------


class LoadState(LabeledEnum):
    LOADING = "LOADING", "导入中"
    CURRENT = "CURRENT", "现行"
    REPLACED = "REPLACED", "已被替换"
    FAILED = "FAILED", "失败"


class BudgetImport(Document):
    """The record of one imported file: who, when, what, and whether it is still current."""

    kind: FileKind
    year: int | None = None
    """The fiscal year of a figures file (reference lists have none)."""
    periods: list[str] = Field(default_factory=list)
    """What it replaced, e.g. ``EXECUTION-06`` for June's execution."""
    file_name: str
    checksum: str
    """sha256 of the file's bytes."""
    rows: int = 0
    warnings: list[dict[str, Any]] = Field(default_factory=list)
    """Rows accepted with a warning (e.g. executed above the adjusted amount)."""
    imported_by: str
    user_id: PydanticObjectId | None = None
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    state: LoadState = LoadState.LOADING

    class Settings:
        name = "budget_imports"
        indexes = [
            pymongo.IndexModel([("started_at", pymongo.DESCENDING)]),
            pymongo.IndexModel([("state", 1), ("started_at", 1)]),
            pymongo.IndexModel([("kind", 1), ("checksum", 1)]),
        ]


class BudgetYear(Document):
    """A fiscal year's current loads: ``loads["LINES"]``, ``loads["EXECUTION-06"]`` …"""

    year: Annotated[int, Indexed(unique=True)]
    loads: dict[str, PydanticObjectId] = Field(default_factory=dict)
    revision: int = 0
    rolled_up: bool = False
    """Every current load of the year has its roll-ups (``BudgetRollup``): true for a year
    first imported by a jiandu that builds them, and after ``jiandu rollups rebuild``; until
    then the year's figures are summed from the rows."""

    class Settings:
        name = "budget_years"

    @property
    def months(self) -> list[int]:
        """The months that have execution figures."""
        return sorted(int(k.removeprefix("EXECUTION-")) for k in self.loads if "-" in k)


def period_key(kind: FileKind, month: int | None = None) -> str:
    return f"{kind.value}-{month:02d}" if month else kind.value


# --- figures: rows of a load ------------------------------------------------------------------


THREE_PUBLIC = pymongo.IndexModel(
    [("load", 1), ("three_public", 1), ("department", 1)],
    partialFilterExpression={"three_public": True},
)
"""The few "三公" rows of a load: the roll-ups do not split them out, so they are read here."""


class BudgetRow(BaseModel):
    """What every figures row has. Who may read a row follows its department (see
    ``Department.published`` and ``Department.unit_id``)."""

    load: PydanticObjectId
    year: int


class BudgetLine(BudgetRow, Document):
    """One budget line (预算指标): a department's amount for one classification code in one
    book, revenue or expenditure."""

    region: str
    book: Book
    department: str
    classification: str
    class_path: list[str]
    direction: Direction
    initial: int
    """年初预算数, 分."""
    adjusted: int
    """调整预算数, 分."""
    three_public: bool = False
    """A "三公" expense (因公出国(境)、公务用车购置及运行、公务接待)."""

    class Settings:
        name = "budget_lines"
        indexes = [
            pymongo.IndexModel(
                [
                    ("load", 1),
                    ("book", 1),
                    ("direction", 1),
                    ("department", 1),
                    ("classification", 1),
                ],
                unique=True,
            ),
            pymongo.IndexModel([("load", 1), ("department", 1)]),
            pymongo.IndexModel([("load", 1), ("class_path", 1)]),
            THREE_PUBLIC,
        ]


class Execution(BudgetRow, Document):
    """A budget line's cumulative execution (执行数) at the end of a month."""

    month: int
    region: str
    book: Book
    department: str
    classification: str
    class_path: list[str]
    direction: Direction
    executed: int
    """Cumulative from January, 分."""
    three_public: bool = False
    """The line's flag, kept in step by every import of lines."""

    class Settings:
        name = "budget_execution"
        indexes = [
            pymongo.IndexModel(
                [
                    ("load", 1),
                    ("month", 1),
                    ("book", 1),
                    ("direction", 1),
                    ("department", 1),
                    ("classification", 1),
                ],
                unique=True,
            ),
            pymongo.IndexModel([("load", 1), ("department", 1), ("month", 1)]),
            pymongo.IndexModel([("load", 1), ("class_path", 1), ("month", 1)]),
            THREE_PUBLIC,
        ]


class KeyProject(BudgetRow, Document):
    """A key project (重点项目) as it stands in one fiscal year."""

    code: str
    name: str
    type: str
    """e.g. 交通, 教育, 水利."""
    region: str
    department: str
    classification: str = ""
    fund_nature: FundNature
    total: int
    """Total investment over all years, 分."""
    planned: int
    """This year's amount, 分."""
    paid: int
    """Paid to date this year, 分."""
    status: ProjectStatus

    class Settings:
        name = "key_projects"
        indexes = [
            pymongo.IndexModel([("load", 1), ("code", 1)], unique=True),
            pymongo.IndexModel([("load", 1), ("department", 1), ("total", -1)]),
            pymongo.IndexModel([("load", 1), ("fund_nature", 1), ("total", -1)]),
            pymongo.IndexModel([("load", 1), ("total", -1), ("_id", -1)]),
            pymongo.IndexModel([("load", 1), ("planned", -1), ("_id", -1)]),
        ]


class DebtFigure(BudgetRow, Document):
    """A region's government debt (政府债务) in one year."""

    region: str
    balance: int
    """债务余额, 分."""
    limit: int
    """债务限额, 分."""
    capacity: int
    """综合财力, 分: 债务率 = balance / capacity."""
    gdp: int
    """地区生产总值, 分: 负债率 = balance / gdp."""
    maturing: int
    """Due this year (当年到期), 分."""
    bonds_issued: int
    """New bonds this year (新增债券), 分."""
    bond_use: str = ""
    """What the bond proceeds were spent on."""
    published: bool = False
    """公开: the public may read it (debt has no department to follow)."""

    class Settings:
        name = "debt_figures"
        indexes = [pymongo.IndexModel([("load", 1), ("region", 1)], unique=True)]


class Fund(BudgetRow, Document):
    """A special fund (专项资金) or direct fund (直达资金): allocated and disbursed."""

    code: str
    name: str
    kind: FundKind
    region: str
    department: str
    allocated: int
    disbursed: int
    beneficiaries: str = ""

    class Settings:
        name = "budget_funds"
        indexes = [
            pymongo.IndexModel([("load", 1), ("code", 1)], unique=True),
            pymongo.IndexModel([("load", 1), ("kind", 1), ("department", 1)]),
        ]


class BudgetRollup(Document):
    """Sums of one load's budget lines, or of one month of its execution rows, at one grain:
    by direction and the classification's first ``level`` digits (0: all codes, 3: 类, 5: 款,
    7: 项), by book or over all books, over all departments or department by department. A
    load's rows never change, so its roll-ups are built once, before the load becomes
    current, and go with its rows; the overview and its drill-downs read them instead of
    every row (``api.services.budget_rollups``)."""

    load: PydanticObjectId
    year: int
    month: int
    """The execution rows' month; 0 for budget lines."""
    by_department: bool
    level: int
    by_book: bool
    book: Book | None
    """None when summed over all books."""
    direction: Direction
    department: str
    """The department's code; empty when summed over all departments."""
    region: str
    """The department's region; empty when summed over all departments."""
    classification: str
    """The classification code's first ``level`` digits (all of a shorter code)."""
    class_path: list[str]
    """``classification`` and the codes above it, as on the rows."""
    initial: int = 0
    adjusted: int = 0
    executed: int = 0
    rows: int
    """How many rows went into the sums."""

    class Settings:
        name = "budget_rollups"
        indexes = [
            pymongo.IndexModel(
                [
                    ("load", 1),
                    ("month", 1),
                    ("by_department", 1),
                    ("level", 1),
                    ("by_book", 1),
                    ("department", 1),
                    ("book", 1),
                    ("direction", 1),
                    ("classification", 1),
                ],
                unique=True,
            )
        ]


class DirectFundAllocation(ReadByEveryone, BudgetRow, Document):
    """Direct funds (直达资金) allocated under one policy to a township or a village, and paid:
    published for everyone (信息公开). Beneficiaries are counts, never people."""

    code: str
    """The fund's code."""
    policy: str
    """The policy the money is paid under, e.g. 耕地地力保护补贴."""
    topic: str
    """What it is for, e.g. 农业农村, 社会保障: the public page filters by it."""
    standard: str = ""
    """The standard of payment, e.g. 每亩 120 元."""
    region: str
    """The county's or a township's region code."""
    village: str = ""
    """The village (村、社区) within the township; empty for money held at the region."""
    allocated: int
    """下达金额, 分."""
    paid: int
    """支付金额, 分."""
    households: int = 0
    persons: int = 0

    class Settings:
        name = "direct_fund_allocations"
        indexes = [
            pymongo.IndexModel([("load", 1), ("code", 1), ("region", 1), ("village", 1)],
                               unique=True),
            pymongo.IndexModel([("load", 1), ("region", 1), ("village", 1), ("topic", 1)]),
        ]  # fmt: skip


class DirectFundSum(ReadByEveryone, Document):
    """Sums of one load's direct fund rows, built once as it is imported (its rows never
    change), at each ``grain`` of ``api.services.direct_funds.GRAINS``; the keys a grain does
    not group by are empty. The public page reads these instead of the rows."""

    load: PydanticObjectId
    year: int
    grain: str
    region: str = ""
    village: str = ""
    topic: str
    code: str = ""
    policy: str = ""
    standard: str = ""
    allocated: int
    paid: int
    households: int
    persons: int

    class Settings:
        name = "direct_fund_sums"
        indexes = [pymongo.IndexModel([("load", 1), ("grain", 1), ("region", 1), ("topic", 1)])]


class TownshipModule(LabeledEnum):
    """The parts of a township's public page (乡镇公开栏目)."""

    OVERVIEW = "OVERVIEW", "乡镇总体概况"
    SPECIAL_FUNDS = "SPECIAL_FUNDS", "专项资金"
    STATE_ASSETS = "STATE_ASSETS", "国有资产"
    COLLECTIVE_INCOME = "COLLECTIVE_INCOME", "村级集体经济经营性收入"


class TownshipFigure(ReadByEveryone, BudgetRow, Document):
    """One published figure of a township's page, or of a village in it: a line of its
    overview, a special fund, a state asset, a village's collective business income."""

    region: str
    """The township's region code."""
    module: TownshipModule
    village: str = ""
    """The village it is about; empty for the township itself."""
    item: str
    """What the figure is, e.g. 户籍人口, 村集体经营性收入."""
    value: str
    """The number as a decimal string, exact, e.g. 12850 or 356.20."""
    unit: str
    """e.g. 元, 人, 亩, 个."""
    note: str = ""
    position: int = 0
    """Its place in the file, which the page keeps."""

    class Settings:
        name = "township_figures"
        indexes = [
            pymongo.IndexModel([("load", 1), ("region", 1), ("module", 1), ("village", 1),
                                ("item", 1)], unique=True),
        ]  # fmt: skip


FIGURES: dict[FileKind, type[Document]] = {
    FileKind.LINES: BudgetLine,
    FileKind.EXECUTION: Execution,
    FileKind.PROJECTS: KeyProject,
    FileKind.DEBT: DebtFigure,
    FileKind.FUNDS: Fund,
    FileKind.DIRECT_FUNDS: DirectFundAllocation,
    FileKind.TOWNSHIP_FIGURES: TownshipFigure,
}
"""The collection of each kind of figures file."""


# --- links from suggestions (and later opinions and warnings) to the money -----------------


class LinkKind(LabeledEnum):
    DEPARTMENT = "DEPARTMENT", "部门"
    CLASSIFICATION = "CLASSIFICATION", "功能分类科目"
    LINE = "LINE", "预算指标"
    PROJECT = "PROJECT", "重点项目"


class BudgetLink(BaseModel):
    """A link to budget objects, by their codes so it holds across years and imports: a
    department, a classification code (with everything under it), a line (a department's
    amount under a code, in one book or all), or a key project."""

    id: PydanticObjectId = Field(default_factory=PydanticObjectId)
    kind: LinkKind
    department: str = ""
    classification: str = ""
    book: Book | None = None
    project: str = ""
    note: str = ""
    linked_by: str
    linked_at: datetime = Field(default_factory=utcnow)
