"""The search index follows MongoDB through restarts of Meilisearch and of the sync worker,
after losing its position, and through a reindex; compared by content, not counts."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app, stop_sync
from api.devservers.local import LocalServers, free_port, local_meilisearch
from api.leases import COLLECTION as LEASES
from api.models.regulations import Level, Regulation, RegulationKind
from api.resources import Resources
from api.services.regulation_import import ImportDefaults, Outcome, import_paths
from api.services.regulations import (
    RegulationDraft,
    create_regulation,
    delete_regulation,
    update_regulation,
)
from search.client import call
from search.indexes import SOURCES
from search.sync import LEASE, STATE_COLLECTION, LeaseLost, SyncWorker, request_rebuild
from seed.demo import load_library
from tests.conftest import ROOT, drop_indexes, make_settings, release_database
from tests.factories import gql, search, synced

LONG_LIBRARY = 240
"""Documents of 40 articles of some 90 characters: their rebuild outlasts a lease of a second
several times, even on a machine a few times faster than a shared one (and the index holds
fewer than the 10,000 documents ``index_content`` reads)."""
LEASE_SECONDS = 1


def draft(title: str) -> RegulationDraft:
    return RegulationDraft(title=title, kind=RegulationKind.POLICY, level=Level.COUNTY)


async def index_content(resources: Resources) -> dict[str, dict[str, dict[str, Any]]]:
    """Every document of every index, without the revision the sync stamps on it."""
    prefix = resources.settings.mongodb_database
    content: dict[str, dict[str, dict[str, Any]]] = {}
    for source in SOURCES:
        for index in source.indexes:
            uid = index.uid(prefix)
            found = await call(
                lambda uid=uid: resources.meili.index(uid).get_documents({"limit": 10_000})
            )
            content[index.name] = {
                doc["id"]: {k: v for k, v in doc.items() if k != "revision"}
                for doc in (dict(d) for d in found.results)
            }
    return content


async def expected_content(resources: Resources) -> dict[str, dict[str, dict[str, Any]]]:
    """What the indexes must hold: the mapping of every document MongoDB holds now."""
    content: dict[str, dict[str, dict[str, Any]]] = {
        index.name: {} for source in SOURCES for index in source.indexes
    }
    for source in SOURCES:  # several sources may fill one index
        async for raw in resources.db[source.collection].find({}):
            for name, documents in source.documents(raw).items():
                content[name].update({d["id"]: d for d in documents})
    return content


async def assert_index_matches_mongodb(resources: Resources) -> None:
    assert await index_content(resources) == await expected_content(resources)


async def test_reindex_swaps_in_fresh_indexes_while_search_keeps_answering(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await load_library()
    await synced(app)
    resources: Resources = app.state.resources
    before = (await search(client, "预算"))["totalCount"]

    totals: list[int] = []

    async def keep_searching() -> None:
        while True:
            totals.append((await search(client, "预算"))["totalCount"])
            await asyncio.sleep(0.01)

    searching = asyncio.create_task(keep_searching())
    # the app's worker leads: `jiandu reindex` asks it, and waits until it has rebuilt
    done = await asyncio.wait_for(request_rebuild(resources), timeout=60)
    searching.cancel()
    assert done.startswith("由正在同步的工作进程"), done
    assert totals and all(total == before for total in totals), "search never went empty"
    await synced(app)
    await assert_index_matches_mongodb(resources)


async def test_the_index_follows_creates_edits_new_versions_and_deletes(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    first = await create_regulation(draft=draft("青岚县甲办法"), text="第一条 旧的甲条文。")
    doomed = await create_regulation(draft=draft("青岚县乙办法"), text="第一条 乙条文。")
    await synced(app)
    await update_regulation(
        regulation=first, draft=draft("青岚县甲办法"), text="第一条 新的丙条文。"
    )
    await delete_regulation(regulation=doomed)
    await synced(app)
    old = await search(client, "旧的甲条文")
    passages = [a["passage"]["text"] for e in old["edges"] for a in e["node"]["articles"]]
    assert passages == ["新的丙条文。"], "the document is found by 甲, only with its new text"
    assert (await search(client, "新的丙条文"))["totalCount"] == 1
    gone = await search(client, "乙条文")
    assert "青岚县乙办法" not in [e["node"]["regulation"]["title"] for e in gone["edges"]]
    await assert_index_matches_mongodb(app.state.resources)


async def test_nothing_is_lost_when_the_worker_stops_or_loses_its_position(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    kept = await create_regulation(draft=draft("青岚县甲办法"), text="第一条 甲。")
    doomed = await create_regulation(draft=draft("青岚县乙办法"), text="第一条 乙。")
    await synced(app)
    await stop_sync(app)  # the worker dies; writes go on
    await update_regulation(regulation=kept, draft=draft("青岚县甲办法"), text="第一条 改过的甲。")
    await delete_regulation(regulation=doomed)
    await create_regulation(draft=draft("青岚县丙办法"), text="第一条 丙。")

    restarted = SyncWorker(app.state.resources)
    await restarted.follow(until_idle=True)  # resumes from the stored position
    await assert_index_matches_mongodb(app.state.resources)

    await create_regulation(draft=draft("青岚县丁办法"), text="第一条 丁。")
    await app.state.resources.db[STATE_COLLECTION].delete_many({})  # the position is gone
    await SyncWorker(app.state.resources).follow(until_idle=True)  # rebuilds fully
    await assert_index_matches_mongodb(app.state.resources)
    assert (await search(client, "改过的甲"))["totalCount"] == 1


@pytest.fixture
async def own_meilisearch(
    servers: LocalServers, tmp_path: Path
) -> AsyncIterator[tuple[Starlette, Any]]:
    """An app on a Meilisearch of its own, which the test may stop and start again."""
    port, key = free_port(), "a-test-key-of-enough-length"

    def start() -> Any:
        running = local_meilisearch(tmp_path, bin_dir=ROOT / ".jiandu" / "bin", port=port,
                                    master_key=key)  # fmt: skip
        running.__enter__()
        return running

    meili = [await asyncio.to_thread(start)]
    settings = make_settings(servers, MEILI_URL=f"http://127.0.0.1:{port}", MEILI_MASTER_KEY=key)
    application = create_app(settings)
    async with application.router.lifespan_context(application):

        async def restart(stop: bool) -> None:
            if stop:
                await asyncio.to_thread(meili.pop().__exit__, None, None, None)
            else:
                meili.append(await asyncio.to_thread(start))

        yield application, restart
        await stop_sync(application)
        await release_database(application.state.resources)
    if meili:
        await drop_indexes(application.state.resources)
        await asyncio.to_thread(meili.pop().__exit__, None, None, None)


async def test_writes_go_on_while_meilisearch_is_down_and_search_catches_up(
    own_meilisearch: tuple[Starlette, Any],
) -> None:
    app, restart = own_meilisearch
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        kept = await create_regulation(draft=draft("青岚县甲办法"), text="第一条 甲。")
        doomed = await create_regulation(draft=draft("青岚县乙办法"), text="第一条 乙。")
        await synced(app)
        await restart(stop=True)

        await update_regulation(regulation=kept, draft=draft("青岚县甲办法"), text="第一条 改。")
        await delete_regulation(regulation=doomed)
        await create_regulation(draft=draft("青岚县丙办法"), text="第一条 丙。")
        assert await Regulation.count() == 2, "writes succeed without search"

        async with asyncio.timeout(2):  # a clear error within 2 s, not a hang
            down = await gql(client, '{ searchRegulations(query: "甲") { totalCount } }')
        assert down["errors"][0]["extensions"]["code"] == "SEARCH_UNAVAILABLE"
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["meilisearch"] == "unreachable"
        other = await gql(client, '{ enumLabels(names: ["Level"]) { name } }')
        assert "errors" not in other, "the rest of the API is unaffected"

        await restart(stop=False)
        await synced(app)
        await assert_index_matches_mongodb(app.state.resources)
        assert (await search(client, "改"))["totalCount"] == 1


@pytest.fixture
async def leaderless(servers: LocalServers, tmp_path: Path) -> AsyncIterator[Resources]:
    """An app with no sync worker of its own and a sync lease of a second, over a library
    whose rebuild outlasts that lease several times."""
    settings = make_settings(servers, search_sync_in_process=False,
                             search_sync_lease_seconds=LEASE_SECONDS)  # fmt: skip
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        resources: Resources = application.state.resources
        try:
            for n in range(LONG_LIBRARY):
                clause = f"青岚县第{n}号办法规定预算、审计和代表建议的办理。"
                articles = "\n\n".join(f"第{a}条 {clause * 4}" for a in range(1, 41))
                (tmp_path / f"{n}.md").write_text(f"# 青岚县第{n}号办法\n\n{articles}\n")
            defaults = ImportDefaults(kind=RegulationKind.LOCAL_REGULATION, level=Level.COUNTY)
            imported = await import_paths([tmp_path], defaults)
            assert all(r.outcome is not Outcome.FAILED for r in imported), imported
            yield resources
        finally:
            await release_database(resources)
    await drop_indexes(resources)


async def test_a_rebuild_that_outlasts_the_lease_renews_it_and_finishes(
    leaderless: Resources,
) -> None:
    """``jiandu reindex`` with no worker leading rebuilds under the sync lease itself; a real
    library takes longer than the lease (147,000 articles: a minute against 10 s), so the
    lease is renewed meanwhile, as a leader renews it (it lapsed, and the rebuild failed)."""
    started = asyncio.get_running_loop().time()
    done = await asyncio.wait_for(request_rebuild(leaderless), timeout=120)
    took = asyncio.get_running_loop().time() - started
    assert done == "没有正在同步的工作进程，由本命令重建"
    assert took > 2 * LEASE_SECONDS, f"the rebuild took {took:.1f} s: not past the lease"
    await assert_index_matches_mongodb(leaderless)


async def test_a_rebuild_whose_lease_is_taken_over_stops_and_says_so(
    leaderless: Resources,
) -> None:
    """Another worker taking the lease over mid-rebuild (as one does when it lapses) stops
    the rebuild, which says so in Chinese, and leaves the lease to its new holder."""
    rebuilding = asyncio.create_task(request_rebuild(leaderless))
    await asyncio.sleep(LEASE_SECONDS / 2)
    assert not rebuilding.done(), "the rebuild ended before the lease could be taken over"
    leases = leaderless.db[LEASES]
    taken = await leases.update_one(
        {"_id": LEASE},
        [{"$set": {"holder": "another-worker", "token": {"$add": ["$token", 1]},
                   "expires_at": {"$add": ["$$NOW", 60_000]}}}],
    )  # fmt: skip
    assert taken.matched_count == 1
    with pytest.raises(LeaseLost, match="重建索引中途失去了搜索同步租约") as lost:
        await asyncio.wait_for(rebuilding, timeout=60)
    assert "jiandu reindex" in str(lost.value)
    held = await leases.find_one({"_id": LEASE})
    assert held is not None and held["holder"] == "another-worker"
