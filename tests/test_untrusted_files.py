"""Files from outside, in and out. A deputy's text that a spreadsheet would run as a formula is
exported as text. An upload crafted to take the API's time or memory (a zip bomb, millions of
shared strings, a cell in the last column, a row a million rows down, entities) is refused with
a reason, nothing written, while the API goes on answering everyone else at once; the memory
the reading took is given back. Good files still import (the importers' own tests)."""

import asyncio
import base64
import gc
import io
import os
import time
import zipfile
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from api.access import Role, Viewer
from api.models.budget import BudgetImport
from api.models.suggestions import Suggestion
from api.models.warnings import BudgetWarning
from api.services import sheet_process, suggestion_ledger
from api.services.sheets import FileRejected, open_rows, workbook_bytes, write_csv
from api.settings import Settings
from tests.budget_world import LIMITS
from tests.factories import gql, suggestion_world
from tests.suggestion_calls import draft, ok

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PAGE = os.sysconf("SC_PAGE_SIZE")

# --- formulas out --------------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://x","点击查看")'
COMMAND = "=cmd|' /C calc'!A0"
EXPORT = "query { exportSuggestions { contentBase64 rowCount } }"


async def test_a_deputys_formula_is_exported_as_text(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    await ok(client, "createSuggestion", draft(world, title=HYPERLINK, body=COMMAND),
             world.tokens["deputy"])  # fmt: skip
    body = await gql(client, EXPORT, token=world.tokens["deputy"])
    export = body["data"]["exportSuggestions"]
    assert export["rowCount"] == 1
    sheet = load_workbook(io.BytesIO(base64.b64decode(export["contentBase64"]))).active
    assert sheet is not None
    header, first = list(sheet.iter_rows())
    cells = {h.value: c for h, c in zip(header, first, strict=True)}
    for column, text in (("标题", HYPERLINK), ("内容", COMMAND)):
        assert (cells[column].value, cells[column].data_type) == (text, "s"), column
        assert cells[column].quotePrefix, column  # Excel keeps it text when it is edited


def test_every_writer_neutralises_formulas_and_keeps_numbers() -> None:
    row = [HYPERLINK, COMMAND, "+1+cmd", "@SUM(A1)", "\t=1", "\r=1", -1234.5, -12, "-12.50",
           "普通文字"]  # fmt: skip
    sheet = load_workbook(io.BytesIO(workbook_bytes("表", [row]))).active
    assert sheet is not None
    cells = next(sheet.iter_rows())
    assert [c.value for c in cells] == row
    assert [c.data_type for c in cells] == ["s"] * 6 + ["n", "n", "s", "s"]

    text = io.StringIO()
    write_csv(text, [["标题", "数"], *([value, -3] for value in row)])
    written = text.getvalue().splitlines()
    assert written[1] == '"\'=HYPERLINK(""http://x"",""点击查看"")",-3'
    assert written[2] == "'=cmd|' /C calc'!A0,-3"
    assert [line[0] for line in written[3:5]] == ["'", "'"]  # +… and @…
    assert "-1234.5,-3" in written and "-12.50,-3" in written  # numbers stay numbers
    # and jiandu reads back what it wrote
    _, rows = open_rows(io.BytesIO(text.getvalue().encode()), "x.csv", LIMITS)
    assert [r[0] for _, r in rows] == [str(v) for v in row]


# --- bombs in ------------------------------------------------------------------------------


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = workbook([["年度", "预算类型"], [2025, "一般公共预算"]])


def with_parts(parts: dict[str, Iterable[bytes]], base: bytes = GOOD) -> bytes:
    """A workbook with these parts (name: their bytes in pieces) in place of its own."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for info in source.infolist():
            if info.filename not in parts:
                book.writestr(info.filename, source.read(info.filename))
        for name, pieces in parts.items():
            with book.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    part.write(piece)
    return out.getvalue()


def shared_strings(count: int, repeat: int) -> Iterator[bytes]:
    """``count`` shared strings, each text ``repeat`` times in a row (more: better packed)."""
    yield f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    for start in range(0, count, 10_000):
        yield b"".join(b"<si><t>%d</t></si>" % (i // repeat)
                       for i in range(start, min(count, start + 10_000)))  # fmt: skip
    yield b"</sst>"


def sheet(*rows: bytes, repeat: int = 1, prolog: bytes = b"") -> Iterator[bytes]:
    yield prolog + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield from rows
    for _ in range(repeat // 10_000):
        yield b'<row><c t="n"><v>0</v></c></row>' * 10_000
    yield b"</sheetData></worksheet>"


HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c></row>'
LAUGHS = b"".join(
    [b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">']
    + [b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
       for n in range(1, 10)]
    + [b"]>"]
)  # fmt: skip
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHING_STRINGS = [LAUGHS + f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'.encode()]

BOMBS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "3,000,000 shared strings in 130 KB": (
        "b.xlsx", lambda: with_parts({"xl/sharedStrings.xml": shared_strings(3_000_000, 10**9)}),
        "压缩比",
    ),
    "520,000 shared strings that pack like text": (
        "b.xlsx", lambda: with_parts({"xl/sharedStrings.xml": shared_strings(520_000, 8)}),
        "共享字符串超过 500000 个",
    ),
    "a 147 MB sheet in a small zip": (
        "b.xlsx", lambda: with_parts({"xl/worksheets/sheet1.xml": sheet(repeat=4_500_000)}),
        "压缩比",
    ),
    "a cell in the last column": (
        "b.xlsx", lambda: with_parts({"xl/worksheets/sheet1.xml": sheet(
            HEADER_ROW, b'<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>')}),
        "超过 256 列",
    ),
    "a row a million rows down": (
        "b.xlsx", lambda: with_parts({"xl/worksheets/sheet1.xml": sheet(
            HEADER_ROW, b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')}),
        "超过 1000000 行",
    ),
    "nested entities": (
        "b.xlsx", lambda: with_parts({"xl/sharedStrings.xml": LAUGHING_STRINGS}), "DOCTYPE",
    ),
    "an external entity": (
        "b.xlsx", lambda: with_parts({"xl/worksheets/sheet1.xml": sheet(HEADER_ROW,
                                                                        prolog=EXTERNAL)}),
        "DOCTYPE",
    ),
    "a CSV row of 300 columns": ("b.csv", lambda: b"year\n" + b"1," * 300 + b"\n", "超过 256 列"),
}  # fmt: skip


def resident() -> int:
    """This process's resident memory (the API's: the tests serve it in-process), bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


