"""Surviving failures without losing data: MongoDB stopped and started again, the sync
worker's process killed in the middle of a batch, and fifty clients driving conflicting
steps of the suggestion loop at once. (Meilisearch stopped while writes go on is in
``test_search_sync.py``.)"""

import asyncio
import contextlib
import os
import random
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.devservers.local import LocalServers, free_port, local_mongodb
from api.leases import Lease, lease_holder
from api.models.regulations import Level, Regulation, RegulationKind
from api.models.suggestions import Suggestion
from api.resources import Resources
from api.services.regulation_import import ImportDefaults, Outcome, import_paths
from api.services.regulations import create_regulation, delete_regulation, update_regulation
from api.services.suggestion_loop import LOOP
from search.client import call
from search.indexes import REGULATION_ARTICLES
from search.sync import (
    LEASE,
    STATE_COLLECTION,
    STATE_ID,
    LeaseLost,
    SyncWorker,
    rebuild,
    request_rebuild,
)
from seed.generated import write_corpus
from tests.conftest import ROOT, drop_indexes, make_settings, release_database
from tests.factories import eventually, gql, signed_in, suggestion_world
from tests.suggestion_calls import call as mutate
from tests.suggestion_calls import document_id, draft, ok, read
from tests.test_search_sync import assert_index_matches_mongodb
from tests.test_search_sync import draft as regulation_draft

ME = "{ me { user { username } } }"
COUNT = "{ suggestions(first: 1) { totalCount } }"


@pytest.fixture
async def own_mongodb(
    servers: LocalServers, tmp_path: Path
) -> AsyncIterator[tuple[Starlette, Callable[[bool], Any]]]:
    """An app on a MongoDB of its own, which the test may stop and start again."""
    port = free_port()
    running: list[Any] = []

    def start() -> None:
        mongo = local_mongodb(tmp_path, port=port)
        mongo.__enter__()
        running.append(mongo)

    def stop() -> None:
        running.pop().__exit__(None, None, None)

    await asyncio.to_thread(start)
    settings = make_settings(
        servers, MONGODB_URL=f"mongodb://127.0.0.1:{port}/?directConnection=true"
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):

        async def restart(up: bool) -> None:
            await asyncio.to_thread(start if up else stop)

        yield application, restart
        if running:
            await release_database(application.state.resources)
    await drop_indexes(application.state.resources)
    while running:
        await asyncio.to_thread(stop)


async def test_mongodb_stopped_gives_503_and_clear_errors_and_recovers_by_itself(
    own_mongodb: tuple[Starlette, Callable[[bool], Any]],
) -> None:
    app, restart = own_mongodb
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        token = await signed_in(client, "wang")
        await restart(False)

        async with asyncio.timeout(3):  # each answers within the server selection timeout
            ready = await client.get("/readyz")
        async with asyncio.timeout(3):
            signed = await client.post("/graphql", json={"query": ME},
                                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        async with asyncio.timeout(3):
            anonymous = await gql(client, COUNT)
        assert ready.status_code == 503 and ready.json()["checks"]["mongodb"] == "unreachable"
        assert signed.status_code == 503, "the token cannot be checked"
        assert signed.json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
        assert anonymous["data"] is None
        (error,) = anonymous["errors"]
        assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
        assert "数据库暂时无法访问" in error["message"]
        assert await gql(client, "{ __typename }") == {"data": {"__typename": "Query"}}

        await restart(True)

        async def ready() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await eventually(ready, seconds=60)  # no restart of jiandu: it reconnects by itself
        me = await gql(client, ME, token=token)
        assert me["data"]["me"]["user"]["username"] == "wang", "the session survived"
        assert (await gql(client, COUNT))["data"]["suggestions"]["totalCount"] == 0


@pytest.fixture
async def resources(servers: LocalServers) -> AsyncIterator[Resources]:
    """An app's connections, with no sync worker in the app: the test runs its own."""
    application = create_app(make_settings(servers, search_sync_in_process=False))
    async with application.router.lifespan_context(application):
        yield application.state.resources
        await release_database(application.state.resources)
    await drop_indexes(application.state.resources)


async def test_the_sync_process_killed_mid_batch_loses_and_duplicates_nothing(
    resources: Resources, tmp_path: Path
) -> None:
    await asyncio.to_thread(write_corpus, tmp_path, documents=120, articles=40)
    defaults = ImportDefaults(kind=RegulationKind.NORMATIVE_DOCUMENT, level=Level.COUNTY)
    imported = await import_paths([tmp_path], defaults)
    assert all(r.outcome is Outcome.IMPORTED for r in imported)
    await SyncWorker(resources).follow(until_idle=True)  # the stream's position is stored

    # Edits that the worker must carry to the index in batches: new texts and deletions.
    regulations = await Regulation.find_all().sort("_id").to_list()
    for n, regulation in enumerate(regulations[:60]):
        await update_regulation(regulation=regulation, draft=regulation_draft(regulation.title),
                                text=f"第一条 第{n}号改过的条文。")  # fmt: skip
    for regulation in regulations[60:80]:
        await delete_regulation(regulation=regulation)

    settings = resources.settings
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url,
           "MEILI_URL": settings.meili_url, "MEILI_MASTER_KEY": settings.meili_master_key,
           "JIANDU_MONGODB_DATABASE": settings.mongodb_database, "JIANDU_ENV": "test"}  # fmt: skip
    worker = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "jiandu"), "sync", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    uids = [REGULATION_ARTICLES.uid(settings.mongodb_database)]
    try:  # until a batch is being written to Meilisearch
        await eventually(lambda: _busy(resources, uids), seconds=60, every=0.02)
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    assert worker.returncode == -signal.SIGKILL

    await SyncWorker(resources).follow(until_idle=True)  # a new worker, from the stored position
    await assert_index_matches_mongodb(resources)


