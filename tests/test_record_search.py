"""Words find livelihood projects, work evaluations and the public's questions, with each
list's own permissions: a reader finds only what they may read, and never by words they may
not read (a self-report, a submitter's text)."""

from typing import Any

import httpx
from starlette.applications import Starlette

from tests.budget_world import REGIONS, load
from tests.factories import data, gql, suggestion_world, synced
from tests.test_direct_funds import SUBMIT, step
from tests.test_livelihood_vote import PROPOSE, done
from tests.test_work_evaluation import YEAR, ok, plan_input

PROJECTS = """query($session: ID!, $query: String) {
  livelihoodProjects(sessionId: $session, query: $query) { edges { node { title } } } }"""
EVALUATIONS = """query($year: Int!, $query: String) {
  workEvaluations(year: $year, query: $query) { edges { node { subject } } } }"""
COMPLAINTS = """query($query: String) { fundComplaints(query: $query) {
  edges { node { id summary } } } }"""


async def names(client: httpx.AsyncClient, asked: str, field: str, token: str | None,
                **values: Any) -> set[str]:  # fmt: skip
    """What a list query finds, by one field of each node."""
    body = await gql(client, asked, values, token=token)
    assert "errors" not in body, body
    (connection,) = body["data"].values()
    return {e["node"][field] for e in connection["edges"]}


async def test_words_find_what_each_reader_may_read(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    world = await suggestion_world(client)
    await load("regions.csv", REGIONS)
    staff, session = world.tokens["staff"], world.ids["session"]
    for title, text in (("城乡供水一体化", "新建水厂一座，管网延伸到村"),
                        ("学校食堂改造", "中小学食堂明厨亮灶")):  # fmt: skip
        await done(client, PROPOSE, {"sessionId": session, "title": title, "description": text,
                                     "amount": "100.00", "unitId": world.ids["roads"],
                                     "source": "GOVERNMENT"}, staff)  # fmt: skip
    roads, _ = await ok(client, "planWorkEvaluations", plan_input(world, "roads", "schools"), staff)
    await ok(client, "submitWorkEvaluationReport", {"id": roads["id"], "text": "桥梁危改滞后"},
             world.tokens["lead_unit"])  # fmt: skip
    asked = []
    for text, policy in (("张三家的低保被取消了", "城乡居民最低生活保障"),
                         ("耕地补贴什么时候发", "耕地地力保护补贴")):  # fmt: skip
        found = await data(client, SUBMIT, None, input={"kind": "CONSULTATION", "text": text,
                                                         "policy": policy})  # fmt: skip
        assert found["submitFundComplaint"]["errors"] == []
        asked.append(found)
    listed = await data(client, COMPLAINTS, staff)
    by_summary = {e["node"]["summary"]: e["node"]["id"] for e in
                  listed["fundComplaints"]["edges"]}  # fmt: skip
    assert len(by_summary) == 1 and "" in by_summary, "none answered yet"
    ids = [e["node"]["id"] for e in listed["fundComplaints"]["edges"]]
    farmland = ids[0]  # the newest first: the farmland question
    await step(client, "acceptFundComplaint", "FundComplaintStepInput", {"id": farmland}, staff)
    await step(client, "answerFundComplaint", "AnswerFundComplaintInput",
               {"id": farmland, "summary": "耕地地力保护补贴发放时间",
                "answer": "每年六月底前发放到户"}, staff)  # fmt: skip
    await synced(app)

    async def projects(query: str, token: str | None) -> set[str]:
        return await names(client, PROJECTS, "title", token, session=session, query=query)

    # Candidates are working papers: deputies find them, the public does not.
    assert await projects("水厂", world.tokens["deputy"]) == {"城乡供水一体化"}
    assert await projects("食堂", staff) == {"学校食堂改造"}
    assert await projects("水厂", None) == set()

    async def evaluations(query: str, token: str | None) -> set[str]:
        return await names(client, EVALUATIONS, "subject", token, year=YEAR, query=query)

    assert await evaluations("义务教育", world.tokens["deputy"]) == {"义务教育优质均衡发展工作"}
    assert await evaluations("义务教育", world.tokens["lead_unit"]) == set(), "not its own"
    assert await evaluations("农村公路", world.tokens["lead_unit"]) == {"农村公路建设养护工作"}
    assert await evaluations("桥梁危改", staff) == set(), "the self-report is not searched"

    async def complaints(query: str, token: str | None) -> set[str]:
        return await names(client, COMPLAINTS, "summary", token, query=query)

    assert await complaints("发放时间", None) == {"耕地地力保护补贴发放时间"}
    assert await complaints("最低生活保障", None) == set(), "not answered: not public"
    assert await complaints("最低生活保障", staff) == {""}
    assert await complaints("张三", staff) == set(), "the submitter's text is never searched"
    blank = await gql(client, COMPLAINTS, {"query": "？？"})
    assert blank["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
