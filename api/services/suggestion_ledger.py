"""The suggestion ledger (台账) that offices keep in Excel, in and out.

Import reads a sheet whose first row names the columns (in any order; columns it does not
know, such as 序号, are ignored). Every row is checked before anything is written; a file
with any bad row changes nothing and the report lists every bad row with its column and
reason. A good file is written in one transaction: each row becomes a registered suggestion
(assigned, when it names a lead unit), with its timeline saying it came from the ledger.

Export writes the same columns, plus the loop's figures, for any list a user may see.
"""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from anyio import to_thread
from bson import ObjectId

from api.access import Viewer
from api.errors import DomainError
from api.language import say
from api.models.people import CongressSession, Deputy, Unit
from api.models.regulations import Visibility
from api.models.suggestions import AWAITING_REPLY, Suggestion, SuggestionKind, SuggestionState
from api.models.timeline import event
from api.models.users import utcnow
from api.services import sheet_process, suggestion_tallies
from api.services.sheets import (
    FileRejected,
    RowError,
    SheetLimits,
    cell_day,
    cell_flag,
    cell_text,
    workbook_bytes,
)
from api.services.suggestion_loop import add_months
from api.services.suggestions import LABELS, SuggestionDraft, checked_draft
from api.settings import Settings
from api.transactions import transaction

KIND, TITLE, BODY, COSIGNERS, CATEGORY, KEYWORDS, THEME, KEY, PUBLIC = (
    LABELS[name] for name in ("kind", "title", "body", "cosigner_ids", "category", "keywords",
                              "theme", "key_supervision", "visibility")
)  # fmt: skip
SESSION, NUMBER, LEAD, LEAD_UNIT, CO_UNITS, DEADLINE = (
    "会次", "编号", "领衔代表", "主办单位", "协办单位", "办理期限"
)  # fmt: skip
REQUIRED = (SESSION, NUMBER, KIND, TITLE, BODY, LEAD, CATEGORY)
COLUMNS = (SESSION, NUMBER, KIND, TITLE, BODY, LEAD, COSIGNERS, CATEGORY, KEYWORDS, THEME, KEY,
           PUBLIC, LEAD_UNIT, CO_UNITS, DEADLINE)  # fmt: skip
"""The ledger's columns, as import reads them and export writes them first."""
EXPORT_EXTRA = ("状态", "交办日期", "答复日期", "答复类别", "按期答复", "满意度", "重新办理次数",
                "是否超期")  # fmt: skip

ROWS_MAX = 20_000
SEPARATORS = re.compile(r"[、，,；;\s]+")
KINDS = {k.label: k for k in SuggestionKind} | {k.value: k for k in SuggestionKind}


@dataclass
class LedgerReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)


def _names(value: Any) -> list[str]:
    return [n for n in SEPARATORS.split(cell_text(value)) if n]


async def read_rows(
    source: BinaryIO | Path, limits: SheetLimits
) -> tuple[list[str], list[tuple[int, tuple[Any, ...]]]]:
    """The header and the numbered non-empty rows of the workbook's first sheet, read within
    ``limits``; refused beyond ``ROWS_MAX`` rows."""
    header, rows = await sheet_process.read_rows(source, "ledger.xlsx", limits)
    numbered: list[tuple[int, tuple[Any, ...]]] = []
    for n, row in rows:
        if len(numbered) == ROWS_MAX:
            too_many = say(f"超过 {ROWS_MAX} 行", f"More than {ROWS_MAX} rows")
            raise FileRejected([RowError(n, "", too_many)])
        numbered.append((n, row))
    return header, numbered


class _Lookups:
    """Names in the ledger → documents, loaded once for the whole file."""

    def __init__(
        self, sessions: list[CongressSession], deputies: list[Deputy], units: list[Unit]
    ) -> None:
        self.sessions = {s.name: s for s in sessions}
        self.deputies: dict[tuple[int, str], list[Deputy]] = {}
        for d in deputies:
            self.deputies.setdefault((d.term, d.name), []).append(d)
        self.units = {u.name: u for u in units}

    @classmethod
    async def load(cls) -> "_Lookups":
        return cls(
            await CongressSession.find_all().to_list(),
            await Deputy.find_all().to_list(),
            await Unit.find_all().to_list(),
        )

    def deputy(self, term: int, name: str) -> Deputy | str:
        found = self.deputies.get((term, name), [])
        if len(found) == 1:
            return found[0]
        if not found:
            return say(f"第{term}届没有名为{name}的代表", f"Term {term} has no deputy named {name}")
        return say(
            f"第{term}届有 {len(found)} 位名为{name}的代表：这一行请手工录入",
            f"Term {term} has {len(found)} deputies named {name}: enter this row by hand",
        )


