"""Budget files in: a good file is current whole; a file with bad rows changes nothing and
names every bad row; re-importing a period replaces it; money is exact."""

import asyncio
import base64
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from api.access import Role
from api.devservers.local import LocalServers
from api.models.budget import (
    BudgetImport,
    BudgetLine,
    BudgetYear,
    Department,
    Execution,
    FileKind,
    LoadState,
)
from api.services.budget_import import import_budget_file
from api.services.sheets import FileRejected, RowError
from api.settings import Settings
from tests.budget_world import (
    AS_OF,
    DEPARTMENTS,
    EXECUTION_2025,
    EXECUTION_HEADER,
    FINANCE,
    LIMITS,
    LINE_HEADER,
    LINES_2025,
    budget_world,
    csv_bytes,
    load,
    write_csv,
)
from tests.factories import gql, jiandu, signed_in, suggestion_world


async def _state() -> tuple[int, int, dict[str, str]]:
    current = await BudgetYear.find_one(BudgetYear.year == 2025)
    loads = {k: str(v) for k, v in (current.loads if current else {}).items()}
    return await BudgetLine.count(), await Execution.count(), loads


async def test_a_good_world_imports_and_records_each_file(client: httpx.AsyncClient) -> None:
    await suggestion_world(client)
    await budget_world()
    roads = await Department.find_one(Department.code == "101")
    assert roads is not None and roads.unit_id is not None and roads.published
    lines, executed, loads = await _state()
    assert (lines, executed) == (len(LINES_2025) + 2, len(EXECUTION_2025) + 2)
    assert sorted(loads) == [
        "DEBT", "EXECUTION-05", "EXECUTION-06", "LINES", "PROJECTS"
    ]  # fmt: skip
    records = await BudgetImport.find_all().to_list()
    assert len(records) == 8 and all(r.state is LoadState.CURRENT for r in records)
    assert all(len(r.checksum) == 64 and r.imported_by == "财政局" for r in records)
    # 三公 rows carry their line's flag
    flagged = await Execution.find(Execution.three_public == True).to_list()  # noqa: E712
    assert {(e.year, e.department, e.classification) for e in flagged} == {
        (2024, "103", "2010101"), (2025, "103", "2010101")
    }  # fmt: skip


async def test_money_is_exact_to_the_fen(client: httpx.AsyncClient) -> None:
    await suggestion_world(client)
    await budget_world()
    line = await BudgetLine.find_one(BudgetLine.classification == "2140106")
    assert line is not None and line.adjusted == 50_000_020 and isinstance(line.adjusted, int)
    raw = await BudgetLine.get_pymongo_collection().find_one({"_id": line.id})
    assert type(raw["initial"]) is int  # stored as an integer, never a double


async def test_re_importing_a_period_replaces_it_and_the_same_file_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    await suggestion_world(client)
    await budget_world()
    before_lines, before_execution, before = await _state()
    june = [r for r in EXECUTION_2025 if r[1] == "6"]
    again = await load("execution-june.csv", [EXECUTION_HEADER, *june])
    assert again.periods == ["EXECUTION-06"]
    lines, executed, after = await _state()
    assert (lines, executed) == (before_lines, before_execution)
    assert after["EXECUTION-05"] == before["EXECUTION-05"]
    assert after["EXECUTION-06"] != before["EXECUTION-06"]
    replaced = await BudgetImport.find_one(BudgetImport.file_name == "execution-2025.csv")
    assert replaced is not None and replaced.state is LoadState.CURRENT  # May is still its
    # June again with one line less: that line's June figure is gone, nothing else moves
    await load("execution-june.csv", [EXECUTION_HEADER, *june[1:]])
    assert await Execution.find(Execution.year == 2025, Execution.month == 6).count() == 6
    assert (await _state())[1] == before_execution - 1
    # new lines replace the year's lines
    await load("lines.csv", [LINE_HEADER, *LINES_2025[:3]])
    assert await BudgetLine.find(BudgetLine.year == 2025).count() == 3
    old = await BudgetImport.find_one(BudgetImport.file_name == "lines-2025.csv")
    assert old is not None and old.state is LoadState.REPLACED


