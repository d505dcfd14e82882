"""``searchRegulations`` through the whole GraphQL stack against the same two Meilisearch
requests made directly, on a generated corpus; and import and indexing throughput.

    .venv/bin/python -m bench.search [--documents 1000] [--articles 50] [--runs 500]

The baseline sends exactly the requests jiandu sends (documents with facets, then the
matching articles of each document on the page), so the ratio is jiandu's own cost: GraphQL,
the permission filter, highlighting, and loading the page's documents from MongoDB.
"""

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

import httpx

from api.app import create_app
from api.models.regulations import Level, RegulationKind
from api.services.regulation_import import ImportDefaults, Outcome, import_paths
from bench.common import bench_settings, row, servers, timings, write_results
from search.client import call
from search.regulations import RegulationSearch, article_queries, requests
from search.sync import SyncWorker
from seed.generated import WORDS, write_corpus

QUERY = """query S($q: String!) { searchRegulations(query: $q, first: 10) {
  totalCount edges { node { regulation { id title } articles { label passage { text } } } } } }"""


async def run(documents: int, articles: int, runs: int) -> list[str]:
    lines: list[str] = []
    with servers() as s, tempfile.TemporaryDirectory() as folder:
        total_articles = write_corpus(Path(folder), documents=documents, articles=articles)
        settings = bench_settings(s, search_sync_in_process=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            resources = app.state.resources
            try:
                started = time.perf_counter()
                results = await import_paths(
                    [Path(folder)],
                    ImportDefaults(kind=RegulationKind.NORMATIVE_DOCUMENT, level=Level.COUNTY),
                )
                imported = time.perf_counter() - started
                assert all(r.outcome is Outcome.IMPORTED for r in results), results[:3]
                started = time.perf_counter()
                await SyncWorker(resources).follow(rebuild_first=True, until_idle=True)
                indexed = time.perf_counter() - started
                lines.append(
                    f"| import {documents} files, {total_articles} articles | "
                    f"{total_articles / imported:,.0f} articles/s ({imported:.1f} s) | "
                    f"index rebuild: {total_articles / indexed:,.0f} articles/s "
                    f"({indexed:.1f} s) | | |"
                )

                rng = random.Random(11)
                queries = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(runs + 50)]
                prefix = settings.mongodb_database
                client_ = resources.meili

                def raw_search(text: str) -> object:
                    search = RegulationSearch(text=text, visibilities=["PUBLIC"], limit=10)
                    uid, q, parameters = requests(search, prefix)
                    found = client_.index(uid).search(q, parameters)
                    ids = [hit["source_id"] for hit in found["hits"]]
                    if ids:
                        client_.multi_search(article_queries(search, prefix, ids))
                    return found

                async def raw(i: int) -> object:
                    return await call(lambda: raw_search(queries[i]))

                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:

                    async def graphql(i: int) -> object:
                        response = await http.post(
                            "/graphql", json={"query": QUERY, "variables": {"q": queries[i]}}
                        )
                        assert "errors" not in response.json(), response.text
                        return response

                    baseline = await timings(raw, runs)
                    measured = await timings(graphql, runs)
                lines.append(
                    row(
                        f"searchRegulations, 2 words, 10 per page ({total_articles} articles)",
                        measured,
                        baseline,
                    )
                )
            finally:
                await resources.mongo.drop_database(settings.mongodb_database)
                for index in await call(lambda: client_.get_indexes({"limit": 100})["results"]):
                    if index.uid.startswith(settings.mongodb_database):
                        await call(lambda uid=index.uid: client_.delete_index(uid))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    lines = asyncio.run(run(args.documents, args.articles, args.runs))
    write_results("Regulation search", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
