"""Test data and GraphQL calls, in one place."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from api.access import Role
from api.devservers.local import LocalServers
from api.models.users import User
from api.services.users import create_user

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
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == expect_status, response.text
    return response.json()


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
