"""Notifications (通知): a person told of what concerns them, one per event and recipient. A
step of a loop writes its notifications in the same transaction as the step itself (see
``api.services.notifications``), so none is lost and none is written twice."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pymongo
from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from api.access import NOTHING, Viewer
from api.labels import LabeledEnum
from api.models.users import utcnow


class NotificationKind(LabeledEnum):
    """Why a person is told."""

    TO_HANDLE = "TO_HANDLE", "有待办理的事项"
    """A suggestion assigned or transferred to one's unit, a warning issued to it, an opinion
    or finding returned to it, supervision (督办) of what it handles; a scoring one is present
    at."""
    REPLIED = "REPLIED", "建议已答复"
    """The lead unit replied to a suggestion one filed, co-signed or follows."""
    PROGRESS = "PROGRESS", "办理进展"
    """A suggestion one filed, co-signed or follows moved on in its loop."""
    NEEDS_STAFF = "NEEDS_STAFF", "需要常委会工作人员处理"
    """A deputy was not satisfied, or a unit returned an assignment."""
    DEADLINE_SOON = "DEADLINE_SOON", "办理期限将到"
    OVERDUE = "OVERDUE", "已超过办理期限"


class Channel(LabeledEnum):
    """How a notification reaches a person besides the in-app list, which holds them all."""

    EMAIL = "EMAIL", "电子邮件"
    WEBHOOK = "WEBHOOK", "短信或微信网关"
    """The deployment's gateway (``webhook_url``), told whom by account name."""


class DeliveryState(LabeledEnum):
    PENDING = "PENDING", "待发送"
    SENDING = "SENDING", "发送中"
    SENT = "SENT", "已发送"
    FAILED = "FAILED", "多次发送失败"


class Delivery(BaseModel):
    """A notification's way out by one channel (the outbox: ``api.services.delivery``)."""

    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    next_at: datetime = Field(default_factory=utcnow)
    """When it is tried (again); while SENDING, when a sender that died is given up on."""
    address: str = ""
    sent_at: datetime | None = None
    error: str = ""
    """Why the last attempt failed."""


class Notification(Document):
    """One person told of one event."""

    recipient_id: PydanticObjectId
    kind: NotificationKind
    record_type: str
    """The GraphQL type of what it is about: Suggestion, Opinion, AuditFinding, BudgetWarning."""
    record_id: PydanticObjectId
    title: str
    """The record's title when the event happened."""
    message: str
    """What happened, in a sentence for the person told."""
    key: str
    """What makes it one event for its recipient (the record and the revision the step wrote,
    or the record, deadline and reminder threshold): unique with the recipient, so writing
    it again changes nothing."""
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    planned: bool = False
    """Whether its deliveries were decided (by the recipient's channels, when written)."""
    deliveries: dict[str, Delivery] = Field(default_factory=dict)
    """By channel (``Channel`` value)."""

    class Settings:
        name = "notifications"
        indexes = [
            pymongo.IndexModel([("key", 1), ("recipient_id", 1)], unique=True, name="once"),
            pymongo.IndexModel([("recipient_id", 1), ("created_at", -1), ("_id", -1)]),
            pymongo.IndexModel([("recipient_id", 1), ("read_at", 1), ("created_at", -1)]),
            pymongo.IndexModel([("planned", 1), ("created_at", 1)]),
            *(
                pymongo.IndexModel([(f"deliveries.{c}.state", 1), (f"deliveries.{c}.next_at", 1)])
                for c in ("EMAIL", "WEBHOOK")
            ),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Each person reads their own, nobody else's (staff and admins included)."""
        if viewer.user_id is None:
            return NOTHING
        return {"recipient_id": viewer.user_id}
