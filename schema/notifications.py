"""Notifications in GraphQL: each person's own (``Me.notifications``,
``Me.unreadNotificationCount``), ``markNotificationsRead``, and the ``notifications``
subscription (graphql-transport-ws on ``/graphql``)."""

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry import relay

from api.access import Role
from api.language import say
from api.models.notifications import Channel, DeliveryState, NotificationKind
from api.models.notifications import Notification as NotificationDocument
from api.models.users import User as UserDocument
from api.paging import Sort, keyset_page
from api.services import notifications
from api.services.delivery import taken_by
from schema.complaints import FundComplaint
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import ClientError, UserError, UserErrors
from schema.livelihood import LivelihoodProject
from schema.nodes import Connection, DocumentNode, document_ids, page_size
from schema.permissions import roles, signed_in
from schema.rectification import AuditFinding, BudgetWarning, Opinion
from schema.suggestions import Suggestion
from schema.work_evaluation import WorkEvaluation

graphql_enum(NotificationKind, description="Why a person is told.")
graphql_enum(Channel, description="How notifications reach a person besides the in-app list.")
graphql_enum(DeliveryState, description="Where a notification's e-mail stands.")

RECORDS: dict[str, type[DocumentNode]] = {
    node.__name__: node
    for node in (
        Suggestion,
        Opinion,
        AuditFinding,
        BudgetWarning,
        LivelihoodProject,
        WorkEvaluation,
        FundComplaint,
    )
}


@strawberry.type(
    description="Something you are told of: a step on a record that concerns you, or a deadline."
)
class Notification(DocumentNode):
    __document__ = NotificationDocument
    __label__ = "通知"

    id: relay.NodeID[str]
    kind: NotificationKind = strawberry.field(description="Why you are told.")
    title: str = strawberry.field(description="The record's title when it happened.")
    message: str = strawberry.field(description="What happened, in a sentence.")
    created_at: datetime = strawberry.field(description="When it happened.")
    read_at: datetime | None = strawberry.field(
        description="When you marked it read; null while unread."
    )

    @strawberry.field(
        description="The record it is about (a Suggestion, Opinion, AuditFinding, "
        "BudgetWarning, LivelihoodProject, WorkEvaluation or FundComplaint); null when you may "
        "no longer read it."
    )
    async def record(self, info: Info) -> relay.Node | None:
        node = RECORDS[self.document.record_type]
        return await node.load(info, self.document.record_id)


async def notification_page(
    info: Info, unread_only: bool, first: int | None, after: str | None
) -> Connection[Notification]:
    """The caller's notifications, newest first."""
    found = await keyset_page(
        NotificationDocument,
        query=notifications.own(info.context.viewer, unread_only=unread_only),
        sort=Sort("created_at", descending=True),
        first=page_size(info, first),
        after=after,
    )
    return Connection.from_page(found, Notification, NotificationDocument)


@strawberry.type(description="How one kind of notification reaches you besides the in-app list.")
class NotificationPreference:
    kind: NotificationKind = strawberry.field(description="The kind.")
    channels: list[Channel] = strawberry.field(description="Its channels; empty: in-app only.")


@strawberry.type(description="Where and how your notifications reach you.")
class NotificationSettings:
    email: str | None = strawberry.field(description="Where e-mail goes; null: no e-mail.")
    preferences: list[NotificationPreference] = strawberry.field(
        description="Every kind, with its channels (e-mail by default)."
    )

    @classmethod
    def of(cls, user: UserDocument) -> "NotificationSettings":
        return cls(
            email=user.email,
            preferences=[
                NotificationPreference(
                    kind=kind,
                    channels=[Channel(c) for c in taken_by(user, str(kind))],  # type: ignore[call-arg]
                )
                for kind in NotificationKind
            ],
        )


@strawberry.input(description="The channels of one kind of notification.")
class NotificationPreferenceInput:
    kind: NotificationKind = strawberry.field(description="The kind.")
    channels: list[Channel] = strawberry.field(description="Its channels; empty: in-app only.")


@strawberry.input(description="Where and how your notifications reach you; what is left out stays.")
class SetNotificationPreferencesInput:
    email: str | None = strawberry.field(
        default=None, description="Where e-mail goes (at most 254 characters); empty: no e-mail."
    )
    preferences: list[NotificationPreferenceInput] | None = strawberry.field(
        default=None, description="Kinds whose channels change."
    )


