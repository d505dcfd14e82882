"""Throughput on this machine: jiandu served by uvicorn in a process of its own, driven by the
load generator (``bench/load.py``, another process) at fixed rates, to find the highest rate
each query holds with p95 under 100 ms and no errors. ``{ __typename }`` is the ceiling: the
cost of HTTP and GraphQL alone."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from api.settings import Settings
from bench.common import ROOT

P95_LIMIT_MS = 100.0
TRIAL_SECONDS = 8.0
FIRST_RATE = 10.0


@dataclass(frozen=True)
class Case:
    name: str
    bodies: list[dict[str, Any]]
    """Request bodies, sent in turn."""
    signed_in: bool = True
    file: Path = Path()
    """Where the bodies are written for the load generator."""


@contextmanager
def served(settings: Settings, *, workers: int = 1) -> Iterator[str]:
    """``jiandu serve`` (with ``workers`` processes) on a free port, on the same servers and
    database; its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "MONGODB_URL": settings.mongodb_url or "",
        "MEILI_URL": settings.meili_url or "",
        "MEILI_MASTER_KEY": settings.meili_master_key or "",
        "JIANDU_MONGODB_DATABASE": settings.mongodb_database,
        "JIANDU_ENV": "test",
        "JIANDU_PORT": str(port),
        "JIANDU_SEARCH_SYNC_IN_PROCESS": "false",
        "JIANDU_WORKERS": str(workers),
    }
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "jiandu"), "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("jiandu serve did not become ready")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def body_file(folder: Path, case: Case) -> Path:
    path = folder / f"{abs(hash(case.name))}.jsonl"
    path.write_text("\n".join(json.dumps(body, ensure_ascii=False) for body in case.bodies))
    return path


async def trial(url: str, case: Case, token: str, rate: float) -> dict[str, Any]:
    """One run of the load generator at ``rate``, posting to ``url``."""
    command = [sys.executable, "-m", "bench.load", url, str(case.file),
               "--rate", str(rate), "--seconds", str(TRIAL_SECONDS)]  # fmt: skip
    if case.signed_in:
        command += ["--header", f"Authorization: Bearer {token}"]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    await asyncio.sleep(1)  # let the server drain
    return json.loads(out)  # type: ignore[no-any-return]


def held(result: dict[str, Any]) -> bool:
    return result["errors"] == 0 and result["p95"] < P95_LIMIT_MS


async def highest_rate(url: str, case: Case, token: str) -> tuple[dict[str, Any] | None,
                                                                  dict[str, Any]]:  # fmt: skip
    """The best trial held and the first one not held: rates double from 10 until one
    fails, then two bisections between the last held and the first failed."""
    best: dict[str, Any] | None = None
    rate = FIRST_RATE
    while held(result := await trial(url, case, token, rate)):
        best, rate = result, rate * 2
    failed = result
    low = best["rate"] if best else 0.0
    for _ in range(2):
        middle = (low + failed["rate"]) / 2
        if middle < 1:
            break
        result = await trial(url, case, token, round(middle))
        if held(result):
            best, low = result, result["rate"]
        else:
            failed = result
    return best, failed


async def throughput(settings: Settings, cases: list[Case], token: str) -> list[str]:
    lines = [
        f"Highest fixed rate held with p95 under {P95_LIMIT_MS:.0f} ms and no errors, "
        f"{TRIAL_SECONDS:.0f} s per trial after a 1 s warm-up; one uvicorn process "
        "(`jiandu serve`) and the load generator share the 2 cores with MongoDB and "
        "Meilisearch. Latency is measured from when each request was due.",
        "",
        "| query | highest rate held (req/s) | p50 | p95 | p99 | first rate not held |",
        "|---|---|---|---|---|---|",
    ]
    with served(settings) as url, tempfile.TemporaryDirectory() as folder:
        for unwritten in cases:
            case = replace(unwritten, file=body_file(Path(folder), unwritten))
            best, failed = await highest_rate(f"{url}/graphql", case, token)
            why = (f"{failed['rate']:.0f}: {failed['errors']} errors" if failed["errors"]
                   else f"{failed['rate']:.0f}: p95 {failed['p95']:.0f} ms")  # fmt: skip
            if best is None:
                lines.append(f"| {case.name} | none | | | | {why} |")
                continue
            lines.append(
                f"| {case.name} | {best['rate']:.0f} | {best['p50']:.1f} | {best['p95']:.1f} | "
                f"{best['p99']:.1f} | {why} |"
            )
    return lines