async def while_answering(client: httpx.AsyncClient, work: Awaitable[Any]) -> tuple[Any, float]:
    """``work``'s result, and the slowest answer to ``{ __typename }`` asked every 10 ms
    while it ran."""
    task = asyncio.ensure_future(work)
    slowest = 0.0
    while not task.done():
        started = time.perf_counter()
        body = await gql(client, "{ __typename }")
        slowest = max(slowest, time.perf_counter() - started)
        assert body == {"data": {"__typename": "Query"}}
        await asyncio.sleep(0.01)
    return await task, slowest


UPLOAD = """mutation ($input: ImportBudgetFileInput!) { importBudgetFile(input: $input) {
  imported { rows } rejectedRows { row column reason } } }"""
WARNINGS = """mutation ($input: ImportWarningsInput!) { importWarnings(input: $input) {
  imported rejectedRows { row column reason } } }"""


def upload(name: str, content: bytes) -> dict[str, Any]:
    return {"input": {"fileName": name, "contentBase64": base64.b64encode(content).decode()}}


async def test_upload_bombs_are_refused_while_the_api_answers(client: httpx.AsyncClient) -> None:
    world = await suggestion_world(client)
    finance, staff = world.tokens["finance"], world.tokens["staff"]
    bombs = {what: (name, make(), reason) for what, (name, make, reason) in BOMBS.items()}
    for what, (_, content, _) in bombs.items():
        assert len(content) < 750_000, what  # within the request size limit as base64
    await gql(client, UPLOAD, upload("warm.csv", b"x\n"), token=finance)  # the fork server
    gc.collect()
    before = resident()
    for what, (name, content, reason) in bombs.items():
        started = time.perf_counter()
        body, slowest = await while_answering(
            client, gql(client, UPLOAD, upload(name, content), token=finance)
        )
        took = time.perf_counter() - started
        payload = body["data"]["importBudgetFile"]
        assert payload["imported"] is None, what
        (problem,) = payload["rejectedRows"]
        assert reason in problem["reason"], (what, problem)
        assert slowest < 0.5, (what, slowest)  # a blocked loop waits seconds; a busy machine less
        print(f"{what}: {len(content) // 1000} KB refused in {took:.2f} s, "
              f"slowest other answer {slowest * 1000:.0f} ms: {problem['reason']}")  # fmt: skip
        body, slowest = await while_answering(
            client, gql(client, WARNINGS, upload(name, content), token=staff)
        )
        assert body["data"]["importWarnings"]["imported"] == 0, what
        assert reason in body["data"]["importWarnings"]["rejectedRows"][0]["reason"], what
        assert slowest < 0.5, (what, slowest)  # a blocked loop waits seconds; a busy machine less
    gc.collect()
    after = resident()
    print(f"resident memory {before / 2**20:.0f} MB before, {after / 2**20:.0f} MB after")
    assert after - before < 50 * 2**20
    assert await BudgetImport.count() == 0 and await BudgetWarning.count() == 0


