"""The public's consultations and complaints about direct funds: submitted by anyone, at most
``complaints_per_hour`` from one client address; followed with a receipt code; handled by
staff in a small loop run by ``api.services.loop.Machine`` (受理, then 答复 published and
更正 if it must be; or, before it is taken up, 不予受理 with the reason the submitter
reads)."""

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.labels import LabeledEnum
from api.language import say
from api.models.budget import Region
from api.models.complaints import Complaint, ComplaintKind, SubmissionMark
from api.models.complaints import ComplaintState as C
from api.models.timeline import event
from api.models.users import utcnow
from api.services.loop import Machine, Step
from api.services.notifications import Audience, announce_created
from api.settings import Settings
from api.transactions import transaction

TEXT_MAX = 1000
ANSWER_MAX = 5000
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""No 0/O or 1/I, which people misread when they copy a receipt."""
RECEIPT_LENGTH = 12
"""60 bits: a receipt cannot be guessed."""


SUBMITTER = Viewer(role=Role.PUBLIC, name="群众")
"""Who submits, as timelines and notifications name them (no account, no name)."""


class Actor(LabeledEnum):
    STAFF = "STAFF", "人大常委会工作人员"


class ComplaintStep(LabeledEnum):
    ACCEPT = "accept", "受理"
    ANSWER = "answer", "答复"
    CORRECT = "correct", "更正答复"
    DISMISS = "dismiss", "不予受理"


S = ComplaintStep
STAFF = (Actor.STAFF,)
LOOP = Machine(
    "咨询投诉",
    "question or complaint",
    [
        Step(S.ACCEPT, (C.RECEIVED,), C.HANDLING, STAFF),
        Step(S.ANSWER, (C.HANDLING,), C.ANSWERED, STAFF),
        Step(S.CORRECT, (C.ANSWERED,), None, STAFF),
        Step(S.DISMISS, (C.RECEIVED,), C.DISMISSED, STAFF),
    ],
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def receipt_hash(receipt: str) -> str:
    """The stored form of a receipt as people type it (any case, full-width or not, with or
    without dashes)."""
    return _hash("".join(c for c in unicodedata.normalize("NFKC", receipt).upper() if c.isalnum()))


@dataclass(frozen=True)
class Submission:
    kind: ComplaintKind
    text: str
    region: str = ""
    village: str = ""
    policy: str = ""
    contact: str = ""


async def submit(
    submission: Submission, *, address: str, settings: Settings
) -> tuple[Complaint, str]:
    """Record a consultation or complaint; returns it and its receipt code (shown once)."""
    text = required_text(
        submission.text, field="text", max_length=TEXT_MAX, what=say("内容", "text")
    )
    region = submission.region.strip()
    if region and await Region.find_one({"code": region}) is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(f"没有地区编码 {region}", f"There is no region code {region}"),
            field="regionCode",
        )
    village = optional_text(submission.village, field="village", max_length=30,
                            what=say("村（社区）", "village (community)"))  # fmt: skip
    if village and not region:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "写了村（社区）时请同时给出乡镇的地区编码",
                "With a village (community), give the region code of its township too",
            ),
            field="regionCode",
        )
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    receipt = "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))
    now = utcnow()
    complaint = Complaint(
        kind=submission.kind, text=text, region=region,
        village=village,
        policy=optional_text(submission.policy, field="policy", max_length=100,
                             what=say("政策名称", "policy name")),
        contact=optional_text(submission.contact, field="contact", max_length=50,
                              what=say("联系方式", "contact")),
        receipt_hash=receipt_hash(code), created_at=now, updated_at=now,
        timeline=[event(SUBMITTER, "submit", "", str(C.RECEIVED), at=now)],
    )  # fmt: skip
    await _within_limit(address, settings)
    async with transaction(Complaint) as session:  # stored and staff told, or neither
        await complaint.insert(session=session)
        await announce_created(
            complaint, SUBMITTER, session, step="submit", label="提交", audience=Audience.STAFF
        )
    return complaint, receipt


async def _within_limit(address: str, settings: Settings) -> None:
    """Count this submission against its address; refused (RATE_LIMITED, and not counted)
    beyond ``complaints_per_hour`` within the last hour. One write keeps the address's times
    and adds this one only while under the limit, so of submissions sent at once exactly the
    first ones within the limit pass."""
    now, limit = utcnow(), settings.complaints_per_hour
    recent = {"$filter": {"input": {"$ifNull": ["$stamps", []]},
                          "cond": {"$gt": ["$$this", now - timedelta(hours=1)]}}}  # fmt: skip
    update: list[dict[str, Any]] = [
        {"$set": {"stamps": recent}},
        {"$set": {"admitted": {"$lt": [{"$size": "$stamps"}, limit]}}},
        {"$set": {
            "stamps": {"$cond": ["$admitted", {"$concatArrays": ["$stamps", [now]]}, "$stamps"]},
            "expires_at": {"$cond": ["$admitted", now + timedelta(hours=1), "$expires_at"]},
        }},
    ]  # fmt: skip
    marks = SubmissionMark.get_pymongo_collection()
    key = {"key": _hash(f"complaint|{address}")}
    try:
        found = await marks.find_one_and_update(
            key, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError:  # two first submissions at once: one inserted, this one updates
        found = await marks.find_one_and_update(key, update, return_document=ReturnDocument.AFTER)
    if found is None or not found["admitted"]:
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            say(
                f"提交过于频繁：每个地址每小时最多 {limit} 件，请一小时后再试",
                f"Too many submissions: at most {limit} an hour from one address; try again "
                "in an hour",
            ),
        )


async def by_receipt(receipt: str) -> Complaint:
    """The submission a receipt belongs to; NOT_FOUND for any other receipt."""
    found = await Complaint.find_one({"receipt_hash": receipt_hash(receipt)})
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say("没有这个回执号：请核对后再查", "No such receipt code: check it and try again"),
            field="receipt",
        )
    return found


@dataclass(frozen=True)
class StepInput:
    note: str = ""
    summary: str = ""
    """ANSWER: the question as it is published."""
    answer: str = ""
    reason: str = ""
    """DISMISS: why, as the submitter reads it."""


async def take_step(
    complaint: Complaint, *, step: ComplaintStep, viewer: Viewer, given: StepInput
) -> Complaint:
    actors = {Actor.STAFF} if viewer.has_role(Role.STAFF) else set()
    LOOP.check(LOOP.step(step), complaint.state, actors)
    if step is S.CORRECT:
        note = required_text(
            given.note, field="note", max_length=2000,
            what=say("更正的理由", "reason for the correction"),
        )  # fmt: skip
    else:
        note = optional_text(given.note, field="note", max_length=2000, what=say("备注", "note"))
    changes: dict[str, object] = {}
    when = utcnow()
    if step in (S.ANSWER, S.CORRECT):
        changes = {
            "summary": required_text(
                given.summary, field="summary", max_length=500,
                what=say("公开的问题摘要", "published summary of the question"),
            ),
            "answer": required_text(given.answer, field="answer", max_length=ANSWER_MAX,
                                    what=say("答复", "answer")),
        }  # fmt: skip
        if step is S.ANSWER:  # a correction keeps the day it was answered
            changes["answered_at"] = when
    if step is S.DISMISS:
        changes["reason"] = required_text(
            given.reason,
            field="reason",
            max_length=500,
            what=say("不予受理的理由", "reason for not taking it up"),
        )
    return await LOOP.take(
        complaint, step=step, actors=actors, viewer=viewer, note=note, changes=changes, at=when
    )
