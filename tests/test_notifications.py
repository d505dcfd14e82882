"""Notifications: each step tells exactly the people it concerns, once, and only of what they
may read; each person reads and marks only their own; reminders come once per threshold."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest
import websockets
from pydantic import ValidationError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL as GRAPHQL_TRANSPORT_WS

from api.access import admits
from api.devservers.local import LocalServers
from api.models.notifications import Notification
from api.models.suggestions import Suggestion, SuggestionState, Visibility
from api.models.users import User
from api.services import notifications
from api.settings import Settings
from tests.factories import World, gql, jiandu, suggestion_world
from tests.live import live_server
from tests.suggestion_calls import assigned, document_id, draft, gid, in_state, ok, refused
from tests.test_rectification import new_opinion, step
from tests.test_rectification import world as rectification_world

ACCOUNTS = ("deputy", "cosigner", "other_deputy", "staff", "lead_unit", "co_unit", "other_unit",
            "finance", "admin")  # fmt: skip
INBOX = """query($unread: Boolean!) { me { unreadNotificationCount
  notifications(unreadOnly: $unread, first: 50) { totalCount edges { node {
    id kind title message readAt record { id ... on Suggestion { title } } } } } } }"""
REGISTER = "mutation($id: ID!) { registerSuggestion(input: {id: $id}) { errors { code } } }"
MARK = """mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) {
  marked unreadCount errors { field code message } } }"""


async def inbox(client: httpx.AsyncClient, token: str, unread: bool = True) -> list[dict[str, Any]]:
    body = await gql(client, INBOX, {"unread": unread}, token=token)
    assert "errors" not in body, body
    me = body["data"]["me"]
    nodes = [e["node"] for e in me["notifications"]["edges"]]
    assert me["notifications"]["totalCount"] == len(nodes)
    if unread:
        assert me["unreadNotificationCount"] == len(nodes)
    return nodes


async def told(client: httpx.AsyncClient, world: World) -> dict[str, list[str]]:
    """Each account's unread notifications' kinds, newest first; then all marked read."""
    out = {}
    for name in ACCOUNTS:
        nodes = await inbox(client, world.tokens[name])
        out[name] = [n["kind"] for n in nodes]
        await gql(client, MARK, {"input": {}}, token=world.tokens[name])
    return {name: kinds for name, kinds in out.items() if kinds}


async def test_each_step_tells_exactly_the_people_it_concerns(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    created = await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"])
    sid = created["id"]
    assert await told(client, world) == {}  # a deputy's own steps tell nobody

    await ok(client, "registerSuggestion", {"id": sid}, t["staff"])
    assert await told(client, world) == {"deputy": ["PROGRESS"], "cosigner": ["PROGRESS"]}

    assign = {"id": sid, "leadUnitId": world.ids["roads"], "coUnitIds": [world.ids["finance"]]}
    await ok(client, "assignSuggestion", assign, t["staff"])
    (note,) = await inbox(client, t["lead_unit"])
    assert note["kind"] == "TO_HANDLE" and note["record"]["id"] == sid
    assert note["title"] == created["title"]
    assert note["message"] == f"Staff已交办建议“{created['title']}”"
    assert await told(client, world) == {
        "deputy": ["PROGRESS"], "cosigner": ["PROGRESS"],
        "lead_unit": ["TO_HANDLE"], "co_unit": ["TO_HANDLE"],
    }  # fmt: skip

    await ok(client, "acceptSuggestion", {"id": sid}, t["lead_unit"])
    assert await told(client, world) == {"deputy": ["PROGRESS"], "cosigner": ["PROGRESS"]}
    supervision = {"id": sid, "record": {"method": "PHONE", "note": "电话了解办理进度"}}
    await ok(client, "addSupervisionRecord", supervision, t["staff"])
    assert await told(client, world) == {"lead_unit": ["TO_HANDLE"], "co_unit": ["TO_HANDLE"]}
    reply = {"id": sid, "text": "已列入明年计划。", "resultClass": "B"}
    await ok(client, "replyToSuggestion", reply, t["lead_unit"])
    assert await told(client, world) == {"deputy": ["REPLIED"], "cosigner": ["REPLIED"]}

    # Satisfied: the units learn it; staff have nothing to do. Unsatisfied: staff do.
    evaluation = {"id": sid, "satisfaction": "UNSATISFIED", "note": "资金来源不明"}
    await ok(client, "evaluateSuggestion", evaluation, t["deputy"])
    (note,) = await inbox(client, t["staff"])
    assert note["kind"] == "NEEDS_STAFF" and "：不满意 资金来源不明" in note["message"]
    assert await told(client, world) == {
        "staff": ["NEEDS_STAFF"], "lead_unit": ["TO_HANDLE"], "co_unit": ["TO_HANDLE"],
    }  # fmt: skip


async def test_a_transfer_tells_the_new_units_and_not_the_ones_it_leaves(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    s = await in_state(world, settings, SuggestionState.HANDLING)  # 交通运输局 with 财政局
    await told(client, world)
    move = {
        "id": gid("Suggestion", s),
        "leadUnitId": world.ids["schools"],
        "reason": "属教育局职责",
    }
    await ok(client, "transferSuggestion", move, world.tokens["staff"])
    assert await told(client, world) == {
        "deputy": ["PROGRESS"], "cosigner": ["PROGRESS"], "other_unit": ["TO_HANDLE"],
    }  # fmt: skip
    # The unit it left may no longer read it, nor what it was told of it.
    notes = await inbox(client, world.tokens["lead_unit"], unread=False)
    assert notes and all(note["record"] is None for note in notes)


async def test_nobody_is_told_of_what_they_may_not_read(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    internal = await in_state(world, settings, SuggestionState.REGISTERED)  # INTERNAL
    public = await in_state(
        world, settings, SuggestionState.REGISTERED, visibility=Visibility.PUBLIC, title="公开的"
    )
    # A handler of an unrelated unit follows both (only a deputy may follow through the API;
    # the list is written here to prove the check, not the follow mutation, guards it).
    follower = await User.find_one(User.username == "other_unit")
    assert follower is not None
    for s in (internal, public):
        await Suggestion.get_pymongo_collection().update_one(
            {"_id": s.id}, {"$push": {"follower_ids": follower.id}, "$inc": {"revision": 1}}
        )
    await told(client, world)
    for s in (internal, public):
        assign = {"id": gid("Suggestion", s), "leadUnitId": world.ids["roads"]}
        await ok(client, "assignSuggestion", assign, world.tokens["staff"])
    notes = await inbox(client, world.tokens["other_unit"])
    assert [n["title"] for n in notes] == ["公开的"]


async def test_a_step_refused_or_lost_to_another_tells_nobody(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    s = await in_state(world, settings, SuggestionState.SUBMITTED)
    await told(client, world)
    sid, staff = gid("Suggestion", s), world.tokens["staff"]
    # Two staff act at once: one registers, one rejects; exactly one applies, and tells.
    outcomes = await asyncio.gather(
        gql(client, REGISTER, {"id": sid}, token=staff),
        gql(client, """mutation($id: ID!) { rejectSuggestion(input: {id: $id, reason: "重复"}) {
              errors { code } } }""", {"id": sid}, token=staff),
    )  # fmt: skip
    codes = sorted(
        [e["code"] for e in next(iter(o["data"].values()))["errors"]] for o in outcomes
    )  # fmt: skip
    assert codes == [[], ["CONFLICT"]], outcomes
    assert await told(client, world) == {"deputy": ["PROGRESS"], "cosigner": ["PROGRESS"]}
    error = await refused(client, "registerSuggestion", {"id": sid}, staff)
    assert error["code"] == "CONFLICT"
    assert await told(client, world) == {}
    assert await Notification.find({"record_id": s.id}).count() == 2


async def test_a_step_whose_notifications_cannot_be_written_is_not_taken(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """The step and its notifications are one transaction: a notification MongoDB refuses
    (here, by a validator on the collection) leaves the suggestion as it was."""
    world = await suggestion_world(client)
    s = await in_state(world, settings, SuggestionState.SUBMITTED, title="通知写不进的建议")
    await told(client, world)
    db = Notification.get_pymongo_collection().database
    refuse = {"$jsonSchema": {"properties": {"title": {"not": {"enum": [s.title]}}}}}
    await db.command("collMod", "notifications", validator=refuse)
    try:
        body = await gql(
            client, REGISTER, {"id": gid("Suggestion", s)}, token=world.tokens["staff"]
        )
        assert body["data"] is None and body["errors"], body
    finally:
        await db.command("collMod", "notifications", validator={})
    after = await Suggestion.get(s.id)
    assert after is not None
    assert (after.state, after.revision, len(after.timeline)) == (
        SuggestionState.SUBMITTED, s.revision, len(s.timeline),
    )  # fmt: skip
    assert await told(client, world) == {}
    await ok(client, "registerSuggestion", {"id": gid("Suggestion", s)}, world.tokens["staff"])
    assert await told(client, world) == {"deputy": ["PROGRESS"], "cosigner": ["PROGRESS"]}


async def test_each_reads_and_marks_only_their_own(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    await assigned(client, world)
    mine = await inbox(client, t["lead_unit"])
    theirs = await inbox(client, t["deputy"])
    assert len(mine) == 1 and len(theirs) == 2  # registered, assigned

    # Another's notification: not readable by id, not marked by naming it.
    body = await gql(
        client, "query($id: ID!) { node(id: $id) { id } }", {"id": theirs[0]["id"]},
        token=t["lead_unit"],
    )  # fmt: skip
    assert body["data"]["node"] is None
    body = await gql(client, MARK, {"input": {"ids": [theirs[0]["id"]]}}, token=t["lead_unit"])
    assert body["data"]["markNotificationsRead"] == {"marked": 0, "unreadCount": 1, "errors": []}
    assert len(await inbox(client, t["deputy"])) == 2

    body = await gql(client, MARK, {"input": {"ids": [mine[0]["id"]]}}, token=t["lead_unit"])
    assert body["data"]["markNotificationsRead"] == {"marked": 1, "unreadCount": 0, "errors": []}
    assert await inbox(client, t["lead_unit"]) == []
    (read,) = await inbox(client, t["lead_unit"], unread=False)
    assert read["readAt"] is not None

    # Bad input: a malformed id, another type's id, too many ids; nobody signed in.
    for ids, reason in (
        (["bad"], "不是有效的"),
        ([world.ids["roads"]], "不是通知的 id"),
        ([mine[0]["id"]] * 501, "一次最多标记 500 条"),
    ):
        body = await gql(client, MARK, {"input": {"ids": ids}}, token=t["deputy"])
        (error,) = body["data"]["markNotificationsRead"]["errors"]
        assert (error["code"], error["field"]) == ("INVALID_INPUT", "ids"), error
        assert reason in error["message"], error
    body = await gql(client, MARK, {"input": {}})
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await gql(client, "{ me { unreadNotificationCount } }")
    assert body == {"data": {"me": None}}


async def _deadline(suggestion_id: str, days: int, settings: Settings) -> None:
    due = datetime.combine(settings.today() + timedelta(days=days), time())
    await Suggestion.get_pymongo_collection().update_one(
        {"_id": document_id(suggestion_id)}, {"$set": {"deadline": due}}
    )


async def test_deadlines_are_told_once_per_threshold_however_often_reminders_run(
    client: httpx.AsyncClient, settings: Settings, servers: LocalServers
) -> None:
    world = await suggestion_world(client)
    s = await assigned(client, world)  # 交通运输局 with 财政局, due in three months
    await told(client, world)
    today = settings.today()

    async def remind() -> int:
        return (await notifications.remind(today, [15, 3])).written

    assert await remind() == 0  # three months ahead: nothing yet
    await _deadline(s["id"], 10, settings)
    assert await remind() == 2 and await remind() == 0
    assert await told(client, world) == {
        "lead_unit": ["DEADLINE_SOON"],
        "co_unit": ["DEADLINE_SOON"],
    }
    newest = (await inbox(client, world.tokens["lead_unit"], unread=False))[0]
    assert "不到 15 天" in newest["message"] and newest["readAt"] is not None

    await _deadline(s["id"], 2, settings)
    assert await remind() == 2 and await remind() == 0
    await _deadline(s["id"], -1, settings)
    assert await remind() == 3 and await remind() == 0  # the units and staff
    assert await told(client, world) == {
        "staff": ["OVERDUE"], "lead_unit": ["OVERDUE", "DEADLINE_SOON"],
        "co_unit": ["OVERDUE", "DEADLINE_SOON"],
    }  # fmt: skip

    # A new deadline (an extension) is reminded of again; a replied one is not.
    await _deadline(s["id"], 1, settings)
    result = jiandu(servers, settings.mongodb_database, "remind")
    assert result.returncode == 0, result.stderr
    assert "新发通知 2 条" in result.stdout
    await ok(client, "acceptSuggestion", {"id": s["id"]}, world.tokens["lead_unit"])
    reply = {"id": s["id"], "text": "已办理。", "resultClass": "A"}
    await ok(client, "replyToSuggestion", reply, world.tokens["lead_unit"])
    await _deadline(s["id"], -5, settings)
    assert await remind() == 0
    refused_days = jiandu(servers, settings.mongodb_database, "remind", JIANDU_REMINDER_DAYS="0")
    assert refused_days.returncode != 0 and "REMINDER_DAYS" in refused_days.stderr.upper()


def test_reminder_days_are_a_list_of_days_ahead() -> None:
    assert Settings(reminder_days="3, 15,3").reminder_days == [3, 15]  # type: ignore[arg-type]
    assert Settings().reminder_days == [3, 15]
    for bad in ("0", "15,400", "soon"):
        with pytest.raises(ValidationError):
            Settings(reminder_days=bad)  # type: ignore[arg-type]


SUBSCRIBE = "subscription { notifications { kind message record { id } } }"


@asynccontextmanager
async def subscribed(url: str, token: str | None) -> AsyncIterator[Any]:
    """A graphql-transport-ws connection to the live server, signed in with ``token`` and
    subscribed to notifications."""
    async with websockets.connect(
        url.replace("http", "ws", 1) + "/graphql", subprotocols=[GRAPHQL_TRANSPORT_WS]
    ) as socket:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        message = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}
        await socket.send(json.dumps(message))
        yield socket


async def test_a_subscription_is_told_as_it_happens_and_only_its_own(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    s = await assigned(client, world)
    await ok(client, "acceptSuggestion", {"id": s["id"]}, world.tokens["lead_unit"])
    # From here on, only the served app touches the database (its own client, its own loop).
    with live_server(settings) as url:
        async with (
            httpx.AsyncClient(base_url=url) as served,
            subscribed(url, world.tokens["deputy"]) as mine,
            subscribed(url, world.tokens["other_deputy"]) as theirs,
        ):
            await asyncio.sleep(1)  # the subscriptions' change streams open
            reply = {"id": s["id"], "text": "已列入明年计划。", "resultClass": "B"}
            await ok(served, "replyToSuggestion", reply, world.tokens["lead_unit"])
            message = json.loads(await asyncio.wait_for(mine.recv(), timeout=10))
            assert message["type"] == "next", message
            told = message["payload"]["data"]["notifications"]
            assert told["kind"] == "REPLIED" and told["record"]["id"] == s["id"]
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(theirs.recv(), timeout=0.5)

        # Without a token: refused, saying how to sign in; a bad token: the connection closes.
        async with subscribed(url, None) as anonymous:
            message = json.loads(await asyncio.wait_for(anonymous.recv(), timeout=10))
            assert message["type"] in ("error", "next"), message
            errors = (
                message["payload"] if message["type"] == "error" else message["payload"]["errors"]
            )
            assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert "connection_init" in errors[0]["message"]
        with pytest.raises(websockets.ConnectionClosed) as closed:
            async with subscribed(url, "not-a-token"):
                pass
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_who_is_told_is_decided_as_mongodb_decides_who_reads(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """``admits`` (access clauses read in memory, for many recipients at once) agrees with
    the MongoDB filter of the same clauses, for every account and suggestions of every
    kind of reader: own, co-signed, followed, public or internal, in each state."""
    world = await suggestion_world(client)
    made = [
        await in_state(world, settings, state, visibility=visibility, by=by, title=f"{state}{by}")
        for state in (SuggestionState.SUBMITTED, SuggestionState.ASSIGNED, SuggestionState.CLOSED)
        for visibility in Visibility
        for by in ("deputy", "other_deputy")
    ]
    follower = await User.find_one(User.username == "deputy")
    assert follower is not None
    collection = Suggestion.get_pymongo_collection()
    await collection.update_one({"_id": made[-1].id}, {"$push": {"follower_ids": follower.id}})
    stored = {raw["_id"]: raw async for raw in collection.find({})}
    outcomes: list[bool] = []
    async for user in User.find_all():
        viewer = notifications.viewer_of(user)
        readable = {
            raw["_id"] async for raw in collection.find(Suggestion.visible_to(viewer), {"_id": 1})
        }
        for object_id, raw in stored.items():
            assert admits(Suggestion.access(viewer), raw) == (object_id in readable), (
                user.username, raw["title"],
            )  # fmt: skip
            outcomes.append(object_id in readable)
    assert len(outcomes) == len(ACCOUNTS) * len(made)
    assert 0 < sum(outcomes) < len(outcomes)  # both answers were put to the test


async def test_an_opinions_units_are_told_of_it_and_staff_of_their_report(
    client: httpx.AsyncClient,
) -> None:
    w = await rectification_world(client)
    staff, unit = w.tokens["staff"], w.tokens["lead_unit"]
    o = await new_opinion(client, w)  # issued (交办) to 交通运输局
    assert await told(client, w) == {"lead_unit": ["TO_HANDLE"]}
    await step(client, staff, o["id"], "supervise", method="PHONE", note="电话督促尽快签收")
    await step(client, unit, o["id"], "accept")
    await step(client, unit, o["id"], "plan", text="成立专班，倒排工期。")
    assert await told(client, w) == {"lead_unit": ["TO_HANDLE"]}
    await step(client, unit, o["id"], "report", text="三点均已整改。", points=[1, 2, 3])
    assert await told(client, w) == {"staff": ["NEEDS_STAFF"]}
    await step(client, staff, o["id"], "return", note="第二点未见整改措施")
    (note,) = await inbox(client, unit)
    assert note["kind"] == "TO_HANDLE" and "退回重新整改审议意见" in note["message"]
