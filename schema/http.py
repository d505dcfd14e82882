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

from typing import Any

from cross_web import HTTPException
from pymongo.errors import ConnectionFailure
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from api.access import Viewer
from api.errors import DATABASE_DOWN, AuthenticationError, ErrorCode
from api.middleware import error_response
from api.services.tokens import authenticate
from schema.context import Context, Loaders

GRAPHQL_RESPONSE = "application/graphql-response+json"

HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
}


def _wants_graphql_response(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE in accept


class GraphQLApp(GraphQL):  # type: ignore[type-arg]
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except ConnectionFailure:
            response = error_response(503, ErrorCode.DATABASE_UNAVAILABLE.value, DATABASE_DOWN)
        except AuthenticationError as e:
            challenge = f'Bearer error="invalid_token", error_description="{e.message}"'
            response = error_response(401, e.code, e.message, {"WWW-Authenticate": challenge})
        except HTTPException as e:
            if isinstance(e.__cause__, InvalidOperationTypeError):
                # A mutation over GET: the method is wrong, not the document.
                response = error_response(405, "METHOD_NOT_ALLOWED", e.reason, {"Allow": "POST"})
            else:
                response = error_response(
                    e.status_code, HTTP_CODES.get(e.status_code, "BAD_REQUEST"), e.reason
                )
        else:
            if _wants_graphql_response(request) and response.media_type != "text/html":
                response.headers["content-type"] = GRAPHQL_RESPONSE
                if getattr(request.state, "refused", False):
                    response.status_code = 400
        await response(scope, receive, send)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        resources = request.app.state.resources
        viewer = await self._viewer(request)
        return Context(
            request=request,
            response=response,
            resources=resources,
            viewer=viewer,
            loaders=Loaders(viewer=viewer),
        )

    @staticmethod
    async def _viewer(request: Request) -> Viewer:
        header = request.headers.get("authorization")
        if header is None:
            return Viewer.ANONYMOUS
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                "INVALID_TOKEN", "The Authorization header must be `Bearer <token>`"
            )
        return await authenticate(secret.strip())

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
        return response
