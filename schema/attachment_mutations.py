"""Attaching files to records, removing them, and downloading them.

Uploads follow the GraphQL multipart request specification (a ``multipart/form-data`` POST to
/graphql with ``operations``, ``map`` and the file), the one exception to JSON bodies, and
may be ``attachment_max_bytes`` larger than other requests. Downloads are
``GET /attachments/<record id>/<file id>`` with the caller's token: the record is read as
the caller may read it, so a file is served exactly to those who may see its record."""

from typing import Any
from urllib.parse import quote

import strawberry
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from strawberry.file_uploads import Upload

from api.access import Viewer, get_visible
from api.errors import DomainError, ErrorCode
from api.language import say
from api.services import attachments as files
from schema.attachments import Attachment, attachments
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import DocumentNode, global_id, object_id
from schema.permissions import signed_in
from schema.rectification import AuditFinding, BudgetWarning, Opinion
from schema.suggestions import Suggestion

RECORDS: dict[str, type[DocumentNode]] = {
    node.__name__: node for node in (Suggestion, Opinion, AuditFinding, BudgetWarning)
}
"""The records that carry files, by their GraphQL type name."""


def _what(type_name: str) -> str:
    """What a record of that GraphQL type is called, in the request's language."""
    return {
        "Suggestion": say("建议", "suggestion"),
        "Opinion": say("审议意见", "deliberation opinion"),
        "AuditFinding": say("审计查出问题", "audit finding"),
        "BudgetWarning": say("预警", "warning"),
    }[type_name]


async def record_of(raw: str, viewer: Viewer, field: str = "id") -> tuple[Any, type[DocumentNode]]:
    """The record a global id names, as ``viewer`` may read it, and its node type;
    INVALID_INPUT for an id of no record that carries files, NOT_FOUND for one the viewer
    may not read."""
    parsed = global_id(raw, field)
    node = RECORDS.get(parsed.type_name)
    if node is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "这不是建议、审议意见、审计查出问题或预警的 id",
                "This is not the id of a suggestion, deliberation opinion, audit finding or "
                "warning",
            ),
            field=field,
        )
    document = await get_visible(
        node.__document__, object_id=object_id(parsed.node_id), viewer=viewer,
        what=_what(node.__name__), field=field,
    )  # fmt: skip
    return document, node


@strawberry.input(description="A file to attach (a multipart upload: see the README).")
class AddAttachmentInput:
    id: strawberry.ID = strawberry.field(
        description="A suggestion, opinion, audit finding or warning."
    )
    file: Upload = strawberry.field(
        description="PDF, OFD, Word (.docx), Excel (.xlsx), PNG or JPEG, up to the size the "
        "server allows (20 MB by default); its type is read from its bytes."
    )


@strawberry.type(description="The result of attaching a file.")
class AddAttachmentPayload:
    attachment: Attachment | None = strawberry.field(
        default=None, description="The file as attached."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="An attachment to remove.")
class RemoveAttachmentInput:
    id: strawberry.ID = strawberry.field(description="The record it is filed with.")
    attachment_id: strawberry.ID = strawberry.field(description="The attachment's `id`.")


@strawberry.type(description="The result of removing an attachment.")
class RemoveAttachmentPayload:
    removed_id: strawberry.ID | None = strawberry.field(
        default=None, description="The attachment removed."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class AttachmentMutation:
    @strawberry.mutation(
        description="Attach a file to a record (步骤 attach): while it is not closed, by those "
        "who take part in its loop (a suggestion's lead deputy and units, an opinion's, "
        "finding's or warning's units) and staff. A file refused for its type, size or name "
        "leaves nothing stored.",
        extensions=[signed_in(), UserErrors()],
    )
    async def add_attachment(self, info: Info, input: AddAttachmentInput) -> AddAttachmentPayload:
        context = info.context
        record, node = await record_of(input.id, context.viewer)
        upload: Any = input.file
        if not hasattr(upload, "file"):  # a form field without a file name is plain text
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say("请上传带文件名的文件", "Upload a file with a file name"),
                field="file",
            )
        written, stored = await files.attach(
            record, source=upload.file, name=upload.filename or "", viewer=context.viewer,
            settings=context.settings, db=context.resources.db,
        )  # fmt: skip
        shown = attachments(node.from_document(written), [stored])
        return AddAttachmentPayload(attachment=shown[0])

    @strawberry.mutation(
        description="Remove an attachment (步骤 detach): the one who attached it, or staff, "
        "while the record is not closed.",
        extensions=[signed_in(), UserErrors()],
    )
    async def remove_attachment(
        self, info: Info, input: RemoveAttachmentInput
    ) -> RemoveAttachmentPayload:
        context = info.context
        record, _ = await record_of(input.id, context.viewer)
        await files.detach(
            record, file_id=object_id(input.attachment_id), viewer=context.viewer,
            db=context.resources.db,
        )  # fmt: skip
        return RemoveAttachmentPayload(removed_id=input.attachment_id)


def _disposition(name: str) -> str:
    """Content-Disposition for a download: the name in UTF-8 (RFC 6266), an ASCII fallback."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                       for c in name)  # fmt: skip
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def download(request: Request, viewer: Viewer) -> Response:
    """GET /attachments/<record id>/<file id>: the file's bytes, streamed."""
    record, _ = await record_of(request.path_params["record"], viewer, field="record")
    found = files.held_file(record, object_id(request.path_params["file"]))
    stream = await files.open_file(request.app.state.resources.db, found)

    async def chunks() -> Any:
        while chunk := await stream.readchunk():
            yield chunk

    return StreamingResponse(
        chunks(),
        media_type=found.media_type,
        headers={
            "Content-Length": str(stream.length),
            "Content-Disposition": _disposition(found.name),
            "Cache-Control": "private, no-store",
            "ETag": f'"{found.sha256}"',
        },
    )
