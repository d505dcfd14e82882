"""Deliberation opinions and audit findings through GraphQL: issuing them, each step of the
loop as the right and the wrong people and from the wrong state, who sees what, the
filters (open longer than N months), search, and the supervision overview."""

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode
from api.models.rectification import AuditFinding, Opinion, RectificationState
from api.models.suggestions import SupervisionMethod
from api.services.rectification import LOOPS, RectificationStep, StepInput, take_step
from api.services.suggestion_loop import add_months
from api.settings import Settings
from schema import build_schema
from schema.rectification import STEP_MUTATIONS
from tests.budget_world import budget_world
from tests.factories import World, data, gql, suggestion_world, synced
from tests.suggestion_calls import document_id

RECORD = """
... on RectificationRecord { visibility deadline overdue hearingOn closedAt
  units { name } answers { kind text unit { name } writtenBy }
  supervisionRecords { method note } timeline { action fromState toState note }
  nextSteps { name } budgetLinks { kind departmentCode } }
... on Opinion { id title stage state
  points { number text rectified budgetLinks { departmentCode } } }
... on AuditFinding { id number state amount auditYear }
... on BudgetWarning { id warningState: state severity }
"""
CREATE_OPINION = f"""mutation($input: CreateOpinionInput!) {{ createOpinion(input: $input) {{
  record {{ {RECORD} }} errors {{ field code message }} }} }}"""
CREATE_FINDING = f"""mutation($input: CreateAuditFindingInput!) {{
  createAuditFinding(input: $input) {{
    record {{ {RECORD} }} errors {{ field code message }} }} }}"""
STEPS = {
    "accept": ("acceptRectification", "RectificationStepInput"),
    "plan": ("planRectification", "RectificationAnswerInput"),
    "report": ("reportRectification", "ReportRectificationInput"),
    "respond": ("respondToWarning", "RectificationAnswerInput"),
    "return": ("returnRectification", "RectificationReasonInput"),
    "close": ("closeRectification", "RectificationStepInput"),
    "supervise": ("superviseRectification", "SuperviseRectificationInput"),
    "schedule_hearing": ("scheduleHearing", "ScheduleHearingInput"),
    "issue": ("issueWarning", "IssueWarningInput"),
    "dismiss": ("dismissWarning", "RectificationReasonInput"),
}
"""Each step's mutation and input type, as the tests call them."""


async def _step(
    client: httpx.AsyncClient, token: str, id: str, name: str, fields: dict[str, Any]
) -> dict[str, Any]:
    mutation, input_type = STEPS[name]
    query = f"""mutation($input: {input_type}!) {{ {mutation}(input: $input) {{
      record {{ {RECORD} }} errors {{ field code message }} }} }}"""
    body = await gql(client, query, {"input": {"id": id, **fields}}, token=token)
    if body["data"] is None:  # refused to the caller's role before it ran
        (error,) = body["errors"]
        return {"record": None, "errors": [{"field": None, "message": error["message"],
                                            "code": error["extensions"]["code"]}]}  # fmt: skip
    return dict(body["data"][mutation])


async def payload(
    client: httpx.AsyncClient, query: str, name: str, values: dict[str, Any], token: str
) -> dict[str, Any]:
    return dict((await data(client, query, token, input=values))[name])


async def step(
    client: httpx.AsyncClient, token: str, id: str, name: str, **fields: Any
) -> dict[str, Any]:
    """The record after a step that must succeed."""
    found = await _step(client, token, id, name, fields)
    assert found["errors"] == [], found
    return dict(found["record"])


async def refused(
    client: httpx.AsyncClient, token: str, id: str, name: str, **fields: Any
) -> dict[str, Any]:
    """The one error of a step that must be refused."""
    found = await _step(client, token, id, name, fields)
    assert found["record"] is None and len(found["errors"]) == 1, found
    return dict(found["errors"][0])


