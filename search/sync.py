"""The sync worker: keeps the search indexes in step with MongoDB (ARCHITECTURE.md).

It follows one change stream over the searchable collections (``full_document=
"updateLookup"``), turns inserts, updates and replaces into full-document upserts and deletes
into deletes, and stores its resume token in MongoDB only after Meilisearch has confirmed
every task of the batch: at least once, idempotent by document id. Content always comes from
the lookup, so a replayed old event writes the newest content, never older.

Without a usable resume token (first start, or the oplog no longer reaches back to it), it
rebuilds every index from MongoDB into fresh indexes, swaps them in, and follows the stream
from a position taken before the rebuild, so no change made during it is missed.

Every API process may run a worker (and ``jiandu sync`` too): one leads, holding the lease
``search-sync`` (``api.leases``), and the others wait to take over. The leader checks that it
still holds the lease before it swaps or deletes indexes, and its writes of the stream's
position carry the lease's fencing token, so a worker that lost the lease without knowing
(stalled past it) can neither undo a newer leader's rebuild nor move the position back.
``jiandu reindex`` asks the leader for a rebuild (or rebuilds itself when nobody leads).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import meilisearch
from bson import Timestamp
from meilisearch.errors import MeilisearchError
from pymongo.asynchronous.change_stream import AsyncChangeStream
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError
from requests.exceptions import RequestException

from api.leases import Lease, lease_holder
from api.resources import Resources
from search.client import call, quote
from search.indexes import SOURCES, Source

log = logging.getLogger("jiandu.search.sync")

STATE_COLLECTION = "search_sync"
STATE_ID = "state"
LEASE = "search-sync"
REBUILD_CHECK_SECONDS = 1.0
"""How often an idle leader looks whether a rebuild was asked for (``jiandu reindex``)."""
BATCH_SIZE = 500
ADD_CHUNK = 1000
IDLE_TOKEN_SAVE_SECONDS = 30.0
HISTORY_LOST = {260, 280, 286}
"""InvalidResumeToken, ChangeStreamFatalError, ChangeStreamHistoryLost: the stored token
cannot be resumed from."""
DOCUMENT_CHANGES = {"insert", "update", "replace", "delete"}
STREAM_ENDS = {"drop", "dropDatabase", "rename", "invalidate"}

SEARCH_DOWN = (MeilisearchError, RequestException)


class SearchWriteError(RuntimeError):
    """Meilisearch refused a task; the batch is retried."""


class LeaseLost(RuntimeError):
    """This worker no longer leads: it stops before writing anything more."""


async def _still_leading(lease: Lease | None) -> None:
    if lease is not None and not await lease.holds():
        raise LeaseLost(f"the lease {lease.name} (token {lease.token}) is no longer held")


def _pipeline() -> list[dict[str, Any]]:
    return [{"$match": {"ns.coll": {"$in": [source.collection for source in SOURCES]}}}]


def revision(cluster_time: Timestamp) -> int:
    """A number that grows with the cluster time and stays exact in a float (Meilisearch
    stores numbers as float64)."""
    return int(cluster_time.time) * 2**21 + min(int(cluster_time.inc), 2**21 - 1)


def _wait_all(client: meilisearch.Client, task_uids: list[int]) -> None:
    for uid in task_uids:
        task = client.wait_for_task(uid, timeout_in_ms=120_000, interval_in_ms=20)
        if task.status != "succeeded":
            raise SearchWriteError(f"Meilisearch task {uid} {task.status}: {task.error}")


async def run_tasks(client: meilisearch.Client, submit: Callable[[], list[int]]) -> None:
    """Submit Meilisearch tasks and wait until every one has succeeded."""
    await call(lambda: _wait_all(client, submit()))


def _chunks(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass
class Change:
    """The last change of one stored document within a batch."""

    source: Source
    document_id: str
    full_document: Mapping[str, Any] | None


def search_documents(source: Source, raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The search documents of a stored one; a document that cannot be mapped (a bug, not a
    state of the data) is logged and left out, so it cannot stop the sync."""
    try:
        return source.documents(raw)
    except Exception:
        log.exception(
            "cannot map a stored document to search documents",
            extra={"collection": source.collection, "document_id": str(raw.get("_id"))},
        )
        return {}


