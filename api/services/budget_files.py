"""The file layouts finance pushes, one per ``FileKind``: which columns, what each holds, and
how a cell becomes a stored value or a reason it cannot.

The first row names the columns (any order; unknown columns such as 序号 are ignored).
Amounts are in 元 with at most two decimals (12345.67) and are stored as integer 分; a
thousands separator is accepted, anything else that is not a plain number is refused.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from api.language import say
from api.models.budget import (
    Book,
    Direction,
    FileKind,
    FundKind,
    FundNature,
    ProjectStatus,
    TownshipModule,
)
from api.models.regulations import Level
from api.services.sheets import cell_flag, cell_text

AMOUNT_MAX = Decimal(10) ** 14
"""元; a hundred trillion, far beyond any county's figures: a larger cell is a typo."""
NUMBER = re.compile(r"-?\d+(\.\d+)?")


class Reference(StrEnum):
    """Codes a cell must name, looked up in the reference lists (and the file itself)."""

    REGION = "region"
    DEPARTMENT = "department"
    CLASSIFICATION = "classification"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return {"region": "地区编码", "department": "部门编码",
                "classification": "功能分类编码", "unit": "承办单位"}[self.value]  # fmt: skip

    @property
    def english(self) -> str:
        """What the label says, in English (for a message's English twin)."""
        return {"region": "region code", "department": "department code",
                "classification": "functional classification code",
                "unit": "handling unit"}[self.value]  # fmt: skip


class Bad(ValueError):
    """A cell's reason for refusal."""


def amount(value: Any) -> int:
    """元 with at most two decimals → 分; never negative."""
    if isinstance(value, bool):
        raise Bad(say(f"{value!r} 不是金额", f"{value!r} is not an amount"))
    text = cell_text(value).replace(",", "")
    if not text:
        raise Bad(say("为空：没有数额请填 0", "Empty: enter 0 when there is no amount"))
    if isinstance(value, float):
        text = repr(value)  # the shortest decimal that is this float
    if not NUMBER.fullmatch(text):
        raise Bad(_not_a_number(value))
    try:
        yuan = Decimal(text)
    except InvalidOperation:
        raise Bad(_not_a_number(value)) from None
    if yuan < 0:
        raise Bad(
            say(
                f"{text} 是负数：这里的金额不能为负",
                f"{text} is negative: the amount here cannot be negative",
            )
        )
    if yuan >= AMOUNT_MAX:
        raise Bad(
            say(
                f"{text} 超出任何预算数的范围（单位是元，不是分？）",
                f"{text} is beyond any budget figure (the unit is yuan, not fen?)",
            )
        )
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise Bad(
            say(
                f"{text} 超过两位小数（最小单位是分）",
                f"{text} has more than two decimals (the smallest unit is the fen)",
            )
        )
    return int(fen)


def _not_a_number(value: Any) -> str:
    return say(f"“{cell_text(value)}”不是数字", f'"{cell_text(value)}" is not a number')


def whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        text = cell_text(value)
        if not re.fullmatch(r"\d{1,4}", text) or not low <= int(text) <= high:
            raise Bad(
                say(
                    f"“{text}”不是 {low} 到 {high} 之间的整数",
                    f'"{text}" is not a whole number from {low} to {high}',
                )
            )
        return int(text)

    return parse


def choice(enum: type[Any]) -> Callable[[Any], Any]:
    """A member of a labelled enum by its Chinese label or its code."""
    by_text = {m.label: m for m in enum} | {m.value: m for m in enum}

    def parse(value: Any) -> Any:
        text = cell_text(value)
        if text not in by_text:
            raise Bad(
                say(
                    f"“{text}”不是以下之一：{'、'.join(m.label for m in enum)}",
                    f'"{text}" is not one of: {", ".join(m.value for m in enum)}',
                )
            )
        return by_text[text]

    return parse


def flag(value: Any) -> bool:
    parsed = cell_flag(value, False)
    if parsed is None:
        raise Bad(
            say(
                f"“{cell_text(value)}”应为“是”或“否”",
                f'"{cell_text(value)}" should be yes or no',
            )
        )
    return parsed


def text(value: Any) -> str:
    found = cell_text(value)
    if not found:
        raise Bad(say("为空", "Empty"))
    if len(found) > 500:
        raise Bad(say("超过 500 个字", "Longer than 500 characters"))
    return found


def optional_text(value: Any) -> str:
    return text(value) if cell_text(value) else ""


def short_text(value: Any) -> str:
    found = text(value)
    if len(found) > 30:
        raise Bad(say("超过 30 个字", "Longer than 30 characters"))
    return found


