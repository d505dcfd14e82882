"""``make bench``: grow the scale data set in steps (10%, 50%, 100% by default), and at each
step time the imports and the search index catching up, then measure every query against
its baseline; at the last step, find the highest request rate each query holds. Writes
``bench/RESULTS.md``.

    .venv/bin/python -m bench [--fractions 0.1 0.5 1] [--runs 200] [--no-load] [--regulations N] ...
"""

import argparse
import asyncio
import time
from dataclasses import fields

from strawberry.relay import GlobalID

from bench.budget import budget_figures
from bench.common import (
    LATENCY_HEADER,
    RESULTS,
    Bench,
    Measured,
    PeakMemory,
    bench_app,
    percentiles,
    write_results,
)
from bench.node_lookup import QUERY as NODE
from bench.node_lookup import node_lookup
from bench.search import QUERY as SEARCH
from bench.search import queries, search
from bench.suggestions import PAGE, suggestion_page
from bench.throughput import Case, throughput
from search.sync import SyncWorker
from seed.scale import EMPTY, Scale, grow


def size_of(scale: Scale) -> str:
    return (f"{scale.regulations:,} regulations, {scale.regulations * scale.articles:,} "
            f"articles, {scale.suggestions:,} suggestions, {scale.execution_rows:,} "
            f"execution rows, {scale.projects:,} projects")  # fmt: skip


async def load_cases(b: Bench) -> list[Case]:
    """The three measured queries and the ceiling, with bodies that vary like real use."""
    db = b.resources.db
    ids = [raw["_id"] async for raw in db.suggestions.find({}, {"_id": 1}).limit(500)]
    return [
        Case("{ __typename }", [{"query": "{ __typename }"}], signed_in=False),
        Case("node(id:) of a suggestion",
             [{"query": NODE, "variables": {"id": str(GlobalID("Suggestion", str(i)))}}
              for i in ids]),
        Case("searchRegulations, 2 words",
             [{"query": SEARCH, "variables": {"q": q}} for q in queries(200)], signed_in=False),
        Case("suggestions(first: 20) with spending",
             [{"query": PAGE, "variables": {"sort": "NUMBER"}}]),
    ]  # fmt: skip


async def step(
    b: Bench, target: Scale, done: Scale, fraction: str, imports: list[str],
    growth: dict[str, dict[str, str]],
) -> list[str]:  # fmt: skip
    """Grow the data set from ``done`` to ``target`` and measure; the imports and the growth
    figures go into their tables, the latency rows are returned."""
    with PeakMemory() as memory:
        timed = await grow(b.resources, target, done=done)
    started = time.perf_counter()
    await SyncWorker(b.resources).follow(until_idle=True)
    indexed = time.perf_counter() - started
    documents = ((target.regulations - done.regulations) * target.articles
                 + target.suggestions - done.suggestions)  # fmt: skip
    for t in timed:
        imports.append(f"| {fraction} | {t.what} | {t.count:,} {t.unit} | {t.seconds:.1f} | "
                       f"{t.rate:,.0f} |")  # fmt: skip
        growth.setdefault(f"{t.what} ({t.unit}/s)", {})[fraction] = f"{t.rate:,.0f}"
    imports.append(f"| {fraction} | search index catching up (articles and suggestions) | "
                   f"{documents:,} | {indexed:.1f} | {documents / indexed:,.0f} |")  # fmt: skip
    imports.append(f"| {fraction} | peak memory of the bench process in these imports | "
                   f"+{memory.growth_mb:.0f} MB | | |")  # fmt: skip
    growth.setdefault("search index (documents/s)", {})[fraction] = f"{documents / indexed:,.0f}"
    measured: list[Measured] = [
        await search(b), *await suggestion_page(b), await node_lookup(b),
        *await budget_figures(b),
    ]  # fmt: skip
    for m in measured:
        ours, base = percentiles(m.ours), percentiles(m.baseline)
        growth.setdefault(f"{m.name}, p95 ms (ratio)", {})[fraction] = (
            f"{ours['p95']:.1f} (×{ours['p95'] / base['p95']:.1f})"
        )
    return [size_of(target) + ".", "", *LATENCY_HEADER, *(m.row(fraction) for m in measured)]


async def run(scale: Scale, fractions: list[float], runs: int, load: bool) -> None:
    sections: dict[str, list[str]] = {}
    imports = ["| step | what | count | seconds | per second |", "|---|---|---|---|---|"]
    growth: dict[str, dict[str, str]] = {}
    async with bench_app(runs) as (b, settings):
        done = EMPTY
        for fraction in fractions:
            target = scale.at(fraction)
            sections[f"Latency at {fraction:.0%}"] = await step(
                b, target, done, f"{fraction:.0%}", imports, growth
            )
            done = target
        if load:
            sections[f"Throughput at {fractions[-1]:.0%}"] = await throughput(
                settings, await load_cases(b), b.token
            )
        versions = await b.versions()
    steps = [f"{f:.0%}" for f in fractions]
    sections["Imports"] = imports
    sections["Growth"] = [
        f"Each figure at {', '.join(steps)} of the data set.",
        "",
        "| figure | " + " | ".join(steps) + " |",
        "|---|" + "---|" * len(steps),
        *(f"| {name} | " + " | ".join(values.get(f, "") for f in steps) + " |"
          for name, values in growth.items()),
    ]  # fmt: skip
    order = ["Imports", *(k for k in sections if k.startswith("Latency")), "Growth",
             *(k for k in sections if k.startswith("Throughput"))]  # fmt: skip
    write_results({k: sections[k] for k in order}, versions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.1, 0.5, 1.0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-load", action="store_true", help="skip the throughput search")
    for f in fields(Scale):
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=int, default=f.default)
    args = parser.parse_args()
    scale = Scale(**{f.name: getattr(args, f.name) for f in fields(Scale)})
    asyncio.run(run(scale, sorted(args.fractions), args.runs, not args.no_load))
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
