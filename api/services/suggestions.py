"""Filing, editing, following and finding deputy suggestions. The loop's steps are in
``suggestion_loop``."""

import logging
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

import meilisearch
from bson import ObjectId

from api.access import Role, Viewer, get_visible, visible
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.labels import LabeledEnum
from api.language import say
from api.models.people import CongressSession, Deputy
from api.models.regulations import Visibility
from api.models.suggestions import (
    AWAITING_REPLY,
    Satisfaction,
    Suggestion,
    SuggestionKind,
    SuggestionState,
)
from api.models.timeline import event
from api.models.users import midnight, utcnow
from api.paging import Sort
from api.services.people import existing
from api.services.suggestion_loop import LOOP, SuggestionStep, actors_of, submit
from search.indexes import SUGGESTION_ACCESS, SUGGESTIONS
from search.matching import matching_ids

log = logging.getLogger("jiandu.suggestions")

KEYWORDS_MAX = 10
COSIGNERS_MAX = 100
TEXT_MATCHES_MAX = 1000
"""A text query narrows a list to at most this many best matches."""


@dataclass(frozen=True)
class SuggestionDraft:
    """What a deputy writes: everything but the loop's own data."""

    kind: SuggestionKind
    title: str
    body: str
    category: str
    keywords: list[str] = field(default_factory=list)
    theme: str = ""
    key_supervision: bool = False
    visibility: Visibility = Visibility.PUBLIC
    cosigner_ids: list[ObjectId] = field(default_factory=list)


LABELS = {"kind": "类别", "title": "标题", "body": "内容", "category": "主题分类",
          "keywords": "关键词", "theme": "督办主线", "key_supervision": "重点督办",
          "visibility": "公开", "cosigner_ids": "附议代表"}  # fmt: skip
"""What people call each part of a draft (the ledger's columns, a correction's note)."""


def _keywords(words: list[str]) -> list[str]:
    cleaned = list(
        dict.fromkeys(
            required_text(w, field="keywords", max_length=20, what=say("关键词", "keyword"))
            for w in words
        )
    )
    if len(cleaned) > KEYWORDS_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"关键词最多 {KEYWORDS_MAX} 个", f"At most {KEYWORDS_MAX} keywords"),
            field="keywords",
        )
    return cleaned


async def checked_draft(draft: SuggestionDraft, lead_deputy_id: ObjectId) -> dict[str, Any]:
    """The draft's fields as stored, each checked."""
    if lead_deputy_id in draft.cosigner_ids:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("领衔代表不必再附议", "The lead deputy need not co-sign as well"),
            field="cosignerIds",
        )
    if len(draft.cosigner_ids) > COSIGNERS_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"附议代表最多 {COSIGNERS_MAX} 人", f"At most {COSIGNERS_MAX} co-signers"),
            field="cosignerIds",
        )
    return {
        "kind": draft.kind,
        "title": required_text(
            draft.title, field="title", max_length=200, what=say("标题", "title")
        ),
        "body": required_text(
            draft.body, field="body", max_length=20_000, what=say("正文", "body")
        ),
        "category": required_text(
            draft.category, field="category", max_length=50, what=say("主题分类", "topic category")
        ),
        "keywords": _keywords(draft.keywords),
        "theme": optional_text(
            draft.theme, field="theme", max_length=50, what=say("督办主线", "supervision theme")
        ),
        "key_supervision": draft.key_supervision,
        "visibility": draft.visibility,
        "cosigner_ids": await existing(
            Deputy, draft.cosigner_ids, field="cosignerIds", what=say("代表", "deputy")
        ),
    }


def _staff_only(viewer: Viewer, *, theme: bool, key_supervision: bool) -> None:
    """The supervision theme and key supervision are staff's decisions."""
    if viewer.has_role(Role.STAFF):
        return
    for given, name in ((theme, "theme"), (key_supervision, "keySupervision")):
        if given:
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say(
                    "只有工作人员可以设置督办主线和重点督办",
                    "Only staff may set the supervision theme and key supervision",
                ),
                field=name,
            )