def optional_short_text(value: Any) -> str:
    return short_text(value) if cell_text(value) else ""


def number(value: Any) -> str:
    """A figure that is not money (people, 亩, 个) or is: a decimal string with at most two
    decimals, kept exactly as a number, never negative."""
    text = cell_text(value).replace(",", "")
    if isinstance(value, float):
        text = repr(value)
    if not NUMBER.fullmatch(text) or text.startswith("-"):
        raise Bad(
            say(
                f"“{cell_text(value)}”不是不小于 0 的数字",
                f'"{cell_text(value)}" is not a number of 0 or more',
            )
        )
    found = Decimal(text)
    if found != found.quantize(Decimal("0.01")) or found >= AMOUNT_MAX:
        raise Bad(
            say(
                f"{text} 超过两位小数或超出范围",
                f"{text} has more than two decimals or is out of range",
            )
        )
    return format(found.normalize(), "f") if found else "0"


def count(value: Any) -> int:
    """A number of households or people: a whole number, never negative."""
    found = cell_text(value)
    if not found:
        return 0
    if not re.fullmatch(r"\d{1,9}", found):
        raise Bad(
            say(f"“{found}”不是不小于 0 的整数", f'"{found}" is not a whole number of 0 or more')
        )
    return int(found)


def code(value: Any) -> str:
    found = cell_text(value)
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}", found):
        raise Bad(
            say(
                f"“{found}”不是编码（只能是字母、数字和 . _ -）",
                f'"{found}" is not a code (only letters, digits and . _ -)',
            )
        )
    return found


def class_code(value: Any) -> str:
    found = cell_text(value)
    if not re.fullmatch(r"\d{3}(\d{2}){0,2}", found):
        raise Bad(
            say(
                f"“{found}”不是 3、5 或 7 位的功能分类编码",
                f'"{found}" is not a functional classification code of 3, 5 or 7 digits',
            )
        )
    return found


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any]
    required: bool = True
    """A required column must be present and its cells filled; an optional one may be
    missing (its field then takes ``default``) or empty."""
    default: Any = None
    reference: Reference | None = None
    note: str = ""
    """For the README and the template."""


FISCAL_YEARS = (2000, 2100)
"""The fiscal years a file may hold; a question about another is refused."""
YEAR = Column("年度", "year", whole(*FISCAL_YEARS), note="财政年度，如 2025")
REGION = Column("地区编码", "region", code, reference=Reference.REGION)
DEPARTMENT = Column("部门编码", "department", code, reference=Reference.DEPARTMENT)
BOOK = Column("预算类型", "book", choice(Book), note="一般公共预算、政府性基金预算 …")
CLASS = Column("功能分类编码", "classification", class_code, reference=Reference.CLASSIFICATION)
DIRECTION = Column("收支", "direction", choice(Direction), note="收入或支出")

