"""Notifications by e-mail, through a real SMTP server the tests start (aiosmtpd), and by
a gateway's webhook (a real HTTP server): each sent once, by each person's choice of
channels; a server down, then up, gets everything once; a sender that died mid-send is
taken over once its claim runs out; an old backlog is not sent; what is given up on is
listed for staff."""

import asyncio
import email
import json
import os
import signal
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from pydantic import ValidationError

from api.devservers.local import free_port
from api.models.notifications import Notification
from api.models.users import utcnow
from api.services.delivery import deliver, plan, signature
from api.settings import Settings
from tests.conftest import ROOT
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


async def addressed(client: httpx.AsyncClient) -> World:
    """The suggestion world, 王 having given an e-mail address (and nothing else)."""
    world = await suggestion_world(client)
    body = await gql(client, SETTINGS, {"input": {"email": "wang@qinglan.gov.cn"}},
                     token=world.tokens["deputy"])  # fmt: skip
    assert body["data"]["setNotificationPreferences"]["errors"] == []
    return world


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
    world = await addressed(client)
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
    world = await addressed(client)
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
    world = await addressed(client)
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


class Gateway(ThreadingHTTPServer):
    """A real HTTP server standing in for an SMS gateway: records what it is sent and
    answers each request with the next status of ``answers`` (then 200)."""

    def __init__(self, answers: list[int]) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers = answers
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append((dict(self.headers), body))
                self.send_response(gateway.answers.pop(0) if gateway.answers else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/notify"


SECRET = "a-gateway-secret-of-enough-length"


async def test_a_gateway_is_sent_signed_messages_once_retrying_what_it_refuses(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    gateway = Gateway(answers=[503])
    try:
        sending = settings.model_copy(
            update={"webhook_url": gateway.url, "webhook_secret": SECRET,
                    "delivery_retry_seconds": 60}
        )  # fmt: skip
        world = await suggestion_world(client)
        by_gateway = {"kind": "PROGRESS", "channels": ["WEBHOOK"]}
        body = await gql(client, SETTINGS, {"input": {"preferences": [by_gateway]}},
                         token=world.tokens["deputy"])  # fmt: skip
        assert body["data"]["setNotificationPreferences"]["errors"] == []
        await registered(client, world)  # 王 by the gateway; 李 by e-mail, which is off
        now = utcnow()
        first = await deliver(sending, now)
        assert (first.sent, first.failed) == (0, 1)  # the gateway answered 503
        again = await deliver(sending, now + timedelta(minutes=2))
        assert (again.sent, again.failed) == (1, 0)
        assert (await deliver(sending, now + timedelta(hours=1))).sent == 0
        assert len(gateway.received) == 2
        headers, raw = gateway.received[-1]
        assert headers["X-Jiandu-Signature"] == signature(raw, SECRET)
        assert headers["X-Jiandu-Signature"] != signature(raw, "another secret of length")
        sent = json.loads(raw)
        assert (sent["recipient"], sent["kind"], sent["kindLabel"]) == (
            "deputy",
            "PROGRESS",
            "办理进展",
        )
        assert sent["message"].startswith("Staff已立案建议") and sent["id"] == headers[
            "X-Jiandu-Delivery"]  # fmt: skip
    finally:
        gateway.shutdown()


def test_a_gateway_address_must_be_a_web_address_elsewhere_with_a_secret() -> None:
    for url, secret, reason in (
        ("ftp://gateway.example/notify", SECRET, "http:// 或 https://"),
        ("http://127.0.0.1:8000/notify", SECRET, "指向本服务自身"),
        ("http://localhost:8000/graphql", SECRET, "指向本服务自身"),
        ("https://gateway.example/notify", None, "JIANDU_WEBHOOK_SECRET"),
        ("https://gateway.example/notify", "short", "至少 16 个字符"),
    ):
        with pytest.raises(ValidationError) as refused:
            Settings(webhook_url=url, webhook_secret=secret, port=8000)
        assert reason in str(refused.value), (url, refused.value)
    allowed = Settings(webhook_url="http://127.0.0.1:9100/sms", webhook_secret=SECRET, port=8000)
    assert allowed.webhook_url == "http://127.0.0.1:9100/sms"


class Stalling(Mailbox):
    """A mail server that takes a message's data and never answers: a sender waits."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.set()
        await asyncio.sleep(3600)
        return "250 OK"


async def test_a_sender_killed_mid_send_is_replaced_and_the_mail_goes_once(
    client: httpx.AsyncClient, settings: Settings, smtp: tuple[SmtpServer, Mailbox]
) -> None:
    server, box = smtp
    world = await addressed(client)
    await registered(client, world)
    stalling = Stalling()
    stuck = Controller(stalling, hostname="127.0.0.1", port=free_port())
    stuck.start()
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url, "MEILI_URL": settings.meili_url,
           "MEILI_MASTER_KEY": settings.meili_master_key, "JIANDU_ENV": "test",
           "JIANDU_MONGODB_DATABASE": settings.mongodb_database,
           "JIANDU_SMTP_HOST": stuck.hostname, "JIANDU_SMTP_PORT": str(stuck.port)}  # fmt: skip
    sender = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "jiandu"), "deliver", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert await asyncio.to_thread(stalling.arrived.wait, 60), "the sender never sent"
    finally:
        sender.send_signal(signal.SIGKILL)  # mid-send: no chance to record anything
        await sender.wait()
        stuck.stop()
    (note,) = await Notification.find({"deliveries.EMAIL.state": "SENDING"}).to_list()
    mail = mailing(settings, server)
    assert (await deliver(mail)).sent == 0  # its claim still holds
    later = utcnow() + timedelta(minutes=3)
    assert (await deliver(mail, later)).sent == 1
    assert (await deliver(mail, later + timedelta(hours=1))).sent == 0
    (message,) = box.messages
    assert str(note.id) in message["Message-ID"]
