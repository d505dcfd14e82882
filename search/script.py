"""One script and one width for Chinese text: traditional characters folded into simplified
(預算 → 预算), full-width letters and digits into half-width, letters into lower case."""

import unicodedata
from functools import cache

import opencc

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The Chinese characters, as a regular-expression class body."""


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Simplified script, half-width letters and digits, lower case."""
    if not unicodedata.is_normalized("NFKC", text):  # a quick check, far cheaper than NFKC
        text = unicodedata.normalize("NFKC", text)
    return _converter().convert(text).lower()
