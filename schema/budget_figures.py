"""Budget figures in GraphQL: the overview by book, drill-downs by department and by
classification 类 → 款 → 项, monthly series, rankings, key projects, debt, "三公" and the
year-over-year comparison; reference lists.

Money is the ``Money`` scalar: a decimal string in 元 with two decimals ("1234.50"), exact.
Rates and time progress are decimal strings in percent. Every figure is filtered by who is
asking (see ``api.services.budget_figures``)."""

from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from api.language import say
from api.models.budget import (
    Book,
    BudgetYear,
    ClassLevel,
    Direction,
    FileKind,
    FundKind,
    FundNature,
    LinkKind,
    LoadState,
    ProjectStatus,
    class_level,
)
from api.models.budget import Classification as ClassificationDocument
from api.models.budget import Department as DepartmentDocument
from api.models.budget import KeyProject as KeyProjectDocument
from api.models.budget import Region as RegionDocument
from api.models.regulations import Level
from api.paging import Sort, keyset_page
from api.services import budget_figures as budget
from api.services.budget_figures import Figures, ProjectFilter, Scope
from api.services.budget_files import FISCAL_YEARS, Bad, class_code, code
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import ClientError
from schema.money import Money
from schema.nodes import build, page_info, page_size

for enum, words in (
    (Book, "The four budget books (四本预算)."),
    (Direction, "Revenue (收入) or expenditure (支出)."),
    (FundNature, "Where a key project's money comes from (资金性质)."),
    (ProjectStatus, "Where a key project stands."),
    (FundKind, "Special fund (专项资金) or direct fund (直达资金)."),
    (FileKind, "What a budget file holds."),
    (ClassLevel, "类, 款 or 项 of the functional classification."),
    (LinkKind, "What a budget link points at."),
    (LoadState, "Whether an import is current."),
):
    graphql_enum(enum, description=words)


@strawberry.type(description="A region: the county or one of its townships.")
class Region:
    code: str = strawberry.field(description="Its code.")
    name: str = strawberry.field(description="e.g. 石门镇.")
    level: Level = strawberry.field(description="County (县级) or township (乡镇).")
    parent_code: str = strawberry.field(description="The region above it; empty for the top.")


@strawberry.type(description="A budget department or unit (部门/预算单位).")
class Department:
    code: str = strawberry.field(description="Its code, as finance writes it.")
    name: str = strawberry.field(description="e.g. 青岚县交通运输局.")
    parent_code: str = strawberry.field(description="The department above; empty for none.")
    region: str = strawberry.field(description="The region's code.")
    published: bool = strawberry.field(description="公开: the public sees its figures.")


@strawberry.type(description="A code of the functional classification (支出功能分类科目).")
class Classification:
    code: str = strawberry.field(description="3 digits (类), 5 (款) or 7 (项).")
    name: str = strawberry.field(description="e.g. 公路建设.")

    @strawberry.field(description="类, 款 or 项.")
    def level(self) -> ClassLevel:
        return class_level(self.code)


@strawberry.type(description="Budgeted, adjusted and executed up to the end of a month.")
class BudgetFigures:
    initial: Money = strawberry.field(description="年初预算数.")
    adjusted: Money = strawberry.field(description="调整预算数.")
    executed: Money = strawberry.field(
        description="执行数: cumulative from January to the end of `month`."
    )
    month: int | None = strawberry.field(description="The month executed is counted to.")
    execution_rate: Decimal | None = strawberry.field(
        description="执行率 in percent: executed / adjusted; null when nothing is adjusted."
    )
    time_progress: Decimal | None = strawberry.field(description="时间进度 in percent: month / 12.")
    gap: Decimal | None = strawberry.field(
        description="Execution rate minus time progress, in points; negative when lagging."
    )
    remaining: Money = strawberry.field(description="Adjusted minus executed.")


def figures(found: Figures) -> BudgetFigures:
    return BudgetFigures(
        initial=Money(found.initial),
        adjusted=Money(found.adjusted),
        executed=Money(found.executed),
        month=found.month,
        execution_rate=found.rate,
        time_progress=found.time_progress,
        gap=found.gap,
        remaining=Money(found.adjusted - found.executed),
    )


