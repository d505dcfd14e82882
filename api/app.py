"""The Starlette application factory: routes, middleware, and the lifespan that opens and
closes the connections."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from api import workbench
from api.devservers.ide_assets import ROUTE as IDE_ROUTE
from api.language import say
from api.logs import install_request_ids
from api.middleware import RequestContext, RequestLimits, SecurityHeaders, error_response
from api.resources import Resources, connect
from api.services import delivery
from api.settings import Settings
from schema import build_schema
from schema.http import GraphQLApp, attachment_file
from search import ranking
from search.sync import SyncWorker, sync_status


async def healthz(request: Request) -> JSONResponse:
    """Alive: the process answers. Says nothing about the servers behind it."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """Ready: MongoDB and Meilisearch both answer; 503 naming the one that does not. Also
    says how far behind MongoDB the search index is."""
    resources: Resources = request.app.state.resources
    checks = await resources.readiness()
    ready = all(checks.values())
    body: dict[str, object] = {
        "status": "ready" if ready else "unavailable",
        "checks": {name: "ok" if ok else "unreachable" for name, ok in checks.items()},
    }
    if checks["mongodb"]:
        body["search_sync"] = await sync_status(resources)
    return JSONResponse(body, status_code=200 if ready else 503)


async def not_found(request: Request, exc: Exception) -> Response:
    """An address jiandu does not serve: a coded refusal like every other."""
    return error_response(
        404,
        "NOT_FOUND",
        say("没有这个地址：API 在 /graphql", "Nothing is served here: the API is at /graphql"),
    )


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    allowed = getattr(exc, "headers", None) or {}
    return error_response(
        405,
        "METHOD_NOT_ALLOWED",
        say(
            f"这个地址不接受 {request.method} 请求",
            f"This address does not take {request.method} requests",
        ),
        dict(allowed),
    )


async def stop_sync(app: Starlette) -> None:
    """Stop the in-process search sync worker, if it runs."""
    task = app.state.sync_task
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.state.sync_task = None


def cross_origin(settings: Settings) -> list[Middleware]:
    """CORS for the web frontends of ``JIANDU_CORS_ORIGINS`` (none by default): they may send
    GraphQL with a bearer token and read the answers and attachments."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Content-Disposition"],
            max_age=600,
        )
    ]


def ide_files(settings: Settings) -> list[BaseRoute]:
    """GraphiQL's own files, where the page is on and they were fetched (`jiandu servers
    install`): without them the page loads them from their CDN."""
    folder = settings.data_dir / "graphiql"
    if not settings.graphiql_enabled or not folder.is_dir():
        return []
    return [Mount(IDE_ROUTE, StaticFiles(directory=folder), name="graphiql-assets")]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    install_request_ids()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.resources = await connect(settings)
        await to_thread.run_sync(ranking.prepare)
        app.state.sync_worker = None
        app.state.sync_task = None
        if settings.search_sync_in_process:
            app.state.sync_worker = SyncWorker(app.state.resources)
            app.state.sync_task = asyncio.create_task(
                app.state.sync_worker.run(), name="search-sync"
            )
        sender = None
        if delivery.channels(settings):
            sender = asyncio.create_task(delivery.keep_delivering(settings), name="deliver")
        try:
            yield
        finally:
            if sender is not None:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender
            await stop_sync(app)
            await app.state.resources.close()

    graphql = GraphQLApp(
        build_schema(settings),
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=True,
        multipart_uploads_enabled=True,
        max_json_depth=settings.max_json_depth,
        ide_assets=settings.data_dir / "graphiql",
        allowed_origins=settings.cors_origins,
    )
    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/attachments/{record}/{file}", attachment_file, methods=["GET"]),
            *ide_files(settings),
            *workbench.routes(settings.web_dir),
        ],
        middleware=[
            *cross_origin(settings),
            Middleware(SecurityHeaders),
            Middleware(RequestContext),
            Middleware(
                RequestLimits,
                max_bytes=settings.max_body_bytes,
                max_upload_bytes=settings.max_body_bytes + settings.attachment_max_bytes,
                timeout_seconds=settings.http_body_timeout_seconds,
                max_header_bytes=settings.http_max_header_bytes,
            ),
        ],
        exception_handlers={404: not_found, 405: method_not_allowed},
        lifespan=lifespan,
    )