async def parse_ledger(
    source: BinaryIO | Path, *, viewer: Viewer, settings: Settings
) -> list[Suggestion]:
    """The suggestions of a ledger file, every row checked; ``FileRejected`` with every
    problem when any row is bad."""
    header, rows = await read_rows(source, SheetLimits.of(settings))
    missing = say("缺少必填列", "A required column is missing")
    errors = [RowError(1, c, missing) for c in REQUIRED if c not in header]
    if errors:
        raise FileRejected(errors)
    position = {name: header.index(name) for name in COLUMNS if name in header}
    lookups = await _Lookups.load()
    sessions_named = {cell_text(row[position[SESSION]] if position[SESSION] < len(row) else "")
                      for _, row in rows}  # fmt: skip
    wanted = [s.id for name, s in lookups.sessions.items() if name in sessions_named]
    numbered = Suggestion.get_pymongo_collection().find(
        {"session_id": {"$in": wanted}, "number": {"$type": "int"}}, {"session_id": 1, "number": 1}
    )
    taken = {(raw["session_id"], raw["number"]) async for raw in numbered}
    now = utcnow()
    suggestions: list[Suggestion] = []
    for row_number, row in rows:
        cells = {name: row[i] if i < len(row) else None for name, i in position.items()}
        built, problems = await _build_row(
            cells, lookups, taken, settings=settings, now=now, viewer=viewer,
            row_number=row_number,
        )  # fmt: skip
        errors += problems
        if built is not None and not problems:
            suggestions.append(built)
    if errors:
        raise FileRejected(errors)
    return suggestions


async def _build_row(
    cells: dict[str, Any],
    lookups: _Lookups,
    taken: set[tuple[Any, int]],
    *,
    settings: Settings,
    now: datetime,
    viewer: Viewer,
    row_number: int,
) -> tuple[Suggestion | None, list[RowError]]:
    """The row's suggestion, or None, and its problems."""
    problems: list[RowError] = []

    def bad(column: str, reason: str) -> None:
        problems.append(RowError(row_number, column, reason))

    session = lookups.sessions.get(cell_text(cells[SESSION]))
    if session is None:
        named = cell_text(cells[SESSION])
        bad(SESSION, say(f"没有名为“{named}”的会次", f'No session is named "{named}"'))
    number_text = cell_text(cells[NUMBER]).removeprefix("第").removesuffix("号")
    number = int(number_text) if number_text.isdigit() and 0 < int(number_text) < 100_000 else None
    if number is None:
        given_number = cell_text(cells[NUMBER])
        bad(
            NUMBER,
            say(
                f"“{given_number}”不是 1 到 99999 之间的编号",
                f'"{given_number}" is not a number from 1 to 99999',
            ),
        )
    elif session is not None:
        if (session.id, number) in taken:
            bad(
                NUMBER,
                say(
                    f"第{number:04d}号在{session.name}已经有了（或在本文件中出现两次）",
                    f"No. {number:04d} already exists in {session.name} (or is twice in this file)",
                ),
            )
        taken.add((session.id, number))
    kind = KINDS.get(cell_text(cells[KIND]))
    if kind is None:
        given_kind = cell_text(cells[KIND])
        bad(
            KIND,
            say(
                f"“{given_kind}”不是以下之一：" + "、".join(k.label for k in SuggestionKind),
                f'"{given_kind}" is not one of: ' + ", ".join(k.value for k in SuggestionKind),
            ),
        )
    lead: Deputy | None = None
    cosigners: list[ObjectId] | None = None
    if session is not None:
        found = lookups.deputy(session.term, cell_text(cells[LEAD]))
        if isinstance(found, Deputy):
            lead = found
        else:
            bad(LEAD, found)
        cosigners = []
        for name in _names(cells.get(COSIGNERS)):
            found = lookups.deputy(session.term, name)
            if isinstance(found, Deputy) and found.id is not None:
                cosigners.append(found.id)
            else:
                bad(COSIGNERS, found)
    flags = {}
    for column, default in ((KEY, False), (PUBLIC, True)):
        flags[column] = cell_flag(cells.get(column), default)
        if flags[column] is None:
            flag = cell_text(cells.get(column))
            bad(column, say(f"“{flag}”应为“是”或“否”", f'"{flag}" should be yes or no'))
    lead_unit = co_units = deadline = None
    if cell_text(cells.get(LEAD_UNIT)):
        lead_unit = lookups.units.get(cell_text(cells[LEAD_UNIT]))
        if lead_unit is None:
            named = cell_text(cells[LEAD_UNIT])
            bad(LEAD_UNIT, say(f"没有名为“{named}”的单位", f'No unit is named "{named}"'))
        co_units = []
        for name in _names(cells.get(CO_UNITS)):
            unit = lookups.units.get(name)
            if unit is None:
                bad(CO_UNITS, say(f"没有名为“{name}”的单位", f'No unit is named "{name}"'))
            elif lead_unit is not None and unit.id == lead_unit.id:
                bad(CO_UNITS, say(f"{name}已是主办单位", f"{name} is already the lead unit"))
            else:
                co_units.append(unit.id)
        given = cell_day(cells.get(DEADLINE))
        if isinstance(given, str):
            bad(
                DEADLINE,
                say(
                    f"“{given}”不是日期（例如 2026-04-30）",
                    f'"{given}" is not a date (for example 2026-04-30)',
                ),
            )
            given = None
        deadline = given or add_months(settings.today(), settings.suggestion_handling_months)
    elif cell_text(cells.get(CO_UNITS)) or cell_text(cells.get(DEADLINE)):
        bad(
            LEAD_UNIT,
            say(
                "填了协办单位或办理期限，就要填主办单位",
                "A row with co-units or a deadline needs a lead unit",
            ),
        )
    if session is None or number is None or kind is None or lead is None or cosigners is None:
        return None, problems
    try:
        checked = await checked_draft(
            SuggestionDraft(
                kind=kind,
                title=cell_text(cells[TITLE]),
                body=cell_text(cells[BODY]),
                category=cell_text(cells[CATEGORY]),
                keywords=_names(cells.get(KEYWORDS)),
                theme=cell_text(cells.get(THEME)),
                key_supervision=bool(flags[KEY]),
                visibility=Visibility.PUBLIC if flags[PUBLIC] else Visibility.INTERNAL,
                cosigner_ids=cosigners,
            ),
            lead.id,  # type: ignore[arg-type]
        )
    except DomainError as e:
        bad(_COLUMN_OF_FIELD.get(e.field or "", ""), e.message)
        return None, problems
    note = f"台账导入第{row_number}行"
    events = [("create", "", SuggestionState.DRAFT), ("submit", SuggestionState.DRAFT,
              SuggestionState.SUBMITTED), ("register", SuggestionState.SUBMITTED,
              SuggestionState.REGISTERED)]  # fmt: skip
    assigned = lead_unit is not None
    if assigned:
        events.append(("assign", SuggestionState.REGISTERED, SuggestionState.ASSIGNED))
    suggestion = Suggestion(
        session_id=session.id,  # type: ignore[arg-type]
        number=number,
        lead_deputy_id=lead.id,  # type: ignore[arg-type]
        state=SuggestionState.ASSIGNED if assigned else SuggestionState.REGISTERED,
        lead_unit_id=lead_unit.id if lead_unit else None,
        co_unit_ids=co_units or [],
        unit_ids=[lead_unit.id, *(co_units or [])] if lead_unit else [],
        assigned_at=now if assigned else None,
        deadline=deadline,
        filed_at=now,
        created_by=viewer.user_id,
        created_at=now,
        updated_at=now,
        timeline=[
            event(viewer, action, before, after, at=now, note=note)
            for action, before, after in events
        ],
        **checked,
    )
    return suggestion, problems


