"""Attaching files to the records of the loops (suggestions, opinions, audit findings,
warnings), and reading them back.

Attaching and removing a file are steps of the record's loop (``attach``, ``detach``): the
loop's table says who may take them in which states, and each is one conditional write with
its timeline event. A file is checked before anything is stored: its size, its type read
from its bytes (a PDF is a PDF because it begins ``%PDF-``, whatever its name says), and its
name's extension against that type. Its bytes go to GridFS in chunks, then the record is
written; if the record cannot be written (someone changed it meanwhile), the bytes are
deleted again, so a refused file leaves nothing behind."""

import hashlib
import re
import zipfile
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from anyio import to_thread
from beanie import Document, PydanticObjectId
from bson import ObjectId
from gridfs import AsyncGridFSBucket
from gridfs.asynchronous.grid_file import AsyncGridOut
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase

from api.access import Viewer
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.attachments import Attachment, AttachmentKind
from api.models.rectification import Rectifiable
from api.models.suggestions import Suggestion
from api.services import rectification, suggestion_loop
from api.services.loop import ATTACH, DETACH, Machine
from api.settings import Settings

BUCKET = "attachments"
CHUNK = 1 << 20
NAME_MAX = 200

MEDIA_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.OFD: "application/ofd",
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
}
EXTENSIONS = {
    AttachmentKind.PDF: (".pdf",),
    AttachmentKind.OFD: (".ofd",),
    AttachmentKind.DOCX: (".docx",),
    AttachmentKind.XLSX: (".xlsx",),
    AttachmentKind.PNG: (".png",),
    AttachmentKind.JPEG: (".jpg", ".jpeg"),
}
SIGNATURES = (
    (b"%PDF-", AttachmentKind.PDF),
    (b"\x89PNG\r\n\x1a\n", AttachmentKind.PNG),
    (b"\xff\xd8\xff", AttachmentKind.JPEG),
)
PACKAGES = (
    ("word/document.xml", AttachmentKind.DOCX),
    ("xl/workbook.xml", AttachmentKind.XLSX),
    ("OFD.xml", AttachmentKind.OFD),
)
"""Zip packages, by the part only that kind of file has (only the package's directory is
read: nothing is unpacked)."""


def accepted() -> str:
    """The kinds of file accepted, in the request's language."""
    return say(
        "、".join(f"{k.label}（{'/'.join(EXTENSIONS[k])}）" for k in AttachmentKind),
        ", ".join(f"{k.value} ({'/'.join(EXTENSIONS[k])})" for k in AttachmentKind),
    )


def file_kind(source: BinaryIO) -> AttachmentKind | None:
    """What the file is, read from its first bytes (and a zip package's directory); None
    for anything not accepted. Blocking: call from a worker thread."""
    source.seek(0)
    head = source.read(16)
    source.seek(0)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        names = set(zipfile.ZipFile(source).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        source.seek(0)
    return next((kind for part, kind in PACKAGES if part in names), None)


def file_name(given: str) -> str:
    """The name a file is kept under: without folders or control characters."""
    name = PurePosixPath(given.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    if not name:
        raise DomainError(
            ErrorCode.INVALID_INPUT, say("文件须有文件名", "The file needs a name"), field="file"
        )
    if len(name) > NAME_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"文件名不能超过 {NAME_MAX} 个字符",
                f"A file name may have at most {NAME_MAX} characters",
            ),
            field="file",
        )
    return name


def bucket(db: AsyncDatabase[Any]) -> AsyncGridFSBucket:
    return AsyncGridFSBucket(db, bucket_name=BUCKET)


def _loop(record: Document, viewer: Viewer) -> tuple[Machine, set[Any], list[ObjectId]]:
    """The record's loop, the parts ``viewer`` plays in it, and the units handling it."""
    if isinstance(record, Suggestion):
        units: list[ObjectId] = [record.lead_unit_id] if record.lead_unit_id else []
        units += record.co_unit_ids
        return suggestion_loop.LOOP, suggestion_loop.actors_of(viewer, record), units
    if isinstance(record, Rectifiable):
        actors = rectification.actors_of(viewer, record)
        return rectification.LOOPS[type(record)], actors, list(record.unit_ids)  # type: ignore[return-value]
    raise TypeError(f"{type(record).__name__} carries no attachments")


def _size(source: BinaryIO) -> int:
    source.seek(0, 2)
    size = source.tell()
    source.seek(0)
    return size