@strawberry.type(description="Your notification settings as saved, or why they were not.")
class NotificationSettingsPayload:
    settings: NotificationSettings | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(
    description="A notification whose e-mail or gateway message was given up on after every retry."
)
class DeliveryFailure:
    notification_id: strawberry.ID = strawberry.field(description="The notification.")
    channel: Channel = strawberry.field(description="The channel that failed.")
    title: str = strawberry.field(description="Its record's title.")
    message: str = strawberry.field(description="What it said.")
    recipient: str = strawberry.field(description="Whom it was for (their display name).")
    address: str = strawberry.field(description="The address it was sent to.")
    attempts: int = strawberry.field(description="How many times it was tried.")
    error: str = strawberry.field(description="Why the last try failed.")
    created_at: datetime = strawberry.field(description="When the notification was written.")


@strawberry.type
class NotificationQuery:
    @strawberry.field(
        description="Notifications whose e-mail was given up on (dead letters), newest first "
        "(staff and admins): reach the person another way, or have their address fixed.",
        extensions=[roles(Role.STAFF, Role.ADMIN)],
    )
    async def delivery_failures(
        self, info: Info, first: int | None = None
    ) -> list[DeliveryFailure]:
        found = await notifications.delivery_failures(page_size(info, first))
        return [
            DeliveryFailure(
                notification_id=strawberry.ID(str(relay.GlobalID("Notification", str(n.id)))),
                channel=Channel(channel),  # type: ignore[call-arg]
                title=n.title,
                message=n.message,
                recipient=user.display_name if user else "",
                address=delivery.address,
                attempts=delivery.attempts,
                error=delivery.error,
                created_at=n.created_at,
            )
            for n, user in found
            for channel, delivery in n.deliveries.items()
            if delivery.state is DeliveryState.FAILED
        ]


@strawberry.input(description="Which of your notifications to mark read.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="These (at most 500; others' ids change nothing); null marks all of yours.",
    )


@strawberry.type(description="How many notifications were marked read, or why not.")
class MarkNotificationsReadPayload:
    marked: int = strawberry.field(default=0, description="How many were unread until now.")
    unread_count: int = strawberry.field(default=0, description="How many remain unread.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Set where your e-mail goes and which kinds of notification come by which "
        "channel (the in-app list always holds them all).",
        extensions=[signed_in(), UserErrors()],
    )
    async def set_notification_preferences(
        self, info: Info, input: SetNotificationPreferencesInput
    ) -> NotificationSettingsPayload:
        chosen = {str(p.kind): [str(c) for c in p.channels] for p in input.preferences or []}
        user = await notifications.set_preferences(
            info.context.viewer, email=input.email, channels=chosen
        )
        return NotificationSettingsPayload(settings=NotificationSettings.of(user))

    @strawberry.mutation(
        description="Mark notifications of yours read.", extensions=[signed_in(), UserErrors()]
    )
    async def mark_notifications_read(
        self, info: Info, input: MarkNotificationsReadInput
    ) -> MarkNotificationsReadPayload:
        viewer = info.context.viewer
        ids = None if input.ids is None else document_ids(input.ids, Notification, "ids")
        marked = await notifications.mark_read(viewer, ids)
        return MarkNotificationsReadPayload(
            marked=marked, unread_count=await notifications.unread_count(viewer)
        )


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(
        description="Your notifications as they happen (graphql-transport-ws over WebSocket at "
        "/graphql; sign in with the connection_init payload "
        '{"authorization": "Bearer <token>"}). Refused without a token: everyone is told only '
        "of what concerns them."
    )
    async def notifications(self, info: Info) -> AsyncGenerator[Notification, None]:
        viewer = info.context.viewer
        if viewer.user_id is None:
            raise ClientError(
                say(
                    '订阅通知须先登录：在 connection_init 的 payload 中给出 {"authorization": '
                    '"Bearer <令牌>"}',
                    "Sign in to subscribe to notifications: give "
                    '{"authorization": "Bearer <token>"} in the connection_init payload',
                ),
                code="UNAUTHENTICATED",
            )
        async for document in notifications.arriving(viewer):
            yield Notification.from_document(document)
