"""Deputy suggestions (代表建议) and everything that happens to them in the closed loop
提-交-办-督-评: assignment, replies with commitments, supervision records, evaluations, and
the timeline of every transition. One document per suggestion, so a transition and its
timeline event are one atomic write."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pymongo
from beanie import Document, PydanticObjectId
from bson import ObjectId
from pydantic import BaseModel, Field

from api.access import Clauses, Role, Viewer, clauses_filter
from api.labels import LabeledEnum
from api.models.attachments import Attachment
from api.models.budget import BudgetLink
from api.models.regulations import Visibility
from api.models.timeline import Event
from api.models.users import utcnow


class SuggestionKind(LabeledEnum):
    SUGGESTION = "SUGGESTION", "建议"
    CRITICISM = "CRITICISM", "批评"
    OPINION = "OPINION", "意见"
    MOTION = "MOTION", "议案"


class SuggestionState(LabeledEnum):
    DRAFT = "DRAFT", "草稿"
    SUBMITTED = "SUBMITTED", "已提交"
    NOT_REGISTERED = "NOT_REGISTERED", "不予立案"
    REGISTERED = "REGISTERED", "已立案"
    ASSIGNED = "ASSIGNED", "已交办"
    HANDLING = "HANDLING", "办理中"
    REPLIED = "REPLIED", "已答复"
    EVALUATED = "EVALUATED", "已评价"
    CLOSED = "CLOSED", "已办结"
    WITHDRAWN = "WITHDRAWN", "已撤回"
    """Withdrawn by its lead deputy before registration: no longer filed, kept for the record."""
    MERGED = "MERGED", "已并案"
    """Merged (并案) into another suggestion on the same matter, handled as part of it."""


UNPUBLISHED = (
    SuggestionState.DRAFT,
    SuggestionState.SUBMITTED,
    SuggestionState.NOT_REGISTERED,
    SuggestionState.WITHDRAWN,
)
"""States in which only the deputies who filed it and staff see a suggestion, public or not."""

AWAITING_REPLY = (SuggestionState.ASSIGNED, SuggestionState.HANDLING)
"""States in which the deadline runs: past it, the suggestion is overdue."""


class ResultClass(LabeledEnum):
    """How a reply resolves the suggestion (答复类别)."""

    A = "A", "已解决或基本解决"
    B = "B", "正在解决或列入计划解决"
    C = "C", "因条件限制暂时不能解决或留作参考"


class Satisfaction(LabeledEnum):
    SATISFIED = "SATISFIED", "满意"
    BASICALLY_SATISFIED = "BASICALLY_SATISFIED", "基本满意"
    UNSATISFIED = "UNSATISFIED", "不满意"


class UnitRole(LabeledEnum):
    LEAD = "LEAD", "主办"
    CO = "CO", "协办"


class SupervisionMethod(LabeledEnum):
    PHONE = "PHONE", "电话督办"
    WRITTEN = "WRITTEN", "书面督办"
    VISIT = "VISIT", "实地督办"
    MEETING = "MEETING", "座谈督办"
    THREE_PARTY_MEETING = "THREE_PARTY_MEETING", "提督办三方见面"


class Commitment(BaseModel):
    """A promise made in a reply (承诺事项), to be done by a date."""

    id: PydanticObjectId = Field(default_factory=lambda: PydanticObjectId(ObjectId()))
    text: str
    due_on: date
    done: bool = False
    done_at: datetime | None = None


class Reply(BaseModel):
    """A unit's answer (答复) in one round of handling."""

    id: PydanticObjectId = Field(default_factory=lambda: PydanticObjectId(ObjectId()))
    unit_id: PydanticObjectId
    unit_role: UnitRole
    round: int
    text: str
    result_class: ResultClass
    commitments: list[Commitment] = Field(default_factory=list)
    public: bool
    """Shown to the public with the suggestion."""
    replied_at: datetime
    replied_by: str
    on_time: bool


