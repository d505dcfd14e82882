"""Search quality and speed on a real law library, against a plain Meilisearch index of the
same articles, in the same run:

    .venv/bin/python -m bench.search_quality --corpus ~/Laws [--questions FILE …] [--no-load]

The library (LawRefBook/Laws, ``bench/lawrefbook.py``) is imported with jiandu's importer
and indexed by jiandu's sync; the plain index holds the same articles as stored in MongoDB
(title, label, text) with Meilisearch's default settings and the ``cmn`` locale, and is asked
the question as typed. Each question of the question sets (``bench/search_questions*.tsv``,
written in deputies' words, with the articles that answer them) is asked of both: jiandu
through GraphQL over HTTP,
its hits read in the order a person sees them (each document's articles, document by
document), the plain index's article hits in its order. Writes ``bench/SEARCH_RESULTS.md``.
"""

import argparse
import asyncio
import csv
import itertools
import os
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from api.access import Role
from api.app import create_app
from api.devservers.local import local_servers
from api.models.users import User
from api.services.regulation_import import Outcome
from api.services.tokens import create_api_token
from bench.common import ROOT, bench_settings, percentiles, servers
from bench.lawrefbook import load
from bench.throughput import Case, body_file, highest_rate, served
from search.client import call
from search.indexes import REGULATION_ARTICLES
from search.known import known_questions
from search.sync import SyncWorker

QUESTION_SETS = [
    ROOT / "bench" / "search_questions.tsv",
    ROOT / "bench" / "search_questions_fresh.tsv",
    ROOT / "bench" / "search_questions_held.tsv",
    ROOT / "bench" / "search_questions_fourth.tsv",
    ROOT / "bench" / "search_questions_fifth.tsv",
    ROOT / "bench" / "search_questions_sixth.tsv",
    ROOT / "bench" / "search_questions_seventh.tsv",
    ROOT / "bench" / "search_questions_eighth.tsv",
    ROOT / "bench" / "search_questions_ninth.tsv",
    ROOT / "bench" / "search_questions_tenth.tsv",
    ROOT / "bench" / "search_questions_eleventh.tsv",
    ROOT / "bench" / "search_questions_twelfth.tsv",
    ROOT / "bench" / "search_questions_thirteenth.tsv",
    ROOT / "bench" / "search_questions_fourteenth.tsv",
    ROOT / "bench" / "search_questions_fifteenth.tsv",
    ROOT / "bench" / "search_questions_sixteenth.tsv",
]
"""The first set was written with the first version of the ranking; the second later, by
someone who had seen neither the ranking nor the word lists; the third to the sixteenth later
still, the same way, each measured before any change was made for it (bench/README.md); the
fifth to the sixteenth were each kept unseen until a change made without them was done."""
OUT = ROOT / "bench" / "SEARCH_RESULTS.md"
DEPTH = 10
"""Articles read of each answer, for the reciprocal rank."""
SEARCH = """query S($q: String!) { searchRegulations(query: $q, first: 5) {
  edges { node { regulation { title } articles { number label passage { text } } } } } }"""
WITH_FACETS = """query S($q: String!) { searchRegulations(query: $q, first: 5) {
  totalCount facets { field values { value count } }
  edges { node { regulation { title } articles { number label passage { text } } } } } }"""
PLAIN = "plain-articles"


@dataclass(frozen=True)
class Question:
    category: str
    text: str
    answers: list[tuple[str, int]]
    """(title substring, article number)."""


def questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        Question(
            category=row["category"],
            text=row["question"],
            answers=[
                (a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in row["answers"].split("|")
            ],
        )
        for row in rows
    ]


def resolver(titles: set[str]) -> Any:
    """The title an answer's substring means: the title it is, or else the shortest titles
    containing it (so 预算法 is the law, not 预算法实施条例)."""

    def meant(substring: str) -> set[str]:
        if substring in titles:
            return {substring}
        containing = [t for t in titles if substring in t]
        shortest = min((len(t) for t in containing), default=0)
        return {t for t in containing if len(t) == shortest}

    return meant


def rank(found: list[tuple[str, int]], wanted: set[tuple[str, int]]) -> int | None:
    """1-based rank of the first right article among the first DEPTH."""
    for i, hit in enumerate(found[:DEPTH], start=1):
        if hit in wanted:
            return i
    return None


