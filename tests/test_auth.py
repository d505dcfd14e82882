"""Signing in and out, API tokens, every way a bearer token can be refused, and the limit on
failed sign-ins."""

import asyncio
import re
from datetime import timedelta

import httpx
from starlette.applications import Starlette

from api.access import Role
from api.app import create_app, stop_sync
from api.devservers.local import LocalServers
from api.models.users import SignInFailure, Token, User, utcnow
from api.services.attempts import client_address
from api.settings import Settings
from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from tests.conftest import drop_indexes, make_settings, release_database
from tests.factories import LOGIN, PASSWORD, gql, login, make_user, signed_in

ME = "{ me { user { id username role displayName } } }"


async def test_each_demo_account_signs_in_and_sees_itself(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(settings)
    for account in DEMO_ACCOUNTS:
        token = await login(client, account.username, DEMO_PASSWORD)
        me = (await gql(client, ME, token=token))["data"]["me"]["user"]
        assert me["username"] == account.username
        assert me["role"] == account.role.value
        assert me["displayName"] == account.display_name


async def test_usernames_sign_in_regardless_of_case(client: httpx.AsyncClient) -> None:
    await make_user("zhang")
    await login(client, " Zhang ")


async def test_anonymous_me_is_null(client: httpx.AsyncClient) -> None:
    assert await gql(client, ME) == {"data": {"me": None}}


async def test_wrong_password_and_unknown_user_are_refused_alike(
    client: httpx.AsyncClient,
) -> None:
    await make_user("wang")
    answers = []
    for username, password in (("wang", "not the password"), ("nobody", PASSWORD)):
        body = await gql(client, LOGIN, {"username": username, "password": password})
        answers.append(body["data"]["login"])
    assert answers[0] == answers[1]
    assert answers[0]["token"] is None
    assert answers[0]["errors"] == [
        {"field": None, "code": "INVALID_CREDENTIALS", "message": "用户名或密码错误，或账号已停用"}
    ]
    assert await Token.find_all().count() == 0


async def test_a_refused_sign_in_speaks_english_when_asked(client: httpx.AsyncClient) -> None:
    await make_user("wang")
    wrong = {"username": "wang", "password": "not the password"}
    messages = []
    for language in ("en", None):
        body = await gql(client, LOGIN, wrong, language=language)
        messages.append(body["data"]["login"]["errors"][0]["message"])
    assert messages[0] == "Wrong username or password, or the account is disabled"
    assert not re.search(r"[\u3400-\u9fff]", messages[0])
    assert messages[1] == "用户名或密码错误，或账号已停用"


async def test_an_oversized_password_is_refused(client: httpx.AsyncClient) -> None:
    body = await gql(client, LOGIN, {"username": "wang", "password": "x" * 10_000})
    assert body["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_a_disabled_account_gets_the_same_answer_whatever_the_password(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user("li")
    token = await login(client, "li")
    await user.set({"active": False})
    answers = [
        (await gql(client, LOGIN, {"username": name, "password": password}))["data"]["login"]
        for name, password in (("li", PASSWORD), ("li", "not the password"), ("nobody", "x"))
    ]
    assert answers[0] == answers[1] == answers[2], "no oracle for the password or the account"
    assert answers[0]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert await SignInFailure.find({"key": "account:li|127.0.0.1"}).count() == 2, (
        "the right password of a disabled account counts as a failure too"
    )
    refused = await gql(client, ME, token=token, expect_status=401)
    assert refused["errors"][0]["extensions"]["code"] == "ACCOUNT_DISABLED"


async def test_logout_revokes_the_token(client: httpx.AsyncClient) -> None:
    token = await signed_in(client, "zhao")
    body = await gql(client, "mutation { logout { revoked errors { code } } }", token=token)
    assert body["data"]["logout"] == {"revoked": True, "errors": []}
    refused = await gql(client, ME, token=token, expect_status=401)
    assert refused["errors"][0]["extensions"]["code"] == "TOKEN_REVOKED"


async def test_logout_needs_a_signed_in_caller(client: httpx.AsyncClient) -> None:
    body = await gql(client, "mutation { logout { revoked } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_expired_token_is_refused_with_401(client: httpx.AsyncClient) -> None:
    token = await signed_in(client, "chen")
    await Token.find_all().update_many({"$set": {"expires_at": utcnow() - timedelta(seconds=1)}})
    response = await client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert response.json()["errors"][0]["extensions"]["code"] == "TOKEN_EXPIRED"


async def test_unknown_and_malformed_tokens_are_refused_with_401(
    client: httpx.AsyncClient,
) -> None:
    for header, code in (
        ("Bearer jd_not-a-real-token", "INVALID_TOKEN"),
        ("Basic dXNlcjpwYXNz", "INVALID_TOKEN"),
        ("Bearer ", "INVALID_TOKEN"),
    ):
        response = await client.post(
            "/graphql", json={"query": ME}, headers={"Authorization": header}
        )
        assert response.status_code == 401, header
        assert response.json()["errors"][0]["extensions"]["code"] == code
        assert response.headers["www-authenticate"] == (
            f'Bearer error="invalid_token", error_description="{code}"'
        )


CREATE_TOKEN = """
mutation Create($name: String!, $days: Int!) {
  createApiToken(input: {name: $name, expiresInDays: $days}) {
    token apiToken { id name prefix kind expiresAt revokedAt }
    errors { field code message }
  }
}
"""
REVOKE_TOKEN = """
mutation Revoke($id: ID!) {
  revokeApiToken(input: {id: $id}) { apiToken { id revokedAt } errors { field code message } }
}
"""


async def test_api_token_is_shown_once_stored_as_hash_and_revocable(
    client: httpx.AsyncClient,
) -> None:
    session = await signed_in(client, "finance1", Role.FINANCE)
    body = await gql(client, CREATE_TOKEN, {"name": "monthly upload", "days": 30}, token=session)
    created = body["data"]["createApiToken"]
    assert created["errors"] == []
    secret = created["token"]
    assert secret.startswith(created["apiToken"]["prefix"])
    assert created["apiToken"]["kind"] == "API"

    stored = await Token.find_one({"kind": "API"})
    assert stored is not None and secret not in stored.model_dump_json()

    me = await gql(client, ME, token=secret)
    assert me["data"]["me"]["user"]["username"] == "finance1"

    listed = await gql(
        client, "{ me { apiTokens { totalCount edges { node { name prefix } } } } }", token=session
    )
    assert listed["data"]["me"]["apiTokens"] == {
        "totalCount": 1,
        "edges": [{"node": {"name": "monthly upload", "prefix": created["apiToken"]["prefix"]}}],
    }
    assert "token" not in str(listed["data"]["me"]["apiTokens"]["edges"][0]["node"].keys())

    revoked = await gql(client, REVOKE_TOKEN, {"id": created["apiToken"]["id"]}, token=session)
    assert revoked["data"]["revokeApiToken"]["apiToken"]["revokedAt"] is not None
    refused = await gql(client, ME, token=secret, expect_status=401)
    assert refused["errors"][0]["extensions"]["code"] == "TOKEN_REVOKED"


async def test_api_token_input_is_checked(client: httpx.AsyncClient, settings: Settings) -> None:
    session = await signed_in(client, "deputy1")
    cases = [
        ({"name": "", "days": 30}, "name"),
        ({"name": "x" * 101, "days": 30}, "name"),
        ({"name": "script", "days": 0}, "expiresInDays"),
        ({"name": "script", "days": settings.api_token_max_days + 1}, "expiresInDays"),
    ]
    for variables, field in cases:
        body = await gql(client, CREATE_TOKEN, variables, token=session)
        payload = body["data"]["createApiToken"]
        assert payload["token"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, "INVALID_INPUT")]
    assert await Token.find({"kind": "API"}).count() == 0


async def test_only_the_owner_or_an_admin_revokes_a_token(client: httpx.AsyncClient) -> None:
    owner = await signed_in(client, "owner")
    other = await signed_in(client, "other")
    admin = await signed_in(client, "root", Role.ADMIN)
    created = await gql(client, CREATE_TOKEN, {"name": "cron", "days": 7}, token=owner)
    token_id = created["data"]["createApiToken"]["apiToken"]["id"]

    body = await gql(client, REVOKE_TOKEN, {"id": token_id}, token=other)
    assert body["data"]["revokeApiToken"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await Token.find_one({"kind": "API"})).revoked_at is None  # type: ignore[union-attr]

    body = await gql(client, REVOKE_TOKEN, {"id": token_id}, token=admin)
    assert body["data"]["revokeApiToken"]["errors"] == []


CHANGE_PASSWORD = """
mutation Change($current: String!, $new: String!) {
  changePassword(input: {currentPassword: $current, newPassword: $new}) {
    user { username } errors { field code message }
  }
}
"""


async def test_changing_ones_password_revokes_every_other_token(
    client: httpx.AsyncClient,
) -> None:
    here = await signed_in(client, "sun")
    elsewhere = await login(client, "sun")
    created = await gql(client, CREATE_TOKEN, {"name": "cron", "days": 7}, token=here)
    script = created["data"]["createApiToken"]["token"]
    wrong = await gql(
        client, CHANGE_PASSWORD, {"current": "nope", "new": "a new passphrase"}, token=here
    )
    assert wrong["data"]["changePassword"]["errors"][0] == {
        "field": "currentPassword",
        "code": "INVALID_CREDENTIALS",
        "message": "当前密码不正确",
    }
    short = await gql(client, CHANGE_PASSWORD, {"current": PASSWORD, "new": "short"}, token=here)
    assert short["data"]["changePassword"]["errors"][0] == {
        "field": "newPassword",
        "code": "INVALID_INPUT",
        "message": "密码应为 8 到 256 个字符",
    }
    ok = await gql(
        client, CHANGE_PASSWORD, {"current": PASSWORD, "new": "a new passphrase"}, token=here
    )
    assert ok["data"]["changePassword"]["errors"] == []
    assert (await gql(client, ME, token=here))["data"]["me"]["user"]["username"] == "sun"
    await gql(client, ME, token=elsewhere, expect_status=401)
    await gql(client, ME, token=script, expect_status=401)
    await login(client, "sun", "a new passphrase")
    user = await User.find_one({"username": "sun"})
    assert user is not None and "a new passphrase" not in (user.password_hash or "")


async def _sign_in(client: httpx.AsyncClient, username: str, password: str) -> str | None:
    """The code of the refusal, or None when signed in."""
    payload = (await gql(client, LOGIN, {"username": username, "password": password}))["data"]
    errors = payload["login"]["errors"]
    return errors[0]["code"] if errors else None


def _from(app: Starlette, address: str) -> httpx.AsyncClient:
    """A client connecting from ``address``."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_failed_sign_ins_lock_the_account_from_that_address_only(app: Starlette) -> None:
    await make_user("li")
    await make_user("zhao")
    async with _from(app, "10.1.1.1") as guesser, _from(app, "10.2.2.2") as owner:
        for _ in range(4):
            assert await _sign_in(guesser, "li", "wrong password") == "INVALID_CREDENTIALS"
        assert await _sign_in(guesser, "li", PASSWORD) is None, "a success clears the pair's"
        for _ in range(5):
            assert await _sign_in(guesser, "li", "wrong password") == "INVALID_CREDENTIALS"

        assert await _sign_in(guesser, "li", PASSWORD) == "RATE_LIMITED", "even the right one"
        assert await _sign_in(guesser, "LI ", "wrong password") == "RATE_LIMITED"
        assert await _sign_in(guesser, "zhao", PASSWORD) is None, "other accounts: unaffected"
        assert await _sign_in(owner, "li", PASSWORD) is None, (
            "an outsider's failures do not lock the owner out from elsewhere"
        )

        await SignInFailure.find_all().update({"$set": {"at": utcnow() - timedelta(minutes=16)}})
        assert await _sign_in(guesser, "li", PASSWORD) is None, "the window has passed"


async def test_failed_sign_ins_are_limited_per_address(app: Starlette) -> None:
    await make_user("li")
    async with _from(app, "10.1.1.1") as guesser, _from(app, "10.2.2.2") as user:
        for n in range(20):  # a different account each time: no pair reaches its limit
            assert await _sign_in(guesser, f"user{n}", "guess") == "INVALID_CREDENTIALS"
        assert await _sign_in(guesser, "someone-else", "guess") == "RATE_LIMITED"
        assert await _sign_in(guesser, "li", PASSWORD) == "RATE_LIMITED"
        assert await _sign_in(user, "li", PASSWORD) is None, "other addresses are unaffected"


async def test_a_success_on_ones_own_account_does_not_reset_the_address_count(
    app: Starlette,
) -> None:
    await make_user("mine")
    async with _from(app, "10.1.1.1") as guesser:
        for n in range(19):
            assert await _sign_in(guesser, f"victim{n}", "guess") == "INVALID_CREDENTIALS"
            assert await _sign_in(guesser, "mine", PASSWORD) is None
        assert await _sign_in(guesser, "victim19", "guess") == "INVALID_CREDENTIALS"
        assert await _sign_in(guesser, "victim20", "guess") == "RATE_LIMITED"
        assert await _sign_in(guesser, "mine", PASSWORD) == "RATE_LIMITED"


async def test_attempts_sent_at_once_cannot_pass_the_limit_together(
    client: httpx.AsyncClient,
) -> None:
    await make_user("li")
    codes = await asyncio.gather(*(_sign_in(client, "li", f"guess {n}") for n in range(30)))
    assert set(codes) <= {"INVALID_CREDENTIALS", "RATE_LIMITED"}
    assert codes.count("INVALID_CREDENTIALS") <= 5, "no more guesses checked than allowed"
    assert await SignInFailure.find({"key": "account:li|127.0.0.1"}).count() <= 5


async def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    app: Starlette,
) -> None:
    """The default: no trusted proxies, so a client rotating X-Forwarded-For is still one
    address (here the local peer, as behind a proxy on the same host)."""
    async with _from(app, "127.0.0.1") as local:
        for n in range(20):
            spoofed = {"X-Forwarded-For": f"203.0.113.{n}"}
            response = await local.post(
                "/graphql",
                json={"query": LOGIN, "variables": {"username": f"u{n}", "password": "guess"}},
                headers=spoofed,
            )
            assert response.json()["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
        assert await _sign_in(local, "anyone", "guess") == "RATE_LIMITED"
    assert await SignInFailure.find({"key": {"$regex": "203\\.0\\.113"}}).count() == 0


async def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(
    servers: LocalServers,
) -> None:
    settings = make_settings(servers, trusted_proxies="10.0.0.0/8")
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        try:
            await make_user("li")
            async with _from(application, "10.0.0.2") as proxy:
                for n in range(6):
                    # The client wrote the left entry; the proxy appended the real address.
                    forwarded = {"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.7"}
                    response = await proxy.post(
                        "/graphql",
                        json={"query": LOGIN, "variables": {"username": "li", "password": "x"}},
                        headers=forwarded,
                    )
                    code = response.json()["data"]["login"]["errors"][0]["code"]
                    assert code == ("RATE_LIMITED" if n == 5 else "INVALID_CREDENTIALS"), n
                assert await _sign_in(proxy, "li", PASSWORD) is None, (
                    "the proxy's own address is not the one locked"
                )
            assert await SignInFailure.find({"key": "account:li|203.0.113.7"}).count() == 5
        finally:
            await stop_sync(application)
            await release_database(application.state.resources)
            await drop_indexes(application.state.resources)


def test_the_client_address_is_read_from_the_right_through_trusted_proxies() -> None:
    plain = Settings.model_construct(trusted_proxies=[])
    proxied = Settings(trusted_proxies="10.0.0.0/8,192.0.2.1")  # type: ignore[arg-type]
    cases = [
        (plain, "10.0.0.2", ["203.0.113.7"], "10.0.0.2"),
        (proxied, "198.51.100.9", ["203.0.113.7"], "198.51.100.9"),  # not a proxy: ignored
        (proxied, "10.0.0.2", [], "10.0.0.2"),
        (proxied, "10.0.0.2", ["1.1.1.1, 203.0.113.7"], "203.0.113.7"),
        (proxied, "10.0.0.2", ["1.1.1.1", "203.0.113.7, 192.0.2.1"], "203.0.113.7"),
        (proxied, "10.0.0.2", ["10.9.9.9, 10.0.0.3"], "10.9.9.9"),  # only proxies: the first
        (proxied, "10.0.0.2", ["garbage"], "garbage"),
    ]
    for settings, peer, header, expected in cases:
        assert client_address(peer, header, settings) == expected, (peer, header)


async def test_change_password_has_the_sign_in_attempt_limit(app: Starlette) -> None:
    await make_user("sun")
    async with _from(app, "10.3.3.3") as here, _from(app, "10.4.4.4") as elsewhere:
        token = await login(here, "sun")
        for n in range(5):
            body = await gql(
                here, CHANGE_PASSWORD, {"current": f"guess {n}", "new": "a new passphrase"},
                token=token,
            )  # fmt: skip
            assert body["data"]["changePassword"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
        body = await gql(
            here, CHANGE_PASSWORD, {"current": PASSWORD, "new": "a new passphrase"}, token=token
        )
        assert body["data"]["changePassword"]["errors"][0]["code"] == "RATE_LIMITED"
        assert await _sign_in(here, "sun", PASSWORD) == "RATE_LIMITED", "one count for both"
        assert await _sign_in(elsewhere, "sun", PASSWORD) is None
