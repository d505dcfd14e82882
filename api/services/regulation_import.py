"""``jiandu import regulations``: files and folders of regulations into the library.

Each file is read (encoding detected), described (front matter, then what can safely be
inferred, then the command line's defaults), and written in its own transaction: one bad file
is reported and the others go on. Re-importing a file updates its document (or skips it when
nothing changed); a later version of a work becomes a new version and amends the older one.

All files of a run are read and described before anything is written, so that a work split
over several files (each with the same title and a Markdown heading naming its part, as the
Civil Code's 编 in LawRefBook) becomes one document with its parts in order, and two files
that would be the same version of the same document both fail, naming each other, instead of
one silently replacing the other.
"""

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from api.errors import DomainError
from api.labels import LabeledEnum
from api.language import say
from api.models.regulations import (
    HeadingKind,
    Level,
    Regulation,
    RegulationKind,
    RegulationStatus,
    Visibility,
)
from api.services.regulation_text import (
    COMMENT,
    Structure,
    UnreadableFile,
    parse,
    read_file,
    split_front_matter,
)
from api.services.regulations import (
    RegulationDraft,
    content_hash,
    create_regulation,
    update_regulation,
)

SUFFIXES = {".txt", ".md", ".markdown", ".docx"}
SITE_INDEX = "_index.md"
"""A static-site generator's folder page (Hugo): it describes a folder, it is not a document."""
HISTORY_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")
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
    """The importable files under ``paths`` (folders recursively), and what is reported
    without being read: paths that are neither an importable file nor a folder, and
    static-site folder pages (skipped)."""
    files: list[Path] = []
    reported: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            candidates = [path]
        else:
            reason = say("没有这个文件或文件夹", "No such file or folder")
            reported.append(FileResult(path, Outcome.FAILED, reason))
            continue
        for candidate in candidates:
            if candidate.suffix.lower() not in SUFFIXES:
                if not path.is_dir():
                    reason = say(
                        f"不是可导入的文件：只导入 {'、'.join(sorted(SUFFIXES))} 文件",
                        f"Not an importable file: only {', '.join(sorted(SUFFIXES))} files "
                        "are imported",
                    )
                    reported.append(FileResult(candidate, Outcome.FAILED, reason))
            elif candidate.name == SITE_INDEX:
                reason = say(
                    "静态网站目录的索引页（_index.md），不是法规文件",
                    "A static site's folder page (_index.md), not a regulation file",
                )
                reported.append(FileResult(candidate, Outcome.SKIPPED, reason))
            else:
                files.append(candidate)
    return files, reported


def _enum(enum: type[E], value: Any, key: str) -> E:
    text = str(value).strip()
    for member in enum:
        if text.upper() == member.value or text == member.label:
            return member
    allowed = "、".join(f"{m.value}（{m.label}）" for m in enum)
    raise UnreadableFile(
        say(
            f"`{key}: {text}` 无效，可选：{allowed}",
            f"`{key}: {text}` is not valid; choose one of: {', '.join(m.value for m in enum)}",
        )
    )


