"""Multi-document transactions (the replica set makes them available everywhere we run)."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from beanie import Document
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import OperationFailure

T = TypeVar("T")
TRIES = 6
"""Attempts of a transaction that met another's write (waiting 10, 20 … 160 ms)."""


@asynccontextmanager
async def transaction(model: type[Document]) -> AsyncIterator[AsyncClientSession]:
    """A session whose writes all commit together when the block ends, or none do."""
    client = model.get_pymongo_collection().database.client
    async with client.start_session() as session:
        async with await session.start_transaction():
            yield session


async def retried(model: type[Document], work: Callable[[AsyncClientSession], Awaitable[T]]) -> T:
    """``work`` in a transaction of its own, tried again when another transaction wrote the
    same documents first and has not committed yet (MongoDB's TransientTransactionError);
    tried again once it has, ``work`` sees what that one wrote."""
    for attempt in range(TRIES):
        try:
            async with transaction(model) as session:
                return await work(session)
        except OperationFailure as e:
            if not e.has_error_label("TransientTransactionError") or attempt == TRIES - 1:
                raise
            await asyncio.sleep(0.01 * 2**attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")
