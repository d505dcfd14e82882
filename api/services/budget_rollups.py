"""Roll-ups of budget figures (``BudgetRollup``): what the overview and its drill-downs read
instead of every row.

A load's rows never change once written (only an execution row's "三公" flag follows new
lines, and the roll-ups do not split on it), so its roll-ups are a function of its rows:
they are summed from the rows before the load becomes current, go when its rows go, and can
always be summed again. ``check`` sums them again in memory and names the first that differs
from what is stored; ``rebuild`` writes them again for a year already imported (for instance
by a jiandu that did not keep them) and marks the year rolled up.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bson import ObjectId

from api.models.budget import (
    FIGURES,
    Book,
    BudgetRollup,
    BudgetYear,
    Direction,
    FileKind,
    class_path,
    period_key,
)
from api.services import summary_memo
from api.services.budget_figures import GRAINS, Grain, Year, yuan
from api.transactions import transaction

SUMS: dict[FileKind, tuple[str, ...]] = {
    FileKind.LINES: ("initial", "adjusted"),
    FileKind.EXECUTION: ("executed",),
}
KEY = ("month", "by_department", "level", "by_book", "department", "book", "direction",
       "classification")  # fmt: skip
"""What tells two roll-ups of one load apart (with ``load``, the unique index)."""
SUM_NAMES = {"initial": "年初预算数", "adjusted": "调整预算数", "executed": "累计执行数",
             "rows": "行数"}  # fmt: skip


@dataclass(frozen=True)
class Part:
    """Rows of one current load: its budget lines, or one month of its execution."""

    kind: FileKind
    match: dict[str, Any]


def parts(kind: FileKind, load: ObjectId, months: Iterable[int]) -> list[Part]:
    """A load's parts: its lines whole, or each month of its execution named."""
    if kind is FileKind.LINES:
        return [Part(kind, {"load": load})]
    return [Part(kind, {"load": load, "month": month}) for month in sorted(months)]


SCANS = (Grain(False, 7, True), Grain(True, 3, True))
"""The grains MongoDB sums from the rows; every grain is summed from the first of these that
holds it (all departments by 项 for the others over all departments, department by 类 and
book for the others by department)."""


def _holds(scan: Grain, grain: Grain) -> bool:
    return (
        (scan.by_department or not grain.by_department)
        and scan.level >= grain.level
        and (scan.by_book or not grain.by_book)
    )


FROM_SCAN = {scan: [g for g in GRAINS if next(s for s in SCANS if _holds(s, g)) == scan]
             for scan in SCANS}  # fmt: skip


async def fresh(part: Part) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The roll-ups of the part's rows at every grain, by their ``KEY``: MongoDB sums the
    rows at the grains of ``SCANS``, and the coarser grains are summed here from those
    (thousands of sums, not the rows again)."""
    sums = SUMS[part.kind]
    rows = FIGURES[part.kind].get_pymongo_collection()
    month = part.match.get("month", 0)
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for (by_department, level, _), grains in FROM_SCAN.items():
        scanned = await rows.aggregate([
            {"$match": part.match},
            {"$group": {
                "_id": {"book": "$book", "direction": "$direction",
                        "classification": {"$substrBytes": ["$classification", 0, level]},
                        **({"department": "$department", "region": "$region"}
                           if by_department else {})},
                "load": {"$first": "$load"}, "year": {"$first": "$year"}, "rows": {"$sum": 1},
                **{name: {"$sum": f"${name}"} for name in sums},
            }},
        ])  # fmt: skip
        async for row in scanned:
            group = row["_id"]
            for grain in grains:
                department = group.get("department", "") if grain.by_department else ""
                book = group["book"] if grain.by_book else None
                classification = group["classification"][: grain.level]
                key = (month, *grain, department, book, group["direction"], classification)
                rollup = found.get(key)
                if rollup is None:
                    rollup = found[key] = {
                        **dict(zip(KEY, key, strict=True)), "load": row["load"],
                        "year": row["year"],
                        "region": group.get("region", "") if grain.by_department else "",
                        "class_path": class_path(classification), "rows": 0,
                        **{name: 0 for name in sums},
                    }  # fmt: skip
                rollup["rows"] += row["rows"]
                for name in sums:
                    rollup[name] += row[name]
    return found


async def roll_up(kind: FileKind, load: ObjectId, months: Iterable[int] = ()) -> None:
    """Store the roll-ups of a load that is not current yet (of its execution, the months
    given)."""
    stored = BudgetRollup.get_pymongo_collection()
    for part in parts(kind, load, months):
        if found := await fresh(part):
            await stored.insert_many(found.values())
    await summary_memo.renew(stored)


async def discard(match: dict[str, Any]) -> None:
    """Remove the roll-ups of the rows ``match`` selected (a load, or a month of one)."""
    stored = BudgetRollup.get_pymongo_collection()
    await stored.delete_many(match)
    await summary_memo.renew(stored)


def current_parts(current: Year) -> list[Part]:
    """The parts of the year's current loads."""
    found = []
    if (lines := current.loads.get(period_key(FileKind.LINES))) is not None:
        found += parts(FileKind.LINES, lines, ())
    for month in current.months:
        found += parts(FileKind.EXECUTION, current.loads[period_key(FileKind.EXECUTION, month)],
                       [month])  # fmt: skip
    return found


