"""Abuse: queries and mutations generated from the schema never meet a server error, and
the limit on page size holds. (Depth, aliases through fragments, tokens, cost and body size
are in ``test_http.py``; failed sign-ins in ``test_auth.py``.)"""

import httpx
import pytest
from graphql import is_non_null_type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from api.settings import Settings
from schema import build_schema
from tests.factories import World, gql, suggestion_world

SCHEMA = build_schema(Settings(env="test"))  # type: ignore[arg-type]
SDL = SCHEMA.as_str()
TEXTS = st.one_of(
    st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()),
    st.decimals(allow_nan=False, places=2).map(str), st.text(max_size=20),
)  # fmt: skip
SCALARS = dict.fromkeys(("Date", "DateTime", "Decimal", "Money"), TEXTS.map(nodes.String))
"""Our custom scalars, as strings that are sometimes well formed and sometimes not."""
EXAMPLES = 250
GENERATED = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
    derandomize=True, database=None,
)  # fmt: skip
"""The same documents in every run, so CI is repeatable; raise EXAMPLES locally to explore."""


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await suggestion_world(client)


@GENERATED
@given(
    document=st.one_of(
        queries(SDL, custom_scalars=SCALARS), mutations(SDL, custom_scalars=SCALARS)
    ),
    as_staff=st.booleans(),
)
async def test_generated_queries_and_mutations_meet_no_server_error(
    client: httpx.AsyncClient, world: World, document: str, as_staff: bool
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['staff']}"} if as_staff else {}
    response = await client.post("/graphql", json={"query": document}, headers=headers)
    assert response.status_code < 500, response.text
    codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, response.text


async def test_a_page_over_the_limit_is_refused_for_every_list(
    client: httpx.AsyncClient, world: World
) -> None:
    query_type = SCHEMA._schema.query_type
    assert query_type is not None
    lists = [
        name for name, field in query_type.fields.items()
        if "first" in field.args
        and not any(is_non_null_type(a.type) for a in field.args.values())
    ]  # fmt: skip
    assert len(lists) >= 7, lists
    for name in lists:
        for first in (0, 101, 10**6):
            body = await gql(client, f"{{ {name}(first: {first}) {{ __typename }} }}",
                             token=world.tokens["staff"])  # fmt: skip
            assert body.get("data") is None, (name, first)
            # Refused by the cost limit before running (a huge page) or by the list itself.
            code = body["errors"][0]["extensions"]["code"]
            assert code in {"INVALID_INPUT", "QUERY_TOO_COSTLY"}, (name, body)
