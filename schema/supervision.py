"""The supervision overview a dashboard draws, and the quarterly bulletin (structured, and
as a Word document)."""

import base64

import strawberry
from anyio import to_thread

from api.access import Role
from api.errors import DomainError
from api.models.warnings import RuleKind
from api.services import bulletin as bulletins
from api.services import supervision
from api.services.bulletin_document import document
from api.services.supervision import RecordKind
from schema.budget_figures import (
    BookFigures,
    BudgetFigures,
    DepartmentFigures,
    figures,
    month_argument,
    year_of,
)
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import ClientError
from schema.people import Unit
from schema.permissions import roles, signed_in
from schema.rectification import BudgetWarning

graphql_enum(RecordKind, description="Suggestions, opinions, audit findings, warnings.")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@strawberry.type(description="Open and overdue records of one kind.")
class RecordCounts:
    kind: RecordKind = strawberry.field(description="Which records.")
    open: int = strawberry.field(description="Registered or raised, and not closed.")
    overdue: int = strawberry.field(description="Past the deadline while awaited.")


@strawberry.type(description="One unit's open and overdue records, kind by kind.")
class UnitCounts:
    unit_id: strawberry.Private[object]
    counts: list[RecordCounts] = strawberry.field(description="Per kind (all four).")

    @strawberry.field(description="The unit; null for records not yet addressed to a unit.")
    async def unit(self, info: Info) -> Unit | None:
        return await Unit.load(info, self.unit_id)  # type: ignore[arg-type]


@strawberry.type(description="What a supervision dashboard shows, as you may see it.")
class SupervisionOverview:
    year: int = strawberry.field(description="The fiscal year of the figures.")
    month: int | None = strawberry.field(description="The month of the figures.")
    totals: list[RecordCounts] = strawberry.field(description="Each kind in all.")
    by_unit: list[UnitCounts] = strawberry.field(
        description="Each unit with anything open, most overdue first (a record addressed to "
        "two units counts for each)."
    )
    books: list[BookFigures] = strawberry.field(
        description="Execution against time progress by book."
    )
    worst_departments: list[DepartmentFigures] = strawberry.field(
        description="The ten departments with the lowest execution rate."
    )


def _counts(found: dict[RecordKind, supervision.Counts]) -> list[RecordCounts]:
    empty = supervision.Counts()
    return [
        RecordCounts(kind=k, open=found.get(k, empty).open, overdue=found.get(k, empty).overdue)
        for k in RecordKind
    ]


@strawberry.type(description="A kind of warning raised in the quarter.")
class WarningTally:
    kind: RuleKind | None = strawberry.field(description="The rule kind; null: imported.")
    raised: int = strawberry.field(description="Warnings raised.")
    serious: int = strawberry.field(description="Of them, serious.")
    closed: int = strawberry.field(description="Of them, rectified and closed.")
    dismissed: int = strawberry.field(
        description="Of them, checked and dismissed (核实销号): ended, never counted as closed."
    )


@strawberry.type(description="How far rectification of one kind of record has come.")
class RectificationProgress:
    total: int = strawberry.field(description="Records.")
    closed: int = strawberry.field(description="Closed.")
    reported: int = strawberry.field(description="Reported or responded, awaiting staff.")
    overdue: int = strawberry.field(description="Overdue.")
    dismissed: int = strawberry.field(
        description="Warnings checked and dismissed (核实销号), apart from closed; 0 for others."
    )
    points: int = strawberry.field(description="Opinion points in all.")
    points_rectified: int = strawberry.field(description="Opinion points rectified.")
    long_open: int = strawberry.field(description="Audit findings open over a year.")


@strawberry.type(description="A Word document.")
class WordDocument:
    file_name: str = strawberry.field(description="e.g. 预算联网监督简报-2025Q2.docx.")
    media_type: str = strawberry.field(description="The .docx media type.")
    content_base64: str = strawberry.field(description="The document, base64-encoded.")


