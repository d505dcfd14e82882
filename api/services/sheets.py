"""Tabular files people exchange (.xlsx workbooks and .csv), read row by row, and the one way
a file import reports bad rows: every problem with its row, column and reason.

Rows are streamed: a reader holds one row at a time, so a file of a million rows costs the
memory of one. A CSV file may be UTF-8 (with or without a byte-order mark) or GB18030, the
encoding Chinese Excel saves CSV in.

A file from outside is read within limits (``SheetLimits``, from settings), each checked while
reading and refused at the first excess: the unzipped size of a workbook and each part's
compression ratio (from the zip directory, before anything is unzipped), a document type
declaration in any of its XML parts (where entity bombs live), the number of shared strings,
rows and columns. ``api.services.sheet_process`` does that reading in a separate process.

Every file jiandu writes goes through ``workbook_bytes`` or ``write_csv``: a text cell that a
spreadsheet would take for a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written as text, never as a formula (OWASP's advice on CSV injection).
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO
from xml.parsers import expat
from zipfile import BadZipFile, ZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

from api.language import say
from api.settings import Settings

YES, NO = ("是", "y", "yes", "true", "1", "√"), ("否", "n", "no", "false", "0", "")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP: CSV injection)."""
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
"""Text that is only a number (``-12.50``) is no formula and stays as it is."""
RATIO_FLOOR = 1 << 20
"""A part this size or smaller is never refused for its compression ratio (small XML parts
compress far better than any sheet of figures)."""
PARTS_MAX = 10_000
SPOOL_BATCH = 1000


@dataclass(frozen=True)
class SheetLimits:
    """How much a file from outside may hold; see the settings ``upload_*``."""

    unzipped_bytes: int
    """A workbook's parts unzipped, together; a CSV file's size; the rows read, stored."""
    compression_ratio: int
    shared_strings: int
    rows: int
    columns: int
    seconds: float
    """How long reading one file may take (in its own process)."""
    processes: int
    """How many files one jiandu process reads at once; more wait their turn, at most
    ``seconds``, then are refused."""

    @classmethod
    def of(cls, settings: Settings) -> "SheetLimits":
        return cls(
            unzipped_bytes=settings.upload_max_unzipped_bytes,
            compression_ratio=settings.upload_max_compression_ratio,
            shared_strings=settings.upload_max_shared_strings,
            rows=settings.upload_max_rows,
            columns=settings.upload_max_columns,
            seconds=settings.upload_parse_seconds,
            processes=settings.upload_parse_processes,
        )


@dataclass(frozen=True)
class RowError:
    row: int
    """The row number as a spreadsheet shows it (the header is row 1; 0: the whole file)."""
    column: str
    reason: str


class FileRejected(Exception):
    """The whole file was refused and nothing was written; ``errors`` says where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems; nothing was imported")
        self.errors = errors


def refused(reason: str, row: int = 0) -> FileRejected:
    """The whole file refused for one reason."""
    return FileRejected([RowError(row, "", reason)])


Rows = Iterator[tuple[int, tuple[Any, ...]]]
"""Numbered non-empty rows after the header."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_flag(value: Any, default: bool) -> bool | None:
    """是/否 (and the usual spellings of yes and no); None when it is neither."""
    text = cell_text(value).lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def cell_day(value: Any) -> date | str | None:
    """A date cell: a date, None when empty, or the text that is not a date."""
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return cell_text(value)


