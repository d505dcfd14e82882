"""A chosen livelihood project through its year (两督两评), as its unit, staff and the deputies
live it: started with its stages, progress reported, supervised, completed; evaluated by the
deputies, sent back to its unit when they are not satisfied, evaluated again and passed.
Everyone reads how it goes; who did what only the deputies, its unit and staff."""

from typing import Any

import httpx
from strawberry.relay import GlobalID

from api.access import Role, Viewer
from api.models.livelihood import ProjectSource
from api.services import livelihood
from api.services.livelihood import Proposal, Rules
from tests.budget_world import budget_world
from tests.factories import World, gql, suggestion_world

STAFF = Viewer(role=Role.STAFF, name="测试")
PROJECT = """id state votes milestones { title dueOn doneOn }
  progress { text percent writtenBy } supervision { method note }
  evaluations { round passPercent evaluated satisfied basicallySatisfied unsatisfied
                satisfactionRate countedAt }
  youEvaluated timeline { action actionLabel actorName toState } nextSteps { name mutation }"""
INPUTS = {
    "startLivelihoodProject": "StartLivelihoodProjectInput",
    "reportLivelihoodProgress": "ReportLivelihoodProgressInput",
    "completeLivelihoodProject": "CompleteLivelihoodProjectInput",
    "superviseLivelihoodProject": "SuperviseLivelihoodProjectInput",
    "openLivelihoodEvaluation": "OpenLivelihoodEvaluationInput",
    "evaluateLivelihoodProject": "EvaluateLivelihoodProjectInput",
    "countLivelihoodEvaluation": "CountLivelihoodEvaluationInput",
}


async def step(client: httpx.AsyncClient, name: str, values: dict[str, Any],
               token: str) -> dict[str, Any]:  # fmt: skip
    """The payload of a step mutation; any GraphQL error fails the test."""
    query = (f"mutation($input: {INPUTS[name]}!) {{ {name}(input: $input) {{ "
             f"project {{ {PROJECT} }} errors {{ field code message }} }} }}")  # fmt: skip
    body = await gql(client, query, {"input": values}, token=token)
    assert "errors" not in body, body
    return dict(body["data"][name])


async def ok(client: httpx.AsyncClient, name: str, values: dict[str, Any],
             token: str) -> dict[str, Any]:  # fmt: skip
    found = await step(client, name, values, token)
    assert found["errors"] == [], found
    return dict(found["project"])


async def refused(client: httpx.AsyncClient, name: str, values: dict[str, Any],
                  token: str) -> tuple[str, str]:  # fmt: skip
    found = await step(client, name, values, token)
    assert found["project"] is None, found
    (error,) = found["errors"]
    return error["code"], error["message"]


LINK = """mutation($input: LinkBudgetInput!) { linkLivelihoodProjectBudget(input: $input) {
  project { budgetLinks { id } } errors { code message } } }"""


async def link_refused(client: httpx.AsyncClient, values: dict[str, Any],
                       token: str) -> tuple[str, str]:  # fmt: skip
    body = await gql(client, LINK, {"input": values}, token=token)
    (error,) = body["data"]["linkLivelihoodProjectBudget"]["errors"]
    return error["code"], error["message"]


async def linked_project(client: httpx.AsyncClient, values: dict[str, Any], token: str) -> str:
    """The new link's id."""
    body = await gql(client, LINK, {"input": values}, token=token)
    payload = body["data"]["linkLivelihoodProjectBudget"]
    assert payload["errors"] == [], payload
    return str(payload["project"]["budgetLinks"][-1]["id"])


async def role_refused(client: httpx.AsyncClient, name: str, values: dict[str, Any],
                       token: str | None) -> str:  # fmt: skip
    """The code of a step refused to the caller's role before it ran."""
    query = f"mutation($input: {INPUTS[name]}!) {{ {name}(input: $input) {{ errors {{ code }} }} }}"
    body = await gql(client, query, {"input": values}, token=token)
    assert body["data"] is None, body
    return str(body["errors"][0]["extensions"]["code"])


async def read(client: httpx.AsyncClient, id: str, token: str | None) -> dict[str, Any]:
    body = await gql(client, f"query($id: ID!) {{ node(id: $id) {{ ... on LivelihoodProject "
                             f"{{ {PROJECT} }} }} }}", {"id": id}, token=token)  # fmt: skip
    assert "errors" not in body, body
    return dict(body["data"]["node"])


