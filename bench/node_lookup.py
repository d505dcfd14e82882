"""``node(id:)`` through the whole GraphQL stack (HTTP app in process, bearer token checked,
visibility filter, loader) against a raw PyMongo ``find_one`` by ``_id`` on the same
collection, in the same run.

    .venv/bin/python -m bench.node_lookup [--users 2000] [--runs 2000]
"""

import argparse
import asyncio
import base64
import random

import httpx

from api.access import Role
from api.app import create_app
from api.models.users import User
from api.services.tokens import login
from api.services.users import create_user
from bench.common import bench_settings, row, servers, timings, write_results

QUERY = "query N($id: ID!) { node(id: $id) { id ... on User { username role } } }"


async def run(users: int, runs: int) -> list[str]:
    with servers() as s:
        settings = bench_settings(s)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            db = app.state.resources.db
            try:
                await create_user(
                    username="bench-admin",
                    display_name="Bench",
                    role=Role.ADMIN,
                    password="bench password",
                )
                await User.insert_many(
                    [
                        User(username=f"u{i:06d}", display_name=f"用户{i}", role=Role.DEPUTY)
                        for i in range(users)
                    ]
                )
                ids = [u.id for u in await User.find({"role": Role.DEPUTY}).to_list()]
                rng = random.Random(7)
                picks = [rng.choice(ids) for _ in range(runs + 50)]
                token, _, _ = await login(
                    username="bench-admin", password="bench password", settings=settings
                )
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://bench"
                ) as client:
                    headers = {"Authorization": f"Bearer {token}"}

                    async def graphql(i: int) -> object:
                        gid = base64.b64encode(f"User:{picks[i]}".encode()).decode()
                        response = await client.post(
                            "/graphql",
                            json={"query": QUERY, "variables": {"id": gid}},
                            headers=headers,
                        )
                        assert response.json()["data"]["node"] is not None
                        return response

                    async def raw(i: int) -> object:
                        return await db.users.find_one({"_id": picks[i]})

                    baseline = await timings(raw, runs)
                    measured = await timings(graphql, runs)
            finally:
                await app.state.resources.mongo.drop_database(settings.mongodb_database)
    return [row(f"node(id:) of a user, {users} users, signed in", measured, baseline)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    lines = asyncio.run(run(args.users, args.runs))
    write_results("Node lookup", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
