"""Notifications by e-mail, through a real SMTP server the tests start (aiosmtpd): each sent
once, by each person's choice of channels; a server down, then up, gets everything once;
a sender that died mid-send is taken over once its claim runs out; an old backlog is not
sent; what is given up on is listed for staff."""

import email
from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from api.devservers.local import free_port
from api.models.notifications import Notification
from api.models.users import utcnow
from api.services.delivery import deliver, plan
from api.settings import Settings
from tests.factories import World, gql, suggestion_world
from tests.suggestion_calls import draft, ok

SETTINGS = """mutation($input: SetNotificationPreferencesInput!) {
  setNotificationPreferences(input: $input) {
    settings { email preferences { kind channels } } errors { field code message } } }"""
FAILURES = """{ deliveryFailures { title recipient address attempts error } }"""


class Mailbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]


class SmtpServer:
    """A real SMTP server on one port, stopped and started again as a test needs."""

    def __init__(self) -> None:
        self.box = Mailbox()
        self.hostname, self.port = "127.0.0.1", free_port()
        self.running: Controller | None = None

    def start(self) -> None:
        self.running = Controller(self.box, hostname=self.hostname, port=self.port)
        self.running.start()

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpServer, Mailbox]]:
    server = SmtpServer()
    server.start()
    try:
        yield server, server.box
    finally:
        server.stop()


def mailing(settings: Settings, server: SmtpServer) -> Settings:
    """``settings`` sending through ``server``, retrying after a minute, three times."""
    return settings.model_copy(
        update={"smtp_host": server.hostname, "smtp_port": server.port,
                "delivery_retry_seconds": 60, "delivery_max_attempts": 3}
    )  # fmt: skip


async def registered(client: httpx.AsyncClient, world: World) -> str:
    """A suggestion by 王 (co-signed by 李), registered by staff: both are told (PROGRESS)."""
    created = await ok(
        client, "createSuggestion", draft(world, submit=True), world.tokens["deputy"]
    )
    await ok(client, "registerSuggestion", {"id": created["id"]}, world.tokens["staff"])
    return str(created["id"])


async def test_each_notification_is_emailed_once_by_each_persons_choice(
    client: httpx.AsyncClient, settings: Settings, smtp: tuple[SmtpServer, Mailbox]
) -> None:
    server, box = smtp
    mail = mailing(settings, server)
    world = await suggestion_world(client)
    t = world.tokens
    # Bad addresses are refused and change nothing; a good one is kept.
    for bad in ("wang", "wang@", "a@b", "x" * 250 + "@qinglan.gov.cn"):
        body = await gql(client, SETTINGS, {"input": {"email": bad}}, token=t["deputy"])
        (error,) = body["data"]["setNotificationPreferences"]["errors"]
        assert (error["code"], error["field"]) == ("INVALID_INPUT", "email"), error
    replies_in_app_only = {"kind": "REPLIED", "channels": []}
    body = await gql(
        client, SETTINGS,
        {"input": {"email": "wang@qinglan.gov.cn", "preferences": [replies_in_app_only]}},
        token=t["deputy"],
    )  # fmt: skip
    saved = body["data"]["setNotificationPreferences"]["settings"]
    assert saved["email"] == "wang@qinglan.gov.cn"
    by_kind = {p["kind"]: p["channels"] for p in saved["preferences"]}
    assert by_kind["REPLIED"] == [] and by_kind["PROGRESS"] == ["EMAIL"]
    body = await gql(client, SETTINGS, {"input": {"preferences": [{"kind": "SOON"}]}},
                     token=t["deputy"])  # fmt: skip
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    sid = await registered(client, world)  # 王 (an address) and 李 (none) are told
    done = await deliver(mail)
    assert (done.sent, done.failed) == (1, 0)
    (message,) = box.messages
    assert message["To"] == "wang@qinglan.gov.cn"
    assert box.subjects() == ["【人大监督】办理进展：关于加快石门镇农村公路提档升级的建议"]
    text = message.get_payload(decode=True).decode()
    assert "Staff已立案建议" in text and "请勿回复" in text
    (note,) = await Notification.find({"deliveries.EMAIL.state": "SENT"}).to_list()
    assert str(note.id) in message["Message-ID"]
    assert (await deliver(mail)).sent == 0  # once

    # A reply: 王 asked for replies in the app only.
    assign = {"id": sid, "leadUnitId": world.ids["roads"]}
    await ok(client, "assignSuggestion", assign, t["staff"])
    await ok(client, "acceptSuggestion", {"id": sid}, t["lead_unit"])
    await ok(client, "replyToSuggestion", {"id": sid, "text": "已办理。", "resultClass": "A"},
             t["lead_unit"])  # fmt: skip
    await deliver(mail)
    assert [s.split("：")[0] for s in box.subjects()] == ["【人大监督】办理进展"] * 3


