"""Public disclosure of direct funds (财政直达资金信息公开) down to the village, as the public
reads it: finance imports the year's allocations like any budget file (all or none, people's
data refused), anyone reads the county, a township and a village, by topic; and a complaint
submitted without an account, followed with its receipt, answered in public."""

import asyncio
from typing import Any

import httpx
import pytest

from api.models.budget import DirectFundAllocation, DirectFundSum, FileKind
from api.models.complaints import Complaint
from api.services.sheets import FileRejected
from api.settings import Settings
from seed.demo import DEMO_PASSWORD, load_demo
from tests.budget_world import REGIONS, load
from tests.factories import data, gql, login, suggestion_world

HEADER = ["年度", "资金编码", "政策名称", "资金用途", "补助标准", "地区编码", "村（社区）",
          "下达金额", "支付金额", "受益户数", "受益人数"]  # fmt: skip
ROWS_2025 = [
    # The county holds some money itself; 石门镇 pays three villages and holds the rest.
    ["2025", "ZD-01", "耕地地力保护补贴", "农业农村", "每亩 120 元", "QL", "", "50000", "50000",
     "", ""],
    ["2025", "ZD-01", "耕地地力保护补贴", "农业农村", "每亩 120 元", "QL-SM", "青溪村",
     "120000.50", "100000.25", "310", "1020"],
    ["2025", "ZD-01", "耕地地力保护补贴", "农业农村", "每亩 120 元", "QL-SM", "石门社区",
     "30000", "30000", "80", "260"],
    ["2025", "ZD-02", "城乡居民最低生活保障", "社会保障", "每人每月 560 元", "QL-SM", "青溪村",
     "67200", "50400", "12", "20"],
    ["2025", "ZD-02", "城乡居民最低生活保障", "社会保障", "每人每月 560 元", "QL-SM", "白沙村",
     "33600", "33600", "5", "5"],
    ["2025", "ZD-03", "义务教育学生营养改善计划", "教育", "每生每天 5 元", "QL-SM", "",
     "90000", "45000", "", "900"],
]  # fmt: skip
DISCLOSURE = """query($year: Int!, $region: String, $village: String!, $topic: String!) {
  directFunds(year: $year, regionCode: $region, village: $village, topic: $topic) {
    year region { code name } village topic
    total { allocated paid paidRate households persons }
    areas { key name figures { allocated paid } }
    topics { key figures { allocated } }
    policies { key name standard figures { allocated paid paidRate households persons } }
  }
}"""


async def disclosed(client: httpx.AsyncClient, region: str | None = None, village: str = "",
                    topic: str = "", token: str | None = None) -> Any:  # fmt: skip
    values = {"year": 2025, "region": region, "village": village, "topic": topic}
    return (await data(client, DISCLOSURE, token, **values))["directFunds"]


async def refused_query(client: httpx.AsyncClient, **values: Any) -> tuple[str, str]:
    body = await gql(client, DISCLOSURE, {"year": 2025, "village": "", "topic": "", **values})
    (error,) = body["errors"]
    return error["extensions"]["code"], error["message"]