def formula_like(value: Any) -> bool:
    """Text a spreadsheet would run as a formula. Numbers (negative budget figures too) and
    text that is only a number are not."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def _csv_cell(value: Any) -> Any:
    return "'" + value if formula_like(value) else value


def _read_csv_cell(text: str) -> str:
    """The text ``write_csv`` wrote (its quote before a formula-like cell taken off)."""
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text


def write_csv(stream: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    """Rows as CSV, a formula-like text cell behind a single quote (as OWASP advises)."""
    writer = csv.writer(stream)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)


def _limited(rows: Iterator[tuple[Any, ...]], limits: SheetLimits) -> Iterator[tuple[Any, ...]]:
    """The rows, refused at the first beyond ``limits.rows`` (after the header) or wider than
    ``limits.columns``."""
    for n, row in enumerate(rows, start=1):
        if n > limits.rows + 1:
            raise refused(
                say(f"文件超过 {limits.rows} 行", f"The file has more than {limits.rows} rows"), n
            )
        if len(row) > limits.columns:
            raise refused(
                say(
                    f"第 {n} 行超过 {limits.columns} 列",
                    f"Row {n} has more than {limits.columns} columns",
                ),
                n,
            )
        yield row


def _numbered(rows: Iterator[tuple[Any, ...]]) -> Rows:
    for n, row in enumerate(rows, start=2):
        if any(cell_text(v) for v in row):
            yield n, row


class _XmlRefused(Exception):
    pass


def _scan_xml(book: ZipFile, part: str, limits: SheetLimits, strings: list[int]) -> None:
    """Read one XML part of a workbook through expat: a document type declaration refuses it
    (no workbook needs one; entity bombs need one), and so do shared strings beyond the limit
    (``strings`` counts them across parts)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def doctype(*_: Any) -> None:
        raise _XmlRefused(
            say(
                f"{part} 含有文档类型声明（DOCTYPE），不予读取",
                f"{part} has a document type declaration (DOCTYPE) and is not read",
            )
        )

    def element(name: str, _: Any) -> None:
        if name.endswith(" si") or name == "si":
            strings[0] += 1
            if strings[0] > limits.shared_strings:
                raise _XmlRefused(
                    say(
                        f"共享字符串超过 {limits.shared_strings} 个",
                        f"The workbook has more than {limits.shared_strings} shared strings",
                    )
                )

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        with book.open(part) as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as e:
        raise refused(
            say(
                f"{part} 不是有效的 XML（第 {e.lineno} 行有误）",
                f"{part} is not valid XML (error on line {e.lineno})",
            )
        ) from None
    except _XmlRefused as e:
        raise refused(str(e)) from None


