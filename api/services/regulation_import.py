"""``jiandu import regulations``: files and folders of regulations into the library.

Each file is read (encoding detected), described (front matter, then what can safely be
inferred, then the command line's defaults), and written in its own transaction: one bad file
is reported and the others go on. Re-importing a file updates its document (or skips it when
nothing changed); a later version of a work becomes a new version and amends the older one.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from api.errors import DomainError
from api.labels import LabeledEnum
from api.models.regulations import Level, Regulation, RegulationKind, RegulationStatus, Visibility
from api.services.regulation_text import UnreadableFile, parse, read_file, split_front_matter
from api.services.regulations import (
    RegulationDraft,
    content_hash,
    create_regulation,
    update_regulation,
)

SUFFIXES = {".txt", ".md", ".markdown", ".docx"}
DATE_IN_NAME = re.compile(r"[(（_\s-]?(\d{4})[-.年](\d{1,2})[-.月](\d{1,2})日?[)）]?")
TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
E = TypeVar("E", bound=LabeledEnum)


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportDefaults:
    """What the command line says about files that do not say it themselves."""

    kind: RegulationKind | None = None
    level: Level | None = None
    region: str = ""
    status: RegulationStatus | None = None
    visibility: Visibility = Visibility.PUBLIC
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileResult:
    path: Path
    outcome: Outcome
    detail: str = ""
    """The title for a success, the reason for a failure."""


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """The importable files under ``paths`` (folders recursively), and the paths that are
    neither an importable file nor a folder."""
    files: list[Path] = []
    problems: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            files.append(path)
        elif path.exists():
            kinds = ", ".join(sorted(SUFFIXES))
            problems.append(FileResult(path, Outcome.FAILED, f"not a {kinds} file"))
        else:
            problems.append(FileResult(path, Outcome.FAILED, "no such file or folder"))
    return files, problems


def _enum(enum: type[E], value: Any, key: str) -> E:
    text = str(value).strip()
    for member in enum:
        if text.upper() == member.value or text == member.label:
            return member
    allowed = ", ".join(f"{m.value} ({m.label})" for m in enum)
    raise UnreadableFile(f"`{key}: {text}` is not one of {allowed}")


def _date(value: Any, key: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UnreadableFile(f"`{key}: {value}` is not a date like 2018-12-29") from None


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[,，、;；\s]+", value) if v]
    return [str(v) for v in value]


def date_in_name(path: Path) -> date | None:
    match = DATE_IN_NAME.search(path.stem)
    if match is None:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def infer_level(title: str) -> Level | None:
    return Level.NATIONAL if title.startswith("中华人民共和国") else None


def infer_kind(title: str, level: Level | None) -> RegulationKind | None:
    """The kind a title's ending makes certain enough; None where it does not."""
    name = TRAILING_NOTE.sub("", title)
    national = level is Level.NATIONAL
    if name.endswith("解释") and ("最高人民法院" in name or "最高人民检察院" in name):
        return RegulationKind.JUDICIAL_INTERPRETATION
    if name.endswith("批复"):
        return RegulationKind.APPROVAL
    if name.endswith("条例"):
        return (
            RegulationKind.ADMINISTRATIVE_REGULATION
            if national
            else (RegulationKind.LOCAL_REGULATION)
        )
    if name.endswith(("办法", "规定", "细则", "规则")):
        return RegulationKind.DEPARTMENTAL_RULE if national else RegulationKind.NORMATIVE_DOCUMENT
    if name.endswith("决定"):
        if national:
            return RegulationKind.LAW
        if level in (Level.PROVINCIAL, Level.MUNICIPAL):
            return RegulationKind.LOCAL_REGULATION
        return RegulationKind.NORMATIVE_DOCUMENT if level else None
    if name.endswith("法") and not name.endswith(("方法", "做法")):
        return RegulationKind.LAW
    if name.endswith(("意见", "通知", "方案")):
        return RegulationKind.POLICY
    if name.endswith(("报告", "简报", "分析")):
        return RegulationKind.WORK_MATERIAL
    return None


FRONT_MATTER_KEYS = frozenset(
    {
        "title",
        "kind",
        "level",
        "region",
        "status",
        "visibility",
        "number",
        "issuer",
        "promulgated",
        "effective",
        "categories",
        "tags",
    }
)


