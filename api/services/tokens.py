"""Signing in and out, API tokens for scripts, and turning a bearer token into a viewer."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from api.access import Viewer, visible
from api.errors import AuthenticationError, DomainError, ErrorCode, required_text
from api.language import say
from api.models.users import Token, TokenKind, User, utcnow
from api.services import attempts, passwords
from api.settings import Settings

TOKEN_PREFIX = "jd_"
TOKEN_NAME_MAX = 100
LAST_USED_GRANULARITY = timedelta(minutes=1)


def wrong_credentials() -> str:
    """The one answer to an unknown user, a wrong password and a disabled account."""
    return say(
        "用户名或密码错误，或账号已停用",
        "Wrong username or password, or the account is disabled",
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _issue(
    *, user: User, kind: TokenKind, name: str, lifetime: timedelta
) -> tuple[str, Token]:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = Token(
        user_id=user.id,  # type: ignore[arg-type]
        kind=kind,
        name=name,
        token_hash=_digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        created_at=now,
        expires_at=now + lifetime,
    )
    await token.insert()
    return secret, token


async def login(
    *, username: str, password: str, settings: Settings, address: str = ""
) -> tuple[str, Token, User]:
    """Check the password and open a session. An unknown user, a wrong password and a
    disabled account (whatever the password) get the same answer. Too many failures on one
    account from one ``address``, or from one ``address`` in all, within the window refuse
    further attempts (RATE_LIMITED) until it passes (see ``api.services.attempts``)."""
    username = username.strip().lower()  # usernames are lower-case; forgive the shift key
    if len(password) > passwords.MAX_LENGTH or len(username) > 100:
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, wrong_credentials())
    attempt = await attempts.begin(username=username, address=address, settings=settings)
    user = await User.find_one({"username": username})
    ok = await passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        # A disabled account's right password counts as a failure too: no oracle.
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, wrong_credentials())
    await attempt.passed()
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        await user.set({"password_hash": await passwords.hash_password(password)})
    secret, token = await _issue(
        user=user,
        kind=TokenKind.SESSION,
        name="sign-in",
        lifetime=timedelta(hours=settings.session_hours),
    )
    return secret, token, user


async def create_api_token(
    *, user: User, name: str, expires_in_days: int, settings: Settings
) -> tuple[str, Token]:
    """A named token for scripts, shown once, valid for at most ``api_token_max_days``."""
    name = required_text(
        name, field="name", max_length=TOKEN_NAME_MAX, what=say("令牌名称", "token name")
    )
    if not 1 <= expires_in_days <= settings.api_token_max_days:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"令牌有效期为 1 至 {settings.api_token_max_days} 天",
                f"A token is valid for 1 to {settings.api_token_max_days} days",
            ),
            field="expiresInDays",
        )
    return await _issue(
        user=user, kind=TokenKind.API, name=name, lifetime=timedelta(days=expires_in_days)
    )


async def revoke(*, token_id: Any, viewer: Viewer) -> Token:
    """Revoke a token the viewer may see (their own; any, for an admin). Idempotent."""
    token = await Token.find_one(visible(Token, viewer, {"_id": token_id}))
    if token is None:
        raise DomainError(ErrorCode.NOT_FOUND, say("没有这个令牌", "No such token"), field="id")
    if token.revoked_at is None:
        await token.set({"revoked_at": utcnow()})
    return token


async def authenticate(secret: str) -> Viewer:
    """The viewer a bearer token stands for, or an ``AuthenticationError`` saying why not."""
    # The token and its account in one round trip: every request of the API makes it.
    cursor = await Token.get_pymongo_collection().aggregate([
        {"$match": {"token_hash": _digest(secret)}},
        {"$limit": 1},
        {"$lookup": {"from": User.get_collection_name(), "localField": "user_id",
                     "foreignField": "_id", "as": "user"}},
    ])  # fmt: skip
    found = await cursor.to_list()
    if not found:
        raise AuthenticationError("INVALID_TOKEN", say("令牌无效", "The token is not valid"))
    accounts = found[0].pop("user")
    token = Token.model_validate(found[0])
    now = utcnow()
    if token.revoked_at is not None:
        raise AuthenticationError("TOKEN_REVOKED", say("令牌已吊销", "The token has been revoked"))
    if token.expires_at <= now:
        raise AuthenticationError("TOKEN_EXPIRED", say("令牌已过期", "The token has expired"))
    user = User.model_validate(accounts[0]) if accounts else None
    if user is None or not user.active:
        raise AuthenticationError(
            "ACCOUNT_DISABLED", say("此令牌的账号已停用", "The account of this token is disabled")
        )
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        await token.set({"last_used_at": now})
    return Viewer(
        role=user.role,
        user_id=user.id,
        token_id=token.id,
        unit_id=user.unit_id,
        deputy_id=user.deputy_id,
        name=user.display_name,
    )
