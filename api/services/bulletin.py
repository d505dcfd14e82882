"""The quarterly bulletin (预算联网监督简报): budget execution at the quarter's end, the
warnings raised in the quarter and where they stand, the problems found and what to do
about them, and how rectification is going. The same data feeds GraphQL and the Word
document (``api.services.bulletin_document``)."""

import re
from dataclasses import dataclass
from datetime import date

from api.access import Viewer, visible
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import Book, Department, Region
from api.models.rectification import AuditFinding, Opinion, RectificationState, WarningState
from api.models.warnings import BudgetWarning, RuleKind, Severity
from api.services.budget_figures import Figures, Scope, Year, figures_by, monthly, ranking
from api.services.suggestion_loop import add_months

QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE)
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

RECOMMENDATIONS: dict[RuleKind, str] = {
    RuleKind.EXECUTION_LAG: "督促支出进度滞后的部门逐项分析原因、加快执行；"
    "确实无法支出的资金，及时按程序调整用途或收回统筹。",
    RuleKind.PROJECT_PAYMENT_LAG: "对支付滞后的重点项目逐一排查用地、审批、招投标和资金拨付中的"
    "堵点，按合同节点及时支付，防止资金沉淀。",
    RuleKind.PPP_SHARE: "从严控制新上PPP项目，确保PPP项目年度支出责任不超过一般公共预算支出的10%。",
    RuleKind.DEBT_RATIO: "严格在限额内举债，制定并落实化解债务计划，"
    "加强偿债资金统筹，防范债务风险。",
    RuleKind.NON_TAX_SHARE: "规范非税收入征管，提高收入质量，防止以非税收入虚增财政收入。",
    RuleKind.THREE_PUBLIC_GROWTH: "落实政府过紧日子要求，从严控制“三公”经费，"
    "对同比增长的部门开展约谈。",
}
LONG_OPEN_MONTHS = 12


def parse_quarter(raw: str) -> tuple[int, int]:
    """``2025Q2`` as (2025, 2); refused when it is not a quarter."""
    found = QUARTER.match(raw.strip())
    if not found or not 2000 <= int(found[1]) <= 2100:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"季度应写作 2025Q2 的样式，而不是“{raw}”",
                f'A quarter is written like 2025Q2, not "{raw}"',
            ),
            field="quarter",
        )
    return int(found[1]), int(found[2])


@dataclass(frozen=True)
class WarningTally:
    kind: RuleKind | None
    """None: imported warnings."""
    raised: int
    serious: int
    closed: int
    dismissed: int
    """Checked and dismissed (核实销号), counted apart from the rectified ones."""


@dataclass(frozen=True)
class Rectification:
    """How far the rectification of one kind of record has come."""

    total: int
    closed: int
    reported: int
    """Reported (opinions, findings) or responded (warnings), awaiting staff's check."""
    overdue: int
    dismissed: int = 0
    """Warnings checked and dismissed (核实销号): ended, not rectified."""
    points: int = 0
    points_rectified: int = 0
    long_open: int = 0
    """Findings open for more than a year."""


@dataclass
class Bulletin:
    year: int
    quarter: int
    month: int
    """The month the execution figures are taken at (the quarter's last with figures)."""
    region: str
    books: dict[Book, Figures]
    total: Figures
    monthly: list[Figures]
    """General public budget expenditure, cumulative, month by month up to ``month``."""
    worst: list[tuple[str, str, Figures]]
    """The five departments furthest behind: code, name, figures."""
    warnings: list[BudgetWarning]
    tallies: list[WarningTally]
    problems: list[str]
    recommendations: list[str]
    opinions: Rectification
    findings: Rectification
    warning_progress: Rectification

    @property
    def title(self) -> str:
        return f"{self.region}预算联网监督简报（{self.year}年{QUARTER_NAMES[self.quarter]}）"


def _months(quarter: int) -> list[int]:
    return [quarter * 3 - 2, quarter * 3 - 1, quarter * 3]


