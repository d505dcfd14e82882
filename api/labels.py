"""Enums whose members carry the Chinese label users see (DOMAIN.md names both)."""

from enum import StrEnum
from typing import Self


class LabeledEnum(StrEnum):
    """A string enum in SCREAMING_CASE whose members also carry a Chinese ``label``.

    Declared as ``MEMBER = "MEMBER", "中文"``.
    """

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
