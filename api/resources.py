"""The connections a process holds: made once at start-up, closed at shutdown."""

from dataclasses import dataclass, field

import meilisearch
from beanie import init_beanie
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from api.models import DOCUMENT_MODELS
from api.services.budget_import import ensure_reference_codes
from api.services.sheets import SheetLimits
from api.services.warning_rules import ensure_default_rules
from api.settings import ConfigurationError, Settings
from search.client import is_healthy, make_client
from search.known import KnownQuestions, known_questions
from search.word_counts import WordCounts


@dataclass
class Resources:
    settings: Settings
    mongo: AsyncMongoClient  # type: ignore[type-arg]
    db: AsyncDatabase  # type: ignore[type-arg]
    meili: meilisearch.Client
    word_counts: WordCounts = field(default_factory=WordCounts)
    """Library search's word counts, forgotten whenever the sync writes."""
    known_questions: KnownQuestions = field(default_factory=known_questions)
    """The questions whose answers library search raises for a question like them."""

    async def close(self) -> None:
        await self.mongo.close()

    async def readiness(self) -> dict[str, bool]:
        """Whether each server answers now (fast: the clients' short timeouts apply)."""
        try:
            await self.db.command("ping")
            mongodb = True
        except PyMongoError:
            mongodb = False
        return {"mongodb": mongodb, "meilisearch": await is_healthy(self.meili)}


async def connect(settings: Settings) -> Resources:
    """Connect to MongoDB and Meilisearch and bind the Beanie models (creating indexes)."""
    if not settings.mongodb_url:
        raise ConfigurationError("没有设置 MONGODB_URL：`make run` 会在本机启动 MongoDB")
    mongo: AsyncMongoClient = AsyncMongoClient(  # type: ignore[type-arg]
        settings.mongodb_url,
        tz_aware=True,
        serverSelectionTimeoutMS=2000,
        appname="jiandu",
    )
    db = mongo[settings.mongodb_database]
    try:
        await init_beanie(database=db, document_models=DOCUMENT_MODELS)
        await ensure_reference_codes(SheetLimits.of(settings))
        await ensure_default_rules()
    except BaseException:
        await mongo.close()
        raise
    return Resources(settings=settings, mongo=mongo, db=db, meili=make_client(settings))
