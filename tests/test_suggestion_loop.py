"""The closed loop 提-交-办-督-评 driven through GraphQL by each part: a deputy files, staff
register and assign, the units reply, the deputy is unsatisfied, the unit handles again,
staff close; with rejections, returns, illegal steps, overdue deadlines and conflicts."""

import asyncio
import itertools
import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode
from api.models.suggestions import ResultClass, Satisfaction, Suggestion, SuggestionState
from api.services import people, suggestion_loop
from api.services.suggestion_loop import add_months
from api.settings import Settings
from schema import build_schema
from schema.suggestions import STEP_MUTATIONS
from tests.factories import gql, suggestion_world
from tests.suggestion_calls import (
    assigned,
    call,
    document_id,
    draft,
    gid,
    in_state,
    ok,
    read,
    refused,
    role_refused,
    viewers,
)

STAFF = Viewer(role=Role.STAFF, name="测试")


async def test_the_whole_loop_with_a_rehandle_after_an_unsatisfied_evaluation(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    today = settings.today()

    created = await ok(client, "createSuggestion", draft(world), t["deputy"])
    assert created["state"] == "DRAFT" and created["number"] is None
    assert created["leadDeputy"]["name"] == "王立新"
    assert [c["name"] for c in created["cosigners"]] == ["李秀英"]
    sid = created["id"]
    # A draft is the deputies' own: the co-signer sees it, another deputy does not.
    assert await read(client, sid, t["cosigner"]) is not None
    assert await read(client, sid, t["other_deputy"]) is None
    assert await read(client, sid, None) is None

    submitted = await ok(client, "submitSuggestion", {"id": sid}, t["deputy"])
    assert submitted["state"] == "SUBMITTED"
    registered = await ok(client, "registerSuggestion", {"id": sid}, t["staff"])
    assert (registered["state"], registered["number"], registered["numberLabel"]) == (
        "REGISTERED",
        1,
        "第0001号",
    )
    # Registered and public: now everyone may read it.
    assert await read(client, sid, None) is not None

    # Evaluating now is illegal: the error names the state and what may come next.
    error = await refused(
        client, "evaluateSuggestion", {"id": sid, "satisfaction": "SATISFIED"}, t["deputy"]
    )
    assert error["code"] == "CONFLICT"
    assert "REGISTERED" in error["message"] and "assign" not in error["message"], "not theirs"
    error = await refused(client, "closeSuggestion", {"id": sid}, t["staff"])
    assert "此时你可以：" in error["message"] and "交办（assign）" in error["message"]

    # An assignment needs a lead unit that exists.
    error = await refused(
        client, "assignSuggestion", {"id": sid, "leadUnitId": world.ids["wang"]}, t["staff"]
    )
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "leadUnitId")
    the_assignment = {
        "id": sid,
        "leadUnitId": world.ids["roads"],
        "coUnitIds": [world.ids["finance"]],
    }
    got = await ok(client, "assignSuggestion", the_assignment, t["staff"])
    assert got["state"] == "ASSIGNED"
    assert got["deadline"] == add_months(today, 3).isoformat()
    assert got["leadUnit"]["name"] == "青岚县交通运输局"
    assert not got["overdue"] and got["daysLeft"] > 80

    # An unrelated unit may read a public suggestion but not reply to it.
    reply = {"id": sid, "text": "已列入计划。", "resultClass": "B"}
    error = await refused(client, "replyToSuggestion", reply, t["other_unit"])
    assert error["code"] == "FORBIDDEN" and "LEAD_UNIT" in error["message"]
    # The lead unit must accept before it replies; the co-unit replies any time.
    error = await refused(client, "replyToSuggestion", reply, t["lead_unit"])
    assert error["code"] == "CONFLICT" and "accept" in error["message"]
    co = await ok(
        client, "replyToSuggestion",
        {**reply, "text": "财政局将统筹安排资金。", "resultClass": "B"}, t["co_unit"],
    )  # fmt: skip
    assert co["state"] == "ASSIGNED" and co["replies"][0]["unitRole"] == "CO"
    error = await refused(client, "replyToSuggestion", reply, t["co_unit"])
    assert error["code"] == "ALREADY_EXISTS"

    await ok(client, "acceptSuggestion", {"id": sid}, t["lead_unit"])
    supervised = await ok(
        client, "addSupervisionRecord",
        {"id": sid, "record": {"method": "PHONE", "note": "电话了解办理进度"}}, t["staff"],
    )  # fmt: skip
    assert supervised["supervisionRecords"][0]["method"] == "PHONE"
    due = (today + timedelta(days=200)).isoformat()
    replied = await ok(
        client, "replyToSuggestion",
        {**reply, "commitments": [{"text": "明年汛期前完成改造", "dueOn": due}]}, t["lead_unit"],
    )  # fmt: skip
    assert replied["state"] == "REPLIED" and replied["onTime"] is True
    assert replied["latestReply"]["text"] == "已列入计划。"

    unsatisfied = await ok(
        client, "evaluateSuggestion",
        {"id": sid, "satisfaction": "UNSATISFIED", "note": "未明确资金来源"}, t["deputy"],
    )  # fmt: skip
    assert (unsatisfied["state"], unsatisfied["satisfaction"]) == ("EVALUATED", "UNSATISFIED")
    # the deputy's part is done (but for adding a file)
    assert {s["name"] for s in unsatisfied["nextSteps"]} == {"attach"}

    rehandled = await ok(
        client, "rehandleSuggestion",
        {"id": sid, "threePartyMeeting": {"method": "THREE_PARTY_MEETING",
                                          "note": "代表、选联工委与交通运输局见面"}},
        t["staff"],
    )  # fmt: skip
    assert (rehandled["state"], rehandled["round"], rehandled["rehandleCount"]) == (
        "HANDLING",
        2,
        1,
    )
    assert rehandled["deadline"] == add_months(today, 1).isoformat()
    assert rehandled["supervisionRecords"][-1]["method"] == "THREE_PARTY_MEETING"

    second = await ok(
        client, "replyToSuggestion", {**reply, "text": "已落实资金400万元。", "resultClass": "A"},
        t["lead_unit"],
    )  # fmt: skip
    assert [r["round"] for r in second["replies"]] == [1, 1, 2]
    commitment = second["replies"][1]["commitments"][0]
    done = await ok(
        client, "completeCommitment",
        {"id": sid, "commitmentId": commitment["id"]}, t["lead_unit"],
    )  # fmt: skip
    assert done["replies"][1]["commitments"][0]["done"] is True

    await ok(client, "evaluateSuggestion", {"id": sid, "satisfaction": "SATISFIED"}, t["deputy"])
    error = await refused(client, "rehandleSuggestion", {"id": sid}, t["staff"])
    assert error["code"] == "CONFLICT" and "“满意”" in error["message"]
    closed = await ok(client, "closeSuggestion", {"id": sid}, t["staff"])
    assert closed["state"] == "CLOSED"
    assert closed["nextSteps"] == [{"name": "reopen"}]  # its one commitment is done

    # The timeline tells the whole story, each step from the state the previous one left.
    timeline = closed["timeline"]
    assert [e["action"] for e in timeline] == [
        "create", "submit", "register", "assign", "co_reply", "accept", "supervise", "reply",
        "evaluate", "rehandle", "reply", "complete_commitment", "evaluate", "close",
    ]  # fmt: skip
    for before, after in itertools.pairwise(timeline):
        assert after["fromState"] == before["toState"]
    assert timeline[-1]["toState"] == "CLOSED"
    # in Chinese as well: the step as the loop names it, the states as their enum's labels
    assert (timeline[0]["fromState"], timeline[0]["actionLabel"]) == (None, "创建")
    assert [(e["actionLabel"], e["toStateLabel"]) for e in timeline[3:5]] == [
        ("交办", "已交办"), ("协办答复", "已交办")
    ]  # fmt: skip
    assert (timeline[-1]["fromStateLabel"], timeline[-1]["toStateLabel"]) == ("已评价", "已办结")
    # one shape for every moment, whether just written or read back: UTC, milliseconds, Z
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["at"]) for e in timeline)
    created = await ok(client, "createSuggestion", draft(world), t["deputy"])
    assert re.fullmatch(r".*T\d\d:\d\d:\d\d\.\d{3}Z", created["timeline"][0]["at"])
    assert {e["actorName"] for e in timeline} == {"Deputy", "Staff", "Lead_Unit", "Co_Unit"}