async def test_the_same_file_again_changes_nothing_and_records_nothing_new(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    await budget_world()
    before = await _state()
    records = await BudgetImport.count()
    first = await BudgetImport.find_one(BudgetImport.file_name == "execution-2025.csv")
    assert first is not None
    again = await load("renamed.csv", [EXECUTION_HEADER, *EXECUTION_2025])
    assert again.unchanged and again.import_id == first.id
    assert again.periods == first.periods and again.rows == first.rows
    same_list = await load("departments-again.csv", DEPARTMENTS)
    assert same_list.unchanged
    assert await _state() == before and await BudgetImport.count() == records
    assert (await BudgetImport.get(first.id)).state is LoadState.CURRENT  # type: ignore[union-attr]
    # once June came from another file, the first file again restores its June: not unchanged
    june = [r for r in EXECUTION_2025 if r[1] == "6"]
    await load("execution-june.csv", [EXECUTION_HEADER, *june[1:]])
    restored = await load("execution-2025.csv", [EXECUTION_HEADER, *EXECUTION_2025])
    assert not restored.unchanged and restored.import_id != first.id
    assert (await _state())[1] == before[1]
    # the same through GraphQL says so, and names the import it matches
    content = base64.b64encode(csv_bytes([EXECUTION_HEADER, *EXECUTION_2025])).decode()
    body = await gql(client, UPLOAD, {"input": {"fileName": "x.csv", "contentBase64": content}},
                     token=world.tokens["finance"])  # fmt: skip
    payload = body["data"]["importBudgetFile"]
    assert payload["unchanged"] is True and payload["imported"]["fileName"] == "execution-2025.csv"


async def test_execution_of_a_month_that_has_not_ended_is_a_bad_row(
    client: httpx.AsyncClient,
) -> None:
    await suggestion_world(client)
    await budget_world()
    before = await _state()
    june = [r for r in EXECUTION_2025 if r[1] == "6"]
    content = csv_bytes([EXECUTION_HEADER, *june])

    async def as_of(day: date) -> Any:
        return await import_budget_file(
            io.BytesIO(content), name="june.csv", viewer=FINANCE, limits=LIMITS, as_of=day
        )

    with pytest.raises(FileRejected) as refused:
        await as_of(date(2025, 6, 30))  # its last day: the figures may still move
    assert len(refused.value.errors) == len(june)
    first = refused.value.errors[0]
    assert first.column == "月份" and first.row == 2
    assert first.reason == "2025年6月尚未结束（截至 2025-06-30）：执行数要等该月结束后导入"
    assert await _state() == before
    assert (await as_of(date(2025, 7, 1))).periods == ["EXECUTION-06"]
    assert Settings(env="test", budget_as_of=date(2025, 7, 1)).budget_day() == date(2025, 7, 1)  # type: ignore[arg-type]
    assert Settings(env="test").budget_day() == Settings(env="test").today()  # type: ignore[arg-type]


async def test_a_file_with_bad_rows_changes_nothing_and_names_every_one(
    client: httpx.AsyncClient,
) -> None:
    await suggestion_world(client)
    await budget_world()
    before = await _state()
    good = ["2025", "6", "一般公共预算", "101", "2140104", "支出", "1.00"]
    rows = [
        EXECUTION_HEADER,
        good,
        ["2025", "6", "一般公共预算", "999", "2140104", "支出", "1"],  # unknown department
        ["2025", "6", "一般公共预算", "101", "2999999", "支出", "1"],  # unknown code
        ["2025", "6", "一般公共预算", "101", "2140104", "支出", "-5"],  # negative
        ["2025", "13", "一般公共预算", "101", "2140104", "支出", "1"],  # month
        ["2025", "6", "一般公共预算", "101", "2140104", "支出", "一百"],  # not a number
        ["2025", "6", "一般公共预算", "101", "2140104", "支出", "1.005"],  # below 分
        ["2025", "6", "一般公共预算", "101", "2140104", "支出", "2.00"],  # duplicate of row 2
        ["2025", "6", "预算外", "101", "2140104", "支出", "1"],  # no such book
        ["2025", "6", "一般公共预算", "102", "2140104", "支出", "1"],  # no such line
        ["2024", "6", "一般公共预算", "101", "2140104", "支出", "1"],  # another year
    ]
    with pytest.raises(FileRejected) as refused:
        await load("bad.csv", rows)
    found = {(e.row, e.column) for e in refused.value.errors}
    assert [e.row for e in refused.value.errors] == sorted(e.row for e in refused.value.errors)
    assert found == {
        (3, "部门编码"), (4, "功能分类编码"), (5, "累计执行数"), (6, "月份"), (7, "累计执行数"),
        (8, "累计执行数"), (10, "预算类型"), (11, ""), (12, "年度"), (9, ""),
    }  # fmt: skip
    reasons = {e.row: e.reason for e in refused.value.errors}
    assert reasons[5] == "-5 是负数：这里的金额不能为负" and reasons[7] == "“一百”不是数字"
    assert "超过两位小数" in reasons[8] and "与此行相同" in reasons[9]
    assert reasons[3] == "没有这个部门编码：999" and reasons[12].startswith("2024：一个文件只能")
    assert await _state() == before
    failed = await BudgetImport.find_one(BudgetImport.file_name == "bad.csv")
    assert failed is not None and failed.state is LoadState.FAILED


async def test_wrong_columns_and_empty_files_are_refused(client: httpx.AsyncClient) -> None:
    await suggestion_world(client)
    with pytest.raises(FileRejected) as refused:
        await load("x.csv", [["年度", "月份"], ["2025", "1"]], kind=FileKind.EXECUTION)
    assert {e.column for e in refused.value.errors} == {
        "预算类型", "部门编码", "功能分类编码", "收支", "累计执行数"
    }  # fmt: skip
    with pytest.raises(FileRejected) as refused:
        await load("x.csv", [["名称", "金额"], ["a", "1"]])
    assert "不符合任何预算文件格式" in refused.value.errors[0].reason
    with pytest.raises(FileRejected) as refused:
        await load("x.csv", [LINE_HEADER])
    assert refused.value.errors == [RowError(0, "", "文件没有数据行")]
    with pytest.raises(FileRejected) as refused:
        await load("x.pdf", [LINE_HEADER])
    assert "只接受 .xlsx 或 .csv 文件" in refused.value.errors[0].reason
    with pytest.raises(FileRejected) as refused:
        await import_budget_file(
            io.BytesIO(b"PK\x03\x04 not really"),
            name="x.xlsx",
            viewer=FINANCE,
            limits=LIMITS,
            as_of=AS_OF,
        )
    assert "不是有效的 Excel 工作簿" in refused.value.errors[0].reason
    with pytest.raises(FileRejected) as refused:  # execution before any lines of the year
        await load("regions.csv", [["地区编码", "地区名称", "级次"], ["QL", "青岚县", "县级"]])
        await load("departments.csv", DEPARTMENTS[:2])
        await load("e.csv", [EXECUTION_HEADER, EXECUTION_2025[0]])
    assert refused.value.errors[0].reason == "2025 年还没有预算指标：请先导入预算指标"


async def test_warnings_do_not_stop_an_import(client: httpx.AsyncClient) -> None:
    await suggestion_world(client)
    await budget_world()
    over = ["2025", "7", "一般公共预算", "101", "2140104", "支出", "1000000.11"]
    report = await load("july.csv", [EXECUTION_HEADER, over])
    assert report.rows == 1
    assert report.warnings == [RowError(2, "累计执行数", "累计执行数超过调整预算数")]


async def test_reference_lists_refuse_unknown_parents(client: httpx.AsyncClient) -> None:
    await suggestion_world(client)
    await budget_world()
    with pytest.raises(FileRejected) as refused:
        await load(
            "departments.csv",
            [
                DEPARTMENTS[0],
                ["301", "新部门", "XX", "999", "不存在的单位", "是"],
                ["302", "新部门", "QL", "", "", "也许"],
            ],
        )
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (2, "地区编码"), (2, "上级部门编码"), (2, "承办单位"), (3, "公开")
    }  # fmt: skip
    with pytest.raises(FileRejected) as refused:
        await load("codes.csv", [["功能分类编码", "科目名称"], ["9990101", "孤儿"]])
    assert "没有上级编码 99901" in refused.value.errors[0].reason
    await load("codes.csv", [["功能分类编码", "科目名称"], ["21499", "其他交通运输"]])


