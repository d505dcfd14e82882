"""Sending notifications out (e-mail over SMTP; an SMS or WeChat gateway by signed
webhook), from the notifications collection as an outbox. ``deliver`` makes one pass:

1. **Plan**: each notification not yet planned gets a delivery per channel its recipient
   takes for its kind (``User.channels_by_kind``; e-mail by default) when they have an
   address and the deployment has the channel (``smtp_host``); one older than
   ``delivery_max_age_hours`` gets none, so turning e-mail on does not send an old backlog.
2. **Send**: a due delivery is claimed by one atomic update (state SENDING until a deadline),
   so any number of senders on any number of replicas never send one twice at once; a sent
   one is marked SENT; a failed one waits twice as long each time, and after
   ``delivery_max_attempts`` is FAILED (the dead letters staff see). A sender that dies
   between claiming and marking leaves a claim that expires and is sent then: at least once,
   and the message's Message-ID (the notification's id) lets mail clients drop a repeat.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import httpx
from anyio import to_thread
from bson import ObjectId
from pymongo import ReturnDocument, UpdateOne
from pymongo.errors import PyMongoError

from api.models.notifications import Channel, DeliveryState, Notification, NotificationKind
from api.models.users import User, utcnow
from api.settings import Settings

log = logging.getLogger("jiandu.delivery")

BATCH = 500
CLAIM = timedelta(minutes=2)
"""How long a claimed delivery is left to its sender before another may send it."""
ERROR_KEPT = 300


@dataclass(frozen=True)
class Delivered:
    """What a pass did."""

    planned: int
    sent: int
    failed: int
    """Attempts that failed this pass (some are tried again later)."""


def channels(settings: Settings) -> list[Channel]:
    """The channels this deployment sends by."""
    offered = [(Channel.EMAIL, settings.smtp_host), (Channel.WEBHOOK, settings.webhook_url)]
    return [channel for channel, configured in offered if configured]


def taken_by(user: User, kind: str) -> list[str]:
    """The channels ``user`` takes for notifications of ``kind`` (e-mail unless chosen)."""
    return user.channels_by_kind.get(kind, [str(Channel.EMAIL)])


def address(user: User, channel: str) -> str:
    """Where ``channel`` reaches ``user``: their e-mail address; for the gateway, which knows
    people by account, their account name."""
    return (user.email or "") if channel == Channel.EMAIL else user.username


async def plan(settings: Settings, now: datetime) -> int:
    """Decides the deliveries of notifications not yet planned; returns how many were."""
    collection = Notification.get_pymongo_collection()
    offered = [str(c) for c in channels(settings)]
    oldest = now - timedelta(hours=settings.delivery_max_age_hours)
    done = 0
    while True:
        batch = (
            await collection.find(
                {"planned": False}, {"recipient_id": 1, "kind": 1, "created_at": 1}
            )
            .sort("created_at", 1)
            .limit(BATCH)
            .to_list()
        )
        if not batch:
            return done
        ids = list({n["recipient_id"] for n in batch})
        users = {u.id: u for u in await User.find({"_id": {"$in": ids}}).to_list()}
        updates = []
        for n in batch:
            user = users.get(n["recipient_id"])
            deliveries = {}
            if user is not None and user.active and _aware(n["created_at"]) >= oldest:
                for channel in offered:
                    if channel in taken_by(user, n["kind"]) and address(user, channel):
                        deliveries[channel] = {"state": str(DeliveryState.PENDING), "attempts": 0,
                                               "next_at": now, "address": address(user, channel),
                                               "sent_at": None, "error": ""}  # fmt: skip
            updates.append(UpdateOne(
                {"_id": n["_id"], "planned": False},
                {"$set": {"planned": True, "deliveries": deliveries}},
            ))  # fmt: skip
        await collection.bulk_write(updates, ordered=False)
        done += len(batch)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def _claim(channel: str, now: datetime) -> dict[str, Any] | None:
    """One due delivery of ``channel``, claimed: pending and due, or claimed by a sender
    that did not finish in time."""
    path = f"deliveries.{channel}"
    due = {"$or": [
        {f"{path}.state": str(DeliveryState.PENDING), f"{path}.next_at": {"$lte": now}},
        {f"{path}.state": str(DeliveryState.SENDING), f"{path}.next_at": {"$lte": now}},
    ]}  # fmt: skip
    claimed: dict[str, Any] | None = (
        await Notification.get_pymongo_collection().find_one_and_update(
            due,
            {"$set": {f"{path}.state": str(DeliveryState.SENDING), f"{path}.next_at": now + CLAIM},
             "$inc": {f"{path}.attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )
    )  # fmt: skip
    return claimed


async def _settle(notification: ObjectId, channel: str, attempts: int, error: str | None,
                  settings: Settings, now: datetime) -> None:  # fmt: skip
    path = f"deliveries.{channel}"
    if error is None:
        change = {f"{path}.state": str(DeliveryState.SENT), f"{path}.sent_at": now,
                  f"{path}.error": ""}  # fmt: skip
    else:
        last = attempts >= settings.delivery_max_attempts
        wait = settings.delivery_retry_seconds * 2 ** (attempts - 1)
        change = {
            f"{path}.state": str(DeliveryState.FAILED if last else DeliveryState.PENDING),
            f"{path}.next_at": now + timedelta(seconds=wait), f"{path}.error": error[:ERROR_KEPT],
        }  # fmt: skip
    await Notification.get_pymongo_collection().update_one(
        {"_id": notification, f"{path}.state": str(DeliveryState.SENDING)}, {"$set": change}
    )


def email(notification: dict[str, Any], settings: Settings) -> EmailMessage:
    """The e-mail of a notification, in Chinese."""
    kind = NotificationKind(notification["kind"])  # type: ignore[call-arg]
    message = EmailMessage()
    message["Subject"] = f"【人大监督】{kind.label}：{notification['title']}"
    message["From"] = settings.smtp_sender
    message["To"] = notification["deliveries"][Channel.EMAIL]["address"]
    message["Message-ID"] = make_msgid(idstring=str(notification["_id"]), domain="jiandu")
    at = _aware(notification["created_at"]) + timedelta(hours=settings.utc_offset_hours)
    message.set_content(
        f"{notification['message']}\n\n"
        f"（{kind.label}，{at:%Y年%m月%d日 %H:%M}）\n\n"
        "此邮件由人大监督系统自动发送，请勿回复。登录系统可查看详情、标记已读，"
        "或更改哪些通知发到邮箱。\n"
    )
    return message


def webhook_body(notification: dict[str, Any], settings: Settings) -> bytes:
    """What the gateway is sent: the notification, whom it is for, in JSON."""
    kind = NotificationKind(notification["kind"])  # type: ignore[call-arg]
    at = _aware(notification["created_at"])
    return json.dumps({
        "id": str(notification["_id"]), "kind": str(kind), "kindLabel": kind.label,
        "title": notification["title"], "message": notification["message"],
        "recordType": notification["record_type"], "recordId": str(notification["record_id"]),
        "createdAt": at.isoformat().replace("+00:00", "Z"),
        "recipient": notification["deliveries"][Channel.WEBHOOK]["address"],
    }, ensure_ascii=False).encode()  # fmt: skip


def signature(body: bytes, secret: str) -> str:
    """The ``X-Jiandu-Signature`` of a body: the gateway computes it again to know the body
    came from here, unchanged."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def _post(notification: dict[str, Any], settings: Settings) -> None:
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    body = webhook_body(notification, settings)
    headers = {"Content-Type": "application/json; charset=utf-8",
               "X-Jiandu-Signature": signature(body, settings.webhook_secret),
               "X-Jiandu-Delivery": str(notification["_id"])}  # fmt: skip
    async with httpx.AsyncClient(timeout=30, follow_redirects=False) as http:
        answer = await http.post(settings.webhook_url, content=body, headers=headers)
    if not answer.is_success:
        raise WebhookRefused(f"网关答复 HTTP {answer.status_code}")