async def test_an_unsatisfied_suggestion_is_handled_again_or_concluded_before_it_closes(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    s = await in_state(world, settings, SuggestionState.EVALUATED)  # evaluated unsatisfied
    sid = gid("Suggestion", s)
    shown = await read(client, sid, t["staff"])
    assert shown is not None
    offered = {step["name"] for step in shown["nextSteps"]}
    assert "rehandle" in offered and "close" not in offered
    error = await refused(client, "closeSuggestion", {"id": sid}, t["staff"])
    assert error["code"] == "CONFLICT" and error["message"].startswith("代表对答复不满意")
    # a three-party meeting recorded since the evaluation concludes it: now it may close
    meeting = {"method": "THREE_PARTY_MEETING", "note": "三方见面：受财力限制，列入明年计划"}
    await ok(client, "addSupervisionRecord", {"id": sid, "record": meeting}, t["staff"])
    closed = await ok(client, "closeSuggestion", {"id": sid}, t["staff"])
    assert closed["state"] == "CLOSED"
    assert {step["name"] for step in closed["nextSteps"]} == {"reopen", "complete_commitment"}

    # staff reopen it, with a reason; it is handled again in a new round
    assert await role_refused(
        client, "reopenSuggestion", {"id": sid, "reason": "问题反弹"}, t["deputy"]
    ) == "FORBIDDEN"  # fmt: skip
    error = await refused(client, "reopenSuggestion", {"id": sid, "reason": " "}, t["staff"])
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "reason")
    past = {"id": sid, "reason": "问题反弹", "deadline": "2020-01-01"}
    error = await refused(client, "reopenSuggestion", past, t["staff"])
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "deadline")
    assert error["message"].startswith("办理期限应在今天")
    reopened = await ok(
        client, "reopenSuggestion", {"id": sid, "reason": "路面再次破损，群众反映强烈"}, t["staff"]
    )  # fmt: skip
    assert (reopened["state"], reopened["round"]) == ("HANDLING", closed["round"] + 1)
    assert reopened["deadline"] == add_months(settings.today(), 1).isoformat()
    last = reopened["timeline"][-1]
    assert (last["action"], last["fromState"], last["note"]) == (
        "reopen", "CLOSED", "路面再次破损，群众反映强烈"
    )  # fmt: skip
    error = await refused(client, "reopenSuggestion", {"id": sid, "reason": "再次"}, t["staff"])
    assert error["code"] == "CONFLICT", "only a closed suggestion is reopened"

    # a satisfied one closes at once, and is not handled again
    happy = await in_state(world, settings, SuggestionState.EVALUATED,
                           satisfaction=Satisfaction.SATISFIED, title="路灯")  # fmt: skip
    error = await refused(client, "rehandleSuggestion", {"id": gid("Suggestion", happy)},
                          t["staff"])  # fmt: skip
    assert error["code"] == "CONFLICT" and "满意" in error["message"]
    await ok(client, "closeSuggestion", {"id": gid("Suggestion", happy)}, t["staff"])


