"""How many articles of the library hold each word, as one permission filter sees them.

Weighing a question's words (``search.ranking``) needs each word's count; asking Meilisearch
costs a request per question, and nearly every question repeats words asked before. So the
counts are kept, per index and permission filter, for a minute, and forgotten at once when
this process's sync writes to the indexes. A count a minute old weighs a word as well as a
fresh one: the library changes by a few documents a day.
"""

import threading
import time
from dataclasses import dataclass, field

KEEP_SECONDS = 60.0
MOST_WORDS = 50_000
"""Words kept at most (about 5 MB); past it the oldest are forgotten."""


@dataclass
class WordCounts:
    keep_seconds: float = KEEP_SECONDS
    _counts: dict[tuple[str, str, str], tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def known(self, scope: tuple[str, str], words: list[str]) -> dict[str, int]:
        """The counts kept for ``words`` in ``scope`` (index, permission filter); the empty
        word is the number of articles."""
        now = time.monotonic()
        found = {}
        for word in words:
            kept = self._counts.get((*scope, word))
            if kept is not None and now - kept[1] < self.keep_seconds:
                found[word] = kept[0]
        return found

    def keep(self, scope: tuple[str, str], counts: dict[str, int]) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) + len(counts) > MOST_WORDS:
                oldest = sorted(self._counts, key=lambda k: self._counts[k][1])
                for key in oldest[: len(oldest) // 2]:
                    del self._counts[key]
            for word, count in counts.items():
                self._counts[(*scope, word)] = (count, now)

    def known_count(self) -> int:
        """How many counts are kept."""
        return len(self._counts)

    def forget(self) -> None:
        """The indexes changed: ask again."""
        with self._lock:
            self._counts.clear()