class WebhookRefused(Exception):
    """The gateway answered, but not with success."""


async def _mail(notification: dict[str, Any], settings: Settings) -> None:
    await to_thread.run_sync(_send_email, email(notification, settings), settings)


SENDERS = {Channel.EMAIL: _mail, Channel.WEBHOOK: _post}
UNREACHABLE = (OSError, httpx.TransportError)
"""Failures that say the server is not there: the rest of a pass waits for the next."""
FAILURES = (*UNREACHABLE, smtplib.SMTPException, WebhookRefused)


def _send_email(message: EmailMessage, settings: Settings) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)


async def send_due(settings: Settings, now: datetime) -> tuple[int, int]:
    """Sends every due delivery once; returns how many were sent and how many failed."""
    sent = failed = 0
    for channel in channels(settings):
        while (claimed := await _claim(str(channel), now)) is not None:
            attempts = claimed["deliveries"][channel]["attempts"]
            try:
                await SENDERS[channel](claimed, settings)
            except FAILURES as e:
                failed += 1
                reason = f"{type(e).__name__}: {e}"
                await _settle(claimed["_id"], channel, attempts, reason, settings, now)
                if isinstance(e, UNREACHABLE):
                    break
                continue
            sent += 1
            await _settle(claimed["_id"], channel, attempts, None, settings, now)
    return sent, failed


async def deliver(settings: Settings, now: datetime | None = None) -> Delivered:
    """One pass: plan what is new, send what is due."""
    when = now or utcnow()
    planned = await plan(settings, when)
    sent, failed = await send_due(settings, when)
    return Delivered(planned=planned, sent=sent, failed=failed)


async def keep_delivering(settings: Settings, every: float = 5.0) -> None:
    """Passes every ``every`` seconds until cancelled (an API process's background task);
    a pass that fails (MongoDB away) is logged and the next one tries again."""
    while True:
        try:
            await deliver(settings)
        except PyMongoError as e:
            log.warning("notification delivery pass failed", extra={"error": str(e)})
        await asyncio.sleep(every)