async def test_the_public_reads_a_years_direct_funds_down_to_the_village(
    client: httpx.AsyncClient,
) -> None:
    await load("regions.csv", REGIONS)
    code, message = await refused_query(client)
    assert code == "NOT_FOUND" and "已公开的年度：无" in message, "nothing published yet"
    report = await load("direct-2025.csv", [HEADER, *ROWS_2025])
    years = await data(client, "{ publishedYears { directFunds townshipPages } }")
    assert years["publishedYears"] == {"directFunds": [2025], "townshipPages": []}
    assert report.kind is FileKind.DIRECT_FUNDS and report.rows == 6

    county = await disclosed(client)
    assert county["region"] is None
    assert county["total"] == {"allocated": "390800.50", "paid": "309000.25",
                               "paidRate": "79.07", "households": 407, "persons": 2205}  # fmt: skip
    assert [(a["key"], a["name"], a["figures"]["allocated"]) for a in county["areas"]] == [
        ("QL-SM", "石门镇", "340800.50"), ("QL", "青岚县（县本级）", "50000.00")]  # fmt: skip
    assert [t["key"] for t in county["topics"]] == ["农业农村", "社会保障", "教育"]
    farmland = county["policies"][0]
    assert (farmland["key"], farmland["name"], farmland["standard"]) == (
        "ZD-01", "耕地地力保护补贴", "每亩 120 元")  # fmt: skip
    assert farmland["figures"]["allocated"] == "200000.50"

    township = await disclosed(client, "QL-SM")
    assert township["region"] == {"code": "QL-SM", "name": "石门镇"}
    assert [(a["key"], a["name"], a["figures"]["allocated"]) for a in township["areas"]] == [
        ("青溪村", "青溪村", "187200.50"), ("", "石门镇本级", "90000.00"),
        ("白沙村", "白沙村", "33600.00"), ("石门社区", "石门社区", "30000.00")]  # fmt: skip

    village = await disclosed(client, "QL-SM", "青溪村")
    assert village["areas"] == [] and village["total"]["households"] == 322
    assert [(p["name"], p["figures"]["paidRate"]) for p in village["policies"]] == [
        ("耕地地力保护补贴", "83.33"), ("城乡居民最低生活保障", "75.00")]  # fmt: skip
    by_topic = await disclosed(client, "QL-SM", topic="社会保障")
    assert by_topic["total"]["allocated"] == "100800.00" and len(by_topic["areas"]) == 2

    # Signed in or not, everyone reads the same; questions that cannot be answered say why.
    staff = await suggestion_world(client)
    assert await disclosed(client, token=staff.tokens["deputy"]) == county
    code, message = await refused_query(client, year=2024)
    assert code == "NOT_FOUND" and "已公开的年度：2025" in message
    assert (await refused_query(client, region="QL-XX"))[0] == "NOT_FOUND"
    code, message = await refused_query(client, region="QL-SM", village="无此村")
    assert code == "NOT_FOUND" and "无此村" in message
    assert (await refused_query(client, village="青溪村"))[0] == "INVALID_INPUT"
    assert (await refused_query(client, year=1800))[0] == "INVALID_INPUT"
    for field, long in (("topic", "长" * 31), ("village", "长" * 31), ("regionCode", "Q" * 41)):
        body = await gql(client, DISCLOSURE, {"year": 2025, "village": "", "topic": "",
                                              field.replace("Code", ""): long})  # fmt: skip
        assert body["errors"][0]["extensions"]["field"] == field, body
    code, message = await refused_query(client, topic="住房")
    assert code == "NOT_FOUND" and "农业农村、教育、社会保障" in message, message
    code, message = await refused_query(client, region="QL-SM", village="白沙村", topic="教育")
    assert code == "NOT_FOUND" and "白沙村" in message and "教育" in message


