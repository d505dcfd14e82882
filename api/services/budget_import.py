"""Importing what finance pushes: one file at a time, all of it or none of it.

Every row is checked (its cells, the codes it names, a second row with the same key); a file
with any bad row changes nothing and the report lists every bad row with its row, column and
reason. Rows that are acceptable but suspicious (executed above the adjusted amount, paid
above the year's plan) are imported with a warning.

Reference lists (regions, departments, classification codes) are small: they are checked
whole and written in one transaction, adding and renaming, never deleting.

Figures are streamed: rows are written in batches under a new load id while the file is
read (memory stays that of one batch, whatever the file's size), invisible to readers; at
the end the rows are rolled up (``budget_rollups``), the periods the file covers switch to
the new load in one write to ``BudgetYear``, and the rows they replace are removed with
their roll-ups. A bad file's rows are removed instead. Re-importing a
period therefore replaces it, and importing the same file twice changes nothing.
"""

import calendar
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from anyio import to_thread
from bson import ObjectId
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from api.access import Viewer
from api.errors import DomainError
from api.language import say
from api.models.budget import (
    FIGURES,
    BudgetImport,
    BudgetLine,
    BudgetYear,
    Classification,
    Department,
    Execution,
    FileKind,
    LoadState,
    Region,
    class_path,
    period_key,
)
from api.models.people import Unit
from api.models.regulations import Level
from api.models.users import utcnow
from api.services import direct_funds
from api.services.budget_figures import Year
from api.services.budget_files import KEYS, LAYOUTS, Bad, Column, Reference, personal_columns
from api.services.budget_rollups import SUMS, discard, roll_up
from api.services.sheet_process import read_rows
from api.services.sheets import (
    FileRejected,
    RowError,
    Rows,
    SheetLimits,
    cell_text,
    open_rows,
    workbook_bytes,
)
from api.services.warning_evaluation import evaluate
from api.transactions import transaction

BATCH = 5_000
ERRORS_SHOWN = 1_000
REFERENCE_ROWS_MAX = 100_000
ABANDONED_AFTER = timedelta(hours=6)
"""A load still LOADING after this long belongs to a process that died: its rows go."""
REFERENCE_MODELS: dict[FileKind, Any] = {
    FileKind.REGIONS: Region,
    FileKind.DEPARTMENTS: Department,
    FileKind.CLASSIFICATIONS: Classification,
}

log = logging.getLogger("jiandu.budget.import")


@dataclass
class ImportReport:
    kind: FileKind
    rows: int
    year: int | None = None
    periods: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    import_id: ObjectId | None = None
    unchanged: bool = False
    """The very file is already imported and current: nothing changed, nothing was recorded,
    and ``import_id`` is that import's record."""


class _Errors:
    """Every bad row, up to ``ERRORS_SHOWN`` of them, then how many more."""

    def __init__(self) -> None:
        self.shown: list[RowError] = []
        self.more = 0

    def add(self, row: int, column: str, reason: str) -> None:
        if len(self.shown) < ERRORS_SHOWN:
            self.shown.append(RowError(row, column, reason))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)

    def rejected(self) -> FileRejected:
        """The refusal, rows in the file's order (checks across rows come after those of
        each row)."""
        errors = sorted(self.shown, key=lambda e: e.row)
        if self.more:
            errors.append(
                RowError(
                    0, "", say(f"……另有 {self.more} 行有误", f"... and {self.more} more bad rows")
                )
            )
        return FileRejected(errors)


def checksum(source: BinaryIO | Path) -> str:
    digest = hashlib.sha256()
    stream = source.open("rb") if isinstance(source, Path) else source
    start = stream.tell()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    if isinstance(source, Path):
        stream.close()
    else:
        stream.seek(start)
    return digest.hexdigest()


