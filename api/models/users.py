"""Accounts and the tokens that authenticate them."""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import pymongo
from beanie import Document, Indexed, PydanticObjectId
from pydantic import Field

from api.access import NOTHING, Role, Viewer
from api.labels import LabeledEnum


def utcnow() -> datetime:
    return datetime.now(UTC)


def midnight(day: date) -> datetime:
    """A date as stored in MongoDB."""
    return datetime.combine(day, time())


class User(Document):
    """A person who signs in. Anonymous callers have no account (role ``PUBLIC``)."""

    username: Annotated[str, Indexed(unique=True)]
    display_name: str
    role: Role
    password_hash: str | None = None
    deputy_id: PydanticObjectId | None = None
    """The deputy profile this account acts for (role ``DEPUTY``)."""
    unit_id: PydanticObjectId | None = None
    """The handling unit this account works for (role ``HANDLER``)."""
    active: bool = True
    email: str | None = None
    """Where e-mail notifications go (none without it)."""
    channels_by_kind: dict[str, list[str]] = Field(default_factory=dict)
    """The channels besides the in-app list by which each kind of notification reaches this
    person (``NotificationKind`` → ``Channel`` values); a kind not named goes by e-mail."""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "users"
        indexes = [
            pymongo.IndexModel([("role", 1), ("username", 1)]),
            pymongo.IndexModel([("active", 1), ("username", 1)]),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Staff and admins see every account; everyone else only their own."""
        if viewer.has_role(Role.ADMIN, Role.STAFF):
            return {}
        if viewer.user_id is not None:
            return {"_id": viewer.user_id}
        return NOTHING


class TokenKind(LabeledEnum):
    """How a token came to be."""

    SESSION = "SESSION", "登录会话"
    API = "API", "接口令牌"


class Token(Document):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user_id: PydanticObjectId
    kind: TokenKind
    name: str
    token_hash: Annotated[str, Indexed(unique=True)]
    prefix: str
    """The first characters of the token, enough to recognise it in a list."""
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    class Settings:
        name = "tokens"
        indexes = [
            pymongo.IndexModel([("user_id", 1), ("kind", 1), ("created_at", -1), ("_id", -1)]),
            # Purge tokens 30 days after they expire; until then an expired token is reported
            # as expired rather than unknown.
            pymongo.IndexModel([("expires_at", 1)], expireAfterSeconds=30 * 24 * 3600),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Admins see every token; a user sees their own."""
        if viewer.has_role(Role.ADMIN):
            return {}
        if viewer.user_id is not None:
            return {"user_id": viewer.user_id}
        return NOTHING


class SignInFailure(Document):
    """A password attempt (sign-in or password change), counted against its account-and-
    address pair and its address until it expires. It is written before the password is
    checked; a success or a refused attempt removes it, so what stays are the failures
    (see ``api.services.attempts``)."""

    key: str
    """``account:<username>|<ip>`` or ``address:<ip>``."""
    at: datetime = Field(default_factory=utcnow)
    expires_at: datetime

    class Settings:
        name = "sign_in_failures"
        indexes = [
            pymongo.IndexModel([("key", 1), ("at", 1)]),
            pymongo.IndexModel([("expires_at", 1)], expireAfterSeconds=0),
        ]