async def rebuild(year: int) -> int:
    """Write every roll-up of the year's current loads again, part by part, each in one
    transaction (readers see the old roll-ups or the new, never neither), and mark the year
    rolled up. Returns the number of roll-ups the year has."""
    stored, count = BudgetRollup.get_pymongo_collection(), 0
    for part in current_parts(await Year.of(year)):
        found = await fresh(part)
        async with transaction(BudgetRollup) as session:
            await stored.delete_many(part.match, session=session)
            if found:
                await stored.insert_many(found.values(), session=session)
            await summary_memo.renew(stored, session)
        count += len(found)
    await BudgetYear.get_pymongo_collection().update_one(
        {"year": year}, {"$set": {"rolled_up": True}}
    )
    return count


def _describe(row: dict[str, Any]) -> str:
    """Which roll-up, in words: ``6 月执行「一般公共预算 支出 部门 102 科目 205」``."""
    where = [Book[row["book"]].label if row["book"] else "四本预算合计",
             Direction[row["direction"]].label]  # fmt: skip
    where.append(f"部门 {row['department']}" if row["department"] else "全部部门")
    where.append(f"科目 {row['classification']}" if row["classification"] else "全部科目")
    rows = f"{row['month']} 月执行" if row["month"] else "预算指标"
    return f"{rows}「{' '.join(where)}」"


def _shown(name: str, value: int) -> str:
    return str(value) if name == "rows" else f"{yuan(value)} 元"


def _difference(
    kind: FileKind, fresh: dict[tuple[Any, ...], dict[str, Any]],
    stored: dict[tuple[Any, ...], dict[str, Any]],
) -> str | None:  # fmt: skip
    for key in sorted(fresh.keys() | stored.keys(), key=repr):
        ours, theirs = stored.get(key), fresh.get(key)
        if ours is None or theirs is None:
            row = ours or theirs
            assert row is not None
            missing = "汇总中缺少" if ours is None else "明细中没有，汇总中却有"
            return f"{_describe(row)}：{missing}"
        for name in (*SUMS[kind], "rows"):
            if ours.get(name, 0) != theirs.get(name, 0):
                kept, summed = (_shown(name, r.get(name, 0)) for r in (ours, theirs))
                return f"{_describe(ours)}{SUM_NAMES[name]}：汇总为 {kept}，按明细为 {summed}"
    return None


async def check(year: int) -> str | None:
    """The first roll-up of the year that differs from its rows summed again, in words, or
    None when every one agrees."""
    current = await Year.of(year)
    if not current.rolled_up:
        return f"{year} 年的汇总尚未建立：运行 jiandu budget rollups rebuild --year {year}"
    for part in current_parts(current):
        stored = {
            tuple(r[k] for k in KEY): r
            async for r in BudgetRollup.get_pymongo_collection().find(part.match)
        }
        if (difference := _difference(part.kind, await fresh(part), stored)) is not None:
            return f"{year} 年 {difference}"
    return None
