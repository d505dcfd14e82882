"""What the budget says and how far it has been spent: every figure is computed by one
MongoDB aggregation, filtered by indexed fields, grouped by what is asked (book, department,
classification level, line, month), never by reading rows into Python. It reads the current
loads' roll-ups (``BudgetRollup``) when one of their grains holds the answer, so the overview
and its drill-downs take the same time whatever the number of rows, and the rows themselves
otherwise (a line, a 项, "三公" lines). Sums of integer 分 stay integers; rates are exact
decimals computed from them.

Who reads what follows the row's department (DOMAIN.md): deputies, staff, finance and admins
everything; a handler its own unit's departments (and those below them) plus what is
published; the public what is published (公开).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from api.access import NOTHING, Clauses, Role, Viewer, all_of, clauses_filter
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import (
    Book,
    BudgetLine,
    BudgetRollup,
    BudgetYear,
    DebtFigure,
    Department,
    Direction,
    Execution,
    FileKind,
    Fund,
    FundKind,
    FundNature,
    KeyProject,
    period_key,
)
from api.services import summary_memo

SEES_ALL = (Role.DEPUTY, Role.STAFF, Role.FINANCE, Role.ADMIN)
CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, two decimals, exact; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def yuan(fen: int) -> str:
    """分 as a decimal string in 元, e.g. ``1234.50``."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def time_progress(month: int | None) -> Decimal | None:
    """The share of the year gone by the end of ``month``, in percent."""
    return None if month is None else (Decimal(month) * 100 / 12).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """Budgeted, adjusted and executed (分) up to the end of ``month``."""

    initial: int = 0
    adjusted: int = 0
    executed: int = 0
    month: int | None = None

    @property
    def rate(self) -> Decimal | None:
        """执行率: executed / adjusted, in percent; None without execution figures (no
        ``month``) or with nothing adjusted."""
        return None if self.month is None else percent(self.executed, self.adjusted)

    @property
    def time_progress(self) -> Decimal | None:
        return time_progress(self.month)

    @property
    def gap(self) -> Decimal | None:
        """Rate minus time progress, in points: negative when spending lags."""
        rate, progress = self.rate, self.time_progress
        return None if rate is None or progress is None else rate - progress


async def department_access(viewer: Viewer) -> Clauses:
    """The access clauses of rows that follow a department."""
    if viewer.has_role(*SEES_ALL):
        return None
    departments = (
        await Department.get_pymongo_collection()
        .find({}, {"_id": 0, "code": 1, "published": 1, "parent_code": 1, "unit_id": 1})
        .to_list()
    )
    readable = {d["code"] for d in departments if d.get("published")}
    if viewer.role is Role.HANDLER and viewer.unit_id is not None:
        children: dict[str, list[str]] = {}
        for d in departments:
            children.setdefault(d.get("parent_code", ""), []).append(d["code"])
        own: set[str] = set()
        stack = [d["code"] for d in departments if d.get("unit_id") == viewer.unit_id]
        while stack:
            code = stack.pop()
            if code not in own:
                own.add(code)
                stack += children.get(code, [])
        readable |= own
    return [{"department": sorted(readable)}]


def debt_access(viewer: Viewer) -> Clauses:
    return None if viewer.has_role(*SEES_ALL) else [{"published": True}]


@dataclass(frozen=True)
class Scope:
    """Which rows: a book, revenue or expenditure, a department, a classification code (and
    everything under it), "三公" lines only."""

    book: Book | None = None
    direction: Direction = Direction.EXPENDITURE
    department: str | None = None
    classification: str | None = None
    three_public: bool = False

    def match(self) -> dict[str, Any]:
        found: dict[str, Any] = {"direction": self.direction.value}
        if self.book:
            found["book"] = self.book.value
        if self.department:
            found["department"] = self.department
        if self.classification:
            found["class_path"] = self.classification
        if self.three_public:
            found["three_public"] = True
        return found


