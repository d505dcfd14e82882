"""Who is asking, and the one visibility filter per collection that every read goes through.

Each document class that GraphQL exposes defines ``visible_to(viewer)``: a MongoDB filter
selecting exactly the documents that viewer may read. Lists, counts, ``node()`` and (from
the search issue on) search filters are all built from it, so no read path can widen it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar

from bson import ObjectId

from api.labels import LabeledEnum


class Role(LabeledEnum):
    """The people who use jiandu (DOMAIN.md, "The people")."""

    PUBLIC = "PUBLIC", "社会公众"
    DEPUTY = "DEPUTY", "人大代表"
    STAFF = "STAFF", "人大常委会工作人员"
    HANDLER = "HANDLER", "承办单位工作人员"
    FINANCE = "FINANCE", "财政部门"
    ADMIN = "ADMIN", "系统管理员"


NOTHING: Mapping[str, Any] = {"_id": {"$in": []}}
"""A filter that matches no document."""


@dataclass(frozen=True)
class Viewer:
    """The caller of one request: anonymous callers are ``PUBLIC`` with no user."""

    role: Role
    user_id: ObjectId | None = None
    token_id: ObjectId | None = None
    unit_id: ObjectId | None = None
    deputy_id: ObjectId | None = None
    name: str = ""
    """The account's display name, as timelines record who acted."""

    ANONYMOUS: ClassVar["Viewer"]

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def unit_acted_for(self) -> ObjectId | None:
        """The unit whose assigned work this viewer does: a handler's, or finance's when it
        is linked to its bureau (财政局 is a co-unit of many suggestions); None for others."""
        return self.unit_id if self.role in (Role.HANDLER, Role.FINANCE) else None


Viewer.ANONYMOUS = Viewer(role=Role.PUBLIC)


class Visible(Protocol):
    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]: ...


async def get_visible(
    model: Any, *, object_id: ObjectId | None, viewer: Viewer, what: str, field: str = "id"
) -> Any:
    """The document of ``model`` with that id, refused as NOT_FOUND (naming ``what``) when it
    does not exist or the viewer may not read it: the two are indistinguishable on purpose."""
    from api.errors import DomainError, ErrorCode
    from api.language import say

    if object_id is not None:
        found = await model.find_one(visible(model, viewer, {"_id": object_id}))
        if found is not None:
            return found
    raise DomainError(
        ErrorCode.NOT_FOUND,
        say(f"没有这个{what}，或你无权查看", f"No such {what}, or you may not see it"),
        field=field,
    )


Clauses = list[dict[str, Any]] | None
"""Who may read what, as data both MongoDB and Meilisearch filters are built from: ``None``
reads everything; otherwise a document is readable when any clause matches it, a clause
matching when each of its fields holds its value (a list value: any of those values)."""


def clauses_filter(clauses: Clauses) -> Mapping[str, Any]:
    """The MongoDB filter of access clauses."""
    if clauses is None:
        return {}
    if not clauses:
        return NOTHING
    parts = [
        {f: {"$in": v} if isinstance(v, list) else v for f, v in clause.items()}
        for clause in clauses
    ]
    return parts[0] if len(parts) == 1 else {"$or": parts}


def admits(clauses: Clauses, stored: Mapping[str, Any]) -> bool:
    """Whether access clauses admit a document as MongoDB stores it: the reading MongoDB
    gives ``clauses_filter`` (a field holding an array matches when any element does), for
    deciding of many readers of one document without asking the database for each."""
    if clauses is None:
        return True

    def holds(field: str, wanted: Any) -> bool:
        value = stored.get(field)
        values = value if isinstance(value, list) else [value]
        allowed = wanted if isinstance(wanted, list) else [wanted]
        return any(v in allowed for v in values)

    return any(all(holds(f, w) for f, w in clause.items()) for clause in clauses)


def all_of(*filters: Mapping[str, Any]) -> dict[str, Any]:
    """One MongoDB filter requiring each of these (empty ones left out)."""
    parts = [dict(f) for f in filters if f]
    return {} if not parts else parts[0] if len(parts) == 1 else {"$and": parts}


def visible(model: type[Visible], viewer: Viewer, *conditions: Mapping[str, Any]) -> dict[str, Any]:
    """The MongoDB filter for ``conditions`` restricted to what ``viewer`` may read."""
    return all_of(model.visible_to(viewer), *conditions)


# --- who sees the handling of a record they may read --------------------------------------


class HasParties(Protocol):
    """A closed-loop record (a suggestion, an opinion, an audit finding, a warning) that
    knows who takes part in its handling."""

    def is_party(self, viewer: Viewer) -> bool: ...


class Step(Protocol):
    """A timeline entry, as far as visibility cares."""

    from_state: str
    to_state: str


class MaybePublic(Protocol):
    """A reply, which its unit marks public or not."""

    public: bool


R = TypeVar("R", bound=MaybePublic)
E = TypeVar("E", bound=Step)
S = TypeVar("S")


@dataclass(frozen=True)
class Handling:
    """What of the handling (办理) of one record one viewer may read, field by field. Who
    may read the record at all is its ``visible_to`` filter; this decides what of it.

    | field | parties (and staff, admins) | everyone else who may read the record |
    |---|---|---|
    | replies (答复), latest reply | all | the public ones |
    | timeline | every step, who took it, its note | state changes only, without who or note |
    | supervision records (督办) | all | none |
    | staff's and handlers' names | shown | null |
    | deputies' evaluation notes | shown | null (the satisfaction is shown) |
    """

    party: bool
    """The viewer takes part in the handling, or is staff or an admin."""

    def replies(self, replies: list[R]) -> list[R]:
        """The replies this viewer may read."""
        return replies if self.party else [r for r in replies if r.public]

    def timeline(self, events: list[E]) -> list[E]:
        """The timeline entries this viewer may read (who and note: see ``name``, ``note``)."""
        return events if self.party else [e for e in events if e.from_state != e.to_state]

    def supervision(self, records: list[S]) -> list[S]:
        """The supervision records this viewer may read: all, or none."""
        return records if self.party else []

    def name(self, value: str) -> str | None:
        """A staff member's or a handler's name, when this viewer may read it."""
        return value if self.party else None

    def note(self, value: str) -> str | None:
        """A step's note or a deputy's evaluation note, when this viewer may read it."""
        return value if self.party else None


def handling(viewer: Viewer, record: HasParties) -> Handling:
    """The one rule of who sees a record's handling (README, "Who sees what"): staff and
    admins, and the record's parties (a suggestion's lead deputy and co-signers and the
    handlers of the units it is assigned to; for opinions, audit findings and warnings the
    handlers and finance of the units it is addressed to) read all of it. Everyone else
    who may read the record (the public, finance, deputies not party to it, other units'
    handlers) reads its outcome: state, dates, satisfaction, public replies, never another
    unit's internal replies, supervision records, personal names or evaluation notes."""
    return Handling(party=viewer.has_role(Role.STAFF, Role.ADMIN) or record.is_party(viewer))
