"""Finding suggestions: filters, orders and pages; a deputy's own, followed and updated ones;
statistics against hand-computed figures; text search; and a list's cost in MongoDB
commands, which must not grow with its length."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette

from api.models.regulations import Visibility
from api.models.suggestions import Satisfaction, Suggestion, SuggestionState
from api.services import suggestion_loop as loop
from api.settings import Settings
from tests.conftest import COMMANDS
from tests.factories import World, gql, suggestion_world, synced
from tests.suggestion_calls import gid, in_state, ok, refused, viewers

S = SuggestionState

LIST = """
query($filter: SuggestionFilter, $sort: SuggestionSort, $first: Int, $after: String) {
  suggestions(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id title number } }
  }
}"""


async def titles(client: httpx.AsyncClient, token: str, **variables: Any) -> list[str]:
    body = await gql(client, LIST, variables, token=token)
    assert "errors" not in body, body
    return [e["node"]["title"] for e in body["data"]["suggestions"]["edges"]]


async def test_filters_orders_and_pages(client: httpx.AsyncClient, settings: Settings) -> None:
    world = await suggestion_world(client)
    staff = world.tokens["staff"]
    v = viewers(world)
    roads = await in_state(world, settings, S.HANDLING, title="公路")
    await loop.supervise(
        suggestion=roads,
        viewer=v["staff"],
        settings=settings,
        supervision=loop.Supervision(method=loop.SupervisionMethod.VISIT, note="实地查看"),
    )
    replied = await in_state(world, settings, S.EVALUATED, title="评价")
    draft = await in_state(world, settings, S.DRAFT, title="草稿")
    others = await in_state(world, settings, S.REGISTERED, by="other_deputy", title="张的")
    await Suggestion.find_one({"_id": others.id}).update(
        {"$set": {"category": "教育", "keywords": ["校车"], "theme": "民生实事",
                  "key_supervision": True, "kind": "CRITICISM"}}
    )  # fmt: skip

    assert await titles(client, staff, filter={"states": ["HANDLING"]}) == ["公路"]
    assert await titles(client, staff, filter={"kinds": ["CRITICISM"]}) == ["张的"]
    assert await titles(client, staff, filter={"unitId": world.ids["finance"]}) == ["公路", "评价"]
    assert await titles(client, staff, filter={"deputyId": world.ids["li"]}) == [
        "草稿",
        "公路",
        "评价",
    ]  # fmt: skip  (by number: the unnumbered draft first)
    assert await titles(client, staff, filter={"categories": ["教育"]}) == ["张的"]
    assert await titles(client, staff, filter={"keywords": ["校车"]}) == ["张的"]
    assert await titles(client, staff, filter={"themes": ["民生实事"]}) == ["张的"]
    assert await titles(client, staff, filter={"keySupervision": True}) == ["张的"]
    assert await titles(client, staff, filter={"satisfactions": ["UNSATISFIED"]}) == ["评价"]
    assert await titles(client, staff, filter={"sessionIds": [world.ids["session"]]}) == [
        "草稿", "公路", "评价", "张的"
    ]  # fmt: skip
    assert await titles(client, staff, sort="NEWEST") == ["张的", "评价", "公路", "草稿"]
    assert await titles(client, staff, sort="DEADLINE") == ["草稿", "张的", "公路", "评价"]
    assert await titles(client, staff, sort="RECENTLY_UPDATED") == ["张的", "草稿", "评价", "公路"]

    # Pages continue exactly, whatever the order, nulls included.
    for sort in ("NUMBER", "NEWEST", "DEADLINE", "RECENTLY_UPDATED"):
        whole = await titles(client, staff, sort=sort)
        paged: list[str] = []
        after = None
        while True:
            body = await gql(client, LIST, {"sort": sort, "first": 1, "after": after}, token=staff)
            page = body["data"]["suggestions"]
            paged += [e["node"]["title"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert paged == whole, sort

    # Bad input is refused with a clear error.
    for variables, field in (
        ({"filter": {"dueWithinDays": 400}}, "dueWithinDays"),
        ({"filter": {"unitId": world.ids["wang"]}}, "unitId"),
        ({"filter": {"query": "字" * 201}}, "query"),
        ({"filter": {"query": "？？！"}}, "query"),  # would match everything
    ):
        body = await gql(client, LIST, variables, token=staff)
        assert body["errors"][0]["extensions"]["field"] == field, body
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
    body = await gql(client, LIST, {"first": 101}, token=staff)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    body = await gql(client, LIST, {"after": "bm9wZQ=="}, token=staff)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert draft.id and replied.id


ME = """
query($since: DateTime!) { me {
  suggestions { totalCount edges { node { title } } }
  followed { edges { node { title followed } } }
  updatesSince(since: $since) { edges { node { title timeline(since: $since) { action } } } }
} }"""


async def test_a_deputy_follows_and_sees_what_changed(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    t = world.tokens
    mine = await in_state(world, settings, S.ASSIGNED, title="我的")
    theirs = await in_state(
        world, settings, S.ASSIGNED, by="other_deputy", title="张的", visibility=Visibility.PUBLIC
    )
    hidden = await in_state(world, settings, S.ASSIGNED, by="other_deputy", title="张的内部")

    await ok(client, "followSuggestion", {"id": gid("Suggestion", theirs)}, t["deputy"])
    await ok(client, "followSuggestion", {"id": gid("Suggestion", theirs)}, t["deputy"])  # twice
    error = await refused(
        client, "followSuggestion", {"id": gid("Suggestion", hidden)}, t["deputy"]
    )
    assert error["code"] == "NOT_FOUND"
    error = await refused(
        client, "unfollowSuggestion", {"id": gid("Suggestion", mine)}, t["deputy"]
    )
    assert error["code"] == "CONFLICT"

    since = datetime.now(UTC)
    await asyncio.sleep(0.002)  # MongoDB keeps milliseconds: the step must fall after `since`
    v = viewers(world)
    await loop.accept(suggestion=theirs, viewer=v["lead_unit"])
    body = await gql(client, ME, {"since": since.isoformat()}, token=t["deputy"])
    me = body["data"]["me"]
    assert [e["node"]["title"] for e in me["suggestions"]["edges"]] == ["我的"]
    assert {e["node"]["title"] for e in me["followed"]["edges"]} == {"我的", "张的"}
    assert all(e["node"]["followed"] for e in me["followed"]["edges"])
    assert me["updatesSince"]["edges"] == [
        {"node": {"title": "张的", "timeline": [{"action": "accept"}]}}
    ]

    await ok(client, "unfollowSuggestion", {"id": gid("Suggestion", theirs)}, t["deputy"])
    body = await gql(client, ME, {"since": since.isoformat()}, token=t["deputy"])
    assert [e["node"]["title"] for e in body["data"]["me"]["followed"]["edges"]] == ["我的"]
    assert body["data"]["me"]["updatesSince"]["edges"] == []
    # a moment without an offset is UTC, the same moment; one that is no moment is refused
    naive = since.replace(tzinfo=None).isoformat()
    body = await gql(client, ME, {"since": naive}, token=t["deputy"])
    assert body["data"]["me"]["followed"]["edges"][0]["node"]["title"] == "我的"
    body = await gql(client, ME, {"since": "上周三"}, token=t["deputy"])
    (error,) = body["errors"]
    assert body.get("data") is None and error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "“上周三”不是 ISO 8601 时间" in error["message"]


STATS = """
query($by: StatsGrouping!) { suggestionStats(groupBy: $by) {
  key unit { name } total assigned replied onTime evaluated satisfied closed overdue rehandles
  replyRate onTimeRate satisfactionRate closureRate counts { state count }
} }"""


async def test_statistics_match_hand_computed_figures(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    v = viewers(world)
    d = world.documents
    # 交通运输局: one replied on time, satisfied and closed; one overdue.
    closed = await in_state(world, settings, S.REPLIED)
    closed = await loop.evaluate(
        suggestion=closed, viewer=v["deputy"], satisfaction=Satisfaction.SATISFIED
    )
    await loop.close(suggestion=closed, viewer=v["staff"])
    late = await in_state(world, settings, S.REGISTERED)
    await loop.assign(
        suggestion=late, viewer=v["staff"], settings=settings,
        assignment=loop.Assignment(lead_unit_id=d["roads"].id, co_unit_ids=[]),
        at=datetime.now(UTC) - timedelta(days=120),
    )  # fmt: skip
    # 教育局: replied, unsatisfied, handled again.
    again = await in_state(world, settings, S.REGISTERED, title="校车")
    again = await loop.assign(
        suggestion=again, viewer=v["staff"], settings=settings,
        assignment=loop.Assignment(lead_unit_id=d["schools"].id, co_unit_ids=[]),
    )  # fmt: skip
    schools = v["lead_unit"].__class__(role=v["lead_unit"].role, unit_id=d["schools"].id)
    again = await loop.accept(suggestion=again, viewer=schools)
    again = await loop.reply(
        suggestion=again, viewer=schools, settings=settings,
        draft=loop.ReplyDraft(text="留作参考", result_class=loop.ResultClass.C, commitments=[]),
    )  # fmt: skip
    again = await loop.evaluate(
        suggestion=again, viewer=v["deputy"], satisfaction=Satisfaction.UNSATISFIED
    )
    await loop.rehandle(suggestion=again, viewer=v["staff"], settings=settings)
    # Not assigned yet, and a draft (never counted).
    await in_state(world, settings, S.SUBMITTED)
    await in_state(world, settings, S.DRAFT)

    body = await gql(client, STATS, {"by": "UNIT"}, token=world.tokens["staff"])
    assert "errors" not in body, body
    rows = {(r["unit"] or {}).get("name"): r for r in body["data"]["suggestionStats"]}
    figures = ("total", "assigned", "replied", "onTime", "evaluated", "satisfied", "closed",
               "overdue", "rehandles", "replyRate", "onTimeRate", "satisfactionRate",
               "closureRate")  # fmt: skip
    assert [rows["青岚县交通运输局"][f] for f in figures] == [
        2,
        2,
        1,
        1,
        1,
        1,
        1,
        1,
        0,
        0.5,
        1.0,
        1.0,
        0.5,
    ]
    assert [rows["青岚县教育局"][f] for f in figures] == [
        1,
        1,
        0,
        0,
        1,
        0,
        0,
        0,
        1,
        0.0,
        None,
        0.0,
        0.0,
    ]
    assert [rows[None][f] for f in figures] == [1, 0, 0, 0, 0, 0, 0, 0, 0, None, None, None, None]
    roads = world.ids["roads"]
    assert rows["青岚县交通运输局"]["key"] == roads, "a unit's global id, as filters take it"
    assert rows[None]["key"] is None
    assert rows["青岚县交通运输局"]["counts"] == [
        {"state": "ASSIGNED", "count": 1}, {"state": "CLOSED", "count": 1}
    ]  # fmt: skip

    body = await gql(client, STATS, {"by": "TOPIC"}, token=world.tokens["staff"])
    assert [(r["key"], r["total"]) for r in body["data"]["suggestionStats"]] == [("交通运输", 4)]
    hot = await gql(
        client, "{ hotTopics(limit: 1) { categories { value count } keywords { value } } }",
        token=world.tokens["staff"],
    )  # fmt: skip
    assert hot["data"]["hotTopics"]["categories"] == [{"value": "交通运输", "count": 4}]


async def test_text_search_finds_words_inside_words(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    await in_state(world, settings, S.ASSIGNED, title="关于建设石门镇污水处理厂的建议")
    await in_state(world, settings, S.ASSIGNED, title="关于农村公路养护的建议")
    await synced(app)
    staff = world.tokens["staff"]
    assert await titles(client, staff, filter={"query": "處理"}) == [
        "关于建设石门镇污水处理厂的建议"
    ]
    assert await titles(client, staff, filter={"query": "公路", "states": ["HANDLING"]}) == []
    assert await titles(client, staff, filter={"query": "公路"}) == ["关于农村公路养护的建议"]


# --- the cost of a list -----------------------------------------------------------------


PAGE = """
query($first: Int!) { suggestions(first: $first) { totalCount edges { node {
  title session { name } leadDeputy { name } cosigners { name } leadUnit { name }
  coUnits { name } latestReply { text unit { name } } timeline { action at }
} } } }"""


async def test_a_page_of_100_costs_the_commands_of_a_page_of_10(
    counted_app: Starlette, settings: Settings
) -> None:
    transport = httpx.ASGITransport(app=counted_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://jiandu.test") as client:
        world = await suggestion_world(client)
        template = await in_state(world, settings, S.REPLIED)
        copies = [
            Suggestion.model_validate({**template.model_dump(), "id": None, "number": n})
            for n in range(2, 101)
        ]
        await Suggestion.insert_many(copies)
        await gql(client, "{ me { user { id } } }", token=world.tokens["staff"])  # token in use
        costs = {}
        for first in (10, 100):
            await counted_app.state.sync_worker.wait_caught_up()
            COMMANDS.names.clear()
            COMMANDS.counting = True
            body = await gql(client, PAGE, {"first": first}, token=world.tokens["staff"])
            COMMANDS.counting = False
            edges = body["data"]["suggestions"]["edges"]
            assert len(edges) == first and edges[-1]["node"]["latestReply"]["unit"]["name"]
            costs[first] = sorted(n for n in COMMANDS.names if n not in ("getMore", "aggregate"))
        assert costs[10] == costs[100], costs
        assert costs[100].count("find") <= 6, costs  # token, page, sessions, deputies, units
    assert isinstance(world, World)