async def test_a_bad_direct_funds_file_changes_nothing_and_a_new_one_replaces_the_old(
    client: httpx.AsyncClient,
) -> None:
    await load("regions.csv", REGIONS)
    await load("direct-2025.csv", [HEADER, *ROWS_2025])
    first = await DirectFundAllocation.find_one({})
    assert first is not None

    bad = [
        ["2025", "ZD-09", "临时救助", "社会保障", "", "QL-SM", "青溪村", "100", "0", "1", "1"],
        ["2025", "ZD-09", "临时救助", "社会保障", "", "QL-XX", "", "100", "0", "", ""],
        ["2025", "ZD-09", "临时救助", "社会保障", "", "QL-SM", "青溪村", "100", "0", "1", "1"],
        ["2025", "ZD-10", "", "社会保障", "", "QL-SM", "", "-5", "0", "-1", ""],
        ["2025", "ZD-11", "临时救助", "社会保障", "", "QL-SM", "白沙村", "100", "200", "", ""],
        ["2025", "ZD-09", "临时救助", "就业", "", "QL-SM", "石门社区", "100", "0", "", ""],
    ]  # fmt: skip
    with pytest.raises(FileRejected) as refused:
        await load("bad.csv", [HEADER, *bad])
    problems = {(e.row, e.column) for e in refused.value.errors}
    assert {(3, "地区编码"), (5, "政策名称"), (5, "下达金额"), (5, "受益户数"),
            (6, "支付金额"), (7, "资金编码")} <= problems, refused.value.errors  # fmt: skip
    (mixed,) = [e for e in refused.value.errors if e.row == 7]
    assert "社会保障" in mixed.reason and "就业" in mixed.reason, "one fund, one topic"
    assert any(e.row == 4 for e in refused.value.errors), "the repeated row is named too"
    assert not any(e.row == 2 for e in refused.value.errors)
    with pytest.raises(FileRejected) as personal:
        await load("names.csv", [[*HEADER, "户主姓名", "身份证号"],
                                 [*ROWS_2025[1], "张三", "110101199001011234"]])  # fmt: skip
    assert [e.column for e in personal.value.errors] == ["户主姓名", "身份证号"]
    assert "个人信息" in personal.value.errors[0].reason
    assert await DirectFundAllocation.find({"load": first.load}).count() == 6, "untouched"
    assert await DirectFundAllocation.find_all().count() == 6, "no row of a bad file stays"

    # A corrected file for the year replaces the old one whole, sums and all.
    await load("direct-2025-v2.csv", [HEADER, ROWS_2025[0]])
    county = await disclosed(client)
    assert county["total"]["allocated"] == "50000.00" and len(county["areas"]) == 1
    assert await DirectFundSum.find({"load": first.load}).count() == 0
    assert await DirectFundAllocation.find_all().count() == 1
    code, message = await refused_query(client, region="QL-SM")
    assert code == "NOT_FOUND" and "石门镇没有直达资金" in message, "never a page of zeros"


SUBMIT = """mutation($input: SubmitFundComplaintInput!) { submitFundComplaint(input: $input) {
  receipt receiptView { kind state text answer } errors { field code message } } }"""
RECEIPT = """query($receipt: String!) { fundComplaintByReceipt(receipt: $receipt) {
  kind state text answer reason steps { action toState actorName } } }"""
LIST = """{ fundComplaints { edges { node { id kind state summary answer text contact reason
  region regionName
  nextSteps { name } timeline { action actorName } } } } }"""
STEP = """mutation($input: {kind}!) {{ {name}(input: $input) {{
  complaint {{ state summary answer }} errors {{ field code message }} }} }}"""


async def step(client: httpx.AsyncClient, name: str, kind: str, values: dict[str, Any],
               token: str) -> dict[str, Any]:  # fmt: skip
    body = await gql(client, STEP.format(name=name, kind=kind), {"input": values}, token=token)
    assert "errors" not in body, body
    return dict(body["data"][name])


