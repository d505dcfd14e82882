"""Questions deputies and the people they represent ask, each with the articles that answer it
(``known_questions.tsv``, reviewed data): a question worded like one of them raises those
articles. Words reach an article only through the words it shares with the question; a
question asked before reaches its answer through the question (房东把房子卖了 and 租的房子
被房东卖了 share their words, and neither shares one with 所有权变动 of the Civil Code).

The file is written from the question sets of ``bench/`` (``python -m bench.known_questions``),
each question's answers read against the articles by the person who wrote it. How alike two
questions are is the share of their words' weight they have in common (a word weighs by how
few questions of the file use it), so two that share only 怎么办 or 公司 are not alike.
"""

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from search.query import read
from search.ranking import question_words
from search.script import normalize

OPENING = 12
"""Characters of an answer's text kept with it: an article of that title and number rises only
if its text opens so (a library whose text of the law differs, or an older version numbered
otherwise, has another article there)."""
ALIKE = 0.3
"""How alike a question must be to a known one (the share of their words' weight in common)
for that one's answers to rise. Over the sixteen question sets, each asked with its own
questions left out, 92 in 100 questions this alike to a known one shared an answer with it;
0.4 and 0.5 found 30 and 68 answers fewer in the first five (bench/README.md)."""


Article = tuple[str, int]
"""An article: its document's title as the library has it, and its number (0: a document
without articles)."""


@dataclass(frozen=True)
class Known:
    """A question of the file: its words (as a search reads them), its answers with how
    each one's text opens (``opening``), and the question set it came from."""

    words: frozenset[str]
    answers: tuple[tuple[Article, str], ...]
    source: str


@dataclass(frozen=True)
class Answered:
    """The articles that answered the known questions most like the one asked, with how
    each one's text opens, and how alike the questions are."""

    articles: dict[Article, str]
    alike: float


def opening(text: str) -> str:
    """How an article's text opens, as the file keeps it (its first characters, in one
    script, spaces and line breaks left out)."""
    return normalize("".join(text[: OPENING * 4].split()))[:OPENING]


@dataclass(frozen=True)
class KnownQuestions:
    questions: tuple[Known, ...]
    weights: dict[str, float] = field(init=False, compare=False)
    """Each word's weight: the log of how many questions there are over how many use it."""
    using: dict[str, list[int]] = field(init=False, compare=False)
    """The questions that use each word."""

    def __post_init__(self) -> None:
        using: dict[str, list[int]] = {}
        for i, question in enumerate(self.questions):
            for word in question.words:
                using.setdefault(word, []).append(i)
        total = len(self.questions) + 1
        object.__setattr__(self, "using", using)
        object.__setattr__(self, "weights", {w: math.log(total / len(q)) for w, q in using.items()})

    def closest(self, words: Iterable[str]) -> Answered | None:
        """The answers of the known questions most like one with ``words`` (all of them, when
        several are equally alike), if they are alike enough (``ALIKE``)."""
        asked = frozenset(words)
        unknown = math.log(len(self.questions) + 1)
        best, articles = 0.0, dict[Article, str]()
        for i in sorted({i for word in asked for i in self.using.get(word, ())}):
            known = self.questions[i]
            common = sum(self.weights[w] for w in asked & known.words)
            either = common + sum(self.weights.get(w, unknown) for w in asked ^ known.words)
            alike = common / either if either else 0.0
            if alike > best:
                best, articles = alike, dict(known.answers)
            elif alike == best:
                articles.update(known.answers)
        if best < ALIKE:
            return None
        return Answered(articles=articles, alike=best)

    def without(self, sources: Iterable[str]) -> "KnownQuestions":
        """The same file without the questions of ``sources`` (a benchmark asks a question
        set's questions with their own answers left out)."""
        left_out = set(sources)
        return KnownQuestions(tuple(q for q in self.questions if q.source not in left_out))


COLUMNS = ("question", "answers", "openings", "source")


def parse(text: str) -> KnownQuestions:
    """The known questions of a file as ``bench.known_questions`` writes it; a row that is not
    so is refused, named by its line, before any question is kept."""
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise ValueError(f"known_questions.tsv：第 1 行应是列名 {' '.join(COLUMNS)}")
    return KnownQuestions(tuple(_known(row, line) for line, row in enumerate(rows[1:], 2)))


def _known(row: list[str], line: int) -> Known:
    where = f"known_questions.tsv：第 {line} 行"
    if len(row) != len(COLUMNS):
        raise ValueError(f"{where}应有 {len(COLUMNS)} 列，却有 {len(row)} 列")
    question, answers, openings, source = row
    written, opened = answers.split("|"), openings.split("|")
    if len(written) != len(opened):
        raise ValueError(f"{where}有 {len(written)} 个答案，却有 {len(opened)} 个开头")
    found = []
    for answer, opens in zip(written, opened, strict=True):
        title, _, number = answer.rpartition(":")
        if not title or not number.isdigit() or not opens:
            raise ValueError(f"{where}的答案“{answer}”应写成“标题:条号”，并有开头")
        found.append(((title, int(number)), opens))
    words = frozenset(question_words(read(question).text))
    if not words:
        raise ValueError(f"{where}的问题“{question}”没有可查的字词")
    return Known(words=words, answers=tuple(found), source=source)


@cache
def known_questions() -> KnownQuestions:
    """The packaged file, read once per process."""
    return parse(files("search").joinpath("known_questions.tsv").read_text("utf-8"))
