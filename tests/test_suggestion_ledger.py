"""The ledger (台账) in and out: a good workbook imports whole; a workbook with bad rows
imports nothing and names every bad row, column and reason; any list exports to a workbook
with the columns the import reads."""

import base64
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from api.access import Role, Viewer
from api.app import create_app, stop_sync
from api.devservers.local import LocalServers
from api.models.suggestions import Suggestion, SuggestionState
from api.services import suggestion_ledger
from api.services.suggestion_tallies import check
from api.settings import Settings
from tests.conftest import drop_indexes, make_settings, release_database
from tests.factories import gql, jiandu, suggestion_world
from tests.suggestion_calls import in_state

HEADER = ["序号", "会次", "编号", "类别", "标题", "内容", "领衔代表", "附议代表", "主题分类",
          "关键词", "督办主线", "重点督办", "公开", "主办单位", "协办单位", "办理期限"]  # fmt: skip
SESSION = "青岚县第十八届人民代表大会第三次会议"
IMPORTER = Viewer(role=Role.STAFF, name="台账导入")


def row(n: int, **changes: Any) -> list[Any]:
    values = {
        "序号": n, "会次": SESSION, "编号": f"第{n:04d}号", "类别": "建议",
        "标题": f"关于第{n}项民生工程的建议", "内容": "建议加快推进。", "领衔代表": "王立新",
        "附议代表": "李秀英、张国栋", "主题分类": "民生", "关键词": "民生，工程",
        "督办主线": "", "重点督办": "否", "公开": "是", "主办单位": "青岚县交通运输局",
        "协办单位": "青岚县财政局", "办理期限": "2027/03/31",
    }  # fmt: skip
    values.update(changes)
    return [values[h] for h in HEADER]


