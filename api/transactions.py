"""Multi-document transactions (the replica set makes them available everywhere we run)."""

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from beanie import Document
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import OperationFailure, PyMongoError

from api.errors import DomainError, ErrorCode
from api.language import say

T = TypeVar("T")
TRIES = 10
"""Attempts of a transaction that met another's write, each after a random wait of up to
10, 20, 40, 80, 160, then 320 ms (1.6 s at most in all): the jitter keeps clients that
collided once from colliding again in step."""


def is_transient(error: BaseException) -> bool:
    """A transaction that met another's write and may simply be tried again."""
    return isinstance(error, PyMongoError) and error.has_error_label("TransientTransactionError")


def busy() -> DomainError:
    """The answer when a write kept meeting others' and gave up: nothing was written."""
    return DomainError(
        ErrorCode.CONFLICT,
        say(
            "同时修改这些数据的人太多，本次操作未生效：请稍后重试",
            "Too many people are changing the same records at once; nothing was changed: "
            "try again in a moment",
        ),
    )


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
            if not is_transient(e):
                raise
            if attempt == TRIES - 1:
                raise busy() from e
            await asyncio.sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 5)))
    raise AssertionError("unreachable: the last attempt returns or raises")
