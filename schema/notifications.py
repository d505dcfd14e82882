"""Notifications in GraphQL: each person's own (``Me.notifications``,
``Me.unreadNotificationCount``), ``markNotificationsRead``, and the ``notifications``
subscription (graphql-transport-ws on ``/graphql``)."""

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry import relay

from api.models.notifications import Notification as NotificationDocument
from api.models.notifications import NotificationKind
from api.paging import Sort, keyset_page
from api.services import notifications
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import ClientError, UserError, UserErrors
from schema.nodes import Connection, DocumentNode, document_ids, page_size
from schema.permissions import signed_in
from schema.rectification import AuditFinding, BudgetWarning, Opinion
from schema.suggestions import Suggestion

graphql_enum(NotificationKind, description="Why a person is told.")

RECORDS: dict[str, type[DocumentNode]] = {
    node.__name__: node for node in (Suggestion, Opinion, AuditFinding, BudgetWarning)
}


@strawberry.type(
    description="Something you are told of: a step on a record that concerns you, or a deadline."
)
class Notification(DocumentNode):
    __document__ = NotificationDocument

    id: relay.NodeID[str]
    kind: NotificationKind = strawberry.field(description="Why you are told.")
    title: str = strawberry.field(description="The record's title when it happened.")
    message: str = strawberry.field(description="What happened, in a sentence.")
    created_at: datetime = strawberry.field(description="When it happened.")
    read_at: datetime | None = strawberry.field(
        description="When you marked it read; null while unread."
    )

    @strawberry.field(
        description="The record it is about (a Suggestion, Opinion, AuditFinding or "
        "BudgetWarning); null when you may no longer read it."
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
                '订阅通知须先登录：在 connection_init 的 payload 中给出 {"authorization": '
                '"Bearer <令牌>"}',
                code="UNAUTHENTICATED",
            )
        async for document in notifications.arriving(viewer):
            yield Notification.from_document(document)