def opinion_input(w: World, **fields: Any) -> dict[str, Any]:
    return {
        "title": "关于2025年预算执行情况的审议意见", "stage": "STANDING_COMMITTEE",
        "meeting": "县十八届人大常委会第十五次会议", "meetingOn": "2025-08-28",
        "subject": "2025年上半年预算执行情况",
        "points": [
            {"text": "加快农村公路项目支出进度。",
             "budgetLinks": [{"kind": "DEPARTMENT", "department": "101"}]},
            {"text": "规范专项资金管理。"},
            {"text": "严控一般性支出。"},
        ],
        "addressed": {"unitIds": [w.ids["roads"]]},
        **fields,
    }  # fmt: skip


async def new_opinion(client: httpx.AsyncClient, w: World, **fields: Any) -> dict[str, Any]:
    found = await payload(client, CREATE_OPINION, "createOpinion", opinion_input(w, **fields),
                          w.tokens["staff"])  # fmt: skip
    assert found["errors"] == [], found
    return dict(found["record"])


def test_every_step_of_the_three_loops_names_the_mutation_that_takes_it() -> None:
    mutations = build_schema(Settings.model_construct())._schema.mutation_type.fields
    steps = {name for loop in LOOPS.values() for name in loop.steps}
    assert set(STEP_MUTATIONS) == steps
    assert set(STEP_MUTATIONS.values()) <= set(mutations)
    assert {m for m, _ in STEPS.values()} <= set(STEP_MUTATIONS.values())


async def world(client: httpx.AsyncClient) -> World:
    found = await suggestion_world(client)
    await budget_world()
    return found


