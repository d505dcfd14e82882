"""Leases in MongoDB: one holder at a time for work that must run once however many API
replicas run (the search sync worker).

A holder takes a lease when it is free or has lapsed, renews it while it works, and loses it
when it stops renewing (a process killed outright): another takes it over once ``seconds``
have passed. Every taking raises the lease's fencing ``token``; a holder checks that it
still holds its token before anything a newer holder must not have undone (swapping search
indexes), and writes that carry the token are refused once a newer one has written. Times
are MongoDB's own clock (``$$NOW``), so replicas whose clocks differ agree."""

import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "leases"


def holder_name() -> str:
    """Who holds a lease: this host and process, and a random part (a restarted process with
    the same pid is another holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Lease:
    db: AsyncDatabase[Any]
    name: str
    seconds: float
    holder: str = field(default_factory=holder_name)
    token: int = 0
    """The fencing token of the current holding; 0 before it is first taken."""

    @property
    def _leases(self) -> Any:
        return self.db[COLLECTION]

    def _until(self) -> dict[str, Any]:
        return {"$add": ["$$NOW", int(self.seconds * 1000)]}

    async def acquire(self) -> bool:
        """Take the lease if it is free, lapsed or already this holder's (then it is renewed
        and keeps its token): one atomic update that leaves a holding of another as it is."""
        mine = {"$eq": ["$holder", self.holder]}
        free = {"$or": [mine, {"$lt": ["$expires_at", "$$NOW"]}]}  # (missing: lapsed)
        taken = {"$add": [{"$ifNull": ["$token", 0]}, 1]}
        found = await self._leases.find_one_and_update(
            {"_id": self.name},
            [
                {
                    "$set": {
                        "token": {"$cond": [free, {"$cond": [mine, "$token", taken]}, "$token"]},
                        "taken_at": {
                            "$cond": [free, {"$cond": [mine, "$taken_at", "$$NOW"]}, "$taken_at"]
                        },
                        "expires_at": {"$cond": [free, self._until(), "$expires_at"]},
                        "holder": {"$cond": [free, self.holder, "$holder"]},
                    }
                }
            ],
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        if found["holder"] != self.holder:
            return False
        self.token = int(found["token"])
        return True

    async def renew(self) -> bool:
        """Extend the holding; False when it was lost (lapsed and taken by another)."""
        renewed = await self._leases.update_one(
            {"_id": self.name, "holder": self.holder, "token": self.token},
            [{"$set": {"expires_at": self._until()}}],
        )
        return renewed.matched_count == 1

    async def holds(self) -> bool:
        """Whether this holder still holds the lease, unlapsed, with its token."""
        found = await self._leases.find_one(
            {
                "_id": self.name,
                "holder": self.holder,
                "token": self.token,
                "$expr": {"$gt": ["$expires_at", "$$NOW"]},
            }
        )
        return found is not None

    async def release(self) -> None:
        """Give the lease up at once (a clean stop), for another to take without waiting."""
        await self._leases.update_one(
            {"_id": self.name, "holder": self.holder, "token": self.token},
            [{"$set": {"expires_at": "$$NOW"}}],
        )


async def lease_holder(db: AsyncDatabase[Any], name: str) -> dict[str, Any] | None:
    """Who holds a lease now (holder, token, since when), or None when nobody does."""
    found = await db[COLLECTION].find_one({"_id": name, "$expr": {"$gt": ["$expires_at", "$$NOW"]}})
    if found is None:
        return None
    return {"holder": found["holder"], "token": found["token"], "taken_at": found["taken_at"]}
