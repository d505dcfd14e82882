"""``node(id:)`` of a suggestion through the whole GraphQL stack (bearer token checked,
visibility filter, loader) against a raw PyMongo ``find_one`` by ``_id``."""

import random

from strawberry.relay import GlobalID

from bench.common import Bench, Measured, timings

QUERY = "query N($id: ID!) { node(id: $id) { id ... on Suggestion { title state } } }"


async def node_lookup(b: Bench) -> Measured:
    db = b.resources.db
    ids = [raw["_id"] async for raw in db.suggestions.find({}, {"_id": 1}).limit(20_000)]
    rng = random.Random(7)
    picks = [rng.choice(ids) for _ in range(b.runs + 50)]

    async def raw(i: int) -> object:
        return await db.suggestions.find_one({"_id": picks[i]})

    async def ours(i: int) -> object:
        found = await b.graphql(QUERY, {"id": str(GlobalID("Suggestion", str(picks[i])))})
        assert found["node"] is not None
        return found

    baseline = await timings(raw, b.runs)
    measured = await timings(ours, b.runs)
    return Measured("node(id:) of a suggestion, signed in as staff", measured, baseline)