def _check_workbook(book: ZipFile, limits: SheetLimits) -> None:
    """Refuse a workbook beyond the limits before openpyxl reads it: sizes and ratios from the
    zip directory first (nothing unzipped yet), then every XML part streamed."""
    parts = book.infolist()
    if len(parts) > PARTS_MAX:
        raise refused(
            say(
                f"工作簿的组成部分超过 {PARTS_MAX} 个",
                f"The workbook has more than {PARTS_MAX} parts",
            )
        )
    total = 0
    for part in parts:
        total += part.file_size
        if total > limits.unzipped_bytes:
            raise refused(
                say(
                    f"工作簿解压后超过 {limits.unzipped_bytes // 1_000_000} MB",
                    f"The workbook is larger than {limits.unzipped_bytes // 1_000_000} MB "
                    "when unzipped",
                )
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > limits.compression_ratio:
            raise refused(
                say(
                    f"{part.filename} 的压缩比为 {ratio:.0f}:1，超过 {limits.compression_ratio}:1",
                    f"{part.filename} has a compression ratio of {ratio:.0f}:1, above "
                    f"{limits.compression_ratio}:1",
                )
            )
    strings = [0]
    for part in parts:
        if part.filename.lower().endswith((".xml", ".rels", ".vml")):
            _scan_xml(book, part.filename, limits, strings)


def _workbook_rows(source: BinaryIO | Path, limits: SheetLimits) -> tuple[list[str], Rows]:
    try:
        with ZipFile(source) as archive:
            _check_workbook(archive, limits)
        if not isinstance(source, Path):
            source.seek(0)
        book = load_workbook(source, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, IndexError):
        raise refused(
            say(
                "不是有效的 Excel 工作簿（.xlsx）：文件已损坏，或并非 .xlsx 格式",
                "Not a valid Excel workbook (.xlsx): the file is damaged or not in .xlsx format",
            )
        ) from None
    sheet.reset_dimensions()  # type: ignore[union-attr]  # rows as long as their cells
    rows = _limited(sheet.iter_rows(values_only=True), limits)
    header = [cell_text(v) for v in next(rows, ())]
    return header, _numbered(rows)


def _encoding(head: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_problem(error: UnicodeDecodeError | csv.Error) -> str:
    if isinstance(error, UnicodeDecodeError):
        return say(
            "有无法按 UTF-8 或 GB18030 读出的字节，请另存为 UTF-8",
            "it has bytes that cannot be read as UTF-8 or GB18030; save it as UTF-8",
        )
    return say(
        "引号不成对、单元格过长或含有空字符",
        "unpaired quotes, a cell too long, or a null character",
    )


def _csv_rows(source: BinaryIO | Path, limits: SheetLimits) -> tuple[list[str], Rows]:
    stream = source.open("rb") if isinstance(source, Path) else source
    start = stream.tell()
    size = stream.seek(0, io.SEEK_END) - start
    if size > limits.unzipped_bytes:
        raise refused(
            say(
                f"CSV 文件超过 {limits.unzipped_bytes // 1_000_000} MB",
                f"The CSV file is larger than {limits.unzipped_bytes // 1_000_000} MB",
            )
        )
    stream.seek(start)
    encoding = _encoding(stream.read(65536))
    stream.seek(start)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    table = _limited((tuple(_read_csv_cell(v) for v in row) for row in reader), limits)
    try:
        header = [cell_text(v) for v in next(table, ())]
    except (UnicodeDecodeError, csv.Error) as e:
        raise refused(
            say(
                f"不是有效的 CSV 文件：{_csv_problem(e)}",
                f"Not a valid CSV file: {_csv_problem(e)}",
            ),
            1,
        ) from None

    def rows() -> Rows:
        try:
            yield from _numbered(table)
        except (UnicodeDecodeError, csv.Error) as e:
            raise refused(
                say(
                    f"无法读取的 CSV 内容：{_csv_problem(e)}",
                    f"Unreadable CSV content: {_csv_problem(e)}",
                ),
                reader.line_num,
            ) from None

    return header, rows()


def open_rows(source: BinaryIO | Path, name: str, limits: SheetLimits) -> tuple[list[str], Rows]:
    """The header and the rows of a workbook's first sheet or of a CSV file, by the file
    name's suffix, in this process (``sheet_process.read_rows`` reads a file from outside in
    a process of its own)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(source, limits)
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_rows(source, limits)
    raise refused(
        say(f"{name}：只接受 .xlsx 或 .csv 文件", f"{name}: only .xlsx or .csv files are accepted")
    )


def row_estimate(path: Path) -> int | None:
    """About how many rows a file has, for a progress bar: lines of a CSV file, the sheet's
    stated dimension of a workbook (None when it states none)."""
    if path.suffix.lower() == ".csv":
        with path.open("rb") as stream:
            chunks = iter(lambda: stream.read(1 << 20), b"")
            return max(0, sum(chunk.count(b"\n") for chunk in chunks) - 1)
    try:
        book = load_workbook(path, read_only=True)
        rows = book.worksheets[0].max_row
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        return None
    return rows - 1 if rows else None


def workbook_bytes(title: str, table: list[list[Any]], *more: tuple[str, list[list[Any]]]) -> bytes:
    """An .xlsx with a sheet of these rows (and of ``more``, each a title and its rows); a
    formula-like text cell is text (CPU work: run it off the event loop)."""
    book = Workbook(write_only=True)
    book.properties.creator = book.properties.lastModifiedBy = "监督（jiandu）"
    book.properties.title, book.properties.language = title, "zh-CN"
    for name, rows in ((title, table), *more):
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A formula-like text as a text cell (and shown with Excel's leading quote, so editing it
    keeps it text); anything else as it is."""
    if not formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