@strawberry.type(description="One book's figures.")
class BookFigures:
    book: Book = strawberry.field(description="The book.")
    figures: BudgetFigures = strawberry.field(description="Its figures.")


@strawberry.type(description="The budget of a year at a glance.")
class BudgetOverview:
    year: int = strawberry.field(description="The fiscal year.")
    month: int | None = strawberry.field(
        description="The month executed is counted to (the latest with figures by default)."
    )
    total: BudgetFigures = strawberry.field(description="All books together.")
    books: list[BookFigures] = strawberry.field(description="Each book with figures.")


@strawberry.type(description="A department's figures.")
class DepartmentFigures:
    code: str = strawberry.field(description="The department's code.")
    figures: BudgetFigures = strawberry.field(description="Its figures.")

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department | None:
        return await department_of(info, self.code)


@strawberry.type(description="A classification code's figures.")
class ClassificationFigures:
    code: str = strawberry.field(description="The code.")
    figures: BudgetFigures = strawberry.field(description="Its figures.")

    @strawberry.field(description="The code's name; empty when it is not in the list.")
    async def name(self, info: Info) -> str:
        return await classification_name(info, self.code)


@strawberry.type(description="A budget line's figures, or a department's in a ranking.")
class RankedFigures:
    department_code: str = strawberry.field(description="The department's code.")
    book: Book | None = strawberry.field(description="The line's book (null for departments).")
    direction: Direction | None = strawberry.field(description="The line's direction.")
    classification: str | None = strawberry.field(description="The line's code.")
    figures: BudgetFigures = strawberry.field(description="Its figures.")

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department | None:
        return await department_of(info, self.department_code)


@strawberry.type(description="Cumulative execution month by month, for charts.")
class MonthlySeries:
    year: int = strawberry.field(description="The fiscal year.")
    total: BudgetFigures = strawberry.field(description="The year's budget, latest month.")
    months: list[BudgetFigures] = strawberry.field(
        description="One entry per month with figures, January first."
    )


@strawberry.type(description="A key project (重点项目) in one fiscal year.")
class KeyProject:
    year: int = strawberry.field(description="The fiscal year.")
    code: str = strawberry.field(description="项目编码.")
    name: str = strawberry.field(description="项目名称.")
    type: str = strawberry.field(description="e.g. 交通, 教育.")
    department_code: str = strawberry.field(description="The department's code.")
    classification: str = strawberry.field(description="Its classification code, if given.")
    fund_nature: FundNature = strawberry.field(description="资金性质.")
    total: Money = strawberry.field(description="总投资 over all years.")
    planned: Money = strawberry.field(description="This year's plan.")
    paid: Money = strawberry.field(description="Paid this year to date.")
    status: ProjectStatus = strawberry.field(description="Where it stands.")

    @strawberry.field(description="paid / planned in percent; null when nothing is planned.")
    def payment_rate(self) -> Decimal | None:
        return budget.percent(self.paid, self.planned)

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department | None:
        return await department_of(info, self.department_code)


def project(document: KeyProjectDocument) -> KeyProject:
    return build(KeyProject, document, department_code=document.department)


@strawberry.type(description="A key project and its cursor.")
class KeyProjectEdge:
    node: KeyProject = strawberry.field(description="The project.")
    cursor: str = strawberry.field(description="For `after`.")


@strawberry.type(description="A page of key projects.")
class KeyProjectConnection:
    edges: list[KeyProjectEdge] = strawberry.field(description="The projects of this page.")
    page_info: relay.PageInfo = strawberry.field(description="Where the page is.")
    count_query: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="How many projects match (all pages) that you may see.")
    async def total_count(self) -> int:
        return await KeyProjectDocument.find(self.count_query).count()


@strawberry.enum(description="Orders of the key project list.")
class KeyProjectSort(Enum):
    TOTAL = "TOTAL"
    PLANNED = "PLANNED"
    PAID = "PAID"
    NAME = "NAME"


PROJECT_SORTS = {
    KeyProjectSort.TOTAL: Sort("total", descending=True),
    KeyProjectSort.PLANNED: Sort("planned", descending=True),
    KeyProjectSort.PAID: Sort("paid", descending=True),
    KeyProjectSort.NAME: Sort("name"),
}