async def chosen(world: World) -> tuple[str, str]:
    """Two projects of the roads bureau put to the vote of the three deputies: the first
    chosen, the other not."""
    session, roads = world.documents["session"].id, world.documents["roads"].id
    made = [await livelihood.propose(Proposal(session_id=session, title=title, description="…",
                                              amount=100, unit_id=roads,
                                              source=ProjectSource.GOVERNMENT), STAFF)
            for title in ("通村公路硬化", "客运站改造")]  # fmt: skip
    deputies = [world.documents[k] for k in ("wang", "li", "zhang")]
    vote = await livelihood.open_vote(
        session_id=session, project_ids=[p.id for p in made], present=[d.id for d in deputies],
        rules=Rules(1), viewer=STAFF,
    )  # fmt: skip
    for deputy in deputies:
        await livelihood.cast(
            vote_id=vote.id, project_ids=[made[0].id],
            viewer=Viewer(role=Role.DEPUTY, deputy_id=deputy.id, name=deputy.name),
        )  # fmt: skip
    await livelihood.count(vote_id=vote.id, viewer=STAFF)
    return tuple(str(GlobalID("LivelihoodProject", str(p.id))) for p in made)  # type: ignore[return-value]


async def test_a_chosen_project_through_its_year(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    road, station = await chosen(world)
    assert (await read(client, road, t["lead_unit"]))["nextSteps"] == [
        {"name": "start", "mutation": "startLivelihoodProject"}]  # fmt: skip

    # 开工: the unit names its stages; another unit, or a project not chosen, is refused.
    stages = {"id": road, "milestones": [{"title": "路基完工", "dueOn": "2026-06-30"},
                                         {"title": "路面硬化", "dueOn": "2026-09-30"}]}  # fmt: skip
    none = await step(client, "startLivelihoodProject", {**stages, "milestones": []},
                      t["lead_unit"])  # fmt: skip
    assert none["errors"][0]["field"] == "milestones" and "1 到 20" in none["errors"][0]["message"]
    early = {**stages, "milestones": [{"title": "立项", "dueOn": "1990-01-01"}]}
    code, message = await refused(client, "startLivelihoodProject", early, t["lead_unit"])
    assert code == "INVALID_INPUT" and "节点日期应在" in message and "立项" in message
    code, message = await refused(client, "startLivelihoodProject", stages, t["other_unit"])
    assert code == "FORBIDDEN" and "责任单位" in message
    code, message = await refused(client, "startLivelihoodProject",
                                  {**stages, "id": station}, t["lead_unit"])  # fmt: skip
    assert code == "CONFLICT" and "未通过" in message
    started = await ok(client, "startLivelihoodProject", stages, t["lead_unit"])
    assert started["state"] == "UNDERWAY" and [m["doneOn"] for m in started["milestones"]] == [
        None, None]  # fmt: skip

    # 报告进展, 督办: the state stays.
    progress = {"id": road, "text": "路基已完成。", "percent": 40, "reached": [1]}
    for bad, field in (({"percent": 150}, "percent"), ({"reached": [3]}, "reached")):
        found = await step(client, "reportLivelihoodProgress", {**progress, **bad},
                           t["lead_unit"])  # fmt: skip
        assert found["errors"][0]["field"] == field, found
    reported = await ok(client, "reportLivelihoodProgress", progress, t["lead_unit"])
    assert reported["state"] == "UNDERWAY" and reported["milestones"][0]["doneOn"]
    assert reported["milestones"][1]["doneOn"] is None
    blank = await step(client, "superviseLivelihoodProject",
                       {"id": road, "method": "VISIT", "note": " "}, t["staff"])  # fmt: skip
    assert blank["errors"][0]["field"] == "note", blank
    await ok(client, "superviseLivelihoodProject",
             {"id": road, "method": "VISIT", "note": "实地查看路基质量"}, t["staff"])  # fmt: skip
    done = await ok(client, "completeLivelihoodProject", {"id": road, "text": "全线通车。"},
                    t["lead_unit"])  # fmt: skip
    assert done["state"] == "COMPLETED" and all(m["doneOn"] for m in done["milestones"])
    assert [p["percent"] for p in done["progress"]] == [40, 100]

    # 评: the deputies evaluate; two of three unsatisfied is not more than 60% satisfied.
    found = await step(client, "openLivelihoodEvaluation", {"id": road, "passPercent": 100},
                       t["staff"])  # fmt: skip
    assert found["errors"][0]["field"] == "passPercent", found
    opened = await ok(client, "openLivelihoodEvaluation", {"id": road}, t["staff"])
    code, message = await refused(client, "countLivelihoodEvaluation", {"id": road}, t["staff"])
    assert code == "CONFLICT" and "还没有代表参加测评" in message
    anonymous = {"id": road, "satisfaction": "SATISFIED"}
    code = await role_refused(client, "evaluateLivelihoodProject", anonymous, None)
    assert code == "UNAUTHENTICATED"
    assert opened["state"] == "EVALUATING" and opened["evaluations"][0]["passPercent"] == 60
    for token, said in (("deputy", "SATISFIED"), ("cosigner", "UNSATISFIED"),
                        ("other_deputy", "UNSATISFIED")):  # fmt: skip
        given = await ok(client, "evaluateLivelihoodProject", {"id": road, "satisfaction": said},
                         t[token])  # fmt: skip
        assert given["youEvaluated"] is True
    assert given["evaluations"][0]["evaluated"] == 3
    assert given["evaluations"][0]["satisfied"] is None, "no count before the count"
    again = {"id": road, "satisfaction": "SATISFIED"}
    code, message = await refused(client, "evaluateLivelihoodProject", again, t["deputy"])
    assert code == "CONFLICT" and "已经参加过" in message
    failed = await ok(client, "countLivelihoodEvaluation", {"id": road}, t["staff"])
    first = failed["evaluations"][0]
    assert failed["state"] == "RECTIFYING"
    assert (first["satisfied"], first["unsatisfied"], first["satisfactionRate"]) == (
        1, 2, "33.33")  # fmt: skip

    # Back to the unit: it reports again, and the second round passes.
    await ok(client, "completeLivelihoodProject", {"id": road, "text": "已修补破损路段。"},
             t["lead_unit"])  # fmt: skip
    for wrong in (0, 10_001):
        found = await step(client, "openLivelihoodEvaluation",
                           {"id": road, "minEvaluations": wrong}, t["staff"])  # fmt: skip
        assert found["errors"][0]["field"] == "minEvaluations", found
    rules = {"id": road, "passPercent": 50, "minEvaluations": 3}
    await ok(client, "openLivelihoodEvaluation", rules, t["staff"])
    for token in ("deputy", "cosigner", "other_deputy"):
        if token == "other_deputy":  # two of the three required: not yet counted
            code, message = await refused(client, "countLivelihoodEvaluation", {"id": road},
                                          t["staff"])  # fmt: skip
            assert code == "CONFLICT" and "不足本轮规定的 3 人" in message
        await ok(client, "evaluateLivelihoodProject",
                 {"id": road, "satisfaction": "BASICALLY_SATISFIED"}, t[token])  # fmt: skip
    passed = await ok(client, "countLivelihoodEvaluation", {"id": road}, t["staff"])
    assert passed["state"] == "PASSED" and passed["nextSteps"] == []
    assert [r["satisfactionRate"] for r in passed["evaluations"]] == ["33.33", "100.00"]
    assert [e["action"] for e in passed["timeline"]] == [
        "start", "report", "supervise", "complete", "open_evaluation", "fail", "complete",
        "open_evaluation", "pass"]  # fmt: skip

    # Everyone reads how it went; who did what, and the supervision, only the parties.
    public = await read(client, road, None)
    assert public["state"] == "PASSED" and [p["percent"] for p in public["progress"]] == [
        40, 100, 100]  # fmt: skip
    assert public["supervision"] == [] and {e["actorName"] for e in public["timeline"]} == {None}
    assert {p["writtenBy"] for p in public["progress"]} == {None}
    deputy = await read(client, road, t["other_deputy"])
    assert deputy["supervision"] == [{"method": "VISIT", "note": "实地查看路基质量"}]

    # The money behind it: its unit links it to its department's lines, as for a suggestion.
    await budget_world()
    link = {"id": road, "kind": "DEPARTMENT", "department": "101", "note": "交通局项目支出"}
    code, message = await link_refused(client, link, t["other_unit"])
    assert code == "FORBIDDEN" and "责任单位" in message
    linked = await linked_project(client, link, t["lead_unit"])
    code, message = await link_refused(client, link, t["lead_unit"])
    assert code == "ALREADY_EXISTS" and "民生实事项目" in message
    money = await gql(client, """query($id: ID!) { node(id: $id) { ... on LivelihoodProject {
      spending(year: 2025) { total { adjusted executed } links { link { departmentCode } } } } }
      budgetByDepartment(year: 2025) { code figures { adjusted executed } } }""",
                      {"id": road}, token=t["deputy"])  # fmt: skip
    assert "errors" not in money, money
    spent = money["data"]["node"]["spending"]
    (department,) = [d for d in money["data"]["budgetByDepartment"] if d["code"] == "101"]
    assert spent["total"] == department["figures"] and spent["links"] == [
        {"link": {"departmentCode": "101"}}]  # fmt: skip
    unlink = """mutation($input: UnlinkBudgetInput!) { unlinkLivelihoodProjectBudget(
      input: $input) { project { id } errors { code } } }"""
    body = await gql(client, unlink, {"input": {"id": road, "linkId": linked}}, token=t["staff"])
    assert body["data"]["unlinkLivelihoodProjectBudget"]["errors"] == [], body
    again = await gql(client, unlink, {"input": {"id": road, "linkId": linked}}, token=t["staff"])
    assert again["data"]["unlinkLivelihoodProjectBudget"]["errors"] == [{"code": "NOT_FOUND"}]

    # The unit was told of the supervision and the counts; staff of its start and completion.
    told = """{ me { notifications(first: 20) { edges { node { message } } } } }"""
    for who, words in (("lead_unit", ("督办", "统计测评（不满意）", "统计测评（满意）")),
                       ("staff", ("开工", "报告完工"))):  # fmt: skip
        body = await gql(client, told, token=t[who])
        messages = " ".join(e["node"]["message"] for e in body["data"]["me"]["notifications"]
                            ["edges"])  # fmt: skip
        assert all(word in messages for word in words), (who, messages)
