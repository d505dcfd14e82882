"""An open-loop load generator for one HTTP endpoint, run as a process of its own so it does
not share an event loop with the server it measures:

    .venv/bin/python -m bench.load URL BODIES --rate 200 --seconds 8 [--header 'K: V']

sends POST requests at a fixed rate (request ``i`` is due at ``i / rate`` seconds, whether
or not earlier ones have been answered, like wrk2 or vegeta), each with the next body of the
file ``BODIES`` (one JSON document per line), over keep-alive connections opened as needed
(at most ``--connections``). Latency is measured from when a request was due, so a server
that falls behind shows it instead of slowing the generator down. A response counts as an
error unless it is a 200 without ``"errors"``. Prints one JSON object: due, answered,
errors, the achieved rate, and p50/p95/p99 in milliseconds, leaving out the first
``--warmup`` seconds.
"""

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    answered: int = 0
    first_error: str = ""

    def failed(self, reason: str, counted: bool) -> None:
        if counted:
            self.errors += 1
            self.first_error = self.first_error or reason


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> tuple[int, bytes]:  # fmt: skip
    writer.write(request)
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def run(url: str, bodies: list[bytes], headers: list[str], *, rate: float, seconds: float,
              warmup: float, connections: int) -> dict[str, float | int | str]:  # fmt: skip
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = "".join(f"{h}\r\n" for h in headers)
    requests = [
        (f"POST {parts.path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
         f"{head}Content-Length: {len(body)}\r\n\r\n").encode() + body
        for body in bodies
    ]  # fmt: skip
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    slots = asyncio.Semaphore(connections)
    tally = Tally()
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def one(i: int, due: float) -> None:
        counted = due - start >= warmup
        async with slots:
            for attempt in (1, 2):  # a kept-alive connection the server closed: once more
                reused = bool(idle) and attempt == 1
                try:
                    reader, writer = (
                        idle.pop() if reused else await asyncio.open_connection(host, port)
                    )
                except OSError as e:
                    tally.failed(f"connect: {e}", counted)
                    return
                try:
                    status, body = await _exchange(reader, writer, requests[i % len(requests)])
                    break
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
                    writer.close()
                    if not reused:
                        tally.failed(f"exchange: {e!r}", counted)
                        return
            idle.append((reader, writer))
        if counted:
            tally.answered += 1
            tally.latencies.append((loop.time() - due) * 1000)
        if status != 200 or b'"errors"' in body:
            tally.failed(f"{status}: {body[:200].decode(errors='replace')}", counted)

    tasks = []
    total = int(rate * (seconds + warmup))
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        tasks.append(asyncio.create_task(one(i, due)))
    finished = time.perf_counter()
    _, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    tally.errors += len(pending)
    for _, writer in idle:
        writer.close()
    cuts = (statistics.quantiles(tally.latencies, n=100, method="inclusive")
            if len(tally.latencies) > 1 else [float("inf")] * 99)  # fmt: skip
    return {
        "rate": rate,
        "due": total - int(rate * warmup),
        "answered": tally.answered,
        "errors": tally.errors,
        "achieved": tally.answered / seconds,
        "lag_s": round(time.perf_counter() - finished, 3),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "first_error": tally.first_error,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("bodies", help="a file of request bodies, one JSON document per line")
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    with open(args.bodies, "rb") as f:
        bodies = [line.strip() for line in f if line.strip()]
    result = asyncio.run(run(args.url, bodies, args.header, rate=args.rate, seconds=args.seconds,
                             warmup=args.warmup, connections=args.connections))  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