@strawberry.type(description="The quarterly bulletin (预算联网监督简报).")
class Bulletin:
    source: strawberry.Private[bulletins.Bulletin]
    title: str = strawberry.field(description="e.g. 青岚县预算联网监督简报（2025年第二季度）.")
    year: int = strawberry.field(description="The year.")
    quarter: int = strawberry.field(description="1 to 4.")
    month: int = strawberry.field(description="The month the figures are taken at.")
    total: BudgetFigures = strawberry.field(description="All books' expenditure.")
    books: list[BookFigures] = strawberry.field(description="Each book's expenditure.")
    monthly: list[BudgetFigures] = strawberry.field(
        description="General public budget expenditure month by month (the chart's series)."
    )
    worst_departments: list[DepartmentFigures] = strawberry.field(
        description="The five departments furthest behind."
    )
    warnings: list[BudgetWarning] = strawberry.field(
        description="Warnings raised in the quarter, serious first."
    )
    tallies: list[WarningTally] = strawberry.field(description="Warnings by kind.")
    problems: list[str] = strawberry.field(description="Problems found.")
    recommendations: list[str] = strawberry.field(description="Recommendations.")
    opinions: RectificationProgress = strawberry.field(description="Opinions' rectification.")
    audit_findings: RectificationProgress = strawberry.field(
        description="Audit findings' rectification."
    )
    warning_progress: RectificationProgress = strawberry.field(
        description="The quarter's warnings' rectification."
    )

    @strawberry.field(description="The bulletin as a Word document, with its chart.")
    async def word_document(self) -> WordDocument:
        b = self.source
        content = await to_thread.run_sync(document, b)  # CPU work: off the event loop
        return WordDocument(
            file_name=f"预算联网监督简报-{b.year}Q{b.quarter}.docx",
            media_type=DOCX,
            content_base64=base64.b64encode(content).decode(),
        )


def _progress(r: bulletins.Rectification) -> RectificationProgress:
    return RectificationProgress(**vars(r))


@strawberry.type
class SupervisionQuery:
    @strawberry.field(
        description="Open and overdue suggestions, opinions, findings and warnings by unit, "
        "execution against time progress by book, and the ten worst-executing departments "
        "(default: this year, latest month), counting only what you may see.",
        extensions=[signed_in()],
    )
    async def supervision_overview(
        self, info: Info, year: int | None = None, month: int | None = None
    ) -> SupervisionOverview:
        settings = info.context.settings
        found = await supervision.overview(
            info.context.viewer, today=settings.today(), year=year_of(info, year),
            month=month_argument(month),
        )  # fmt: skip
        units = sorted(
            found.by_unit.items(),
            key=lambda item: (-sum(c.overdue for c in item[1].values()), str(item[0])),
        )
        return SupervisionOverview(
            year=found.year, month=found.month, totals=_counts(found.totals),
            by_unit=[UnitCounts(unit_id=u, counts=_counts(c)) for u, c in units],
            books=[BookFigures(book=b, figures=figures(f)) for b, f in sorted(found.books.items())],
            worst_departments=[DepartmentFigures(code=code, figures=figures(f))
                               for code, f in found.worst_departments],
        )  # fmt: skip

    @strawberry.field(
        description="The quarterly bulletin, e.g. `2025Q2` (staff and admins).",
        extensions=[roles(Role.STAFF, Role.ADMIN)],
    )
    async def bulletin(self, info: Info, quarter: str) -> Bulletin:
        try:
            year, number = bulletins.parse_quarter(quarter)
            b = await bulletins.bulletin(
                info.context.viewer, year=year, quarter=number,
                today=info.context.settings.today(),
            )  # fmt: skip
        except DomainError as e:
            raise ClientError(e.message, code=e.code.value, field=e.field) from None
        return Bulletin(
            source=b, title=b.title, year=b.year, quarter=b.quarter, month=b.month,
            total=figures(b.total),
            books=[BookFigures(book=k, figures=figures(f)) for k, f in sorted(b.books.items())],
            monthly=[figures(f) for f in b.monthly],
            worst_departments=[DepartmentFigures(code=c, figures=figures(f))
                               for c, _, f in b.worst],
            warnings=[BudgetWarning.from_document(w) for w in b.warnings],
            tallies=[WarningTally(**vars(t)) for t in b.tallies], problems=b.problems,
            recommendations=b.recommendations, opinions=_progress(b.opinions),
            audit_findings=_progress(b.findings), warning_progress=_progress(b.warning_progress),
        )  # fmt: skip
