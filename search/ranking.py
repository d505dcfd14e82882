"""Ranking the library's articles for a question, in two steps around Meilisearch.

Meilisearch's own ranking sorts by how many query words an article has, then how close they
stand; it does not weigh words. Deputies write questions (``人大代表审查预算报告主要看哪些
方面``) whose everyday words (看, 方面, 主要) are rare in statutes, so a matching strategy that
keeps the rarest words keeps exactly the wrong ones, and one that needs every word finds
nothing. So:

1. **Weigh the words.** The question is cut into words as Meilisearch cuts the articles
   (jieba's precise mode, the dictionary Meilisearch's own Chinese segmenter is built from),
   a compound the library hardly uses also into the words inside it, and each word's
   document frequency in the library is asked of Meilisearch (``search.word_counts`` keeps
   them a minute). A word weighs its inverse document frequency, less
   how much more common it is in everyday Chinese (jieba's dictionary frequencies) than in
   the library: 预算 and 拖欠 weigh much, 看 and 方面 little. Words that weigh nothing are
   not searched.
2. **Gather candidates** in one multi-search: the three heaviest words, dropping from the
   lightest of them; the second and third heaviest likewise; and the second and fourth, the
   third and fourth heaviest together. Meilisearch drops words from the end only, so the
   first two requests never reach an article without both the heaviest and the second
   heaviest word; the pairs reach one that has two of the next (a question's heaviest words
   are often its own, 上限 or 包工头, which the answer does not say). (A request for articles
   with every weighted word left recall and MRR as they were on both question sets of
   bench/README.md and cost about a millisecond; a third led by the third heaviest word
   found nothing more on a question set nobody had seen and cost about 4 ms.)
3. **Score each candidate article** (BM25 over its text, with synonyms from ``words.yaml``,
   a word in its title or headings counting almost as one in its text, plus Meilisearch's
   own score for how many of the words it holds and how close they stand), add about a
   word's weight when it gives the kind of answer the question asks for (``intents``:
   下列情形之一 for 哪些情况), and add, in the measure of the question it holds, what
   deputies need first: the national law before what carries it out, the regulations of a
   region the question names (or of the deployment's own region) before others, the
   version in force before amended ones. An article that answered a known question like
   this one (``search.known``: gathered by a request of its own) gains ``KNOWN`` times how
   alike the two questions are.

Documents then come in the order of their best article.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from search.script import normalize
from search.words import words

CANDIDATES = 150
"""Articles gathered for scoring."""
HEAVIEST = 3
PAIR_CANDIDATES = 20
"""Articles asked for with the second and the fourth heaviest words, and with the third and the
fourth (10 found 3 answers fewer over the question sets of bench/README.md; also pairing the
heaviest with the third and fourth found one more over eight sets, at twice the requests)."""
ASKING = 0.3
"""The share of its weight a word that only asks (最低, 上限: ``Intent.asks_only``) keeps."""
K1, B, AVERAGE_CHARS = 1.2, 0.5, 120
"""BM25's saturation and length normalisation; articles average about 120 characters."""
TITLE_MATCH = 0.8
"""A word in the title or a heading counts for its article almost as one in its text (so
the article that also has the question's other words wins, not one that repeats the
title's)."""
EVERYDAY_PENALTY = 3.0
"""How much a word's weight drops per unit of log(everyday / library frequency). (2.0 until
ten question sets showed 3.0 finding 11 answers more in 968, most of them spoken or
livelihood questions, MRR as it was: bench/README.md.)"""
TOKENS_PER_ARTICLE = 46
"""Words per article over words per document of the dictionary's corpus: puts the library's
document frequencies and the dictionary's word frequencies on one scale."""
NATIONAL_PRIOR = {"LAW": 1.0, "ADMINISTRATIVE_REGULATION": 0.8, "JUDICIAL_INTERPRETATION": 0.5,
                  "DEPARTMENTAL_RULE": 0.3}  # fmt: skip
