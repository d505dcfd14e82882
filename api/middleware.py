"""ASGI middleware: a request id on every request and log line, the language of its messages
(``Accept-Language``, see ``api.language``), an access log line, the
request limits (431 for oversized headers; 413 before the body is read or as soon as it grows
too large; 408 when it comes too slowly), and the security headers of every response."""

import asyncio
import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import language
from api.logs import request_id

log = logging.getLogger("jiandu.http")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A refusal before execution, shaped like a GraphQL response so clients read one format."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
    )


class RequestContext:
    """Takes a well-formed ``X-Request-ID`` or makes one, echoes it, logs the request; sets
    the language of the request's messages from ``Accept-Language`` and names it in the
    ``Content-Language`` of JSON answers (the ones that carry messages)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        chosen = language.preferred(headers.get(b"accept-language", b"").decode("latin-1"))
        spoken = language.current.set(chosen)
        try:
            if scope["type"] != "http":
                return await self.app(scope, receive, send)
            await self._logged(scope, receive, send, headers)
        finally:
            language.current.reset(spoken)

    async def _logged(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes]
    ) -> None:
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                response = MutableHeaders(scope=message)
                response["x-request-id"] = rid
                if "json" in response.get("content-type", ""):
                    response["content-language"] = language.current.get()
                    response.add_vary_header("Accept-Language")
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id.reset(token)


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class RequestLimits:
    """Refuses a request line and headers over ``max_header_bytes`` with 431; request bodies
    over ``max_bytes`` (a file upload, ``multipart/form-data``: ``max_upload_bytes``) with
    413, whether announced or streamed; and bodies not received
    within ``timeout_seconds`` of the request's start with 408 (a client sending a byte now
    and then would otherwise hold its request open for ever)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        timeout_seconds: float,
        max_header_bytes: int,
        max_upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes or max_bytes
        self.timeout_seconds = timeout_seconds
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = (
            len(scope.get("raw_path") or scope["path"].encode())
            + len(scope["query_string"])
            + sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        )
        if head > self.max_header_bytes:
            too_long = error_response(
                431,
                "REQUEST_HEADER_FIELDS_TOO_LARGE",
                language.say(
                    f"请求行和请求头共 {head} 字节，超过上限 {self.max_header_bytes}",
                    f"The request line and headers take {head} bytes, over the limit of "
                    f"{self.max_header_bytes}",
                ),
            )
            return await too_long(scope, receive, send)
        headers = dict(scope["headers"])
        upload = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        limit = self.max_upload_bytes if upload else self.max_bytes
        too_large = error_response(
            413,
            "PAYLOAD_TOO_LARGE",
            language.say(
                f"请求体超过上限 {limit} 字节",
                f"The request body is over the limit of {limit} bytes",
            ),
        )
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await too_large(scope, receive, send)

        deadline = asyncio.get_running_loop().time() + self.timeout_seconds
        received = 0
        complete = False
        started = False

        async def guarded_receive() -> Message:
            nonlocal received, complete
            if complete:  # the body is in; what follows is waiting for a disconnect
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
                complete = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, guarded_receive, tracking_send)
        except _TooLarge:
            if not started:
                await too_large(scope, receive, send)
        except _TooSlow:
            if not started:
                too_slow = error_response(
                    408,
                    "REQUEST_TIMEOUT",
                    language.say(
                        f"请求体未在 {self.timeout_seconds:g} 秒内收完",
                        f"The request body did not arrive within {self.timeout_seconds:g} s",
                    ),
                    {"Connection": "close"},
                )
                await too_slow(scope, receive, send)


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": (
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
}
"""On every response; a response that brings its own Content-Security-Policy (the GraphiQL
page, see ``schema.http``) keeps it."""


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
