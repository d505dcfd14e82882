"""Shared pieces of the benchmarks: servers, timing, percentiles, and the results file."""

import os
import platform
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.devservers.local import LocalServers, local_servers
from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


@contextmanager
def servers() -> Iterator[LocalServers]:
    """The servers named by MONGODB_URL / MEILI_URL, or local throw-away ones."""
    if os.environ.get("MONGODB_URL") and os.environ.get("MEILI_URL"):
        yield LocalServers(
            os.environ["MONGODB_URL"],
            os.environ["MEILI_URL"],
            os.environ.get("MEILI_MASTER_KEY", ""),
        )
        return
    with local_servers(ROOT / ".jiandu" / "bench", bin_dir=ROOT / ".jiandu" / "bin") as s:
        yield s


def bench_settings(s: LocalServers, **overrides: Any) -> Settings:
    """Settings for a benchmark on these servers, in a database of its own."""
    return Settings(
        env="test",  # type: ignore[arg-type]
        MONGODB_URL=s.mongodb_url,  # type: ignore[call-arg]
        MEILI_URL=s.meili_url,  # type: ignore[call-arg]
        MEILI_MASTER_KEY=s.meili_master_key,  # type: ignore[call-arg]
        mongodb_database=f"bench_{uuid.uuid4().hex[:8]}",
        **overrides,
    )


async def timings(
    call: Callable[[int], Awaitable[object]], runs: int, warmup: int = 50
) -> list[float]:
    """Milliseconds of each of ``runs`` sequential calls, after ``warmup`` untimed ones."""
    for i in range(warmup):
        await call(i)
    out = []
    for i in range(runs):
        started = time.perf_counter()
        await call(i)
        out.append((time.perf_counter() - started) * 1000)
    return out


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def row(name: str, measured: list[float], baseline: list[float]) -> str:
    ours, base = percentiles(measured), percentiles(baseline)
    cells = " | ".join(
        f"{ours[p]:.2f} / {base[p]:.2f} (×{ours[p] / base[p]:.1f})" for p in ("p50", "p95", "p99")
    )
    return f"| {name} | {len(measured)} | {cells} |"


def write_results(section: str, lines: list[str]) -> None:
    """Write one section of RESULTS.md, keeping the other benchmarks' sections."""
    header = [
        f"## {section}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}). "
        "Each cell: jiandu / baseline in milliseconds (ratio).",
        "",
        "| benchmark | runs | p50 | p95 | p99 |",
        "|---|---|---|---|---|",
    ]
    sections: dict[str, str] = {}
    if RESULTS.exists():
        for part in RESULTS.read_text().split("\n## ")[1:]:
            name, _, _ = part.partition("\n")
            sections[name] = "## " + part.rstrip() + "\n"
    sections[section] = "\n".join(header + lines) + "\n"
    RESULTS.write_text(
        "# Benchmark results\n\nWritten by `make bench`.\n\n" + "\n".join(sections.values())
    )
