"""Warnings found offline (by the budget committee's own checks, or an audit), imported by
staff from a sheet: every row checked, then all written in one transaction or none."""

from pathlib import Path
from typing import Any, BinaryIO

from pymongo.errors import BulkWriteError, DuplicateKeyError

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import BudgetLink, Department, LinkKind
from api.models.timeline import event
from api.models.users import utcnow
from api.models.warnings import BudgetWarning, Severity, WarningSource
from api.services.sheet_process import read_rows
from api.services.sheets import FileRejected, RowError, SheetLimits, cell_text
from api.services.warning_evaluation import PERIOD
from api.transactions import transaction

NUMBER, PERIOD_COLUMN, SEVERITY, TITLE, MESSAGE, DEPARTMENT = (
    "预警编号", "期间", "预警等级", "标题", "预警内容", "部门编码",
)  # fmt: skip
REQUIRED = (NUMBER, PERIOD_COLUMN, SEVERITY, TITLE, MESSAGE)
COLUMNS = (*REQUIRED, DEPARTMENT)
ROWS_MAX = 5000
SEVERITIES = {s.label: s for s in Severity} | {str(s): s for s in Severity}


def _row(
    number: int, cells: dict[str, Any], departments: dict[str, str], seen: dict[str, int],
    viewer: Viewer,
) -> tuple[BudgetWarning | None, list[RowError]]:  # fmt: skip
    problems: list[RowError] = []

    def bad(column: str, reason: str) -> None:
        problems.append(RowError(number, column, reason))

    values = {name: cell_text(cells.get(name)) for name in COLUMNS}
    for name, longest in ((NUMBER, 50), (TITLE, 200), (MESSAGE, 5000)):
        if not 1 <= len(values[name]) <= longest:
            bad(name, say(f"应为 1 到 {longest} 个字", f"Should be 1 to {longest} characters"))
    if values[NUMBER] in seen:
        bad(
            NUMBER,
            say(
                f"{values[NUMBER]} 在文件中出现两次",
                f"{values[NUMBER]} appears twice in the file",
            ),
        )
    seen.setdefault(values[NUMBER], number)
    period = PERIOD.match(values[PERIOD_COLUMN])
    if not period or not 1 <= int(period[2]) <= 12:
        bad(
            PERIOD_COLUMN,
            say(
                f"“{values[PERIOD_COLUMN]}”不是月份（例如 2025-06）",
                f'"{values[PERIOD_COLUMN]}" is not a month (such as 2025-06)',
            ),
        )
    severity = SEVERITIES.get(values[SEVERITY])
    if severity is None:
        bad(
            SEVERITY,
            say(
                f"“{values[SEVERITY]}”应为“一般预警”或“严重预警”",
                f'"{values[SEVERITY]}" should be one of: {", ".join(str(s) for s in Severity)}',
            ),
        )
    code = values[DEPARTMENT]
    if code and code not in departments:
        bad(DEPARTMENT, say(f"没有这个部门编码：{code}", f"No such department code: {code}"))
    if problems:
        return None, problems
    assert period is not None and severity is not None
    now = utcnow()
    warning = BudgetWarning(
        source=WarningSource.IMPORTED, number=values[NUMBER], year=int(period[1]),
        month=int(period[2]), subject_key=f"DEPARTMENT:{code}" if code else "",
        subject=departments.get(code, ""), severity=severity, title=values[TITLE],
        message=values[MESSAGE], evaluated_at=None, created_by=viewer.user_id,  # type: ignore[arg-type]
        budget_links=[BudgetLink(kind=LinkKind.DEPARTMENT, department=code,
                                 linked_by=viewer.name or "—")] if code else [],
        timeline=[event(viewer, "import", "", "OPEN", at=now)], created_at=now, updated_at=now,
    )  # fmt: skip
    return warning, []


async def import_warnings(
    source: BinaryIO | Path, *, name: str, viewer: Viewer, limits: SheetLimits
) -> int:
    """Import a sheet of warnings (.xlsx or .csv), read within ``limits``; ``FileRejected``
    with every bad row, and nothing written, when any row is bad or any number was imported
    before."""
    if not viewer.has_role(Role.STAFF):
        raise DomainError(
            ErrorCode.FORBIDDEN, say("只有工作人员可以导入预警", "Only staff may import warnings")
        )
    header, rows = await read_rows(source, name, limits)
    missing = say("缺少必填列", "A required column is missing")
    errors = [RowError(1, c, missing) for c in REQUIRED if c not in header]
    if errors:
        raise FileRejected(errors)
    position = {c: header.index(c) for c in COLUMNS if c in header}
    departments = {d.code: d.name for d in await Department.find_all().to_list()}
    seen: dict[str, int] = {}
    warnings: list[BudgetWarning] = []
    for number, row in rows:
        if number > ROWS_MAX + 1:
            reason = say(f"超过 {ROWS_MAX} 行", f"More than {ROWS_MAX} rows")
            raise FileRejected([RowError(number, "", reason)])
        cells = {c: row[i] if i < len(row) else None for c, i in position.items()}
        warning, problems = _row(number, cells, departments, seen, viewer)
        errors += problems
        if warning is not None:
            warnings.append(warning)
    known = BudgetWarning.find({"source": "IMPORTED", "number": {"$in": sorted(seen)}})
    for found in await known.to_list():
        reason = say(f"{found.number} 以前已经导入", f"{found.number} was imported before")
        errors.append(RowError(seen[found.number], NUMBER, reason))
    if not warnings and not errors:
        errors.append(RowError(0, "", say("文件没有数据行", "The file has no data rows")))
    if errors:
        raise FileRejected(errors)
    try:
        async with transaction(BudgetWarning) as session:
            await BudgetWarning.insert_many(warnings, session=session)
    except (DuplicateKeyError, BulkWriteError):
        problem = RowError(
            0,
            NUMBER,
            say(
                "有人同时导入了同一批预警",
                "Someone else imported the same warnings at the same time",
            ),
        )
        raise FileRejected([problem]) from None
    return len(warnings)
