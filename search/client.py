"""The one Meilisearch client of a process. The client is synchronous: every call from async
code goes through ``call`` (a worker thread), never directly inside the event loop."""

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import meilisearch
import requests
from anyio import to_thread
from meilisearch._httprequests import HttpRequests
from meilisearch.config import Config
from meilisearch.errors import MeilisearchCommunicationError, MeilisearchError
from requests.exceptions import RequestException

from api.settings import ConfigurationError, Settings

T = TypeVar("T")


class ThreadSafeHttp(HttpRequests):
    """The official client's HTTP layer, safe to share between worker threads. The stock one
    keeps the headers of every call in one dict and sets or removes ``Content-Type`` in it
    before sending: a GET (a health check) in one thread removed it while another thread
    was sending a search, which Meilisearch refused (415; 101 of 2,400 calls from 8 threads
    in a test). Here each thread has its own headers.

    Searches (``multi-search``) keep their connection open, one per thread: opening one per
    call took about a millisecond of each search (bench/README.md). Other calls still open
    one each: kept open for every call, requests sent after the client's DELETEs (which
    carry a ``null`` body) timed out on the same connection in the test suite."""

    def __init__(self, config: Config, custom_headers: Mapping[str, str] | None = None) -> None:
        self._local = threading.local()
        super().__init__(config, custom_headers)
        self._shared = dict(self.headers)  # with the custom headers the parent added

    @property  # type: ignore[override]
    def headers(self) -> dict[str, str]:
        """This thread's headers, a copy of the shared ones."""
        if not hasattr(self._local, "headers"):
            self._local.headers = dict(self._shared)
        return self._local.headers  # type: ignore[no-any-return]

    @headers.setter
    def headers(self, value: dict[str, str]) -> None:
        self._shared = dict(value)
        self._local.__dict__.pop("headers", None)

    def _session(self) -> requests.Session:
        if getattr(self._local, "session", None) is None:
            session = requests.Session()
            # Meilisearch is reached directly, never through a proxy of the environment:
            # looking for one read every environment variable on every search (about half a
            # millisecond each, bench/README.md).
            session.trust_env = False
            self._local.session = session
        return self._local.session  # type: ignore[no-any-return]

    def post(
        self,
        path: str,
        body: Mapping[str, Any]
        | Sequence[Mapping[str, Any]]
        | list[str]
        | bytes
        | str
        | None = None,
        content_type: str | None = "application/json",
        *,
        serializer: type[json.JSONEncoder] | None = None,
    ) -> Any:
        if path != self.config.paths.multi_search:
            return super().post(path, body, content_type, serializer=serializer)
        try:
            return self.send_request(
                self._session().post, path, body, content_type, serializer=serializer
            )
        except MeilisearchCommunicationError:
            # The connection kept may have been closed by Meilisearch meanwhile: once more,
            # on a new one (a Meilisearch that is down fails again at once).
            self._local.session.close()
            self._local.session = None
            return self.send_request(
                self._session().post, path, body, content_type, serializer=serializer
            )


def make_client(settings: Settings) -> meilisearch.Client:
    if not settings.meili_url:
        raise ConfigurationError("没有设置 MEILI_URL：`make run` 会在本机启动 Meilisearch")
    # Answers uncompressed: Meilisearch sits beside the API, and gzipping the ~200 KB of
    # candidate articles a regulation search reads took 2 of its ~10 ms (bench/README.md).
    headers = {"Accept-Encoding": "identity"}
    client = meilisearch.Client(
        settings.meili_url,
        settings.meili_master_key,
        timeout=settings.meili_timeout_seconds,
        custom_headers=headers,
    )
    # The two HTTP layers the client shares between calls (an index's is made per call).
    client.http = ThreadSafeHttp(client.config, headers)
    client.task_handler.http = ThreadSafeHttp(client.config, headers)
    return client


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