async def create_suggestion(
    *,
    viewer: Viewer,
    session_id: ObjectId | None,
    draft: SuggestionDraft,
    lead_deputy_id: ObjectId | None = None,
    submit_now: bool = False,
    at: datetime | None = None,
) -> Suggestion:
    """A new draft by a deputy (the lead deputy is the caller's deputy profile) or by staff
    entering one for a deputy; ``submit_now`` submits it at once."""
    if viewer.has_role(Role.DEPUTY):
        if viewer.deputy_id is None:
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say("你的账号没有关联代表信息", "Your account is not linked to a deputy"),
            )
        if lead_deputy_id not in (None, viewer.deputy_id):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say(
                    "代表只能以领衔代表的身份提出建议",
                    "A deputy can only file a suggestion as its lead deputy",
                ),
                field="leadDeputyId",
            )
        lead_deputy_id = viewer.deputy_id
    if lead_deputy_id is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("请指定领衔代表", "Name the lead deputy"),
            field="leadDeputyId",
        )
    _staff_only(viewer, theme=bool(draft.theme), key_supervision=draft.key_supervision)
    (lead,) = await existing(
        Deputy, [lead_deputy_id], field="leadDeputyId", what=say("代表", "deputy")
    )
    if session_id is None or await CongressSession.get(session_id) is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这个会次", "No such session"), field="sessionId"
        )
    when = at or utcnow()
    suggestion = Suggestion(
        session_id=session_id,
        lead_deputy_id=lead,
        created_by=viewer.user_id,
        created_at=when,
        updated_at=when,
        timeline=[event(viewer, "create", "", SuggestionState.DRAFT, at=when)],
        **await checked_draft(draft, lead),
    )
    await suggestion.insert()
    if submit_now:
        return await submit(suggestion=suggestion, viewer=viewer, at=when)
    return suggestion


def draft_of(suggestion: Suggestion) -> SuggestionDraft:
    return SuggestionDraft(**{f.name: getattr(suggestion, f.name) for f in fields(SuggestionDraft)})


async def edit_suggestion(
    *,
    suggestion: Suggestion,
    viewer: Viewer,
    changes: dict[str, Any],
    at: datetime | None = None,
) -> Suggestion:
    """Change what the deputy wrote: the deputy (or staff) while it is a draft, staff
    afterwards (更正), e.g. to set the supervision theme or the key-supervision flag."""
    _staff_only(viewer, theme="theme" in changes, key_supervision="key_supervision" in changes)
    step = (
        SuggestionStep.EDIT if suggestion.state is SuggestionState.DRAFT else SuggestionStep.CORRECT
    )
    draft = replace(draft_of(suggestion), **changes)
    checked = await checked_draft(draft, suggestion.lead_deputy_id)
    changed = {k: v for k, v in checked.items() if k in changes}
    return await LOOP.take(
        suggestion,
        step=step,
        actors=actors_of(viewer, suggestion),
        viewer=viewer,
        note="、".join(LABELS[name] for name in LABELS if name in changed),
        changes=changed,
        at=at,
    )


async def get_suggestion(
    *, suggestion_id: ObjectId | None, viewer: Viewer, field: str = "id"
) -> Suggestion:
    return await get_visible(  # type: ignore[no-any-return]
        Suggestion,
        object_id=suggestion_id,
        viewer=viewer,
        what=say("建议", "suggestion"),
        field=field,
    )


def own(viewer: Viewer) -> dict[str, Any]:
    """The suggestions a deputy filed or co-signed (nothing for anyone else)."""
    if viewer.deputy_id is None:
        return {"_id": {"$in": []}}
    return {"$or": [{"lead_deputy_id": viewer.deputy_id}, {"cosigner_ids": viewer.deputy_id}]}


def followed(viewer: Viewer) -> dict[str, Any]:
    """What a user follows: their own and co-signed ones always, those theirs were merged
    into (并案), and those they chose."""
    merged = [{"merged_deputy_ids": viewer.deputy_id}] if viewer.deputy_id is not None else []
    return {"$or": [own(viewer), *merged, {"follower_ids": viewer.user_id}]}


async def follow(*, suggestion: Suggestion, viewer: Viewer) -> Suggestion:
    """Follow (关注) a suggestion one may see; following twice keeps one follow."""
    await Suggestion.get_pymongo_collection().update_one(
        {"_id": suggestion.id}, {"$addToSet": {"follower_ids": viewer.user_id}}
    )
    if viewer.user_id not in suggestion.follower_ids:
        suggestion.follower_ids.append(viewer.user_id)  # type: ignore[arg-type]
    return suggestion


async def unfollow(*, suggestion: Suggestion, viewer: Viewer) -> Suggestion:
    if viewer.deputy_id is not None and viewer.deputy_id in (
        suggestion.lead_deputy_id,
        *suggestion.cosigner_ids,
        *suggestion.merged_deputy_ids,
    ):
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                "这是你提出、附议或并入的建议，始终关注，不能取消",
                "You filed, co-signed or merged into this suggestion: you always follow it "
                "and cannot unfollow",
            ),
        )
    await Suggestion.get_pymongo_collection().update_one(
        {"_id": suggestion.id}, {"$pull": {"follower_ids": viewer.user_id}}
    )
    suggestion.follower_ids = [f for f in suggestion.follower_ids if f != viewer.user_id]
    return suggestion