async def _busy(resources: Resources, uids: list[str]) -> bool:
    """Whether Meilisearch is writing documents of these indexes (a batch not yet done)."""
    tasks = await call(lambda: resources.meili.get_tasks(
        {"indexUids": uids, "statuses": ["enqueued", "processing"],
         "types": ["documentAdditionOrUpdate", "documentDeletion"]}))  # fmt: skip
    return bool(tasks.results)


async def test_fifty_clients_driving_conflicting_steps_leave_legal_states_and_timelines(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    t, ids = world.tokens, world.ids
    suggestions = [
        (await ok(client, "createSuggestion",
                  draft(world, submit=True, title=f"关于第{n}件事的建议"), t["deputy"]))["id"]
        for n in range(5)
    ]  # fmt: skip
    moves: list[tuple[str, str, dict[str, Any]]] = [
        ("registerSuggestion", "staff", {}),
        ("rejectSuggestion", "staff", {"reason": "重复"}),
        ("assignSuggestion", "staff", {"leadUnitId": ids["roads"], "coUnitIds": []}),
        ("returnSuggestion", "lead_unit", {"reason": "不属于本单位职责"}),
        ("acceptSuggestion", "lead_unit", {}),
        ("replyToSuggestion", "lead_unit", {"text": "已列入计划。", "resultClass": "B"}),
        ("evaluateSuggestion", "deputy", {"satisfaction": "UNSATISFIED"}),
        ("rehandleSuggestion", "staff", {}),
        ("closeSuggestion", "staff", {}),
    ]
    outcomes: list[str] = []

    async def one_client(n: int) -> None:
        rng = random.Random(n)
        for _ in range(6):
            name, who, values = rng.choice(moves)
            payload = await mutate(client, name, {"id": rng.choice(suggestions), **values}, t[who])
            outcomes.append(payload["errors"][0]["code"] if payload["errors"] else "OK")

    started = time.monotonic()
    await asyncio.gather(*(one_client(n) for n in range(50)))
    assert time.monotonic() - started < 120
    assert len(outcomes) == 300 and "OK" in outcomes
    # Taken, or refused: a conflict with the state, or a unit no longer (or not yet) the
    # suggestion's (it may not see it, or may not act on it).
    assert set(outcomes) <= {"OK", "CONFLICT", "NOT_FOUND", "FORBIDDEN"}, set(outcomes)
    assert outcomes.count("CONFLICT") > 0

    steps = LOOP.steps
    for sid in suggestions:
        body = await gql(client, f'{{ suggestion(id: "{sid}") {{ state '
                                 "timeline { action fromState toState } } }",
                         token=t["staff"])  # fmt: skip
        found = body["data"]["suggestion"]
        state, before = found["state"], None
        for event in found["timeline"]:
            assert event["fromState"] == before, found["timeline"]
            step = steps.get(event["action"])
            if step is not None:  # not the creation
                assert event["fromState"] in step.sources, event
                assert event["toState"] == (step.target or event["fromState"]), event
            before = event["toState"]
        assert before == state, "the timeline ends in the state"


async def test_a_step_that_keeps_meeting_another_write_is_a_conflict_and_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    """Another transaction holds the suggestion for longer than the step's retries last:
    the step is refused as CONFLICT (never a 500), and taken once the other is done."""
    world = await suggestion_world(client)
    t = world.tokens
    created = await ok(client, "createSuggestion", draft(world, submit=True), t["deputy"])
    collection = Suggestion.get_pymongo_collection()
    async with collection.database.client.start_session() as session:
        await session.start_transaction()
        await collection.update_one(
            {"_id": document_id(created["id"])}, {"$set": {"held": True}}, session=session
        )
        started = time.monotonic()
        payload = await mutate(client, "rejectSuggestion", {"id": created["id"], "reason": "重复"},
                               t["staff"])  # fmt: skip
        waited = time.monotonic() - started
        await session.abort_transaction()
    assert payload["suggestion"] is None
    (error,) = payload["errors"]
    assert error["code"] == "CONFLICT" and "稍后重试" in error["message"], error
    assert waited < 10, "the retries give up within seconds"
    unchanged = await read(client, created["id"], t["staff"])
    assert unchanged is not None and unchanged["state"] == "SUBMITTED"
    taken = await ok(client, "rejectSuggestion", {"id": created["id"], "reason": "重复"},
                     t["staff"])  # fmt: skip
    assert taken["state"] == "NOT_REGISTERED"


async def _held_by(resources: Resources, pid: int) -> bool:
    holder = await lease_holder(resources.db, LEASE)
    return holder is not None and f":{pid}:" in holder["holder"]


async def test_one_sync_worker_leads_and_a_killed_leader_is_replaced_within_its_lease(
    resources: Resources,
) -> None:
    settings = resources.settings
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url,
           "MEILI_URL": settings.meili_url, "MEILI_MASTER_KEY": settings.meili_master_key,
           "JIANDU_MONGODB_DATABASE": settings.mongodb_database, "JIANDU_ENV": "test",
           "JIANDU_SEARCH_SYNC_LEASE_SECONDS": "2"}  # fmt: skip
    leader = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "jiandu"), "sync", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    standby = SyncWorker(resources, lease=Lease(resources.db, LEASE, seconds=2))
    try:
        await eventually(lambda: _held_by(resources, leader.pid), seconds=60)
        waiting = asyncio.create_task(standby.run())
        await asyncio.sleep(3)  # more than a lease: the leader renews, the other waits
        assert await _held_by(resources, leader.pid) and not standby.leading
        await create_regulation(draft=regulation_draft("领导者在时写入的文件"),
                                text="第一条 由第一个工作者同步。")  # fmt: skip
    finally:
        leader.send_signal(signal.SIGKILL)  # no chance to give the lease up
        await leader.wait()
    killed = time.monotonic()

    async def leading() -> bool:
        return standby.leading

    await eventually(leading, seconds=10, every=0.05)
    assert time.monotonic() - killed < 2 + 2 / 3 + 1  # the lease, one wait, some slack
    holder = await lease_holder(resources.db, LEASE)
    assert holder is not None and holder["token"] == 2, holder
    await create_regulation(draft=regulation_draft("接手后写入的文件"),
                            text="第一条 由接手的工作者同步。")  # fmt: skip
    await asyncio.wait_for(standby.wait_caught_up(), timeout=30)
    await assert_index_matches_mongodb(resources)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    assert await lease_holder(resources.db, LEASE) is None, "a clean stop gives the lease up"


