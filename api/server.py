"""How uvicorn serves jiandu: the HTTP limits from settings.

- a connection cap (``JIANDU_HTTP_MAX_CONNECTIONS``): uvicorn answers 503 beyond it;
- a header deadline (``JIANDU_HTTP_HEADER_TIMEOUT_SECONDS``): a client that has not sent a
  request's line and headers in time, counted from the connection or the previous response,
  is disconnected. uvicorn has none (its keep-alive timer stops at the first byte), so a
  client sending one header byte every few seconds would hold its connection for ever;
- the idle keep-alive time (``JIANDU_HTTP_KEEP_ALIVE_SECONDS``);
- the largest request line and headers (``JIANDU_HTTP_MAX_HEADER_BYTES``): 400 beyond it;
- no ``server`` header.

The body deadline (``JIANDU_HTTP_BODY_TIMEOUT_SECONDS``) is the app's, in
``api.middleware.BodyLimit``, so it holds under any server.
"""

import asyncio
import json
import os
from typing import Any

from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import Settings

WORKER_SETTINGS = "JIANDU_WORKER_SETTINGS"
"""Where ``jiandu serve`` leaves its settings for its worker processes (``JIANDU_WORKERS``)."""


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose headers come too slowly."""

    header_timeout_seconds = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self._between_requests():
            self._stop_header_timer()  # the headers are in: the request runs

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._between_requests() and not self.transport.is_closing():
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _await_headers(self) -> None:
        self._stop_header_timer()
        self.header_timer = self.loop.call_later(self.header_timeout_seconds, self._too_slow)

    def _stop_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _too_slow(self) -> None:
        self.header_timer = None
        if self._between_requests() and not self.transport.is_closing():
            self.logger.info("请求头未在时限内收完，已关闭连接。")
            self.transport.close()


def uvicorn_options(settings: Settings, *, worker_processes: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` with the HTTP limits. Worker
    processes are started afresh and given what they need by name: the protocol class itself,
    whose deadline each sets from the settings (``worker_app``)."""
    protocol = HeaderDeadlineProtocol if worker_processes else type(
        "HeaderDeadline",
        (HeaderDeadlineProtocol,),
        {"header_timeout_seconds": settings.http_header_timeout_seconds},
    )  # fmt: skip
    return {
        "http": protocol,
        "limit_concurrency": settings.http_max_connections,
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        "h11_max_incomplete_event_size": settings.http_max_header_bytes,
        "ws_max_size": settings.max_body_bytes,
        "server_header": False,
    }


def worker_environment(settings: Settings) -> dict[str, str]:
    """The settings, as the worker processes read them back (``worker_app``): every value,
    including those given on the command line rather than in the environment (``make run``'s
    local servers)."""
    values = {}
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias  # the keyword Settings takes for it
        values[alias if isinstance(alias, str) else name] = getattr(settings, name)
    return {WORKER_SETTINGS: json.dumps(values, default=str, ensure_ascii=False)}


def worker_app() -> Starlette:
    """The app of one of ``jiandu serve``'s worker processes: the parent's settings, its
    logging and its header deadline."""
    from api.app import create_app
    from api.logs import configure_logging

    settings = Settings(**json.loads(os.environ[WORKER_SETTINGS]))
    configure_logging(settings)
    HeaderDeadlineProtocol.header_timeout_seconds = settings.http_header_timeout_seconds
    return create_app(settings)
