"""Budget files in GraphQL: importing one (every row or none) and the records of those imported."""

import base64
import binascii
import io
from datetime import datetime

import strawberry
from anyio import to_thread

from api.access import Role
from api.language import say
from api.models.budget import BudgetImport as BudgetImportDocument
from api.models.budget import (
    FileKind,
    LoadState,
)
from api.services.budget_import import import_budget_file, template
from api.services.sheets import FileRejected, SheetLimits
from api.services.sheets import RowError as RowErrorData
from schema.budget_figures import list_limit
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import build
from schema.permissions import roles
from schema.suggestions import XLSX


@strawberry.type(description="The record of one imported budget file.")
class BudgetImport:
    kind: FileKind = strawberry.field(description="What it held.")
    year: int | None = strawberry.field(description="Its fiscal year (figures only).")
    periods: list[str] = strawberry.field(description="What it replaced, e.g. EXECUTION-06.")
    file_name: str = strawberry.field(description="The file's name.")
    checksum: str = strawberry.field(description="sha256 of its bytes.")
    rows: int = strawberry.field(description="Rows imported.")
    imported_by: str = strawberry.field(description="Who imported it.")
    started_at: datetime = strawberry.field(description="When.")
    finished_at: datetime | None = strawberry.field(description="When it became current.")
    state: LoadState = strawberry.field(description="Current, replaced or failed.")

    @strawberry.field(description="How many rows were imported with a warning.")
    def warning_count(self) -> int:
        return len(self._document.warnings)  # type: ignore[attr-defined]


@strawberry.type(description="A blank workbook of one budget file layout, to fill in and import.")
class BudgetTemplate:
    file_name: str = strawberry.field(description="e.g. 预算执行-模板.xlsx.")
    media_type: str = strawberry.field(description="The workbook's media type.")
    content_base64: str = strawberry.field(
        description="The workbook, base64-encoded: the header row, and a sheet explaining "
        "each column."
    )


@strawberry.type
class BudgetFileQuery:
    @strawberry.field(
        description="The blank workbook of a budget file layout (finance and admins), as "
        "`jiandu budget template` writes it.",
        extensions=[roles(Role.FINANCE, Role.ADMIN)],
    )
    async def budget_template(self, kind: FileKind) -> BudgetTemplate:
        workbook = await to_thread.run_sync(template, kind)  # CPU work: off the event loop
        return BudgetTemplate(
            file_name=f"{kind.label}-模板.xlsx",
            media_type=XLSX,
            content_base64=base64.b64encode(workbook).decode(),
        )

    @strawberry.field(
        description="Budget files imported, newest first (finance, staff and admins).",
        extensions=[roles(Role.FINANCE, Role.STAFF, Role.ADMIN)],
    )
    async def budget_imports(self, limit: int = 20) -> list[BudgetImport]:
        found = (
            await BudgetImportDocument.find_all()
            .sort("-started_at")
            .limit(list_limit(limit))
            .to_list()
        )
        return [build(BudgetImport, d) for d in found]


@strawberry.input(description="A budget file, base64-encoded (the request's size limit holds).")
class ImportBudgetFileInput:
    file_name: str = strawberry.field(description="Ends in .xlsx or .csv.")
    content_base64: str = strawberry.field(description="The file's bytes, base64-encoded.")
    kind: FileKind | None = strawberry.field(
        default=None, description="What it holds; by default told by its columns."
    )


@strawberry.type(description="A row's problem: where and why.")
class RowProblem:
    row: int = strawberry.field(description="The row as a spreadsheet numbers it; 0: the file.")
    column: str = strawberry.field(description="The column's header; empty for the whole row.")
    reason: str = strawberry.field(description="What is wrong.")


def decoded(content_base64: str) -> io.BytesIO:
    """An uploaded file's bytes; the file is rejected when they are not base64."""
    try:
        return io.BytesIO(base64.b64decode(content_base64, validate=True))
    except (binascii.Error, ValueError):
        reason = say("contentBase64 不是有效的 base64", "contentBase64 is not valid base64")
        raise FileRejected([RowErrorData(0, "", reason)]) from None


def problems(found: list[RowErrorData]) -> list[RowProblem]:
    return [RowProblem(row=e.row, column=e.column, reason=e.reason) for e in found]


@strawberry.type(description="What an import did, or why it did nothing.")
class ImportBudgetFilePayload:
    imported: BudgetImport | None = strawberry.field(
        default=None, description="The import's record; null when the file was refused."
    )
    rejected_rows: list[RowProblem] = strawberry.field(
        default_factory=list, description="Every bad row; nothing was imported if any."
    )
    warnings: list[RowProblem] = strawberry.field(
        default_factory=list, description="Rows imported with a warning."
    )
    unchanged: bool = strawberry.field(
        default=False,
        description="The very file (same kind, same sha256) is already imported and current: "
        "nothing changed and nothing new was recorded; `imported` is that earlier import.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class BudgetMutation:
    @strawberry.mutation(
        description="Import a budget file (finance and admins): every row or none; figures "
        "replace the periods the file covers; the same file again changes nothing.",
        extensions=[roles(Role.FINANCE, Role.ADMIN), UserErrors()],
    )
    async def import_budget_file(
        self, info: Info, input: ImportBudgetFileInput
    ) -> ImportBudgetFilePayload:
        try:
            report = await import_budget_file(
                decoded(input.content_base64), name=input.file_name, viewer=info.context.viewer,
                kind=input.kind, limits=SheetLimits.of(info.context.settings),
                as_of=info.context.settings.budget_day(),
            )  # fmt: skip
        except FileRejected as rejected:
            return ImportBudgetFilePayload(rejected_rows=problems(rejected.errors))
        record = await BudgetImportDocument.get(report.import_id)
        return ImportBudgetFilePayload(
            imported=build(BudgetImport, record),
            warnings=problems(report.warnings),
            unchanged=report.unchanged,
        )
