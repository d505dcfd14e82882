"""The one Meilisearch client of a process. The client is synchronous: every call from async
code goes through ``call`` (a worker thread), never directly inside the event loop."""

from collections.abc import Callable
from typing import TypeVar

import meilisearch
from anyio import to_thread
from meilisearch.errors import MeilisearchError
from requests.exceptions import RequestException

from api.settings import ConfigurationError, Settings

T = TypeVar("T")


def make_client(settings: Settings) -> meilisearch.Client:
    if not settings.meili_url:
        raise ConfigurationError("没有设置 MEILI_URL：`make run` 会在本机启动 Meilisearch")
    # Answers uncompressed: Meilisearch sits beside the API, and gzipping the ~200 KB of
    # candidate articles a regulation search reads took 2 of its ~10 ms (bench/README.md).
    return meilisearch.Client(
        settings.meili_url,
        settings.meili_master_key,
        timeout=settings.meili_timeout_seconds,
        custom_headers={"Accept-Encoding": "identity"},
    )


async def call(function: Callable[[], T]) -> T:
    """Run a Meilisearch client call off the event loop."""
    return await to_thread.run_sync(function)


async def is_healthy(client: meilisearch.Client) -> bool:
    try:
        return await call(client.is_healthy)
    except (MeilisearchError, RequestException):
        return False


def quote(value: str) -> str:
    """A value inside a Meilisearch filter expression, quoted so it cannot change the
    expression around it."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
