"""The scale data set: years of a county's records, at sizes set by flags, deterministic from
a seed, loaded through jiandu's own importers wherever there is one (regulation files, the
suggestion ledger, the budget files) and in bulk where history has no importer (suggestions
in every state with their timelines).

A data set grows in steps: ``grow(scale.at(0.1))`` then ``grow(scale, done=scale.at(0.1))``
adds what the second has and the first has not, and times each import on the way. Budget
files replace a year's figures, so each step imports them whole at the step's size.

``jiandu generate [--fraction 0.1] [--regulations 10000] ...`` loads it into the configured
database; the search index follows through the sync worker.
"""

import csv
import itertools
import tempfile
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode
from api.models.budget import Book, FileKind, FundNature, ProjectStatus
from api.models.people import CongressSession
from api.models.regulations import Level, RegulationKind
from api.resources import Resources
from api.services import suggestion_tallies
from api.services.budget_files import LAYOUTS
from api.services.budget_import import import_budget_file
from api.services.regulation_import import ImportDefaults, Outcome, import_paths
from api.services.sheets import SheetLimits, workbook_bytes, write_csv
from api.services.suggestion_ledger import COLUMNS, ROWS_MAX, import_ledger
from seed.generated import (
    CATEGORIES,
    SESSIONS,
    WORDS,
    deputy_name,
    own_rng,
    sentence,
    unit_name,
    write_corpus,
    write_people,
    write_suggestions,
)

YEAR = 2025
DEPARTMENTS = 320
DEPUTIES = 300
UNITS = 60
REFERENCE = Path(__file__).resolve().parent.parent / "api" / "reference" / "classifications.csv"
REGION = ["QL", "青岚县", "县级", ""]
FINANCE = Viewer(role=Role.FINANCE, name="生成")
STAFF = Viewer(role=Role.STAFF, name="生成")
SPREAD = 7919
"""A prime that divides no count of budget line keys."""
SUGGESTIONS_MAX = 100_000
LEDGER_SHARE = 10
"""One suggestion in this many comes through the ledger import; the rest in bulk."""
LEDGER, PROJECT = 6, 7
"""Kinds of record, for ``own_rng`` (after those of ``seed.generated``)."""


@dataclass(frozen=True)
class Scale:
    """How much of everything; the defaults are the full benchmark size."""

    regulations: int = 10_000
    articles: int = 50
    """Articles per regulation."""
    suggestions: int = 100_000
    execution_rows: int = 1_000_000
    """Monthly execution rows: twelve months of ``execution_rows / 12`` budget lines."""
    projects: int = 5_000
    seed: int = 7

    def at(self, fraction: float) -> "Scale":
        """The same data set cut to ``fraction`` of each size."""
        return replace(
            self,
            regulations=round(self.regulations * fraction),
            suggestions=round(self.suggestions * fraction),
            execution_rows=round(self.execution_rows * fraction),
            projects=round(self.projects * fraction),
        )

    @property
    def lines(self) -> int:
        return self.execution_rows // 12

    @property
    def ledger(self) -> int:
        """How many of the suggestions come through the ledger."""
        return self.suggestions // LEDGER_SHARE


EMPTY = Scale(regulations=0, suggestions=0, execution_rows=0, projects=0)


@dataclass(frozen=True)
class Imported:
    """One timed load: ``count`` things of ``unit`` in ``seconds``."""

    what: str
    count: int
    unit: str
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def expenditure_codes() -> list[str]:
    """The 项 codes of the reference classification, in its order."""
    with REFERENCE.open(encoding="utf-8") as f:
        return [row[0] for row in csv.reader(f) if len(row[0]) == 7]


def department_code(n: int) -> str:
    return f"G{n:03d}"


