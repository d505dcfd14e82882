"""One script and one width for Chinese text: traditional characters folded into simplified
(預算 → 预算), full-width letters and digits into half-width, letters into lower case."""

import re
import unicodedata
from functools import cache

import opencc

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The Chinese characters, as a regular-expression class body."""


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}
"""Full-width letters, digits and punctuation (，（１Ａ) → their half-width forms: what NFKC
does to nearly every character of a statute, at a fraction of its cost."""


def normalize(text: str) -> str:
    """Simplified script, half-width letters and digits, lower case."""
    text = text.translate(HALF_WIDTH)
    if not unicodedata.is_normalized("NFKC", text):  # a quick check, far cheaper than NFKC
        text = unicodedata.normalize("NFKC", text)
    return _converter().convert(text).lower()


FULL_WIDTH_WORDS = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def settled(text: str) -> bool:
    """Whether ``normalize`` would change no word of ``text``: simplified script, no
    full-width letters or digits (full-width punctuation and case aside). Worked out once,
    when a text is indexed, so that ranking folds only the texts that need it."""
    return not FULL_WIDTH_WORDS.search(text) and _converter().convert(text) == text
