"""The permission matrix: every role against every suggestion query and mutation. What a role
may read is the same in lists, counts, `node`, `suggestion`, text search and `me`; a step
is taken only by the part DOMAIN.md gives it, and a refused step changes nothing."""

import base64
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from starlette.applications import Starlette

from api.access import Role, Viewer
from api.models.regulations import Visibility
from api.models.suggestions import (
    ResultClass,
    Satisfaction,
    Suggestion,
    SuggestionState,
    SupervisionMethod,
)
from api.services import suggestion_loop as loop
from api.settings import Settings
from tests.factories import World, data, gql, login, make_user, suggestion_world, synced
from tests.suggestion_calls import gid, in_state, mutation, viewers

ACCOUNTS = ("anonymous", "deputy", "cosigner", "other_deputy", "staff", "lead_unit", "co_unit",
            "other_unit", "finance", "admin")  # fmt: skip
SIGNED_IN = frozenset(ACCOUNTS) - {"anonymous"}
S = SuggestionState


# --- reading ----------------------------------------------------------------------------


READ = """
query($id: ID!, $query: String) {
  suggestions(first: 100) { totalCount edges { node { id } } }
  searched: suggestions(first: 100, filter: {query: $query}) { totalCount edges { node { id } } }
  suggestion(id: $id) { id }
  node(id: $id) { id }
}"""