PRIOR = 30.0
"""The weight of what deputies need first, against the words' scores (about 5 a word). It and
``INTENT`` were fitted together with the other scoring constants on eight question sets (20
and 2.0 before) and kept for what two unseen sets confirmed (bench/README.md)."""
REGION_PRIOR = 1.2
"""A region the question names: before the national law."""
HOME_PRIOR = 0.9
"""The deployment's own region, when the question names none: after the national law,
before the national regulations."""
IN_FORCE_PRIOR = 0.5
COVERAGE = 1.0
"""What deputies need first counts in the measure of the question's weight an article holds
(to this power): it orders comparable answers, it does not lift one that misses the point."""
ARTICLE_AT_MOST = 2000
"""Characters of the longest articles (the Civil Code's reach 1,500)."""
RARE = 20
"""Articles a word of the question must be in for its parts not to be searched too."""
PART_SHARE = 0.6
"""A part's weight, of its own, when it stands in for a rare compound."""
INTENT = 4.0
"""An article that has the kind of answer the question asks for (下列情形 for 哪些情况, a
period for 多久): about a word's weight."""
KNOWN = 30.0
"""What an article that answered a known question like this one gains, times how alike the
two are (at least ``search.known.ALIKE``): about what deputies need first (``PRIOR``) gives
the national law, so a known answer comes first unless the words find a clearly better one."""
PLACE = re.compile(r"^(.{2,3}?)(?:省|市|自治区|自治州|县|区)")
WORD = re.compile(r"[\u3400-\u9fff0-9a-z]")


@cache
def _jieba() -> Any:
    import jieba  # loading its dictionary takes a second: once, when the app starts (prepare)

    jieba.setLogLevel(60)
    jieba.initialize()
    for word in words().synonyms:  # 扔东西 and 退一赔三 are cut whole, to find their meaning
        jieba.add_word(word)
    return jieba


@cache
def _place_tags() -> Any:
    import jieba.posseg  # the part-of-speech table of jieba's dictionary: half a second, once

    return jieba.posseg.dt.word_tag_tab


def prepare() -> None:
    """Load jiandu's dictionaries now (about 1.5 s, once per process), so that the first
    question asked of the process is answered as fast as the others."""
    _jieba()
    _place_tags()


def places(inside: dict[str, list[str]]) -> list[str]:
    """The places a question names (上海, 青岛, 浙江), from its words, each with its ``parts``:
    jieba's dictionary tags them ``ns``; a place that begins a longer word (青岛 in 青岛市政府)
    counts too."""
    tags = _place_tags()
    named = [next((p for p in [w, *ps] if tags.get(p) == "ns"), "") for w, ps in inside.items()]
    return list(dict.fromkeys(p for p in named if p))


def question_words(text: str) -> list[str]:
    """The words of a question (already read: normalized, question words removed), without
    stop words, in order, each once. Cut as Meilisearch cuts the articles (jieba's precise
    mode without guessing unknown words), so a word's count in the index is its count."""
    stop = set(words().stop_words)
    cut = (w.strip() for w in _jieba().cut(text, HMM=False))
    return list(dict.fromkeys(w for w in cut if w and w not in stop and WORD.match(w)))


def parts(word: str) -> list[str]:
    """The shorter words a compound is made of (工资 in 发工资, 财政 and 收入 in 财政收入): what
    is searched when the compound itself is rare in the library. They are the likeliest cut of
    the compound into other words of jieba's dictionary, so a word that only straddles two of
    them (居家 in 邻居家) is not one. A single character stands inside too many words to say
    anything, unless ``words.yaml`` gives it the statute's words (狗 in 带狗: 犬)."""
    jieba = _jieba().dt
    stop, meaningful = set(words().stop_words), words().synonyms
    scale = math.log(jieba.total)
    # best[i]: the likeliest cut of word[:i], as (log probability, pieces)
    best: list[tuple[float, list[str]] | None] = [(0.0, [])] + [None] * len(word)
    for i in range(len(word)):
        if (before := best[i]) is None:
            continue
        for j in range(i + 1, len(word) + 1):
            piece = word[i:j]
            frequency = jieba.FREQ.get(piece, 0)
            if piece == word or (j - i > 1 and not frequency):
                continue
            likely = before[0] + math.log(frequency or 1) - scale
            if (after := best[j]) is None or likely > after[0]:
                best[j] = (likely, [*before[1], piece])
    pieces = best[-1][1] if best[-1] is not None else []
    return [p for p in dict.fromkeys(pieces) if (len(p) > 1 or p in meaningful) and p not in stop]