@strawberry.input(description="Which key projects.")
class KeyProjectFilter:
    year: int = strawberry.field(description="The fiscal year.")
    name: str | None = strawberry.field(default=None, description="Words in the name.")
    types: list[str] | None = strawberry.field(default=None, description="Any of these types.")
    fund_natures: list[FundNature] | None = strawberry.field(
        default=None, description="Any of these fund natures."
    )
    department: str | None = strawberry.field(default=None, description="A department's code.")
    total_at_least: Money | None = strawberry.field(
        default=None, description="Total investment at least this."
    )
    total_at_most: Money | None = strawberry.field(
        default=None, description="Total investment at most this."
    )


@strawberry.type(description="A region's government debt (政府债务) in one year.")
class DebtFigures:
    year: int = strawberry.field(description="The fiscal year.")
    region: str = strawberry.field(description="The region's code.")
    balance: Money = strawberry.field(description="债务余额.")
    limit: Money = strawberry.field(description="债务限额.")
    capacity: Money = strawberry.field(description="综合财力.")
    gdp: Money = strawberry.field(description="地区生产总值.")
    maturing: Money = strawberry.field(description="当年到期.")
    bonds_issued: Money = strawberry.field(description="新增债券.")
    bond_use: str = strawberry.field(description="What the bond proceeds went to.")

    @strawberry.field(description="债务率 in percent: balance / comprehensive capacity.")
    def debt_ratio(self) -> Decimal | None:
        return budget.percent(self.balance, self.capacity)

    @strawberry.field(description="负债率 in percent: balance / GDP.")
    def liability_ratio(self) -> Decimal | None:
        return budget.percent(self.balance, self.gdp)

    @strawberry.field(description="Limit minus balance: room left under the limit.")
    def headroom(self) -> Money:
        return Money(self.limit - self.balance)


@strawberry.type(description="A special fund (专项资金) or direct fund (直达资金) in one year.")
class BudgetFund:
    year: int = strawberry.field(description="The fiscal year.")
    code: str = strawberry.field(description="资金编码.")
    name: str = strawberry.field(description="资金名称.")
    kind: FundKind = strawberry.field(description="Special or direct.")
    department_code: str = strawberry.field(description="The department's code.")
    allocated: Money = strawberry.field(description="分配数.")
    disbursed: Money = strawberry.field(description="支付数.")
    beneficiaries: str = strawberry.field(description="惠及对象.")

    @strawberry.field(description="disbursed / allocated in percent.")
    def disbursement_rate(self) -> Decimal | None:
        return budget.percent(self.disbursed, self.allocated)

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department | None:
        return await department_of(info, self.department_code)


@strawberry.type(description="A figure this year beside the same figure a year before.")
class Comparison:
    key: str | None = strawberry.field(
        description="The book or department code compared; null for the total."
    )
    current: BudgetFigures = strawberry.field(description="This year.")
    previous: BudgetFigures = strawberry.field(
        description="The year before, same month; its budget alone (`month` null, no rate) "
        "when it has no execution figures for that month."
    )

    @strawberry.field(description="Change of the adjusted amount, in percent.")
    def adjusted_change(self) -> Decimal | None:
        return _change(self.current.adjusted, self.previous.adjusted)

    @strawberry.field(description="Change of the executed amount, in percent.")
    def executed_change(self) -> Decimal | None:
        return _change(self.current.executed, self.previous.executed)


def _change(now: int, before: int) -> Decimal | None:
    return budget.percent(now - before, before)


@strawberry.enum(description="What a ranking or comparison is of.")
class BudgetGrouping(Enum):
    BOOK = "book"
    DEPARTMENT = "department"
    LINE = "line"


async def department_of(info: Info, code: str) -> Department | None:
    found = await info.context.loaders.by_field(DepartmentDocument, "code").load(code)
    return build(Department, found[0]) if found else None


async def classification_name(info: Info, code: str) -> str:
    """A functional classification code's name (农田建设); empty when it is not listed."""
    found = await info.context.loaders.by_field(ClassificationDocument, "code").load(code)
    return found[0].name if found else ""