async def test_a_complaint_is_submitted_without_an_account_and_answered_in_public(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    await load("regions.csv", REGIONS)
    staff = world.tokens["staff"]
    complaint = {"kind": "COMPLAINT", "text": "青溪村低保金连续两个月没有发放到户",
                 "regionCode": "QL-SM", "village": "青溪村", "policy": "城乡居民最低生活保障",
                 "contact": "13800000000"}  # fmt: skip
    submitted = await data(client, SUBMIT, None, input=complaint)
    payload = submitted["submitFundComplaint"]
    assert payload["errors"] == [] and payload["receiptView"]["state"] == "RECEIVED"
    receipt = payload["receipt"]
    assert len(receipt) == 14 and receipt.count("-") == 2

    # The submitter follows it with the receipt, however they type it.
    full_width = receipt.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # ＡＢ１
    for typed in (receipt, receipt.lower().replace("-", ""), f" {receipt} ", full_width):
        seen = (await data(client, RECEIPT, None, receipt=typed))["fundComplaintByReceipt"]
        assert seen["state"] == "RECEIVED" and seen["text"].startswith("青溪村低保金")
    wrong = await gql(client, RECEIPT, {"receipt": "ABCD-EFGH-JKLM"})
    assert wrong["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # Until it is answered only deputies and staff read it; the contact only staff.
    assert (await data(client, LIST))["fundComplaints"]["edges"] == []
    assert (await data(client, LIST, world.tokens["lead_unit"]))["fundComplaints"]["edges"] == []
    (mine,) = [e["node"] for e in (await data(client, LIST, staff))["fundComplaints"]["edges"]]
    assert mine["contact"] == "13800000000" and mine["nextSteps"][0]["name"] == "accept"
    assert (mine["region"], mine["regionName"]) == ("QL-SM", "石门镇")
    told = await data(client, "{ me { notifications { edges { node { message record { "
                      "__typename } } } } } }", staff)  # fmt: skip
    (note,) = [e["node"] for e in told["me"]["notifications"]["edges"]]
    assert (
        note["record"] == {"__typename": "FundComplaint"}
        and "群众已提交咨询投诉" in note["message"]
    )
    (theirs,) = [
        e["node"]
        for e in (await data(client, LIST, world.tokens["deputy"]))["fundComplaints"]["edges"]
    ]
    assert theirs["contact"] is None and theirs["text"] == mine["text"]

    # Staff take it up and answer it; the summary and the answer are published.
    for token in (world.tokens["lead_unit"], world.tokens["deputy"], None):
        body = await gql(client, STEP.format(name="acceptFundComplaint",
                                             kind="FundComplaintStepInput"),
                         {"input": {"id": mine["id"]}}, token=token)  # fmt: skip
        assert body["data"] is None
    too_early = {"id": mine["id"], "summary": "低保金未按月发放", "answer": "…"}
    early = await step(client, "answerFundComplaint", "AnswerFundComplaintInput", too_early, staff)
    assert early["errors"][0]["code"] == "CONFLICT" and "已收到" in early["errors"][0]["message"]
    await step(client, "acceptFundComplaint", "FundComplaintStepInput", {"id": mine["id"]}, staff)
    blank = await step(client, "answerFundComplaint", "AnswerFundComplaintInput",
                       {"id": mine["id"], "summary": " ", "answer": "已核实"}, staff)  # fmt: skip
    assert blank["errors"][0]["field"] == "summary"
    long_answer = {"id": mine["id"], "summary": "低保金", "answer": "长" * 5001}
    too_long = await step(client, "answerFundComplaint", "AnswerFundComplaintInput",
                          long_answer, staff)  # fmt: skip
    assert too_long["errors"][0]["field"] == "answer" and "5000" in too_long["errors"][0]["message"]
    answer = "经核实，系银行代发数据延迟，已于次日补发到户。"
    answered = await step(client, "answerFundComplaint", "AnswerFundComplaintInput",
                          {"id": mine["id"], "summary": "青溪村低保金未按月发放",
                           "answer": answer}, staff)  # fmt: skip
    assert answered["complaint"]["state"] == "ANSWERED"
    (public,) = [e["node"] for e in (await data(client, LIST))["fundComplaints"]["edges"]]
    assert (public["summary"], public["answer"]) == ("青溪村低保金未按月发放", answer)
    assert public["text"] is None and public["contact"] is None
    assert all(e["actorName"] is None for e in public["timeline"])
    followed = (await data(client, RECEIPT, None, receipt=receipt))["fundComplaintByReceipt"]
    assert followed["state"] == "ANSWERED" and followed["answer"] == answer
    assert [s["toState"] for s in followed["steps"]] == ["RECEIVED", "HANDLING", "ANSWERED"]
    assert followed["steps"][0]["action"] == "submit"

    # What was published can be corrected, with the reason kept; it cannot then be dismissed.
    fix = {"id": mine["id"], "summary": "青溪村低保金未按月发放", "answer": answer + "（已更正）"}
    correct = ("correctFundComplaintAnswer", "CorrectFundComplaintAnswerInput")
    unexplained = await step(client, *correct, {**fix, "note": ""}, staff)
    assert unexplained["errors"][0]["field"] == "note"
    corrected = await step(client, *correct, {**fix, "note": "补充日期"}, staff)
    assert corrected["complaint"]["answer"].endswith("（已更正）")
    late = await step(client, "dismissFundComplaint", "DismissFundComplaintInput",
                      {"id": mine["id"], "reason": "不属于直达资金"}, staff)  # fmt: skip
    assert late["errors"][0]["code"] == "CONFLICT"


async def test_complaints_are_checked_and_limited_per_address(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    base = {"kind": "CONSULTATION", "text": "耕地地力保护补贴什么时候发？"}

    async def submitted(values: dict[str, Any]) -> dict[str, Any]:
        found = await data(client, SUBMIT, None, input=values)
        return dict(found["submitFundComplaint"])

    for values, field in (({**base, "text": "长" * 1001}, "text"), ({**base, "text": " "}, "text"),
                          ({**base, "contact": "1" * 51}, "contact"),
                          ({**base, "regionCode": "QL-XX"}, "regionCode"),
                          ({**base, "village": "村" * 31}, "village")):  # fmt: skip
        refused = await submitted(values)
        assert refused["receipt"] is None and refused["errors"][0]["field"] == field, values
    assert await Complaint.find_all().count() == 0

    village_alone = await submitted({**base, "village": "青溪村"})
    assert village_alone["errors"][0]["field"] == "regionCode"

    # Seven sent at once from one address: exactly the first five pass.
    burst = await asyncio.gather(*(submitted(base) for _ in range(7)))
    receipts = [b["receipt"] for b in burst if b["receipt"]]
    assert len(set(receipts)) == 5
    (over, *_) = [b for b in burst if not b["receipt"]]
    assert over["errors"][0]["code"] == "RATE_LIMITED"
    assert "每小时最多 5 件" in over["errors"][0]["message"]
    assert await Complaint.find_all().count() == 5, "the refused ones are not kept"
    stored = await Complaint.get_pymongo_collection().find_one({})
    assert stored is not None and not any("address" in k for k in stored), "where from: not kept"

    # A complaint not taken up tells its submitter why.
    (first, *_) = [e["node"] for e in (await data(
        client, LIST, world.tokens["staff"]))["fundComplaints"]["edges"]]  # fmt: skip
    no_reason = await step(client, "dismissFundComplaint", "DismissFundComplaintInput",
                           {"id": first["id"], "reason": ""}, world.tokens["staff"])  # fmt: skip
    assert no_reason["errors"][0]["field"] == "reason"
    dismissed = await step(client, "dismissFundComplaint", "DismissFundComplaintInput",
                           {"id": first["id"], "reason": "与直达资金无关，请向县农业农村局咨询"},
                           world.tokens["staff"])  # fmt: skip
    assert dismissed["complaint"]["state"] == "DISMISSED"
    reasons = set()
    for receipt in receipts:
        seen = (await data(client, RECEIPT, None, receipt=receipt))["fundComplaintByReceipt"]
        reasons.add((seen["state"], seen["reason"]))
    assert ("DISMISSED", "与直达资金无关，请向县农业农村局咨询") in reasons


async def test_the_demo_county_publishes_its_direct_funds_to_the_village(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(settings)
    year = settings.today().year - 1
    values = {"year": year, "region": None, "village": "", "topic": ""}
    county = (await data(client, DISCLOSURE, None, **values))["directFunds"]
    assert len(county["areas"]) == 7, "six townships and the county's own"
    assert {t["key"] for t in county["topics"]} == {"农业农村", "社会保障", "教育", "医疗卫生",
                                                    "住房保障"}  # fmt: skip
    township = await data(client, DISCLOSURE, None, **{**values, "region": "QL-SM"})
    villages = [a["key"] for a in township["directFunds"]["areas"]]
    assert "上塘村" in villages and "石门社区" in villages
    village = await data(client, DISCLOSURE, None, **{**values, "region": "QL-SM",
                                                      "village": "上塘村"})  # fmt: skip
    assert len(village["directFunds"]["policies"]) == 8
    published = (await data(client, LIST))["fundComplaints"]["edges"]
    assert len(published) == 2 and all(e["node"]["answer"] for e in published)
    staff = await login(client, "staff", DEMO_PASSWORD)
    states = {
        e["node"]["state"] for e in (await data(client, LIST, staff))["fundComplaints"]["edges"]
    }
    assert states == {"RECEIVED", "HANDLING", "ANSWERED", "DISMISSED"}
    for region in ("QL-SM", "QL-BS"):
        found = await data(client, TOWNSHIP_PAGE.replace("2025", str(year)), None, region=region)
        modules = {f["module"] for f in found["townshipPage"]["figures"]}
        assert modules == {"OVERVIEW", "SPECIAL_FUNDS", "STATE_ASSETS", "COLLECTIVE_INCOME"}


TOWNSHIP_HEADER = ["年度", "地区编码", "栏目", "村（社区）", "项目", "数值", "计量单位", "说明"]
TOWNSHIP_2025 = [
    ["2025", "QL-SM", "乡镇总体概况", "", "户籍人口", "12850", "人", ""],
    ["2025", "QL-SM", "乡镇总体概况", "", "耕地面积", "18650.5", "亩", ""],
    ["2025", "QL-SM", "专项资金", "", "农村人居环境整治", "1200000.00", "元", "县级下达"],
    ["2025", "QL-SM", "国有资产", "", "办公用房", "3200", "平方米", "镇政府大楼"],
    ["2025", "QL-SM", "村级集体经济经营性收入", "青溪村", "村集体经营性收入", "356200.80",
     "元", "茶园租赁"],
    ["2025", "QL-SM", "村级集体经济经营性收入", "白沙村", "村集体经营性收入", "88000", "元", ""],
]  # fmt: skip
TOWNSHIP_PAGE = """query($region: String!, $module: TownshipModule) {
  townshipPage(year: 2025, regionCode: $region, module: $module) {
    region { name } figures { module village item value unit note } } }"""


async def test_a_townships_page_shows_what_it_published_in_order(
    client: httpx.AsyncClient,
) -> None:
    await load("regions.csv", REGIONS)
    nothing = await gql(client, TOWNSHIP_PAGE, {"region": "QL-SM"})
    assert nothing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad = [["2025", "QL", "乡镇总体概况", "", "户籍人口", "1", "人", ""],
           ["2025", "QL-SM", "党建", "", "党员", "1", "人", ""],
           ["2025", "QL-SM", "国有资产", "", "车辆", "-2", "辆", ""],
           ["2025", "QL-SM", "国有资产", "", "土地", "1.234", "亩", ""]]  # fmt: skip
    with pytest.raises(FileRejected) as refused:
        await load("township-bad.csv", [TOWNSHIP_HEADER, *bad])
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (2, "地区编码"), (3, "栏目"), (4, "数值"), (5, "数值")}  # fmt: skip
    await load("township-2025.csv", [TOWNSHIP_HEADER, *TOWNSHIP_2025])

    page = (await data(client, TOWNSHIP_PAGE, region="QL-SM"))["townshipPage"]
    assert page["region"]["name"] == "石门镇"
    assert [(f["item"], f["value"], f["unit"]) for f in page["figures"]][:3] == [
        ("户籍人口", "12850", "人"), ("耕地面积", "18650.5", "亩"),
        ("农村人居环境整治", "1200000", "元")]  # fmt: skip
    income = (await data(client, TOWNSHIP_PAGE, region="QL-SM",
                         module="COLLECTIVE_INCOME"))["townshipPage"]  # fmt: skip
    assert [(f["village"], f["value"]) for f in income["figures"]] == [
        ("青溪村", "356200.8"), ("白沙村", "88000")]  # fmt: skip
    county = await gql(client, TOWNSHIP_PAGE, {"region": "QL"})
    assert county["errors"][0]["extensions"]["code"] == "NOT_FOUND", "the county is no township"
