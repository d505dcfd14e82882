"""User management by admins, role checks on fields, object visibility through lists, counts
and node(), and keyset paging."""

import base64

import httpx
import pytest

from api.access import Role
from api.models.users import Token, User
from tests.factories import PASSWORD, gql, login, make_user, signed_in

CREATE_USER = """
mutation Create($input: CreateUserInput!) {
  createUser(input: $input) { user { id username role } errors { field code message } }
}
"""
UPDATE_USER = """
mutation Update($input: UpdateUserInput!) {
  updateUser(input: $input) { user { id role active displayName } errors { field code message } }
}
"""
RESET = """
mutation Reset($input: ResetPasswordInput!) {
  resetPassword(input: $input) { user { username } errors { field code message } }
}
"""
USERS = """
query Users($first: Int, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id username role } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on User { username } } }"


def new_user(**overrides: str) -> dict[str, str]:
    return {
        "username": "liu",
        "displayName": "刘芳",
        "role": "HANDLER",
        "password": PASSWORD,
    } | overrides


async def test_an_admin_creates_an_account_that_can_sign_in(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    body = await gql(client, CREATE_USER, {"input": new_user()}, token=admin)
    assert body["data"]["createUser"]["errors"] == []
    assert body["data"]["createUser"]["user"]["role"] == "HANDLER"
    await login(client, "liu")


async def test_other_roles_may_not_create_accounts(client: httpx.AsyncClient) -> None:
    deputy = await signed_in(client, "deputy1")
    body = await gql(client, CREATE_USER, {"input": new_user()}, token=deputy)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert body["errors"][0]["message"] == (
        "只有系统管理员（ADMIN）可以进行此操作；你的角色是人大代表（DEPUTY）"
    )

    anonymous = await gql(client, CREATE_USER, {"input": new_user()})
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await User.find({"username": "liu"}).count() == 0


@pytest.mark.parametrize(
    ("mutation", "input_"),
    [
        (CREATE_USER, new_user()),
        (UPDATE_USER, {"id": "VXNlcjowMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc=", "active": False}),
        (RESET, {"id": "VXNlcjowMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc=", "newPassword": "x" * 12}),
    ],
    ids=["createUser", "updateUser", "resetPassword"],
)
async def test_every_admin_mutation_refuses_other_roles(
    client: httpx.AsyncClient, mutation: str, input_: dict[str, object]
) -> None:
    await make_user("target")
    before = [u.model_dump() for u in await User.find_all().to_list()]
    for role in (Role.DEPUTY, Role.STAFF, Role.HANDLER, Role.FINANCE):
        token = await signed_in(client, f"as-{role.lower()}", role)
        body = await gql(client, mutation, {"input": input_}, token=token)
        assert body["data"] is None, role
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}, role
        before.append((await User.find_one({"username": f"as-{role.lower()}"})).model_dump())  # type: ignore[union-attr]
    anonymous = await gql(client, mutation, {"input": input_})
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert [u.model_dump() for u in await User.find_all().to_list()] == before


async def test_signed_in_mutations_refuse_anonymous_callers(client: httpx.AsyncClient) -> None:
    for mutation in (
        'mutation { createApiToken(input: {name: "x"}) { token } }',
        'mutation { revokeApiToken(input: {id: "QXBpVG9rZW46MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3"}) '
        "{ apiToken { id } } }",
        'mutation { changePassword(input: {currentPassword: "a", newPassword: "bbbbbbbb"}) '
        "{ user { id } } }",
    ):
        body = await gql(client, mutation)
        assert body["data"] is None, mutation
        assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}, mutation
    assert await Token.find_all().count() == 0


async def test_bad_accounts_are_refused_and_nothing_is_written(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    await make_user("taken")
    cases = [
        (new_user(username="Bad Name"), "username", "INVALID_INPUT"),
        (new_user(username="x" * 49), "username", "INVALID_INPUT"),
        (new_user(username="taken"), "username", "ALREADY_EXISTS"),
        (new_user(role="PUBLIC"), "role", "INVALID_INPUT"),
        (new_user(password="short"), "password", "INVALID_INPUT"),
        (new_user(password="x" * 257), "password", "INVALID_INPUT"),
        (new_user(displayName="   "), "displayName", "INVALID_INPUT"),
        (new_user(displayName="名" * 101), "displayName", "INVALID_INPUT"),
    ]
    for user_input, field, code in cases:
        body = await gql(client, CREATE_USER, {"input": user_input}, token=admin)
        payload = body["data"]["createUser"]
        assert payload["user"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)], user_input
    assert await User.find_all().count() == 2


async def test_an_unknown_role_value_is_a_request_error(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    body = await gql(client, CREATE_USER, {"input": new_user(role="KING")}, token=admin)
    assert "KING" in body["errors"][0]["message"]
    assert await User.find({"username": "liu"}).count() == 0


async def test_disabling_or_changing_role_ends_sessions(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    handler = await make_user("zhou", Role.HANDLER)
    handler_token = await login(client, "zhou")
    user_id = await _global_id(client, admin, "zhou")

    body = await gql(client, UPDATE_USER, {"input": {"id": user_id, "role": "STAFF"}}, token=admin)
    assert body["data"]["updateUser"]["user"]["role"] == "STAFF"
    await gql(client, "{ me { user { id } } }", token=handler_token, expect_status=401)

    body = await gql(client, UPDATE_USER, {"input": {"id": user_id, "active": False}}, token=admin)
    assert body["data"]["updateUser"]["user"]["active"] is False
    assert (await User.get(handler.id)).active is False  # type: ignore[union-attr]


async def test_an_admin_cannot_lock_themselves_out(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    own_id = (await gql(client, "{ me { user { id } } }", token=admin))["data"]["me"]["user"]["id"]
    for change, field in (({"active": False}, "active"), ({"role": "STAFF"}, "role")):
        body = await gql(client, UPDATE_USER, {"input": {"id": own_id, **change}}, token=admin)
        assert body["data"]["updateUser"]["errors"][0]["field"] == field
        assert body["data"]["updateUser"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await User.find_one({"username": "root"})).role is Role.ADMIN  # type: ignore[union-attr]


async def test_update_of_an_unknown_or_foreign_id_is_not_found(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    token_id = base64.b64encode(b"ApiToken:0123456789abcdef01234567").decode()
    missing = base64.b64encode(b"User:0123456789abcdef01234567").decode()
    for bad_id in (missing, token_id):
        body = await gql(
            client, UPDATE_USER, {"input": {"id": bad_id, "displayName": "x"}}, token=admin
        )
        assert body["data"]["updateUser"]["errors"] == [
            {"field": "id", "code": "NOT_FOUND", "message": "没有这个账号，或你无权查看"}
        ]


async def test_password_reset_revokes_sessions_and_api_tokens_and_new_password_works(
    client: httpx.AsyncClient,
) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    await make_user("wu")
    old_session = await login(client, "wu")
    script = await _api_token(client, old_session)
    user_id = await _global_id(client, admin, "wu")
    short = await gql(client, RESET, {"input": {"id": user_id, "newPassword": "1234"}}, token=admin)
    assert short["data"]["resetPassword"]["errors"][0]["field"] == "newPassword"
    assert await _me(client, script) == 200, "a refused reset revokes nothing"
    ok = await gql(
        client, RESET, {"input": {"id": user_id, "newPassword": "fresh passphrase"}}, token=admin
    )
    assert ok["data"]["resetPassword"]["errors"] == []
    assert await _me(client, old_session) == 401
    assert await _me(client, script) == 401, "whoever knew the old password made no lasting token"
    await login(client, "wu", "fresh passphrase")


async def test_disabling_revokes_every_token_and_enabling_revives_none(
    client: httpx.AsyncClient,
) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    await make_user("zhou", Role.HANDLER)
    session = await login(client, "zhou")
    script = await _api_token(client, session)
    user_id = await _global_id(client, admin, "zhou")
    for active in (False, True):
        body = await gql(
            client, UPDATE_USER, {"input": {"id": user_id, "active": active}}, token=admin
        )
        assert body["data"]["updateUser"]["user"]["active"] is active
    for token in (session, script):
        body = await gql(client, "{ me { user { id } } }", token=token, expect_status=401)
        assert body["errors"][0]["extensions"]["code"] == "TOKEN_REVOKED"
    await login(client, "zhou")  # the account itself works again


async def _api_token(client: httpx.AsyncClient, token: str) -> str:
    body = await gql(
        client,
        'mutation { createApiToken(input: {name: "脚本", expiresInDays: 30}) { token } }',
        token=token,
    )
    return str(body["data"]["createApiToken"]["token"])


async def _me(client: httpx.AsyncClient, token: str) -> int:
    response = await client.post(
        "/graphql",
        json={"query": "{ me { user { id } } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


async def test_staff_list_accounts_and_others_may_not(client: httpx.AsyncClient) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    listed = await gql(client, USERS, {"filter": {"role": "DEPUTY"}}, token=staff)
    assert [e["node"]["username"] for e in listed["data"]["users"]["edges"]] == ["deputy1"]
    assert listed["data"]["users"]["totalCount"] == 1
    refused = await gql(client, USERS, token=deputy)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_keyset_pages_cover_every_account_once(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "admin0", Role.ADMIN)
    for i in range(7):
        await User(username=f"user{i}", display_name=f"U{i}", role=Role.DEPUTY).insert()
    seen: list[str] = []
    after = None
    while True:
        page = (await gql(client, USERS, {"first": 3, "after": after}, token=admin))["data"][
            "users"
        ]
        assert page["totalCount"] == 8
        seen += [e["node"]["username"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(["admin0", *(f"user{i}" for i in range(7))])


async def test_page_size_and_cursor_are_checked(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "admin0", Role.ADMIN)
    for first in (0, 101, -1):
        body = await gql(client, USERS, {"first": first}, token=admin)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", first
        assert "每页条数应在 1 到 100 之间" in body["errors"][0]["message"]
        assert body["errors"][0]["extensions"]["field"] == "first"
    body = await gql(client, USERS, {"after": "not-a-cursor"}, token=admin)
    assert body["errors"][0]["message"] == "分页游标无效"


async def test_node_returns_only_what_the_viewer_may_see(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    deputy = await signed_in(client, "deputy1")
    await make_user("deputy2")
    other_id = await _global_id(client, admin, "deputy2")
    own_id = (await gql(client, "{ me { user { id } } }", token=deputy))["data"]["me"]["user"]["id"]

    assert (await gql(client, NODE, {"id": other_id}, token=admin))["data"]["node"][
        "username"
    ] == "deputy2"
    assert (await gql(client, NODE, {"id": own_id}, token=deputy))["data"]["node"][
        "username"
    ] == "deputy1"
    assert (await gql(client, NODE, {"id": other_id}, token=deputy))["data"]["node"] is None
    assert (await gql(client, NODE, {"id": other_id}))["data"]["node"] is None


async def test_nodes_in_one_request_are_loaded_in_one_query(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "root", Role.ADMIN)
    ids = []
    for i in range(5):
        await make_user(f"n{i}")
        ids.append(await _global_id(client, admin, f"n{i}"))

    def query(n: int) -> str:
        return "{ " + " ".join(f'u{i}: node(id: "{ids[i]}") {{ id }}' for i in range(n)) + " }"

    one = await _count_finds(client, admin, query(1))
    five = await _count_finds(client, admin, query(5))
    assert five == one == 1  # all nodes at once (sign-in reads the account with its token)


async def test_a_token_node_is_visible_to_its_owner_only(client: httpx.AsyncClient) -> None:
    owner = await signed_in(client, "owner")
    other = await signed_in(client, "other")
    await gql(
        client,
        'mutation { createApiToken(input: {name: "cron"}) { apiToken { id } } }',
        token=owner,
    )
    token = await Token.find_one({"kind": "API"})
    assert token is not None
    gid = base64.b64encode(f"ApiToken:{token.id}".encode()).decode()
    query = "query Node($id: ID!) { node(id: $id) { ... on ApiToken { name } } }"
    assert (await gql(client, query, {"id": gid}, token=owner))["data"]["node"] == {"name": "cron"}
    assert (await gql(client, query, {"id": gid}, token=other))["data"]["node"] is None


async def test_malformed_global_ids_are_refused(client: httpx.AsyncClient) -> None:
    for bad in ("%%%", base64.b64encode(b"NoSuchType:1").decode()):
        body = await gql(client, NODE, {"id": bad})
        assert body["data"] == {"node": None}
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", bad
    # a well-formed id of a known type that names no document is simply absent
    absent = await gql(client, NODE, {"id": base64.b64encode(b"User:zzz").decode()})
    assert absent == {"data": {"node": None}}


async def test_enum_labels_for_clients(client: httpx.AsyncClient) -> None:
    body = await gql(client, '{ enumLabels(names: ["Role"]) { name values { value label } } }')
    roles = body["data"]["enumLabels"][0]
    assert roles["name"] == "Role"
    assert {"value": "DEPUTY", "label": "人大代表"} in roles["values"]
    unknown = await gql(client, '{ enumLabels(names: ["Nope"]) { name } }')
    assert unknown["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def _global_id(client: httpx.AsyncClient, admin: str, username: str) -> str:
    body = await gql(client, USERS, {"first": 100}, token=admin)
    return next(
        e["node"]["id"] for e in body["data"]["users"]["edges"] if e["node"]["username"] == username
    )


async def _count_finds(client: httpx.AsyncClient, token: str, query: str) -> int:
    """How many `find` commands on users one request sends, read from MongoDB's profiler."""
    db = User.get_pymongo_collection().database
    await db.command("profile", 0)
    await db["system.profile"].drop()
    await db.command("profile", 2)
    try:
        await gql(client, query, token=token)
    finally:
        await db.command("profile", 0)
    return await db["system.profile"].count_documents({"op": "query", "ns": f"{db.name}.users"})
