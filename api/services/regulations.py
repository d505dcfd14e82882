"""The regulation library: create, edit, change the status of and delete documents, keep the
versions of a work in order, and answer "which version was in force on date D".

Every write that touches more than one document (a new version amends the one before it; a
deletion removes the excerpts and favorites that point at it) is one transaction.
"""

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from beanie import PydanticObjectId
from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession

from api import access
from api.access import Viewer, visible
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.language import say
from api.models.regulations import (
    Excerpt,
    FavoriteFolder,
    HeadingKind,
    Level,
    Regulation,
    RegulationKind,
    RegulationStatus,
    Visibility,
)
from api.models.users import utcnow
from api.services.regulation_text import UnreadableFile, parse
from api.transactions import transaction

TITLE_MAX = 200
SHORT_TEXT_MAX = 100
LABELS_MAX = 20
LABEL_MAX = 30
TEXT_MAX = 2_000_000
"""Characters of a document's text: several times the longest code of law."""


@dataclass
class RegulationDraft:
    """What a person (or an import) says about a document; the structure comes from its text."""

    title: str
    kind: RegulationKind
    level: Level
    status: RegulationStatus | None = None
    """None: derived from the dates (NOT_YET_EFFECTIVE until it takes effect)."""
    visibility: Visibility = Visibility.PUBLIC
    region: str = ""
    document_number: str = ""
    issuing_body: str = ""
    promulgated_on: date | None = None
    effective_on: date | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _labels(values: list[str], *, field: str) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(cleaned) > LABELS_MAX or any(len(v) > LABEL_MAX for v in cleaned):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"最多 {LABELS_MAX} 项，每项最多 {LABEL_MAX} 个字",
                f"At most {LABELS_MAX} entries, each of at most {LABEL_MAX} characters",
            ),
            field=field,
        )
    return cleaned


def _checked(draft: RegulationDraft) -> RegulationDraft:
    if draft.promulgated_on and draft.effective_on and draft.effective_on < draft.promulgated_on:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "施行日期不能早于公布日期",
                "The effective date cannot be before the promulgation date",
            ),
            field="effectiveOn",
        )
    return RegulationDraft(
        title=required_text(
            draft.title, field="title", max_length=TITLE_MAX, what=say("标题", "title")
        ),
        kind=draft.kind,
        level=draft.level,
        status=draft.status,
        visibility=draft.visibility,
        region=optional_text(
            draft.region, field="region", max_length=SHORT_TEXT_MAX, what=say("地区", "region")
        ),
        document_number=optional_text(
            draft.document_number,
            field="documentNumber",
            max_length=SHORT_TEXT_MAX,
            what=say("文号", "document number"),
        ),
        issuing_body=optional_text(
            draft.issuing_body,
            field="issuingBody",
            max_length=SHORT_TEXT_MAX,
            what=say("制定机关", "issuing body"),
        ),
        promulgated_on=draft.promulgated_on,
        effective_on=draft.effective_on,
        categories=_labels(draft.categories, field="categories"),
        tags=_labels(draft.tags, field="tags"),
    )


def _status(draft: RegulationDraft, today: date) -> RegulationStatus:
    if draft.status is not None:
        return draft.status
    starts = draft.effective_on or draft.promulgated_on
    return (
        RegulationStatus.NOT_YET_EFFECTIVE
        if starts and starts > today
        else (RegulationStatus.EFFECTIVE)
    )


def content_hash(draft: RegulationDraft, text: str) -> str:
    described = repr([getattr(draft, f.name) for f in fields(draft)])
    return hashlib.sha256(f"{described}\n{text}".encode()).hexdigest()


def build(draft: RegulationDraft, text: str, *, source: str = "") -> dict[str, Any]:
    """The stored fields of a document from its description and its text."""
    if len(text) > TEXT_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(f"正文最多 {TEXT_MAX} 个字", f"The text may have at most {TEXT_MAX} characters"),
            field="text",
        )
    draft = _checked(draft)
    try:
        structure = parse(text)
    except UnreadableFile as e:
        raise DomainError(ErrorCode.INVALID_INPUT, str(e), field="text") from None
    preamble = structure.preamble
    if structure.title and structure.title != draft.title:
        # A first line that is not the title is part of the text.
        preamble = f"{structure.title}\n{preamble}".strip()
    return {
        "title": draft.title,
        "kind": draft.kind,
        "level": draft.level,
        "status": _status(draft, date.today()),
        "visibility": draft.visibility,
        "region": draft.region,
        "document_number": draft.document_number,
        "issuing_body": draft.issuing_body,
        "promulgated_on": draft.promulgated_on,
        "effective_on": draft.effective_on,
        "categories": draft.categories,
        "tags": draft.tags,
        "preamble": preamble,
        "headings": structure.headings,
        "articles": structure.articles,
        "source": source,
        "content_hash": content_hash(draft, text),
        "updated_at": utcnow(),
    }


async def _order_versions(work_id: PydanticObjectId, session: AsyncClientSession) -> None:
    """Every version of a work that is not repealed is AMENDED by the next one that all its
    readers may read, ending when that one took effect. An internal version (a draft for
    deputies) does not end a public one: the public would see it amended by nothing they can
    read, and on a date that tells of the draft; it does once it is made public."""
    versions = (
        await Regulation.find({"work_id": work_id}, session=session)
        .sort("promulgated_on")
        .to_list()
    )
    for at, older in enumerate(versions):
        if older.status is RegulationStatus.REPEALED:
            continue
        newer = next(
            (
                v
                for v in versions[at + 1 :]
                if v.visibility is Visibility.PUBLIC or older.visibility is Visibility.INTERNAL
            ),
            None,
        )
        if newer is None:
            continue
        changed = older.status is not RegulationStatus.AMENDED or older.ineffective_on is None
        older.status = RegulationStatus.AMENDED
        older.ineffective_on = older.ineffective_on or newer.in_force_from
        if changed:
            older.updated_at = utcnow()
            await older.save(session=session)