def is_followed(viewer: Viewer, suggestion: Suggestion) -> bool:
    return viewer.user_id in suggestion.follower_ids or (
        viewer.deputy_id is not None
        and viewer.deputy_id
        in (suggestion.lead_deputy_id, *suggestion.cosigner_ids, *suggestion.merged_deputy_ids)
    )


# --- lists ------------------------------------------------------------------------------


class SuggestionSort(LabeledEnum):
    NUMBER = "NUMBER", "按编号"
    NEWEST = "NEWEST", "按提出时间从新到旧"
    DEADLINE = "DEADLINE", "按办理期限从近到远"
    RECENTLY_UPDATED = "RECENTLY_UPDATED", "按最近变化"


SORTS = {
    SuggestionSort.NUMBER: Sort("number"),
    SuggestionSort.NEWEST: Sort("filed_at", descending=True),
    SuggestionSort.DEADLINE: Sort("deadline"),
    SuggestionSort.RECENTLY_UPDATED: Sort("updated_at", descending=True),
}


@dataclass(frozen=True)
class SuggestionFilter:
    """Each given criterion narrows the list; lists mean any of their values."""

    session_ids: list[ObjectId] = field(default_factory=list)
    states: list[SuggestionState] = field(default_factory=list)
    kinds: list[SuggestionKind] = field(default_factory=list)
    unit_id: ObjectId | None = None
    """Lead or co-unit."""
    deputy_id: ObjectId | None = None
    """Lead deputy or co-signer."""
    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    key_supervision: bool | None = None
    overdue: bool | None = None
    due_within_days: int | None = None
    satisfactions: list[Satisfaction] = field(default_factory=list)
    text: str = ""


def overdue_condition(today: date) -> dict[str, Any]:
    """Past the deadline and not yet replied."""
    return {"state": {"$in": list(AWAITING_REPLY)}, "deadline": {"$lt": midnight(today)}}


def conditions(given: SuggestionFilter, *, today: date) -> list[dict[str, Any]]:
    """The MongoDB conditions of a filter (the text query aside)."""
    parts: list[dict[str, Any]] = []
    for name, values in (
        ("session_id", given.session_ids),
        ("state", given.states),
        ("kind", given.kinds),
        ("category", given.categories),
        ("keywords", given.keywords),
        ("theme", given.themes),
        ("satisfaction", given.satisfactions),
    ):
        if values:
            parts.append({name: {"$in": list(values)}})
    if given.unit_id is not None:
        parts.append({"unit_ids": given.unit_id})
    if given.deputy_id is not None:
        parts.append(
            {"$or": [{"lead_deputy_id": given.deputy_id}, {"cosigner_ids": given.deputy_id}]}
        )
    if given.key_supervision is not None:
        parts.append({"key_supervision": given.key_supervision})
    if given.overdue is True:
        parts.append(overdue_condition(today))
    elif given.overdue is False:
        parts.append({"$nor": [overdue_condition(today)]})
    if given.due_within_days is not None:
        if not 0 <= given.due_within_days <= 366:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say("dueWithinDays 应在 0 到 366 之间", "dueWithinDays must be 0 to 366"),
                field="dueWithinDays",
            )
        last = today + timedelta(days=given.due_within_days)
        parts.append(
            {
                "state": {"$in": list(AWAITING_REPLY)},
                "deadline": {"$gte": midnight(today), "$lte": midnight(last)},
            }
        )
    return parts


async def list_query(
    given: SuggestionFilter,
    *,
    viewer: Viewer,
    today: date,
    client: meilisearch.Client,
    prefix: str,
    scope: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The MongoDB filter of a list: what the viewer may see, within ``scope``, matching the
    filter; a text query narrows it to the best matches found by search (same permissions)."""
    parts = conditions(given, today=today)
    if scope:
        parts.append(scope)
    if given.text.strip():
        text = optional_text(
            given.text, field="query", max_length=200, what=say("检索词", "search text")
        )
        ids = await matching_ids(
            client, index=SUGGESTIONS, access=Suggestion.access(viewer),
            fields=SUGGESTION_ACCESS, text=text, prefix=prefix, limit=TEXT_MATCHES_MAX,
        )  # fmt: skip
        parts.append({"_id": {"$in": [ObjectId(i) for i in ids]}})
    return visible(Suggestion, viewer, *parts)