def weights(found: list[str], frequencies: list[int], articles: int) -> dict[str, float]:
    """Each word's weight from its document frequency among ``articles``."""
    jieba, synonyms, asking_only = _jieba(), words().synonyms, words().asking_only
    weighed: dict[str, float] = {}
    for word, df in zip(found, frequencies, strict=True):
        if df == 0:
            weighed[word] = 0.0
            continue
        idf = math.log(1 + (articles - df + 0.5) / (df + 0.5))
        # A word words.yaml gives the statutes' words for (老公: 配偶) is searched as those
        # words too: it is only as everyday as the least everyday of them.
        forms = (word, *synonyms.get(word, ()))
        everyday = min(jieba.get_FREQ(form) or 1 for form in forms) / jieba.dt.total
        ratio = TOKENS_PER_ARTICLE * everyday / ((df + 1) / max(articles, 1))
        weight = max(0.0, idf - EVERYDAY_PENALTY * math.log(1 + ratio))
        weighed[word] = weight * (ASKING if word in asking_only else 1.0)
    return weighed


def backed_off(
    inside: dict[str, list[str]], weighed: dict[str, float], frequencies: dict[str, int]
) -> dict[str, float]:
    """The question's words (``inside``: each with its ``parts``) with their weights, and the
    parts of each compound that is rare in the library (发工资: the statutes say 工资), at a
    share of their own weight; other parts are dropped."""
    out = {w: weighed[w] for w in inside}
    for word, its_parts in inside.items():
        if frequencies[word] >= RARE:
            continue
        for part in its_parts:
            if part not in out:
                out[part] = PART_SHARE * weighed.get(part, 0.0)
    return out


def searched(weighed: dict[str, float], found: list[str]) -> list[str]:
    """The words worth searching, heaviest first; a word of the question inside a longer one
    searched (政府 in 政府采购) goes with it."""
    kept = [w for w, weight in weighed.items() if weight > 0]
    kept = [w for w in kept if w not in found or not any(w != o and w in o for o in kept)]
    return sorted(kept, key=lambda w: -weighed[w])


