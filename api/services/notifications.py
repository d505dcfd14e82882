"""Telling people what concerns them (通知). Each step of a loop names who is told
(``Step.tell``); ``announce`` writes their notifications in the step's own transaction, so a
step and its notifications are written together or not at all, and each is keyed by the
record and the revision the step wrote, so it exists once per event and recipient. Nobody is
told of a record they may not read: each recipient is checked against the record's own
visibility filter, as if they asked for it.

``remind`` tells of deadlines: a few days before (setting ``reminder_days``) and once overdue,
once per record, deadline and threshold however often it runs and on however many replicas
(the key is unique per recipient)."""

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from beanie import Document
from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError

from api.access import Role, Viewer, admits
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.complaints import Complaint
from api.models.livelihood import LivelihoodProject
from api.models.notifications import Notification, NotificationKind
from api.models.rectification import AuditFinding, Opinion
from api.models.suggestions import AWAITING_REPLY, Satisfaction, Suggestion
from api.models.users import User, utcnow
from api.models.warnings import BudgetWarning
from api.models.work_evaluation import WorkEvaluation


class Audience(StrEnum):
    """Who a step tells."""

    UNITS = "UNITS"
    """The handlers (and finance, for its bureau) of the units the record is addressed to."""
    DEPUTIES = "DEPUTIES"
    """A suggestion's lead deputy, co-signers (also of suggestions merged into it) and
    followers."""
    STAFF = "STAFF"
    """The congress's staff (on an evaluation, only when the deputy was not satisfied)."""
    PRESENT = "PRESENT"
    """The members present at a work evaluation's scoring just opened: theirs to give."""


RECORD_TYPES: Mapping[type[Document], tuple[str, str]] = {
    Suggestion: ("Suggestion", "建议"),
    Opinion: ("Opinion", "审议意见"),
    AuditFinding: ("AuditFinding", "审计查出问题"),
    BudgetWarning: ("BudgetWarning", "预警"),
    LivelihoodProject: ("LivelihoodProject", "民生实事项目"),
    WorkEvaluation: ("WorkEvaluation", "工作评议"),
    Complaint: ("FundComplaint", "咨询投诉"),
}
"""Records that notifications are about: the GraphQL type that shows each, and its name in
the words of the messages."""
WITH_DEADLINES = (Suggestion, Opinion, AuditFinding, BudgetWarning)
"""Records whose units are reminded of their deadline (``remind``)."""
NOTE_SHOWN = 100
"""Characters of a step's note quoted in its notification."""


@dataclass(frozen=True)
class Told:
    """A step as a notification tells it."""

    name: str
    label: str
    what: str
    """What goes round the loop (建议, 预警 …)."""
    note: str
    audiences: tuple[Audience, ...]


def viewer_of(user: User) -> Viewer:
    """The viewer a user would be, signed in: what they may read."""
    return Viewer(
        role=user.role,
        user_id=user.id,
        unit_id=user.unit_id,
        deputy_id=user.deputy_id,
        name=user.display_name,
    )


async def _users(query: dict[str, Any], session: AsyncClientSession | None) -> list[User]:
    return await User.find({**query, "active": True}, session=session).to_list()


async def _audience(
    audience: Audience, record: Any, step: str, session: AsyncClientSession | None
) -> list[User]:
    if audience is Audience.UNITS:
        units = list(getattr(record, "unit_ids", []))
        if not units:
            return []
        roles = [str(Role.HANDLER), str(Role.FINANCE)]
        return await _users({"unit_id": {"$in": units}, "role": {"$in": roles}}, session)
    if audience is Audience.DEPUTIES and isinstance(record, Suggestion):
        deputies = [record.lead_deputy_id, *record.cosigner_ids, *record.merged_deputy_ids]
        return await _users(
            {"$or": [{"deputy_id": {"$in": deputies}, "role": str(Role.DEPUTY)},
                     {"_id": {"$in": record.follower_ids}}]},
            session,
        )  # fmt: skip
    if audience is Audience.PRESENT and isinstance(record, WorkEvaluation) and record.scorings:
        present = record.scorings[-1].present
        return await _users({"deputy_id": {"$in": present}, "role": str(Role.DEPUTY)}, session)
    if audience is Audience.STAFF:
        unsatisfied = getattr(record, "satisfaction", None) is Satisfaction.UNSATISFIED
        if step == "evaluate" and not unsatisfied:
            return []
        return await _users({"role": str(Role.STAFF)}, session)
    return []


def _kind(audience: Audience, step: str) -> NotificationKind:
    if audience in (Audience.UNITS, Audience.PRESENT):
        return NotificationKind.TO_HANDLE
    if audience is Audience.STAFF:
        return NotificationKind.NEEDS_STAFF
    return NotificationKind.REPLIED if step == "reply" else NotificationKind.PROGRESS


def _message(told: Told, actor: str, title: str) -> str:
    said = told.note.strip()
    if len(said) > NOTE_SHOWN:
        said = said[:NOTE_SHOWN] + "…"
    return f"{actor or '系统'}已{told.label}{told.what}“{title}”" + (f"：{said}" if said else "")