class SupervisionRecord(BaseModel):
    """One act of supervision (督办), or a three-party meeting of deputy, staff and unit."""

    id: PydanticObjectId = Field(default_factory=lambda: PydanticObjectId(ObjectId()))
    held_on: date
    method: SupervisionMethod
    note: str
    recorded_by: str
    recorded_at: datetime


class Evaluation(BaseModel):
    """The lead deputy's judgement of a round's reply (评)."""

    round: int
    satisfaction: Satisfaction
    note: str
    evaluated_at: datetime


class Suggestion(Document):
    """A deputy's suggestion, criticism, opinion or motion and its way through the loop."""

    session_id: PydanticObjectId
    number: int | None = None
    """Given at registration (立案), unique within the session; shown as 第0123号."""
    kind: SuggestionKind
    title: str
    body: str
    lead_deputy_id: PydanticObjectId
    cosigner_ids: list[PydanticObjectId] = Field(default_factory=list)
    category: str
    keywords: list[str] = Field(default_factory=list)
    theme: str = ""
    """督办主线: the supervision theme it is followed under, if any."""
    key_supervision: bool = False
    visibility: Visibility = Visibility.PUBLIC
    attachments: list[Attachment] = Field(default_factory=list)

    state: SuggestionState = SuggestionState.DRAFT
    round: int = 1
    """Which round of handling: 2 after one re-handle, and so on."""
    rehandle_count: int = 0
    rejection_reason: str = ""
    lead_unit_id: PydanticObjectId | None = None
    co_unit_ids: list[PydanticObjectId] = Field(default_factory=list)
    unit_ids: list[PydanticObjectId] = Field(default_factory=list)
    """Lead and co-units together: what a handler's unit must be among to see it."""
    assigned_at: datetime | None = None
    deadline: date | None = None
    """The current round's deadline; overdue when past it and not yet replied."""
    replied_at: datetime | None = None
    """When the lead unit replied in the current round."""
    on_time: bool | None = None
    """Whether that reply came by the deadline."""
    satisfaction: Satisfaction | None = None
    """The latest evaluation's."""
    replies: list[Reply] = Field(default_factory=list)
    supervision: list[SupervisionRecord] = Field(default_factory=list)
    evaluations: list[Evaluation] = Field(default_factory=list)
    timeline: list[Event] = Field(default_factory=list)
    follower_ids: list[PydanticObjectId] = Field(default_factory=list)
    merged_into: PydanticObjectId | None = None
    """The suggestion it was merged into (state MERGED)."""
    merged_ids: list[PydanticObjectId] = Field(default_factory=list)
    """The suggestions merged into this one (并案), handled as part of it."""
    merged_deputy_ids: list[PydanticObjectId] = Field(default_factory=list)
    """Their lead deputies and co-signers: they read this one's handling as their own."""
    budget_links: list[BudgetLink] = Field(default_factory=list)
    """The money behind it (see ``Suggestion.spending`` in GraphQL)."""
    """Users who follow it (关注) besides its own deputies, who always do."""

    filed_at: datetime | None = None
    """When the deputy submitted it."""
    created_by: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    revision: int = 0
    """Raised by every write: a transition applies only to the revision it was checked on."""

    class Settings:
        name = "suggestions"
        indexes = [
            pymongo.IndexModel(
                [("session_id", 1), ("number", 1)],
                unique=True,
                partialFilterExpression={"number": {"$type": "int"}},
                name="number_in_session",
            ),
            pymongo.IndexModel([("session_id", 1), ("state", 1)]),
            pymongo.IndexModel([("number", 1), ("_id", 1)]),
            pymongo.IndexModel([("filed_at", 1), ("_id", 1)]),
            pymongo.IndexModel([("deadline", 1), ("_id", 1)]),
            pymongo.IndexModel([("updated_at", 1), ("_id", 1)]),
            pymongo.IndexModel([("state", 1), ("deadline", 1)]),
            pymongo.IndexModel([("unit_ids", 1), ("state", 1), ("deadline", 1)]),
            pymongo.IndexModel([("lead_unit_id", 1), ("session_id", 1)]),
            pymongo.IndexModel([("lead_deputy_id", 1), ("filed_at", 1)]),
            pymongo.IndexModel([("cosigner_ids", 1)]),
            pymongo.IndexModel([("merged_deputy_ids", 1)]),
            pymongo.IndexModel([("follower_ids", 1), ("updated_at", 1)]),
            pymongo.IndexModel([("kind", 1)]),
            pymongo.IndexModel([("category", 1), ("session_id", 1)]),
            pymongo.IndexModel([("keywords", 1)]),
            pymongo.IndexModel([("theme", 1), ("session_id", 1)]),
            pymongo.IndexModel([("key_supervision", 1), ("deadline", 1)]),
            pymongo.IndexModel([("satisfaction", 1)]),
        ]

    @property
    def number_label(self) -> str:
        return f"第{self.number:04d}号" if self.number is not None else ""

    @classmethod
    def access(cls, viewer: Viewer) -> Clauses:
        """Who reads which suggestions (DOMAIN.md): staff and admins all; deputies their own,
        co-signed, followed and the public ones; handlers what is assigned to their unit and
        the public ones (so does finance linked to its bureau); everyone else the public
        ones; the deputies of a suggestion merged into another read that one too. A
        suggestion is public once it is registered and its visibility is PUBLIC."""
        if viewer.has_role(Role.STAFF, Role.ADMIN):
            return None
        public = {
            "visibility": str(Visibility.PUBLIC),
            "state": [str(s) for s in SuggestionState if s not in UNPUBLISHED],
        }
        clauses: list[dict[str, Any]] = [public]
        if viewer.has_role(Role.DEPUTY):
            if viewer.deputy_id is not None:
                clauses += [
                    {"lead_deputy_id": viewer.deputy_id},
                    {"cosigner_ids": viewer.deputy_id},
                    {"merged_deputy_ids": viewer.deputy_id},
                ]
            if viewer.user_id is not None:
                clauses.append({"follower_ids": viewer.user_id})
        if viewer.unit_acted_for is not None:  # a handler, or finance for its bureau
            clauses.append({"unit_ids": viewer.unit_acted_for})
        return clauses

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return clauses_filter(cls.access(viewer))

    def is_party(self, viewer: Viewer) -> bool:
        """Whether ``viewer`` takes part in its handling: its lead deputy or a co-signer (of
        it or of a suggestion merged into it), or a handler of a unit it is assigned to (see
        ``api.access.handling``)."""
        if viewer.has_role(Role.DEPUTY) and viewer.deputy_id is not None:
            return viewer.deputy_id in (
                self.lead_deputy_id,
                *self.cosigner_ids,
                *self.merged_deputy_ids,
            )
        if viewer.unit_acted_for is not None:
            return viewer.unit_acted_for in self.unit_ids
        return False