def _write_csv(path: Path, kind: FileKind, rows: Iterable[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        write_csv(f, itertools.chain([[c.header for c in LAYOUTS[kind]]], rows))
    return path


def line_key(n: int, codes: list[str]) -> tuple[str, str, str]:
    """Budget line ``n``: (book, department, code), spread over all of them at any size (a
    step coprime with the number of keys visits each key once)."""
    books = list(Book)
    capacity = DEPARTMENTS * len(codes) * len(books)
    spread = n * SPREAD % capacity
    book = books[spread // (DEPARTMENTS * len(codes))]
    return (
        book.label,
        department_code(spread % DEPARTMENTS),
        codes[spread // DEPARTMENTS % len(codes)],
    )


def write_budget(folder: Path, scale: Scale, codes: list[str]) -> dict[str, Path]:
    """The year's budget lines, execution (twelve months, cumulative) and key projects."""
    keys = [line_key(n, codes) for n in range(scale.lines)]
    amount = [(n * 7919 % 5000 + 10) * 1000 for n in range(scale.lines)]
    expenditure = "支出"
    lines = _write_csv(folder / "lines.csv", FileKind.LINES, (
        [YEAR, book, d, code, expenditure, f"{amount[n]}.50", f"{amount[n] * 11 // 10}.50", "否"]
        for n, (book, d, code) in enumerate(keys)
    ))  # fmt: skip
    execution = _write_csv(folder / "execution.csv", FileKind.EXECUTION, (
        [YEAR, m, book, d, code, expenditure, f"{amount[n] * m * (60 + n % 40) // 1200}.25"]
        for m in range(1, 13)
        for n, (book, d, code) in enumerate(keys)
    ))  # fmt: skip
    natures = [n.label for n in FundNature]
    statuses = [s.label for s in ProjectStatus]

    def project(n: int) -> list[Any]:
        rng = own_rng(scale.seed, PROJECT, n)
        total = rng.randint(50, 50_000) * 10_000
        planned = total // rng.randint(2, 5)
        return [YEAR, f"P{n:05d}", f"青岚县{rng.choice(WORDS)}{rng.choice(WORDS)}工程（{n}）",
                rng.choice(CATEGORIES), department_code(rng.randrange(DEPARTMENTS)),
                rng.choice(codes), rng.choice(natures), total, planned,
                planned * rng.randint(0, 100) // 100, rng.choice(statuses)]  # fmt: skip

    projects = _write_csv(folder / "projects.csv", FileKind.PROJECTS,
                          (project(n) for n in range(scale.projects)))  # fmt: skip
    return {"budget lines": lines, "execution rows": execution, "key projects": projects}


def write_ledgers(folder: Path, scale: Scale, first: int, count: int) -> list[Path]:
    """Ledger workbooks of suggestions ``first`` to ``first + count - 1`` of the ledger's
    share, at most ``ROWS_MAX`` rows each."""
    paths = []
    for start in range(first, first + count, ROWS_MAX):
        table: list[list[Any]] = [list(COLUMNS)]
        for n in range(start, min(first + count, start + ROWS_MAX)):
            rng = own_rng(scale.seed, LEDGER, n)
            cells = {
                "会次": SESSIONS[n % len(SESSIONS)], "类别": "建议",
                "编号": 50_000 + n // len(SESSIONS) + 1,
                "标题": f"关于{rng.choice(WORDS)}{rng.choice(WORDS)}的建议",
                "内容": sentence(rng) + sentence(rng),
                "领衔代表": deputy_name(rng.randrange(DEPUTIES)),
                "主题分类": rng.choice(CATEGORIES), "关键词": "、".join(rng.sample(WORDS, 2)),
                "主办单位": unit_name(rng.randrange(UNITS)),
            }  # fmt: skip
            table.append([cells.get(column, "") for column in COLUMNS])
        path = folder / f"ledger-{start}.xlsx"
        path.write_bytes(workbook_bytes("建议台账", table))
        paths.append(path)
    return paths


async def _timed(what: str, unit: str, count: int, work: Awaitable[object]) -> Imported:
    started = time.perf_counter()
    await work
    return Imported(what, count, unit, time.perf_counter() - started)


def check(scale: Scale, codes: list[str]) -> None:
    """Refuse sizes the generator cannot make, before anything is written."""
    lines = DEPARTMENTS * len(codes) * len(Book)
    if scale.lines > lines:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {lines * 12:,} execution rows "
                          f"({DEPARTMENTS} departments × {len(codes)} codes × 4 books × 12 months)",
                          field="executionRows")  # fmt: skip
    if scale.suggestions > SUGGESTIONS_MAX:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {SUGGESTIONS_MAX:,} suggestions "
                          "(their numbers run to 99,999 in each of the two sessions, the "
                          "ledger's from 50,001)", field="suggestions")  # fmt: skip


async def grow(resources: Resources, scale: Scale, *, done: Scale = EMPTY) -> list[Imported]:
    """Bring a database holding ``done`` to ``scale``, timing each import; sizes it cannot
    make are refused first."""
    db = resources.db
    codes = expenditure_codes()
    check(scale, codes)
    departments = [department_code(n) for n in range(DEPARTMENTS)]
    timed: list[Imported] = []
    limits = SheetLimits.of(resources.settings)
    as_of = resources.settings.budget_day()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not await CongressSession.find_one({"name": SESSIONS[0]}):
            await write_people(db, deputies=DEPUTIES, units=UNITS)
            await import_budget_file(
                _write_csv(folder / "regions.csv", FileKind.REGIONS, [REGION]),
                name="regions.csv", viewer=FINANCE, limits=limits, as_of=as_of,
            )  # fmt: skip
            await import_budget_file(
                _write_csv(folder / "departments.csv", FileKind.DEPARTMENTS, (
                    [d, f"生成部门{n:03d}", "QL", "", unit_name(n % UNITS), "是" if n % 2 else "否"]
                    for n, d in enumerate(departments)
                )), name="departments.csv", viewer=FINANCE, limits=limits, as_of=as_of,
            )  # fmt: skip

        new = scale.regulations - done.regulations
        if new > 0:
            corpus = folder / "regulations"
            articles = write_corpus(corpus, first=done.regulations, documents=new,
                                    articles=scale.articles, seed=scale.seed)  # fmt: skip
            defaults = ImportDefaults(kind=RegulationKind.NORMATIVE_DOCUMENT, level=Level.COUNTY)
            started = time.perf_counter()
            results = await import_paths([corpus], defaults)
            took = time.perf_counter() - started
            refused = [r for r in results if r.outcome is not Outcome.IMPORTED]
            if refused:
                raise RuntimeError(f"generated regulations refused: {refused[:3]}")
            timed.append(Imported("regulations", articles, "articles", took))

        bulk = (scale.suggestions - scale.ledger) - (done.suggestions - done.ledger)
        if bulk > 0:
            timed.append(await _timed("suggestions in bulk (generated)", "suggestions", bulk,
                write_suggestions(db, first=done.suggestions - done.ledger, count=bulk,
                                  seed=scale.seed, deputies=DEPUTIES, units=UNITS,
                                  departments=departments, codes=codes),
            ))  # fmt: skip
            # Written in bulk, past the loop: counted in the statistics' tallies once.
            tallied = suggestion_tallies.rebuild()
            counted = scale.suggestions - scale.ledger
            timed.append(
                await _timed("suggestion tallies rebuilt", "suggestions", counted, tallied)
            )
        new = scale.ledger - done.ledger
        for path in write_ledgers(folder, scale, done.ledger, new) if new > 0 else []:
            rows = min(new, ROWS_MAX)
            ledger = import_ledger(path, viewer=STAFF, settings=resources.settings)
            timed.append(await _timed("suggestion ledger", "rows", rows, ledger))
            new -= rows

        if scale.lines > done.lines or scale.projects > done.projects:
            sizes = {"budget lines": scale.lines, "execution rows": scale.lines * 12,
                     "key projects": scale.projects}  # fmt: skip
            for what, path in write_budget(folder, scale, codes).items():
                budget = import_budget_file(
                    path, name=path.name, viewer=FINANCE, limits=limits, as_of=as_of
                )
                timed.append(await _timed(what, "rows", sizes[what], budget))
    return timed