async def test_each_role_reads_exactly_its_suggestions_everywhere(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    made = {
        "draft": await in_state(world, settings, S.DRAFT, visibility=Visibility.PUBLIC),
        "internal": await in_state(world, settings, SuggestionState.ASSIGNED),
        "public": await in_state(world, settings, SuggestionState.HANDLING,
                                 visibility=Visibility.PUBLIC),
        "others": await in_state(world, settings, SuggestionState.REGISTERED, by="other_deputy"),
    }  # fmt: skip
    everything = set(made)
    expected = {
        "anonymous": {"public"},
        "deputy": {"draft", "internal", "public"},
        "cosigner": {"draft", "internal", "public"},
        "other_deputy": {"public", "others"},
        "staff": everything,
        "lead_unit": {"internal", "public"},
        "co_unit": {"internal", "public"},
        "other_unit": {"public"},
        "finance": {"public"},
        "admin": everything,
    }
    names = {gid("Suggestion", s): name for name, s in made.items()}
    await synced(app)
    for account in ACCOUNTS:
        token = world.tokens.get(account)
        for name, s in made.items():
            body = await gql(client, READ, {"id": gid("Suggestion", s), "query": "公路养护"},
                             token=token)  # fmt: skip
            assert "errors" not in body, body
            data = body["data"]
            for listed in (data["suggestions"], data["searched"]):
                assert {names[e["node"]["id"]] for e in listed["edges"]} == expected[account], (
                    account
                )
                assert listed["totalCount"] == len(expected[account]), account
            seen = name in expected[account]
            assert (data["suggestion"] is not None) == seen, (account, name)
            assert (data["node"] is not None) == seen, (account, name)


HANDLING = """
state satisfaction
replies { text public repliedBy unit { name } commitments { text } }
latestReply { text repliedBy }
supervisionRecords { note recordedBy }
evaluations { satisfaction note }
timeline { action fromState toState actorName note }
"""
PARTIES = {"deputy", "cosigner", "lead_unit", "co_unit", "staff", "admin"}
OUTSIDERS = {"anonymous", "other_deputy", "other_unit", "finance"}


async def handled_in_public(world: World, settings: Settings) -> Suggestion:
    """A public suggestion by 王 (co-signed by 李), assigned to 交通运输局 with 财政局:
    supervised by staff, an internal reply of the co-unit, a public reply of the lead unit,
    evaluated by 王 with a note."""
    v = viewers(world)
    co_unit = Viewer(role=Role.HANDLER, unit_id=world.documents["finance"].id, name="钱会计")
    s = await in_state(world, settings, S.HANDLING, visibility=Visibility.PUBLIC)
    s = await loop.supervise(
        suggestion=s,
        viewer=v["staff"],
        settings=settings,
        supervision=loop.Supervision(SupervisionMethod.PHONE, "电话催办"),
    )
    s = await loop.reply(
        suggestion=s,
        viewer=co_unit,
        settings=settings,
        draft=loop.ReplyDraft("协办意见：资金已安排。", ResultClass.A, [], public=False),
    )
    s = await loop.reply(
        suggestion=s,
        viewer=v["lead_unit"],
        settings=settings,
        draft=loop.ReplyDraft(
            "已列入明年计划。",
            ResultClass.B,
            [("年底前开工", settings.today() + timedelta(days=60))],
        ),
    )
    return await loop.evaluate(
        suggestion=s, viewer=v["deputy"], satisfaction=Satisfaction.BASICALLY_SATISFIED,
        note="希望加快进度",
    )  # fmt: skip


async def test_who_sees_the_handling_of_a_public_suggestion(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Its parties (its deputies, its units' handlers) and staff read all of its handling;
    everyone else its outcome: state, satisfaction, the public reply and its commitments,
    the changes of state; no internal reply, supervision record, name or evaluation note.
    The same through `suggestion`, `node`, a list, `me.followed` and a mutation's payload."""
    world = await suggestion_world(client)
    s = await handled_in_public(world, settings)
    id = gid("Suggestion", s)
    await gql(client, mutation("followSuggestion"), {"input": {"id": id}},
              token=world.tokens["other_deputy"])  # fmt: skip
    state_changes = ["create", "submit", "register", "assign", "accept", "reply", "evaluate"]
    query = f"""query($id: ID!) {{
      suggestion(id: $id) {{ {HANDLING} }}
      node(id: $id) {{ ... on Suggestion {{ {HANDLING} }} }}
      suggestions(first: 100) {{ edges {{ node {{ {HANDLING} }} }} }}
      me {{ followed {{ edges {{ node {{ {HANDLING} }} }} }} }}
    }}"""
    assert PARTIES | OUTSIDERS == set(ACCOUNTS)
    for account in ACCOUNTS:
        token = world.tokens.get(account)
        found = await data(client, query, token, id=id)
        seen = found["suggestion"]
        assert found["node"] == seen, account
        assert found["suggestions"]["edges"] == [{"node": seen}], account
        if account == "other_deputy":
            assert found["me"]["followed"]["edges"] == [{"node": seen}]
        assert (seen["state"], seen["satisfaction"]) == ("EVALUATED", "BASICALLY_SATISFIED")
        public_reply = {"text": "已列入明年计划。", "public": True,
                        "unit": {"name": "青岚县交通运输局"},
                        "commitments": [{"text": "年底前开工"}]}  # fmt: skip
        if account in PARTIES:
            texts = [r["text"] for r in seen["replies"]]
            assert texts == ["协办意见：资金已安排。", "已列入明年计划。"], account
            assert seen["replies"][1] == {**public_reply, "repliedBy": "赵建国"}, account
            assert seen["replies"][0]["repliedBy"] == "钱会计"
            assert seen["supervisionRecords"] == [{"note": "电话催办", "recordedBy": "李晓梅"}]
            assert seen["evaluations"] == [
                {"satisfaction": "BASICALLY_SATISFIED", "note": "希望加快进度"}]  # fmt: skip
            actions = [e["action"] for e in seen["timeline"]]
            assert {"supervise", "co_reply"} <= set(actions), account
            assert all(e["actorName"] for e in seen["timeline"])
        else:
            assert seen["replies"] == [{**public_reply, "repliedBy": None}], account
            assert seen["latestReply"] == {"text": "已列入明年计划。", "repliedBy": None}
            assert seen["supervisionRecords"] == [], account
            assert seen["evaluations"] == [{"satisfaction": "BASICALLY_SATISFIED", "note": None}]
            assert [e["action"] for e in seen["timeline"]] == state_changes, account
            assert all(e["actorName"] is None and e["note"] is None for e in seen["timeline"])
            assert all(e["fromState"] != e["toState"] for e in seen["timeline"])
    # A mutation's payload shows the same: 张, an outsider, stops following it.
    body = await gql(client, mutation("unfollowSuggestion"), {"input": {"id": id}},
                     token=world.tokens["other_deputy"])  # fmt: skip
    after = body["data"]["unfollowSuggestion"]["suggestion"]
    assert [r["text"] for r in after["replies"]] == ["已列入明年计划。"]
    assert after["supervisionRecords"] == [] and after["evaluations"][0]["satisfaction"]


async def test_an_internal_suggestion_shows_its_parties_everything(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    s = await in_state(world, settings, S.REPLIED)  # replied as not public
    query = "query($id: ID!) { suggestion(id: $id) { replies { text repliedBy } } }"
    for account in ACCOUNTS:
        seen = (await data(client, query, world.tokens.get(account), id=gid("Suggestion", s)))[
            "suggestion"]  # fmt: skip
        if account in {"anonymous", "other_deputy", "other_unit", "finance"}:
            assert seen is None, account
        else:
            assert seen["replies"] == [{"text": "已列入计划。", "repliedBy": "赵建国"}], account


async def test_the_export_shows_a_result_class_only_from_a_reply_one_may_read(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    await in_state(world, settings, S.REPLIED, visibility=Visibility.PUBLIC)  # reply internal
    export = "{ exportSuggestions { contentBase64 rowCount } }"
    for account, result_class in (("deputy", "B"), ("lead_unit", "B"), ("staff", "B"),
                                  ("other_deputy", None), ("other_unit", None)):  # fmt: skip
        body = await data(client, export, world.tokens[account])
        content = base64.b64decode(body["exportSuggestions"]["contentBase64"])
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        header, row = list(sheet.iter_rows(values_only=True))
        values = dict(zip(header, row, strict=True))
        assert (values["状态"], values["答复类别"]) == ("已答复", result_class), account


STATS = "{ suggestionStats(groupBy: UNIT) { total } hotTopics { categories { value } } }"


async def test_statistics_are_for_staff_and_admins(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    for account in ACCOUNTS:
        body = await gql(client, STATS, token=world.tokens.get(account))
        if account in ("staff", "admin"):
            assert "errors" not in body, body
        else:
            codes = {e["extensions"]["code"] for e in body["errors"]}
            assert codes == ({"UNAUTHENTICATED"} if account == "anonymous" else {"FORBIDDEN"})


# --- steps ------------------------------------------------------------------------------

LOOP_MATRIX: list[tuple[str, SuggestionState, Callable[[World, str], dict[str, Any]], set[str]]] = [
    ("updateSuggestion", S.DRAFT, lambda w, i: {"id": i, "title": "新标题"}, {"deputy", "staff"}),
    ("submitSuggestion", S.DRAFT, lambda w, i: {"id": i}, {"deputy", "staff"}),
    ("withdrawSuggestion", S.SUBMITTED, lambda w, i: {"id": i}, {"deputy"}),
    ("registerSuggestion", S.SUBMITTED, lambda w, i: {"id": i}, {"staff"}),
    ("rejectSuggestion", S.SUBMITTED, lambda w, i: {"id": i, "reason": "重复"}, {"staff"}),
    ("assignSuggestion", S.REGISTERED, lambda w, i: {"id": i, "leadUnitId": w.ids["roads"]},
     {"staff"}),
    ("returnSuggestion", S.ASSIGNED, lambda w, i: {"id": i, "reason": "非本单位职责"},
     {"lead_unit"}),
    ("acceptSuggestion", S.ASSIGNED, lambda w, i: {"id": i}, {"lead_unit"}),
    ("transferSuggestion", S.HANDLING,
     lambda w, i: {"id": i, "leadUnitId": w.ids["schools"], "reason": "属教育局职责"}, {"staff"}),
    ("replyToSuggestion", S.HANDLING, lambda w, i: {"id": i, "text": "已办。", "resultClass": "A"},
     {"lead_unit", "co_unit"}),
    ("addSupervisionRecord", S.HANDLING,
     lambda w, i: {"id": i, "record": {"method": "PHONE", "note": "催办"}}, {"staff"}),
    ("evaluateSuggestion", S.REPLIED, lambda w, i: {"id": i, "satisfaction": "SATISFIED"},
     {"deputy"}),
    ("rehandleSuggestion", S.EVALUATED, lambda w, i: {"id": i}, {"staff"}),
    ("closeSuggestion", S.EVALUATED, lambda w, i: {"id": i}, {"staff"}),
    ("followSuggestion", S.HANDLING, lambda w, i: {"id": i}, SIGNED_IN),
    ("unfollowSuggestion", S.HANDLING, lambda w, i: {"id": i}, SIGNED_IN - {"deputy", "cosigner"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "state", "values", "allowed"), LOOP_MATRIX,
                         ids=[m[0] for m in LOOP_MATRIX])  # fmt: skip
async def test_each_step_is_taken_only_by_its_part(
    client: httpx.AsyncClient,
    settings: Settings,
    name: str,
    state: SuggestionState,
    values: Callable[[World, str], dict[str, Any]],
    allowed: set[str],
) -> None:
    world = await suggestion_world(client)
    # Public, so that everyone could at least read it when it is registered.
    visibility = Visibility.PUBLIC if name.endswith("followSuggestion") else Visibility.INTERNAL
    for account in ACCOUNTS:
        # An unsatisfied suggestion is handled again, not closed: close a satisfied one.
        satisfaction = Satisfaction.SATISFIED if name == "closeSuggestion" else None
        s = await in_state(world, settings, state, visibility=visibility,
                           **({"satisfaction": satisfaction} if satisfaction else {}))  # fmt: skip
        before = await Suggestion.get(s.id)
        body = await gql(client, mutation(name), {"input": values(world, gid("Suggestion", s))},
                         token=world.tokens.get(account))  # fmt: skip
        after = await Suggestion.get(s.id)
        assert before is not None and after is not None
        data = body["data"]
        succeeded = data is not None and data[name]["errors"] == []
        assert succeeded == (account in allowed), (account, body)
        if not succeeded:
            assert (after.state, after.revision, after.follower_ids) == (
                before.state,
                before.revision,
                before.follower_ids,
            ), account


async def test_finance_linked_to_its_bureau_replies_as_the_co_unit(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    s = await in_state(world, settings, S.HANDLING)  # co-unit: 财政局
    await make_user("caiwu", Role.FINANCE, unit_id=world.documents["finance"].id)
    await make_user("caiwu2", Role.FINANCE)  # finance, linked to no unit
    linked, unlinked = await login(client, "caiwu"), await login(client, "caiwu2")
    reply = {"id": gid("Suggestion", s), "text": "资金已纳入明年预算。", "resultClass": "B"}
    body = await gql(client, mutation("replyToSuggestion"), {"input": reply}, token=linked)
    payload = body["data"]["replyToSuggestion"]
    assert payload["errors"] == [], payload
    assert payload["suggestion"]["replies"][-1]["unit"]["name"] == "青岚县财政局"
    assert payload["suggestion"]["replies"][-1]["unitRole"] == "CO"
    assert payload["suggestion"]["state"] == "HANDLING", "a co-unit's reply leaves it handling"
    body = await gql(client, mutation("replyToSuggestion"), {"input": reply}, token=unlinked)
    assert body["data"]["replyToSuggestion"]["errors"][0]["code"] == "NOT_FOUND"


async def test_commitments_are_marked_done_by_their_unit_or_staff(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    for account in ACCOUNTS:
        s = await in_state(world, settings, S.REPLIED)
        commitment = s.replies[0].commitments[0]
        values = {"id": gid("Suggestion", s), "commitmentId": str(commitment.id)}
        body = await gql(client, mutation("completeCommitment"), {"input": values},
                         token=world.tokens.get(account))  # fmt: skip
        data = body["data"]
        succeeded = data is not None and data["completeCommitment"]["errors"] == []
        assert succeeded == (account in {"lead_unit", "staff"}), (account, body)


async def test_filing_as_a_deputy_or_for_one(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    values = {"sessionId": world.ids["session"], "kind": "SUGGESTION", "title": "标题",
              "body": "内容", "category": "民生", "leadDeputyId": world.ids["wang"]}  # fmt: skip
    for account in ACCOUNTS:
        body = await gql(client, mutation("createSuggestion"), {"input": values},
                         token=world.tokens.get(account))  # fmt: skip
        data = body["data"]
        succeeded = data is not None and data["createSuggestion"]["errors"] == []
        assert succeeded == (account in {"deputy", "staff"}), (account, body)
        if account in ("cosigner", "other_deputy"):
            assert data["createSuggestion"]["errors"][0]["field"] == "leadDeputyId"
    # Only staff decide key supervision.
    flagged = {"input": {**values, "keySupervision": True}}
    body = await gql(client, mutation("createSuggestion"), flagged, token=world.tokens["deputy"])
    assert body["data"]["createSuggestion"]["errors"][0]["code"] == "FORBIDDEN"


PEOPLE = [
    ("createCongressSession", "CreateCongressSessionInput", "congressSession",
     {"name": "青岚县第十八届人民代表大会第四次会议", "term": 18, "meeting": 4,
      "openedOn": "2027-01-08", "closedOn": "2027-01-11"}),
    ("createDeputy", "CreateDeputyInput", "deputy",
     {"name": "周文", "delegation": "城关镇代表团", "level": "COUNTY", "constituency": "第一选区",
      "term": 18}),
    ("createUnit", "CreateUnitInput", "unit", {"name": "青岚县水利局"}),
]  # fmt: skip


async def test_sessions_deputies_and_units_are_kept_by_staff_and_admins(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    for name, input_type, field, values in PEOPLE:
        for account in ACCOUNTS:
            if account == "admin":
                values = {**values, "name": values["name"] + "（二）"}
                if "meeting" in values:
                    values["meeting"] += 1
            query = f"""mutation($input: {input_type}!) {{
              {name}(input: $input) {{ {field} {{ id }} errors {{ code }} }} }}"""
            body = await gql(client, query, {"input": values}, token=world.tokens.get(account))
            succeeded = body["data"] is not None and body["data"][name]["errors"] == []
            assert succeeded == (account in ("staff", "admin")), (name, account, body)


LINK = """mutation($input: LinkUserInput!) {
  linkUser(input: $input) { user { deputy { name } unit { name } } errors { field code } }
}"""


async def test_an_admin_links_accounts_to_deputies_and_units(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    new = await make_user("newcomer", Role.DEPUTY)
    account = gid("User", new)
    values = {"sessionId": world.ids["session"], "kind": "SUGGESTION", "title": "标题",
              "body": "内容", "category": "民生"}  # fmt: skip
    newcomer = await login(client, "newcomer")
    body = await gql(client, mutation("createSuggestion"), {"input": values}, token=newcomer)
    assert body["data"]["createSuggestion"]["errors"][0]["code"] == "FORBIDDEN"  # not linked

    for input, field in (
        ({"id": account, "unitId": world.ids["roads"]}, "unitId"),  # a deputy has no unit
        ({"id": account, "deputyId": world.ids["roads"]}, "deputyId"),  # not a deputy's id
    ):
        body = await gql(client, LINK, {"input": input}, token=world.tokens["admin"])
        assert body["data"]["linkUser"]["errors"][0]["field"] == field
    body = await gql(client, LINK, {"input": {"id": account, "deputyId": world.ids["zhang"]}},
                     token=world.tokens["staff"])  # fmt: skip
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql(client, LINK, {"input": {"id": account, "deputyId": world.ids["zhang"]}},
                     token=world.tokens["admin"])  # fmt: skip
    assert body["data"]["linkUser"]["user"]["deputy"]["name"] == "张国栋"
    body = await gql(client, mutation("createSuggestion"), {"input": values}, token=newcomer)
    assert body["data"]["createSuggestion"]["suggestion"]["leadDeputy"]["name"] == "张国栋"


async def test_bad_sessions_deputies_and_units_are_refused(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    staff = world.tokens["staff"]
    session = dict(PEOPLE[0][3])
    unit = dict(PEOPLE[2][3])
    deputy = dict(PEOPLE[1][3])
    cases = [
        (PEOPLE[0], {**session, "closedOn": "2027-01-01"}, "closedOn", "INVALID_INPUT"),
        (PEOPLE[0], {**session, "term": 0}, "term", "INVALID_INPUT"),
        (PEOPLE[0], {**session, "meeting": 3}, "name", "ALREADY_EXISTS"),  # term 18, meeting 3
        (PEOPLE[1], {**deputy, "name": ""}, "name", "INVALID_INPUT"),
        (PEOPLE[1], {**deputy, "term": 100}, "term", "INVALID_INPUT"),
        (PEOPLE[2], {**unit, "name": "青岚县交通运输局"}, "name", "ALREADY_EXISTS"),
        (PEOPLE[2], {**unit, "parentId": world.ids["wang"]}, "parentId", "NOT_FOUND"),
        (PEOPLE[2], {**unit, "name": "局" * 101}, "name", "INVALID_INPUT"),
    ]
    for (name, input_type, field_name, _), values, field, code in cases:
        query = f"""mutation($input: {input_type}!) {{
          {name}(input: $input) {{ {field_name} {{ id }} errors {{ field code }} }} }}"""
        body = await gql(client, query, {"input": values}, token=staff)
        assert body["data"][name]["errors"] == [{"field": field, "code": code}], (values, body)
    body = await gql(client, "{ units(first: 100) { totalCount } }", token=staff)
    assert body["data"]["units"]["totalCount"] == 3