async def test_xlsx_through_the_command_line_and_templates(
    client: httpx.AsyncClient, servers: LocalServers, settings: Settings, tmp_path: Path
) -> None:
    await suggestion_world(client)
    await budget_world()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", *LINE_HEADER])
    sheet.append([1, 2026, "一般公共预算", "101", "2140104", "支出", 1234.5, 1234.56, "否"])
    book.save(tmp_path / "lines-2026.xlsx")
    run = jiandu(servers, settings.mongodb_database, "import", "budget",
                 str(tmp_path / "lines-2026.xlsx"))  # fmt: skip
    assert run.returncode == 0, run.stderr
    line = await BudgetLine.find_one(BudgetLine.year == 2026)
    assert line is not None and (line.initial, line.adjusted) == (123_450, 123_456)
    bad = write_csv(tmp_path / "bad.csv", [LINE_HEADER, ["2026", "一般公共预算", "101", "1", "支出",
                                                         "1", "1", "否"]])  # fmt: skip
    run = jiandu(servers, settings.mongodb_database, "import", "budget", str(bad))
    assert run.returncode == 1
    assert "第2行，功能分类编码" in run.stdout and "未导入任何数据" in run.stdout
    run = jiandu(servers, settings.mongodb_database, "budget", "template", str(tmp_path / "t"))
    assert run.returncode == 0, run.stderr
    header = next(load_workbook(tmp_path / "t" / "execution.xlsx").worksheets[0].values)
    assert list(header) == EXECUTION_HEADER