def year_of(info: Info, year: int | None) -> int:
    """The year asked for, this year when none is given; one no budget can have is refused
    (not answered with zeros)."""
    if year is None:
        return info.context.settings.today().year
    if not FISCAL_YEARS[0] <= year <= FISCAL_YEARS[1]:
        raise ClientError(
            say(
                f"年度应在 {FISCAL_YEARS[0]} 到 {FISCAL_YEARS[1]} 之间，现为 {year}",
                f"The year should be from {FISCAL_YEARS[0]} to {FISCAL_YEARS[1]}, not {year}",
            ),
            code="INVALID_INPUT",
            field="year",
        )
    return year


async def asked_year(info: Info, year: int | None, scope: Scope) -> int:
    """``year_of``, refused when the budget has nothing to say of it or of the department
    asked for (``budget.asked``): never answered with zeros."""
    found = year_of(info, year)
    await budget.asked(found, scope)
    return found


def month_argument(month: int | None) -> int | None:
    if month is not None and not 1 <= month <= 12:
        raise ClientError(
            say(
                f"月份应在 1 到 12 之间，现为 {month}", f"The month should be 1 to 12, not {month}"
            ),
            code="INVALID_INPUT",
            field="month",
        )
    return month


def scope_of(
    book: Book | None = None, direction: Direction = Direction.EXPENDITURE,
    department: str | None = None, classification: str | None = None,
    three_public: bool = False, *, classification_argument: str = "classification",
) -> Scope:  # fmt: skip
    """The rows a budget query asks for; a department or classification code that cannot be
    one is refused (INVALID_INPUT naming the argument), not answered with nothing."""
    for name, value, parse in (("department", department, code),
                               (classification_argument, classification, class_code)):  # fmt: skip
        if value is not None:
            try:
                parse(value)
            except Bad as e:
                raise ClientError(
                    say(f"`{name}`：{e}", f"`{name}`: {e}"), code="INVALID_INPUT", field=name
                ) from None
    return Scope(book, direction, department, classification, three_public)


def child_level(parent: str | None) -> int:
    """The code length one level below ``parent``: 类 (3) without one, 款 (5) under a 类,
    项 (7) under a 款."""
    level = {0: 3, 3: 5, 5: 7}.get(len(parent or ""))
    if level is None or (parent and not parent.isdigit()):
        raise ClientError(
            say(
                "上级科目应为 3 位或 5 位的科目编码",
                "The parent should be a classification code of 3 or 5 digits",
            ),
            code="INVALID_INPUT",
            field="parent",
        )
    return level


def list_limit(limit: int) -> int:
    if not 1 <= limit <= 100:
        raise ClientError(
            say("条数应在 1 到 100 之间", "The limit should be 1 to 100"),
            code="INVALID_INPUT",
            field="limit",
        )
    return limit