async def _checked(source: BinaryIO, name: str, settings: Settings) -> tuple[AttachmentKind, int]:
    """The file's kind and size; refused (nothing stored yet) when it is empty, too large, of a kind
    not accepted, or named as another kind."""
    size = await to_thread.run_sync(_size, source)
    if size == 0:
        raise DomainError(
            ErrorCode.INVALID_INPUT, say("文件是空的", "The file is empty"), field="file"
        )
    if size > settings.attachment_max_bytes:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"文件有 {size:,} 字节，超过上限 {settings.attachment_max_bytes:,} 字节",
                f"The file has {size:,} bytes, more than the limit of "
                f"{settings.attachment_max_bytes:,} bytes",
            ),
            field="file",
        )
    kind = await to_thread.run_sync(file_kind, source)
    if kind is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"“{name}”的内容不是可接受的文件类型；可以上传：{accepted()}",
                f'The content of "{name}" is not of a kind accepted; you may upload: {accepted()}',
            ),
            field="file",
        )
    if not name.lower().endswith(EXTENSIONS[kind]):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"“{name}”的内容是{kind.label}，文件名的扩展名应为 {'/'.join(EXTENSIONS[kind])}",
                f'The content of "{name}" is {kind.value}: the file name should end with '
                f"{'/'.join(EXTENSIONS[kind])}",
            ),
            field="file",
        )
    return kind, size


async def _store(
    db: AsyncDatabase[Any], source: BinaryIO, attachment: Attachment, record: Document
) -> Attachment:
    """The file's bytes written to GridFS in chunks; the attachment with its id and digest."""
    digest = hashlib.sha256()
    stream = bucket(db).open_upload_stream(
        attachment.name,
        metadata={"record": type(record).__name__, "record_id": record.id,
                  "media_type": attachment.media_type},
    )  # fmt: skip
    try:
        while chunk := await to_thread.run_sync(source.read, CHUNK):
            digest.update(chunk)
            await stream.write(chunk)
    except BaseException:
        await stream.abort()
        raise
    await stream.close()
    return attachment.model_copy(
        update={"file_id": PydanticObjectId(stream._id), "sha256": digest.hexdigest()}
    )


async def attach(
    record: Document,
    *,
    source: BinaryIO,
    name: str,
    viewer: Viewer,
    settings: Settings,
    db: AsyncDatabase[Any],
) -> tuple[Any, Attachment]:
    """Attach the file ``source`` (seekable) to ``record`` as ``viewer``: the record as
    written, and the attachment."""
    machine, actors, units = _loop(record, viewer)
    step = machine.step(ATTACH)
    machine.check(step, record.state, actors)  # type: ignore[attr-defined]
    held: list[Attachment] = record.attachments  # type: ignore[attr-defined]
    if len(held) >= settings.attachments_per_record_max:
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                f"已有 {len(held)} 个附件，达到上限；请先删除不再需要的",
                f"It has {len(held)} attachments, the limit; first remove those no longer needed",
            ),
            field="file",
        )
    name = file_name(name)
    kind, size = await _checked(source, name, settings)
    described = Attachment(
        name=name,
        media_type=MEDIA_TYPES[kind],
        size=size,
        kind=kind,
        unit_id=viewer.unit_acted_for if viewer.unit_acted_for in units else None,  # type: ignore[arg-type]
        uploaded_by=viewer.user_id,  # type: ignore[arg-type]
    )
    stored = await _store(db, source, described, record)
    try:
        written = await machine.take(
            record, step=ATTACH, actors=actors, viewer=viewer, note=name,
            push={"attachments": stored}, at=stored.uploaded_at,
        )  # fmt: skip
    except BaseException:
        await bucket(db).delete(stored.file_id)
        raise
    return written, stored


def held_file(record: Document, file_id: ObjectId | None) -> Attachment:
    """The record's attachment with that file; NOT_FOUND when it has none."""
    held: list[Attachment] = record.attachments  # type: ignore[attr-defined]
    found = next((a for a in held if file_id is not None and a.file_id == file_id), None)
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这个附件", "No such attachment"), field="attachmentId"
        )
    return found


async def detach(
    record: Document, *, file_id: ObjectId | None, viewer: Viewer, db: AsyncDatabase[Any]
) -> Any:
    """Remove an attachment: whoever uploaded it, or staff, while the loop allows it."""
    machine, actors, _ = _loop(record, viewer)
    machine.check(machine.step(DETACH), record.state, actors)  # type: ignore[attr-defined]
    found = held_file(record, file_id)
    if "STAFF" not in actors and found.uploaded_by != viewer.user_id:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say("只能删除自己上传的附件", "You may only remove attachments you uploaded"),
            field="attachmentId",
        )
    written = await machine.take(
        record, step=DETACH, actors=actors, viewer=viewer, note=found.name,
        pull={"attachments": {"file_id": found.file_id}},
    )  # fmt: skip
    try:
        await bucket(db).delete(found.file_id)
    except NoFile:  # removed before, by a step that failed after deleting it
        pass
    return written


async def open_file(db: AsyncDatabase[Any], attachment: Attachment) -> AsyncGridOut:
    """The stored bytes of an attachment, to be read in chunks."""
    if attachment.file_id is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                "这个附件只有说明，没有保存文件",
                "This attachment is only described: no file was kept",
            ),
        )
    try:
        return await bucket(db).open_download_stream(attachment.file_id)
    except NoFile:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say("附件的文件已不存在", "The attachment's file no longer exists"),
        ) from None
