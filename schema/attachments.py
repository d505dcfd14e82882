"""Files filed with a record (附件), as the records' ``attachments`` fields show them. The bytes
are fetched from ``url`` (``schema.attachment_mutations`` serves it), by those who may read
the record."""

from datetime import datetime
from urllib.parse import quote

import strawberry
from strawberry import relay

from api.models.attachments import Attachment as AttachmentModel
from api.models.attachments import AttachmentKind
from schema.context import Info
from schema.enums import graphql_enum
from schema.people import Unit

graphql_enum(AttachmentKind, description="What a file is, read from its bytes.")


@strawberry.type(description="A file filed with a record (附件).")
class Attachment:
    id: strawberry.ID | None = strawberry.field(
        description="For `removeAttachment`; null for a file only described (by a version of "
        "jiandu that kept no files)."
    )
    name: str = strawberry.field(description="The file's name as uploaded.")
    kind: AttachmentKind | None = strawberry.field(description="What it is, read from its bytes.")
    media_type: str = strawberry.field(description="e.g. application/pdf.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str = strawberry.field(description="The SHA-256 digest of its bytes, in hex.")
    uploaded_at: datetime = strawberry.field(description="When it was attached.")
    url: str | None = strawberry.field(
        description="Where to GET its bytes (a path on this server), with the same "
        "`Authorization` header as for /graphql; null when only described."
    )
    unit_id: strawberry.Private[object]

    @strawberry.field(description="The unit it was filed for (a reply letter's), if any.")
    async def unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.unit_id)  # type: ignore[arg-type]


def attachments(record: relay.Node, held: list[AttachmentModel]) -> list[Attachment]:
    """A record's attachments, ``record`` being its GraphQL node."""
    record_id = str(relay.GlobalID(type(record).__name__, str(record.id)))  # type: ignore[attr-defined]
    return [
        Attachment(
            id=strawberry.ID(str(a.file_id)) if a.file_id else None,
            name=a.name,
            kind=a.kind,
            media_type=a.media_type,
            size=a.size,
            sha256=a.sha256,
            uploaded_at=a.uploaded_at,
            url=f"/attachments/{quote(record_id)}/{a.file_id}" if a.file_id else None,
            unit_id=a.unit_id,
        )
        for a in held
    ]