def _date(value: Any, key: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UnreadableFile(
            say(
                f"`{key}: {value}` 不是日期，应写作 2018-12-29",
                f"`{key}: {value}` is not a date; write it as 2018-12-29",
            )
        ) from None


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
    # The supreme court and procuratorate interpret the law as 解释, 规定, 规则 and 决定 alike
    # (最高人民法院关于审理民间借贷案件适用法律若干问题的规定); their 批复 are approvals. A
    # decision of the NPC's about the court (关于设立…最高人民法院…的决定) is no interpretation.
    names_court = "最高人民法院" in name or "最高人民检察院" in name
    by_court = name.startswith(("最高人民法院", "最高人民检察院"))
    if (names_court and name.endswith("解释")) or (
        by_court and name.endswith(("规定", "规则", "决定"))
    ):
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
    if name.endswith(("法", "法典", "修正案")) and not name.endswith(("方法", "做法")):
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


def history_dates(preamble: str) -> tuple[date | None, date | None]:
    """The promulgation and effective dates a text's history lines give (``2018年12月29日
    …第二次修正``, ``2021年1月1日 施行``): the latest adoption or amendment, and the latest
    date the text took effect."""
    adopted: list[date] = []
    effective: list[date] = []
    for line in preamble.split("\n"):
        match = HISTORY_DATE.match(line.strip())
        if match is None:
            continue
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
        (effective if line.rstrip().endswith("施行") else adopted).append(day)
    promulgated = max(adopted, default=None)
    starts = max(effective, default=None)
    return promulgated, starts if starts and (not promulgated or starts >= promulgated) else None


def describe(path: Path, text: str, defaults: ImportDefaults) -> tuple[RegulationDraft, str]:
    """What a file says about itself: front matter first, then safe inference, then the
    command line's defaults. Refused when the title, kind or level stay unknown."""
    draft, body, _ = _describe(path, text, defaults)
    return draft, body


def _describe(
    path: Path, text: str, defaults: ImportDefaults
) -> tuple[RegulationDraft, str, Structure]:
    meta, body = split_front_matter(text)
    unknown = sorted(set(meta) - FRONT_MATTER_KEYS)
    if unknown:
        raise UnreadableFile(
            say(
                f"文件头（front matter）中有不认识的键：{'、'.join(unknown)}；"
                f"可用的键：{'、'.join(sorted(FRONT_MATTER_KEYS))}",
                f"The front matter has keys it does not know: {', '.join(unknown)}; "
                f"the keys are: {', '.join(sorted(FRONT_MATTER_KEYS))}",
            )
        )
    structure = parse(body)
    title = str(meta.get("title") or structure.title).strip()
    if not title:
        raise UnreadableFile(
            say(
                "没有标题：文件是空的，或第一行没有文字",
                "No title: the file is empty, or its first line has no text",
            )
        )
    level = _enum(Level, meta["level"], "level") if "level" in meta else None
    level = level or infer_level(title) or defaults.level
    kind = _enum(RegulationKind, meta["kind"], "kind") if "kind" in meta else None
    kind = kind or infer_kind(title, level) or defaults.kind
    if kind is None:
        raise UnreadableFile(
            say(
                "看不出文件类别：在文件头写明 `kind:`，或导入时加 --kind",
                "The kind of document is unknown: give `kind:` in the front matter, or "
                "import with --kind",
            )
        )
    if level is None:
        raise UnreadableFile(
            say(
                "看不出制定层级：在文件头写明 `level:`，或导入时加 --level",
                "The level is unknown: give `level:` in the front matter, or import with --level",
            )
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
    if draft.promulgated_on is None and draft.effective_on is None:
        promulgated, effective = history_dates(structure.preamble)
        draft = dataclasses.replace(draft, promulgated_on=promulgated, effective_on=effective)
    return draft, body, structure


async def import_text(
    path: Path, text: str, defaults: ImportDefaults
) -> tuple[Outcome, Regulation]:
    """Create or update the document a file's text describes."""
    draft, body = describe(path, text, defaults)
    return await _store(draft, body, source=path.name)


async def _store(draft: RegulationDraft, body: str, *, source: str) -> tuple[Outcome, Regulation]:
    versions = (
        await Regulation.find({"title": draft.title.strip(), "region": draft.region.strip()})
        .sort("promulgated_on")
        .to_list()
    )
    if not versions:
        return Outcome.IMPORTED, await create_regulation(draft=draft, text=body, source=source)
    same: Regulation | None
    if draft.promulgated_on is None:
        if len(versions) > 1 or versions[0].promulgated_on is not None:
            raise UnreadableFile(
                say(
                    f"«{draft.title}»库中已有注明日期的版本：请写明这一版的日期"
                    "（文件头 `promulgated:`，或在文件名中写 `(YYYY-MM-DD)`）",
                    f"The library has dated versions of «{draft.title}»: give this version's "
                    "date (`promulgated:` in the front matter, or `(YYYY-MM-DD)` in the file "
                    "name)",
                )
            )
        same = versions[0]
    else:
        same = next((v for v in versions if v.promulgated_on == draft.promulgated_on), None)
    if same is None:
        created = await create_regulation(
            draft=draft, text=body, version_of=versions[-1], source=source
        )
        return Outcome.IMPORTED, created
    if same.content_hash == content_hash(draft, body):
        return Outcome.SKIPPED, same
    updated = await update_regulation(regulation=same, draft=draft, text=body, source=source)
    return Outcome.UPDATED, updated


@dataclass(frozen=True)
class _Described:
    """A file read and described, before anything is written."""

    path: Path
    draft: RegulationDraft
    body: str
    part: str
    """The part of a work the file holds (its Markdown heading ``# 物权编``); "" for a whole
    document."""
    first_article: int

    @property
    def version(self) -> tuple[str, str, date | None]:
        """What makes it one version of one document."""
        return (self.draft.title.strip(), self.draft.region.strip(), self.draft.promulgated_on)


def _read(path: Path, defaults: ImportDefaults) -> _Described:
    text, _ = read_file(path)
    draft, body, structure = _describe(path, text, defaults)
    first = structure.headings[0] if structure.headings else None
    names_part = (
        first is not None
        and first.kind is HeadingKind.PART
        and first.position == 0
        and not first.label.startswith("第")
    )
    return _Described(
        path=path,
        draft=draft,
        body=body,
        part=first.label if first is not None and names_part else "",
        first_article=structure.articles[0].number if structure.articles else 0,
    )


def _joined(parts: list[_Described]) -> str:
    """The text of a work from the files of its parts, in order: the first file whole, then
    each other part from its heading on, without the title and history it repeats."""
    texts = [parts[0].body]
    for part in parts[1:]:
        lines = part.body.split("\n")
        at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("#")
                  and line.strip().lstrip("#").strip() == part.part)  # fmt: skip
        rest = lines[at + 1 :]
        marker = next((i for i, line in enumerate(rest) if COMMENT.match(line.strip())), None)
        texts.append("\n".join([lines[at], *(rest if marker is None else rest[marker + 1 :])]))
    return "\n".join(texts)


async def _import_group(group: list[_Described]) -> list[FileResult]:
    """One file, the files of one work's parts, or files in conflict (all refused)."""
    parts = sorted(group, key=lambda d: (d.first_article, d.path.name))
    names = [d.part for d in parts]
    if len(group) > 1 and (not all(names) or len(set(names)) < len(names)):
        return [
            FileResult(
                d.path,
                Outcome.FAILED,
                say(
                    f"与 {', '.join(str(o.path) for o in group if o is not d)} 是同一文件"
                    f"（«{d.draft.title}»{d.draft.promulgated_on or '，无日期'}）的同一版本，"
                    "不知以哪个为准，均未导入：删去多余的一个，或在文件名中写明各自的日期",
                    f"The same version of the same document as "
                    f"{', '.join(str(o.path) for o in group if o is not d)} "
                    f"(«{d.draft.title}» {d.draft.promulgated_on or 'undated'}); which one "
                    "counts is unclear, so none was imported: delete the extra one, or give "
                    "each its date in the file name",
                ),
            )
            for d in group
        ]
    body = _joined(parts) if len(parts) > 1 else parts[0].body
    source = ", ".join(d.path.name for d in parts)
    try:
        outcome, regulation = await _store(parts[0].draft, body, source=source)
    except (UnreadableFile, DomainError) as e:
        return [FileResult(d.path, Outcome.FAILED, str(e)) for d in group]
    detail = {
        Outcome.IMPORTED: regulation.title,
        Outcome.UPDATED: say(
            f"{regulation.title}：内容有变化，已更新",
            f"{regulation.title}: changed, updated",
        ),
        Outcome.SKIPPED: say(
            f"{regulation.title}：与库中已有的内容相同，未改动",
            f"{regulation.title}: the same as in the library, left as it is",
        ),
    }[outcome]
    if len(parts) > 1:
        detail += say(
            f"（{len(parts)} 个文件合为一部，依次为{'、'.join(names)}）",
            f" ({len(parts)} files joined into one, in order: {', '.join(names)})",
        )
    return [FileResult(d.path, outcome, detail) for d in parts]


async def import_file(path: Path, defaults: ImportDefaults) -> FileResult:
    """One file on its own: its outcome, never an exception for a problem of the file."""
    try:
        described = _read(path, defaults)
    except (UnreadableFile, DomainError, OSError) as e:
        return FileResult(path, Outcome.FAILED, str(e))
    [result] = await _import_group([described])
    return result


async def import_paths(
    paths: Iterable[Path],
    defaults: ImportDefaults,
    *,
    on_file: Callable[[FileResult], None] = lambda _: None,
    on_start: Callable[[int], None] = lambda _: None,
) -> list[FileResult]:
    """Every file under ``paths``: read and described first, then written one document at a
    time; ``on_start`` learns the count, ``on_file`` each result as it comes (for a
    progress bar)."""
    files, results = collect(paths)
    on_start(len(files))
    groups: dict[tuple[str, str, date | None], list[_Described]] = {}
    for path in files:
        try:
            described = _read(path, defaults)
        except (UnreadableFile, DomainError, OSError) as e:
            results.append(FileResult(path, Outcome.FAILED, str(e)))
            on_file(results[-1])
            continue
        groups.setdefault(described.version, []).append(described)
    for group in groups.values():
        for result in await _import_group(group):
            results.append(result)
            on_file(result)
    return results