async def apply_changes(resources: Resources, changes: list[Change], rev: int) -> None:
    """Write one batch to Meilisearch: upserts carry ``rev``; documents of an upserted source
    with an older revision (articles a new version dropped) and of deleted sources go."""
    prefix = resources.settings.mongodb_database
    client = resources.meili

    def submit() -> list[int]:
        tasks: list[int] = []
        for source in SOURCES:
            mine = [c for c in changes if c.source is source]
            upserted = [c for c in mine if c.full_document is not None]
            deleted = [c.document_id for c in mine if c.full_document is None]
            mapped = [search_documents(source, c.full_document) for c in upserted]  # type: ignore[arg-type]
            for index in source.indexes:
                live = client.index(index.uid(prefix))
                documents = [
                    {**doc, "revision": rev} for m in mapped for doc in m.get(index.name, [])
                ]
                for chunk in _chunks(documents, ADD_CHUNK):
                    tasks.append(live.add_documents(chunk, primary_key="id").task_uid)
                if upserted:
                    ids = ", ".join(quote(c.document_id) for c in upserted)
                    tasks.append(
                        live.delete_documents(
                            filter=[f"source_id IN [{ids}]", f"revision < {rev}"]
                        ).task_uid
                    )
                if deleted:
                    ids = ", ".join(quote(i) for i in deleted)
                    tasks.append(live.delete_documents(filter=f"source_id IN [{ids}]").task_uid)
        return tasks

    await run_tasks(client, submit)
    resources.word_counts.forget()


async def ensure_indexes(resources: Resources) -> None:
    """Create missing indexes and apply the settings kept in code."""
    prefix = resources.settings.mongodb_database
    client = resources.meili
    await run_tasks(
        client,
        lambda: [
            client.index(index.uid(prefix)).update_settings(dict(index.settings)).task_uid
            for source in SOURCES
            for index in source.indexes
        ],
    )
    resources.word_counts.forget()


async def rebuild(resources: Resources, lease: Lease | None = None) -> Mapping[str, Any]:
    """Build every index afresh from MongoDB and swap them all in at once; search keeps
    answering from the old indexes meanwhile. Returns the change-stream position taken
    before reading, from which changes made during the rebuild are replayed. With a
    ``lease``, nothing is deleted or swapped once it is lost."""
    async with await resources.db.watch(_pipeline(), full_document="updateLookup") as stream:
        token = stream.resume_token
        while token is None:  # no position in the first answer: ask for the next
            # A change read here is already in what is read below: skipping it loses nothing.
            await stream.try_next()
            token = stream.resume_token
    prefix = resources.settings.mongodb_database
    client = resources.meili
    indexes = {index.name: index for source in SOURCES for index in source.indexes}
    live = {name: index.uid(prefix) for name, index in indexes.items()}
    fresh = {name: f"{uid}-rebuild" for name, uid in live.items()}

    def prepare() -> list[int]:
        tasks = []
        for name, index in indexes.items():
            client.delete_index(fresh[name])  # a leftover of an interrupted rebuild
            for uid in (fresh[name], live[name]):  # creates a missing index
                tasks.append(client.index(uid).update_settings(dict(index.settings)).task_uid)
        return tasks

    await _still_leading(lease)
    await run_tasks(client, prepare)
    for source in SOURCES:  # several sources may fill one index
        await _fill(resources, source, fresh)
    await _still_leading(lease)
    pairs = [{"indexes": [live[name], fresh[name]]} for name in live]
    await run_tasks(client, lambda: [client.swap_indexes(pairs).task_uid])  # type: ignore[arg-type]
    await run_tasks(client, lambda: [client.delete_index(uid).task_uid for uid in fresh.values()])
    resources.word_counts.forget()
    log.info("search indexes rebuilt from MongoDB")
    return token