async def test_staff_transfer_a_suggestion_to_another_lead_unit_with_a_reason(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    s = await in_state(world, settings, SuggestionState.HANDLING)  # 交通运输局 with 财政局
    sid = gid("Suggestion", s)
    move = {"id": sid, "leadUnitId": world.ids["schools"], "reason": "属教育局职责"}
    assert await role_refused(client, "transferSuggestion", move, t["lead_unit"]) == "FORBIDDEN"
    error = await refused(client, "transferSuggestion", {**move, "reason": ""}, t["staff"])
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "reason")
    same = {**move, "leadUnitId": world.ids["roads"]}
    error = await refused(client, "transferSuggestion", same, t["staff"])
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "leadUnitId")
    both = {**move, "coUnitIds": [world.ids["schools"]]}
    error = await refused(client, "transferSuggestion", both, t["staff"])
    assert (error["code"], error["message"]) == ("INVALID_INPUT", "主办单位不能同时是协办单位")
    moved = await ok(client, "transferSuggestion", move, t["staff"])
    assert (moved["state"], moved["leadUnit"]["name"], moved["coUnits"]) == (
        "ASSIGNED", "青岚县教育局", []
    )  # fmt: skip
    assert moved["deadline"] == add_months(settings.today(), 3).isoformat()
    last = moved["timeline"][-1]
    assert (last["action"], last["fromState"], last["note"]) == (
        "transfer",
        "HANDLING",
        "由青岚县交通运输局改由青岚县教育局主办：属教育局职责",
    )
    # the unit it left no longer reads it (it is internal); the new one accepts it
    assert await read(client, sid, t["lead_unit"]) is None
    accepted = await ok(client, "acceptSuggestion", {"id": sid}, t["other_unit"])
    assert accepted["state"] == "HANDLING"


