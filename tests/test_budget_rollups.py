"""Budget roll-ups: every figure read from them is the figure of the rows, for every grouping,
scope and reader; they follow re-imports and rejected files; the check command names the
first roll-up that differs from its rows, and a rebuild in another process mends what this one
kept; a year imported without them is summed from its rows until it is rebuilt."""

from typing import Any

import httpx
import pytest

from api.access import Role, Viewer
from api.devservers.local import LocalServers
from api.models.budget import Book, BudgetRollup, BudgetYear, Department, Direction
from api.services import summary_memo
from api.services.budget_figures import (
    ROWS,
    Scope,
    Year,
    department_access,
    figures_by,
    monthly,
    ranking,
    source,
)
from api.services.budget_rollups import check, rebuild
from api.services.sheets import FileRejected
from api.settings import Settings
from tests.budget_world import EXECUTION_2025, EXECUTION_HEADER, budget_world, load
from tests.factories import jiandu, suggestion_world

GROUPINGS = ["total", "book", "region", "department", "class3", "class5", "class7", "line"]
SCOPES = [
    Scope(),
    Scope(book=Book.GENERAL_PUBLIC),
    Scope(direction=Direction.REVENUE),
    Scope(classification="214"),
    Scope(classification="21401"),
    Scope(department="101"),
    Scope(department="103", classification="201"),
    Scope(department="102", classification="205"),
    Scope(three_public=True),
]


async def readers() -> list[Viewer]:
    roads = await Department.find_one(Department.code == "101")
    assert roads is not None and roads.unit_id is not None
    return [
        Viewer(role=Role.STAFF),
        Viewer(role=Role.PUBLIC),
        Viewer(role=Role.HANDLER, unit_id=roads.unit_id),
    ]


async def answers(viewer: Viewer, year: int) -> dict[str, Any]:
    """Every question a reader can ask of a year's figures, and its answer."""
    found: dict[str, Any] = {}
    for month in [None, *(await Year.of(year)).months]:
        for by in GROUPINGS:
            for scope in SCOPES:
                asked = f"{viewer.role} {month} {by} {scope}"
                found[asked] = await figures_by(viewer, year=year, month=month, by=by, scope=scope)
    for scope in SCOPES:
        found[f"{viewer.role} monthly {scope}"] = await monthly(viewer, year=year, scope=scope)
    for lowest in (True, False):
        found[f"{viewer.role} ranking {lowest}"] = await ranking(
            viewer, year=year, month=None, by="department", scope=Scope(), lowest=lowest, limit=3
        )
    return found


async def rolled_up(year: int, value: bool) -> None:
    await BudgetYear.find_one(BudgetYear.year == year).update({"$set": {"rolled_up": value}})


async def test_roll_ups_answer_exactly_what_the_rows_answer(client: httpx.AsyncClient) -> None:
    await suggestion_world(client)
    await budget_world()
    viewers = await readers()
    current = await Year.of(2025)
    assert current.rolled_up, "a year first imported now is rolled up"
    staff, public, handler = [await department_access(v) for v in viewers]
    rolled = {
        "staff overview": source(current, "book", Scope(), staff),
        "staff 项 under a 款": source(current, "class7", Scope(classification="21401"), staff),
        "staff by department": source(current, "department", Scope(), staff),
        "staff by department in a book": source(
            current, "department", Scope(book=Book.GENERAL_PUBLIC), staff
        ),
        "public overview": source(current, "book", Scope(), public),
        "public by 类": source(current, "class3", Scope(), public),
        "a handler's total": source(current, "total", Scope(), handler),
    }
    assert [name for name, read in rolled.items() if read is ROWS] == []
    summed = {
        "lines": source(current, "line", Scope(), staff),
        "三公": source(current, "total", Scope(three_public=True), staff),
        "public by 款": source(current, "class5", Scope(), public),
        "public by 类 in a book": source(
            current, "class3", Scope(book=Book.GENERAL_PUBLIC), public
        ),
    }
    assert [name for name, read in summed.items() if read is not ROWS] == []

    for year in (2024, 2025):
        for viewer in viewers:
            rolled = await answers(viewer, year)
            await rolled_up(year, False)
            summed = await answers(viewer, year)
            await rolled_up(year, True)
            assert rolled == summed
    # the figures are not all empty: the world has money in them
    _, books = await figures_by(viewers[0], year=2025, month=6, by="book")
    assert books[Book.GENERAL_PUBLIC].executed == 128_000_030
    assert await check(2025) is None and await check(2024) is None