class Year:
    """A fiscal year's current loads, as readers see them."""

    def __init__(self, year: int, current: BudgetYear | None) -> None:
        self.year = year
        self.loads = current.loads if current else {}
        self.months = current.months if current else []
        self.rolled_up = current.rolled_up if current else False

    @classmethod
    async def of(cls, year: int) -> "Year":
        return cls(year, await BudgetYear.find_one(BudgetYear.year == year))

    def month(self, wanted: int | None, field: str = "month") -> int | None:
        """``wanted``, or the latest month with execution figures (None: no month has any).
        A month asked for that has none is refused (NOT_FOUND on ``field``): its figures
        would read as nothing spent."""
        if wanted is None:
            return self.months[-1] if self.months else None
        if wanted not in self.months:
            have = "、".join(f"{m} 月" for m in self.months) or "无"
            have_en = ", ".join(str(m) for m in self.months) or "none"
            raise DomainError(
                ErrorCode.NOT_FOUND,
                say(
                    f"{self.year}-{wanted:02d} 还没有预算执行数：请先导入"
                    f"（{self.year} 年已有执行数的月份：{have}）",
                    f"{self.year}-{wanted:02d} has no budget execution figures yet: import them "
                    f"first (months of {self.year} with execution figures: {have_en})",
                ),
                field=field,
            )
        return wanted

    def rows(self, kind: FileKind) -> dict[str, Any]:
        load = self.loads.get(period_key(kind))
        return {"load": load} if load else {"load": None, "year": -1}

    def execution(self, month: int | None) -> dict[str, Any]:
        """Rows of one month, or (None) of every month there is."""
        parts = self.execution_by_load(month)
        return parts[0] if len(parts) == 1 else {"$or": parts}

    def execution_by_load(self, month: int | None) -> list[dict[str, Any]]:
        """The same rows as one match per load (a load names its months): with the load an
        equality, each match can use the indexes that start with ``load``, which a ``$or``
        of loads beside another ``$or`` (of budget links, say) cannot."""
        months: dict[Any, list[int]] = {}
        for m in [month] if month else self.months:
            load = self.loads.get(period_key(FileKind.EXECUTION, m))
            if load:
                months.setdefault(load, []).append(m)
        if not months:
            return [{"load": None, "year": -1}]
        return [
            {"load": load, "month": ms[0] if len(ms) == 1 else {"$in": ms}}
            for load, ms in months.items()
        ]


def each_load(
    parts: list[dict[str, Any]], stages: Callable[[dict[str, Any]], list[dict[str, Any]]],
    collection: str = Execution.Settings.name,
) -> list[dict[str, Any]]:  # fmt: skip
    """One pipeline over execution rows (or their roll-ups) of several loads: ``stages`` of
    each load's match, joined with ``$unionWith``."""
    first, *rest = parts
    return [
        *stages(first),
        *({"$unionWith": {"coll": collection, "pipeline": stages(p)}} for p in rest),
    ]


class Grain(NamedTuple):
    """What a roll-up keeps apart: departments, the first ``level`` digits of the
    classification, books (and always revenue from expenditure)."""

    by_department: bool
    level: int
    by_book: bool


GRAINS = (
    Grain(False, 0, True), Grain(False, 3, True), Grain(False, 5, True), Grain(False, 7, True),
    Grain(True, 0, False), Grain(True, 0, True), Grain(True, 3, False),
)  # fmt: skip
"""The grains of the roll-ups, the smaller of two that both answer first. Over all
departments, by book down to the 项, so that whoever reads every department has any total,
book, 类, 款 or 项 at once (a few thousand roll-ups a month); department by department, with
and without books and down to the 类 without them, for the lists by department and for
readers limited to some departments."""


@dataclass(frozen=True)
class Source:
    """Where a question's sums are read: the collections of lines and of execution, and
    what selects the grain among roll-ups (nothing for rows)."""

    lines: str
    execution: str
    grain: dict[str, Any]


ROWS = Source(BudgetLine.Settings.name, Execution.Settings.name, {})


def source(year: Year, by: str, scope: Scope, access: Clauses) -> Source:
    """The coarsest roll-ups that answer ``by`` within ``scope`` for a reader with ``access``,
    or the rows when none does: a line, "三公" lines, a 款 or 项 department by department (or
    for a reader limited to some departments), or a year not rolled up."""
    if not year.rolled_up or by == "line" or scope.three_public:
        return ROWS
    digits = max(len(scope.classification or ""), int(by.removeprefix("class") or 0)
                 if by.startswith("class") else 0)  # fmt: skip
    by_department = access is not None or bool(scope.department) or by in ("department", "region")
    by_book = scope.book is not None or by == "book"
    for grain in GRAINS:
        if (
            grain.by_department == by_department
            and grain.level >= digits
            and (grain.by_book or not by_book)
        ):
            name = BudgetRollup.Settings.name
            return Source(name, name, grain._asdict())
    return ROWS


GROUPS: dict[str, Any] = {
    "total": None,
    "book": "$book",
    "region": "$region",
    "department": "$department",
    "line": {
        "book": "$book",
        "direction": "$direction",
        "department": "$department",
        "classification": "$classification",
    },
}


