"""The reviewed word lists of regulation search (``words.yaml``): question words, stop words,
synonyms in three classes, and the short names of laws."""

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

import yaml

from search.script import normalize


@dataclass(frozen=True)
class Intent:
    """A kind of answer a question asks for: words that ask for it, and words one of which
    an article that gives it holds."""

    ask: tuple[str, ...]
    answer: tuple[str, ...]
    asks_only: bool = False
    """Whether the asking words only ask (最低, 上限: the statute says 不得低于, 不超过), so
    that they weigh little in the search for the answer."""


@dataclass(frozen=True)
class Words:
    question_words: tuple[str, ...]
    """Removed from a query before it is sent, longest first."""
    stop_words: tuple[str, ...]
    abbreviations: tuple[tuple[str, ...], ...]
    colloquial: tuple[tuple[str, ...], ...]
    expansions: dict[str, tuple[str, ...]]
    law_names: dict[str, str]
    """A law's short name → the name its title ends with."""
    intents: tuple[Intent, ...]

    @cached_property
    def asking_only(self) -> frozenset[str]:
        """The words that only ask for a kind of answer (``Intent.asks_only``)."""
        return frozenset(word for i in self.intents if i.asks_only for word in i.ask)

    @cached_property
    def synonyms(self) -> dict[str, list[str]]:
        """Meilisearch ``synonyms``: each word of a group finds every other word of it; an
        expansion finds the words it stands for."""
        found: dict[str, set[str]] = {}
        for group in (*self.abbreviations, *self.colloquial):
            for word in group:
                found.setdefault(word, set()).update(w for w in group if w != word)
        for word, meant in self.expansions.items():
            found.setdefault(word, set()).update(meant)
        return {word: sorted(others) for word, others in sorted(found.items())}

    @cached_property
    def _finder(self) -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
        """A pattern that finds, at each place of a text, the longest word held there that a
        word of ``synonyms`` finds; and, for each such word, the words of ``synonyms`` that
        find it or a word inside it (so a shorter word starting at the same place counts)."""
        meant: dict[str, set[str]] = {}
        for word, others in self.synonyms.items():
            for other in others:
                meant.setdefault(other, set()).add(word)
        held = sorted(meant, key=len, reverse=True)
        starts = re.escape("".join(sorted({w[0] for w in held})))
        # The class first lets the engine pass cheaply over places where no word starts.
        pattern = re.compile(f"(?=[{starts}])(?=({_trie(held)}))")
        found_by = {h: frozenset(w for o in held if o in h for w in meant[o]) for h in held}
        return pattern, found_by

    def aliases(self, text: str) -> list[str]:
        """The words of ``synonyms`` that find ``text`` (normalized): 低保 for a text that says
        最低生活保障. Indexed beside an article, they let a question's own words find it with
        no synonyms at query time."""
        pattern, found_by = self._finder
        return sorted({w for held in set(pattern.findall(text)) for w in found_by[held]})


def _trie(held: list[str]) -> str:
    """A pattern that matches the longest of ``held`` at a place, written as a tree of their
    characters (预算 and 预算法 share 预算). It is tried at every place of every article
    indexed: over the 146,860 articles of LawRefBook, 7.4 s against 13.6 s for a flat
    alternation of the thousand words, with the same aliases found."""
    tree: dict[str, Any] = {}
    for word in held:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(rest) for char, rest in node.items() if char]
        if not branches:
            return ""
        either = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{either})?" if "" in node else either  # greedy: the longer word first

    return pattern(tree)


def _groups(raw: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalize(w) for w in group) for group in raw)


@cache
def words() -> Words:
    raw = yaml.safe_load(files("search").joinpath("words.yaml").read_text("utf-8"))
    return Words(
        question_words=tuple(
            sorted({normalize(w) for w in raw["question_words"]}, key=len, reverse=True)
        ),
        stop_words=tuple(normalize(w) for w in raw["stop_words"]),
        abbreviations=_groups(raw["abbreviations"]),
        colloquial=_groups(raw["colloquial"]),
        expansions={
            normalize(k): tuple(normalize(w) for w in v) for k, v in raw["expansions"].items()
        },
        law_names={normalize(k): normalize(v) for k, v in raw["law_names"].items()},
        intents=tuple(_intent(i) for i in raw["intents"]),
    )


def _intent(raw: dict[str, Any]) -> Intent:
    asks_only = raw.get("asks_only", False)
    if not isinstance(asks_only, bool):  # "yes" or 1 would read as a choice nobody made
        said = f"不能写 {json.dumps(asks_only, ensure_ascii=False)}"  # as YAML has it: null
        raise ValueError(f"words.yaml：intents 的 asks_only 只能写 true 或 false，{said}")
    return Intent(
        ask=_groups([raw["ask"]])[0], answer=_groups([raw["answer"]])[0], asks_only=asks_only
    )