async def test_a_worker_that_lost_its_lease_writes_nothing_more(resources: Resources) -> None:
    # A lease far longer than the first rebuild takes on a busy machine (1 s and 3 s were not,
    # once each in CI); the stall past it is then made short on purpose.
    old, other = (Lease(resources.db, LEASE, seconds=60) for _ in range(2))
    assert await old.acquire() and old.token == 1
    assert not await other.acquire(), "one holder at a time"
    assert await old.acquire() and old.token == 1, "taking it again renews it"
    stale = SyncWorker(resources, lease=old)
    await stale.follow(until_idle=True)  # leads: rebuilds and stores the stream's position
    old.seconds = 0.3
    assert await old.renew()
    await asyncio.sleep(0.6)  # then stalls past its lease, and another takes it over
    assert await other.acquire() and other.token == 2
    assert not await old.renew() and not await old.holds()
    await SyncWorker(resources, lease=other).follow(until_idle=True)
    kept = await resources.db[STATE_COLLECTION].find_one({"_id": STATE_ID})
    with pytest.raises(LeaseLost):
        await stale._save({"_data": "an older position"})
    with pytest.raises(LeaseLost):
        await rebuild(resources, old)  # deletes and swaps nothing
    state = await resources.db[STATE_COLLECTION].find_one({"_id": STATE_ID})
    assert state is not None and kept is not None
    assert (state["fence"], state["resume_token"]) == (2, kept["resume_token"])
    await assert_index_matches_mongodb(resources)