async def test_a_ledger_bomb_is_refused_and_nothing_imported(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    await suggestion_world(client)
    importer = Viewer(role=Role.STAFF, name="台账导入")
    for what in ("3,000,000 shared strings in 130 KB", "nested entities", "a cell in the last "
                 "column"):  # fmt: skip
        _, make, reason = BOMBS[what]
        path = tmp_path / "台账.xlsx"
        path.write_bytes(make())
        with pytest.raises(FileRejected) as refused:
            await suggestion_ledger.import_ledger(path, viewer=importer, settings=settings)
        assert reason in refused.value.errors[0].reason, what
    assert await Suggestion.find_all().count() == 0


async def test_each_limit_is_its_setting() -> None:
    small = replace(LIMITS, unzipped_bytes=2_000_000, rows=1000, columns=20)
    varied = b"".join(b'<row><c t="n"><v>%d</v></c></row>' % (n * 7919 % 10**9)
                      for n in range(80_000))  # fmt: skip
    cases = [
        ("x.xlsx", with_parts({"xl/worksheets/sheet1.xml": [varied]}), "解压后超过 2 MB"),
        ("x.csv", b"n\n" + b"".join(b"%d\n" % n for n in range(1500)), "超过 1000 行"),
        ("x.csv", b"n\n" + b"1," * 21 + b"\n", "超过 20 列"),
        ("x.csv", b"n\n" + b"".join(b"%08d\n" % n for n in range(250_000)), "超过 2 MB"),
    ]  # fmt: skip
    for name, content, reason in cases:
        with pytest.raises(FileRejected) as refused:
            await sheet_process.read_rows(io.BytesIO(content), name, small)
        assert reason in refused.value.errors[0].reason, (name, refused.value.errors)
    # within them, the same files read whole
    header, rows = await sheet_process.read_rows(
        io.BytesIO(b"n\n" + b"".join(b"%d\n" % n for n in range(1000))), "x.csv", small
    )
    assert header == ["n"] and [r for _, (r,) in rows] == [str(n) for n in range(1000)]


async def test_a_file_that_takes_too_long_is_stopped() -> None:
    slow = replace(LIMITS, seconds=0.3)
    content = b"n\n" + b"".join(b"%d\n" % n for n in range(600_000))
    started = time.perf_counter()
    with pytest.raises(FileRejected) as refused:
        await sheet_process.read_rows(io.BytesIO(content), "x.csv", slow)
    assert "超过 0.3 秒" in refused.value.errors[0].reason
    assert time.perf_counter() - started < 3


async def test_a_file_waits_for_its_turn_at_most_its_time() -> None:
    """More files than ``processes`` at once wait for a turn, but no longer than ``seconds``:
    a reader that never ends cannot leave every later upload waiting on it."""
    holding = replace(LIMITS, seconds=2, processes=1, rows=10_000_000)
    waiting = replace(LIMITS, seconds=0.3, processes=1)
    long = b"n\n" + b"".join(b"%d\n" % n for n in range(6_000_000))  # read whole: ~15 s
    first = asyncio.create_task(sheet_process.read_rows(io.BytesIO(long), "x.csv", holding))
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    with pytest.raises(FileRejected) as refused:
        await sheet_process.read_rows(io.BytesIO(b"n\n1\n"), "y.csv", waiting)
    assert "同时读取的文件过多" in refused.value.errors[0].reason
    assert time.perf_counter() - started < 1.5
    with pytest.raises(FileRejected) as stopped:
        await first
    assert "超过 2 秒" in stopped.value.errors[0].reason
    header, rows = await sheet_process.read_rows(io.BytesIO(b"n\n1\n"), "y.csv", waiting)
    assert header == ["n"] and [r for _, (r,) in rows] == ["1"]