@dataclass
class Scores:
    ranks: list[int | None]

    def recall(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks)

    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r is not None) / len(self.ranks)


KEPT_DATABASE = "bench_search_quality"
"""The database (and index prefix) of a run that keeps its data (``--keep``)."""


def kept_titles(mongodb_url: str, keep: Path) -> dict[str, str]:
    """Each document's title by its id, in the library a run kept (``--keep``)."""
    with MongoClient(mongodb_url) as mongo:
        found = mongo[KEPT_DATABASE].regulations.find({}, {"title": 1})
        titles = {str(d["_id"]): d["title"] for d in found}
    if not titles:
        raise SystemExit(
            f"{keep} holds no library: keep one first with "
            "`python -m bench.search_quality --corpus <Laws> --keep <folder>`"
        )
    return titles


async def plain_index(meili: Any, db: Any, keep: bool = False) -> tuple[str, float]:
    """The plain index of the stored articles; its uid and the seconds it took to build (0
    when ``keep`` finds it built)."""
    if keep:
        indexes = await call(lambda: meili.get_indexes({"limit": 1000}))
        if any(index.uid == PLAIN for index in indexes["results"]):
            return PLAIN, 0.0
    await call(lambda: meili.delete_index(PLAIN))
    settings = {
        "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["cmn"]}],
        "searchableAttributes": ["title", "label", "text"],
    }
    task = await call(lambda: meili.create_index(PLAIN, {"primaryKey": "id"}))
    await call(lambda: meili.wait_for_task(task.task_uid))
    task = await call(lambda: meili.index(PLAIN).update_settings(settings))
    await call(lambda: meili.wait_for_task(task.task_uid))
    documents = [
        {"id": f"{raw['_id']}-{i}", "title": raw["title"], "number": a["number"],
         "label": a["label"], "text": a["text"]}
        async for raw in db.regulations.find({}, {"title": 1, "articles": 1})
        for i, a in enumerate(raw["articles"])
    ]  # fmt: skip
    started = time.perf_counter()
    tasks = []
    for i in range(0, len(documents), 10_000):
        chunk = documents[i : i + 10_000]
        tasks.append(await call(lambda c=chunk: meili.index(PLAIN).add_documents(c).task_uid))
    for uid in tasks:
        await call(lambda u=uid: meili.wait_for_task(u, timeout_in_ms=3_600_000))
    return PLAIN, time.perf_counter() - started


async def run(
    corpus: Path, sets: dict[str, list[Question]], load_test: bool, keep: Path | None = None
) -> list[str]:
    """The comparison; with ``keep``, on servers with their data in that folder, the library
    imported and indexed only when it is not there yet, and nothing dropped at the end."""
    lines: list[str] = []
    everything = [q for asked in sets.values() for q in asked]
    outside = os.environ.get("MONGODB_URL") and os.environ.get("MEILI_URL")
    with (
        servers() if keep is None or outside
        else local_servers(keep, bin_dir=ROOT / ".jiandu" / "bin")
    ) as s:  # fmt: skip
        settings = bench_settings(s, search_sync_in_process=False)
        if keep is not None:
            settings = settings.model_copy(update={"mongodb_database": KEPT_DATABASE})
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            resources = app.state.resources
            meili = resources.meili
            try:
                started = time.perf_counter()
                kept = keep is not None and await resources.db.regulations.count_documents({})
                loaded = await load(corpus) if not kept else None
                imported = time.perf_counter() - started
                started = time.perf_counter()
                await SyncWorker(resources).follow(until_idle=True)
                indexed = time.perf_counter() - started
                plain, plain_seconds = await plain_index(meili, resources.db, keep is not None)
                articles = sum(
                    [len(r["articles"]) async for r in resources.db.regulations.find(
                        {}, {"articles.number": 1})]
                )  # fmt: skip
                titles = set(await resources.db.regulations.distinct("title"))
                deputy = await User.find_one(User.username == "bench-deputy") or User(
                    username="bench-deputy", display_name="代表", role=Role.DEPUTY
                )
                if deputy.id is None:
                    await deputy.insert()
                token, _ = await create_api_token(
                    user=deputy, name="bench", expires_in_days=1, settings=settings
                )
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:
                    if loaded is None:
                        lines += [
                            f"{len(titles):,} titles and {articles:,} articles kept from an "
                            "earlier run (`--keep`): import and indexing not timed.",
                            "",
                        ]
                    else:
                        lines += [
                            f"{loaded.count(Outcome.IMPORTED) + loaded.count(Outcome.UPDATED):,} "
                            f"files imported into {len(titles):,} titles and {articles:,} "
                            f"articles in {imported:.0f} s "
                            f"({loaded.count(Outcome.SKIPPED)} skipped, "
                            f"{loaded.count(Outcome.FAILED)} failed).",
                            "",
                            "| index built | seconds | ratio |",
                            "|---|---|---|",
                            f"| jiandu (sync, every article with its document's fields) | "
                            f"{indexed:.0f} | ×{indexed / plain_seconds:.2f} |",
                            f"| plain index (title, label, text) | {plain_seconds:.0f} | ×1 |",
                            "",
                        ]
                    for name, asked in sets.items():
                        # A set's questions are asked with their own answers left out of
                        # the known questions (search/known.py), as a new question would be.
                        resources.known_questions = known_questions().without([name])
                        lines += await compare(
                            http, token, meili, plain, name, asked, resolver(titles)
                        )
                    lines += await latency(http, token, meili, plain, sets, resources)
                if load_test:
                    lines += await rates(settings, meili, plain, token, everything)
            finally:
                if keep is None:
                    await resources.mongo.drop_database(settings.mongodb_database)
                    for uid in (PLAIN, REGULATION_ARTICLES.uid(settings.mongodb_database)):
                        await call(lambda u=uid: meili.delete_index(u))
    return lines


