"""The ``Money`` scalar: an amount in 元 as a decimal string with two decimals ("1234.50"),
exact (stored as integer 分), never a float."""

from typing import Any, NewType

import strawberry

from api.language import say
from api.services.budget_files import Bad, amount


def _money(value: Any) -> int:
    try:
        return amount(value)
    except Bad as e:
        raise ValueError(say(f"金额 {e}", f"Amount: {e}")) from None


Money = NewType("Money", int)
MONEY = strawberry.scalar(
    name="Money",
    serialize=lambda fen: f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}",
    parse_value=_money,
    description='An amount in 元 as a decimal string with two decimals, e.g. "1234.50"; '
    "exact (stored as integer 分), never a float.",
)
