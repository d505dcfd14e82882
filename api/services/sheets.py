"""Tabular files people exchange (.xlsx workbooks and .csv), read row by row, and the one way
a file import reports bad rows: every problem with its row, column and reason.

Rows are streamed: a reader holds one row at a time, so a file of a million rows costs the
memory of one. A CSV file may be UTF-8 (with or without a byte-order mark) or GB18030, the
encoding Chinese Excel saves CSV in.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

YES, NO = ("是", "y", "yes", "true", "1", "√"), ("否", "n", "no", "false", "0", "")


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


def _numbered(rows: Iterator[tuple[Any, ...]]) -> Rows:
    for n, row in enumerate(rows, start=2):
        if any(cell_text(v) for v in row):
            yield n, row


def _workbook_rows(source: BinaryIO | Path) -> tuple[list[str], Rows]:
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as e:
        raise FileRejected([RowError(0, "", f"not an Excel workbook (.xlsx): {e}")]) from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows, ())]
    return header, _numbered(rows)


def _encoding(head: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_rows(source: BinaryIO | Path) -> tuple[list[str], Rows]:
    stream = source.open("rb") if isinstance(source, Path) else source
    start = stream.tell()
    encoding = _encoding(stream.read(65536))
    stream.seek(start)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    try:
        header = [cell_text(v) for v in next(reader, [])]
    except (UnicodeDecodeError, csv.Error) as e:
        raise FileRejected([RowError(1, "", f"not a CSV file: {e}")]) from None

    def rows() -> Rows:
        try:
            yield from _numbered(tuple(row) for row in reader)
        except (UnicodeDecodeError, csv.Error) as e:
            raise FileRejected(
                [RowError(reader.line_num, "", f"unreadable CSV text: {e}")]
            ) from None

    return header, rows()


def open_rows(source: BinaryIO | Path, name: str) -> tuple[list[str], Rows]:
    """The header and the rows of a workbook's first sheet or of a CSV file, by the file
    name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(source)
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_rows(source)
    raise FileRejected([RowError(0, "", f"{name}: expected a .xlsx or .csv file")])


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


def workbook_bytes(title: str, table: list[list[Any]]) -> bytes:
    """An .xlsx with one sheet of these rows (CPU work: run it off the event loop)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for values in table:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