def candidate_queries(kept: list[str], named: list[str]) -> list[tuple[str, str, int]]:
    """The requests that gather candidates, as (query, matching strategy, limit): articles
    with the three heaviest words, else the two heaviest, else the heaviest (Meilisearch's
    ``last`` strategy drops words from the end); then with the second and third heaviest,
    else the second. When the question names a place (``named``), also articles with the
    place and as many of the heaviest other words as can be had (a word that holds the
    place, 青岛市政府, says no more than it): a place is seldom among the
    heaviest words (上海 is everywhere in Shanghai's regulations), yet its regulations are
    what the question asks for, and a place's own articles can only rise (``REGION_PRIOR``)
    if they are gathered. Last, a few articles with both words of each pair of the second
    to fourth heaviest not yet asked together (the second and fourth, the third and fourth):
    ``last`` never drops a request's first word, so an article without the heaviest and the
    second heaviest word is reached only so."""
    heaviest = kept[:HEAVIEST]
    queries = [
        (" ".join(heaviest), "last", CANDIDATES),
        (" ".join(heaviest[1:]), "last", CANDIDATES // 3),
    ]
    if named:
        rest = [w for w in kept if named[0] not in w][:HEAVIEST]
        queries.append((" ".join([named[0], *rest]), "last", CANDIDATES // 3))
    # The first request reaches what has the heaviest word, the second what has the second;
    # an article with neither is reached by the third or the second with the fourth.
    queries += [(f"{w} {kept[3]}", "all", PAIR_CANDIDATES) for w in kept[1:3] if len(kept) > 3]
    return [q for q in queries if q[0]]


def place(title: str, region: str) -> str:
    """The place a local document belongs to: 青岛 for 青岛市预算审查监督条例."""
    match = PLACE.match(title)
    if match:
        return match.group(1)
    return re.sub(r"(省|市|自治区)$", "", region)


@dataclass(frozen=True)
class Scored:
    score: float
    hit: dict[str, Any]
    holds: bool
    """Whether the article holds any word of the question of two or more characters (or a
    synonym), in its text, title or headings: one that holds none is no answer, whatever
    Meilisearch matched."""


def asked_for(question: str) -> list[tuple[str, ...]]:
    """What an answer to the question has (``intents`` of ``words.yaml``): for each kind of
    answer the question asks for, the words one of which such an article holds."""
    text = normalize(question)
    return [i.answer for i in words().intents if any(a in text for a in i.ask)]


def _most(texts: list[str], forms: tuple[str, ...]) -> list[int]:
    """For each text, the most times one of ``forms`` occurs in it."""
    counts = [[text.count(w) for text in texts] for w in forms]
    return counts[0] if len(counts) == 1 else list(map(max, *counts))


def _holding(texts: list[str], forms: tuple[str, ...] | list[str]) -> list[bool]:
    """For each text, whether one of ``forms`` occurs in it."""
    held = [False] * len(texts)
    for w in forms:
        held = [h or w in text for h, text in zip(held, texts, strict=True)]
    return held


def scored(
    hits: list[dict[str, Any]],
    weighed: dict[str, float],
    question: str,
    home_region: str,
    known: Mapping[str, float],
) -> list[Scored]:
    """The candidates, best first. ``question`` is as the person wrote it; ``known``: the
    candidates (by id) that answered a known question like it, with how alike the two
    questions are (``search.known``)."""
    synonyms = {w: (w, *words().synonyms.get(w, [])) for w in weighed}
    weighted = [(weight, synonyms[word]) for word, weight in weighed.items() if weight > 0]
    intents = asked_for(question)
    total = sum(weight for weight, _ in weighted)
    # A single character (案, 中) stands inside too many other words to show an article is
    # about the question, unless the question has nothing longer.
    telling = [w for w in weighed if len(w) > 1] or list(weighed)
    telling_forms = list(dict.fromkeys(w for word in telling for w in synonyms[word]))
    places = {place(h["title"], h["region"]) for h in hits if h["level"] != "NATIONAL"} - {""}
    named = {p for p in places if p in question}
    home = home_region.strip()
    bodies, arounds = [], []
    for hit in hits:
        fold = str.lower if hit.get("settled") else normalize
        bodies.append(fold(hit["text"]))
        arounds.append(fold(f"{hit['title']} {hit['heading']}"))
    # Word by word over all candidates (a count per text is one call for the whole list):
    # this runs for every word of the question in each of ~150 candidates. Each score adds
    # its words' parts in the question's order, as one article at a time would.
    scores = [float(hit.get("_rankingScore", 0.0)) for hit in hits]
    matched = [0.0] * len(hits)
    norms = [K1 * (1 - B + B * (len(body) + 1) / AVERAGE_CHARS) for body in bodies]
    for weight, forms in weighted:
        in_text, titled = _most(bodies, forms), _holding(arounds, forms)
        for i, (tf, title) in enumerate(zip(in_text, titled, strict=True)):
            if tf or title:
                part = tf * (K1 + 1) / (tf + norms[i])
                scores[i] += weight * max(part, TITLE_MATCH if title else 0.0)
                matched[i] += weight
    in_body, in_around = _holding(bodies, telling_forms), _holding(arounds, telling_forms)
    held = [a or b for a, b in zip(in_body, in_around, strict=True)]
    out = []
    for hit, body, score, weight_held, holds in zip(
        hits, bodies, scores, matched, held, strict=True
    ):
        coverage = (weight_held / total) ** COVERAGE if total else 1.0
        # A text far longer than an article (an amendment's whole text, kept as a preamble)
        # holds every word and every kind of answer somewhere: it is no article to cite.
        fit = min(1.0, ARTICLE_AT_MOST / max(len(body), 1))
        if intents:
            score += INTENT * fit * sum(1 for a in intents if any(w in body for w in a))
        national = NATIONAL_PRIOR.get(hit["kind"], 0.0) if hit["level"] == "NATIONAL" else 0.0
        local = hit["level"] != "NATIONAL"
        if named:
            prior = REGION_PRIOR if local and place(hit["title"], hit["region"]) in named else 0.0
            prior = prior or national / 2
        else:
            at_home = local and bool(home) and str(hit["region"]).startswith(home)
            prior = max(national, HOME_PRIOR if at_home else 0.0)
        score += PRIOR * prior * coverage * fit + (IN_FORCE_PRIOR if hit["current"] else 0.0)
        alike = known.get(hit["id"], 0.0)
        out.append(Scored(score + KNOWN * alike, hit, holds or alike > 0))
    return sorted(out, key=lambda s: -s.score)