async def test_api_worker_processes_share_one_sync_leader_and_one_killed_mid_rebuild_is_replaced(
    resources: Resources, tmp_path: Path
) -> None:
    """``jiandu serve`` with two worker processes, each running the sync worker: one leads;
    killed with SIGKILL while it rebuilds the index, the other takes over, rebuilds, and the
    index ends as MongoDB is; uvicorn starts a new worker and the API keeps answering."""
    await asyncio.to_thread(write_corpus, tmp_path, documents=120, articles=40)
    defaults = ImportDefaults(kind=RegulationKind.NORMATIVE_DOCUMENT, level=Level.COUNTY)
    assert all(r.outcome is Outcome.IMPORTED for r in await import_paths([tmp_path], defaults))
    settings = resources.settings
    port = free_port()
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url,
           "MEILI_URL": settings.meili_url, "MEILI_MASTER_KEY": settings.meili_master_key,
           "JIANDU_MONGODB_DATABASE": settings.mongodb_database, "JIANDU_ENV": "test",
           "JIANDU_PORT": str(port), "JIANDU_WORKERS": "2",
           "JIANDU_SEARCH_SYNC_LEASE_SECONDS": "2"}  # fmt: skip
    server = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "jiandu"), "serve", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=5) as http:

            async def ready() -> bool:
                with contextlib.suppress(httpx.TransportError):
                    return (await http.get("/readyz")).status_code == 200
                return False

            await eventually(ready, seconds=60)
            workers = _children(server.pid)
            assert len(workers) == 2, workers
            await eventually(lambda: _held_by_one_of(resources, workers), seconds=30)
            first = await lease_holder(resources.db, LEASE)
            assert first is not None
            leader = next(pid for pid in workers if f":{pid}:" in first["holder"])

            asked = asyncio.create_task(request_rebuild(resources, wait_seconds=120))
            uid = REGULATION_ARTICLES.uid(settings.mongodb_database)
            try:  # until the leader writes the fresh index
                await eventually(lambda: _busy(resources, [f"{uid}-rebuild"]), seconds=60,
                                 every=0.02)  # fmt: skip
            finally:
                os.kill(leader, signal.SIGKILL)
            assert "重建" in await asyncio.wait_for(asked, timeout=120)

            second = await lease_holder(resources.db, LEASE)
            assert second is not None and second["token"] > first["token"], (first, second)
            assert f":{leader}:" not in second["holder"]
            await assert_index_matches_mongodb(resources)
            await eventually(lambda: _two_workers_again(server.pid, leader), seconds=30)
            answered = await http.post("/graphql", json={"query": "{ __typename }"})
            assert answered.json() == {"data": {"__typename": "Query"}}
    finally:
        server.terminate()
        await server.wait()


def _children(pid: int) -> list[int]:
    """The worker processes uvicorn started for ``pid`` (not multiprocessing's helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                worker = b"spawn_main" in (entry / "cmdline").read_bytes()
                if worker and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


async def _held_by_one_of(resources: Resources, pids: list[int]) -> bool:
    return any([await _held_by(resources, pid) for pid in pids])


async def _two_workers_again(pid: int, killed: int) -> bool:
    return len([p for p in _children(pid) if p != killed]) == 2
