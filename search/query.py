"""Reading a deputy's question before it is searched: one script and half-width digits, an
article reference (``预算法第六十七条``, ``《预算法》第67条``, ``预算法 67条``) taken out to be
looked up directly, and question words (哪些, 怎么办, 是否 …) removed. What is left is sent to
Meilisearch, which segments it into words as it segmented the articles."""

import re
from dataclasses import dataclass, field

from api.services.regulation_text import numeral
from search.script import HAN, normalize
from search.words import words

NATIONAL_PREFIX = "中华人民共和国"
REFERENCE = re.compile(
    rf"(?P<name>[{HAN}《》〈〉“”\"()]{{2,80}}?)\s*(?P<ordinal>第?)\s*"
    r"(?P<number>[0-9]{1,24}|[零〇一二两三四五六七八九十百千万]{1,12})\s*条(?!例)"
)
ARTICLES_AT_MOST = 9999
"""Beyond this a number is no article's (the Civil Code, the longest, has 1,260)."""
LAW_ENDING = re.compile(
    r"(?:法|法典|条例|规定|办法|细则|决定|解释|规则|》|\([一二三四五六七八九十]+\))$"
)
"""How a name ends when it is a law's: without 第, only such a name makes 六十七条 an article
(哪一条, 三条权利 and 每一条 are words); 解释(一) is one of a series."""
CARRYING_OUT = re.compile(r"(?:实施条例|实施细则|实施办法)$")
"""What carries a law out is named after it: 预算法实施条例."""
LEADING_FILLER = re.compile(rf"^(?:请问|我想|想|查|查询|查一下|看看|看一下|看)+(?=[{HAN}])")
WORD = re.compile(rf"[{HAN}]+|[0-9a-z]+")


@dataclass(frozen=True)
class ArticleReference:
    """``预算法第六十七条``: the law's name as written (without 《》 or the national prefix) and
    the article's number."""

    name: str
    number: int
    """0 when the number as written is no article's (第0条, 第一万条)."""
    written: str = field(default="", compare=False)
    """The number as the question wrote it."""


@dataclass(frozen=True)
class ReadQuery:
    text: str
    """What is sent to Meilisearch ("" when nothing is left to search)."""
    reference: ArticleReference | None
    with_reference: str
    """What is sent when the reference names no document: the words of the reference too."""
    only_question_words: bool
    """The query had words, but all of them were question or function words."""


def law_name(written: str) -> str:
    """A law's name as a reference writes it, without quotes, the national prefix, or words
    before it; a known short name (地方组织法) becomes the name its title ends with, also
    before what carries the law out (道交法实施条例: 道路交通安全法实施条例)."""
    name = re.sub(r"[《》〈〉“”\"]", " ", written).split()[-1] if written.strip() else ""
    name = LEADING_FILLER.sub("", name)
    name = name.removeprefix(NATIONAL_PREFIX)
    short = words().law_names
    if name in short:
        return short[name]
    carried = CARRYING_OUT.search(name)
    if carried and (law := name[: carried.start()]) in short:
        return short[law] + carried.group()
    return name


def _without_question_words(text: str) -> str:
    for word in words().question_words:
        text = text.replace(word, " ")
    return text


def read(query: str) -> ReadQuery:
    text = whole = normalize(query)
    reference = None
    match = REFERENCE.search(text)
    if match is not None:
        written = match.group("number")
        try:
            number = numeral(written)
        except ValueError:
            number = 0
        number = number if 0 < number <= ARTICLES_AT_MOST else 0
        name = law_name(match.group("name"))
        bare = not match.group("ordinal") and not written.isdigit()
        if len(name) >= 2 and not (bare and not LAW_ENDING.search(match.group("name"))):
            reference = ArticleReference(name=name, number=number, written=written)
            text = text[: match.start()] + " " + text[match.end() :]
    had_words = bool(WORD.search(whole))
    rest = _words(text)
    return ReadQuery(
        text=rest,
        reference=reference,
        with_reference=_words(whole) if reference else rest,
        only_question_words=had_words and not rest and not reference,
    )


def _words(text: str) -> str:
    """The words of a text without question words; "" when only stop words remain."""
    rest = " ".join(WORD.findall(_without_question_words(text)))
    stop = set(words().stop_words)
    return "" if all(w in stop for w in rest.split()) else rest
