"""Reading regulation files: bytes to text (encoding detected, never guessed silently), an
optional front-matter block, and the structure of the text (preamble, 编/章/节, 条).

The format is what real files look like: headings are lines such as ``第三章 预算编制`` (with
or without Markdown ``#``), articles start with ``第十三条``, and everything before the first
article that is not the title or a heading is the preamble (adoption and amendment history).
"""

import codecs
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cn2an
import yaml

from api.language import say
from api.models.regulations import Article, Heading, HeadingKind

NUMERAL = r"[零〇一二两三四五六七八九十百千0-9０-９]+"
ARTICLE = re.compile(rf"^第({NUMERAL})条(?:之({NUMERAL}))?(?:[\s\u3000]+|(?=[^\s\u3000]))(.*)$")
HEADING = re.compile(rf"^第({NUMERAL})(分编|编|章|节)(?:[\s\u3000]+(.*))?$")
HEADING_KINDS = {
    "编": HeadingKind.PART,
    "分编": HeadingKind.SUBPART,
    "章": HeadingKind.CHAPTER,
    "节": HeadingKind.SECTION,
}
COMMENT = re.compile(r"^<!--.*-->$")
"""An HTML comment line, such as LawRefBook's ``<!-- INFO END -->``: not part of the text."""
HEADING_TITLE_MAX = 40
TABLE_OF_CONTENTS = {"目录", "目 录", "目　录"}
FRONT_MATTER = re.compile(r"^---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", re.DOTALL)
GB18030_COMMON_SHARE = 0.95
"""Share of non-ASCII characters that must be common (GB2312) characters for text decoded as
GB18030 to be accepted: bytes of another encoding decode into rare characters."""


class UnreadableFile(ValueError):
    """A file that cannot be read as a regulation; the message says why."""


def numeral(text: str) -> int:
    """``六十七`` → 67, ``一千二百六十`` → 1260, ``13`` → 13."""
    text = unicodedata.normalize("NFKC", text).replace("〇", "零")
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "strict"))
    except ValueError:
        raise UnreadableFile(
            say(f"“{text}”不是汉字数字", f'"{text}" is not a Chinese numeral')
        ) from None


