"""Accounts in GraphQL: sign in and out, ``me``, API tokens, and user management for admins."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.access import Role, visible
from api.models.regulations import Excerpt as ExcerptDocument
from api.models.regulations import FavoriteFolder as FolderDocument
from api.models.suggestions import AWAITING_REPLY
from api.models.users import Token as TokenDocument
from api.models.users import TokenKind
from api.models.users import User as UserDocument
from api.paging import Sort, keyset_page
from api.services import notifications as notification_service
from api.services import suggestions as suggestion_service
from api.services import tokens, users
from api.services.suggestions import SuggestionSort
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import UserError, UserErrors
from schema.library import Excerpt, FavoriteFolder
from schema.nodes import Connection, DocumentNode, document_ids, page_size
from schema.notifications import Notification, NotificationSettings, notification_page
from schema.people import Deputy, Unit
from schema.permissions import roles, signed_in
from schema.suggestions import Suggestion, SuggestionFilter, suggestion_page

graphql_enum(Role, description="The people who use jiandu, by what they do here.")
graphql_enum(TokenKind, description="How a token came to be: a sign-in or a named API token.")


@strawberry.type(description="A signed-in account of a person who uses jiandu.")
class User(DocumentNode):
    __document__ = UserDocument
    __label__ = "用户"

    id: relay.NodeID[str]
    username: str = strawberry.field(description="The name this person signs in with.")
    display_name: str = strawberry.field(description="The name shown to other users.")
    role: Role = strawberry.field(description="What this person does here; decides what they see.")
    active: bool = strawberry.field(description="False when the account is disabled.")
    created_at: datetime = strawberry.field(description="When the account was created.")

    @strawberry.field(description="The deputy profile a DEPUTY account acts for.")
    async def deputy(self, info: Info) -> Deputy | None:
        return await Deputy.load(info, self.document.deputy_id)

    @strawberry.field(description="The unit a HANDLER account works for.")
    async def unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.document.unit_id)


@strawberry.type(description="A bearer token of an account. The token itself is never shown again.")
class ApiToken(DocumentNode):
    __document__ = TokenDocument
    __label__ = "API 令牌"

    id: relay.NodeID[str]
    kind: TokenKind = strawberry.field(description="A sign-in session or a named API token.")
    name: str = strawberry.field(description="What the token is for.")
    prefix: str = strawberry.field(description="The token's first characters, to recognise it.")
    created_at: datetime = strawberry.field(description="When it was issued.")
    expires_at: datetime = strawberry.field(description="When it stops working.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked, if it was.")
    last_used_at: datetime | None = strawberry.field(
        description="When it was last used (to the minute)."
    )


@strawberry.type(description="The signed-in caller.")
class Me:
    user: User = strawberry.field(description="The caller's account.")

    @strawberry.field(
        description="The caller's API tokens, newest first (sign-in sessions excluded)."
    )
    async def api_tokens(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ApiToken]:
        viewer = info.context.viewer
        page = await keyset_page(
            TokenDocument,
            query=visible(
                TokenDocument, viewer, {"user_id": viewer.user_id, "kind": TokenKind.API}
            ),
            sort=Sort("created_at", descending=True),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, ApiToken, TokenDocument)

    @strawberry.field(
        description="What you were told of (steps on records that concern you, deadlines), "
        "newest first."
    )
    async def notifications(
        self,
        info: Info,
        unread_only: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Notification]:
        return await notification_page(info, unread_only, first, after)

    @strawberry.field(description="Where and how your notifications reach you.")
    async def notification_settings(self, info: Info) -> NotificationSettings:
        return NotificationSettings.of(await _current_user(info))

    @strawberry.field(description="How many of your notifications are unread.")
    async def unread_notification_count(self, info: Info) -> int:
        return await notification_service.unread_count(info.context.viewer)

    @strawberry.field(description="The caller's favorite folders, by name.")
    async def favorite_folders(self, info: Info) -> list[FavoriteFolder]:
        loader = info.context.loaders.by_field(FolderDocument, "user_id", sort="name")
        return [
            FavoriteFolder.from_document(d) for d in await loader.load(info.context.viewer.user_id)
        ]

    @strawberry.field(description="The caller's excerpts, newest first.")
    async def excerpts(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Excerpt]:
        viewer = info.context.viewer
        page = await keyset_page(
            ExcerptDocument,
            query=visible(ExcerptDocument, viewer),
            sort=Sort("created_at", descending=True),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, Excerpt, ExcerptDocument)

    @strawberry.field(description="Suggestions you filed or co-signed (deputies).")
    async def suggestions(
        self,
        info: Info,
        filter: SuggestionFilter | None = None,
        sort: SuggestionSort = SuggestionSort.NEWEST,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Suggestion]:
        return await suggestion_page(
            info,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
            scope=suggestion_service.own(info.context.viewer),
        )

    @strawberry.field(
        description="Suggestions you follow: your own and co-signed ones, and those you chose "
        "to follow."
    )
    async def followed(
        self,
        info: Info,
        filter: SuggestionFilter | None = None,
        sort: SuggestionSort = SuggestionSort.RECENTLY_UPDATED,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Suggestion]:
        return await suggestion_page(
            info,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
            scope=suggestion_service.followed(info.context.viewer),
        )

    @strawberry.field(
        description="What changed since you last looked: followed suggestions whose loop moved "
        "after `since`, most recent first. Ask each for `timeline(since:)` to see the steps."
    )
    async def updates_since(
        self, info: Info, since: datetime, first: int | None = None, after: str | None = None
    ) -> Connection[Suggestion]:
        viewer = info.context.viewer
        return await suggestion_page(
            info,
            filter=None,
            sort=SuggestionSort.RECENTLY_UPDATED,
            first=first,
            after=after,
            scope={"$and": [suggestion_service.followed(viewer), {"updated_at": {"$gt": since}}]},
        )

    @strawberry.field(
        description="Your unit's queue (handlers): suggestions assigned to it awaiting a reply, "
        "nearest deadline first, so overdue ones lead."
    )
    async def unit_queue(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Suggestion]:
        viewer = info.context.viewer
        return await suggestion_page(
            info,
            filter=None,
            sort=SuggestionSort.DEADLINE,
            first=first,
            after=after,
            scope={
                "unit_ids": viewer.unit_id if viewer.unit_id else {"$in": []},
                "state": {"$in": list(AWAITING_REPLY)},
            },
        )


@strawberry.input(description="Which users to list.")
class UserFilter:
    role: Role | None = strawberry.field(default=None, description="Only users with this role.")
    active: bool | None = strawberry.field(
        default=None, description="Only active or disabled ones."
    )


async def _current_user(info: Info) -> UserDocument:
    viewer = info.context.viewer
    return await users.get_visible_user(user_id=viewer.user_id, viewer=viewer)


async def _target_user(info: Info, id: strawberry.ID) -> UserDocument:
    return await users.get_visible_user(user_id=User.document_id(id), viewer=info.context.viewer)


@strawberry.type
class UserQuery:
    @strawberry.field(description="The signed-in caller, or null for an anonymous one.")
    async def me(self, info: Info) -> Me | None:
        user_id = info.context.viewer.user_id
        if user_id is None:
            return None
        document = await info.context.loaders.by_id(UserDocument).load(user_id)
        return Me(user=User.from_document(document)) if document else None

    @strawberry.field(
        description="Accounts, ordered by username.", extensions=[roles(Role.ADMIN, Role.STAFF)]
    )
    async def users(
        self,
        info: Info,
        filter: UserFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[User]:
        conditions: dict[str, Any] = {}
        if filter and filter.role is not None:
            conditions["role"] = filter.role
        if filter and filter.active is not None:
            conditions["active"] = filter.active
        page = await keyset_page(
            UserDocument,
            query=visible(UserDocument, info.context.viewer, conditions),
            sort=Sort("username"),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, User, UserDocument)


# --- mutations: one input, a payload with errors ---------------------------------------


@strawberry.input(description="Credentials to sign in with.")
class LoginInput:
    username: str = strawberry.field(description="The account's username.")
    password: str = strawberry.field(description="The account's password.")


@strawberry.type(description="A new sign-in session, or why there is none.")
class LoginPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Bearer token for the `Authorization: Bearer …` header. Shown only now.",
    )
    expires_at: datetime | None = strawberry.field(default=None, description="When it expires.")
    user: User | None = strawberry.field(default=None, description="The signed-in account.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="Whether the session ended.")
class LogoutPayload:
    revoked: bool = strawberry.field(default=False, description="True when the token was revoked.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="A new API token for scripts.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What the token is for, 1 to 100 characters.")
    expires_in_days: int = strawberry.field(
        default=90, description="Days until it expires, at most the configured maximum."
    )


@strawberry.type(description="A new API token, or why there is none.")
class CreateApiTokenPayload:
    token: str | None = strawberry.field(
        default=None, description="The token itself. Shown only now: store it safely."
    )
    api_token: ApiToken | None = strawberry.field(default=None, description="The token's record.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="The token to revoke.")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The token's id.")


@strawberry.type(description="The revoked token, or why it was not revoked.")
class RevokeApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(default=None, description="The revoked token.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="A new account.")
class CreateUserInput:
    username: str = strawberry.field(description="2-48 characters: a-z, 0-9, '.', '_', '-'.")
    display_name: str = strawberry.field(description="The name shown to others.")
    role: Role = strawberry.field(description="Any role but PUBLIC (the anonymous one).")
    password: str = strawberry.field(description="Initial password, 8 to 256 characters.")


@strawberry.input(description="Changes to an account; omitted fields stay as they are.")
class UpdateUserInput:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    display_name: str | None = strawberry.field(default=None, description="New display name.")
    role: Role | None = strawberry.field(default=None, description="New role; ends its sessions.")
    active: bool | None = strawberry.field(
        default=None,
        description="False disables the account and revokes all its tokens (sessions and API "
        "tokens); enabling it again revives none.",
    )


@strawberry.input(description="Which deputy profile or unit an account acts for.")
class LinkUserInput:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    deputy_id: strawberry.ID | None = strawberry.field(
        default=None, description="For a DEPUTY account: their deputy profile (null unlinks)."
    )
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="For a HANDLER account: the unit they work for (null unlinks)."
    )


@strawberry.input(description="A new password set by an admin.")
class ResetPasswordInput:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    new_password: str = strawberry.field(
        description="8 to 256 characters. Revokes all its tokens (sessions and API tokens)."
    )


@strawberry.input(description="The caller's own password change.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password now in use.")
    new_password: str = strawberry.field(description="8 to 256 characters.")


@strawberry.type(description="The account after the change, or why it did not change.")
class UserPayload:
    user: User | None = strawberry.field(default=None, description="The account.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class UserMutation:
    @strawberry.mutation(
        description="Sign in with a username and password; returns a bearer token. An unknown "
        "user, a wrong password and a disabled account get the same INVALID_CREDENTIALS. "
        "After too many failures on one account from one address, or from one address in "
        "all, attempts from there are refused with RATE_LIMITED for a while (settings "
        "`sign_in_*`).",
        extensions=[UserErrors()],
    )
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        secret, token, user = await tokens.login(
            username=input.username,
            password=input.password,
            settings=info.context.settings,
            address=info.context.client_address,
        )
        return LoginPayload(
            token=secret, expires_at=token.expires_at, user=User.from_document(user)
        )

    @strawberry.mutation(
        description="End the session (or revoke the API token) this request was made with.",
        extensions=[signed_in(), UserErrors()],
    )
    async def logout(self, info: Info) -> LogoutPayload:
        viewer = info.context.viewer
        await tokens.revoke(token_id=viewer.token_id, viewer=viewer)
        return LogoutPayload(revoked=True)

    @strawberry.mutation(
        description="Create an API token for the caller's own scripts.",
        extensions=[signed_in(), UserErrors()],
    )
    async def create_api_token(
        self, info: Info, input: CreateApiTokenInput
    ) -> CreateApiTokenPayload:
        secret, token = await tokens.create_api_token(
            user=await _current_user(info),
            name=input.name,
            expires_in_days=input.expires_in_days,
            settings=info.context.settings,
        )
        return CreateApiTokenPayload(token=secret, api_token=ApiToken.from_document(token))

    @strawberry.mutation(
        description="Revoke a token: one's own, or any for an admin. Revoking twice is harmless.",
        extensions=[signed_in(), UserErrors()],
    )
    async def revoke_api_token(
        self, info: Info, input: RevokeApiTokenInput
    ) -> RevokeApiTokenPayload:
        token = await tokens.revoke(
            token_id=ApiToken.document_id(input.id), viewer=info.context.viewer
        )
        return RevokeApiTokenPayload(api_token=ApiToken.from_document(token))

    @strawberry.mutation(
        description="Change one's own password; every other token of the account (sessions "
        "and API tokens) is revoked. A wrong current password counts as a failed sign-in "
        "(RATE_LIMITED after too many).",
        extensions=[signed_in(), UserErrors()],
    )
    async def change_password(self, info: Info, input: ChangePasswordInput) -> UserPayload:
        user = await _current_user(info)
        await users.change_own_password(
            user=user,
            current_password=input.current_password,
            new_password=input.new_password,
            token_id=info.context.viewer.token_id,
            settings=info.context.settings,
            address=info.context.client_address,
        )
        return UserPayload(user=User.from_document(user))

    @strawberry.mutation(
        description="Create an account.", extensions=[roles(Role.ADMIN), UserErrors()]
    )
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        user = await users.create_user(
            username=input.username,
            display_name=input.display_name,
            role=input.role,
            password=input.password,
        )
        return UserPayload(user=User.from_document(user))

    @strawberry.mutation(
        description="Change an account's name, role or status.",
        extensions=[roles(Role.ADMIN), UserErrors()],
    )
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserPayload:
        user = await users.update_user(
            user=await _target_user(info, input.id),
            actor=info.context.viewer,
            display_name=input.display_name,
            role=input.role,
            active=input.active,
        )
        return UserPayload(user=User.from_document(user))

    @strawberry.mutation(
        description="Link an account to the deputy profile or unit it acts for.",
        extensions=[roles(Role.ADMIN), UserErrors()],
    )
    async def link_user(self, info: Info, input: LinkUserInput) -> UserPayload:
        deputy = document_ids([input.deputy_id] if input.deputy_id else [], Deputy, "deputyId")
        unit = document_ids([input.unit_id] if input.unit_id else [], Unit, "unitId")
        user = await users.link_user(
            user=await _target_user(info, input.id),
            deputy_id=deputy[0] if deputy else None,
            unit_id=unit[0] if unit else None,
        )
        return UserPayload(user=User.from_document(user))

    @strawberry.mutation(
        description="Set a new password for an account.",
        extensions=[roles(Role.ADMIN), UserErrors()],
    )
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> UserPayload:
        user = await _target_user(info, input.id)
        await users.set_password(user=user, password=input.new_password, field="newPassword")
        return UserPayload(user=User.from_document(user))