async def _rectification(
    model: type[Opinion] | type[AuditFinding], viewer: Viewer, today: date
) -> Rectification:
    cases = await model.find(visible(model, viewer)).to_list()
    points = [p for c in cases if isinstance(c, Opinion) for p in c.points]
    long_ago = add_months(today, -LONG_OPEN_MONTHS)
    return Rectification(
        total=len(cases),
        closed=sum(c.state is RectificationState.CLOSED for c in cases),
        reported=sum(c.state is RectificationState.REPORTED for c in cases),
        overdue=sum(c.overdue(today) for c in cases),
        points=len(points),
        points_rectified=sum(p.rectified for p in points),
        long_open=sum(
            isinstance(c, AuditFinding) and c.state is not RectificationState.CLOSED
            and c.issued_on < long_ago for c in cases
        ),
    )  # fmt: skip


def _problems(
    tallies: list[WarningTally], warnings: list[BudgetWarning], findings: Rectification
) -> list[str]:
    problems = []
    for tally in tallies:
        if tally.kind is None:
            what = "人工核查发现的问题"
        else:
            what = tally.kind.label
        subjects = "、".join(w.subject for w in warnings if w.kind == tally.kind and w.subject)
        problems.append(
            f"{what}：本季度预警{tally.raised}条（其中严重预警{tally.serious}条）"
            + (f"，涉及{subjects}。" if subjects else "。")
        )
    if findings.long_open:
        problems.append(
            f"审计查出问题整改：仍有{findings.long_open}个问题交办超过{LONG_OPEN_MONTHS}个月未整改到位。"
        )
    return problems


async def bulletin(viewer: Viewer, *, year: int, quarter: int, today: date) -> Bulletin:
    """The bulletin of ``quarter`` as ``viewer`` may read it; refused when none of the
    quarter's months has execution figures."""
    current = await Year.of(year)
    months = [m for m in _months(quarter) if m in current.months]
    if not months:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"{year}年第{quarter}季度还没有预算执行数：请先导入",
                f"There are no budget execution figures for {year}Q{quarter} yet: import "
                "them first",
            ),
            field="quarter",
        )
    month = months[-1]
    _, books = await figures_by(viewer, year=year, month=month, by="book")
    _, totals = await figures_by(viewer, year=year, month=month)
    _, series = await monthly(viewer, year=year, scope=Scope(book=Book.GENERAL_PUBLIC))
    _, worst = await ranking(
        viewer, year=year, month=month, by="department", scope=Scope(), lowest=True, limit=5
    )
    names = {d.code: d.name for d in await Department.find_all().to_list()}
    county = await Region.find_one({"parent_code": ""})
    raised = (
        await BudgetWarning.find(
            visible(BudgetWarning, viewer, {"year": year, "month": {"$in": _months(quarter)}})
        )
        .sort("+severity", "+kind", "+subject")
        .to_list()
    )
    kinds = list(dict.fromkeys(w.kind for w in raised))
    tallies = [
        WarningTally(
            kind=kind,
            raised=sum(w.kind == kind for w in raised),
            serious=sum(w.kind == kind and w.severity is Severity.SERIOUS for w in raised),
            closed=sum(w.kind == kind and w.state is WarningState.CLOSED for w in raised),
            dismissed=sum(w.kind == kind and w.state is WarningState.DISMISSED for w in raised),
        )
        for kind in kinds
    ]
    findings = await _rectification(AuditFinding, viewer, today)
    recommendations = [RECOMMENDATIONS[k] for k in kinds if k is not None]
    if findings.long_open:
        recommendations.append("对长期未整改到位的审计查出问题挂牌督办，必要时组织跟踪听证。")
    return Bulletin(
        year=year, quarter=quarter, month=month, region=county.name if county else "",
        books={Book[k]: f for k, f in books.items()}, total=totals.get(None, Figures(month=month)),
        monthly=[f for f in series if f.month is not None and f.month <= month],
        worst=[(code, names.get(code, code), f) for code, f in worst],
        warnings=raised, tallies=tallies, problems=_problems(tallies, raised, findings),
        recommendations=recommendations,
        opinions=await _rectification(Opinion, viewer, today), findings=findings,
        warning_progress=Rectification(
            total=len(raised),
            closed=sum(w.state is WarningState.CLOSED for w in raised),
            reported=sum(w.state is WarningState.RESPONDED for w in raised),
            dismissed=sum(w.state is WarningState.DISMISSED for w in raised),
            overdue=sum(w.overdue(today) for w in raised),
        ),
    )  # fmt: skip