async def announce(
    record: Any, stored: Mapping[str, Any], told: Told, actor: Viewer,
    session: AsyncClientSession | None,
) -> int:  # fmt: skip
    """Notifications of a step just written (``record`` as written, ``stored`` as MongoDB
    holds it), inside its transaction: each audience's people but the actor, each once (the
    first audience that names them decides why), and only those the record's own access
    clauses let read it. Returns how many."""
    recipients: dict[Any, tuple[User, NotificationKind]] = {}
    for audience in told.audiences:
        for user in await _audience(audience, record, told.name, session):
            recipients.setdefault(user.id, (user, _kind(audience, told.name)))
    recipients.pop(actor.user_id, None)
    key = f"{RECORD_TYPES[type(record)][0]}:{record.id}:{record.revision}"
    message = _message(told, actor.name, record.title)
    notes = [
        stored_notification(
            user.id, kind, RECORD_TYPES[type(record)][0], record.id, record.title, message, key
        )
        for user, kind in recipients.values()
        if admits(type(record).access(viewer_of(user)), stored)
    ]
    await write(notes, session)
    return len(notes)


async def announce_created(
    record: Any, actor: Viewer, session: AsyncClientSession, *, step: str, label: str,
    audience: Audience,
) -> int:  # fmt: skip
    """``audience`` told of a record as it was created, inside the transaction that inserted
    it: the handlers of an opinion's or audit finding's units that it was issued to them
    (``issue``, 交办), staff that the public submitted a question (``submit``, 提交)."""
    stored = (
        await type(record).get_pymongo_collection().find_one({"_id": record.id}, session=session)
    )
    what = RECORD_TYPES[type(record)][1]
    told = Told(step, label, what, "", (audience,))
    return await announce(record, stored or {}, told, actor, session)


async def announce_issued(record: Any, actor: Viewer, session: AsyncClientSession) -> int:
    """The handlers of a record's units told that it was issued to them (交办)."""
    return await announce_created(
        record, actor, session, step="issue", label="交办", audience=Audience.UNITS
    )


def stored_notification(
    recipient: Any, kind: NotificationKind, record_type: str, record_id: Any, title: str,
    message: str, key: str,
) -> dict[str, Any]:  # fmt: skip
    """A notification as MongoDB stores it (``Notification``'s fields), unread, made now:
    written in bulk without a model per row."""
    return {
        "recipient_id": recipient, "kind": str(kind), "record_type": record_type,
        "record_id": record_id, "title": title, "message": message, "key": key,
        "created_at": utcnow(), "read_at": None, "planned": False, "deliveries": {},
    }  # fmt: skip


async def write(notes: list[dict[str, Any]], session: AsyncClientSession | None) -> int:
    """Stores the notifications (``stored_notification``) not stored already (by key and
    recipient); returns how many were new. Those stored already are looked up first, on
    the unique index, so that a run that finds everything told writes nothing; two writers
    of the same one at once store it once (the index refuses the second)."""
    if not notes:
        return 0
    collection = Notification.get_pymongo_collection()
    keys = list({n["key"] for n in notes})
    stored = {
        (found["key"], found["recipient_id"])
        async for found in collection.find(
            {"key": {"$in": keys}}, {"key": 1, "recipient_id": 1, "_id": 0}, session=session
        )
    }
    new = [n for n in notes if (n["key"], n["recipient_id"]) not in stored]
    if not new:
        return 0
    try:
        await collection.insert_many(new, ordered=False, session=session)
    except BulkWriteError as e:  # the same one written by another writer meanwhile
        if any(error["code"] != 11000 for error in e.details["writeErrors"]):
            raise
        return int(e.details["nInserted"])
    return len(new)


# --- reading ----------------------------------------------------------------------------


def own(viewer: Viewer, *, unread_only: bool = False) -> dict[str, Any]:
    """The viewer's notifications (only unread ones if asked)."""
    if viewer.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, say("请先登录", "Sign in first"))
    query: dict[str, Any] = {"recipient_id": viewer.user_id}
    if unread_only:
        query["read_at"] = None
    return query


async def unread_count(viewer: Viewer) -> int:
    return await Notification.find(own(viewer, unread_only=True)).count()


async def arriving(viewer: Viewer) -> AsyncIterator[Notification]:
    """The viewer's notifications as they are written, until the caller stops (a change
    stream on the collection, filtered to the viewer on the server)."""
    own(viewer)
    pipeline = [
        {"$match": {"operationType": "insert", "fullDocument.recipient_id": viewer.user_id}}
    ]
    async with await Notification.get_pymongo_collection().watch(pipeline) as stream:
        async for change in stream:
            yield Notification.model_validate(change["fullDocument"])


IDS_MAX = 500


