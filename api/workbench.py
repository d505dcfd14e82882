"""The workbench (``web/``): its built files served at ``/``, on the API's own origin.

A browser asking for a page (``Accept: text/html``) at any address the single-page app owns
gets its ``index.html``, which routes on the client; its assets are served as files. Anything
else jiandu does not serve, or a client that does not want HTML, gets the coded 404 of every
other refusal."""

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
"""The page runs its own scripts and talks to this server only."""
ASSETS = "/assets/"
"""Vite's hashed files: never change under their name, so cached for a year."""


class Workbench(StaticFiles):
    """The built files, with the page for the app's own addresses."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as refused:
            if refused.status_code != 404 or not _wants_page(path, scope):
                raise
            response = await super().get_response("index.html", scope)
        headers = response.headers
        headers["content-security-policy"] = POLICY
        headers["cache-control"] = (
            "public, max-age=31536000, immutable"
            if scope["path"].startswith(ASSETS)
            else "no-cache"
        )
        return response


def _wants_page(path: str, scope: Scope) -> bool:
    """A browser's navigation to an address of the app: no file extension, HTML accepted."""
    if "." in path.rsplit("/", 1)[-1]:
        return False
    accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
    return "text/html" in accept


def routes(folder: Path) -> list[BaseRoute]:
    """The workbench at ``/`` where it was built; nothing otherwise. It answers GET and HEAD
    only, so another method at an API address is still that address's 405."""
    if not (folder / "index.html").is_file():
        return []
    app: ASGIApp = GZipMiddleware(Workbench(directory=folder, html=True), minimum_size=1024)
    return [Route("/{path:path}", app, methods=["GET", "HEAD"], name="workbench")]
