"""A page of suggestions with everything a list shows (session, lead deputy, co-signers,
units, latest reply, timeline) through the whole GraphQL stack, against one hand-written
aggregation with ``$lookup`` that fetches the same data, in the same run; and
``suggestionStats`` through GraphQL against its pipeline run directly.

    .venv/bin/python -m bench.suggestions [--suggestions 100000] [--runs 200]
"""

import argparse
import asyncio
import time
from typing import Any

import httpx
from strawberry.relay import GlobalID

from api.access import Role, Viewer
from api.app import create_app
from api.models.users import User
from api.services.suggestion_stats import StatsGrouping, suggestion_stats
from api.services.suggestions import midnight
from api.services.tokens import create_api_token
from api.settings import Settings
from bench.common import bench_settings, row, servers, timings, write_results
from seed.generated import write_suggestions

PAGE = """query($filter: SuggestionFilter, $sort: SuggestionSort) {
  suggestions(first: 100, filter: $filter, sort: $sort) { totalCount edges { node {
    number title state deadline session { name } leadDeputy { name } cosigners { name }
    leadUnit { name } coUnits { name } latestReply { text resultClass }
    timeline { action at fromState toState }
} } } }"""

STATS = """{ suggestionStats(groupBy: UNIT) { key total replyRate onTimeRate satisfactionRate
  closureRate counts { state count } } }"""


def lookups() -> list[dict[str, Any]]:
    """The joins the GraphQL page makes through its loaders, as ``$lookup`` stages."""

    def join(source: str, local: str, name: str) -> dict[str, Any]:
        return {
            "$lookup": {
                "from": source,
                "localField": local,
                "foreignField": "_id",
                "as": name,
                "pipeline": [{"$project": {"name": 1}}],
            }
        }

    return [
        join("congress_sessions", "session_id", "session"),
        join("deputies", "lead_deputy_id", "lead_deputy"),
        join("deputies", "cosigner_ids", "cosigners"),
        join("units", "lead_unit_id", "lead_unit"),
        join("units", "co_unit_ids", "co_units"),
        {
            "$project": {
                "number": 1, "title": 1, "state": 1, "deadline": 1, "timeline": 1,
                "session.name": 1, "lead_deputy.name": 1, "cosigners.name": 1,
                "lead_unit.name": 1, "co_units.name": 1,
                "latest_reply": {"$last": "$replies"},
            }
        },
    ]  # fmt: skip


async def run(count: int, runs: int) -> list[str]:
    with servers() as s:
        settings = bench_settings(s, search_sync_in_process=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            db = app.state.resources.db
            try:
                started = time.perf_counter()
                await write_suggestions(db, suggestions=count)
                written = time.perf_counter() - started
                staff = User(username="bench-staff", display_name="Bench", role=Role.STAFF)
                await staff.insert()
                token, _ = await create_api_token(
                    user=staff, name="bench", expires_in_days=1, settings=settings
                )
                unit = (await db.units.find_one({}))["_id"]
                cases = [
                    ("first page by number", {"sort": "NUMBER"}, {}, [("number", 1)]),
                    (
                        "one unit's overdue ones by deadline",
                        {"sort": "DEADLINE", "filter": {"unitId": _gid("Unit", unit),
                                                        "overdue": True}},
                        {"unit_ids": unit, "state": {"$in": ["ASSIGNED", "HANDLING"]},
                         "deadline": {"$lt": _midnight(settings)}},
                        [("deadline", 1)],
                    ),
                ]  # fmt: skip
                lines = []
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                    headers = {"Authorization": f"Bearer {token}"}

                    async def graphql(query: str, variables: dict[str, Any]) -> Any:
                        response = await client.post(
                            "/graphql",
                            json={"query": query, "variables": variables},
                            headers=headers,
                        )
                        body = response.json()
                        assert "errors" not in body, body
                        return body["data"]

                    for name, variables, match, order in cases:
                        sort = [*order, ("_id", 1)]
                        pipeline = [{"$match": match}, {"$sort": dict(sort)}, {"$limit": 100}]

                        async def raw(
                            _: int, pipeline: list[Any] = pipeline, match: dict[str, Any] = match
                        ) -> object:
                            cursor = await db.suggestions.aggregate(pipeline + lookups())
                            return (
                                await cursor.to_list(),
                                await db.suggestions.count_documents(match),
                            )

                        async def ours(_: int, variables: dict[str, Any] = variables) -> object:
                            return await graphql(PAGE, variables)

                        baseline = await timings(raw, runs, warmup=10)
                        measured = await timings(ours, runs, warmup=10)
                        lines.append(row(f"suggestions(first: 100), {name}, {count} suggestions",
                                         measured, baseline))  # fmt: skip

                    viewer = Viewer(role=Role.STAFF)
                    today = settings.today()
                    stats_runs = max(10, runs // 10)

                    async def stats_raw(_: int) -> object:
                        return await suggestion_stats(
                            viewer=viewer, grouping=StatsGrouping.UNIT, session_ids=[], today=today
                        )

                    async def stats_ours(_: int) -> object:
                        return await graphql(STATS, {})

                    baseline = await timings(stats_raw, stats_runs, warmup=3)
                    measured = await timings(stats_ours, stats_runs, warmup=3)
                    lines.append(row(f"suggestionStats(groupBy: UNIT), {count} suggestions",
                                     measured, baseline))  # fmt: skip
                lines.append(
                    f"| generate and insert {count} suggestions | "
                    f"{count / written:,.0f} suggestions/s ({written:.1f} s) | | | |"
                )
                return lines
            finally:
                await app.state.resources.mongo.drop_database(settings.mongodb_database)


def _gid(kind: str, object_id: Any) -> str:
    return str(GlobalID(kind, str(object_id)))


def _midnight(settings: Settings) -> Any:
    return midnight(settings.today())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suggestions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    lines = asyncio.run(run(args.suggestions, args.runs))
    write_results("Suggestion lists", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