def describe(path: Path, text: str, defaults: ImportDefaults) -> tuple[RegulationDraft, str]:
    """What a file says about itself: front matter first, then safe inference, then the
    command line's defaults. Refused when the title, kind or level stay unknown."""
    meta, body = split_front_matter(text)
    unknown = sorted(set(meta) - FRONT_MATTER_KEYS)
    if unknown:
        raise UnreadableFile(
            f"unknown front-matter key(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(FRONT_MATTER_KEYS))}"
        )
    title = str(meta.get("title") or parse(body).title).strip()
    if not title:
        raise UnreadableFile("no title: the file is empty or has no first line")
    level = _enum(Level, meta["level"], "level") if "level" in meta else None
    level = level or infer_level(title) or defaults.level
    kind = _enum(RegulationKind, meta["kind"], "kind") if "kind" in meta else None
    kind = kind or infer_kind(title, level) or defaults.kind
    if kind is None:
        raise UnreadableFile("the kind is unknown: add `kind:` to the front matter or pass --kind")
    if level is None:
        raise UnreadableFile(
            "the level is unknown: add `level:` to the front matter or pass --level"
        )
    status = _enum(RegulationStatus, meta["status"], "status") if "status" in meta else None
    visibility = (
        _enum(Visibility, meta["visibility"], "visibility")
        if "visibility" in meta
        else defaults.visibility
    )
    draft = RegulationDraft(
        title=title,
        kind=kind,
        level=level,
        status=status or defaults.status,
        visibility=visibility,
        region=str(meta.get("region") or defaults.region),
        document_number=str(meta.get("number") or ""),
        issuing_body=str(meta.get("issuer") or ""),
        promulgated_on=_date(meta.get("promulgated"), "promulgated") or date_in_name(path),
        effective_on=_date(meta.get("effective"), "effective"),
        categories=_list(meta.get("categories")) or list(defaults.categories),
        tags=_list(meta.get("tags")),
    )
    return draft, body


async def import_text(
    path: Path, text: str, defaults: ImportDefaults
) -> tuple[Outcome, Regulation]:
    """Create or update the document a file's text describes."""
    draft, body = describe(path, text, defaults)
    versions = (
        await Regulation.find({"title": draft.title.strip(), "region": draft.region.strip()})
        .sort("promulgated_on")
        .to_list()
    )
    if not versions:
        return Outcome.IMPORTED, await create_regulation(draft=draft, text=body, source=path.name)
    same: Regulation | None
    if draft.promulgated_on is None:
        if len(versions) > 1 or versions[0].promulgated_on is not None:
            raise UnreadableFile(
                f"«{draft.title}» already has dated versions: give this one its date "
                "(front matter `promulgated:` or `(YYYY-MM-DD)` in the file name)"
            )
        same = versions[0]
    else:
        same = next((v for v in versions if v.promulgated_on == draft.promulgated_on), None)
    if same is None:
        created = await create_regulation(
            draft=draft, text=body, version_of=versions[-1], source=path.name
        )
        return Outcome.IMPORTED, created
    if same.content_hash == content_hash(draft, body):
        return Outcome.SKIPPED, same
    updated = await update_regulation(regulation=same, draft=draft, text=body, source=path.name)
    return Outcome.UPDATED, updated


async def import_file(path: Path, defaults: ImportDefaults) -> FileResult:
    """One file: its outcome, never an exception for a problem of the file."""
    try:
        text, _ = read_file(path)
        outcome, regulation = await import_text(path, text, defaults)
    except (UnreadableFile, DomainError, OSError) as e:
        return FileResult(path, Outcome.FAILED, str(e))
    return FileResult(path, outcome, regulation.title)


async def import_paths(
    paths: Iterable[Path],
    defaults: ImportDefaults,
    *,
    on_file: Callable[[FileResult], None] = lambda _: None,
    on_start: Callable[[int], None] = lambda _: None,
) -> list[FileResult]:
    """Every file under ``paths``, in order; ``on_start`` learns the count, ``on_file`` each
    result as it comes (for a progress bar)."""
    files, results = collect(paths)
    on_start(len(files))
    for path in files:
        result = await import_file(path, defaults)
        results.append(result)
        on_file(result)
    return results
