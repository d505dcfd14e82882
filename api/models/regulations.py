"""The regulation library (政策法规库): one document per version of a work, with its structure,
and each user's excerpts and favorite folders."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pymongo
from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from api.access import NOTHING, Role, Viewer
from api.labels import LabeledEnum
from api.models.users import utcnow


class RegulationKind(LabeledEnum):
    LAW = "LAW", "法律"
    ADMINISTRATIVE_REGULATION = "ADMINISTRATIVE_REGULATION", "行政法规"
    LOCAL_REGULATION = "LOCAL_REGULATION", "地方性法规"
    DEPARTMENTAL_RULE = "DEPARTMENTAL_RULE", "部门规章"
    JUDICIAL_INTERPRETATION = "JUDICIAL_INTERPRETATION", "司法解释"
    NORMATIVE_DOCUMENT = "NORMATIVE_DOCUMENT", "规范性文件"
    POLICY = "POLICY", "政策文件"
    APPROVAL = "APPROVAL", "批复/批文"
    WORK_MATERIAL = "WORK_MATERIAL", "工作资料"


class Level(LabeledEnum):
    NATIONAL = "NATIONAL", "国家"
    PROVINCIAL = "PROVINCIAL", "省级"
    MUNICIPAL = "MUNICIPAL", "市级"
    COUNTY = "COUNTY", "县级"
    TOWNSHIP = "TOWNSHIP", "乡镇"


class RegulationStatus(LabeledEnum):
    EFFECTIVE = "EFFECTIVE", "现行有效"
    AMENDED = "AMENDED", "已被修改"
    REPEALED = "REPEALED", "已废止"
    NOT_YET_EFFECTIVE = "NOT_YET_EFFECTIVE", "尚未生效"


class Visibility(LabeledEnum):
    PUBLIC = "PUBLIC", "公开"
    INTERNAL = "INTERNAL", "内部"


class HeadingKind(LabeledEnum):
    PART = "PART", "编"
    SUBPART = "SUBPART", "分编"
    CHAPTER = "CHAPTER", "章"
    SECTION = "SECTION", "节"


class Heading(BaseModel):
    """A 编/分编/章/节 heading; it opens before the article at ``position``. A part a file
    names only by a Markdown heading (``# 物权编``) has that name as its label and no title."""

    kind: HeadingKind
    number: int
    label: str
    """As written, e.g. ``第三章``."""
    title: str
    position: int
    """Index (in ``articles``) of the first article under this heading."""


class Article(BaseModel):
    """An article (条). Paragraphs (款) and items (项) stay inside ``text``."""

    number: int
    label: str
    """As written, e.g. ``第六十七条``."""
    text: str
    heading: str = ""
    """The headings it sits under, e.g. ``第三章 预算编制 / 第一节 一般规定``."""


def readable_by(viewer: Viewer) -> list[Visibility]:
    """The visibilities of library documents a viewer may read (DOMAIN.md, "The people"):
    deputies, staff and admins read internal documents; everyone else public ones only."""
    if viewer.has_role(Role.DEPUTY, Role.STAFF, Role.ADMIN):
        return [Visibility.PUBLIC, Visibility.INTERNAL]
    return [Visibility.PUBLIC]


class Regulation(Document):
    """One version of one document. The versions of a work share ``work_id``."""

    work_id: PydanticObjectId
    title: str
    kind: RegulationKind
    level: Level
    region: str = ""
    """行政区划, e.g. ``澜川省`` or ``澜川省青岚县``; empty for national documents."""
    status: RegulationStatus
    visibility: Visibility = Visibility.PUBLIC
    document_number: str = ""
    issuing_body: str = ""
    promulgated_on: date | None = None
    """公布日期: the date of this version; versions of a work are ordered by it."""
    effective_on: date | None = None
    """施行日期; when absent, the promulgation date stands in for it."""
    ineffective_on: date | None = None
    """失效日期: when a later version or a repeal ended it."""
    categories: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    preamble: str = ""
    headings: list[Heading] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    source: str = ""
    """Where an imported version came from (file name)."""
    content_hash: str = ""
    """SHA-256 of the imported text and metadata; an identical re-import is skipped."""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "regulations"
        indexes = [
            pymongo.IndexModel([("work_id", 1), ("promulgated_on", 1)]),
            pymongo.IndexModel([("title", 1), ("region", 1), ("promulgated_on", 1)]),
            pymongo.IndexModel([("visibility", 1), ("promulgated_on", -1), ("_id", -1)]),
            pymongo.IndexModel([("kind", 1), ("promulgated_on", -1), ("_id", -1)]),
            pymongo.IndexModel([("status", 1), ("promulgated_on", -1), ("_id", -1)]),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        visibilities = readable_by(viewer)
        if len(visibilities) == len(Visibility):
            return {}
        return {"visibility": {"$in": [str(v) for v in visibilities]}}

    @property
    def in_force_from(self) -> date | None:
        return self.effective_on or self.promulgated_on


class Excerpt(Document):
    """A passage of an article a user marked, with a note (摘录)."""

    user_id: PydanticObjectId
    regulation_id: PydanticObjectId
    article_number: int
    start: int
    """Offset of the passage in the article text, in characters."""
    quote: str
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "excerpts"
        indexes = [
            pymongo.IndexModel([("user_id", 1), ("regulation_id", 1), ("article_number", 1)]),
            pymongo.IndexModel([("user_id", 1), ("created_at", -1), ("_id", -1)]),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Excerpts are personal: only their author reads them."""
        return {"user_id": viewer.user_id} if viewer.user_id is not None else NOTHING


class FavoriteFolder(Document):
    """A user's named folder of favorite documents (收藏夹)."""

    user_id: PydanticObjectId
    name: str
    regulation_ids: list[PydanticObjectId] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "favorite_folders"
        indexes = [
            pymongo.IndexModel([("user_id", 1), ("name", 1)], unique=True),
        ]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Folders are personal: only their owner reads them."""
        return {"user_id": viewer.user_id} if viewer.user_id is not None else NOTHING