async def create_regulation(
    *,
    draft: RegulationDraft,
    text: str,
    version_of: Regulation | None = None,
    source: str = "",
) -> Regulation:
    """A new document, or (``version_of``) a new version of that document's work."""
    stored = build(draft, text, source=source)
    if version_of is not None and stored["promulgated_on"] is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "新版本须有公布日期，才能排入各版本之中",
                "A new version needs a promulgation date, to take its place among the versions",
            ),
            field="promulgatedOn",
        )
    work_id = version_of.work_id if version_of else PydanticObjectId()
    regulation = Regulation(work_id=work_id, **stored)
    async with transaction(Regulation) as session:
        if version_of is not None:
            same_day = await Regulation.find_one(
                {"work_id": work_id, "promulgated_on": stored["promulgated_on"]},
                session=session,
            )
            if same_day is not None:
                raise DomainError(
                    ErrorCode.ALREADY_EXISTS,
                    say(
                        f"这份文件已有 {stored['promulgated_on']} 的版本：请修改该版本",
                        f"This document already has a version of {stored['promulgated_on']}: "
                        "edit that version",
                    ),
                    field="promulgatedOn",
                )
        await regulation.insert(session=session)
        await _order_versions(work_id, session)
    return await _reloaded(regulation)


async def _reloaded(regulation: Regulation) -> Regulation:
    fresh = await Regulation.get(regulation.id)
    assert fresh is not None
    return fresh


def draft_of(regulation: Regulation) -> RegulationDraft:
    """A stored document's description, to change some of it."""
    return RegulationDraft(**{f.name: getattr(regulation, f.name) for f in fields(RegulationDraft)})


async def update_regulation(
    *, regulation: Regulation, draft: RegulationDraft, text: str | None, source: str = ""
) -> Regulation:
    """Replace a document's description, and its text when ``text`` is given."""
    if text is None:
        text = render(regulation, title=draft.title)
    stored = build(draft, text, source=source or regulation.source)
    for name, value in stored.items():
        setattr(regulation, name, value)
    async with transaction(Regulation) as session:
        await regulation.save(session=session)
        await _order_versions(regulation.work_id, session)
    return await _reloaded(regulation)


async def set_status(
    *, regulation: Regulation, status: RegulationStatus, ineffective_on: date | None
) -> Regulation:
    """Record a change of 时效性, e.g. a repeal (ending today unless a date is given)."""
    ended = status in (RegulationStatus.REPEALED, RegulationStatus.AMENDED)
    regulation.status = status
    regulation.ineffective_on = (ineffective_on or date.today()) if ended else None
    regulation.updated_at = utcnow()
    await regulation.save()
    return regulation


async def delete_regulation(*, regulation: Regulation) -> None:
    """Delete one version, with the excerpts marked on it and its place in favorite folders."""
    async with transaction(Regulation) as session:
        await Excerpt.find({"regulation_id": regulation.id}, session=session).delete(
            session=session
        )
        await FavoriteFolder.get_pymongo_collection().update_many(
            {"regulation_ids": regulation.id},
            {"$pull": {"regulation_ids": regulation.id}},
            session=session,
        )
        await regulation.delete(session=session)


def render(regulation: Regulation, *, title: str) -> str:
    """The document as text in the import format, under ``title`` (parsing it gives the same
    structure)."""
    lines = [title]
    if regulation.preamble:
        lines.append(regulation.preamble)
    headings: dict[int, list[str]] = {h.position: [] for h in regulation.headings}
    for heading in regulation.headings:
        line = f"{heading.label} {heading.title}".strip()
        named_only = heading.kind is HeadingKind.PART and not heading.label.startswith("第")
        headings[heading.position].append(f"# {line}" if named_only else line)
    for position, article in enumerate(regulation.articles):
        lines.extend(headings.get(position, []))
        lines.append(f"{article.label} {article.text}")
    lines.extend(headings.get(len(regulation.articles), []))
    return "\n".join(lines)


async def get_visible(
    *, regulation_id: ObjectId | None, viewer: Viewer, field: str = "id"
) -> Regulation:
    return await access.get_visible(  # type: ignore[no-any-return]
        Regulation, object_id=regulation_id, viewer=viewer, what=say("文件", "document"),
        field=field,
    )  # fmt: skip


async def versions(*, regulation: Regulation, viewer: Viewer) -> list[Regulation]:
    """The versions of a document's work the viewer may read, oldest first."""
    return (
        await Regulation.find(visible(Regulation, viewer, {"work_id": regulation.work_id}))
        .sort("promulgated_on")
        .to_list()
    )


def in_force_on(candidates: list[Regulation], day: date) -> Regulation | None:
    """The version (of those given, oldest first) whose text was in force on ``day``: the
    latest one that had taken effect by then, unless it had already ended."""
    for version in reversed(candidates):
        starts = version.in_force_from
        if starts is not None and starts > day:
            continue
        ended = version.ineffective_on is not None and version.ineffective_on <= day
        return None if ended else version
    return None
