"""GraphQL over HTTP at ``/graphql``: POST and GET (GET for queries only), GraphiQL for
browsers, and every refusal as a GraphQL-shaped JSON body with a code and a fitting status.

Status codes (GraphQL-over-HTTP):
- a request that cannot be read (bad JSON, no query, wrong content type, unknown operation
  name, mutation over GET): 400 / 405, before anything runs;
- a bad, expired or revoked bearer token: 401 with ``WWW-Authenticate``;
- a document that fails validation (syntax, unknown field, a limit): 400 when the client
  accepts ``application/graphql-response+json``; 200 for plain ``application/json``
  clients, as the spec requires for them;
- an executed operation: 200, with field errors (e.g. FORBIDDEN, or DATABASE_UNAVAILABLE
  when MongoDB stops answering midway) in ``errors``;
- MongoDB not answering before execution (checking the bearer token): 503
  DATABASE_UNAVAILABLE.
"""

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from pymongo.errors import ConnectionFailure
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api import language
from api.access import Viewer
from api.devservers.ide_assets import served_locally
from api.errors import AuthenticationError, DomainError, ErrorCode, database_down
from api.language import say
from api.middleware import error_response
from api.services.tokens import authenticate
from schema import engine_words
from schema.attachment_mutations import download
from schema.context import Context, Loaders

GRAPHQL_RESPONSE = "application/graphql-response+json"

HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
}


REASONS: dict[str, tuple[str, str]] = {
    "Unable to parse request body as JSON": (
        "请求不是有效的 JSON（POST 的请求体，或 GET 的 variables 参数）",
        "The request is not valid JSON (a POST's body, or a GET's variables parameter)",
    ),
    "No GraphQL query found in the request": (
        "请求中没有 GraphQL 查询（query）",
        "No GraphQL query found in the request",
    ),
    "Unsupported content type": (
        "不支持的内容类型：POST 请求须为 application/json",
        "Unsupported content type: a POST request must be application/json",
    ),
    "The GraphQL operation's `query` must be a string or null, if provided.": (
        "query 须为字符串",
        "query must be a string",
    ),
    "The GraphQL operation's `variables` must be an object or null, if provided.": (
        "variables 须为 JSON 对象",
        "variables must be a JSON object",
    ),
    "The GraphQL operation's `extensions` must be an object or null, if provided.": (
        "extensions 须为 JSON 对象",
        "extensions must be a JSON object",
    ),
    "Not Found": (
        "本服务未开启 GraphiQL；请用 POST 或带 query 参数的 GET 发送 GraphQL 请求",
        "GraphiQL is off on this server: send GraphQL with POST, or GET with a query parameter",
    ),
    "GraphQL only supports GET and POST requests.": (
        "GraphQL 只接受 GET 和 POST 请求",
        "GraphQL takes GET and POST requests only",
    ),
    "Batching is not enabled": (
        "不支持批量请求：请求体须为一个 JSON 对象",
        "Batching is not supported: the body must be one JSON object",
    ),
    "Too many operations": ("一次请求中的操作过多", "Too many operations in one request"),
    "Unable to parse the multipart body": (
        "无法解析 multipart 请求体",
        "The multipart body cannot be read",
    ),
    "File(s) missing in form data": ("表单数据中缺少文件", "File(s) missing in the form data"),
}
"""strawberry's refusals, in the words people read (Chinese, English)."""


def _reason(error: HTTPException) -> str:
    cause = error.__cause__
    if isinstance(cause, CannotGetOperationTypeError):
        if cause.operation_name is None:
            return say(
                "无法确定要执行的操作：文档中有多个操作时，须用 operationName 指明一个",
                "Which operation to run is unclear: name one with operationName when the "
                "document holds several",
            )
        return say(
            f"文档中没有名为“{cause.operation_name}”的操作",
            f'The document has no operation named "{cause.operation_name}"',
        )
    if isinstance(cause, InvalidOperationTypeError):
        return say(
            "GET 请求只能执行查询；变更（mutation）请用 POST",
            "A GET request runs queries only; send mutations with POST",
        )
    reason = error.reason
    if reason in REASONS:
        zh, en = REASONS[reason]
        return say(zh, en)
    if not reason.isascii():  # jiandu's own (check_json …), already in the request's language
        return reason
    return say(f"请求无法处理（{reason}）", reason)


INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
LOADED_FROM = re.compile(r'(?:src|href)="(https://[^/"]+)/')


def ide_content_security_policy(html: str) -> str:
    """What the GraphiQL page may load: its inline script (by hash), the scripts and styles
    from this server and from the origins the page itself names (each file also pinned by
    its integrity hash in the page), fonts, and requests to this server only; it may not be
    framed."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(html)
    )
    origins = " ".join(sorted(set(LOADED_FROM.findall(html))))
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {hashes} 'self' {origins}".strip(),
            f"style-src 'unsafe-inline' 'self' {origins} https://fonts.googleapis.com",
            f"font-src data: {origins} https://fonts.gstatic.com",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _wants_graphql_response(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE in accept


def check_json(value: object, max_depth: int) -> None:
    """Refuses (400) what ``json.loads`` accepts but jiandu cannot use: anything but an
    object at the top, arrays and objects nested deeper than ``max_depth``, and strings
    with lone surrogates (``"\\ud800"``, which no UTF-8 text can hold). Iterative, so that
    no nesting exhausts the stack."""
    if not isinstance(value, dict):
        raise HTTPException(
            400,
            say(
                '请求须为一个 JSON 对象（如 {"query": "…"}）',
                'The request must be one JSON object (like {"query": "..."})',
            ),
        )
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, (dict, list)):
            if depth > max_depth:
                raise HTTPException(
                    400,
                    say(f"JSON 嵌套超过 {max_depth} 层", f"JSON nested deeper than {max_depth}"),
                )
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((child, depth + 1))


def _check_text(text: str) -> None:
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise HTTPException(
                400,
                say(
                    "请求中有无效的 Unicode 字符（孤立的代理项，如 \\ud800）",
                    "The request holds invalid Unicode (a lone surrogate such as \\ud800)",
                ),
            ) from None


async def viewer_of(request: Request) -> Viewer:
    """Who sends the request: the bearer token's user, or anonymous without a token."""
    return await bearer(request.headers.get("authorization"))


async def bearer(header: str | None) -> Viewer:
    """The viewer of an ``Authorization`` value (``Bearer <token>``); anonymous without one."""
    if header is None:
        return Viewer.ANONYMOUS
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthenticationError(
            "INVALID_TOKEN",
            say(
                "Authorization 请求头须为“Bearer <令牌>”",
                'The Authorization header must read "Bearer <token>"',
            ),
        )
    return await authenticate(secret.strip())


def _unauthenticated(e: AuthenticationError) -> Response:
    # A header carries ASCII only (RFC 6750 §3): the code there, the words in the body.
    challenge = f'Bearer error="invalid_token", error_description="{e.code}"'
    return error_response(401, e.code, e.message, {"WWW-Authenticate": challenge})


async def attachment_file(request: Request) -> Response:
    """GET /attachments/<record id>/<file id>, with the same token as /graphql."""
    try:
        return await download(request, await viewer_of(request))
    except AuthenticationError as e:
        return _unauthenticated(e)
    except ConnectionFailure:
        return error_response(503, ErrorCode.DATABASE_UNAVAILABLE.value, database_down())
    except DomainError as e:
        status = 404 if e.code is ErrorCode.NOT_FOUND else 400
        return error_response(status, e.code.value, e.message)


