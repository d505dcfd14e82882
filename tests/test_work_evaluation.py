"""The evaluation of a department's work (工作评议), as the standing committee lives it: the
year's plan, the department's self-report (sent back once), the committee's preliminary
opinion, the members' secret scoring by the grades and quorum given as data, the result
announced, the evaluation opinion issued to the department and rectified in its own loop.
Every refusal says why and changes nothing; nothing stored links a member to a score."""

from datetime import date, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId
from strawberry.relay import GlobalID

from api.models.rectification import Opinion
from api.models.work_evaluation import Grade, Scoring, WorkEvaluation
from api.models.work_evaluation import WorkEvaluationState as W
from api.services.suggestion_loop import add_months
from api.services.work_evaluation import result, stood
from api.settings import Settings
from seed.demo import DEMO_PASSWORD, load_demo
from tests.factories import World, data, gql, login, suggestion_world
from tests.test_livelihood_vote import counted_everywhere, more_deputies

EVALUATION = """id year subject committee state unit { name }
  selfReport { text writtenBy } preliminaryOpinion { text }
  scorings { round present scored void averageScore grade gradeCounts { label scores } }
  result { averageScore grade } youScored followUpDue
  opinion { id title stage state issuedOn points { number text } }
  timeline { action actionLabel actorName toState } nextSteps { name mutation }"""
INPUTS = {
    "planWorkEvaluations": "PlanWorkEvaluationsInput",
    "submitWorkEvaluationReport": "WorkEvaluationPaperInput",
    "returnWorkEvaluationReport": "ReturnWorkEvaluationReportInput",
    "recordPreliminaryEvaluationOpinion": "WorkEvaluationPaperInput",
    "openWorkEvaluationScoring": "OpenWorkEvaluationScoringInput",
    "scoreWorkEvaluation": "ScoreWorkEvaluationInput",
    "closeWorkEvaluationScoring": "CloseWorkEvaluationScoringInput",
    "issueWorkEvaluationOpinion": "IssueWorkEvaluationOpinionInput",
}
LIST = f"""query($year: Int!) {{
  workEvaluations(year: $year) {{ edges {{ node {{ {EVALUATION} }} }} }}
}}"""
YEAR = date.today().year


async def step(client: httpx.AsyncClient, name: str, values: dict[str, Any],
               token: str | None) -> dict[str, Any]:  # fmt: skip
    """The payload of a mutation; any GraphQL error fails the test."""
    field = "evaluations" if name == "planWorkEvaluations" else "evaluation"
    query = (f"mutation($input: {INPUTS[name]}!) {{ {name}(input: $input) {{ "
             f"{field} {{ {EVALUATION} }} errors {{ field code message }} }} }}")  # fmt: skip
    body = await gql(client, query, {"input": values}, token=token)
    assert "errors" not in body, body
    return dict(body["data"][name])


async def ok(client: httpx.AsyncClient, name: str, values: dict[str, Any], token: str) -> Any:
    found = await step(client, name, values, token)
    assert found["errors"] == [], found
    return found["evaluations" if name == "planWorkEvaluations" else "evaluation"]


async def refused(client: httpx.AsyncClient, name: str, values: dict[str, Any],
                  token: str) -> tuple[str, str, str]:  # fmt: skip
    """A refusal in the payload: (code, field, message)."""
    found = await step(client, name, values, token)
    (error,) = found["errors"]
    return error["code"], error["field"], error["message"]


async def denied(client: httpx.AsyncClient, name: str, values: dict[str, Any],
                 token: str | None) -> str:  # fmt: skip
    """The code of a refusal by role, before the mutation runs."""
    query = f"mutation($input: {INPUTS[name]}!) {{ {name}(input: $input) {{ errors {{ code }} }} }}"
    body = await gql(client, query, {"input": values}, token=token)
    assert body["data"] is None, body
    return str(body["errors"][0]["extensions"]["code"])


async def evaluations(client: httpx.AsyncClient, token: str | None) -> dict[str, Any]:
    found = await data(client, LIST, token, year=YEAR)
    return {e["node"]["unit"]["name"]: e["node"] for e in found["workEvaluations"]["edges"]}


def plan_input(world: World, *keys: str) -> dict[str, Any]:
    subjects = {"roads": "农村公路建设养护工作", "schools": "义务教育优质均衡发展工作",
                "finance": "预算绩效管理工作"}  # fmt: skip
    return {
        "year": YEAR, "reportDue": f"{YEAR}-06-30",
        "departments": [{"unitId": world.ids[k], "subject": subjects[k],
                         "committee": "城乡建设环境保护工作委员会"} for k in keys],
    }  # fmt: skip


