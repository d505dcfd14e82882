"""The HTTP server holds up against slow and greedy clients: headers and bodies that come too
slowly are cut off, idle connections are closed, connections are capped, oversized headers
are refused; and every response carries the security headers."""

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from api.devservers.local import LocalServers
from tests.conftest import make_settings
from tests.live import live_server


@pytest.fixture(scope="module")
def server(servers: LocalServers) -> Iterator[str]:
    """A server with short limits, so that each shows within a test's patience."""
    settings = make_settings(
        servers,
        search_sync_in_process=False,
        http_header_timeout_seconds=1,
        http_body_timeout_seconds=1,
        http_keep_alive_seconds=1,
        http_max_header_bytes=8192,
        http_max_connections=6,
    )
    with live_server(settings) as url:
        yield url


async def connect(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> float:
    """Reads until the server closes the connection; how long that took."""
    started = time.monotonic()
    async with asyncio.timeout(seconds):
        while await reader.read(65536):
            pass
    return time.monotonic() - started


async def test_headers_sent_too_slowly_are_cut_off(server: str) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")

    async def trickle() -> None:
        for _ in range(20):  # one header byte every 0.2 s: each would reset a keep-alive timer
            await asyncio.sleep(0.2)
            writer.write(b"X")
            await writer.drain()

    dripping = asyncio.create_task(trickle())
    try:
        took = await closed_within(reader, 3)
    finally:
        dripping.cancel()
        writer.close()
    assert 0.8 < took < 2.5


async def test_a_connection_that_sends_nothing_is_closed(server: str) -> None:
    reader, writer = await connect(server)
    took = await closed_within(reader, 3)
    writer.close()
    assert took < 2.5


async def test_an_idle_keep_alive_connection_is_closed(server: str) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    took = await closed_within(reader, 3)
    writer.close()
    assert took < 2


async def test_a_body_sent_too_slowly_gets_408(server: str) -> None:
    reader, writer = await connect(server)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n" + b'{"query": '
    )
    started = time.monotonic()
    async with asyncio.timeout(5):
        answer = await reader.read()  # the server answers, then closes
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b'"REQUEST_TIMEOUT"' in answer
    assert 0.8 < time.monotonic() - started < 3


async def test_oversized_headers_are_refused(server: str) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        response = await client.get("/healthz", headers={"X-Padding": "x" * 10_000})
        assert response.status_code == 431
        assert response.json()["errors"][0]["extensions"]["code"] == (
            "REQUEST_HEADER_FIELDS_TOO_LARGE"
        )
        assert (await client.get("/healthz", headers={"X-Padding": "x" * 1000})).status_code == 200

    # Headers that never end are not buffered without bound either.
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + b"X-Padding: x\r\n" * 1500)
    await writer.drain()
    async with asyncio.timeout(3):
        answer = await reader.read()
    writer.close()
    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]


async def test_connections_are_capped(server: str) -> None:
    idle = [await connect(server) for _ in range(6)]
    try:
        async with httpx.AsyncClient(base_url=server) as client:
            assert (await client.get("/healthz")).status_code == 503
    finally:
        for _, writer in idle:
            writer.close()
    await asyncio.sleep(0.2)
    async with httpx.AsyncClient(base_url=server) as client:
        assert (await client.get("/healthz")).status_code == 200