@strawberry.type
class BudgetQuery:
    @strawberry.field(description="Fiscal years with figures, newest first.")
    async def budget_years(self) -> list[int]:
        return sorted((y.year for y in await BudgetYear.find_all().to_list()), reverse=True)

    @strawberry.field(
        description="A year's totals by book: budgeted, adjusted, executed, execution rate, "
        "time progress and gap. Default year: this one; default month: the latest with figures. "
        "Here and in every budget query, a month asked for that has no execution figures yet "
        "is refused (NOT_FOUND on `month`, naming the months there are), never answered as "
        "nothing spent."
    )
    async def budget_overview(
        self, info: Info, year: int | None = None, month: int | None = None,
        direction: Direction = Direction.EXPENDITURE,
    ) -> BudgetOverview:  # fmt: skip
        month, scope = month_argument(month), scope_of(direction=direction)
        year = await asked_year(info, year, scope)
        used, books = await budget.figures_by(
            info.context.viewer, year=year, month=month, by="book", scope=scope
        )
        total = Figures(
            sum(f.initial for f in books.values()),
            sum(f.adjusted for f in books.values()),
            sum(f.executed for f in books.values()),
            used,
        )
        return BudgetOverview(
            year=year,
            month=used,
            total=figures(total),
            books=[BookFigures(book=b, figures=figures(books[b])) for b in Book if b in books],
        )

    @strawberry.field(description="Figures by department, largest adjusted amount first.")
    async def budget_by_department(
        self, info: Info, year: int | None = None, month: int | None = None,
        book: Book | None = None, direction: Direction = Direction.EXPENDITURE,
        classification: str | None = None,
    ) -> list[DepartmentFigures]:  # fmt: skip
        month, scope = (
            month_argument(month),
            scope_of(book, direction, classification=classification),
        )
        _, found = await budget.figures_by(
            info.context.viewer,
            year=await asked_year(info, year, scope),
            month=month,
            by="department",
            scope=scope,
        )
        ordered = sorted(found.items(), key=lambda kv: (-kv[1].adjusted, kv[0]))
        return [DepartmentFigures(code=code, figures=figures(f)) for code, f in ordered]

    @strawberry.field(
        description="Figures by classification one level below `parent`: 类 without a "
        "parent, its 款 under a 类, their 项 under a 款. Ordered by code."
    )
    async def budget_by_classification(
        self, info: Info, year: int | None = None, month: int | None = None,
        parent: str | None = None, book: Book | None = None,
        direction: Direction = Direction.EXPENDITURE, department: str | None = None,
    ) -> list[ClassificationFigures]:  # fmt: skip
        level = child_level(parent)
        month = month_argument(month)
        scope = scope_of(book, direction, department, parent, classification_argument="parent")
        _, found = await budget.figures_by(
            info.context.viewer,
            year=await asked_year(info, year, scope),
            month=month,
            by=f"class{level}",
            scope=scope,
        )
        return [ClassificationFigures(code=c, figures=figures(found[c])) for c in sorted(found)]

    @strawberry.field(
        description="Cumulative execution month by month of anything: a book, a department, "
        'a classification code, "三公" lines, or all.'
    )
    async def budget_monthly(
        self, info: Info, year: int | None = None, book: Book | None = None,
        direction: Direction = Direction.EXPENDITURE, department: str | None = None,
        classification: str | None = None, three_public: bool = False,
    ) -> MonthlySeries:  # fmt: skip
        scope = scope_of(book, direction, department, classification, three_public)
        year = await asked_year(info, year, scope)
        total, months = await budget.monthly(info.context.viewer, year=year, scope=scope)
        return MonthlySeries(year=year, total=figures(total), months=[figures(m) for m in months])

    @strawberry.field(
        description="Departments or lines with the lowest (or highest) execution rate; those "
        "with nothing adjusted have no rate and are left out."
    )
    async def budget_ranking(
        self, info: Info, by: BudgetGrouping = BudgetGrouping.DEPARTMENT,
        year: int | None = None, month: int | None = None, book: Book | None = None,
        direction: Direction = Direction.EXPENDITURE, lowest: bool = True, limit: int = 10,
    ) -> list[RankedFigures]:  # fmt: skip
        if by is BudgetGrouping.BOOK:
            raise ClientError(
                say("只能对部门或预算指标排名", "Only departments or budget lines can be ranked"),
                code="INVALID_INPUT",
                field="by",
            )
        month, limit, scope = month_argument(month), list_limit(limit), scope_of(book, direction)
        _, found = await budget.ranking(
            info.context.viewer,
            year=await asked_year(info, year, scope),
            month=month,
            by=by.value,
            scope=scope,
            lowest=lowest,
            limit=limit,
        )
        return [
            RankedFigures(
                department_code=key["department"] if isinstance(key, dict) else key,
                book=Book[key["book"]] if isinstance(key, dict) else None,
                direction=Direction[key["direction"]] if isinstance(key, dict) else None,
                classification=key["classification"] if isinstance(key, dict) else None,
                figures=figures(f),
            )
            for key, f in found
        ]

    @strawberry.field(
        description="This year's figures beside last year's at the same month, in total and "
        "by book or department."
    )
    async def budget_comparison(
        self, info: Info, year: int | None = None, month: int | None = None,
        by: BudgetGrouping = BudgetGrouping.BOOK, direction: Direction = Direction.EXPENDITURE,
    ) -> list[Comparison]:  # fmt: skip
        if by is BudgetGrouping.LINE:
            raise ClientError(
                say("只能比较预算类型或部门", "Only books or departments can be compared"),
                code="INVALID_INPUT",
                field="by",
            )
        month, scope, viewer = (
            month_argument(month),
            Scope(direction=direction),
            info.context.viewer,
        )
        year = await asked_year(info, year, scope)
        used, now = await budget.figures_by(
            viewer, year=year, month=month, by=by.value, scope=scope
        )
        before = await budget.year_before(
            viewer, year=year, month=used or 12, by=by.value, scope=scope
        )
        rows = []
        for key in sorted(set(now) | set(before)):
            rows.append(
                Comparison(
                    key=key,
                    current=figures(now.get(key, Figures(month=used))),
                    previous=figures(before.get(key, Figures(month=used))),
                )
            )
        return rows

    @strawberry.field(
        description='"三公" expenses (因公出国(境), 公务用车, 公务接待) this year and last, '
        "with the change of the adjusted amount in `adjustedChange`."
    )
    async def three_public(
        self, info: Info, year: int | None = None, month: int | None = None
    ) -> Comparison:
        month, viewer, scope = month_argument(month), info.context.viewer, Scope(three_public=True)
        year = await asked_year(info, year, scope)
        used, now = await budget.figures_by(viewer, year=year, month=month, scope=scope)
        before = await budget.year_before(viewer, year=year, month=used or 12, scope=scope)
        return Comparison(
            key=None,
            current=figures(now.get(None, Figures(month=used))),
            previous=figures(before.get(None, Figures(month=used))),
        )

    @strawberry.field(description="Key projects by name, type, fund nature, department, amount.")
    async def key_projects(
        self, info: Info, filter: KeyProjectFilter, sort: KeyProjectSort = KeyProjectSort.TOTAL,
        first: int | None = None, after: str | None = None,
    ) -> KeyProjectConnection:  # fmt: skip
        query = await budget.project_query(
            info.context.viewer,
            ProjectFilter(
                year=year_of(info, filter.year),
                name=filter.name,
                types=filter.types,
                fund_natures=filter.fund_natures,
                department=filter.department,
                total_at_least=filter.total_at_least,
                total_at_most=filter.total_at_most,
            ),
        )
        page = await keyset_page(
            KeyProjectDocument,
            query=query,
            sort=PROJECT_SORTS[sort],
            first=page_size(info, first),
            after=after,
        )
        return KeyProjectConnection(
            edges=[
                KeyProjectEdge(node=project(d), cursor=c)
                for d, c in zip(page.items, page.cursors, strict=True)
            ],
            page_info=page_info(
                page.cursors, has_next=page.has_next_page, has_previous=page.has_previous_page
            ),
            count_query=query,
        )

    @strawberry.field(description="Debt figures and ratios of a year, by region.")
    async def debt(
        self, info: Info, year: int | None = None, region: str | None = None
    ) -> list[DebtFigures]:
        found = await budget.debt(info.context.viewer, year=year_of(info, year), region=region)
        return [build(DebtFigures, d) for d in found]

    @strawberry.field(description="Special and direct funds of a year: allocated, disbursed.")
    async def budget_funds(
        self, info: Info, year: int | None = None, kind: FundKind | None = None
    ) -> list[BudgetFund]:
        found = await budget.funds(info.context.viewer, year=year_of(info, year), kind=kind)
        return [build(BudgetFund, f, department_code=f.department) for f in found]

    @strawberry.field(description="Regions: the county and its townships.")
    async def regions(self) -> list[Region]:
        return [build(Region, r) for r in await RegionDocument.find_all().sort("code").to_list()]

    @strawberry.field(description="Budget departments, by code.")
    async def budget_departments(self) -> list[Department]:
        found = await DepartmentDocument.find_all().sort("code").to_list()
        return [build(Department, d) for d in found]

    @strawberry.field(description="Classification codes one level below `parent` (类 without).")
    async def classifications(self, parent: str | None = None) -> list[Classification]:
        level = child_level(parent)
        digits = level - len(parent or "")
        query: dict[str, Any] = {"code": {"$regex": f"^{parent or ''}\\d{{{digits}}}$"}}
        found = await ClassificationDocument.find(query).sort("code").to_list()
        return [Classification(code=c.code, name=c.name) for c in found]
