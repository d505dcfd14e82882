"""Shared pieces of the benchmarks: servers, timing, percentiles, and the results file."""

import os
import platform
import statistics
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from api.access import Role
from api.devservers.local import LocalServers, local_servers
from api.models.users import User
from api.resources import Resources
from api.services.tokens import create_api_token
from api.settings import Settings
from search.client import call

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


async def staff_token(settings: Settings) -> str:
    """A token of a staff account made for the benchmark."""
    staff = User(username="bench-staff", display_name="Bench", role=Role.STAFF)
    await staff.insert()
    token, _ = await create_api_token(
        user=staff, name="bench", expires_in_days=1, settings=settings
    )
    return token


async def drop_bench_database(resources: Resources, settings: Settings) -> None:
    """Remove the benchmark's database and its search indexes."""
    await resources.mongo.drop_database(settings.mongodb_database)
    indexes = await call(lambda: resources.meili.get_indexes({"limit": 100}))
    for index in indexes["results"]:
        if index.uid.startswith(settings.mongodb_database):
            await call(lambda uid=index.uid: resources.meili.delete_index(uid))


@asynccontextmanager
async def bench_app(runs: int) -> AsyncIterator[tuple["Bench", Settings]]:
    """The app on the benchmark's servers, in a database of its own (without the in-process
    search sync), signed in as staff; the database and its indexes are dropped at the end."""
    from api.app import create_app

    with servers() as s:
        settings = bench_settings(s, search_sync_in_process=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            try:
                token = await staff_token(settings)
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:
                    yield Bench(app, http, token, runs), settings
            finally:
                await drop_bench_database(app.state.resources, settings)


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


LATENCY_HEADER = [
    "Each cell: jiandu / baseline in milliseconds (their ratio).",
    "",
    "| benchmark | runs | p50 | p95 | p99 |",
    "|---|---|---|---|---|",
]


def ratio(value: float) -> str:
    """One decimal, or two significant digits below 0.1 (×0.0075, not ×0.0)."""
    return f"{value:.1f}" if value >= 0.1 else f"{value:.2g}"


@dataclass(frozen=True)
class Measured:
    """One benchmark's milliseconds: jiandu's and its baseline's."""

    name: str
    ours: list[float]
    baseline: list[float]

    def row(self, size: str) -> str:
        ours, base = percentiles(self.ours), percentiles(self.baseline)
        cells = " | ".join(
            f"{ours[p]:.2f} / {base[p]:.2f} (×{ratio(ours[p] / base[p])})"
            for p in ("p50", "p95", "p99")
        )
        return f"| {self.name} ({size}) | {len(self.ours)} | {cells} |"


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


@dataclass
class Bench:
    """What every measurement works with: the app in this process (its MongoDB database and
    Meilisearch client), an HTTP client into it signed in as staff, and the run count."""

    app: Any
    http: httpx.AsyncClient
    token: str
    runs: int

    @property
    def resources(self) -> Resources:
        return self.app.state.resources  # type: ignore[no-any-return]

    async def versions(self) -> str:
        """The servers' versions, for the results."""
        mongo = (await self.resources.db.command("buildInfo"))["version"]
        meili = await call(lambda: self.resources.meili.get_version()["pkgVersion"])
        return f"MongoDB {mongo}, Meilisearch {meili}"

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, signed_in: bool = True
    ) -> Any:
        """The data of a query through the whole HTTP stack, signed in as staff or not at
        all; any error stops the benchmark."""
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token}"} if signed_in else {},
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


def write_results(sections: dict[str, list[str]], versions: str) -> None:
    """Write RESULTS.md: the machine and date, then one section per heading."""
    text = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {machine()}, {versions}). See "
        "[README.md](README.md) for what each figure compares.",
        "",
    ]
    for heading, lines in sections.items():
        text += [f"## {heading}", "", *lines, ""]
    RESULTS.write_text("\n".join(text))


def machine() -> str:
    """When and on what: the date, the host, its cores, memory and Python (an open bracket)."""
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} ({os.cpu_count()} cores, "
        f"{_memory_gb():.0f} GiB, Python {platform.python_version()}"
    )


def _memory_gb() -> float:
    with open("/proc/meminfo") as f:
        return int(f.readline().split()[1]) / 2**20