async def test_roll_ups_follow_a_re_import_and_a_rejected_file_leaves_none(
    client: httpx.AsyncClient,
) -> None:
    await suggestion_world(client)
    await budget_world()
    staff = Viewer(role=Role.STAFF)
    stored = await BudgetRollup.count()
    june = [r for r in EXECUTION_2025 if r[1] == "6"]
    more = [[*june[0][:6], "450000.05"], *june[1:]]
    await load("execution-june.csv", [EXECUTION_HEADER, *more])
    _, books = await figures_by(staff, year=2025, month=6, by="book")
    assert books[Book.GENERAL_PUBLIC].executed == 128_000_030 + 5_000_000
    assert await BudgetRollup.count() == stored, "June's old roll-ups went with its rows"
    assert await check(2025) is None

    with pytest.raises(FileRejected):
        await load("bad.csv", [EXECUTION_HEADER, *june, ["2025", "6", "一般公共预算", "999",
                                                          "2140104", "支出", "1"]])  # fmt: skip
    assert await BudgetRollup.count() == stored
    _, again = await figures_by(staff, year=2025, month=6, by="book")
    assert again == books


async def test_the_check_names_the_first_difference_and_a_rebuild_mends_it(
    client: httpx.AsyncClient, servers: LocalServers, settings: Settings
) -> None:
    await suggestion_world(client)
    await budget_world()
    database = settings.mongodb_database
    ok = jiandu(servers, database, "budget", "rollups", "check")
    assert ok.returncode == 0, ok.stderr
    assert "2024 年：汇总与明细一致" in ok.stdout and "2025 年：汇总与明细一致" in ok.stdout
    staff = Viewer(role=Role.STAFF)
    right = await answers(staff, 2025)

    await BudgetRollup.find_one(
        {"year": 2025, "month": 6, "by_department": True, "level": 3, "department": "102"}
    ).update({"$inc": {"executed": 100}})
    await summary_memo.renew(BudgetRollup.get_pymongo_collection())  # spoilt as by a write
    assert await answers(staff, 2025) != right, "the answers read the roll-ups"
    difference = await check(2025)
    assert difference == (
        "2025 年 6 月执行「四本预算合计 支出 部门 102 科目 205」累计执行数：汇总为 "
        "600001.00 元，按明细为 600000.00 元"
    )
    bad = jiandu(servers, database, "budget", "rollups", "check", "--year", "2025")
    assert bad.returncode == 1 and difference in bad.stdout

    await BudgetRollup.find_one({"year": 2024, "level": 0, "by_department": False}).delete()
    assert "汇总中缺少" in (await check(2024) or "")

    for command in ("check", "rebuild"):
        unknown = jiandu(servers, database, "budget", "rollups", command, "--year", "1999")
        assert unknown.returncode == 2 and "1999 年没有预算数据" in unknown.stderr
    rebuilt = jiandu(servers, database, "budget", "rollups", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2025 年：重建汇总" in rebuilt.stdout
    assert await check(2025) is None and await check(2024) is None
    # The answers this process kept from the faulty roll-ups went with the other's rebuild.
    assert await answers(staff, 2025) == right


async def test_a_year_without_roll_ups_is_summed_from_its_rows_until_rebuilt(
    client: httpx.AsyncClient,
) -> None:
    await suggestion_world(client)
    await budget_world()
    viewers = await readers()
    before = {viewer.role: await answers(viewer, 2025) for viewer in viewers}
    await BudgetRollup.delete_all()
    await rolled_up(2025, False)  # as a jiandu that kept no roll-ups left it
    assert await check(2025) == (
        "2025 年的汇总尚未建立：运行 jiandu budget rollups rebuild --year 2025"
    )
    assert {viewer.role: await answers(viewer, 2025) for viewer in viewers} == before

    assert await rebuild(2025) > 0
    assert (await Year.of(2025)).rolled_up and await check(2025) is None
    assert {viewer.role: await answers(viewer, 2025) for viewer in viewers} == before
