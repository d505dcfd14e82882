"""Short Chinese texts for search (suggestions, opinions, findings, budget names): sub-word
tokens, synonyms, and highlighting. (The library's articles are segmented into words by
Meilisearch instead: ``search.query``.)

Meilisearch segments Chinese into words and matches a query word only as a whole word or a
prefix of one, so 处理 misses 待处理 and 农业 misses 中国农业发展银行 (meilisearch #4874,
#4935). Both sides therefore go through this module: an indexed text is stored a second time
as overlapping character pairs (``grams``: 待处 处理), and a query is cut the same way, so any
run of two or more characters finds every text that contains it. Traditional characters are
converted to simplified on both sides first (預算 → 预算).

Synonyms are index settings (``synonym_settings``), built from the reviewed lists of
``words.yaml``. A query term
that is a synonym is sent whole, so Meilisearch expands it into the pairs of each of its
alternatives.
"""

import re
from dataclasses import dataclass
from functools import cache

import cn2an

from search.script import HAN, normalize
from search.words import words

TOKEN = re.compile(rf"[{HAN}]+|[0-9a-z]+")
ARTICLE_DIGITS = re.compile(r"第\s*(\d{1,4})\s*条")


def _pairs(run: str) -> list[str]:
    if not re.match(rf"[{HAN}]", run) or len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def grams(text: str) -> str:
    """What is indexed for a text: its Chinese runs as overlapping pairs, other words whole."""
    return " ".join(pair for run in TOKEN.findall(normalize(text)) for pair in _pairs(run))


@cache
def _synonym_words() -> dict[str, tuple[str, ...]]:
    """Each synonym and the words it finds (itself included)."""
    found: dict[str, tuple[str, ...]] = {}
    for group in (*words().abbreviations, *words().colloquial):
        for word in group:
            found[word] = group
    for word, parts in words().expansions.items():
        found[word] = (word, *parts)
    return found


def synonym_settings() -> dict[str, list[str]]:
    """Meilisearch ``synonyms``: each synonym finds the pairs of every word it stands for."""
    return {word: [grams(w) for w in group] for word, group in _synonym_words().items()}


def _terms(query: str) -> list[tuple[str, bool]]:
    """The query's terms, each marked True when it is a synonym sent whole."""
    text = ARTICLE_DIGITS.sub(lambda m: f"第{cn2an.an2cn(int(m.group(1)))}条", normalize(query))
    synonyms = sorted(_synonym_words(), key=len, reverse=True)
    terms: list[tuple[str, bool]] = []
    for run in TOKEN.findall(text):
        rest = run
        while rest:
            hits = [(rest.find(w), w) for w in synonyms if w in rest]
            if not hits:
                terms.append((rest, False))
                break
            at, word = min(hits, key=lambda hit: (hit[0], -len(hit[1])))
            if at:
                terms.append((rest[:at], False))
            terms.append((word, True))
            rest = rest[at + len(word) :]
    # A lone character beside other terms (县 in 县人大常委会) finds nothing as a pair and
    # says little; it is dropped unless it is the whole query.
    kept = [(term, whole) for term, whole in terms if whole or len(term) > 1]
    return kept or terms


def search_query(query: str) -> str:
    """The query as sent to Meilisearch: pairs, with synonyms whole."""
    return " ".join(term if whole else " ".join(_pairs(term)) for term, whole in _terms(query))


@dataclass(frozen=True)
class Snippet:
    """A passage of a text with the stretches that match the query."""

    text: str
    matches: list[tuple[int, int]]
    """(start, length) in characters of ``text``."""


def highlight(text: str, query: str, *, width: int = 80) -> Snippet:
    """The ``width`` characters of ``text`` around its first match, with every match marked.
    Without a match, the beginning of the text."""
    folded = _folded(text)
    needles: set[str] = set()
    for term, whole in _terms(query):
        if whole:
            needles.update(w for w in _synonym_words()[term] if w in folded)
        elif term in folded:
            needles.add(term)
        else:
            needles.update(_pairs(term))
    return passage(text, needles, width=width)


def _folded(text: str) -> str:
    folded = normalize(text)
    # A conversion that changed lengths: match as written.
    return folded if len(folded) == len(text) else text.lower()


def passage(text: str, needles: set[str], *, width: int = 80) -> Snippet:
    """The ``width`` characters of ``text`` around the first of ``needles`` (normalized
    words), with every one marked; without one, the beginning of the text."""
    folded = _folded(text)
    marked = [False] * len(text)
    for needle in needles:
        start = folded.find(needle)
        while start >= 0:
            for i in range(start, start + len(needle)):
                marked[i] = True
            start = folded.find(needle, start + 1)
    first = marked.index(True) if any(marked) else 0
    begin = max(0, min(first - width // 4, len(text) - width))
    end = min(len(text), begin + width)
    matches: list[tuple[int, int]] = []
    i = begin
    while i < end:
        if marked[i]:
            j = i
            while j < end and marked[j]:
                j += 1
            matches.append((i - begin, j - i))
            i = j
        else:
            i += 1
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    shifted = [(start + len(prefix), length) for start, length in matches]
    return Snippet(text=prefix + text[begin:end] + suffix, matches=shifted)