def detect_kind(header: list[str]) -> FileKind:
    """The layout whose required columns the header has (the most specific one)."""
    fitting = [
        kind
        for kind, columns in LAYOUTS.items()
        if all(c.header in header for c in columns if c.required)
    ]
    if not fitting:
        reason = say(
            "列名不符合任何预算文件格式：请用 jiandu budget template 的模板",
            "The column names fit no budget file layout: use a template from "
            "jiandu budget template",
        )
        raise FileRejected([RowError(1, "", reason)])
    return max(fitting, key=lambda k: sum(c.header in header for c in LAYOUTS[k]))


class _Lookups:
    """The codes a file may name, loaded once."""

    def __init__(self) -> None:
        self.codes: dict[Reference, set[str]] = {}
        self.department_region: dict[str, str] = {}
        self.townships: set[str] = set()
        self.units: dict[str, ObjectId] = {}

    async def load(self) -> "_Lookups":
        regions = await Region.find_all().to_list()
        self.codes[Reference.REGION] = {r.code for r in regions}
        self.townships = {r.code for r in regions if r.level is Level.TOWNSHIP}
        departments = await Department.find_all().to_list()
        self.department_region = {d.code: d.region for d in departments}
        self.codes[Reference.DEPARTMENT] = set(self.department_region)
        self.codes[Reference.CLASSIFICATION] = {c.code async for c in Classification.find_all()}
        self.units = {u.name: u.id for u in await Unit.find_all().to_list() if u.id}
        self.codes[Reference.UNIT] = set(self.units)
        return self


def _cells(
    row_number: int, row: tuple[Any, ...], layout: tuple[Column, ...], position: dict[str, int],
    errors: _Errors,
) -> dict[str, Any] | None:  # fmt: skip
    """The row's values by field, or None when a cell is bad (each bad cell is reported)."""
    values: dict[str, Any] = {}
    good = True
    for column in layout:
        at = position.get(column.header)
        raw = row[at] if at is not None and at < len(row) else None
        if not column.required and cell_text(raw) == "":
            values[column.field] = column.default
            continue
        try:
            values[column.field] = column.parse(raw)
        except Bad as e:
            errors.add(row_number, column.header, str(e))
            good = False
    return values if good else None


def _check_references(
    row_number: int, values: dict[str, Any], layout: tuple[Column, ...], lookups: _Lookups,
    errors: _Errors, extra: set[str] = frozenset(),  # type: ignore[assignment]
) -> bool:  # fmt: skip
    good = True
    for column in layout:
        value = values.get(column.field)
        if column.reference is None or value in (None, ""):
            continue
        if value not in lookups.codes[column.reference] and value not in extra:
            reference = column.reference
            errors.add(
                row_number,
                column.header,
                say(f"没有这个{reference.label}：{value}", f"No such {reference.english}: {value}"),
            )
            good = False
    return good


def _header(header: list[str], layout: tuple[Column, ...]) -> dict[str, int]:
    missing = say("缺少必填列", "A required column is missing")
    twice = say("列名重复", "The column name appears twice")
    problems = [
        RowError(1, c.header, missing) for c in layout if c.required and c.header not in header
    ]
    known = {c.header for c in layout}
    problems += [
        RowError(1, name, twice)
        for i, name in enumerate(header)
        if name in known and name in header[:i]
    ]
    if problems:
        raise FileRejected(problems)
    return {name: i for i, name in reversed(list(enumerate(header))) if name}