UPLOAD = """
mutation ($input: ImportBudgetFileInput!) {
  importBudgetFile(input: $input) {
    imported { kind year periods rows state fileName }
    rejectedRows { row column reason }
    warnings { row reason }
    unchanged
    errors { code message }
  }
}"""


async def test_finance_uploads_through_graphql(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    await budget_world()
    # the year's lines in another order: another file (the very same one would change nothing)
    content = base64.b64encode(csv_bytes([LINE_HEADER, *LINES_2025[::-1]])).decode()
    variables = {"input": {"fileName": "lines.csv", "contentBase64": content}}
    body = await gql(client, UPLOAD, variables, token=world.tokens["finance"])
    done = body["data"]["importBudgetFile"]
    assert done["imported"] == {
        "kind": "LINES", "year": 2025, "periods": ["LINES"], "rows": 7, "state": "CURRENT",
        "fileName": "lines.csv",
    }  # fmt: skip
    bad = base64.b64encode(csv_bytes([LINE_HEADER, ["2025", "x", "101", "2140104", "支出", "1",
                                                    "1", "否"]])).decode()  # fmt: skip
    body = await gql(client, UPLOAD, {"input": {"fileName": "b.csv", "contentBase64": bad}},
                     token=world.tokens["finance"])  # fmt: skip
    assert body["data"]["importBudgetFile"]["rejectedRows"][0]["column"] == "预算类型"
    assert body["data"]["importBudgetFile"]["imported"] is None
    body = await gql(client, UPLOAD, {"input": {"fileName": "b.csv", "contentBase64": "%%%"}},
                     token=world.tokens["finance"])  # fmt: skip
    assert "不是有效的 base64" in body["data"]["importBudgetFile"]["rejectedRows"][0]["reason"]
    for who in ("deputy", "staff", "lead_unit"):
        body = await gql(client, UPLOAD, variables, token=world.tokens[who])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who
    body = await gql(client, UPLOAD, variables)
    assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")


async def test_row_reasons_speak_the_language_of_the_request(client: httpx.AsyncClient) -> None:
    """A bad row (checked here) and a refused file (refused in the reading process, which is
    told the request's language) answer in English for ``Accept-Language: en``."""
    world = await suggestion_world(client)
    await budget_world()
    bad = base64.b64encode(csv_bytes([LINE_HEADER, ["2025", "x", "101", "2140104", "支出", "1",
                                                    "1", "否"]])).decode()  # fmt: skip
    reasons = {}
    for language in ("en", None):
        for name in ("b.csv", "b.txt"):
            variables = {"input": {"fileName": name, "contentBase64": bad}}
            answer = await gql(client, UPLOAD, variables, token=world.tokens["finance"],
                               language=language)  # fmt: skip
            rows = answer["data"]["importBudgetFile"]["rejectedRows"]
            reasons[language, name] = rows[0]["reason"]
    assert reasons["en", "b.csv"].startswith('"x" is not one of: GENERAL_PUBLIC')
    assert reasons["en", "b.txt"] == "b.txt: only .xlsx or .csv files are accepted"
    assert not any(re.search(r"[\u3400-\u9fff]", reasons["en", n]) for n in ("b.csv", "b.txt"))
    assert reasons[None, "b.csv"].startswith("“x”不是以下之一：一般公共预算")
    assert reasons[None, "b.txt"] == "b.txt：只接受 .xlsx 或 .csv 文件"


async def test_two_imports_of_one_period_at_once_leave_one_current(
    client: httpx.AsyncClient,
) -> None:
    await suggestion_world(client)
    await budget_world()
    june = [r for r in EXECUTION_2025 if r[1] == "6"]
    first, second = await asyncio.gather(
        load("a.csv", [EXECUTION_HEADER, *june]), load("b.csv", [EXECUTION_HEADER, *june[:3]])
    )
    current = await BudgetYear.find_one(BudgetYear.year == 2025)
    assert current is not None
    winner = current.loads["EXECUTION-06"]
    assert winner in (first.import_id, second.import_id)
    rows = await Execution.find(Execution.year == 2025, Execution.month == 6).to_list()
    assert {r.load for r in rows} == {winner}  # the other's rows are gone, none doubled
    assert len(rows) == (len(june) if winner == first.import_id else 3)
    states = {r.file_name: r.state for r in await BudgetImport.find_all().to_list()}
    assert sorted([states["a.csv"], states["b.csv"]]) == [LoadState.CURRENT, LoadState.REPLACED]


async def test_an_upload_over_the_body_limit_is_refused_whole(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    before = await _state()
    content = "A" * (settings.max_body_bytes + 10)
    response = await client.post(
        "/graphql",
        json={"query": UPLOAD, "variables": {"input": {"fileName": "x.csv",
                                                       "contentBase64": content}}},
        headers={"Authorization": f"Bearer {world.tokens['finance']}"},
    )  # fmt: skip
    assert response.status_code == 413
    assert await _state() == before


async def test_finance_downloads_a_blank_template_of_each_layout(
    client: httpx.AsyncClient,
) -> None:
    finance = await signed_in(client, "finance1", Role.FINANCE)
    asked = "query($k: FileKind!) { budgetTemplate(kind: $k) { fileName mediaType contentBase64 } }"
    answer = await gql(client, asked, {"k": "EXECUTION"}, token=finance)
    template = answer["data"]["budgetTemplate"]
    assert template["fileName"] == "预算执行-模板.xlsx"
    sheets = load_workbook(io.BytesIO(base64.b64decode(template["contentBase64"])))
    assert [c.value for c in sheets.worksheets[0][1]] == EXECUTION_HEADER
    assert sheets.worksheets[1].title == "说明"
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    refused = await gql(client, asked, {"k": "EXECUTION"}, token=deputy)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