def group_key(by: str) -> Any:
    """``book``, ``region``, ``department``, ``line``, ``total``, or a classification level by code
    length (``class3``, ``class5``, ``class7``)."""
    if by.startswith("class"):
        return {"$substrBytes": ["$classification", 0, int(by.removeprefix("class"))]}
    return GROUPS[by]


def _both(match: Mapping[str, Any], key: Any) -> list[dict[str, Any]]:
    return [
        {"$match": match},
        {"$group": {"_id": key, "initial": {"$sum": "$initial"},
                    "adjusted": {"$sum": "$adjusted"}, "executed": {"$sum": "$executed"}}},
    ]  # fmt: skip


def figures_pipeline(
    year: Year, month: int | None, by: str, scope: Scope, access: Clauses
) -> tuple[str, list[dict[str, Any]]]:
    """The collection to aggregate and the pipeline of lines (initial, adjusted) and the
    month's execution, grouped by ``by`` together."""
    read = source(year, by, scope, access)
    allowed = clauses_filter(access)
    key = group_key(by)
    wanted = all_of(read.grain, scope.match(), allowed)
    lines = all_of(year.rows(FileKind.LINES), wanted)
    executed = all_of(year.execution(month), wanted) if month else NOTHING
    return read.lines, [
        *_both(lines, key),
        {"$unionWith": {"coll": read.execution, "pipeline": _both(executed, key)}},
        {"$group": {"_id": "$_id", "initial": {"$sum": "$initial"},
                    "adjusted": {"$sum": "$adjusted"}, "executed": {"$sum": "$executed"}}},
    ]  # fmt: skip


