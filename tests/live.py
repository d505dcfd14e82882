"""jiandu served by uvicorn on a free port, in a thread, as ``jiandu serve`` serves it (the
HTTP limits included): for what only a real server shows (time, sockets, timeouts)."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from api.app import create_app
from api.devservers.local import free_port
from api.server import uvicorn_options
from api.settings import Settings


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """Serve until the block ends; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_config=None,
        proxy_headers=False,
        lifespan="on",
        **uvicorn_options(settings),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
