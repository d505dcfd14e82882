"""Test data and GraphQL calls, in one place."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from strawberry.relay import GlobalID

from api.access import Role
from api.devservers.local import LocalServers
from api.models.regulations import Level
from api.models.users import User
from api.services import people
from api.services.tokens import create_api_token
from api.services.users import create_user
from api.settings import Settings

PASSWORD = "correct horse battery"


async def make_user(username: str, role: Role = Role.DEPUTY, **links: Any) -> User:
    return await create_user(
        username=username, display_name=username.title(), role=role, password=PASSWORD, **links
    )


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    expect_status: int = 200,
    language: str | None = None,
) -> dict[str, Any]:
    """The answer's JSON; ``language`` is sent as ``Accept-Language``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if language:
        headers["Accept-Language"] = language
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == expect_status, response.text
    return response.json()


async def data(client: httpx.AsyncClient, query: str, token: str | None = None, **vs: Any) -> Any:
    """A query's data; any GraphQL error fails the test."""
    body = await gql(client, query, vs, token=token)
    assert "errors" not in body, body
    return body["data"]


LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) {
    token expiresAt user { id username role }
    errors { field code message }
  }
}
"""


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    body = await gql(client, LOGIN, {"username": username, "password": password})
    payload = body["data"]["login"]
    assert payload["errors"] == [], payload
    return str(payload["token"])


async def signed_in(client: httpx.AsyncClient, username: str, role: Role = Role.DEPUTY) -> str:
    """Create an account and sign it in; returns the bearer token."""
    await make_user(username, role)
    return await login(client, username)


def jiandu(servers: LocalServers, database: str, *args: str, stdin: str = "", **env: str):  # type: ignore[no-untyped-def]
    environment = {
        **os.environ,
        "MONGODB_URL": servers.mongodb_url,
        "MEILI_URL": servers.meili_url,
        "MEILI_MASTER_KEY": servers.meili_master_key,
        "JIANDU_MONGODB_DATABASE": database,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
        check=False,
    )


async def synced(app: Any) -> None:
    """Wait until the app's search sync has applied every change made so far."""
    async with asyncio.timeout(30):
        await app.state.sync_worker.wait_caught_up()


SEARCH = """
query Search($query: String!, $filter: RegulationFilter, $first: Int, $after: String,
             $order: SearchOrder = RELEVANCE) {
  searchRegulations(query: $query, filter: $filter, first: $first, after: $after, order: $order) {
    totalCount
    notice { code message }
    pageInfo { hasNextPage endCursor }
    facets { field values { value label count } }
    edges { cursor node {
      regulation { id title status visibility promulgatedOn }
      articles { number label heading passage { text matches { start length } } }
    } }
  }
}
"""


async def search(
    client: httpx.AsyncClient, query: str, *, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    """``searchRegulations`` as a user would call it; fails the test on any error."""
    body = await gql(client, SEARCH, {"query": query, **variables}, token=token)
    assert "errors" not in body, body
    return dict(body["data"]["searchRegulations"])


@dataclass
class World:
    """A congress session with deputies, units and one signed-in account per part people
    play in a suggestion's loop; tokens by name, global ids by name."""

    tokens: dict[str, str]
    ids: dict[str, str]
    documents: dict[str, Any]


async def suggestion_world(client: httpx.AsyncClient) -> World:
    """Deputies 王 (lead), 李 (co-signer) and 张 (unrelated); units 交通运输局 (lead),
    财政局 (co-unit) and 教育局 (unrelated); accounts deputy, cosigner, other_deputy, staff,
    lead_unit, co_unit, other_unit, finance and admin."""
    session = await people.create_session(
        name="青岚县第十八届人民代表大会第三次会议", term=18, meeting=3,
        opened_on=date(2026, 1, 10), closed_on=date(2026, 1, 13),
    )  # fmt: skip
    deputies = {
        key: await people.create_deputy(
            name=name,
            delegation="石门镇代表团",
            level=Level.COUNTY,
            constituency="第三选区",
            term=18,
        )
        for key, name in (("wang", "王立新"), ("li", "李秀英"), ("zhang", "张国栋"))
    }
    units = {
        key: await people.create_unit(name=name)
        for key, name in (
            ("roads", "青岚县交通运输局"),
            ("finance", "青岚县财政局"),
            ("schools", "青岚县教育局"),
        )
    }
    accounts = {
        "deputy": (Role.DEPUTY, {"deputy_id": deputies["wang"].id}),
        "cosigner": (Role.DEPUTY, {"deputy_id": deputies["li"].id}),
        "other_deputy": (Role.DEPUTY, {"deputy_id": deputies["zhang"].id}),
        "staff": (Role.STAFF, {}),
        "lead_unit": (Role.HANDLER, {"unit_id": units["roads"].id}),
        "co_unit": (Role.HANDLER, {"unit_id": units["finance"].id}),
        "other_unit": (Role.HANDLER, {"unit_id": units["schools"].id}),
        "finance": (Role.FINANCE, {}),
        "admin": (Role.ADMIN, {}),
    }
    tokens = {}
    for username, (role, links) in accounts.items():
        # No password: an API token is as good as a sign-in here, without argon2's cost.
        user = User(username=username, display_name=username.title(), role=role, **links)
        await user.insert()
        tokens[username], _ = await create_api_token(
            user=user, name="test", expires_in_days=1, settings=Settings.model_construct()
        )
    documents: dict[str, Any] = {"session": session, **deputies, **units}
    ids = {
        "session": str(GlobalID("CongressSession", str(session.id))),
        **{k: str(GlobalID("Deputy", str(d.id))) for k, d in deputies.items()},
        **{k: str(GlobalID("Unit", str(u.id))) for k, u in units.items()},
    }
    return World(tokens=tokens, ids=ids, documents=documents)


async def eventually(
    check: Callable[[], Awaitable[bool]], *, seconds: float, every: float = 0.2
) -> None:
    """Wait until ``check()`` holds; fail the test after ``seconds``."""
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110 - polling something outside this process
            await asyncio.sleep(every)