async def test_a_deputy_withdraws_a_submitted_suggestion_before_registration(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    sid = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]
    withdrawn = await ok(client, "withdrawSuggestion", {"id": sid, "note": "已与部门沟通解决"},
                         t["deputy"])  # fmt: skip
    assert withdrawn["state"] == "WITHDRAWN" and withdrawn["nextSteps"] == []
    assert withdrawn["timeline"][-1]["action"] == "withdraw"
    error = await refused(client, "registerSuggestion", {"id": sid}, t["staff"])
    assert error["code"] == "CONFLICT" and "WITHDRAWN" in error["message"]
    stats = await gql(client, "{ suggestionStats(groupBy: TOPIC) { total } }", token=t["staff"])
    assert stats["data"]["suggestionStats"] == [], "a withdrawn suggestion is not counted"
    registered = await in_state(world, settings, SuggestionState.REGISTERED, title="路灯")
    error = await refused(client, "withdrawSuggestion", {"id": gid("Suggestion", registered)},
                          t["deputy"])  # fmt: skip
    assert error["code"] == "CONFLICT", "too late once registered"


async def test_staff_merge_suggestions_on_one_matter_and_split_them_again(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    internal = {"visibility": "INTERNAL"}

    async def registered(token: str, **fields: object) -> str:
        sid = (await ok(client, "createSuggestion", draft(world, submit=True, **internal,
                                                         **fields), token))["id"]  # fmt: skip
        await ok(client, "registerSuggestion", {"id": sid}, t["staff"])
        return str(sid)

    wang = await registered(t["deputy"])
    zhang = await registered(t["other_deputy"], cosignerIds=[])
    criticism = await registered(t["other_deputy"], kind="CRITICISM", cosignerIds=[])
    submitted = (await ok(client, "createSuggestion", draft(world, submit=True, cosignerIds=[]),
                          t["other_deputy"]))["id"]  # fmt: skip
    other_session = await people.create_session(
        name="青岚县第十八届人民代表大会第四次会议", term=18, meeting=4,
        opened_on=date(2027, 1, 9), closed_on=date(2027, 1, 12),
    )  # fmt: skip
    later = await in_state(world, settings, SuggestionState.REGISTERED, title="路灯")
    await Suggestion.find_one(Suggestion.id == later.id).update(
        {"$set": {"session_id": other_session.id}}
    )
    assert await read(client, wang, t["other_deputy"]) is None  # internal: 王's and 李's

    merge = {"id": wang, "duplicateIds": [zhang], "note": "同一条通村公路"}
    assert await role_refused(client, "mergeSuggestions", merge, t["deputy"]) == "FORBIDDEN"
    for duplicates, code, words in (
        ([criticism], "INVALID_INPUT", "不同类别"),
        ([gid("Suggestion", later)], "INVALID_INPUT", "不是同一次会议"),
        ([wang], "INVALID_INPUT", "它自己"),
        ([], "INVALID_INPUT", "1 到 20"),
        ([world.ids["roads"]], "INVALID_INPUT", ""),
        ([submitted], "CONFLICT", "SUBMITTED"),
    ):
        error = await refused(client, "mergeSuggestions", {**merge, "duplicateIds": duplicates},
                              t["staff"])  # fmt: skip
        assert (error["field"] or "duplicateIds", error["code"]) == ("duplicateIds", code), error
        assert words in error["message"], error

    merged = await ok(client, "mergeSuggestions", merge, t["staff"])
    assert merged["merged"] == [{"id": zhang}] and merged["timeline"][-1]["action"] == "merge"
    joined = await read(client, zhang, t["staff"])
    assert joined is not None and joined["state"] == "MERGED"
    assert joined["mergedInto"] == {"id": wang}
    assert "同一条通村公路" in joined["timeline"][-1]["note"]
    # 张 now reads the suggestion his joined, its handling included, and follows it
    await ok(client, "assignSuggestion", {"id": wang, "leadUnitId": world.ids["roads"]},
             t["staff"])  # fmt: skip
    seen = await read(client, wang, t["other_deputy"])
    assert seen is not None and seen["leadUnit"] == {"name": "青岚县交通运输局"}
    assert seen["followed"] is True
    stats = await gql(client, "{ suggestionStats(groupBy: TOPIC) { total } }", token=t["staff"])
    total = stats["data"]["suggestionStats"][0]["total"]
    assert total == 4, "of 5: a merged one counts as the one it joined"
    # a merged suggestion joins no other; one with others merged into it joins none either
    await ok(client, "registerSuggestion", {"id": submitted}, t["staff"])
    error = await refused(client, "mergeSuggestions", {"id": submitted, "duplicateIds": [wang]},
                          t["staff"])  # fmt: skip
    assert error["code"] == "CONFLICT" and "主件" in error["message"]

    error = await refused(client, "splitSuggestion", {"id": zhang, "reason": " "}, t["staff"])
    assert error["field"] == "reason"
    split = await ok(client, "splitSuggestion", {"id": zhang, "reason": "并非同一路段"}, t["staff"])
    assert (split["state"], split["mergedInto"]) == ("REGISTERED", None)
    host = await read(client, wang, t["staff"])
    assert host is not None and host["merged"] == [] and host["state"] == "ASSIGNED"
    assert host["timeline"][-1]["action"] == "split"
    assert await read(client, wang, t["other_deputy"]) is None


async def test_where_the_rules_say_so_co_units_reply_before_the_lead_unit(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    strict = settings.model_copy(update={"suggestion_co_units_reply_first": True})
    s = await in_state(world, settings, SuggestionState.HANDLING)  # co-unit: 财政局
    lead = viewers(world)["lead_unit"]
    co = Viewer(role=Role.HANDLER, unit_id=world.documents["finance"].id, name="财政")
    draft = suggestion_loop.ReplyDraft(
        text="已办。", result_class=ResultClass.A, commitments=[], public=False
    )
    assert "reply" not in {step.name for step in suggestion_loop.next_steps(lead, s, strict)}
    assert "reply" in {step.name for step in suggestion_loop.next_steps(lead, s, settings)}
    with pytest.raises(DomainError) as refused:
        await suggestion_loop.reply(suggestion=s, viewer=lead, draft=draft, settings=strict)
    assert refused.value.code is ErrorCode.CONFLICT and "协办单位未答复" in refused.value.message
    s = await suggestion_loop.reply(suggestion=s, viewer=co, draft=draft, settings=strict)
    replied = await suggestion_loop.reply(suggestion=s, viewer=lead, draft=draft, settings=strict)
    assert replied.state is SuggestionState.REPLIED


def test_every_step_names_the_mutation_that_takes_it() -> None:
    mutations = build_schema(Settings.model_construct())._schema.mutation_type.fields
    assert set(STEP_MUTATIONS) == set(suggestion_loop.LOOP.steps)
    assert set(STEP_MUTATIONS.values()) <= set(mutations)


async def test_rejection_needs_a_reason_and_the_deputy_sees_it(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    sid = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]

    error = await refused(client, "rejectSuggestion", {"id": sid, "reason": "  "}, t["staff"])
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "reason")
    reject = {"id": sid, "reason": "不属于本级"}
    assert await role_refused(client, "rejectSuggestion", reject, t["deputy"]) == "FORBIDDEN"

    rejected = await ok(
        client,
        "rejectSuggestion",
        {"id": sid, "reason": "属于上级事权，建议转省人大代表"},
        t["staff"],
    )
    assert rejected["state"] == "NOT_REGISTERED"
    seen = await read(client, sid, t["deputy"])
    assert seen is not None and seen["rejectionReason"] == "属于上级事权，建议转省人大代表"
    # Not registered: not published, even though its visibility is PUBLIC.
    assert await read(client, sid, None) is None
    error = await refused(
        client, "assignSuggestion", {"id": sid, "leadUnitId": world.ids["roads"]}, t["staff"]
    )
    assert "NOT_REGISTERED" in error["message"] and "无（流程已完成）" in error["message"]


async def test_a_unit_returns_a_misassigned_suggestion_and_loses_sight_of_it(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    sid = (await assigned(client, world, visibility="INTERNAL"))["id"]
    assert await read(client, sid, t["lead_unit"]) is not None

    error = await refused(client, "returnSuggestion", {"id": sid, "reason": ""}, t["lead_unit"])
    assert error["field"] == "reason"
    error = await refused(
        client, "returnSuggestion", {"id": sid, "reason": "非本单位职责"}, t["co_unit"]
    )
    assert error["code"] == "FORBIDDEN"
    returned = await ok(
        client, "returnSuggestion", {"id": sid, "reason": "非本单位职责"}, t["lead_unit"]
    )
    assert returned["state"] == "REGISTERED" and returned["leadUnit"] is None
    assert await read(client, sid, t["lead_unit"]) is None


async def test_overdue_is_past_the_deadline_and_not_replied(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    sid = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]
    await ok(client, "registerSuggestion", {"id": sid}, t["staff"])
    # Assigned four months ago, with the usual three months to reply.
    document = await Suggestion.get(document_id(sid))
    assert document is not None
    four_months_ago = datetime.now(UTC) - timedelta(days=122)
    await suggestion_loop.assign(
        suggestion=document,
        viewer=STAFF,
        assignment=suggestion_loop.Assignment(
            lead_unit_id=world.documents["roads"].id, co_unit_ids=[]
        ),
        settings=settings,
        at=four_months_ago,
    )
    on_time = await assigned(client, world, title="关于增设石门镇公交站点的建议")

    late = await read(client, sid, t["staff"])
    assert late is not None and late["overdue"] is True and late["daysLeft"] < 0
    listed = await gql(
        client,
        "{ suggestions(filter: {overdue: true}) { totalCount edges { node { id } } } }",
        token=t["staff"],
    )
    assert listed["data"]["suggestions"]["totalCount"] == 1
    assert listed["data"]["suggestions"]["edges"][0]["node"]["id"] == sid
    soon = await gql(
        client,
        "{ suggestions(filter: {dueWithinDays: 100}) { edges { node { id } } } }",
        token=t["staff"],
    )
    assert [e["node"]["id"] for e in soon["data"]["suggestions"]["edges"]] == [on_time["id"]]

    # The unit's queue puts the overdue one first.
    queue = await gql(
        client, "{ me { unitQueue { edges { node { id overdue } } } } }", token=t["lead_unit"]
    )
    assert [e["node"]["overdue"] for e in queue["data"]["me"]["unitQueue"]["edges"]] == [
        True,
        False,
    ]

    await ok(client, "acceptSuggestion", {"id": sid}, t["lead_unit"])
    replied = await ok(
        client, "replyToSuggestion", {"id": sid, "text": "已办理。", "resultClass": "A"},
        t["lead_unit"],
    )  # fmt: skip
    assert replied["overdue"] is False and replied["onTime"] is False


async def test_of_two_conflicting_steps_exactly_one_applies(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    for _ in range(5):
        sid = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]
        register, reject = await asyncio.gather(
            call(client, "registerSuggestion", {"id": sid}, t["staff"]),
            call(client, "rejectSuggestion", {"id": sid, "reason": "重复提出"}, t["staff"]),
        )
        outcomes = [register, reject]
        winners = [o for o in outcomes if not o["errors"]]
        losers = [o for o in outcomes if o["errors"]]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        error = losers[0]["errors"][0]
        final = winners[0]["suggestion"]["state"]
        assert error["code"] == "CONFLICT" and final in error["message"]
        seen = await read(client, sid, t["staff"])
        assert seen is not None and seen["state"] == final
        assert [e["action"] for e in seen["timeline"]][-1] in ("register", "reject")
        assert len(seen["timeline"]) == 3


async def test_deadlines_given_by_staff_are_checked(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    sid = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]
    await ok(client, "registerSuggestion", {"id": sid}, t["staff"])
    for bad in (settings.today(), date(2099, 1, 1)):
        error = await refused(
            client, "assignSuggestion",
            {"id": sid, "leadUnitId": world.ids["roads"], "deadline": bad.isoformat()}, t["staff"],
        )  # fmt: skip
        assert (error["code"], error["field"]) == ("INVALID_INPUT", "deadline")
    chosen = (settings.today() + timedelta(days=45)).isoformat()
    got = await ok(
        client, "assignSuggestion",
        {"id": sid, "leadUnitId": world.ids["roads"], "deadline": chosen}, t["staff"],
    )  # fmt: skip
    assert got["deadline"] == chosen


async def test_bad_drafts_are_refused_with_the_field_at_fault(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    cases = [
        ({"title": "题" * 201}, "title", "INVALID_INPUT"),
        ({"title": "   "}, "title", "INVALID_INPUT"),
        ({"body": "字" * 20_001}, "body", "INVALID_INPUT"),
        ({"category": ""}, "category", "INVALID_INPUT"),
        ({"keywords": [f"词{i}" for i in range(11)]}, "keywords", "INVALID_INPUT"),
        ({"keywords": ["长" * 21]}, "keywords", "INVALID_INPUT"),
        ({"cosignerIds": [world.ids["wang"]]}, "cosignerIds", "INVALID_INPUT"),
        ({"cosignerIds": [world.ids["roads"]]}, "cosignerIds", "INVALID_INPUT"),
        ({"sessionId": world.ids["wang"]}, "sessionId", "INVALID_INPUT"),
        ({"theme": "民生实事"}, "theme", "FORBIDDEN"),
    ]  # fmt: skip
    for change, field, code in cases:
        error = await refused(client, "createSuggestion", draft(world, **change), t["deputy"])
        assert (error["field"], error["code"]) == (field, code), (change, error)
    assert await Suggestion.find_all().count() == 0

    sid = (await ok(client, "createSuggestion", draft(world), t["deputy"]))["id"]
    error = await refused(client, "updateSuggestion", {"id": sid, "title": ""}, t["deputy"])
    assert error["field"] == "title"
    edited = await ok(client, "updateSuggestion", {"id": sid, "title": "新标题"}, t["deputy"])
    assert edited["title"] == "新标题" and edited["timeline"][-1]["action"] == "edit"
    await ok(client, "submitSuggestion", {"id": sid}, t["deputy"])
    # Submitted: the deputy's text is settled; staff may still correct it.
    error = await refused(client, "updateSuggestion", {"id": sid, "title": "再改"}, t["deputy"])
    assert error["code"] == "FORBIDDEN"
    corrected = await ok(
        client, "updateSuggestion", {"id": sid, "keySupervision": True, "theme": "民生实事"},
        t["staff"],
    )  # fmt: skip
    assert corrected["keySupervision"] and corrected["timeline"][-1]["action"] == "correct"
    assert corrected["timeline"][-1]["note"] == "督办主线、重点督办", (
        "what was corrected, in Chinese"
    )


async def test_bad_step_inputs_are_refused_and_change_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    first = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]
    await ok(client, "registerSuggestion", {"id": first, "number": 7}, t["staff"])
    second = (await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"]))["id"]
    for number, code in ((7, "ALREADY_EXISTS"), (0, "INVALID_INPUT"), (100_000, "INVALID_INPUT")):
        error = await refused(
            client, "registerSuggestion", {"id": second, "number": number}, t["staff"]
        )
        assert (error["field"], error["code"]) == ("number", code)
    assert (await read(client, second, t["staff"]) or {})["state"] == "SUBMITTED"
    registered = await ok(client, "registerSuggestion", {"id": second}, t["staff"])
    assert registered["number"] == 8  # the next free one

    sid = (await assigned(client, world))["id"]
    await ok(client, "acceptSuggestion", {"id": sid}, t["lead_unit"])
    tomorrow = (settings.today() + timedelta(days=1)).isoformat()
    record = {"method": "VISIT", "note": "去看过", "heldOn": tomorrow}
    error = await refused(client, "addSupervisionRecord", {"id": sid, "record": record}, t["staff"])
    assert error["field"] == "heldOn"
    error = await refused(
        client, "addSupervisionRecord", {"id": sid, "record": {"method": "VISIT", "note": ""}},
        t["staff"],
    )  # fmt: skip
    assert error["field"] == "note"
    reply = {"id": sid, "text": "已办理。", "resultClass": "B"}
    many = [{"text": f"事项{i}", "dueOn": tomorrow} for i in range(21)]
    for bad, field in (({"commitments": many}, "commitments"),
                       ({"commitments": [{"text": " ", "dueOn": tomorrow}]}, "commitments"),
                       ({"commitments": [{"text": "补办", "dueOn": "2020-01-01"}]}, "commitments"),
                       ({"text": "字" * 20_001}, "text")):  # fmt: skip
        error = await refused(client, "replyToSuggestion", {**reply, **bad}, t["lead_unit"])
        assert error["field"] == field, error
    # an id that is no id is the field's fault; another kind of object's names no suggestion
    for bad, code in (("%%%", "INVALID_INPUT"), (world.ids["roads"], "NOT_FOUND")):
        error = await refused(client, "replyToSuggestion", {**reply, "id": bad}, t["lead_unit"])
        assert (error["field"], error["code"]) == ("id", code), error
    error = await refused(client, "createSuggestion", draft(world, cosignerIds=["%%%"]),
                          t["deputy"])  # fmt: skip
    assert (error["field"], error["code"]) == ("cosignerIds", "INVALID_INPUT"), error
    before = await Suggestion.get(document_id(sid))
    assert before is not None and before.state == "HANDLING" and before.replies == []
    await ok(client, "replyToSuggestion", reply, t["lead_unit"])
    error = await refused(
        client, "completeCommitment",
        {"id": sid, "commitmentId": "000000000000000000000000"}, t["staff"],
    )  # fmt: skip
    assert (error["field"], error["code"]) == ("commitmentId", "NOT_FOUND")
    body = await gql(client, "{ hotTopics(limit: 51) { categories { value } } }", token=t["staff"])
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