LAYOUTS: dict[FileKind, tuple[Column, ...]] = {
    FileKind.REGIONS: (
        Column("地区编码", "code", code),
        Column("地区名称", "name", text),
        Column("级次", "level", choice(Level), note="县级或乡镇"),
        Column("上级地区编码", "parent_code", code, False, "", Reference.REGION),
    ),
    FileKind.DEPARTMENTS: (
        Column("部门编码", "code", code),
        Column("部门名称", "name", text),
        REGION,
        Column("上级部门编码", "parent_code", code, False, "", Reference.DEPARTMENT),
        Column(
            "承办单位",
            "unit_id",
            text,
            False,
            None,
            Reference.UNIT,
            note="其办理人员可看这些数字的承办单位名称",
        ),
        Column("公开", "published", flag, False, False, note="是：社会公众可看其预算数字"),
    ),
    FileKind.CLASSIFICATIONS: (
        Column("功能分类编码", "code", class_code),
        Column("科目名称", "name", text),
    ),
    FileKind.LINES: (
        YEAR,
        BOOK,
        DEPARTMENT,
        CLASS,
        DIRECTION,
        Column("年初预算数", "initial", amount, note="元"),
        Column("调整预算数", "adjusted", amount, note="元"),
        Column("三公经费", "three_public", flag, False, False, note="三公经费指标填“是”"),
    ),
    FileKind.EXECUTION: (
        YEAR,
        Column("月份", "month", whole(1, 12), note="1-12"),
        BOOK,
        DEPARTMENT,
        CLASS,
        DIRECTION,
        Column("累计执行数", "executed", amount, note="元，1 月至当月末累计"),
    ),
    FileKind.PROJECTS: (
        YEAR,
        Column("项目编码", "code", code),
        Column("项目名称", "name", text),
        Column("项目类型", "type", text, note="如交通、教育、水利"),
        DEPARTMENT,
        Column("功能分类编码", "classification", class_code, False, "", Reference.CLASSIFICATION),
        Column("资金性质", "fund_nature", choice(FundNature)),
        Column("总投资", "total", amount, note="元"),
        Column("年度计划", "planned", amount, note="元，本年度"),
        Column("累计支付", "paid", amount, note="元，本年初至今"),
        Column("项目状态", "status", choice(ProjectStatus)),
    ),
    FileKind.DEBT: (
        YEAR,
        REGION,
        Column("债务余额", "balance", amount, note="元"),
        Column("债务限额", "limit", amount, note="元"),
        Column("综合财力", "capacity", amount, note="元"),
        Column("地区生产总值", "gdp", amount, note="元"),
        Column("当年到期", "maturing", amount, note="元"),
        Column("新增债券", "bonds_issued", amount, note="元"),
        Column("债券资金用途", "bond_use", optional_text, False, ""),
        Column("公开", "published", flag, False, False),
    ),
    FileKind.FUNDS: (
        YEAR,
        Column("资金编码", "code", code),
        Column("资金名称", "name", text),
        Column("资金类型", "kind", choice(FundKind), note="专项资金或直达资金"),
        DEPARTMENT,
        Column("分配数", "allocated", amount, note="元"),
        Column("支付数", "disbursed", amount, note="元"),
        Column("惠及对象", "beneficiaries", optional_text, False, ""),
    ),
    FileKind.DIRECT_FUNDS: (
        YEAR,
        Column("资金编码", "code", code),
        Column("政策名称", "policy", text, note="如耕地地力保护补贴"),
        Column("资金用途", "topic", short_text, note="如农业农村、社会保障：公开页面按它筛选"),
        Column("补助标准", "standard", optional_text, False, "", note="如每亩 120 元"),
        Column("地区编码", "region", code, reference=Reference.REGION, note="县或乡镇"),
        Column(
            "村（社区）", "village", optional_short_text, False, "", note="空：资金留在县或乡镇"
        ),
        Column("下达金额", "allocated", amount, note="元"),
        Column("支付金额", "paid", amount, note="元"),
        Column("受益户数", "households", count, False, 0),
        Column("受益人数", "persons", count, False, 0),
    ),
    FileKind.TOWNSHIP_FIGURES: (
        YEAR,
        Column("地区编码", "region", code, reference=Reference.REGION, note="乡镇"),
        Column(
            "栏目",
            "module",
            choice(TownshipModule),
            note="乡镇总体概况、专项资金、国有资产或村级集体经济经营性收入",
        ),
        Column("村（社区）", "village", optional_short_text, False, "", note="空：乡镇本身"),
        Column("项目", "item", short_text, note="如户籍人口、村集体经营性收入"),
        Column("数值", "value", number, note="数字，最多两位小数"),
        Column("计量单位", "unit", short_text, note="如元、人、亩"),
        Column("说明", "note", optional_text, False, ""),
    ),
}
"""Every layout; ``jiandu budget template`` writes them as blank workbooks."""

PERSONAL = (
    "姓名",
    "名字",
    "身份证",
    "证件",
    "手机",
    "电话",
    "联系",
    "银行",
    "账号",
    "账户",
    "住址",
    "地址",
    "户主",
)
"""Words of a column that holds personal data: a file published to everyone (DIRECT_FUNDS)
that has one is refused whole, before any row is read."""


def personal_columns(kind: FileKind, header: list[str]) -> list[str]:
    """The columns of a file for the public that would publish people's data."""
    if kind is not FileKind.DIRECT_FUNDS:
        return []
    return [h for h in header if any(word in h for word in PERSONAL)]


KEYS: dict[FileKind, tuple[str, ...]] = {
    FileKind.REGIONS: ("code",),
    FileKind.DEPARTMENTS: ("code",),
    FileKind.CLASSIFICATIONS: ("code",),
    FileKind.LINES: ("book", "direction", "department", "classification"),
    FileKind.EXECUTION: ("month", "book", "direction", "department", "classification"),
    FileKind.PROJECTS: ("code",),
    FileKind.DEBT: ("region",),
    FileKind.FUNDS: ("code",),
    FileKind.DIRECT_FUNDS: ("code", "region", "village"),
    FileKind.TOWNSHIP_FIGURES: ("region", "module", "village", "item"),
}
"""What identifies a row within a file (and a year): a second row with the same is refused."""
