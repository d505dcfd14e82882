"""Multi-document transactions (the replica set makes them available everywhere we run)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from beanie import Document
from pymongo.asynchronous.client_session import AsyncClientSession


@asynccontextmanager
async def transaction(model: type[Document]) -> AsyncIterator[AsyncClientSession]:
    """A session whose writes all commit together when the block ends, or none do."""
    client = model.get_pymongo_collection().database.client
    async with client.start_session() as session:
        async with await session.start_transaction():
            yield session