def workbook(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


async def test_a_good_ledger_imports_whole(
    client: httpx.AsyncClient, servers: LocalServers, settings: Settings, tmp_path: Path
) -> None:
    await suggestion_world(client)
    rows = [row(1), row(2, 主办单位="", 协办单位="", 办理期限="", 重点督办="是", 公开="否",
                        督办主线="民生实事", 附议代表="")]  # fmt: skip
    path = workbook(tmp_path / "台账.xlsx", rows)
    run = jiandu(servers, settings.mongodb_database, "import", "suggestions", str(path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "导入 2 件建议" in run.stdout

    first, second = await Suggestion.find_all().sort("number").to_list()
    assert (first.state, first.number, str(first.deadline)) == (
        SuggestionState.ASSIGNED,
        1,
        "2027-03-31",
    )
    assert len(first.cosigner_ids) == 2 and len(first.unit_ids) == 2
    assert first.keywords == ["民生", "工程"]
    assert [e.action for e in first.timeline] == ["create", "submit", "register", "assign"]
    assert first.timeline[0].note == "台账导入第2行"
    assert (second.state, second.key_supervision, second.visibility, second.theme) == (
        SuggestionState.REGISTERED, True, "INTERNAL", "民生实事"
    )  # fmt: skip
    assert await check() is None, "imported suggestions are counted in the tallies"


async def test_a_ledger_with_bad_rows_imports_nothing_and_names_every_one(
    client: httpx.AsyncClient, servers: LocalServers, settings: Settings, tmp_path: Path
) -> None:
    world = await suggestion_world(client)
    await in_state(world, settings, SuggestionState.REGISTERED)  # takes 第0001号
    rows = [
        row(2),  # good
        row(1),  # number taken
        row(3, 领衔代表="赵无名"),
        row(4, 类别="提案"),
        row(5, 办理期限="明年春天"),
        row(6, 重点督办="也许"),
        row(7, 标题=""),
        row(8, 主办单位="青岚县不存在局"),
        row(2, 标题="重复编号"),
        row(9, 编号="九"),
        row(10, 会次="第二十届"),
    ]
    path = workbook(tmp_path / "台账.xlsx", rows)
    run = jiandu(servers, settings.mongodb_database, "import", "suggestions", str(path))
    assert run.returncode == 1
    expected = [
        "第3行，编号：第0001号在",
        "第4行，领衔代表：第18届没有名为赵无名的代表",
        "第5行，类别：“提案”不是以下之一：建议、批评、意见、议案",
        "第6行，办理期限：“明年春天”不是日期",
        "第7行，重点督办：“也许”应为“是”或“否”",
        "第8行，标题：标题应为 1 到 200 个字",
        "第9行，主办单位：没有名为“青岚县不存在局”的单位",
        "第10行，编号：第0002号在",
        "第11行，编号：“九”不是 1 到 99999 之间的编号",
        "第12行，会次：没有名为“第二十届”的会次",
    ]
    for line in expected:
        assert line in run.stdout, (line, run.stdout)
    assert run.stdout.count("  第") == len(expected), run.stdout
    assert await Suggestion.find_all().count() == 1  # only the one made before


async def test_a_file_that_is_not_a_ledger_is_refused(
    servers: LocalServers, settings: Settings, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    missing = workbook(tmp_path / "缺列.xlsx", [], header=["会次", "标题"])
    run = jiandu(servers, settings.mongodb_database, "import", "suggestions", str(missing))
    assert run.returncode == 1
    for column in ("编号", "类别", "内容", "领衔代表", "主题分类"):
        assert f"第1行，{column}：缺少必填列" in run.stdout
    text = tmp_path / "台账.xlsx"
    text.write_text("会次,编号\n")
    run = jiandu(servers, settings.mongodb_database, "import", "suggestions", str(text))
    assert run.returncode == 1 and "不是有效的 Excel 工作簿" in run.stdout


EXPORT = """query($filter: SuggestionFilter) {
  exportSuggestions(filter: $filter) { fileName mediaType contentBase64 rowCount }
}"""


async def test_any_list_exports_to_a_ledger_the_import_reads(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    await in_state(world, settings, SuggestionState.REPLIED, title="公路")
    await in_state(world, settings, SuggestionState.REGISTERED, by="other_deputy", title="张的")

    body = await gql(
        client, EXPORT, {"filter": {"states": ["REPLIED"]}}, token=world.tokens["staff"]
    )
    export = body["data"]["exportSuggestions"]
    assert export["rowCount"] == 1 and export["fileName"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(base64.b64decode(export["contentBase64"])))
    assert book.properties.creator == "监督（jiandu）", "not the library's own name"
    sheet = book.active
    assert sheet is not None
    header, first = list(sheet.iter_rows(values_only=True))
    assert header[:15] == tuple(HEADER[1:])
    values = dict(zip(header, first, strict=True))
    assert (values["编号"], values["标题"], values["领衔代表"], values["附议代表"]) == (
        "第0001号", "公路", "王立新", "李秀英"
    )  # fmt: skip
    assert (values["主办单位"], values["状态"], values["答复类别"], values["公开"]) == (
        "青岚县交通运输局", "已答复", "B", "否"
    )  # fmt: skip

    # A deputy exports only what they may see; the public may not export.
    body = await gql(client, EXPORT, token=world.tokens["deputy"])
    assert body["data"]["exportSuggestions"]["rowCount"] == 1
    body = await gql(client, EXPORT)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_oversized_ledger_is_refused_whole(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await suggestion_world(client)
    monkeypatch.setattr(suggestion_ledger, "ROWS_MAX", 2)
    path = workbook(tmp_path / "台账.xlsx", [row(1), row(2), row(3)])
    with pytest.raises(suggestion_ledger.FileRejected) as refused:
        await suggestion_ledger.import_ledger(path, viewer=IMPORTER, settings=settings)
    assert refused.value.errors == [suggestion_ledger.RowError(4, "", "超过 2 行")]
    assert await Suggestion.find_all().count() == 0


async def test_an_export_beyond_the_limit_asks_to_narrow_the_list(
    servers: LocalServers, tmp_path: Path
) -> None:
    settings = make_settings(servers, export_max_rows=1)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                world = await suggestion_world(client)
                for _ in range(2):
                    await in_state(world, settings, SuggestionState.REGISTERED)
                body = await gql(client, EXPORT, token=world.tokens["staff"])
                error = body["errors"][0]
                assert error["extensions"]["code"] == "INVALID_INPUT"
                assert (
                    "列表中有 2 件建议" in error["message"] and "最多导出 1 件" in error["message"]
                )
                one = await gql(client, EXPORT, {"filter": {"states": ["REGISTERED"],
                                                            "deputyId": world.ids["zhang"]}},
                                token=world.tokens["staff"])  # fmt: skip
                assert one["data"]["exportSuggestions"]["rowCount"] == 0
        finally:
            await stop_sync(app)
            await release_database(app.state.resources)
    await drop_indexes(app.state.resources)
