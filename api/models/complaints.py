"""Consultations and complaints about direct funds (直达资金咨询投诉): anyone submits one, with
no account; staff handle it in a small loop and publish the answer; the submitter follows it
with the receipt code given at submission (only its hash is stored)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import pymongo
from beanie import Document
from pydantic import Field

from api.access import Clauses, Role, Viewer, clauses_filter
from api.labels import LabeledEnum
from api.models.timeline import Event
from api.models.users import utcnow


class ComplaintKind(LabeledEnum):
    CONSULTATION = "CONSULTATION", "咨询"
    COMPLAINT = "COMPLAINT", "投诉"


class ComplaintState(LabeledEnum):
    RECEIVED = "RECEIVED", "已收到"
    HANDLING = "HANDLING", "办理中"
    ANSWERED = "ANSWERED", "已答复"
    DISMISSED = "DISMISSED", "不予受理"


class Complaint(Document):
    """One consultation or complaint, about the county, a township, a village or a policy."""

    kind: ComplaintKind
    text: str
    """What the submitter wrote; never published (it may name people)."""
    region: str = ""
    """The region's code it is about, if any."""
    village: str = ""
    policy: str = ""
    contact: str = ""
    """How to reach the submitter, if they gave it; staff only."""
    receipt_hash: str
    """sha256 of the receipt code, which only the submitter holds."""
    state: ComplaintState = ComplaintState.RECEIVED
    summary: str = ""
    """The question as published with the answer, written by staff."""
    answer: str = ""
    reason: str = ""
    """Why it was not taken up (DISMISSED), as the submitter reads it."""
    answered_at: datetime | None = None
    timeline: list[Event] = Field(default_factory=list)
    revision: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    SEES_ALL: ClassVar[tuple[Role, ...]] = (Role.STAFF, Role.ADMIN, Role.DEPUTY)

    class Settings:
        name = "complaints"
        indexes = [
            pymongo.IndexModel([("receipt_hash", 1)], unique=True),
            pymongo.IndexModel([("state", 1), ("created_at", 1)]),
            pymongo.IndexModel([("created_at", 1)]),
        ]

    @classmethod
    def access(cls, viewer: Viewer) -> Clauses:
        """Staff, admins and deputies read every one; everyone the answered ones (as their
        published summary and answer)."""
        if viewer.role in cls.SEES_ALL:
            return None
        return [{"state": str(ComplaintState.ANSWERED)}]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return clauses_filter(cls.access(viewer))

    def is_party(self, viewer: Viewer) -> bool:
        """Staff handle it; nobody else takes part (the submitter holds a receipt instead)."""
        return False

    @property
    def unit_ids(self) -> list[Any]:
        """No unit is told of its steps."""
        return []

    @property
    def title(self) -> str:
        return f"{self.kind.label}：{self.policy or self.village or self.region or '直达资金'}"


class SubmissionMark(Document):
    """When one client address submitted, within the last hour: what holds the address to its
    limit (``complaints_per_hour``). It goes an hour after the address's last submission; the
    submissions themselves never record where they came from."""

    key: str
    """A hash of the client address."""
    stamps: list[datetime] = Field(default_factory=list)
    expires_at: datetime

    class Settings:
        name = "submission_marks"
        indexes = [
            pymongo.IndexModel([("key", 1)], unique=True),
            pymongo.IndexModel([("expires_at", 1)], expireAfterSeconds=0),
        ]