async def test_an_opinion_goes_round_its_loop(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    staff, unit, other = w.tokens["staff"], w.tokens["lead_unit"], w.tokens["other_unit"]
    o = await new_opinion(client, w)
    id = o["id"]
    assert o["state"] == "ISSUED" and o["units"] == [{"name": "青岚县交通运输局"}]
    assert [p["number"] for p in o["points"]] == [1, 2, 3]
    assert o["budgetLinks"] == [{"kind": "DEPARTMENT", "departmentCode": "101"}]
    assert o["deadline"] == add_months(settings.today(), 2).isoformat()  # issued today
    assert [(e["action"], e["toState"]) for e in o["timeline"]] == [("create", "ISSUED")]
    assert o["nextSteps"] == [{"name": "supervise"}, {"name": "attach"}]

    # the unit's steps are the unit's; staff's are staff's; an unrelated unit sees nothing
    assert (await refused(client, staff, id, "accept"))["code"] == "FORBIDDEN"
    assert (await refused(client, other, id, "accept"))["code"] == "NOT_FOUND"
    error = await refused(client, unit, id, "report", text="已整改")
    assert error["code"] == "CONFLICT" and "ISSUED" in error["message"], error
    assert "accept" in error["message"]
    done = await step(client, staff, id, "supervise", method="PHONE", note="电话督促尽快签收")
    assert done["state"] == "ISSUED" and done["supervisionRecords"][0]["method"] == "PHONE"
    assert (await refused(client, staff, id, "supervise", method="PHONE", note=""))["field"] == (
        "note")  # fmt: skip

    done = await step(client, unit, id, "accept")
    assert done["state"] == "RESPONDING"
    assert done["nextSteps"] == [{"name": "plan"}, {"name": "attach"}]
    assert (await refused(client, unit, id, "plan", text=" "))["field"] == "text"
    assert (await refused(client, unit, id, "plan", text="x" * 20_001))["field"] == "text"
    done = await step(client, unit, id, "plan", text="成立专班，倒排工期。")
    assert done["state"] == "RECTIFYING"

    bad = await refused(client, unit, id, "report", text="已整改", points=[1, 7])
    assert bad["field"] == "points" and "7" in bad["message"]
    done = await step(client, unit, id, "report", text="第一点已整改到位。", points=[1])
    assert done["state"] == "REPORTED"
    assert [p["rectified"] for p in done["points"]] == [True, False, False]
    assert [a["kind"] for a in done["answers"]] == ["PLAN", "REPORT"]
    assert done["answers"][1]["unit"] == {"name": "青岚县交通运输局"}

    assert (await refused(client, staff, id, "return", note=""))["field"] == "note"
    done = await step(client, staff, id, "return", note="第二、三点未见整改措施")
    assert done["state"] == "RECTIFYING"
    done = await step(client, unit, id, "report", text="三点均已整改。", points=[2, 3])
    assert [p["rectified"] for p in done["points"]] == [True, True, True]
    for days in (800, -1):  # too far ahead, or a day already gone
        when = (settings.today() + timedelta(days=days)).isoformat()
        assert (await refused(client, staff, id, "schedule_hearing", hearingOn=when))[
            "field"] == "hearingOn"  # fmt: skip
    hearing = (settings.today() + timedelta(days=90)).isoformat()
    done = await step(client, staff, id, "schedule_hearing", hearingOn=hearing)
    assert done["hearingOn"] == hearing and done["state"] == "REPORTED"
    done = await step(client, staff, id, "close", note="整改到位")
    assert done["state"] == "CLOSED" and done["closedAt"] is not None
    assert [(e["action"], e["toState"]) for e in done["timeline"]] == [
        ("create", "ISSUED"), ("supervise", "ISSUED"), ("accept", "RESPONDING"),
        ("plan", "RECTIFYING"), ("report", "REPORTED"), ("return", "RECTIFYING"),
        ("report", "REPORTED"), ("schedule_hearing", "REPORTED"), ("close", "CLOSED"),
    ]  # fmt: skip
    error = await refused(client, unit, id, "plan", text="again")
    assert error["code"] == "CONFLICT" and "CLOSED" in error["message"]
    # a step of another loop; an id that is no rectification record
    wrong = await refused(client, staff, id, "issue")
    assert (wrong["field"], wrong["code"]) == ("id", "INVALID_INPUT") and "issue" in wrong[
        "message"
    ]
    assert (await refused(client, staff, w.ids["roads"], "close"))["code"] == "NOT_FOUND"


async def test_two_steps_at_once_take_one(client: httpx.AsyncClient, settings: Settings) -> None:
    """Two people acting on the same opinion as read at the same moment: one step applies,
    the other is refused as a conflict naming the state it found, and nothing is doubled."""
    w = await world(client)
    created = await new_opinion(client, w)
    opinion = await Opinion.get(document_id(created["id"]))
    assert opinion is not None
    unit = Viewer(role=Role.HANDLER, unit_id=w.documents["roads"].id, name="赵建国")
    staff = Viewer(role=Role.STAFF, name="李晓梅")
    record = StepInput(note="电话督办", method=SupervisionMethod.PHONE)
    results = await asyncio.gather(
        take_step(
            opinion,
            step=RectificationStep.ACCEPT,
            viewer=unit,
            given=StepInput(),
            settings=settings,
        ),
        take_step(
            opinion, step=RectificationStep.SUPERVISE, viewer=staff, given=record, settings=settings
        ),
        return_exceptions=True,
    )
    (error,) = [r for r in results if isinstance(r, DomainError)]
    assert error.code is ErrorCode.CONFLICT and "在你操作时已被他人改动" in error.message
    stored = await Opinion.get(opinion.id)
    assert stored is not None and len(stored.timeline) == 2 and stored.revision == 1


async def test_issuing_an_opinion_is_checked(client: httpx.AsyncClient) -> None:
    w = await world(client)
    staff = w.tokens["staff"]

    async def error(**fields: Any) -> dict[str, Any]:
        found = await payload(client, CREATE_OPINION, "createOpinion", opinion_input(w, **fields),
                              staff)  # fmt: skip
        assert found["record"] is None and len(found["errors"]) == 1, found
        return dict(found["errors"][0])

    assert (await error(points=[]))["field"] == "points"
    assert (await error(title=" "))["field"] == "title"
    assert (await error(meetingOn="2999-01-01"))["field"] == "meetingOn"
    assert (await error(addressed={"unitIds": []}))["field"] == "unitIds"
    assert (await error(addressed={"unitIds": [w.ids["wang"]]}))["field"] == "unitIds"
    assert (await error(addressed={"unitIds": [w.ids["roads"]], "deadline": "2001-01-01"})
            )["field"] == "deadline"  # fmt: skip
    missing = await error(points=[{"text": "a", "budgetLinks": [
        {"kind": "DEPARTMENT", "department": "999"}]}])  # fmt: skip
    assert missing["code"] == "NOT_FOUND" and "999" in missing["message"]
    body = await gql(client, CREATE_OPINION, {"input": opinion_input(w)}, token=w.tokens["deputy"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    found = await data(client, "{ opinions { totalCount } }", staff)
    assert found["opinions"]["totalCount"] == 0


async def test_who_sees_opinions(client: httpx.AsyncClient, app: Starlette) -> None:
    w = await world(client)
    internal = await new_opinion(client, w)
    public = await new_opinion(client, w, title="关于教育经费的审议意见", addressed={
        "unitIds": [w.ids["schools"]], "visibility": "PUBLIC"})  # fmt: skip
    query = "{ opinions { totalCount edges { node { title } } } }"

    async def titles(token: str | None) -> set[str]:
        found = (await data(client, query, token))["opinions"]
        assert found["totalCount"] == len(found["edges"])
        return {e["node"]["title"] for e in found["edges"]}

    both = {internal["title"], public["title"]}
    assert await titles(w.tokens["staff"]) == both
    assert await titles(w.tokens["admin"]) == both
    assert await titles(w.tokens["lead_unit"]) == both  # its own and the public one
    assert await titles(w.tokens["other_unit"]) == {public["title"]}  # 教育局: addressed, public
    assert await titles(w.tokens["co_unit"]) == {public["title"]}
    assert await titles(w.tokens["deputy"]) == {public["title"]}
    assert await titles(None) == {public["title"]}
    await step(client, w.tokens["other_unit"], public["id"], "accept")
    seen = "query($id: ID!) { node(id: $id) { ... on Opinion { state timeline { action } } } }"
    assert (await data(client, seen, None, id=public["id"]))["node"] == {
        "state": "RESPONDING",
        "timeline": [{"action": "create"}, {"action": "accept"}],
    }  # the change of state (not who took it: see test_who_sees_a_records_handling)
    node = "query($id: ID!) { node(id: $id) { ... on Opinion { title } } }"
    assert (await data(client, node, w.tokens["deputy"], id=internal["id"]))["node"] is None
    assert (await data(client, node, w.tokens["lead_unit"], id=internal["id"]))["node"]

    # search finds opinions by their words, with the same permissions
    await synced(app)
    search = '{ opinions(filter: {query: "农村公路"}) { totalCount edges { node { title } } } }'
    assert (await data(client, search, w.tokens["staff"]))["opinions"]["totalCount"] == 2
    assert (await data(client, search, w.tokens["co_unit"]))["opinions"]["totalCount"] == 1
    narrowed = '{ opinions(filter: {query: "规范专项资金", stages: [CONGRESS]}) { totalCount } }'
    assert (await data(client, narrowed, w.tokens["staff"]))["opinions"]["totalCount"] == 0
    by_unit = 'query($u: ID!) { opinions(filter: {unitId: $u, department: "101"}) { totalCount } }'
    assert (await data(client, by_unit, w.tokens["staff"], u=w.ids["roads"]))["opinions"][
        "totalCount"] == 1  # fmt: skip


HANDLED = """answers { text writtenBy } supervisionRecords { method note recordedBy }
  timeline { action actionLabel fromState toState toStateLabel actorName note }"""


async def test_who_sees_a_records_handling(client: httpx.AsyncClient) -> None:
    """The units a public opinion is addressed to and staff read all of its handling;
    everyone else (the public, deputies, other units, finance) its answers and changes of
    state, without supervision records, names or notes. The same in `node` and the list."""
    w = await world(client)
    staff, unit = w.tokens["staff"], w.tokens["lead_unit"]
    id = (await new_opinion(client, w, addressed={"unitIds": [w.ids["roads"]],
                                                  "visibility": "PUBLIC"}))["id"]  # fmt: skip
    await step(client, staff, id, "supervise", method="PHONE", note="电话督促尽快签收")
    await step(client, unit, id, "accept")
    await step(client, unit, id, "plan", text="成立专班，倒排工期。")
    query = f"""query($id: ID!) {{ node(id: $id) {{ ... on Opinion {{ {HANDLED} }} }}
      opinions {{ edges {{ node {{ {HANDLED} }} }} }} }}"""
    for account in ("anonymous", "deputy", "other_unit", "finance", "lead_unit", "staff", "admin"):
        found = await data(client, query, w.tokens.get(account), id=id)
        seen = found["node"]
        assert found["opinions"]["edges"] == [{"node": seen}], account
        if account in ("lead_unit", "staff", "admin"):
            assert seen["answers"] == [{"text": "成立专班，倒排工期。", "writtenBy": "Lead_Unit"}]
            assert seen["supervisionRecords"] == [
                {"method": "PHONE", "note": "电话督促尽快签收", "recordedBy": "Staff"}
            ]
            assert [(e["action"], e["actorName"]) for e in seen["timeline"]] == [
                ("create", "Staff"),
                ("supervise", "Staff"),
                ("accept", "Lead_Unit"),
                ("plan", "Lead_Unit"),
            ]
            assert seen["timeline"][1]["note"], account
        else:
            assert seen["answers"] == [{"text": "成立专班，倒排工期。", "writtenBy": None}]
            assert seen["supervisionRecords"] == [], account
            assert seen["timeline"] == [
                {
                    "action": "create",
                    "actionLabel": "创建",
                    "fromState": None,
                    "toState": "ISSUED",
                    "toStateLabel": RectificationState.ISSUED.label,
                    "actorName": None,
                    "note": None,
                },
                {
                    "action": "accept",
                    "actionLabel": "签收",
                    "fromState": "ISSUED",
                    "toState": "RESPONDING",
                    "toStateLabel": "研究处理中",
                    "actorName": None,
                    "note": None,
                },
                {
                    "action": "plan",
                    "actionLabel": "报送整改方案",
                    "fromState": "RESPONDING",
                    "toState": "RECTIFYING",
                    "toStateLabel": "整改中",
                    "actorName": None,
                    "note": None,
                },
            ], account


async def test_audit_findings_and_how_long_they_stay_open(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    staff = w.tokens["staff"]
    today = settings.today()

    async def finding(number: str, issued: date, **fields: Any) -> dict[str, Any]:
        values = {
            "number": number, "title": f"问题{number}", "description": "专项资金滞留未拨付。",
            "auditYear": 2024, "auditor": "青岚县审计局", "category": "专项资金管理",
            "amount": "123456.78", "budgetLinks": [{"kind": "PROJECT", "project": "XM-001"}],
            "addressed": {"unitIds": [w.ids["roads"]], "issuedOn": issued.isoformat(),
                          "deadline": add_months(issued, 3).isoformat()},
            **fields,
        }  # fmt: skip
        return await payload(client, CREATE_FINDING, "createAuditFinding", values, staff)

    old = (await finding("青审〔2024〕3号-1", add_months(today, -14)))["record"]
    closed = (await finding("青审〔2024〕3号-2", add_months(today, -15)))["record"]
    recent = (await finding("青审〔2025〕7号-1", add_months(today, -2)))["record"]
    assert old["amount"] == "123456.78" and old["overdue"] is True
    assert old["budgetLinks"] == [{"kind": "PROJECT", "departmentCode": ""}]
    duplicate = await finding("青审〔2024〕3号-1", today)
    assert duplicate["errors"][0]["code"] == "ALREADY_EXISTS"
    body = await gql(client, CREATE_FINDING, {"input": {"amount": "-1.00"}}, token=staff)
    assert any("是负数" in e["message"] for e in body["errors"])
    future = await finding("青审〔2024〕3号-9", today, auditYear=today.year + 1)
    assert future["errors"][0]["field"] == "auditYear"

    unit = w.tokens["lead_unit"]
    for name, extra in (("accept", {}), ("plan", {"text": "方案"})):
        await step(client, unit, closed["id"], name, **extra)
    points = await refused(client, unit, closed["id"], "report", text="已拨付", points=[1])
    assert points["field"] == "points", "a finding has no numbered points"
    await step(client, unit, closed["id"], "report", text="已拨付")
    done = await step(client, staff, closed["id"], "close")
    assert done["state"] == "CLOSED"

    query = """query($f: AuditFindingFilter) { auditFindings(filter: $f) { totalCount
      edges { node { number } } } }"""

    async def numbers(**f: Any) -> list[str]:
        found = (await data(client, query, staff, f=f))["auditFindings"]
        return [e["node"]["number"] for e in found["edges"]]

    assert await numbers() == [closed["number"], old["number"], recent["number"]]  # oldest first
    assert await numbers(openMonths=12) == [old["number"]]
    assert await numbers(openMonths=1) == [old["number"], recent["number"]]
    assert await numbers(openMonths=12, states=["CLOSED"]) == []
    assert await numbers(overdue=True) == [old["number"]]
    assert await numbers(states=["CLOSED"]) == [closed["number"]]
    body = await gql(client, query, {"f": {"openMonths": 0}}, token=staff)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert await AuditFinding.find(AuditFinding.state == RectificationState.CLOSED).count() == 1


async def test_the_supervision_overview(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await world(client)
    await new_opinion(client, w)
    late = await new_opinion(client, w, addressed={
        "unitIds": [w.ids["roads"], w.ids["schools"]],
        "issuedOn": add_months(settings.today(), -3).isoformat()})  # fmt: skip
    assert late["overdue"] is True
    query = """query($y: Int) { supervisionOverview(year: $y) { year month
      totals { kind open overdue } byUnit { unit { name } counts { kind open overdue } }
      books { book figures { executionRate timeProgress } }
      worstDepartments { code figures { executionRate } } } }"""
    found = (await data(client, query, w.tokens["staff"], y=2025))["supervisionOverview"]
    totals = {t["kind"]: (t["open"], t["overdue"]) for t in found["totals"]}
    assert totals["OPINION"] == (2, 1)
    units = {u["unit"]["name"] if u["unit"] else None: {c["kind"]: (c["open"], c["overdue"])
             for c in u["counts"]} for u in found["byUnit"]}  # fmt: skip
    assert units["青岚县交通运输局"]["OPINION"] == (2, 1)
    assert units["青岚县教育局"]["OPINION"] == (1, 1)
    # warnings raised by the import's evaluation are open and addressed to no unit yet
    assert units[None]["WARNING"][0] == totals["WARNING"][0] > 0
    assert found["month"] == 6
    assert [b["book"] for b in found["books"]] == ["GENERAL_PUBLIC", "GOVERNMENT_FUND"]
    assert found["books"][1]["figures"]["executionRate"] == "25.00"
    assert [d["code"] for d in found["worstDepartments"]][:2] == ["10101", "101"]
    # the unrelated unit counts only what it may see
    mine = (await data(client, query, w.tokens["other_unit"], y=2025))["supervisionOverview"]
    assert {t["kind"]: t["open"] for t in mine["totals"]}["OPINION"] == 1
    assert {t["kind"]: t["open"] for t in mine["totals"]}["WARNING"] == 0
