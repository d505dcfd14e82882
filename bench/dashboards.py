"""The dashboards at a province's size, read from the budget roll-ups and the suggestion
tallies, each against the full aggregation of the rows or suggestions in the same run:

    .venv/bin/python -m bench.dashboards [--execution-rows 1000000] [--suggestions 100000]
        [--runs 100] [--no-load]

Generates the budget part of the scale data set (``seed/scale.py``: a year's lines and twelve
months of execution over 320 departments and every 项 code, and the suggestions in every
state) through the importers, which build the roll-ups; times a rebuild and a check of them
and of the tallies (``jiandu budget rollups``, ``jiandu suggestions tallies``); measures each
dashboard through GraphQL against the same question summed from every row with PyMongo, or
counted from every suggestion, after checking that both give the very same figures
(``bench/budget.py``, ``bench/tallies.py``); and finds the
highest request rate the overview holds with one API process and with two. Starts its own
servers (or uses ``MONGODB_URL`` / ``MEILI_URL``) in a database it drops at the end. Writes
``bench/DASHBOARD_RESULTS.md``.
"""

import argparse
import asyncio
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from api.models.budget import BudgetLine, BudgetRollup, Execution
from api.models.suggestions import Suggestion, SuggestionTally
from api.services import suggestion_tallies
from api.services.budget_rollups import check, rebuild
from bench.budget import DASHBOARDS, budget_figures
from bench.common import LATENCY_HEADER, ROOT, Bench, bench_app
from bench.tallies import suggestion_figures
from bench.throughput import Case, body_file, highest_rate, served
from seed.scale import YEAR, Scale, grow

OUT = ROOT / "bench" / "DASHBOARD_RESULTS.md"
LOADED = ("budgetOverview (by book)", "budgetByDepartment")
"""The dashboards whose request rate is measured."""


async def rates(b: Bench, settings: object) -> list[str]:
    lines = ["| dashboard | API processes | highest rate held (req/s) | p50 | p95 |",
             "|---|---|---|---|---|"]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for workers in (1, 2):
            with served(settings, workers=workers) as url:  # type: ignore[arg-type]
                for name in LOADED:
                    case = Case(name, [{"query": DASHBOARDS[name].query}])
                    case = replace(case, file=body_file(Path(folder), case))
                    best, _ = await highest_rate(f"{url}/graphql", case, b.token)
                    held = (f"{best['rate']:.0f} | {best['p50']:.1f} | {best['p95']:.1f}"
                            if best else "none | |")  # fmt: skip
                    lines.append(f"| {name} | {workers} | {held} |")
    return lines


async def run(scale: Scale, runs: int, load: bool) -> list[str]:
    async with bench_app(runs) as (b, settings):
        imports = await grow(b.resources, scale)
        started = time.perf_counter()
        await rebuild(YEAR)
        rebuilt = time.perf_counter() - started
        started = time.perf_counter()
        assert await check(YEAR) is None
        checked = time.perf_counter() - started
        started = time.perf_counter()
        await suggestion_tallies.rebuild()
        tallies_rebuilt = time.perf_counter() - started
        started = time.perf_counter()
        assert await suggestion_tallies.check() is None
        tallies_checked = time.perf_counter() - started
        counts = (await BudgetLine.count(), await Execution.count(), await BudgetRollup.count())
        suggestions, tallies = await Suggestion.count(), await SuggestionTally.count()
        measured = await budget_figures(b, runs)
        counted = await suggestion_figures(b, runs)
        loaded = await rates(b, settings) if load else []
        versions = await b.versions()
    lines, execution, rollups = counts
    size = "1M" if execution >= 999_000 else f"{execution:,}"
    return [
        f"{lines:,} budget lines and {execution:,} execution rows ({YEAR}, twelve months, "
        f"320 departments), {rollups:,} roll-ups; {suggestions:,} suggestions, {tallies:,} "
        f"tallies; {versions}, {runs} runs of each query.",
        "",
        "## Imports (each building its roll-ups) and the roll-up commands",
        "",
        "| what | rows | seconds | rows per second |",
        "|---|---|---|---|",
        *(f"| import of {t.what} | {t.count:,} | {t.seconds:.1f} | {t.rate:,.0f} |"
          for t in imports),
        f"| `jiandu budget rollups rebuild` (the year) | {lines + execution:,} | {rebuilt:.1f} | "
        f"{(lines + execution) / rebuilt:,.0f} |",
        f"| `jiandu budget rollups check` (the year) | {lines + execution:,} | {checked:.1f} | "
        f"{(lines + execution) / checked:,.0f} |",
        f"| `jiandu suggestions tallies rebuild` | {suggestions:,} | {tallies_rebuilt:.1f} | "
        f"{suggestions / tallies_rebuilt:,.0f} |",
        f"| `jiandu suggestions tallies check` | {suggestions:,} | {tallies_checked:.1f} | "
        f"{suggestions / tallies_checked:,.0f} |",
        "",
        "## Dashboards: roll-ups and tallies through GraphQL against the full aggregation",
        "",
        "Every dashboard gave the same figures from its roll-ups and tallies as from its rows "
        "and suggestions (checked before timing).",
        "",
        *LATENCY_HEADER,
        *(m.row(size) for m in measured),
        *(m.row(f"{suggestions:,} suggestions") for m in counted),
        "",
        *(["## Request rate, one API process and two", "", *loaded, ""] if loaded else []),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--execution-rows", type=int, default=Scale.execution_rows)
    parser.add_argument("--suggestions", type=int, default=Scale.suggestions)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--no-load", action="store_true", help="skip the request rates")
    args = parser.parse_args()
    scale = Scale(regulations=0, suggestions=args.suggestions,
                  execution_rows=args.execution_rows, projects=100)  # fmt: skip
    lines = asyncio.run(run(scale, args.runs, not args.no_load))
    OUT.write_text("# Dashboards at scale\n\n" + "\n".join(lines))
    print(OUT.read_text())


if __name__ == "__main__":
    main()