async def planned_and_researched(client: httpx.AsyncClient, world: World) -> str:
    """The roads department's evaluation, with its self-report and preliminary opinion."""
    (roads,) = await ok(client, "planWorkEvaluations", plan_input(world, "roads"),
                        world.tokens["staff"])  # fmt: skip
    await ok(client, "submitWorkEvaluationReport", {"id": roads["id"], "text": "自查报告"},
             world.tokens["lead_unit"])  # fmt: skip
    await ok(client, "recordPreliminaryEvaluationOpinion", {"id": roads["id"], "text": "初步意见"},
             world.tokens["staff"])  # fmt: skip
    return str(roads["id"])


async def test_a_department_is_evaluated_from_the_plan_to_the_opinion(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    await more_deputies(world, "赵", "钱")
    staff, roads_unit = world.tokens["staff"], world.tokens["lead_unit"]

    # The year's plan names two departments; each sees its own, deputies and staff both,
    # the public and other departments nothing until a result is announced.
    planned = await ok(client, "planWorkEvaluations", plan_input(world, "roads", "schools"), staff)
    assert [e["state"] for e in planned] == ["PLANNED", "PLANNED"]
    roads = planned[0]["id"]
    assert planned[0]["nextSteps"] == []
    assert set(await evaluations(client, world.tokens["deputy"])) == {"青岚县交通运输局",
                                                                      "青岚县教育局"}  # fmt: skip
    assert set(await evaluations(client, roads_unit)) == {"青岚县交通运输局"}
    assert set(await evaluations(client, world.tokens["other_unit"])) == {"青岚县教育局"}
    for token in (None, world.tokens["finance"], world.tokens["co_unit"]):
        assert await evaluations(client, token) == {}

    # 自查: the department reports; staff send it back once; it reports again.
    mine = (await evaluations(client, roads_unit))["青岚县交通运输局"]
    assert mine["nextSteps"] == [{"name": "report", "mutation": "submitWorkEvaluationReport"}]
    await ok(client, "submitWorkEvaluationReport", {"id": roads, "text": "初稿"}, roads_unit)
    code, field, message = await refused(client, "returnWorkEvaluationReport",
                                         {"id": roads, "note": " "}, staff)  # fmt: skip
    assert (code, field) == ("INVALID_INPUT", "note") and "退回理由" in message
    await ok(client, "returnWorkEvaluationReport", {"id": roads, "note": "缺少资金使用情况"}, staff)
    report = {"id": roads, "text": "关于农村公路建设养护工作的自查报告"}
    reported = await ok(client, "submitWorkEvaluationReport", report, roads_unit)
    assert reported["state"] == "SELF_REPORTED"
    assert reported["selfReport"]["text"] == "关于农村公路建设养护工作的自查报告"

    # 调研: the committee's preliminary opinion; the department cannot write it.
    for token in (roads_unit, world.tokens["admin"], world.tokens["deputy"]):
        assert await denied(client, "recordPreliminaryEvaluationOpinion",
                            {"id": roads, "text": "x"}, token) == "FORBIDDEN"  # fmt: skip
    researched = await ok(client, "recordPreliminaryEvaluationOpinion",
                          {"id": roads, "text": "养护资金到位率偏低"}, staff)  # fmt: skip
    assert researched["state"] == "RESEARCHED"

    # 测评: four members present, grades as data; each scores once, in secret.
    members = ["deputy", "cosigner", "other_deputy", "赵"]
    grades = [{"label": "满意", "minScore": 85}, {"label": "基本满意", "minScore": 70},
              {"label": "不满意", "minScore": 0}]  # fmt: skip
    opened = await ok(client, "openWorkEvaluationScoring", {
        "id": roads, "presentDeputyIds": [world.ids[m] for m in ("wang", "li", "zhang", "赵")],
        "grades": grades, "quorumPercent": 50}, staff)  # fmt: skip
    assert opened["state"] == "SCORING" and opened["scorings"][0]["present"] == 4
    closing = {"name": "annul", "mutation": "closeWorkEvaluationScoring"}
    assert opened["nextSteps"] == [closing], "closed now, nobody having scored, it is void"
    told = "{ me { notifications { edges { node { message record { __typename } } } } } }"
    (note,) = (await data(client, told, world.tokens["赵"]))["me"]["notifications"]["edges"]
    assert note["node"]["record"] == {"__typename": "WorkEvaluation"}, "a member present is told"
    assert "开始测评" in note["node"]["message"]
    absent_told = await data(client, told, world.tokens["钱"])
    assert absent_told["me"]["notifications"]["edges"] == [], "one not present is not"
    before = await counted_everywhere(client)
    for member, score in zip(members[:3], (95, 85, 78), strict=True):
        scored = await ok(client, "scoreWorkEvaluation", {"id": roads, "score": score},
                          world.tokens[member])  # fmt: skip
        assert scored["youScored"] is True
        assert scored["scorings"][0]["averageScore"] is None, "nothing shows before the close"
        assert scored["scorings"][0]["gradeCounts"] is None
    assert await counted_everywhere(client) == before, "no score is written anywhere else"
    seen_by_staff = (await evaluations(client, staff))["青岚县交通运输局"]
    assert seen_by_staff["nextSteps"] == [{**closing, "name": "announce"}], "3 of 4 stand"
    stored = await WorkEvaluation.get_pymongo_collection().find_one({})
    assert stored is not None
    (scoring,) = stored["scorings"]
    assert set(scoring) == {"round", "grades", "quorum_percent", "present", "scored", "ballots",
                            "score_sum", "counts", "opened_by", "opened_at", "closed_at",
                            "void"}  # fmt: skip
    assert (scoring["ballots"], scoring["score_sum"]) == (3, 258)
    assert [e["action"] for e in stored["timeline"]][-1] == "open_scoring", "a score is no step"

    again = await refused(client, "scoreWorkEvaluation", {"id": roads, "score": 60},
                          world.tokens["deputy"])  # fmt: skip
    assert again[0] == "CONFLICT" and "只能评一次" in again[2]
    absent = await refused(client, "scoreWorkEvaluation", {"id": roads, "score": 60},
                           world.tokens["钱"])  # fmt: skip
    assert absent[0] == "FORBIDDEN" and "出席" in absent[2]
    for wrong in (-1, 101):
        code, field, message = await refused(
            client, "scoreWorkEvaluation", {"id": roads, "score": wrong}, world.tokens["赵"]
        )
        assert (code, field) == ("INVALID_INPUT", "score") and "0 到 100" in message
    for token in (staff, roads_unit, None):
        assert await denied(client, "scoreWorkEvaluation", {"id": roads, "score": 80},
                            token) in ("FORBIDDEN", "UNAUTHENTICATED")  # fmt: skip
    stored_after = await WorkEvaluation.get_pymongo_collection().find_one({})
    assert stored_after is not None and stored_after["scorings"][0]["score_sum"] == 258

    # 公布: 258 / 3 = 86.00, 满意 (from 85); the result is public from now on, the papers not.
    closed = await ok(client, "closeWorkEvaluationScoring", {"id": roads}, staff)
    assert closed["state"] == "SCORED"
    assert closed["result"] == {"averageScore": "86.00", "grade": "满意"}
    assert closed["scorings"][0]["gradeCounts"] == [
        {"label": "满意", "scores": 2}, {"label": "基本满意", "scores": 1},
        {"label": "不满意", "scores": 0}]  # fmt: skip
    assert closed["timeline"][-1]["actionLabel"] == "公布测评结果"
    public = await evaluations(client, None)
    assert set(public) == {"青岚县交通运输局"}
    seen = public["青岚县交通运输局"]
    assert seen["result"]["grade"] == "满意" and seen["selfReport"] is None
    assert seen["preliminaryOpinion"] is None and seen["scorings"][0]["averageScore"] == "86.00"
    assert all(e["actorName"] is None for e in seen["timeline"])
    late = await refused(client, "scoreWorkEvaluation", {"id": roads, "score": 90},
                         world.tokens["赵"])  # fmt: skip
    assert late[0] == "CONFLICT" and "没有进行测评" in late[2]

    # 交办: the evaluation opinion goes to the department as an opinion of its own loop.
    meeting = {"id": roads, "title": "关于县交通运输局农村公路建设养护工作的评议意见",
               "meeting": "县十八届人大常委会第二十六次会议",
               "meetingOn": str(date.today() - timedelta(days=1)),
               "points": [{"text": "提高养护资金到位率"}, {"text": "建立路长制考核"}]}  # fmt: skip
    none = await refused(client, "issueWorkEvaluationOpinion", {**meeting, "points": []}, staff)
    assert none[:2] == ("INVALID_INPUT", "points")
    for day in (date.today() + timedelta(days=2), date(YEAR - 1, 12, 31)):
        wrong_day = {**meeting, "meetingOn": str(day)}
        assert (await refused(client, "issueWorkEvaluationOpinion", wrong_day, staff))[1] == (
            "meetingOn")  # fmt: skip
    assert await Opinion.find_all().count() == 0, "no opinion is issued by a refused step"
    issued = await ok(client, "issueWorkEvaluationOpinion", meeting, staff)
    assert issued["state"] == "ISSUED" and issued["nextSteps"] == []
    assert issued["opinion"]["stage"] == "WORK_EVALUATION"
    assert issued["opinion"]["state"] == "ISSUED" and len(issued["opinion"]["points"]) == 2
    assert issued["followUpDue"] is not None
    unit_sees = (await evaluations(client, roads_unit))["青岚县交通运输局"]
    assert unit_sees["opinion"]["id"] == issued["opinion"]["id"]
    assert (await evaluations(client, None))["青岚县交通运输局"]["opinion"] is None, "internal"
    told = await data(client, "{ me { notifications { edges { node { title record { "
                      "__typename } } } } } }", roads_unit)  # fmt: skip
    kinds = {e["node"]["record"]["__typename"] for e in told["me"]["notifications"]["edges"]}
    assert kinds == {"WorkEvaluation", "Opinion"}
    accepted = await gql(client, "mutation($input: RectificationStepInput!) { acceptRectification("
                         "input: $input) { errors { code } record { ... on Opinion { state } } } }",
                         {"input": {"id": issued["opinion"]["id"]}}, token=roads_unit)  # fmt: skip
    assert accepted["data"]["acceptRectification"]["record"] == {"state": "RESPONDING"}
    plan = (
        "mutation($input: RectificationAnswerInput!) { planRectification(input: $input) { "
        "errors { code } } }"
    )
    planned_fix = {"id": issued["opinion"]["id"], "text": "整改方案：两点分别落实。"}
    assert (await data(client, plan, roads_unit, input=planned_fix))["planRectification"] == {
        "errors": []}  # fmt: skip
    # 跟踪: the follow-up hearing is fixed on the day it falls due.
    schedule = (
        "mutation($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { "
        "errors { code } record { ... on Opinion { hearingOn } } } }"
    )
    due = issued["followUpDue"]
    fixed = {"id": issued["opinion"]["id"], "hearingOn": due}
    hearing = await gql(client, schedule, {"input": fixed}, token=staff)
    assert hearing["data"]["scheduleHearing"]["record"] == {"hearingOn": due}


async def test_a_scoring_short_of_its_quorum_is_void_and_held_again(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    staff = world.tokens["staff"]
    roads = await planned_and_researched(client, world)
    present = [world.ids[k] for k in ("wang", "li", "zhang")]
    opened = {"id": roads, "presentDeputyIds": present, "quorumPercent": 66}
    await ok(client, "openWorkEvaluationScoring", opened, staff)
    for member in ("deputy", "cosigner"):  # 2 of 3 is 66.7%: more than 66
        await ok(client, "scoreWorkEvaluation", {"id": roads, "score": 70}, world.tokens[member])
    stands = await ok(client, "closeWorkEvaluationScoring", {"id": roads}, staff)
    assert stands["state"] == "SCORED"
    assert stands["result"] == {"averageScore": "70.00", "grade": "合格"}, "the default grades"

    # A second evaluation, same rule, one score of three: void, scored again by everyone.
    world2 = await planned_second(client, world)
    await ok(client, "openWorkEvaluationScoring", {**opened, "id": world2}, staff)
    await ok(client, "scoreWorkEvaluation", {"id": world2, "score": 50}, world.tokens["deputy"])
    void = await ok(client, "closeWorkEvaluationScoring", {"id": world2}, staff)
    assert void["state"] == "RESEARCHED" and void["result"] is None
    assert void["scorings"][0]["void"] is True and void["scorings"][0]["averageScore"] is None
    assert void["scorings"][0]["gradeCounts"] is None, "a void round shows no spread of scores"
    assert void["timeline"][-1]["action"] == "annul"
    again = await ok(client, "openWorkEvaluationScoring", {**opened, "id": world2}, staff)
    assert again["youScored"] is False and [s["round"] for s in again["scorings"]] == [1, 2]
    for member, score in (("deputy", 61), ("cosigner", 59), ("other_deputy", 59)):
        await ok(client, "scoreWorkEvaluation", {"id": world2, "score": score},
                 world.tokens[member])  # fmt: skip
    counted = await ok(client, "closeWorkEvaluationScoring", {"id": world2}, staff)
    # 179 / 3 = 59.666…: below 合格's 60, compared exactly, though it shows as 59.67.
    assert counted["result"] == {"averageScore": "59.67", "grade": "不合格"}


async def planned_second(client: httpx.AsyncClient, world: World) -> str:
    (schools,) = await ok(client, "planWorkEvaluations", plan_input(world, "schools"),
                          world.tokens["staff"])  # fmt: skip
    await ok(client, "submitWorkEvaluationReport", {"id": schools["id"], "text": "自查报告"},
             world.tokens["other_unit"])  # fmt: skip
    await ok(client, "recordPreliminaryEvaluationOpinion",
             {"id": schools["id"], "text": "初步意见"}, world.tokens["staff"])  # fmt: skip
    return str(schools["id"])


async def test_a_bad_plan_or_bad_rules_change_nothing(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    staff = world.tokens["staff"]
    base = plan_input(world, "roads", "schools")

    async def plan_refused(values: dict[str, Any]) -> tuple[str, str, str]:
        return await refused(client, "planWorkEvaluations", values, staff)

    repeated = {**base, "departments": base["departments"] + base["departments"][:1]}
    assert await plan_refused(repeated) == ("INVALID_INPUT", "departments",
                                            "计划中的第 3 个部门与前面的重复")  # fmt: skip
    long = [{**base["departments"][0], "subject": "长" * 101}, base["departments"][1]]
    assert (await plan_refused({**base, "departments": long}))[:2] == ("INVALID_INPUT",
                                                                       "departments")  # fmt: skip
    assert (await plan_refused({**base, "year": YEAR + 2}))[:2] == ("INVALID_INPUT", "year")
    assert (await plan_refused({**base, "reportDue": f"{YEAR + 1}-01-01"}))[1] == "reportDue"
    assert (await plan_refused({**base, "departments": []}))[:2] == ("INVALID_INPUT",
                                                                    "departments")  # fmt: skip
    stranger = {**base["departments"][0], "unitId": str(GlobalID("Unit", str(ObjectId())))}
    unknown = {**base, "departments": [base["departments"][1], stranger]}
    assert (await plan_refused(unknown))[:2] == ("NOT_FOUND", "departments")
    assert await WorkEvaluation.find_all().count() == 0, "nothing half-planned"

    await ok(client, "planWorkEvaluations", plan_input(world, "roads"), staff)
    code, field, message = await plan_refused(base)
    assert (code, field) == ("ALREADY_EXISTS", "departments") and "青岚县交通运输局" in message
    assert await WorkEvaluation.find_all().count() == 1, "the schools were not planned either"
    for token in (None, world.tokens["deputy"], world.tokens["lead_unit"]):
        assert await denied(client, "planWorkEvaluations", plan_input(world, "finance"),
                            token) in ("UNAUTHENTICATED", "FORBIDDEN")  # fmt: skip

    # Steps out of turn name the state and the steps one may take; the unit's own step is
    # the unit's alone.
    (roads,) = [e["id"] for e in (await evaluations(client, staff)).values()]
    code, _, message = await refused(client, "openWorkEvaluationScoring",
                                     {"id": roads, "presentDeputyIds": [world.ids["wang"]]},
                                     staff)  # fmt: skip
    assert code == "CONFLICT" and "已列入评议计划" in message
    code, _, message = await refused(
        client, "submitWorkEvaluationReport", {"id": roads, "text": "x"}, world.tokens["co_unit"]
    )
    assert code == "NOT_FOUND", "another unit does not even see it"
    too_long = {"id": roads, "text": "长" * 20_001}
    code, field, _ = await refused(
        client, "submitWorkEvaluationReport", too_long, world.tokens["lead_unit"]
    )
    assert (code, field) == ("INVALID_INPUT", "text")

    # Scoring rules as data, refused when they cannot decide every result.
    await ok(client, "submitWorkEvaluationReport", {"id": roads, "text": "报告"},
             world.tokens["lead_unit"])  # fmt: skip
    await ok(client, "recordPreliminaryEvaluationOpinion", {"id": roads, "text": "意见"}, staff)
    present = [world.ids["wang"], world.ids["li"]]
    for grades in ([{"label": "好", "minScore": 60}],
                   [{"label": "好", "minScore": 0}, {"label": "好", "minScore": 60}],
                   [{"label": "好", "minScore": 101}, {"label": "差", "minScore": 0}],
                   [{"label": " ", "minScore": 0}]):  # fmt: skip
        code, field, _ = await refused(client, "openWorkEvaluationScoring",
                                       {"id": roads, "presentDeputyIds": present,
                                        "grades": grades}, staff)  # fmt: skip
        assert (code, field) == ("INVALID_INPUT", "grades"), grades
    for values, wrong in (({"presentDeputyIds": []}, "presentDeputyIds"),
                          ({"presentDeputyIds": present + present[:1]}, "presentDeputyIds"),
                          ({"presentDeputyIds": present, "quorumPercent": 100},
                           "quorumPercent")):  # fmt: skip
        code, field, _ = await refused(client, "openWorkEvaluationScoring",
                                       {"id": roads, **values}, staff)  # fmt: skip
        assert (code, field) == ("INVALID_INPUT", wrong)
    stored = await WorkEvaluation.find_one({})
    assert stored is not None and stored.state is W.RESEARCHED and stored.scorings == []


def test_the_result_follows_the_grades_exactly_on_hand_made_scores() -> None:
    grades = [Grade(label="优秀", min_score=90), Grade(label="良好", min_score=80),
              Grade(label="合格", min_score=60), Grade(label="不合格", min_score=0)]  # fmt: skip

    def scoring(*scores: int, present: int = 5, quorum: int = 50) -> Scoring:
        return Scoring(round=1, grades=grades, quorum_percent=quorum,
                       present=[ObjectId() for _ in range(present)],  # type: ignore[misc]
                       ballots=len(scores), score_sum=sum(scores), opened_by="测试",
                       opened_at=datetime.now())  # fmt: skip

    cases = [((90, 90, 90), "90.00", "优秀"), ((90, 89, 90), "89.67", "良好"),
             ((100, 80, 0), "60.00", "合格"), ((60, 59, 60), "59.67", "不合格"),
             ((0, 0, 0), "0.00", "不合格"), ((100, 100, 100), "100.00", "优秀")]  # fmt: skip
    for scores, average, grade in cases:
        found_average, found_grade = result(scoring(*scores))
        assert (str(found_average), found_grade.label) == (average, grade), scores
    assert stood(scoring(1, 2, 3)) and not stood(scoring(1, 2))  # more than half of five
    assert stood(scoring(1, present=1, quorum=99)) and not stood(scoring(present=1, quorum=0))


async def test_the_demo_county_evaluates_its_departments(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(settings)
    deputy = await login(client, "deputy", DEMO_PASSWORD)
    this_year = await evaluations(client, deputy)
    assert {name: e["state"] for name, e in this_year.items()} == {
        "青岚县教育局": "ISSUED", "青岚县卫生健康局": "SCORED", "青岚县民政局": "SCORING",
        "青岚县水利局": "RESEARCHED", "青岚县生态环境局": "SELF_REPORTED",
        "青岚县交通运输局": "PLANNED",
    }  # fmt: skip
    assert [s["void"] for s in this_year["青岚县水利局"]["scorings"]] == [True]
    assert this_year["青岚县教育局"]["opinion"]["stage"] == "WORK_EVALUATION"
    assert this_year["青岚县卫生健康局"]["result"]["grade"] in ("优秀", "良好", "合格", "不合格")
    # The demo deputy, present at 民政局's scoring, gives the score the demo leaves for them.
    open_one = this_year["青岚县民政局"]
    assert open_one["youScored"] is False and open_one["scorings"][0]["scored"] == 18
    scored = await ok(client, "scoreWorkEvaluation", {"id": open_one["id"], "score": 88}, deputy)
    assert scored["youScored"] is True and scored["scorings"][0]["scored"] == 19
    # The demo handler's department has its self-report to write.
    handler = await login(client, "handler", DEMO_PASSWORD)
    own = await evaluations(client, handler)
    assert own["青岚县交通运输局"]["nextSteps"] == [
        {"name": "report", "mutation": "submitWorkEvaluationReport"}
    ]
    # Last year's opinion was reported on and has its follow-up hearing fixed.
    last = await data(client, LIST, deputy, year=YEAR - 1)
    (node,) = [e["node"] for e in last["workEvaluations"]["edges"]]
    assert node["opinion"]["state"] == "REPORTED"
    issued = date.fromisoformat(node["opinion"]["issuedOn"])
    assert node["followUpDue"] == str(add_months(issued, 6)), "six months after it was issued"