async def test_a_mail_server_down_then_up_gets_everything_once(
    client: httpx.AsyncClient, settings: Settings, smtp: tuple[SmtpServer, Mailbox]
) -> None:
    server, box = smtp
    mail = mailing(settings, server)
    world = await suggestion_world(client)
    await gql(client, SETTINGS, {"input": {"email": "wang@qinglan.gov.cn"}},
              token=world.tokens["deputy"])  # fmt: skip
    server.stop()
    await registered(client, world)
    done = await deliver(mail)
    assert (done.sent, done.failed) == (0, 1) and box.messages == []
    (note,) = await Notification.find({"deliveries.EMAIL.state": "PENDING"}).to_list()
    assert note.deliveries["EMAIL"].attempts == 1 and "Connection" in note.deliveries["EMAIL"].error

    server.start()
    assert (await deliver(mail)).sent == 0  # not due yet: it waits a minute
    later = utcnow() + timedelta(minutes=2)
    assert (await deliver(mail, later)).sent == 1
    assert (await deliver(mail, later + timedelta(hours=1))).sent == 0
    assert len(box.messages) == 1


async def test_a_sender_that_died_mid_send_is_taken_over_once_its_claim_runs_out(
    client: httpx.AsyncClient, settings: Settings, smtp: tuple[SmtpServer, Mailbox]
) -> None:
    server, box = smtp
    mail = mailing(settings, server)
    world = await suggestion_world(client)
    await gql(client, SETTINGS, {"input": {"email": "wang@qinglan.gov.cn"}},
              token=world.tokens["deputy"])  # fmt: skip
    await registered(client, world)
    now = utcnow()
    assert await plan(mail, now) == 2  # 王's by e-mail, 李's (no address) in the app only
    # What a sender killed after claiming leaves: the delivery SENDING, claimed for a while.
    await Notification.get_pymongo_collection().update_one(
        {"deliveries.EMAIL": {"$exists": True}},
        {"$set": {"deliveries.EMAIL.state": "SENDING",
                  "deliveries.EMAIL.next_at": now + timedelta(minutes=2)}},
    )  # fmt: skip
    assert (await deliver(mail, now)).sent == 0  # the claim still holds
    assert (await deliver(mail, now + timedelta(minutes=3))).sent == 1
    assert (await deliver(mail, now + timedelta(minutes=10))).sent == 0
    assert len(box.messages) == 1


async def test_an_old_backlog_is_not_sent_and_given_up_letters_are_listed_for_staff(
    client: httpx.AsyncClient, settings: Settings, smtp: tuple[SmtpServer, Mailbox]
) -> None:
    server, box = smtp
    mail = mailing(settings, server)
    world = await suggestion_world(client)
    await gql(client, SETTINGS, {"input": {"email": "wang@qinglan.gov.cn"}},
              token=world.tokens["deputy"])  # fmt: skip
    await registered(client, world)
    # Written two days ago while e-mail was off: not sent when it is turned on.
    await Notification.get_pymongo_collection().update_many(
        {}, {"$set": {"created_at": utcnow() - timedelta(days=2)}}
    )
    assert (await deliver(mail)).sent == 0 and box.messages == []

    await registered(client, world)  # a new one, while the server is down, three times
    server.stop()
    now = utcnow()
    for attempt in range(3):
        await deliver(mail, now + timedelta(hours=attempt))
    body = await gql(client, FAILURES, token=world.tokens["staff"])
    (failure,) = body["data"]["deliveryFailures"]
    assert failure["recipient"] == "Deputy" and failure["attempts"] == 3
    assert failure["address"] == "wang@qinglan.gov.cn" and failure["error"]
    server.start()
    assert (await deliver(mail, now + timedelta(days=1))).sent == 0  # given up: not again
    body = await gql(client, FAILURES, token=world.tokens["deputy"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