class GraphQLApp(GraphQL):  # type: ignore[type-arg]
    def __init__(
        self, schema: BaseSchema, *, max_json_depth: int, ide_assets: Path, **options: Any
    ) -> None:
        super().__init__(schema, **options)
        self.max_json_depth = max_json_depth
        self.ide_html = (
            served_locally(self.graphql_ide_html, ide_assets) if self.graphql_ide else ""
        )
        self.ide_policy = ide_content_security_policy(self.ide_html)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self.ide_html, headers={"Content-Security-Policy": self.ide_policy})

    def decode_json(self, data: str | bytes) -> object:
        """The request's JSON (the body, or GET's ``variables``), or a 400 that says why."""
        try:
            value = json.loads(data)
        except UnicodeDecodeError:
            raise HTTPException(
                400, say("请求体不是有效的 UTF-8 文本", "The request body is not valid UTF-8 text")
            ) from None
        except RecursionError:
            raise HTTPException(
                400,
                say(
                    f"JSON 嵌套超过 {self.max_json_depth} 层",
                    f"JSON nested deeper than {self.max_json_depth}",
                ),
            ) from None
        except json.JSONDecodeError:
            raise  # strawberry says "not JSON"
        except ValueError:  # a number of more than 4,300 digits
            raise HTTPException(
                400,
                say("请求的 JSON 中有位数过多的数字", "The request's JSON holds a number too long"),
            ) from None
        check_json(value, self.max_json_depth)
        return value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except ConnectionFailure:
            response = error_response(503, ErrorCode.DATABASE_UNAVAILABLE.value, database_down())
        except AuthenticationError as e:
            response = _unauthenticated(e)
        except HTTPException as e:
            if isinstance(e.__cause__, InvalidOperationTypeError):
                # A mutation over GET: the method is wrong, not the document.
                response = error_response(405, "METHOD_NOT_ALLOWED", _reason(e), {"Allow": "POST"})
            else:
                response = error_response(
                    e.status_code, HTTP_CODES.get(e.status_code, "BAD_REQUEST"), _reason(e)
                )
        else:
            if _wants_graphql_response(request) and response.media_type != "text/html":
                response.headers["content-type"] = GRAPHQL_RESPONSE
                if getattr(request.state, "refused", False):
                    response.status_code = 400
        await response(scope, receive, send)

    async def get_context(self, request: Request, response: Response | None) -> Context:  # type: ignore[override]
        resources = request.app.state.resources
        viewer = await viewer_of(request)
        return Context(
            request=request,
            response=response,
            resources=resources,
            viewer=viewer,
            loaders=Loaders(viewer=viewer),
        )

    async def on_ws_connect(self, context: Context) -> UnsetType:  # type: ignore[override]
        """A subscription's caller signs in with ``{"authorization": "Bearer <token>"}`` as the
        ``connection_init`` payload (browsers cannot set headers on a WebSocket); a token
        that does not hold closes the connection (4403)."""
        params = context.connection_params or {}
        header = params.get("authorization", params.get("Authorization"))
        if header is not None:
            try:
                context.viewer = await bearer(str(header))
            except AuthenticationError as e:
                raise ConnectionRejectionError({"code": e.code, "message": e.message}) from None
            context.loaders = Loaders(viewer=context.viewer)
        return UNSET

    async def process_result(  # type: ignore[override]
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # A result without data whose errors have no path was refused before execution: a
        # request error, which has no "data" entry and a code on every error.
        refused = result.data is None and not any(error.path for error in result.errors or ())
        request.state.refused = refused
        response = await super().process_result(request, result)
        if refused:
            response.pop("data", None)
            errors: list[dict[str, Any]] = response.get("errors") or []  # type: ignore[assignment]
            for error in errors:
                extensions = error.setdefault("extensions", {})
                if "code" not in extensions:
                    syntax = error["message"].startswith("Syntax Error")
                    extensions["code"] = (
                        "GRAPHQL_PARSE_FAILED" if syntax else "GRAPHQL_VALIDATION_FAILED"
                    )
        if language.current.get() == "zh":
            for said in response.get("errors") or []:
                said["message"] = engine_words.chinese(said["message"])  # type: ignore[index]
        return response