async def import_budget_file(
    source: BinaryIO | Path,
    *,
    name: str,
    viewer: Viewer,
    limits: SheetLimits,
    as_of: date,
    kind: FileKind | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file (``name`` says .xlsx or .csv), read within ``limits``, checked against
    the day ``as_of`` (execution of a month not ended by then is a bad row); ``FileRejected``
    lists every problem when anything is wrong, and then nothing changed."""
    digest = checksum(source)
    header, rows = await read_rows(source, name, limits)
    kind = kind or detect_kind(header)
    layout = LAYOUTS[kind]
    if personal := personal_columns(kind, header):
        reason = say(
            "公开的直达资金文件不能含有个人信息：受益对象只填户数和人数",
            "A direct funds file is public and cannot hold personal data: give only the "
            "numbers of households and persons who benefit",
        )
        raise FileRejected([RowError(1, column, reason) for column in personal])
    position = _header(header, layout)
    same = await _already_current(kind, digest)
    if same is not None:
        return ImportReport(
            kind=kind, rows=same.rows, year=same.year, periods=same.periods,
            warnings=[RowError(**w) for w in same.warnings], import_id=same.id, unchanged=True,
        )  # fmt: skip
    lookups = await _Lookups().load()
    record = BudgetImport(
        kind=kind,
        file_name=Path(name).name,
        checksum=digest,
        imported_by=viewer.name or "—",
        user_id=viewer.user_id,
    )
    if kind in REFERENCE_MODELS:
        return await _import_reference(kind, rows, position, lookups, record, on_rows)
    return await _import_figures(kind, rows, position, lookups, record, as_of, on_rows)


async def _already_current(kind: FileKind, digest: str) -> BudgetImport | None:
    """The import of this very file (same kind, same sha256) that importing it again would
    not change: for figures, one still current for every period it covers; for a reference
    list, the latest of its kind (a later list may have renamed what this one names)."""
    if kind in REFERENCE_MODELS:
        latest = (
            await BudgetImport.find(
                BudgetImport.kind == kind, BudgetImport.state == LoadState.CURRENT
            )
            .sort("-started_at")
            .first_or_none()
        )
        return latest if latest is not None and latest.checksum == digest else None
    async for record in BudgetImport.find(
        BudgetImport.kind == kind,
        BudgetImport.checksum == digest,
        BudgetImport.state == LoadState.CURRENT,
    ):
        year = await BudgetYear.find_one(BudgetYear.year == record.year)
        if year is not None and all(year.loads.get(p) == record.id for p in record.periods):
            return record
    return None


# --- reference lists -------------------------------------------------------------------------


async def _import_reference(
    kind: FileKind, rows: Rows, position: dict[str, int], lookups: _Lookups,
    record: BudgetImport, on_rows: Callable[[int], None] | None,
) -> ImportReport:  # fmt: skip
    layout = LAYOUTS[kind]
    errors = _Errors()
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    for row_number, row in rows:
        if len(found) >= REFERENCE_ROWS_MAX:
            raise FileRejected([
                RowError(
                    row_number,
                    "",
                    say(
                        f"超过 {REFERENCE_ROWS_MAX} 行",
                        f"More than {REFERENCE_ROWS_MAX} rows",
                    ),
                )
            ])  # fmt: skip
        values = _cells(row_number, row, layout, position, errors)
        if values is None:
            continue
        if values["code"] in found:
            errors.add(
                row_number,
                layout[0].header,
                say(
                    f"{values['code']} 与第 {found[values['code']][0]} 行重复",
                    f"{values['code']} repeats row {found[values['code']][0]}",
                ),
            )
            continue
        found[values["code"]] = (row_number, values)
    if on_rows:
        on_rows(len(found))
    own = set(found)
    for code, (row_number, values) in found.items():
        _check_references(row_number, values, layout, lookups, errors, own)
        if kind is FileKind.CLASSIFICATIONS and len(code) > 3:
            parent = code[: len(code) - 2]
            if parent not in own and parent not in lookups.codes[Reference.CLASSIFICATION]:
                errors.add(
                    row_number,
                    layout[0].header,
                    say(f"{code} 没有上级编码 {parent}", f"{code} has no parent code {parent}"),
                )
        if values.get("parent_code") == code:
            errors.add(
                row_number,
                "",
                say(f"{code} 不能是自己的上级", f"{code} cannot be its own parent"),
            )
        if values.get("unit_id"):
            values["unit_id"] = lookups.units.get(values["unit_id"])
    if errors:
        raise errors.rejected()
    model = REFERENCE_MODELS[kind]
    now = utcnow()
    writes = [
        UpdateOne({"code": code}, {"$set": {**values, "updated_at": now}}, upsert=True)
        for code, (_, values) in found.items()
    ]
    record.rows = len(writes)
    record.state = LoadState.CURRENT
    record.finished_at = now
    async with transaction(model) as session:
        if writes:
            await model.get_pymongo_collection().bulk_write(writes, session=session)
        await record.insert(session=session)
    return ImportReport(kind=kind, rows=len(writes), import_id=record.id)


# --- figures ---------------------------------------------------------------------------------


class _Figures:
    """Turns checked rows of one figures file into stored rows, with the file-wide checks:
    one fiscal year, lines that exist for execution, warnings."""

    def __init__(self, kind: FileKind, lookups: _Lookups, load: ObjectId, as_of: date) -> None:
        self.kind = kind
        self.lookups = lookups
        self.load = load
        self.as_of = as_of
        self.year: int | None = None
        self.months: set[int] = set()
        self.lines: dict[tuple[str, ...], tuple[int, bool]] | None = None
        self.warnings: list[RowError] = []
        self.funds: dict[str, tuple[str, str, str]] = {}
        """A direct fund's policy, topic and standard, by code, as its first row gives them."""

    async def _lines_of(self, year: int) -> dict[tuple[str, ...], tuple[int, bool]]:
        current = await BudgetYear.find_one(BudgetYear.year == year)
        load = current.loads.get(period_key(FileKind.LINES)) if current else None
        if load is None:
            reason = say(
                f"{year} 年还没有预算指标：请先导入预算指标",
                f"{year} has no budget lines yet: import the budget lines first",
            )
            raise FileRejected([RowError(0, "", reason)])
        raw = BudgetLine.get_pymongo_collection().find(
            {"load": load},
            {
                "book": 1,
                "direction": 1,
                "department": 1,
                "classification": 1,
                "adjusted": 1,
                "three_public": 1,
            },
        )
        return {
            (r["book"], r["direction"], r["department"], r["classification"]): (
                r["adjusted"],
                r["three_public"],
            )
            async for r in raw
        }

    async def row(self, row_number: int, values: dict[str, Any], errors: _Errors) -> dict | None:  # type: ignore[type-arg]
        year = values.get("year")
        if self.year is None:
            self.year = year
        elif year != self.year:
            errors.add(
                row_number,
                "年度",
                say(
                    f"{year}：一个文件只能有一个年度（{self.year}）",
                    f"{year}: a file can hold only one year ({self.year})",
                ),
            )
            return None
        stored: dict[str, Any] = {**values, "load": self.load}
        if self.kind is FileKind.TOWNSHIP_FIGURES:
            if values["region"] not in self.lookups.townships:
                errors.add(
                    row_number,
                    "地区编码",
                    say(f"{values['region']} 不是乡镇", f"{values['region']} is not a township"),
                )
                return None
            stored["position"] = row_number  # the page keeps the file's order
        if "department" in values:
            stored["region"] = self.lookups.department_region[values["department"]]
        if values.get("classification"):
            stored["class_path"] = class_path(values["classification"])
        if self.kind is FileKind.EXECUTION:
            year, month = values["year"], values["month"]  # both required of execution
            if date(year, month, calendar.monthrange(year, month)[1]) >= self.as_of:
                errors.add(
                    row_number,
                    "月份",
                    say(
                        f"{year}年{month}月尚未结束（截至 {self.as_of:%Y-%m-%d}）："
                        "执行数要等该月结束后导入",
                        f"{year}-{month:02d} has not ended (as of {self.as_of:%Y-%m-%d}): "
                        "import execution figures after the month ends",
                    ),
                )
                return None
            if self.lines is None:
                self.lines = await self._lines_of(year)  # type: ignore[arg-type]
            key = (
                values["book"],
                values["direction"],
                values["department"],
                values["classification"],
            )
            line = self.lines.get(key)
            if line is None:
                errors.add(
                    row_number,
                    "",
                    say(
                        f"{year} 年预算指标中没有这一项：{values['book'].label} "
                        f"{values['direction'].label} 部门 {values['department']} "
                        f"科目 {values['classification']}",
                        f"The {year} budget lines have no such line: {values['book'].value} "
                        f"{values['direction'].value} department {values['department']} "
                        f"classification {values['classification']}",
                    ),
                )
                return None
            adjusted, stored["three_public"] = line
            if values["executed"] > adjusted:
                self.warnings.append(
                    RowError(row_number, "累计执行数", "累计执行数超过调整预算数")  # stored
                )
            self.months.add(values["month"])
        if self.kind is FileKind.LINES and values["adjusted"] == 0 and values["initial"] == 0:
            self.warnings.append(
                RowError(row_number, "调整预算数", "年初和调整预算数都为 0")  # stored
            )
        if self.kind is FileKind.PROJECTS and values["paid"] > values["planned"]:
            self.warnings.append(
                RowError(row_number, "累计支付", "累计支付超过年度计划")  # stored
            )
        if self.kind is FileKind.FUNDS and values["disbursed"] > values["allocated"]:
            self.warnings.append(RowError(row_number, "支付数", "支付数超过分配数"))  # stored
        if self.kind is FileKind.DIRECT_FUNDS and (problem := self._one_fund(values)):
            errors.add(row_number, "资金编码", problem)
            return None
        if self.kind is FileKind.DIRECT_FUNDS and values["paid"] > values["allocated"]:
            errors.add(
                row_number,
                "支付金额",
                say("支付金额超过下达金额", "The amount paid is above the amount allocated"),
            )
            return None
        if self.kind is FileKind.DEBT and (values["capacity"] == 0 or values["gdp"] == 0):
            errors.add(
                row_number,
                "综合财力" if values["capacity"] == 0 else "地区生产总值",
                say(
                    "必须大于 0：债务率以它为分母",
                    "Must be above 0: the debt ratio divides by it",
                ),
            )
            return None
        return stored

    def _one_fund(self, values: dict[str, Any]) -> str:
        """Why a direct fund's row names its fund otherwise than the fund's first row (a
        fund's code has one policy, topic and standard); empty when it does not."""
        said = (values["policy"], values["topic"], values["standard"])
        first = self.funds.setdefault(values["code"], said)
        if first == said:
            return ""
        return say(
            f"资金编码 {values['code']} 前面是“{first[0]}”（{first[1]}，{first[2] or '无标准'}），"
            f"此行是“{said[0]}”（{said[1]}，{said[2] or '无标准'}）：同一资金应一致",
            f'Fund code {values["code"]} was earlier "{first[0]}" ({first[1]}, '
            f'{first[2] or "no standard"}), this row has "{said[0]}" ({said[1]}, '
            f"{said[2] or 'no standard'}): one fund must be given the same way",
        )

    def periods(self) -> list[str]:
        if self.kind is FileKind.EXECUTION:
            return [period_key(self.kind, m) for m in sorted(self.months)]
        return [period_key(self.kind)]


async def _write(
    collection: Any, batch: list[tuple[int, dict[str, Any]]], kind: FileKind, errors: _Errors
) -> None:
    """Insert a batch; a row whose key another row already has is reported."""
    if not batch:
        return
    try:
        await collection.insert_many([doc for _, doc in batch], ordered=False)
    except BulkWriteError as e:
        keys = [c.header for c in LAYOUTS[kind] if c.field in KEYS[kind]]
        reason = say(
            f"另一行的{'、'.join(keys)}与此行相同",
            f"Another row has the same {', '.join(keys)} as this row",
        )
        for failure in e.details.get("writeErrors", []):
            if failure.get("code") != 11000:
                raise
            errors.add(batch[failure["index"]][0], "", reason)


async def _discard_abandoned() -> None:
    stale = BudgetImport.find(
        BudgetImport.state == LoadState.LOADING,
        BudgetImport.started_at < utcnow() - ABANDONED_AFTER,
    )
    async for record in stale:
        await _discard(record)


async def _discard(record: BudgetImport) -> None:
    await FIGURES[record.kind].get_pymongo_collection().delete_many({"load": record.id})
    await discard({"load": record.id})
    if record.kind is FileKind.DIRECT_FUNDS:
        await direct_funds.discard(record.id)  # type: ignore[arg-type]
    record.state = LoadState.FAILED
    record.finished_at = utcnow()
    await record.save()


async def _import_figures(
    kind: FileKind, rows: Rows, position: dict[str, int], lookups: _Lookups,
    record: BudgetImport, as_of: date, on_rows: Callable[[int], None] | None,
) -> ImportReport:  # fmt: skip
    await _discard_abandoned()
    layout = LAYOUTS[kind]
    collection = FIGURES[kind].get_pymongo_collection()
    await record.insert()
    assert record.id is not None
    figures = _Figures(kind, lookups, record.id, as_of)
    errors = _Errors()
    count = 0

    def checked_cells() -> tuple[list[tuple[int, dict[str, Any]]], bool]:
        """The next rows read and their cells checked, and whether the file may go on: the
        file's CPU work, done in a worker thread so the event loop keeps serving requests
        during an upload."""
        found, read = [], 0
        for row_number, row in islice(rows, BATCH):
            read += 1
            values = _cells(row_number, row, layout, position, errors)
            if values is not None and _check_references(
                row_number, values, layout, lookups, errors
            ):
                found.append((row_number, values))
        return found, read == BATCH

    try:
        more = True
        while more:
            cells, more = await to_thread.run_sync(checked_cells)
            batch: list[tuple[int, dict[str, Any]]] = []
            for row_number, values in cells:
                stored = await figures.row(row_number, values, errors)
                if stored is not None:
                    batch.append((row_number, stored))
            await _write(collection, batch, kind, errors)
            count += len(batch)
            if on_rows:
                on_rows(count)
        if figures.year is None and not errors:
            errors.add(0, "", say("文件没有数据行", "The file has no data rows"))
        if errors:
            raise errors.rejected()
        if kind in SUMS:
            await roll_up(kind, record.id, figures.months)
        if kind is FileKind.DIRECT_FUNDS:
            await direct_funds.roll_up(record.id)
    except BaseException:
        await _discard(record)
        raise
    assert figures.year is not None
    record.year = figures.year
    record.periods = figures.periods()
    record.rows = count
    record.warnings = [vars(w) for w in figures.warnings[:ERRORS_SHOWN]]
    await _switch(record, kind)
    await _evaluate_warnings(record)
    return ImportReport(
        kind=kind,
        rows=count,
        year=record.year,
        periods=record.periods,
        warnings=figures.warnings,
        import_id=record.id,
    )


async def _evaluate_warnings(record: BudgetImport) -> None:
    """Run the warning rules over the newest month the import touched and over each
    quarter's last month it touched (what a quarter's bulletin reports), oldest first; for a
    file of a whole year, over the year's latest month with execution figures. The import
    stands whatever the rules find; a year without execution figures has nothing to
    evaluate yet."""
    assert record.year is not None
    touched = [int(p.partition("-")[2]) for p in record.periods if "-" in p]
    months = sorted({m for m in touched if m % 3 == 0} | {max(touched)}) if touched else []
    if not touched and (latest := (await Year.of(record.year)).month(None)) is not None:
        months = [latest]
    try:
        for month in months:
            await evaluate(record.year, month)
    except (DomainError, PyMongoError) as e:  # the import stands; `jiandu warnings evaluate`
        log.warning("warning rules did not run after the import", extra={"error": str(e)})


def _period_filter(period: str) -> dict[str, Any]:
    _, _, month = period.partition("-")
    return {"month": int(month)} if month else {}


async def _switch(record: BudgetImport, kind: FileKind) -> None:
    """Make the record's load current for its periods in one write, then remove the rows it
    replaced and mark the loads nothing current is left of."""
    years = BudgetYear.get_pymongo_collection()
    while True:
        current = await BudgetYear.find_one(BudgetYear.year == record.year)
        if current is None:
            try:
                await BudgetYear(year=record.year, rolled_up=True).insert()  # type: ignore[arg-type]
            except DuplicateKeyError:
                pass
            continue
        changed = await years.update_one(
            {"_id": current.id, "revision": current.revision},
            {"$set": {f"loads.{p}": record.id for p in record.periods}, "$inc": {"revision": 1}},
        )
        if changed.modified_count:
            break
    record.state = LoadState.CURRENT
    record.finished_at = utcnow()
    await record.save()
    collection = FIGURES[kind].get_pymongo_collection()
    still = {load for period, load in current.loads.items() if period not in record.periods}
    for period in record.periods:
        old = current.loads.get(period)
        if old is not None and old != record.id:
            await collection.delete_many({"load": old, **_period_filter(period)})
            await discard({"load": old, **_period_filter(period)})
            if kind is FileKind.DIRECT_FUNDS:
                await direct_funds.discard(old)
            if old not in still:
                await BudgetImport.find_one(BudgetImport.id == old).update(
                    {"$set": {"state": LoadState.REPLACED}}
                )
    if kind is FileKind.LINES:
        await _mark_three_public(record.year, record.id)  # type: ignore[arg-type]


async def _mark_three_public(year: int, lines_load: ObjectId) -> None:
    """Execution rows carry their line's "三公" flag; new lines may have changed it."""
    current = await BudgetYear.find_one(BudgetYear.year == year)
    loads = [v for k, v in (current.loads if current else {}).items() if k.startswith("EXEC")]
    if not loads:
        return
    execution = Execution.get_pymongo_collection()
    await execution.update_many(
        {"load": {"$in": loads}, "three_public": True}, {"$set": {"three_public": False}}
    )
    flagged = BudgetLine.get_pymongo_collection().find(
        {"load": lines_load, "three_public": True},
        {"_id": 0, "book": 1, "direction": 1, "department": 1, "classification": 1},
    )
    keys = await flagged.to_list()
    for start in range(0, len(keys), 500):
        await execution.update_many(
            {"load": {"$in": loads}, "$or": keys[start : start + 500]},
            {"$set": {"three_public": True}},
        )


REFERENCE_CODES = Path(__file__).parent.parent / "reference" / "classifications.csv"
"""The 类 of the functional classification and its common 款 and 项, shipped with jiandu in
the CLASSIFICATIONS layout; a CLASSIFICATIONS file adds the codes a county uses beyond it."""


async def ensure_reference_codes(limits: SheetLimits) -> None:
    """Add the shipped classification codes that are missing (names already there are kept,
    so a county's own wording survives)."""
    header, rows = open_rows(REFERENCE_CODES, REFERENCE_CODES.name, limits)
    code_at, name_at = header.index("功能分类编码"), header.index("科目名称")
    writes = [
        UpdateOne(
            {"code": row[code_at]},
            {"$setOnInsert": {"name": row[name_at], "updated_at": utcnow()}},
            upsert=True,
        )
        for _, row in rows
    ]
    await Classification.get_pymongo_collection().bulk_write(writes, ordered=False)


def template(kind: FileKind) -> bytes:
    """A blank workbook of the layout: the header row, and a second sheet explaining it."""
    notes = [["列", "必填", "说明"]]
    notes += [[c.header, "是" if c.required else "否", c.note] for c in LAYOUTS[kind]]
    return workbook_bytes(kind.label, [[c.header for c in LAYOUTS[kind]]], ("说明", notes))
