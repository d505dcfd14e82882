"""Budget warnings: rules as checked data, evaluation against figures worked out by hand from
``budget_world`` (PPP at exactly 5% and 10% and a fen either side), idempotent re-runs, the
warning loop through GraphQL, warnings imported from offline checks, and the quarterly
bulletin as data and as a Word document."""

import asyncio
import base64
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from docx.oxml.ns import qn

from api.access import Role
from api.devservers.local import LocalServers
from api.models.users import User
from api.models.warnings import BudgetWarning, WarningState
from api.services.bulletin_document import SECTIONS
from api.services.tokens import create_api_token
from api.services.warning_evaluation import evaluate
from api.settings import Settings
from seed.demo import DEMO_PASSWORD, load_demo
from tests.budget_world import (
    EXECUTION_2025,
    EXECUTION_HEADER,
    LINE_HEADER,
    LINES_2025,
    PROJECT_HEADER,
    PROJECTS_2025,
    budget_world,
    csv_bytes,
    load,
)
from tests.factories import World, data, gql, jiandu, login, suggestion_world
from tests.test_rectification import refused, step

WARNINGS = """query($f: WarningFilter) { budgetWarnings(filter: $f, first: 100) { totalCount
  edges { node { id kind subject severity state triggered period title message deadline
    figures { name value unit } budgetLinks { kind departmentCode project }
    units { name } answers { kind text } nextSteps { name } } } } }"""
EVALUATE = """mutation($p: String!) { evaluateWarnings(period: $p) { period
  outcomes { rule { name kind } checked raised updated cleared skipped }
  errors { field code message } } }"""
RULE_FIELDS = "rule { id name kind scope enabled parameters { name value } }"
CREATE_RULE = f"""mutation($input: CreateWarningRuleInput!) {{ createWarningRule(input: $input)
  {{ {RULE_FIELDS} errors {{ field code message }} }} }}"""
UPDATE_RULE = f"""mutation($input: UpdateWarningRuleInput!) {{ updateWarningRule(input: $input)
  {{ {RULE_FIELDS} errors {{ field code message }} }} }}"""


async def world(client: httpx.AsyncClient) -> World:
    found = await suggestion_world(client)
    await budget_world()
    return found


async def warnings(client: httpx.AsyncClient, token: str, **f: Any) -> dict[str, dict[str, Any]]:
    """The warnings listed, by subject."""
    found = (await data(client, WARNINGS, token, f=f))["budgetWarnings"]
    assert found["totalCount"] == len(found["edges"])
    return {e["node"]["subject"]: e["node"] for e in found["edges"]}


def figures(warning: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in warning["figures"]}


async def test_an_import_runs_the_rules_for_its_newest_month_and_each_quarter_end(
    client: httpx.AsyncClient,
) -> None:
    await world(client)

    async def months() -> set[int]:
        return {w.month for w in await BudgetWarning.find(BudgetWarning.year == 2025).to_list()}

    before = await months()
    assert 2 not in before and 3 not in before and 4 not in before
    # February to April, every line far behind time progress: a lag in each month
    june = [r for r in EXECUTION_2025 if r[1] == "6"]
    behind = [[r[0], m, *r[2:6], "1.00"] for m in ("2", "3", "4") for r in june]
    await load("q1.csv", [EXECUTION_HEADER, *behind])
    assert await months() - before == {3, 4}, "March ends a quarter, April is the newest"