class SuggestionTally(Document):
    """How many filed suggestions of one session are in one state, in one group of one
    grouping (by session, lead unit, topic, theme, or each unit they are addressed to), with
    the counts the statistics report. A suggestion awaiting its reply also counts under the
    month of its deadline, so that the overdue ones are known without reading them all.
    Every change of a suggestion moves it between tallies in the same transaction
    (``api.services.suggestion_tallies``); statistics and the supervision overview read the
    tallies instead of every suggestion."""

    grouping: str
    """SESSION, UNIT (lead unit), TOPIC, THEME, or ADDRESSED (each of ``unit_ids``)."""
    key: Any
    """The group: a session or unit id, a topic or theme; None for none (not yet assigned)."""
    session_id: PydanticObjectId
    state: SuggestionState
    due_month: datetime | None = None
    """The first day of the deadline's month, while awaiting a reply; None otherwise."""
    suggestions: int = 0
    assigned: int = 0
    replied: int = 0
    on_time: int = 0
    evaluated: int = 0
    satisfied: int = 0
    rehandles: int = 0

    class Settings:
        name = "suggestion_tallies"
        indexes = [
            pymongo.IndexModel(
                [("grouping", 1), ("session_id", 1), ("key", 1), ("state", 1),
                 ("due_month", 1)],
                unique=True,
                name="tally",
            ),
        ]  # fmt: skip
