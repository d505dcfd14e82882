"""Files filed with a record (附件): a deputy's materials with a suggestion, a unit's reply
letter (答复函), a rectification report, photos. The bytes live in MongoDB GridFS (bucket
``attachments``); the record holds what is known of each file, so whoever may read the
record sees its files, and nobody else."""

from datetime import datetime

from beanie import PydanticObjectId
from pydantic import BaseModel, Field

from api.labels import LabeledEnum
from api.models.users import utcnow


class AttachmentKind(LabeledEnum):
    """What a file is, read from its bytes (never from its name)."""

    PDF = "PDF", "PDF 文档"
    OFD = "OFD", "OFD 版式文档"
    DOCX = "DOCX", "Word 文档"
    XLSX = "XLSX", "Excel 工作簿"
    PNG = "PNG", "PNG 图片"
    JPEG = "JPEG", "JPEG 图片"


class Attachment(BaseModel):
    """A file filed with a record."""

    file_id: PydanticObjectId | None = None
    """Its bytes in GridFS; None for a file only described by a version of jiandu that kept
    no files (the description is kept, there is nothing to download)."""
    name: str
    """The file's name as uploaded."""
    media_type: str
    size: int
    """Bytes."""
    kind: AttachmentKind | None = None
    sha256: str = ""
    unit_id: PydanticObjectId | None = None
    """The unit it was filed for (a reply letter's unit); None when filed by staff or a
    deputy."""
    uploaded_by: PydanticObjectId | None = None
    uploaded_at: datetime = Field(default_factory=utcnow)