async def test_rules_evaluated_against_hand_figures(client: httpx.AsyncClient) -> None:
    w = await world(client)
    staff = w.tokens["staff"]
    # the budget imports have run the default rules already; this run finds the same
    found = (await data(client, EVALUATE, staff, p="2025-06"))["evaluateWarnings"]
    assert found["errors"] == [] and found["period"] == "2025-06"
    outcomes = {o["rule"]["kind"]: o for o in found["outcomes"]}
    assert len(outcomes) == 6
    assert sum(o["raised"] for o in outcomes.values()) == 0
    assert outcomes["EXECUTION_LAG"]["checked"] == 4  # 101, 10101, 102, 103
    assert outcomes["NON_TAX_SHARE"]["skipped"].startswith("no tax (101) or non-tax (103)")
    got = await warnings(client, staff, year=2025, months=[6])
    assert {s: (v["kind"], v["severity"]) for s, v in got.items()} == {
        # 3,000,000.10 adjusted, 900,000.05 spent: 30.0000006%, 19.9999994 points behind 50%
        "青岚县交通运输局": ("EXECUTION_LAG", "WARNING"),
        # 500,000.20 adjusted, 100,000.10 spent: 20.00001%, 29.99999 points behind
        "青岚县公路事业发展中心": ("EXECUTION_LAG", "SERIOUS"),
        # 8,000,000 planned, 2,000,000 paid: 25 points behind
        "石门至青岚农村公路改建工程": ("PROJECT_PAYMENT_LAG", "WARNING"),
        # 4,500,000,000 / 3,000,000,000 = 150% > 120%
        "青岚县": ("DEBT_RATIO", "SERIOUS"),
        # "三公" 30,000 against 20,000 a year before: +50% > 10%
        "青岚县民政局": ("THREE_PUBLIC_GROWTH", "SERIOUS"),
    }
    roads = got["青岚县交通运输局"]
    assert figures(roads) == {"adjusted": "3000000.10", "executed": "900000.05", "rate": "30.00",
                              "time_progress": "50.00", "lag": "20.00"}  # fmt: skip
    assert roads["period"] == "2025-06" and roads["state"] == "OPEN" and roads["triggered"]
    assert roads["budgetLinks"] == [{"kind": "DEPARTMENT", "departmentCode": "101",
                                     "project": ""}]  # fmt: skip
    assert "执行率30.00%" in roads["message"] and "低于时间进度50.00%" in roads["message"]
    assert figures(got["青岚县"])["ratio"] == "150.00"
    assert figures(got["青岚县民政局"])["growth"] == "50.00"
    assert {"kind": "PROJECT", "departmentCode": "", "project": "XM-001"} in got[
        "石门至青岚农村公路改建工程"]["budgetLinks"]  # fmt: skip
    # 2024 was evaluated when its execution came: 101 spent 25% of 800,000
    assert set(await warnings(client, staff, year=2024)) == {"青岚县交通运输局"}

    # a month without figures is refused, not silently empty
    missing = (await data(client, EVALUATE, staff, p="2025-07"))["evaluateWarnings"]
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    assert "5 月、6 月" in missing["errors"][0]["message"]
    bad = (await data(client, EVALUATE, staff, p="2025-13"))["evaluateWarnings"]
    assert bad["errors"][0]["code"] == "INVALID_INPUT"
    body = await gql(client, EVALUATE, {"p": "2025-06"}, token=w.tokens["deputy"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_re_runs_update_the_same_warnings(client: httpx.AsyncClient) -> None:
    w = await world(client)
    staff = w.tokens["staff"]
    before = await BudgetWarning.find_all().count()
    roads = (await warnings(client, staff, year=2025, kinds=["EXECUTION_LAG"]))["青岚县交通运输局"]
    await step(client, staff, roads["id"], "issue")
    for _ in range(2):
        found = (await data(client, EVALUATE, staff, p="2025-06"))["evaluateWarnings"]
        assert sum(o["raised"] for o in found["outcomes"]) == 0
        assert sum(o["updated"] for o in found["outcomes"]) == 5
    assert await BudgetWarning.find_all().count() == before
    again = (await warnings(client, staff, year=2025, kinds=["EXECUTION_LAG"]))["青岚县交通运输局"]
    assert again["id"] == roads["id"] and again["state"] == "ISSUED"
    # two runs at the same moment raise nothing twice
    await BudgetWarning.find(BudgetWarning.year == 2025).delete()
    await asyncio.gather(evaluate(2025, 6), evaluate(2025, 6))
    assert await BudgetWarning.find(BudgetWarning.year == 2025).count() == 5


async def ppp(client: httpx.AsyncClient, token: str, planned: str) -> dict[str, Any] | None:
    """Import the year's projects with a PPP project of ``planned`` 元 this year (the import
    runs the rules), and return the PPP warning of 2025-06, if any."""
    row = ["2025", "XM-004", "青溪河污水处理PPP项目", "生态", "101", "2140104", "PPP/其他",
           "90000000", planned, planned, "在建"]  # fmt: skip
    await load("projects.csv", [PROJECT_HEADER, *PROJECTS_2025, row])
    found = await warnings(client, token, year=2025, months=[6], kinds=["PPP_SHARE"])
    assert len(found) <= 1
    return found.get("青岚县")


async def test_ppp_share_at_its_boundaries(client: httpx.AsyncClient) -> None:
    """General public budget expenditure 2025: 2,650,000.60 元. 5% of it is 132,500.03 元
    exactly, 10% is 265,000.06 元."""
    w = await world(client)
    staff = w.tokens["staff"]
    assert await ppp(client, staff, "132500.03") is None  # exactly 5%: not above
    warning = await ppp(client, staff, "132500.04")
    assert warning is not None and warning["severity"] == "WARNING" and warning["triggered"]
    assert figures(warning) == {"ppp": "132500.04", "general_expenditure": "2650000.60",
                                "share": "5.00"}  # fmt: skip
    exactly_ten = await ppp(client, staff, "265000.06")
    assert exactly_ten is not None and exactly_ten["severity"] == "WARNING"
    assert exactly_ten["id"] == warning["id"]
    serious = await ppp(client, staff, "265000.07")
    assert serious is not None and serious["severity"] == "SERIOUS"
    assert serious["id"] == warning["id"] and "超过10%" in serious["message"]
    cleared = await ppp(client, staff, "1000")
    assert cleared is not None and cleared["triggered"] is False
    assert cleared["severity"] == "SERIOUS"  # what it last found


async def test_non_tax_share_from_revenue(client: httpx.AsyncClient) -> None:
    w = await world(client)
    revenue = [
        ["2025", "一般公共预算", "103", "10101", "收入", "1000000", "1000000", "否"],
        ["2025", "一般公共预算", "103", "10302", "收入", "700000", "700000", "否"],
    ]
    executed = [["2025", "6", "一般公共预算", "103", "10101", "收入", "600000"],
                ["2025", "6", "一般公共预算", "103", "10302", "收入", "400000"]]  # fmt: skip
    await load("lines.csv", [LINE_HEADER, *LINES_2025, *revenue])
    await load("execution.csv", [EXECUTION_HEADER, *EXECUTION_2025, *executed])
    found = await warnings(client, w.tokens["staff"], kinds=["NON_TAX_SHARE"])
    # 400,000 of 1,000,000: 40%, above 30 but not above 40
    assert found["青岚县"]["severity"] == "WARNING"
    assert figures(found["青岚县"]) == {"non_tax": "400000.00", "revenue": "1000000.00",
                                        "share": "40.00"}  # fmt: skip


async def test_rules_are_checked_data_for_admins(client: httpx.AsyncClient) -> None:
    w = await world(client)
    admin = w.tokens["admin"]

    async def created(**fields: Any) -> dict[str, Any]:
        values = {"name": "按科目监测", "kind": "EXECUTION_LAG", "scope": "LINE",
                  "parameters": [{"name": "warning", "value": "10"},
                                 {"name": "serious", "value": "30"},
                                 {"name": "minimum_adjusted", "value": "0"}], **fields}  # fmt: skip
        return dict((await data(client, CREATE_RULE, admin, input=values))["createWarningRule"])

    def error(found: dict[str, Any]) -> tuple[str, str]:
        assert found["rule"] is None and len(found["errors"]) == 1, found
        return found["errors"][0]["field"], found["errors"][0]["message"]

    ppp = {"kind": "PPP_SHARE", "scope": None}

    def pairs(**values: str) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in values.items()]

    assert error(await created(**ppp, parameters=pairs(warning="5")))[0] == "serious"
    field, message = error(await created(**ppp, parameters=pairs(warning="150", serious="10")))
    assert field == "warning" and "应在 0 到 100 之间，现为 150" in message
    unknown = await created(**ppp, parameters=pairs(warning="5", serious="10", limit="1"))
    assert error(unknown)[0] == "limit"
    assert (
        error(await created(**ppp, parameters=pairs(warning="abc", serious="10")))[0] == "warning"
    )
    assert error(await created(**ppp, parameters=pairs(warning="8", serious="6")))[0] == "serious"
    assert error(await created(scope=None))[0] == "scope"
    assert error(await created(**{**ppp, "scope": "LINE"}))[0] == "scope"
    assert error(await created(name="PPP项目支出责任占比"))[0] == "name"  # a default rule's name
    values = {"name": "x", "kind": "PPP_SHARE", "parameters": []}
    body = await gql(client, CREATE_RULE, {"input": values}, token=w.tokens["staff"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    rule = (await created())["rule"]
    assert rule["scope"] == "LINE" and rule["enabled"]
    found = (await data(client, EVALUATE, w.tokens["staff"], p="2025-06"))["evaluateWarnings"]
    lines = next(o for o in found["outcomes"] if o["rule"]["name"] == "按科目监测")
    assert lines["checked"] == 6 and lines["raised"] == 2
    by_line = await warnings(client, w.tokens["staff"], year=2025, kinds=["EXECUTION_LAG"])
    # 101's 2140104 is 9.999999 points behind: not above 10; its fund line 25; 10101's 29.99999
    assert {s for s in by_line if "（" in s} == {
        "青岚县交通运输局 2120801 征地和拆迁补偿支出（政府性基金预算）",
        "青岚县公路事业发展中心 2140106 公路养护（一般公共预算）",
    }
    changed = (await data(client, UPDATE_RULE, admin, input={
        "id": rule["id"], "enabled": False, "parameters": [{"name": "serious", "value": "5"}]}))[
        "updateWarningRule"]  # fmt: skip
    assert error(changed)[0] == "serious"
    unknown = {"id": "V2FybmluZ1J1bGU6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw", "enabled": False}
    assert error((await data(client, UPDATE_RULE, admin, input=unknown))["updateWarningRule"])[
        0] == "id"  # fmt: skip
    changed = (await data(client, UPDATE_RULE, admin, input={
        "id": rule["id"], "enabled": False, "parameters": [{"name": "serious", "value": "40"}]}))[
        "updateWarningRule"]["rule"]  # fmt: skip
    assert changed["enabled"] is False
    assert {p["name"]: p["value"] for p in changed["parameters"]}["serious"] == "40"
    found = (await data(client, EVALUATE, w.tokens["staff"], p="2025-06"))["evaluateWarnings"]
    assert "按科目监测" not in [o["rule"]["name"] for o in found["outcomes"]]
    kinds = await data(client, "{ warningRuleKinds { kind parameters { name default } } }", admin)
    assert len(kinds["warningRuleKinds"]) == 6


async def test_a_warning_goes_round_its_loop(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await world(client)
    staff, unit, other = w.tokens["staff"], w.tokens["lead_unit"], w.tokens["other_unit"]
    found = await warnings(client, staff, year=2025, months=[6])
    roads, centre, debt = (
        found["青岚县交通运输局"],
        found["青岚县公路事业发展中心"],
        found["青岚县"],
    )
    assert roads["nextSteps"] == [{"name": "issue"}, {"name": "dismiss"}, {"name": "attach"}]
    assert await warnings(client, unit, year=2025) == {}  # not issued yet: staff only
    no_unit = await refused(client, staff, centre["id"], "issue")
    assert no_unit["field"] == "unitIds" and "没有对应的承办单位" in no_unit["message"]
    assert (await refused(client, unit, roads["id"], "issue"))["code"] == "FORBIDDEN"  # staff's

    issued = await step(client, staff, roads["id"], "issue")  # to 101's unit
    assert issued["units"] == [{"name": "青岚县交通运输局"}]
    assert issued["deadline"] == (settings.today() + timedelta(days=30)).isoformat()
    mine = await warnings(client, unit, year=2025)
    assert set(mine) == {"青岚县交通运输局"} and mine["青岚县交通运输局"]["nextSteps"] == [
        {"name": "accept"}, {"name": "attach"}]  # fmt: skip
    assert await warnings(client, other, year=2025) == {}
    error = await refused(client, unit, roads["id"], "respond", text="已加快")
    assert error["code"] == "CONFLICT" and "ISSUED" in error["message"]
    await step(client, unit, roads["id"], "accept", note="已签收")
    done = await step(client, unit, roads["id"], "respond", text="已拨付农村公路资金60万元。")
    assert done["warningState"] == "RESPONDED"
    assert (await refused(client, unit, roads["id"], "close"))["code"] == "FORBIDDEN"
    await step(client, staff, roads["id"], "return", note="请说明全年执行计划")
    await step(client, unit, roads["id"], "respond", text="全年计划已报。")
    done = await step(client, staff, roads["id"], "close")
    assert done["warningState"] == "CLOSED"
    assert [a["kind"] for a in done["answers"]] == ["RESPONSE", "RESPONSE"]

    assert (await refused(client, staff, centre["id"], "dismiss", note=""))["field"] == "note"
    dismissed = await step(client, staff, centre["id"], "dismiss", note="核实为年底集中支付项目")
    assert dismissed["warningState"] == "DISMISSED", "核实销号 is not a rectified close"
    late = await refused(client, staff, debt["id"], "issue", unitIds=[w.ids["finance"]],
                         deadline=(settings.today() + timedelta(days=400)).isoformat())  # fmt: skip
    assert late["field"] == "deadline"

    # finance sees the warnings issued to its own unit, and answers them
    user = User(username="caizheng", display_name="财政局", role=Role.FINANCE,
                unit_id=w.documents["finance"].id)  # fmt: skip
    await user.insert()
    token, _ = await create_api_token(user=user, name="t", expires_in_days=1, settings=settings)
    assert await warnings(client, w.tokens["finance"], year=2025) == {}
    await step(client, staff, debt["id"], "issue", unitIds=[w.ids["finance"]])
    assert set(await warnings(client, token, year=2025)) == {"青岚县"}
    assert (await step(client, token, debt["id"], "accept"))["warningState"] == "RECTIFYING"
    assert set(await warnings(client, w.tokens["finance"], year=2025)) == set()
    overview = "{ supervisionOverview(year: 2025) { totals { kind open overdue } } }"
    totals = (await data(client, overview, staff))["supervisionOverview"]["totals"]
    assert {t["kind"]: t["open"] for t in totals}["WARNING"] == len(
        await warnings(client, staff, states=["OPEN", "ISSUED", "RECTIFYING", "RESPONDED"])
    )
    assert await BudgetWarning.find(BudgetWarning.state == WarningState.CLOSED).count() == 1
    assert await BudgetWarning.find(BudgetWarning.state == WarningState.DISMISSED).count() == 1


IMPORT = """mutation($input: ImportWarningsInput!) { importWarnings(input: $input) { imported
  rejectedRows { row column reason } errors { code message } } }"""
WARNING_HEADER = ["预警编号", "期间", "预警等级", "标题", "预警内容", "部门编码"]


async def test_warnings_imported_from_offline_checks(client: httpx.AsyncClient) -> None:
    w = await world(client)
    staff = w.tokens["staff"]

    async def upload(rows: list[list[str]], token: str = staff) -> dict[str, Any]:
        content = base64.b64encode(csv_bytes([WARNING_HEADER, *rows])).decode()
        found = await data(client, IMPORT, token, input={"fileName": "预警.csv",
                                                          "contentBase64": content})  # fmt: skip
        return dict(found["importWarnings"])

    before = await BudgetWarning.find_all().count()
    bad = await upload([
        ["YJ-2025-01", "2025-06", "一般预警", "教育局公用经费超标准", "核查发现……", "102"],
        ["YJ-2025-02", "2025-13", "一般预警", "月份有误", "……", ""],
        ["YJ-2025-03", "2025-06", "红色", "等级有误", "……", ""],
        ["YJ-2025-04", "2025-06", "严重预警", "部门有误", "……", "999"],
        ["YJ-2025-01", "2025-06", "严重预警", "编号重复", "……", ""],
        ["YJ-2025-05", "2025-06", "严重预警", "", "……", ""],
    ])  # fmt: skip
    assert bad["imported"] == 0
    assert [(r["row"], r["column"]) for r in bad["rejectedRows"]] == [
        (3, "期间"),
        (4, "预警等级"),
        (5, "部门编码"),
        (6, "预警编号"),
        (7, "标题"),
    ]
    assert await BudgetWarning.find_all().count() == before
    good = [["YJ-2025-01", "2025-06", "一般预警", "教育局公用经费超标准", "核查发现……", "102"],
            ["YJ-2025-02", "2025-05", "严重预警", "专项资金未及时拨付", "……", ""]]  # fmt: skip
    assert (await upload(good))["imported"] == 2
    again = await upload(good)
    assert again["imported"] == 0 and len(again["rejectedRows"]) == 2
    assert "以前已经导入" in again["rejectedRows"][0]["reason"]
    found = await warnings(client, staff, source="IMPORTED")
    assert found["青岚县教育局"]["kind"] is None and found["青岚县教育局"]["state"] == "OPEN"
    body = await gql(client, IMPORT, {"input": {"fileName": "a.csv", "contentBase64": "eA=="}},
                     token=w.tokens["lead_unit"])  # fmt: skip
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    not_base64 = await data(client, IMPORT, staff, input={"fileName": "a.csv",
                                                          "contentBase64": "%%%"})  # fmt: skip
    reason = not_base64["importWarnings"]["rejectedRows"][0]["reason"]
    assert reason == "contentBase64 不是有效的 base64"


BULLETIN = """query($q: String!) { bulletin(quarter: $q) { title year quarter month
  total { adjusted executed executionRate timeProgress }
  books { book figures { adjusted executed executionRate } }
  monthly { month executed } worstDepartments { code figures { executionRate } }
  warnings { subject severity } tallies { kind raised serious closed dismissed }
  problems recommendations
  opinions { total closed points pointsRectified } auditFindings { total longOpen }
  warningProgress { total closed dismissed }
  wordDocument { fileName mediaType contentBase64 } } }"""


async def test_the_quarterly_bulletin(
    client: httpx.AsyncClient, servers: LocalServers, settings: Settings, tmp_path: Path
) -> None:
    w = await world(client)
    staff = w.tokens["staff"]
    listed = await warnings(client, staff, year=2025, kinds=["THREE_PUBLIC_GROWTH"])
    (three,) = [v for v in listed.values() if v["period"].startswith("2025-0")]
    await step(client, staff, three["id"], "dismiss", note="核实为上年基数口径调整")
    found = (await data(client, BULLETIN, staff, q="2025Q2"))["bulletin"]
    assert found["title"] == "青岚县预算联网监督简报（2025年第二季度）" and found["month"] == 6
    assert found["total"] == {"adjusted": "4650000.60", "executed": "1780000.30",
                              "executionRate": "38.28", "timeProgress": "50.00"}  # fmt: skip
    assert [m["month"] for m in found["monthly"]] == [5, 6]
    assert [d["code"] for d in found["worstDepartments"]] == ["10101", "101", "103", "102"]
    assert len(found["warnings"]) == 5 and found["warnings"][0]["severity"] == "SERIOUS"
    assert {t["kind"]: t["raised"] for t in found["tallies"]} == {
        "EXECUTION_LAG": 2,
        "PROJECT_PAYMENT_LAG": 1,
        "DEBT_RATIO": 1,
        "THREE_PUBLIC_GROWTH": 1,
    }
    dismissed = {t["kind"]: (t["closed"], t["dismissed"]) for t in found["tallies"]}
    assert dismissed["THREE_PUBLIC_GROWTH"] == (0, 1), "dismissed, counted apart from closed"
    assert found["warningProgress"] == {"total": 5, "closed": 0, "dismissed": 1}
    assert any(p.startswith("支出执行进度滞后：本季度预警2条（其中严重预警1条）")
               for p in found["problems"])  # fmt: skip
    assert len(found["recommendations"]) == 4

    document = docx.Document(io.BytesIO(base64.b64decode(found["wordDocument"]["contentBase64"])))
    section = document.sections[0]  # A4, GB/T 9704 margins, Chinese fonts, its own properties
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert (section.top_margin.mm, section.left_margin.mm) == pytest.approx((37, 28), abs=0.1)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Normal"].font.size.pt == 16
    properties = document.core_properties
    assert properties.author == "青岚县人大常委会" and properties.title == found["title"]
    assert properties.created.year >= 2026 and properties.language == "zh-CN"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == list(SECTIONS)
    assert document.paragraphs[0].text == found["title"]
    books = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert books[1] == ["一般公共预算", "265.00", "128.00", "48.30%", "50.00%"]
    assert books[2] == ["政府性基金预算", "200.00", "50.00", "25.00%", "50.00%"]
    assert len(document.inline_shapes) == 1  # the chart
    assert any("图1" in p.text for p in document.paragraphs)
    warning_rows = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert len(warning_rows) == 6 and warning_rows[1][0] == "严重预警"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "本季度共产生预警5条，其中严重预警3条，已整改办结0条，核实销号1条" in text
    assert "已核实销号" in [row[3] for row in warning_rows], "its state, not 已办结"
    assert "本季度预警共5件，已办结0件，已报告待审0件，逾期0件，核实销号1件。" in text

    for quarter, code in (("2025Q4", "NOT_FOUND"), ("2025Q5", "INVALID_INPUT")):
        body = await gql(client, BULLETIN, {"q": quarter}, token=staff)
        assert body["errors"][0]["extensions"]["code"] == code
    body = await gql(client, BULLETIN, {"q": "2025Q2"}, token=w.tokens["deputy"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # the same from the command line
    target = tmp_path / "简报.docx"
    run = jiandu(servers, settings.mongodb_database, "bulletin", "--quarter", "2025Q2",
                 "--output", str(target))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert docx.Document(str(target)).paragraphs[0].text == found["title"]
    run = jiandu(servers, settings.mongodb_database, "warnings", "evaluate", "--period", "2025-06")
    assert (
        run.returncode == 0
        and "部门支出执行进度滞后: 比对 4 项，新发预警 0 条，更新 2 条" in run.stdout
    )
    run = jiandu(servers, settings.mongodb_database, "warnings", "evaluate", "--period", "2025-08")
    assert run.returncode == 1 and "2025-08 还没有预算执行数" in run.stdout + run.stderr


async def test_the_demo_county_has_records_in_every_state(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(settings)
    staff = await login(client, "staff", DEMO_PASSWORD)
    found = await data(
        client,
        """{
      opinions { edges { node { state points { rectified } } } }
      auditFindings(filter: {openMonths: 12}) { totalCount }
      budgetWarnings(first: 100) { totalCount edges { node { state kind } } } }""",
        staff,
    )
    opinions = [e["node"] for e in found["opinions"]["edges"]]
    assert {o["state"] for o in opinions} == {"CLOSED", "REPORTED", "RECTIFYING", "ISSUED"}
    points = [p["rectified"] for o in opinions for p in o["points"]]
    assert any(points) and not all(points)
    assert found["auditFindings"]["totalCount"] == 1
    states = {e["node"]["state"] for e in found["budgetWarnings"]["edges"]}
    assert states == {"OPEN", "ISSUED", "RECTIFYING", "RESPONDED", "CLOSED", "DISMISSED"}
    kinds = {e["node"]["kind"] for e in found["budgetWarnings"]["edges"]}
    assert {"EXECUTION_LAG", "NON_TAX_SHARE", "PROJECT_PAYMENT_LAG"} <= kinds
    today = settings.today()
    month = today.month - 1 or 12
    quarter = f"{today.year if today.month > 1 else today.year - 1}Q{(month - 1) // 3 + 1}"
    bulletin = (await data(client, BULLETIN, staff, q=quarter))["bulletin"]
    assert bulletin["title"].startswith("青岚县预算联网监督简报") and bulletin["problems"]
