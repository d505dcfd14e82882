"""The people and bodies suggestions move between: congress sessions, deputies and the
government units that handle suggestions. Who they are is public record; every role reads
them."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

import pymongo
from beanie import Document, Indexed, PydanticObjectId
from pydantic import Field

from api.access import Viewer
from api.models.regulations import Level
from api.models.users import utcnow


class CongressSession(Document):
    """One meeting of a people's congress (届次/会次), e.g. the third meeting of the 18th
    congress. Suggestions are numbered within it."""

    name: Annotated[str, Indexed(unique=True)]
    """e.g. 青岚县第十八届人民代表大会第三次会议."""
    term: int
    """届: 18 for the 18th congress."""
    meeting: int
    """次: 3 for its third meeting."""
    opened_on: date
    closed_on: date
    created_at: datetime = Field(default_factory=utcnow)
    tallied: bool = False
    """Its suggestions are counted in the tallies (``SuggestionTally``): true for a session
    created by a jiandu that keeps them, and after ``jiandu suggestions tallies rebuild``;
    until then its statistics are counted from the suggestions themselves."""

    class Settings:
        name = "congress_sessions"
        indexes = [pymongo.IndexModel([("term", 1), ("meeting", 1)], unique=True)]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return {}


class Deputy(Document):
    """A deputy of a people's congress (人大代表), as on the roll of deputies."""

    name: str
    delegation: str
    """代表团, e.g. 石门镇代表团."""
    level: Level
    """The congress they sit in: county, township …"""
    constituency: str
    """选区, or the electing body."""
    term: int
    """The congress term (届) they were elected to."""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "deputies"
        indexes = [
            pymongo.IndexModel([("term", 1), ("name", 1)]),
            pymongo.IndexModel([("delegation", 1), ("name", 1)]),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return {}


class Unit(Document):
    """A government unit that handles suggestions (承办单位), under its parent if it has one."""

    name: Annotated[str, Indexed(unique=True)]
    parent_id: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "units"
        indexes = [pymongo.IndexModel([("parent_id", 1), ("name", 1)])]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return {}