_COLUMN_OF_FIELD = {
    "title": TITLE,
    "body": BODY,
    "category": CATEGORY,
    "keywords": KEYWORDS,
    "theme": THEME,
    "cosignerIds": COSIGNERS,
}


async def import_ledger(
    source: BinaryIO | Path, *, viewer: Viewer, settings: Settings
) -> LedgerReport:
    """Import a whole ledger or nothing of it."""
    suggestions = await parse_ledger(source, viewer=viewer, settings=settings)
    if suggestions:
        async with transaction(Suggestion) as session:
            await Suggestion.insert_many(suggestions, session=session)
            await suggestion_tallies.add(suggestions, session)
    return LedgerReport(imported=len(suggestions))


# --- export -----------------------------------------------------------------------------


def _yes(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


async def export_ledger(documents: AsyncIterator[Suggestion], *, today: date) -> tuple[bytes, int]:
    """An .xlsx of the suggestions (already filtered by what the caller may see), and how
    many rows it has."""
    rows = [s async for s in documents]
    sessions = {s.id: s.name for s in await CongressSession.find_all().to_list()}
    deputy_ids = {i for s in rows for i in (s.lead_deputy_id, *s.cosigner_ids)}
    unit_ids = {i for s in rows for i in s.unit_ids}
    deputies = {
        d.id: d.name for d in await Deputy.find({"_id": {"$in": list(deputy_ids)}}).to_list()
    }
    units = {u.id: u.name for u in await Unit.find({"_id": {"$in": list(unit_ids)}}).to_list()}
    table: list[list[Any]] = [[*COLUMNS, *EXPORT_EXTRA]]
    for s in rows:
        lead_reply = next((r for r in reversed(s.replies) if r.unit_role == "LEAD"), None)
        overdue = s.state in AWAITING_REPLY and s.deadline is not None and s.deadline < today
        table.append(
            [
                sessions.get(s.session_id, ""),
                s.number_label,
                s.kind.label,
                s.title,
                s.body,
                deputies.get(s.lead_deputy_id, ""),
                "、".join(deputies.get(i, "") for i in s.cosigner_ids),
                s.category,
                "、".join(s.keywords),
                s.theme,
                _yes(s.key_supervision),
                _yes(s.visibility is Visibility.PUBLIC),
                units.get(s.lead_unit_id, "") if s.lead_unit_id else "",
                "、".join(units.get(i, "") for i in s.co_unit_ids),
                s.deadline,
                s.state.label,
                s.assigned_at.date() if s.assigned_at else None,
                s.replied_at.date() if s.replied_at else None,
                lead_reply.result_class.value if lead_reply else "",
                _yes(s.on_time),
                s.satisfaction.label if s.satisfaction else "",
                s.rehandle_count,
                _yes(overdue),
            ]
        )
    return await to_thread.run_sync(workbook_bytes, "代表建议台账", table), len(rows)