async def aggregate(collection: str, pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``pipeline`` run on ``collection`` of the budget figures' database; on the
    roll-ups, kept while they do not change (``summary_memo``)."""
    read = BudgetLine.get_pymongo_collection().database[collection]
    if collection == BudgetRollup.Settings.name:
        return await summary_memo.rows(read, pipeline)
    return await (await read.aggregate(pipeline)).to_list()  # type: ignore[no-any-return]


async def asked(year: int, scope: Scope) -> None:
    """A question of the budget is refused (NOT_FOUND) when its answer would read as nothing
    budgeted: a year no budget lines were imported for (naming the years there are), or a
    department no budget names."""
    if period_key(FileKind.LINES) not in (await Year.of(year)).loads:
        years = [y.year for y in await BudgetYear.find({"loads.LINES": {"$exists": True}})
                 .sort("year").to_list()]  # fmt: skip
        have = "、".join(f"{y} 年" for y in years) or "无"
        have_en = ", ".join(map(str, years)) or "none"
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"{year} 年还没有预算数据：请先导入预算指标（已有预算数据的年度：{have}）",
                f"{year} has no budget data yet: import the budget lines first (years with "
                f"budget data: {have_en})",
            ),
            field="year",
        )
    if scope.department and not await Department.find_one({"code": scope.department}):
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"没有编码为 {scope.department} 的部门",
                f"There is no department with the code {scope.department}",
            ),
            field="department",
        )


async def figures_by(
    viewer: Viewer, *, year: int, month: int | None = None, by: str = "total",
    scope: Scope = Scope(),
) -> tuple[int | None, dict[Any, Figures]]:  # fmt: skip
    """The month used (the latest when none is asked) and the figures of each group."""
    current = await Year.of(year)
    month = current.month(month)
    return month, await _figures(viewer, current, month, by, scope)


async def year_before(
    viewer: Viewer, *, year: int, month: int | None, by: str = "total", scope: Scope = Scope()
) -> dict[Any, Figures]:
    """The figures of the year before ``year`` at ``month``, to compare with: its budget
    alone (``month`` None, no execution, no rate) when it has no execution figures for that
    month, as in a deployment's first year."""
    before = await Year.of(year - 1)
    return await _figures(viewer, before, month if month in before.months else None, by, scope)


async def _figures(
    viewer: Viewer, current: Year, month: int | None, by: str, scope: Scope
) -> dict[Any, Figures]:
    found = await aggregate(
        *figures_pipeline(current, month, by, scope, await department_access(viewer))
    )
    return {
        _key(row["_id"]): Figures(row["initial"], row["adjusted"], row["executed"], month)
        for row in found
    }


def _key(raw: Any) -> Any:
    return tuple(sorted(raw.items())) if isinstance(raw, dict) else raw


async def ranking(
    viewer: Viewer, *, year: int, month: int | None, by: str, scope: Scope, lowest: bool,
    limit: int,
) -> tuple[int | None, list[tuple[Any, Figures]]]:  # fmt: skip
    """Groups with the lowest (or highest) execution rate; groups with nothing adjusted have
    no rate and are left out."""
    current = await Year.of(year)
    month = current.month(month)
    collection, figures = figures_pipeline(
        current, month, by, scope, await department_access(viewer)
    )
    found = await aggregate(collection, [
        *figures,
        {"$match": {"adjusted": {"$gt": 0}}},
        {"$addFields": {"rate": {"$divide": ["$executed", "$adjusted"]}}},
        {"$sort": {"rate": 1 if lowest else -1, "_id": 1}},
        {"$limit": limit},
    ])  # fmt: skip
    return month, [
        (row["_id"], Figures(row["initial"], row["adjusted"], row["executed"], month))
        for row in found
    ]


async def monthly(
    viewer: Viewer, *, year: int, scope: Scope = Scope()
) -> tuple[Figures, list[Figures]]:
    """The year's budget and its cumulative execution at the end of each month with figures."""
    current = await Year.of(year)
    clauses = await department_access(viewer)
    access, read = clauses_filter(clauses), source(current, "total", scope, clauses)
    _, totals = await figures_by(viewer, year=year, month=None, scope=scope)
    total = totals.get(None, Figures(month=current.month(None)))
    pipeline = [
        *each_load(
            current.execution_by_load(None),
            lambda rows: [{"$match": all_of(rows, read.grain, scope.match(), access)}],
            read.execution,
        ),
        {"$group": {"_id": "$month", "executed": {"$sum": "$executed"}}},
        {"$sort": {"_id": 1}},
    ]
    found = await aggregate(read.execution, pipeline)
    series = [Figures(total.initial, total.adjusted, row["executed"], row["_id"]) for row in found]
    by_month = {f.month: f for f in series}
    return total, [
        by_month.get(m, Figures(total.initial, total.adjusted, 0, m)) for m in current.months
    ]


# --- key projects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilter:
    year: int
    name: str | None = None
    types: list[str] | None = None
    fund_natures: list[FundNature] | None = None
    department: str | None = None
    total_at_least: int | None = None
    total_at_most: int | None = None


async def project_query(viewer: Viewer, wanted: ProjectFilter) -> dict[str, Any]:
    current = await Year.of(wanted.year)
    query = all_of(current.rows(FileKind.PROJECTS), clauses_filter(await department_access(viewer)))
    if wanted.name:
        query["name"] = {"$regex": re.escape(wanted.name.strip())}
    if wanted.types:
        query["type"] = {"$in": wanted.types}
    if wanted.fund_natures:
        query["fund_nature"] = {"$in": [n.value for n in wanted.fund_natures]}
    if wanted.department:
        query["department"] = wanted.department
    bounds: dict[str, int] = {}
    if wanted.total_at_least is not None:
        bounds["$gte"] = wanted.total_at_least
    if wanted.total_at_most is not None:
        bounds["$lte"] = wanted.total_at_most
    if bounds:
        query["total"] = bounds
    return query


# --- debt -------------------------------------------------------------------------------------


async def debt(viewer: Viewer, *, year: int, region: str | None = None) -> list[DebtFigure]:
    current = await Year.of(year)
    query = all_of(
        current.rows(FileKind.DEBT),
        clauses_filter(debt_access(viewer)),
        {"region": region} if region else {},
    )
    return await DebtFigure.find(query).sort("region").to_list()


async def funds(viewer: Viewer, *, year: int, kind: FundKind | None = None) -> list[Fund]:
    current = await Year.of(year)
    query = all_of(
        current.rows(FileKind.FUNDS),
        clauses_filter(await department_access(viewer)),
        {"kind": kind.value} if kind else {},
    )
    return await Fund.find(query).sort("code").to_list()


async def projects_under(
    current: Year, access: Mapping[str, Any], *, departments: list[str],
    classifications: list[str], codes: list[str],
) -> list[KeyProject]:  # fmt: skip
    """Key projects of the year ``current`` the ``access`` filter lets through: of these
    departments, under these classification codes, or with these codes, in one query."""
    wanted = [
        *([{"department": {"$in": departments}}] if departments else []),
        *([{"classification": {"$regex": "^(" + "|".join(classifications) + ")"}}]
          if classifications else []),
        *([{"code": {"$in": codes}}] if codes else []),
    ]  # fmt: skip
    if not wanted:
        return []
    query = all_of(current.rows(FileKind.PROJECTS), access, {"$or": wanted})
    return await KeyProject.find(query).sort("-total", "+_id").to_list()
