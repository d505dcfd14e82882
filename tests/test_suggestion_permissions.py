"""The permission matrix: every role against every suggestion query and mutation. What a role
may read is the same in lists, counts, `node`, `suggestion`, text search and `me`; a step
is taken only by the part DOMAIN.md gives it, and a refused step changes nothing."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.access import Role
from api.models.regulations import Visibility
from api.models.suggestions import (
    Suggestion,
    SuggestionState,
)
from api.settings import Settings
from tests.factories import World, gql, login, make_user, suggestion_world, synced
from tests.suggestion_calls import gid, in_state, mutation

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


async def test_the_public_sees_public_replies_only_and_no_handling(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    s = await in_state(world, settings, SuggestionState.REPLIED, visibility=Visibility.PUBLIC)
    query = """query($id: ID!) { suggestion(id: $id) {
      replies { text } latestReply { text } timeline { action } supervisionRecords { note } } }"""
    for account, handling in (("anonymous", False), ("finance", False), ("other_deputy", True),
                              ("other_unit", True), ("staff", True)):  # fmt: skip
        body = await gql(client, query, {"id": gid("Suggestion", s)},
                         token=world.tokens.get(account))  # fmt: skip
        seen = body["data"]["suggestion"]
        # The reply was sent as not public.
        assert (len(seen["replies"]) == 1) == handling, account
        assert (seen["latestReply"] is not None) == handling, account
        assert (len(seen["timeline"]) > 0) == handling, account


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
    ("registerSuggestion", S.SUBMITTED, lambda w, i: {"id": i}, {"staff"}),
    ("rejectSuggestion", S.SUBMITTED, lambda w, i: {"id": i, "reason": "重复"}, {"staff"}),
    ("assignSuggestion", S.REGISTERED, lambda w, i: {"id": i, "leadUnitId": w.ids["roads"]},
     {"staff"}),
    ("returnSuggestion", S.ASSIGNED, lambda w, i: {"id": i, "reason": "非本单位职责"},
     {"lead_unit"}),
    ("acceptSuggestion", S.ASSIGNED, lambda w, i: {"id": i}, {"lead_unit"}),
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
        s = await in_state(world, settings, state, visibility=visibility)
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


async def test_commitments_are_marked_done_by_their_unit_or_staff(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await suggestion_world(client)
    for account in ACCOUNTS:
        s = await in_state(world, settings, S.REPLIED)
        commitment = s.replies[0].commitments[0]
        values = {"suggestionId": gid("Suggestion", s), "commitmentId": str(commitment.id)}
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
