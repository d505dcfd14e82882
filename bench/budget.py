"""Budget figures at scale: import throughput and peak memory of a million execution rows
(streamed from a CSV file), then the overview and drill-downs through the whole GraphQL
stack against the same aggregation pipelines run directly with PyMongo, in the same run.

    .venv/bin/python -m bench.budget [--rows 1000000] [--runs 30]
"""

import argparse
import asyncio
import csv
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from api.access import Role, Viewer
from api.app import create_app
from api.models.budget import Book, Classification, Direction, FileKind
from api.models.users import User
from api.services.budget_figures import Scope, Year, department_access, figures_pipeline
from api.services.budget_files import LAYOUTS
from api.services.budget_import import import_budget_file
from api.services.tokens import create_api_token
from bench.common import bench_settings, row, servers, timings, write_results

YEAR = 2025
MONTHS = 12
DEPARTMENTS = 200
FINANCE = Viewer(role=Role.FINANCE, name="bench")
QUERIES = {
    "budgetOverview (by book)": ("{ budgetOverview(year: 2025) { books { book figures { "
                                 "adjusted executed executionRate gap } } } }", "book", Scope()),
    "budgetByDepartment": ("{ budgetByDepartment(year: 2025) { code figures { adjusted "
                           "executed executionRate } } }", "department", Scope()),
    "budgetByClassification (类)": ("{ budgetByClassification(year: 2025) { code figures { "
                                   "adjusted executed executionRate } } }", "class3", Scope()),
    "budgetByClassification (项 under 21401)": (
        '{ budgetByClassification(year: 2025, parent: "21401") { code figures { executed } } }',
        "class7", Scope(classification="21401"),
    ),
}  # fmt: skip


def _write(path: Path, kind: Any, rows: Any) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([c.header for c in LAYOUTS[kind]])
        out.writerows(rows)


def files(folder: Path, codes: list[str], rows: int) -> tuple[Path, Path, Path, int]:
    """Departments, lines and execution files for ``rows`` execution rows (12 months of
    ``rows / 12`` lines)."""
    departments = folder / "departments.csv"
    _write(departments, FileKind.DEPARTMENTS,
           [[f"D{n:03d}", f"部门{n}", "QL", "", "", "是"] for n in range(DEPARTMENTS)])  # fmt: skip
    wanted = rows // MONTHS
    keys = []
    for book in Book:
        for direction in Direction:
            for d in range(DEPARTMENTS):
                for code in codes:
                    keys.append((book.label, f"D{d:03d}", code, direction.label))
                    if len(keys) == wanted:
                        break
                if len(keys) == wanted:
                    break
            if len(keys) == wanted:
                break
        if len(keys) == wanted:
            break
    lines = folder / "lines.csv"
    _write(lines, FileKind.LINES, (
        [YEAR, book, d, code, direction, f"{(n % 5000 + 10) * 1000}.50",
         f"{(n % 5000 + 10) * 1100}.50", "否"]
        for n, (book, d, code, direction) in enumerate(keys)
    ))  # fmt: skip
    execution = folder / "execution.csv"
    _write(execution, FileKind.EXECUTION, (
        [YEAR, m, book, d, code, direction, f"{(n % 5000 + 10) * 80 * m}.25"]
        for m in range(1, MONTHS + 1)
        for n, (book, d, code, direction) in enumerate(keys)
    ))  # fmt: skip
    return departments, lines, execution, len(keys) * MONTHS


class PeakMemory:
    """The resident memory's peak above where it started, sampled every 20 ms."""

    def __init__(self) -> None:
        self.start = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


async def run(count: int, runs: int) -> list[str]:
    with servers() as s, tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(s, search_sync_in_process=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            db = app.state.resources.db
            try:
                lines: list[str] = []
                await import_budget_file(_region(Path(tmp)), name="regions.csv", viewer=FINANCE)
                codes = [
                    c.code async for c in Classification.find({"code": {"$regex": r"^\d{7}$"}})
                ]
                departments, line_file, execution, total = files(Path(tmp), codes, count)
                await import_budget_file(departments, name="departments.csv", viewer=FINANCE)
                for path, what in ((line_file, "budget lines"), (execution, "execution rows")):
                    size = path.stat().st_size / 2**20
                    with PeakMemory() as memory:
                        started = time.perf_counter()
                        report = await import_budget_file(path, name=path.name, viewer=FINANCE)
                        took = time.perf_counter() - started
                    lines.append(
                        f"| import {report.rows:,} {what} ({size:.0f} MB CSV) | "
                        f"{report.rows / took:,.0f} rows/s ({took:.1f} s) | peak memory "
                        f"+{memory.growth_mb:.0f} MB | | |"
                    )
                assert total == report.rows
                staff = User(username="bench-staff", display_name="Bench", role=Role.STAFF)
                await staff.insert()
                token, _ = await create_api_token(
                    user=staff, name="bench", expires_in_days=1, settings=settings
                )
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                    headers = {"Authorization": f"Bearer {token}"}
                    viewer = Viewer(role=Role.STAFF)
                    for name, (query, by, scope) in QUERIES.items():
                        current = await Year.of(YEAR)
                        pipeline = figures_pipeline(
                            current, 12, by, scope, await department_access(viewer)
                        )

                        async def raw(_: int, pipeline: list[Any] = pipeline) -> object:
                            return await (await db.budget_lines.aggregate(pipeline)).to_list()

                        async def ours(_: int, query: str = query) -> object:
                            response = await client.post(
                                "/graphql", json={"query": query}, headers=headers
                            )
                            body = response.json()
                            assert "errors" not in body, body
                            return body

                        baseline = await timings(raw, runs, warmup=3)
                        measured = await timings(ours, runs, warmup=3)
                        lines.append(row(f"{name}, {total:,} execution rows", measured, baseline))
                return lines
            finally:
                await app.state.resources.mongo.drop_database(settings.mongodb_database)


def _region(folder: Path) -> Path:
    path = folder / "regions.csv"
    _write(path, FileKind.REGIONS, [["QL", "青岚县", "县级", ""]])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    lines = asyncio.run(run(args.rows, args.runs))
    write_results("Budget figures", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
