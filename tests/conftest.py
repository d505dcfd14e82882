"""Test fixtures: real MongoDB and Meilisearch, started once per session on free ports in a
throw-away folder (or the servers named by MONGODB_URL / MEILI_URL), and a fresh database
per test."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from pymongo import monitoring
from starlette.applications import Starlette

from api.app import create_app, stop_sync
from api.devservers.local import LocalServers, local_servers
from api.resources import Resources
from api.settings import Settings
from search.client import call
from seed.demo import DEMO_REGION

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServers]:
    if os.environ.get("MONGODB_URL") and os.environ.get("MEILI_URL"):
        yield LocalServers(
            mongodb_url=os.environ["MONGODB_URL"],
            meili_url=os.environ["MEILI_URL"],
            meili_master_key=os.environ.get("MEILI_MASTER_KEY", ""),
        )
        return
    with local_servers(tmp_path_factory.mktemp("servers"), bin_dir=ROOT / ".jiandu" / "bin") as s:
        yield s


FREE_DATABASES: list[str] = []
"""Test databases emptied after their test, for the next to use. Dropping a database per
test would leave MongoDB holding the files of thousands of dropped collections open until
it gets round to closing them, past the open-file limit; emptied databases keep their
collections and indexes and cost nothing more."""


async def release_database(resources: Resources) -> None:
    """Empty the test's database and hand it to the next test."""
    db = resources.db
    for name in await db.list_collection_names():
        if not name.startswith("system."):
            await db[name].delete_many({})
    FREE_DATABASES.append(resources.settings.mongodb_database)


def make_settings(servers: LocalServers, **overrides: object) -> Settings:
    """Settings for a test, on an empty database of its own."""
    values: dict[str, object] = {
        "env": "test",
        "MONGODB_URL": servers.mongodb_url,
        "MEILI_URL": servers.meili_url,
        "MEILI_MASTER_KEY": servers.meili_master_key,
        "mongodb_database": FREE_DATABASES.pop()
        if FREE_DATABASES
        else f"test_{uuid.uuid4().hex[:12]}",
        "log_format": "console",
        "library_region": DEMO_REGION,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(servers: LocalServers) -> Settings:
    return make_settings(servers)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
        await stop_sync(application)
        resources = application.state.resources
        await release_database(resources)
    await drop_indexes(resources)


async def drop_indexes(resources: Resources) -> None:
    """Delete the test's search indexes (named after its database)."""
    prefix = f"{resources.settings.mongodb_database}-"
    client = resources.meili
    indexes = await call(lambda: client.get_indexes({"limit": 1000})["results"])
    for index in indexes:
        if index.uid.startswith(prefix):
            await call(lambda uid=index.uid: client.delete_index(uid))


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://jiandu.test") as c:
        yield c


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.counting = False
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        # The sync worker's commands (lease renewals, reads of what changed) run in its own
        # tasks, on their own clock: not the request's.
        if not self.counting:
            return
        task = asyncio.current_task()
        if not (task and task.get_name().startswith("search-sync")):
            self.names.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


COMMANDS = Commands()
monitoring.register(COMMANDS)  # clients made from now on report to it; it counts on demand


@pytest.fixture
async def counted_app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
        await stop_sync(application)
        await release_database(application.state.resources)
    await drop_indexes(application.state.resources)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that needs the servers (through any fixture) ``servers``:
    ``make test-fast`` runs the others, in seconds."""
    for item in items:
        if "servers" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.servers)


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Remembers a failed test body, for fixtures that keep evidence of it (a screenshot)."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report