async def mark_read(viewer: Viewer, ids: list[ObjectId] | None) -> int:
    """Marks the viewer's notifications read: those of ``ids`` (others' ids change nothing),
    or all of them when ``ids`` is None. Returns how many were unread."""
    query = own(viewer, unread_only=True)
    if ids is not None:
        if len(ids) > IDS_MAX:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"一次最多标记 {IDS_MAX} 条通知，这次有 {len(ids)} 条：请分批标记，或标记全部",
                    f"At most {IDS_MAX} notifications can be marked at once, and this asks for "
                    f"{len(ids)}: mark them in batches, or mark all",
                ),
                field="ids",
            )
        query["_id"] = {"$in": ids}
    result = await Notification.get_pymongo_collection().update_many(
        query, {"$set": {"read_at": utcnow()}}
    )
    return result.modified_count


# --- how each person is reached -----------------------------------------------------------

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
EMAIL_MAX = 254


async def set_preferences(
    viewer: Viewer, *, email: str | None, channels: Mapping[str, list[str]] | None
) -> User:
    """Sets where the viewer's e-mail goes (None: unchanged; empty: none) and, for the kinds
    named, the channels each comes by besides the in-app list (kinds not named keep theirs)."""
    own(viewer)
    changes: dict[str, Any] = {}
    if email is not None:
        address = email.strip()
        if address and (len(address) > EMAIL_MAX or not EMAIL.match(address)):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"“{address[:60]}”不是有效的电子邮件地址",
                    f'"{address[:60]}" is not a valid e-mail address',
                ),
                field="email",
            )
        changes["email"] = address or None
    user = await User.get(viewer.user_id)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, say("没有这个账号", "No such account"))
    if channels:
        changes["channels_by_kind"] = {
            **user.channels_by_kind, **{k: sorted(set(c)) for k, c in channels.items()}
        }  # fmt: skip
    if changes:
        await user.set({**changes, "updated_at": utcnow()})
    return user


async def delivery_failures(limit: int) -> list[tuple[Notification, User | None]]:
    """The notifications whose e-mail was given up on (dead letters), newest first, with
    their recipients: for staff to reach them another way or fix the address."""
    found = (
        await Notification.find({"deliveries.EMAIL.state": "FAILED"})
        .sort("-created_at")
        .limit(limit)
        .to_list()
    )
    users = {u.id: u for u in await User.find(
        {"_id": {"$in": list({n.recipient_id for n in found})}}
    ).to_list()}  # fmt: skip
    return [(n, users.get(n.recipient_id)) for n in found]


# --- reminders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminded:
    """What a reminder run found and told."""

    records: int
    written: int


def _due_query(model: type[Document], start: date, end: date) -> dict[str, Any]:
    """Awaited records whose deadline is on or after ``start`` and before ``end``."""
    awaited = AWAITING_REPLY if model is Suggestion else model.AWAITED  # type: ignore[attr-defined]
    return {
        "state": {"$in": [str(s) for s in awaited]},
        "deadline": {"$gte": datetime.combine(start, time()), "$lt": datetime.combine(end, time())},
    }


async def remind(today: date, days: list[int], *, batch: int = 1000) -> Reminded:
    """Tells the units of every awaited record due within each of ``days`` (``DEADLINE_SOON``,
    by the nearest threshold it is within: 3 days, not also 15) and the units and staff of
    every overdue one (``OVERDUE``). Units' handlers and staff read what they are told of by
    their role (the record is addressed to the unit), so no per-person check is needed.
    Streams the records; memory does not grow with them."""
    staff = await _users({"role": str(Role.STAFF)}, None)
    handlers: dict[ObjectId, list[User]] = {}
    for user in await _users({"role": {"$in": [str(Role.HANDLER), str(Role.FINANCE)]}}, None):
        if user.unit_id is not None:
            handlers.setdefault(user.unit_id, []).append(user)
    thresholds = sorted(set(days))
    bounds = [today, *(today + timedelta(days=d + 1) for d in thresholds)]
    windows: list[tuple[int | None, date, date]] = [(None, date.min, today)]
    windows += [(d, bounds[i], bounds[i + 1]) for i, d in enumerate(thresholds)]
    records = written = 0
    pending: list[dict[str, Any]] = []
    for model in WITH_DEADLINES:
        record_type, what = RECORD_TYPES[model]
        for threshold, start, end in windows:
            query = _due_query(model, start, end)
            async for raw in model.get_pymongo_collection().find(
                query, {"title": 1, "unit_ids": 1, "deadline": 1}
            ):
                records += 1
                deadline = raw["deadline"].date().isoformat()
                people = [u for unit in raw.get("unit_ids", []) for u in handlers.get(unit, [])]
                if threshold is None:
                    kind, tag = NotificationKind.OVERDUE, "overdue"
                    people += staff
                    message = f"{what}“{raw['title']}”已超过办理期限（{deadline}）"
                else:
                    kind, tag = NotificationKind.DEADLINE_SOON, f"due{threshold}"
                    message = f"{what}“{raw['title']}”的办理期限是{deadline}，不到 {threshold} 天了"
                key = f"{record_type}:{raw['_id']}:{deadline}:{tag}"
                pending += [
                    stored_notification(user.id, kind, record_type, raw["_id"], raw["title"],
                                        message, key)
                    for user in {u.id: u for u in people}.values()
                ]  # fmt: skip
                if len(pending) >= batch:
                    written += await write(pending, None)
                    pending = []
    written += await write(pending, None)
    return Reminded(records=records, written=written)
