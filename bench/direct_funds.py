"""The public disclosure of direct funds at county size, against a baseline in the same run:

    .venv/bin/python -m bench.direct_funds [--townships 20] [--villages 250] [--policies 20]
                                           [--runs 200]

Imports one year's DIRECT_FUNDS file of townships × villages × policies rows (100,000 by
default) as finance would, then asks ``directFunds`` through GraphQL, signed out as the
public, for the county, one township, one village and the county by topic. jiandu reads the
sums built as the file was imported; the baseline is the design without them: the same
breakdowns aggregated from the rows by MongoDB (``$facet``), without GraphQL. Both answers'
totals are checked equal before the timings are written.

Starts its own servers (or uses ``MONGODB_URL`` / ``MEILI_URL``) in a database it drops at the
end. Writes ``bench/DIRECT_FUNDS_RESULTS.md``.
"""

import argparse
import asyncio
import csv
import io
import random
import time
from typing import Any

from api.access import Role, Viewer
from api.models.budget import DirectFundAllocation, FileKind
from api.services.budget_files import LAYOUTS
from api.services.budget_import import import_budget_file
from api.services.sheets import SheetLimits
from bench.common import ROOT, Bench, bench_app, percentiles, ratio, timings

OUT = ROOT / "bench" / "DIRECT_FUNDS_RESULTS.md"
FINANCE = Viewer(role=Role.FINANCE, name="基准")
YEAR = 2025
TOPICS = ("农业农村", "社会保障", "教育", "医疗卫生", "住房保障")
PAGE = """query($region: String, $village: String!, $topic: String!) {
  directFunds(year: 2025, regionCode: $region, village: $village, topic: $topic) {
    total { allocated paid paidRate households persons }
    areas { key name figures { allocated paid paidRate households persons } }
    topics { key figures { allocated paid paidRate } }
    policies { key standard figures { allocated paid paidRate households persons } }
  }
}"""


def _file(rows: list[list[Any]]) -> io.BytesIO:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def _regions(townships: int) -> list[list[Any]]:
    return [["地区编码", "地区名称", "级次", "上级地区编码"], ["JZ", "基准县", "县级", ""]] + [
        [f"JZ-{t:02d}", f"第{t}镇", "乡镇", "JZ"] for t in range(townships)
    ]


def _allocations(townships: int, villages: int, policies: int) -> list[list[Any]]:
    rng = random.Random(19)
    header = [c.header for c in LAYOUTS[FileKind.DIRECT_FUNDS]]
    rows: list[list[Any]] = [header]
    for p in range(policies):
        for t in range(townships):
            for v in range(villages):
                allocated = rng.randint(1_000_00, 900_000_00)
                paid = rng.randint(0, allocated)
                rows.append([
                    YEAR, f"ZD-{p:03d}", f"政策{p}", TOPICS[p % len(TOPICS)], "按标准",
                    f"JZ-{t:02d}", f"第{v}村", f"{allocated / 100:.2f}", f"{paid / 100:.2f}",
                    rng.randint(1, 300), rng.randint(1, 900),
                ])  # fmt: skip
    return rows


async def _baseline(b: Bench, match: dict[str, Any], area: str) -> dict[str, Any]:
    """The page's breakdowns aggregated from the rows."""
    sums = {m: {"$sum": f"${m}"} for m in ("allocated", "paid", "households", "persons")}
    rows = DirectFundAllocation.get_pymongo_collection()
    load = (await rows.find_one({}, {"load": 1}))["load"]  # type: ignore[index]
    found = await (await rows.aggregate([
        {"$match": {"load": load, **match}},
        {"$facet": {
            "total": [{"$group": {"_id": None, **sums}}],
            "areas": [{"$group": {"_id": f"${area}", **sums}}, {"$sort": {"allocated": -1}}],
            "topics": [{"$group": {"_id": "$topic", **sums}}, {"$sort": {"allocated": -1}}],
            "policies": [{"$group": {"_id": {"p": "$policy", "s": "$standard"}, **sums}},
                         {"$sort": {"allocated": -1}}],
        }},
    ])).to_list()  # fmt: skip
    return dict(found[0])


async def run(townships: int, villages: int, policies: int, runs: int) -> list[str]:
    async with bench_app(runs) as (b, settings):
        limits = SheetLimits.of(settings)
        await import_budget_file(
            _file(_regions(townships)), name="regions.csv", viewer=FINANCE,
            kind=FileKind.REGIONS, limits=limits, as_of=settings.budget_day(),
        )  # fmt: skip
        rows = _allocations(townships, villages, policies)
        started = time.perf_counter()
        report = await import_budget_file(
            _file(rows), name="direct.csv", viewer=FINANCE, kind=FileKind.DIRECT_FUNDS,
            limits=limits, as_of=settings.budget_day(),
        )  # fmt: skip
        imported = time.perf_counter() - started
        pages = {
            "the county": ({"region": None, "village": "", "topic": ""}, {}, "region"),
            "the county, one topic": ({"region": None, "village": "", "topic": "教育"},
                                      {"topic": "教育"}, "region"),
            "one township": ({"region": "JZ-07", "village": "", "topic": ""},
                             {"region": "JZ-07"}, "village"),
            "one village": ({"region": "JZ-07", "village": "第42村", "topic": ""},
                            {"region": "JZ-07", "village": "第42村"}, "village"),
        }  # fmt: skip
        lines = []
        for name, (values, match, area) in pages.items():
            ours = (await b.graphql(PAGE, values, signed_in=False))["directFunds"]
            theirs = await _baseline(b, match, area)
            assert ours["total"]["allocated"] == f"{theirs['total'][0]['allocated'] / 100:.2f}"
            assert ours["total"]["persons"] == theirs["total"][0]["persons"], name

            async def page(_: int, values: dict[str, Any] = values) -> None:
                await b.graphql(PAGE, values, signed_in=False)

            async def base(_: int, match: dict[str, Any] = match, area: str = area) -> None:
                await _baseline(b, match, area)

            mine, other = (
                percentiles(await timings(page, runs)),
                percentiles(await timings(base, runs)),
            )
            lines.append(
                f"| {name} | {runs} | {mine['p50']:.2f} / {other['p50']:.2f} "
                f"(×{ratio(mine['p50'] / other['p50'])}) | {mine['p95']:.2f} / "
                f"{other['p95']:.2f} (×{ratio(mine['p95'] / other['p95'])}) |"
            )
        versions = await b.versions()
    return [
        "# Public disclosure of direct funds",
        "",
        f"{report.rows:,} rows: {townships} townships × {villages} villages × {policies} "
        f"policies, one year; {versions}. Imported in {imported:.1f} s (rows checked and "
        "written, then summed).",
        "",
        "`directFunds` through GraphQL, signed out / the same breakdowns aggregated from the "
        "rows by MongoDB, no GraphQL, milliseconds (their ratio):",
        "",
        "| page | runs | p50 | p95 |",
        "|---|---|---|---|",
        *lines,
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--villages", type=int, default=250)
    parser.add_argument("--policies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    text = asyncio.run(run(args.townships, args.villages, args.policies, args.runs))
    OUT.write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
