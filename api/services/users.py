"""Accounts: create, change, and check passwords. Keyword-only, one function per operation."""

import re
from typing import Any

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer, get_visible
from api.errors import DomainError, ErrorCode, required_text
from api.language import say
from api.models.users import Token, TokenKind, User, utcnow
from api.services import attempts, passwords
from api.settings import Settings

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,47}$")
DISPLAY_NAME_MAX = 100


def _check_username(username: str) -> None:
    if not USERNAME.fullmatch(username):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "用户名为 2 到 48 个字符：小写字母、数字、“.”“_”或“-”，以字母或数字开头",
                'A username has 2 to 48 characters: lower-case letters, digits, ".", "_" or "-", '
                "starting with a letter or a digit",
            ),
            field="username",
        )


def _check_display_name(display_name: str) -> str:
    return required_text(
        display_name,
        field="displayName",
        max_length=DISPLAY_NAME_MAX,
        what=say("显示名称", "display name"),
    )


def _check_role(role: Role) -> None:
    if role is Role.PUBLIC:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "PUBLIC 是未登录访问者的角色，不能授予账号",
                "PUBLIC is the role of visitors who are not signed in: it cannot be given to "
                "an account",
            ),
            field="role",
        )


def check_password_policy(password: str, *, field: str = "password") -> None:
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"密码应为 {passwords.MIN_LENGTH} 到 {passwords.MAX_LENGTH} 个字符",
                f"The password must be {passwords.MIN_LENGTH} to {passwords.MAX_LENGTH} "
                "characters long",
            ),
            field=field,
        )


async def create_user(
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    enforce_policy: bool = True,
    **links: Any,
) -> User:
    """Create an account. ``enforce_policy=False`` is for the demo accounts only."""
    _check_username(username)
    _check_role(role)
    name = _check_display_name(display_name)
    if enforce_policy:
        check_password_policy(password)
    user = User(
        username=username,
        display_name=name,
        role=role,
        password_hash=await passwords.hash_password(password),
        **links,
    )
    try:
        await user.insert()
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(f"用户名“{username}”已被占用", f'The username "{username}" is taken'),
            field="username",
        ) from None
    return user


async def get_visible_user(*, user_id: Any, viewer: Viewer) -> User:
    return await get_visible(  # type: ignore[no-any-return]
        User, object_id=user_id, viewer=viewer, what=say("账号", "account")
    )


async def find_by_username(username: str) -> User:
    user = await User.find_one({"username": username})
    if user is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(f"没有用户名为“{username}”的账号", f'No account has the username "{username}"'),
            field="username",
        )
    return user


async def update_user(
    *,
    user: User,
    actor: Viewer,
    display_name: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
) -> User:
    """Change an account. An admin cannot demote or disable themselves (no lock-out)."""
    changes: dict[str, Any] = {}
    if display_name is not None:
        changes["display_name"] = _check_display_name(display_name)
    if role is not None:
        _check_role(role)
        if user.id == actor.user_id and role is not user.role:
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say("不能修改自己的角色", "You cannot change your own role"),
                field="role",
            )
        changes["role"] = role
    if active is not None:
        if user.id == actor.user_id and not active:
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say("不能停用自己的账号", "You cannot disable your own account"),
                field="active",
            )
        changes["active"] = active
    if not changes:
        return user
    changes["updated_at"] = utcnow()
    await user.set(changes)
    if changes.get("active") is False:
        # Disabling ends every token for good: re-enabling the account revives none of them.
        await revoke_tokens(user=user, kinds=ALL_TOKENS)
    elif "role" in changes:
        await revoke_tokens(user=user, kinds=(TokenKind.SESSION,))
    return user


async def link_user(*, user: User, deputy_id: ObjectId | None, unit_id: ObjectId | None) -> User:
    """Link a deputy's account to their deputy profile, a handler's (or finance's) to their
    unit (None unlinks). What they may see and do in the loops follows the link."""
    from api.models.people import Deputy, Unit
    from api.services.people import existing

    if deputy_id is not None:
        if user.role is not Role.DEPUTY:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    "只有 DEPUTY（代表）账号可以关联代表",
                    "Only a DEPUTY account can be linked to a deputy",
                ),
                field="deputyId",
            )
        await existing(Deputy, [deputy_id], field="deputyId", what=say("代表", "deputy"))
    if unit_id is not None:
        if user.role not in (Role.HANDLER, Role.FINANCE):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    "只有 HANDLER（承办单位）或 FINANCE（财政部门）账号可以关联单位",
                    "Only a HANDLER or FINANCE account can be linked to a unit",
                ),
                field="unitId",
            )
        await existing(Unit, [unit_id], field="unitId", what=say("单位", "unit"))
    await user.set({"deputy_id": deputy_id, "unit_id": unit_id, "updated_at": utcnow()})
    return user


async def set_password(
    *,
    user: User,
    password: str,
    field: str = "password",
    keep_token_id: Any = None,
) -> None:
    """Replace a password and revoke every token of the account, sign-in sessions and API
    tokens alike: whoever knew the old password may have made one.

    ``keep_token_id`` spares the token of a user who changes their own password with it.
    """
    check_password_policy(password, field=field)
    await user.set(
        {"password_hash": await passwords.hash_password(password), "updated_at": utcnow()}
    )
    await revoke_tokens(user=user, kinds=ALL_TOKENS, keep_token_id=keep_token_id)


async def change_own_password(
    *,
    user: User,
    current_password: str,
    new_password: str,
    token_id: Any,
    settings: Settings,
    address: str,
) -> None:
    """Change one's own password, checking the current one under the same attempt limit as
    sign-in (a wrong one counts as a failed sign-in from ``address``)."""
    attempt = await attempts.begin(username=user.username, address=address, settings=settings)
    if len(current_password) > passwords.MAX_LENGTH or not await passwords.verify_password(
        user.password_hash, current_password
    ):
        raise DomainError(
            ErrorCode.INVALID_CREDENTIALS,
            say("当前密码不正确", "The current password is not correct"),
            field="currentPassword",
        )
    await attempt.passed()
    await set_password(
        user=user, password=new_password, field="newPassword", keep_token_id=token_id
    )


ALL_TOKENS = (TokenKind.SESSION, TokenKind.API)


async def revoke_tokens(
    *, user: User, kinds: tuple[TokenKind, ...], keep_token_id: Any = None
) -> None:
    """Revoke the account's tokens of these kinds (but ``keep_token_id``)."""
    await Token.find(
        {
            "user_id": user.id,
            "kind": {"$in": [str(k) for k in kinds]},
            "revoked_at": None,
            "_id": {"$ne": keep_token_id},
        }
    ).update_many({"$set": {"revoked_at": utcnow()}})
