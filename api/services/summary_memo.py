"""Answers read from a summary (the budget roll-ups, the suggestion tallies), kept in each API
process and given again while the summary cannot have changed.

Each summary has a stamp: a document of ``summary_stamps`` named after its collection, given
a new ``ObjectId`` by every write of the summary, in the write's transaction or after it
(``renew``). A reader reads the stamp before the summary, so what it keeps under a stamp is at
least as new as that stamp. An answer is kept under the stamp, the collection and the whole
pipeline (which names the loads, the viewer's access and the month it is for), so it is given
again only to the very same question of the very same summary; another process's write
renews the stamp that every process reads. The first read of a summary never stamped (one
written by a jiandu before stamps) gives it its first stamp.
"""

from collections import OrderedDict
from typing import Any

import bson
from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

STAMPS = "summary_stamps"
ROWS_KEPT = 50_000
"""Rows of answers kept per process (a few tens of megabytes at most), the least recently
used answers given up first."""


class Kept:
    """Answers by key, the least recently used given up first beyond ``limit`` rows."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.answers: OrderedDict[bytes, list[dict[str, Any]]] = OrderedDict()
        self.rows = 0

    def get(self, key: bytes) -> list[dict[str, Any]] | None:
        found = self.answers.get(key)
        if found is not None:
            self.answers.move_to_end(key)
        return found

    def put(self, key: bytes, answer: list[dict[str, Any]]) -> None:
        if key not in self.answers:
            self.answers[key] = answer
            self.rows += len(answer)
        while self.rows > self.limit and self.answers:
            self.rows -= len(self.answers.popitem(last=False)[1])


_kept = Kept(ROWS_KEPT)


async def renew(summary: AsyncCollection[Any], session: AsyncClientSession | None = None) -> None:
    """The summary has changed: no answer kept before is given again, in any process."""
    await summary.database[STAMPS].update_one(
        {"_id": summary.name}, {"$set": {"stamp": ObjectId()}}, upsert=True, session=session
    )


async def rows(
    summary: AsyncCollection[Any], pipeline: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows of ``pipeline`` run on ``summary``: kept ones while its stamp is the same.
    They are shared between callers: read them, never change them."""
    stamps = summary.database[STAMPS]
    stamp = await stamps.find_one({"_id": summary.name}) or await stamps.find_one_and_update(
        {"_id": summary.name}, {"$setOnInsert": {"stamp": ObjectId()}}, upsert=True,
        return_document=ReturnDocument.AFTER,
    )  # fmt: skip
    assert stamp is not None, "upserted"
    key = bson.encode({"stamp": stamp["stamp"], "summary": summary.full_name, "pipeline": pipeline})
    if (found := _kept.get(key)) is not None:
        return found
    found = await (await summary.aggregate(pipeline)).to_list()
    _kept.put(key, found)
    return found
