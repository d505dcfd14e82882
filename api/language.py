"""The language of the messages a person reads: Chinese unless the request asks for English.

Every message jiandu sends (a ``UserError``'s message, a GraphQL error, an import's row
reason, an HTTP refusal) is written at its raise site in both languages, ``say(zh, en)``;
the request's ``Accept-Language`` picks one. What jiandu stores (notifications, timelines,
documents) is content and stays Chinese; codes stay English in both.
"""

from contextvars import ContextVar
from typing import Literal

Language = Literal["zh", "en"]
DEFAULT: Language = "zh"
SUPPORTED: tuple[Language, ...] = ("zh", "en")

current: ContextVar[Language] = ContextVar("language", default=DEFAULT)
"""The language of the request being served (set by ``api.middleware.RequestContext``)."""


def say(zh: str, en: str) -> str:
    """The message in the current request's language."""
    return en if current.get() == "en" else zh


def preferred(accept_language: str) -> Language:
    """The language an ``Accept-Language`` header prefers among ``SUPPORTED``: the highest
    weight wins, the earlier on a tie; ``*``, an empty or unreadable header means Chinese.
    ``en-US;q=0.8`` counts as English, ``zh-Hant-TW`` as Chinese."""
    best: tuple[float, Language] = (0.0, DEFAULT)
    for item in accept_language.split(",")[:32]:
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        if primary not in SUPPORTED:
            continue
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if 0 < weight <= 1 and weight > best[0]:
            best = (weight, primary)  # type: ignore[assignment]
    return best[1]