async def ask(http: httpx.AsyncClient, token: str, query: str, text: str) -> dict[str, Any]:
    """``searchRegulations`` through GraphQL, signed in as a deputy."""
    response = await http.post(
        "/graphql", json={"query": query, "variables": {"q": text}},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    body: dict[str, Any] = response.json()
    assert "errors" not in body, (text, body)
    return body


def ask_plain(meili: Any, plain: str, text: str) -> list[dict[str, Any]]:
    """The question as typed, of the plain index, through the same client (and so the same
    kept connection) jiandu's own searches use."""
    query = {"indexUid": plain, "q": text, "limit": DEPTH, "locales": ["cmn"],
             "attributesToRetrieve": ["title", "number"]}  # fmt: skip
    found: list[dict[str, Any]] = meili.multi_search([query])["results"][0]["hits"]
    return found


async def compare(
    http: httpx.AsyncClient, token: str, meili: Any, plain: str, name: str,
    asked: list[Question], meant: Any,
) -> list[str]:  # fmt: skip
    ours: dict[str, list[int | None]] = defaultdict(list)
    theirs: dict[str, list[int | None]] = defaultdict(list)
    misses: list[str] = []
    for question in asked:
        wanted = {(t, n) for sub, n in question.answers for t in meant(sub)}
        body = await ask(http, token, SEARCH, question.text)
        found = [
            (edge["node"]["regulation"]["title"], a["number"])
            for edge in body["data"]["searchRegulations"]["edges"]
            for a in edge["node"]["articles"]
        ]
        plain_hits = await call(lambda q=question.text: ask_plain(meili, plain, q))
        for category in (question.category, "all"):
            ours[category].append(rank(found, wanted))
            theirs[category].append(rank([(h["title"], h["number"]) for h in plain_hits], wanted))
        if rank(found, wanted) is None or rank(found, wanted) > 5:  # type: ignore[operator]
            wanted_text = ", ".join(f"{s}:{n}" for s, n in question.answers)
            got = ", ".join(f"{t}:{n}" for t, n in found[:5]) or "nothing"
            misses.append(f"- {question.category} `{question.text}`: wanted {wanted_text}; "
                          f"got {got}")  # fmt: skip
    lines = [
        f"### `{name}`: {len(asked)} questions, jiandu / plain index",
        "",
        "| category | questions | recall@1 | recall@5 | MRR |",
        "|---|---|---|---|---|",
    ]
    for category in sorted(ours, key=lambda c: (c == "all", c)):
        a, b = Scores(ours[category]), Scores(theirs[category])
        lines.append(
            f"| {category} | {len(a.ranks)} | {a.recall(1):.2f} / {b.recall(1):.2f} | "
            f"{a.recall(5):.2f} / {b.recall(5):.2f} | {a.mrr():.2f} / {b.mrr():.2f} |"
        )
    return [*lines, "", "Not in jiandu's first five articles:", "", *misses, ""]


async def latency(
    http: httpx.AsyncClient, token: str, meili: Any, plain: str,
    sets: dict[str, list[Question]], resources: Any,
) -> list[str]:  # fmt: skip
    """Each question once, in turn, after one untimed round: jiandu with and without the
    facet counts, and the plain index (each set with its own known questions left out)."""
    timed: dict[str, list[float]] = defaultdict(list)
    for measured, (set_name, asked) in itertools.product((False, True), sets.items()):
        resources.known_questions = known_questions().without([set_name])
        for question in asked:
            text = question.text
            for name, send in (
                ("jiandu", lambda q=text: ask(http, token, SEARCH, q)),
                ("jiandu with facets", lambda q=text: ask(http, token, WITH_FACETS, q)),
                ("plain", lambda q=text: call(lambda: ask_plain(meili, plain, q))),
            ):
                started = time.perf_counter()
                await send()
                if measured:
                    timed[name].append((time.perf_counter() - started) * 1000)
    base = percentiles(timed["plain"])
    lines = [
        "### Latency",
        "",
        "One question at a time, milliseconds: jiandu `searchRegulations` (5 documents with "
        "their best articles, through GraphQL in process; then the same with `totalCount` and "
        "`facets`) / one request to the plain index (10 articles). Ratios to the plain index.",
        "",
        "| | p50 | p95 | p99 | mean |",
        "|---|---|---|---|---|",
    ]
    for name, samples in timed.items():
        cut = percentiles(samples)
        ratio = "" if name == "plain" else f" (×{cut['p50'] / base['p50']:.1f})"
        lines.append(
            f"| {name} | {cut['p50']:.1f}{ratio} | {cut['p95']:.1f} | {cut['p99']:.1f} | "
            f"{statistics.mean(samples):.1f} |"
        )
    return [*lines, ""]


async def rates(
    settings: Any, meili: Any, plain: str, token: str, asked: list[Question]
) -> list[str]:
    """The highest rate each holds with p95 under 100 ms (``bench/throughput.py``): jiandu
    served by ``jiandu serve`` with one API process, then with two on one port, and the plain
    index asked directly. The served API has every known question, so each question here
    finds its own among them and asks for its answers: the costlier case."""
    ours = Case("jiandu searchRegulations",
                [{"query": SEARCH, "variables": {"q": q.text}} for q in asked])  # fmt: skip
    theirs = Case("plain index", [{"q": q.text, "limit": DEPTH, "locales": ["cmn"]}
                                  for q in asked], signed_in=False)  # fmt: skip
    lines = ["| | highest rate held (req/s) | p50 | p95 |", "|---|---|---|---|"]

    async def held(case: Case, endpoint: str, key: str, folder: str) -> None:
        case = replace(case, file=body_file(Path(folder), case), signed_in=bool(key))
        best, _ = await highest_rate(endpoint, case, key)
        rate = f"{best['rate']:.0f} | {best['p50']:.1f} | {best['p95']:.1f}" if best else "none"
        lines.append(f"| {case.name} | {rate} |")

    with tempfile.TemporaryDirectory() as folder:
        for workers in (1, 2):  # JIANDU_WORKERS: one API process, then two on one port
            with served(settings, workers=workers) as url:
                name = f"{ours.name}, {workers} API process{'es' if workers > 1 else ''}"
                await held(replace(ours, name=name), f"{url}/graphql", token, folder)
        endpoint = f"{settings.meili_url}/indexes/{plain}/search"
        await held(theirs, endpoint, settings.meili_master_key, folder)
    return ["Throughput (open-loop, fixed rate, 8 s per trial):", "", *lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a LawRefBook/Laws folder")
    parser.add_argument("--questions", type=Path, nargs="+", default=QUESTION_SETS)
    parser.add_argument("--no-load", action="store_true", help="skip the throughput search")
    parser.add_argument(
        "--keep", type=Path, metavar="FOLDER",
        help="keep the data (servers with their data in FOLDER, or those of MONGODB_URL and "
        "MEILI_URL): the library is imported and indexed the first time only",
    )  # fmt: skip
    args = parser.parse_args()
    sets = {path.name: questions(path) for path in args.questions}
    lines = asyncio.run(run(args.corpus, sets, not args.no_load, args.keep))
    OUT.write_text("# Search quality on a real library\n\n" + "\n".join(lines))
    print(OUT.read_text())


if __name__ == "__main__":
    main()