def article_label(number: int) -> str:
    """67 → ``第六十七条``."""
    return f"第{cn2an.an2cn(number)}条"


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was found in: UTF-8 (with or without BOM),
    UTF-16 with BOM, or GB18030 (which includes GBK and GB2312)."""
    for bom, encoding, name, english in (
        (codecs.BOM_UTF8, "utf-8", "UTF-8（带 BOM）", "UTF-8 (with BOM)"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16", "UTF-16"),
    ):
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(encoding).lstrip("\ufeff")), name
            except UnicodeDecodeError:
                raise UnreadableFile(
                    say(
                        f"文件开头标明是 {name} 编码，内容却不是",
                        f"The file begins with the mark of {english}, but its content is not",
                    )
                ) from None
    try:
        return _checked(raw.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(
            say(
                "编码既不是 UTF-8 也不是 GB18030/GBK：请把文件另存为 UTF-8",
                "The encoding is neither UTF-8 nor GB18030/GBK: save the file as UTF-8",
            )
        ) from None
    wide = [c for c in text if ord(c) > 0x7F]
    common = sum(1 for c in wide if _is_common(c))
    if wide and common / len(wide) < GB18030_COMMON_SHARE:
        raise UnreadableFile(
            say(
                "认不出文件编码（按 GB18030 读出来多是生僻字，应是别的编码）：请把文件另存为 UTF-8",
                "The file's encoding is not recognised (read as GB18030 it is mostly rare "
                "characters, so it is another encoding): save the file as UTF-8",
            )
        )
    return _checked(text), "GB18030"


def _is_common(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _checked(text: str) -> str:
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        raise UnreadableFile(
            say("含有控制字符：不是文本文件", "It holds control characters: it is not a text file")
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_docx(raw: bytes) -> str:
    """The paragraphs of a Word document, one per line."""
    import docx  # python-docx; imported here because only imports of .docx need it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise UnreadableFile(
            say(
                "不是能读取的 Word（.docx）文件：文件已损坏，或并非 .docx 格式",
                "Not a readable Word (.docx) file: the file is damaged, or not in .docx format",
            )
        ) from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def read_file(path: Path) -> tuple[str, str]:
    """The text of a .txt, .md or .docx file and how it was read."""
    raw = path.read_bytes()
    if path.suffix.lower() == ".docx":
        return read_docx(raw), "Word"
    return decode(raw)


def _where(error: yaml.YAMLError) -> str:
    """Where YAML found its problem, in words (its own message is English)."""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return say("格式有误", "it is malformed")
    return say(
        f"第 {mark.line + 1} 行第 {mark.column + 1} 列有误",
        f"error at line {mark.line + 1}, column {mark.column + 1}",
    )


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The ``---``-fenced YAML block at the top of a file, and the text after it."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as e:
        raise UnreadableFile(
            say(
                f"文件头（front matter）不是有效的 YAML：{_where(e)}",
                f"The front matter is not valid YAML: {_where(e)}",
            )
        ) from None
    if not isinstance(meta, dict):
        raise UnreadableFile(
            say(
                "文件头（front matter）应是一行一个的 `键: 值`",
                "The front matter must be one `key: value` per line",
            )
        )
    return {str(k): v for k, v in meta.items()}, text[match.end() :]


@dataclass
class Structure:
    title: str = ""
    preamble: str = ""
    headings: list[Heading] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


def _clean(line: str) -> str:
    """A line without Markdown heading marks and emphasis, and without surrounding blanks."""
    return re.sub(r"\*\*|__", "", line).strip().lstrip("#").strip()


def parse(text: str) -> Structure:
    """The structure of a regulation's text (the front matter already removed)."""
    result = Structure()
    preamble: list[str] = []
    current: list[str] | None = None  # the lines of the article being read
    texts: list[list[str]] = []  # the lines of each article
    open_headings: dict[HeadingKind, str] = {}
    toc_first: str | None = None
    in_toc = False
    for raw_line in text.split("\n"):
        is_markdown_title = raw_line.lstrip().startswith("# ")
        line = _clean(raw_line)
        if not line or COMMENT.match(line):
            continue
        if not result.title and not result.articles and not preamble and current is None:
            if is_markdown_title or not (ARTICLE.match(line) or HEADING.match(line)):
                result.title = line
                continue
        if line in TABLE_OF_CONTENTS and not result.articles:
            in_toc = True
            continue
        if is_markdown_title and not HEADING.match(line) and len(line) <= HEADING_TITLE_MAX:
            # A part named only by a Markdown heading, as each file of a work split over
            # several files names its part (``# 物权编``).
            result.headings.append(
                Heading(
                    kind=HeadingKind.PART,
                    number=sum(h.kind is HeadingKind.PART for h in result.headings) + 1,
                    label=line,
                    title="",
                    position=len(result.articles),
                )
            )
            open_headings.clear()
            open_headings[HeadingKind.PART] = line
            current = None
            continue
        heading = HEADING.match(line)
        if heading and len(heading.group(3) or "") <= HEADING_TITLE_MAX and "。" not in line:
            if in_toc:
                if toc_first is None:
                    toc_first = line
                    continue
                if line != toc_first:
                    continue
                in_toc = False
            kind = HEADING_KINDS[heading.group(2)]
            label = f"第{heading.group(1)}{heading.group(2)}"
            title = (heading.group(3) or "").strip()
            result.headings.append(
                Heading(
                    kind=kind,
                    number=numeral(heading.group(1)),
                    label=label,
                    title=title,
                    position=len(result.articles),
                )
            )
            # A chapter closes the sections of the chapter before it, a part closes both.
            for lower in list(HeadingKind)[list(HeadingKind).index(kind) :]:
                open_headings.pop(lower, None)
            open_headings[kind] = f"{label} {title}".strip()
            current = None
            continue
        if in_toc:
            in_toc = False
        article = ARTICLE.match(line)
        if article:
            number = numeral(article.group(1))
            label = f"第{article.group(1)}条" + (
                f"之{article.group(2)}" if article.group(2) else ""
            )
            current = [article.group(3).strip()] if article.group(3).strip() else []
            texts.append(current)
            result.articles.append(
                Article(
                    number=number,
                    label=label,
                    text="",
                    heading=" / ".join(open_headings[k] for k in HeadingKind if k in open_headings),
                )
            )
            continue
        (preamble if current is None else current).append(line)
    result.preamble = "\n".join(preamble)
    for article_, lines in zip(result.articles, texts, strict=True):
        article_.text = "\n".join(lines)
    return result