async def _fill(resources: Resources, source: Source, fresh: dict[str, str]) -> None:
    """Add the search documents of every stored document of ``source`` to the fresh indexes."""
    client = resources.meili
    cursor = resources.db[source.collection].find({})
    while batch := await cursor.to_list(length=ADD_CHUNK):
        mapped = [search_documents(source, raw) for raw in batch]

        def add(mapped: list[dict[str, list[dict[str, Any]]]] = mapped) -> list[int]:
            tasks = []
            for index in source.indexes:
                documents = [{**d, "revision": 0} for m in mapped for d in m.get(index.name, [])]
                target = client.index(fresh[index.name])
                for chunk in _chunks(documents, ADD_CHUNK):
                    tasks.append(target.add_documents(chunk, primary_key="id").task_uid)
            return tasks

        await run_tasks(client, add)


class SyncWorker:
    """Follows the change stream and applies it to Meilisearch until cancelled."""

    def __init__(
        self, resources: Resources, *, batch_wait_ms: int = 200, lease: Lease | None = None
    ) -> None:
        self.resources = resources
        self.batch_wait_ms = batch_wait_ms
        self.lease = lease
        """Held while leading (``run`` takes it); None for a one-off ``follow``."""
        self.leading = False
        self.caught_up_at = 0.0
        """Monotonic time at which the stream was last polled and found empty, with nothing
        left to apply: every change committed before it is in the index."""
        self._progress = asyncio.Condition()

    @property
    def _state(self) -> Any:
        return self.resources.db[STATE_COLLECTION]

    async def run(self) -> None:
        """Run until cancelled: lead when the lease is free, else wait to take it over."""
        lease = self.lease = self.lease or Lease(
            self.resources.db, LEASE, seconds=self.resources.settings.search_sync_lease_seconds
        )
        try:
            while True:
                try:
                    taken = await lease.acquire()
                except PyMongoError as e:
                    log.warning("cannot reach MongoDB to take the sync lease (%s)", e)
                    taken = False
                if not taken:
                    await asyncio.sleep(lease.seconds / 3)
                    continue
                self.leading = True
                log.info("leading the search sync", extra={"holder": lease.holder,
                                                           "token": lease.token})  # fmt: skip
                await self._lead(lease, self._keep_following())
                self.leading = False
        finally:
            if self.leading:
                self.leading = False
                with contextlib.suppress(PyMongoError):
                    await asyncio.shield(lease.release())

    async def _lead(self, lease: Lease, following: Coroutine[Any, Any, None]) -> bool:
        """Follow the stream (``following``) while the lease is renewed; stop as soon as it
        is not. Whether ``following`` came to its end (a one-off rebuild does; following for
        good does not)."""
        work = asyncio.create_task(following, name="search-sync-follow")
        renewed_at = time.monotonic()
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=lease.seconds / 3)
                if work.done():
                    break
                try:
                    if await lease.renew():
                        renewed_at = time.monotonic()
                        continue
                    log.warning("another worker took the sync lease: this one stops leading")
                except PyMongoError as e:
                    if time.monotonic() - renewed_at < lease.seconds * 2 / 3:
                        continue
                    log.warning("cannot renew the sync lease (%s): stops leading", e)
                return False
            return work.exception() is None  # a LeaseLost from the work: it stopped leading
        finally:
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError, LeaseLost):
                await work

    async def _keep_following(self) -> None:
        """Follow the stream for good; recovers from either server going away."""
        backoff = 0.5
        while True:
            try:
                await self.follow()
            except asyncio.CancelledError:
                raise
            except OperationFailure as e:
                if e.code not in HISTORY_LOST:
                    log.warning("change stream failed (%s); retrying", e)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                log.warning(
                    "the stored resume token is no longer in the oplog: resynchronising fully"
                )
                await self._state.update_one(
                    {"_id": STATE_ID}, {"$unset": {"resume_token": ""}}, upsert=True
                )
            except (PyMongoError, *SEARCH_DOWN) as e:
                log.warning("search sync interrupted (%s); retrying", e)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def rebuild_leading(self, lease: Lease) -> None:
        """Rebuild every index once under ``lease`` (taken), renewing it meanwhile: a real
        library's rebuild outlasts the lease (147,000 articles: about a minute against 10 s).
        ``LeaseLost`` when another worker took it over before the rebuild was done."""
        following = self.follow(rebuild_first=True, until_idle=True)
        if not await self._lead(lease, following):
            raise LeaseLost(
                f"重建索引中途失去了搜索同步租约（{lease.name}），已由另一个同步进程接手；"
                "请稍后重新运行 jiandu reindex"
            )

    async def follow(self, *, rebuild_first: bool = False, until_idle: bool = False) -> None:
        """Apply changes from the stored position (rebuilding first when there is none, or
        when asked); with ``until_idle``, return once the stream has nothing more."""
        rebuild_now = rebuild_first
        while await self._follow_stream(rebuild_now, until_idle):
            rebuild_now = True

    async def _follow_stream(self, rebuild_first: bool, until_idle: bool) -> bool:
        """Follow the stream; True when a rebuild is needed: the stream ended on a drop or
        rename (what a collection held is gone or moved, and only a rebuild says what search
        should hold now), or ``jiandu reindex`` asked for one."""
        state = await self._state.find_one({"_id": STATE_ID}) or {}
        token = state.get("resume_token")
        if token is None or rebuild_first:
            asked = state.get("rebuild_requested_at")
            token = await rebuild(self.resources, self.lease)
            await self._save(token, rebuilt=True, asked=asked)
        else:
            await ensure_indexes(self.resources)
        async with await self.resources.db.watch(
            _pipeline(),
            full_document="updateLookup",
            resume_after=token,
            max_await_time_ms=self.batch_wait_ms,
        ) as stream:
            saved_at = checked_at = time.monotonic()
            while True:
                polled_at = time.monotonic()
                batch, ended = await self._next_batch(stream)
                if batch:
                    await self._apply_until_done(batch)
                    await self._save(batch[-1]["_id"])
                    saved_at = time.monotonic()
                if ended:
                    log.warning("a searchable collection was dropped or renamed: rebuilding")
                    return True
                if batch:
                    continue
                async with self._progress:
                    self.caught_up_at = polled_at
                    self._progress.notify_all()
                if until_idle:
                    await self._save(stream.resume_token)
                    return False
                if time.monotonic() - checked_at > REBUILD_CHECK_SECONDS:
                    checked_at = time.monotonic()
                    if await self._rebuild_asked():
                        log.info("a rebuild was asked for (jiandu reindex): rebuilding")
                        await self._save(stream.resume_token)
                        return True
                if time.monotonic() - saved_at > IDLE_TOKEN_SAVE_SECONDS:
                    # Keep the stored position recent, so an idle worker stays in the oplog.
                    await self._save(stream.resume_token)
                    saved_at = time.monotonic()

    async def _next_batch(
        self,
        stream: AsyncChangeStream,  # type: ignore[type-arg]
    ) -> tuple[list[Mapping[str, Any]], bool]:
        """Up to a batch of document changes, and whether the stream ended (drop, rename)."""
        batch: list[Mapping[str, Any]] = []
        while len(batch) < BATCH_SIZE:
            change = await stream.try_next()
            if change is None:
                return batch, False
            if change["operationType"] in DOCUMENT_CHANGES:
                batch.append(change)
            elif change["operationType"] in STREAM_ENDS:
                return batch, True
        return batch, False

    async def _apply_until_done(self, batch: list[Mapping[str, Any]]) -> None:
        by_collection = {source.collection: source for source in SOURCES}
        latest: dict[tuple[str, str], Change] = {}
        for event in batch:
            source = by_collection.get(event.get("ns", {}).get("coll", ""))
            if source is None or "documentKey" not in event:
                continue
            document_id = str(event["documentKey"]["_id"])
            if event["operationType"] == "delete":
                latest[(source.collection, document_id)] = Change(source, document_id, None)
            elif event.get("fullDocument") is not None:
                latest[(source.collection, document_id)] = Change(
                    source, document_id, event["fullDocument"]
                )
            # An update whose document is gone by now: its delete event follows.
        rev = revision(batch[-1]["clusterTime"])
        backoff = 0.5
        while True:
            try:
                await apply_changes(self.resources, list(latest.values()), rev)
                return
            except (*SEARCH_DOWN, SearchWriteError) as e:
                log.warning("Meilisearch did not take a batch of %d (%s); retrying", len(latest), e)
                await self._state.update_one(
                    {"_id": STATE_ID, "pending_since": None},
                    {"$set": {"pending_since": batch[0].get("wallTime") or datetime.now(UTC)}},
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _rebuild_asked(self) -> bool:
        state = await self._state.find_one({"_id": STATE_ID}) or {}
        asked, done = state.get("rebuild_requested_at"), state.get("rebuilt_at")
        return asked is not None and (done is None or done < asked)

    async def _save(
        self, token: Mapping[str, Any] | None, *, rebuilt: bool = False, asked: Any = None
    ) -> None:
        """Store the stream's position; while leading, only with a fencing token no older
        than the last one stored (a worker that lost the lease cannot move it back)."""
        if token is None:
            return
        now = datetime.now(UTC)
        update: dict[str, Any] = {"resume_token": token, "saved_at": now, "pending_since": None}
        if rebuilt:
            # Never before the request it answers, whatever the clocks of the two machines.
            asked = asked.replace(tzinfo=UTC) if asked and asked.tzinfo is None else asked
            update["rebuilt_at"] = max(now, asked) if asked is not None else now
        where: dict[str, Any] = {"_id": STATE_ID}
        if self.lease is not None:
            fence = self.lease.token
            where["$or"] = [{"fence": {"$lte": fence}}, {"fence": {"$exists": False}}]
            update["fence"] = fence
        try:
            await self._state.update_one(where, {"$set": update}, upsert=True)
        except DuplicateKeyError:
            raise LeaseLost("a newer leader has stored the stream's position") from None

    async def wait_caught_up(self) -> None:
        """Wait until every change committed before this call is in the index (bound it
        with ``asyncio.timeout``)."""
        asked_at = time.monotonic()
        async with self._progress:
            await self._progress.wait_for(lambda: self.caught_up_at > asked_at)


async def request_rebuild(resources: Resources, *, wait_seconds: float = 3600) -> str:
    """Rebuild every index: here when no worker leads (under the lease), else by asking the
    leader and waiting until it has. Says which."""
    lease = Lease(resources.db, LEASE, seconds=resources.settings.search_sync_lease_seconds)
    if await lease.acquire():
        try:
            await SyncWorker(resources, lease=lease).rebuild_leading(lease)
        finally:
            await lease.release()
        return "没有正在同步的工作进程，由本命令重建"
    state = resources.db[STATE_COLLECTION]
    asked = datetime.now(UTC)
    await state.update_one(
        {"_id": STATE_ID}, {"$set": {"rebuild_requested_at": asked}}, upsert=True
    )
    async with asyncio.timeout(wait_seconds):
        while True:
            await asyncio.sleep(0.5)
            found = await state.find_one({"_id": STATE_ID}) or {}
            done = found.get("rebuilt_at")
            if done is not None and done.replace(tzinfo=UTC) >= asked:
                holder = await lease_holder(resources.db, LEASE)
                return f"由正在同步的工作进程 {holder['holder'] if holder else ''} 重建"


async def sync_status(resources: Resources) -> dict[str, Any]:
    """How far behind the index is, and who leads, for ``/readyz``."""
    state = await resources.db[STATE_COLLECTION].find_one({"_id": STATE_ID}) or {}
    now = datetime.now(UTC)
    pending_since = state.get("pending_since")
    saved_at = state.get("saved_at")
    leader = await lease_holder(resources.db, LEASE)
    return {
        "lag_seconds": round((now - pending_since).total_seconds(), 1) if pending_since else 0.0,
        "last_saved_at": saved_at.isoformat() if saved_at else None,
        "leader": leader["holder"] if leader else None,
    }
