"""Running the warning rules over a period's budget figures (DOMAIN.md "Warnings").

Each enabled rule reads the figures through ``api.services.budget_figures`` (one aggregation
per rule), compares exactly (rational arithmetic on the integer 分, so a figure right at a
threshold never tips over by rounding), and writes one warning per rule, subject and period:
a re-run updates the figures and severity of the warnings it finds again, raises new ones,
and marks those it no longer finds as not triggered; their loop is left as it is.
"""

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from beanie.odm.utils.encoder import Encoder
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import (
    Book,
    BudgetLink,
    Classification,
    DebtFigure,
    Department,
    Direction,
    FileKind,
    FundNature,
    KeyProject,
    LinkKind,
    Region,
)
from api.models.timeline import event
from api.models.users import utcnow
from api.models.warnings import (
    BudgetWarning,
    LagScope,
    RuleKind,
    Severity,
    WarningFigure,
    WarningRule,
    WarningSource,
)
from api.services.budget_figures import (
    Figures,
    Scope,
    Year,
    figures_by,
    percent,
    time_progress,
    yuan,
)

RULES = Viewer(role=Role.STAFF, name="预警规则")
"""Who evaluates: the rules read every figure."""

PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")
ON_RE_RUN = ("kind", "subject", "severity", "title", "message", "figures", "triggered",
             "evaluated_at")  # fmt: skip
"""What a re-run rewrites; the rest is written once, when the warning is raised."""


def parse_period(raw: str) -> tuple[int, int]:
    """``2025-06`` as (2025, 6); refused when it is not a month."""
    found = PERIOD.match(raw.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"期间应为月份，如 2025-06，而不是“{raw}”",
                f'The period should be a month such as 2025-06, not "{raw}"',
            ),
            field="period",
        )
    return int(found[1]), int(found[2])


@dataclass(frozen=True)
class Hit:
    """A subject a rule found, with what it read."""

    subject_key: str
    subject: str
    severity: Severity
    title: str
    message: str
    figures: list[WarningFigure]
    links: list[BudgetLink] = field(default_factory=list)


@dataclass
class RuleOutcome:
    rule: WarningRule
    checked: int = 0
    """Subjects compared."""
    raised: int = 0
    updated: int = 0
    cleared: int = 0
    skipped: str = ""
    """Why the rule compared nothing, when it did not."""


@dataclass
class Evaluation:
    year: int
    month: int
    outcomes: list[RuleOutcome]


def _severity(rule: WarningRule, excess: Fraction) -> Severity | None:
    if excess > Fraction(Decimal(rule.parameters["serious"])):
        return Severity.SERIOUS
    if excess > Fraction(Decimal(rule.parameters["warning"])):
        return Severity.WARNING
    return None


def _figure(name: str, label: str, value: Any, unit: str) -> WarningFigure:
    return WarningFigure(name=name, label=label, value=str(value), unit=unit)


def _rate(name: str, label: str, part: int, whole: int) -> WarningFigure:
    return _figure(name, label, percent(part, whole), "%")


def _money(name: str, label: str, fen: int) -> WarningFigure:
    return _figure(name, label, yuan(fen), "元")


def _link(kind: LinkKind, **codes: Any) -> BudgetLink:
    return BudgetLink(kind=kind, linked_by=RULES.name, **codes)


@dataclass
class Names:
    """What people call the codes the figures use."""

    departments: dict[str, str]
    classifications: dict[str, str]
    regions: dict[str, str]

    @classmethod
    async def load(cls) -> "Names":
        return cls(
            {d.code: d.name for d in await Department.find_all().to_list()},
            {c.code: c.name for c in await Classification.find_all().to_list()},
            {r.code: r.name for r in await Region.find_all().to_list()},
        )


Check = Callable[[WarningRule, Year, int, Names], Awaitable[tuple[list[Hit], int, str]]]
"""A rule kind's comparison: the hits, how many subjects it compared, why it skipped."""


def _lag_subject(scope: LagScope, key: Any, names: Names) -> tuple[str, str, BudgetLink]:
    if scope is LagScope.DEPARTMENT:
        name = names.departments.get(key, key)
        return f"DEPARTMENT:{key}", name, _link(LinkKind.DEPARTMENT, department=key)
    if scope is LagScope.CLASSIFICATION:
        name = f"{key} {names.classifications.get(key, '')}".strip()
        return f"CLASSIFICATION:{key}", name, _link(LinkKind.CLASSIFICATION, classification=key)
    line = dict(key)
    book = Book[line["book"]]
    name = (f"{names.departments.get(line['department'], line['department'])} "
            f"{line['classification']} {names.classifications.get(line['classification'], '')}"
            f"（{book.label}）")  # fmt: skip
    link = _link(LinkKind.LINE, department=line["department"],
                 classification=line["classification"], book=book)  # fmt: skip
    return f"LINE:{line['department']}:{line['classification']}:{book}", name.strip(), link


async def _execution_lag(
    rule: WarningRule, year: Year, month: int, names: Names
) -> tuple[list[Hit], int, str]:
    scope = rule.scope or LagScope.DEPARTMENT
    by = {LagScope.DEPARTMENT: "department", LagScope.LINE: "line",
          LagScope.CLASSIFICATION: "class3"}[scope]  # fmt: skip
    _, groups = await figures_by(RULES, year=year.year, month=month, by=by, scope=Scope())
    minimum = Decimal(rule.parameters["minimum_adjusted"]) * 100
    hits, checked = [], 0
    for key, f in sorted(groups.items(), key=lambda item: str(item[0])):
        if f.adjusted <= 0 or f.adjusted < minimum:
            continue
        checked += 1
        lag = Fraction(month * 100, 12) - Fraction(f.executed * 100, f.adjusted)
        severity = _severity(rule, lag)
        if severity is None:
            continue
        subject_key, subject, link = _lag_subject(scope, key, names)
        hits.append(Hit(
            subject_key, subject, severity, f"{subject}支出执行进度滞后",
            f"截至{year.year}年{month}月，{subject}调整预算{yuan(f.adjusted)}元，已支出"
            f"{yuan(f.executed)}元，执行率{f.rate}%，低于时间进度{f.time_progress}%"
            f"{-f.gap:.2f}个百分点。",  # type: ignore[operator]
            [_money("adjusted", "调整预算数", f.adjusted),
             _money("executed", "累计执行数", f.executed),
             _rate("rate", "执行率", f.executed, f.adjusted),
             _figure("time_progress", "时间进度", time_progress(month), "%"),
             _figure("lag", "低于时间进度", -f.gap, "个百分点")],  # type: ignore[operator]
            [link],
        ))  # fmt: skip
    return hits, checked, "" if groups else "no budget lines for the year"


async def _share_by_region(
    rule: WarningRule, parts: dict[str, int], wholes: dict[str, int], names: Names,
    make: Callable[[str, str, int, int, Severity], Hit],
) -> tuple[list[Hit], int]:  # fmt: skip
    hits, checked = [], 0
    for region, whole in sorted(wholes.items()):
        if not region or whole <= 0:
            continue
        checked += 1
        part = parts.get(region, 0)
        severity = _severity(rule, Fraction(part * 100, whole))
        if severity is not None:
            hits.append(make(region, names.regions.get(region, region), part, whole, severity))
    return hits, checked


async def _ppp_share(
    rule: WarningRule, year: Year, month: int, names: Names
) -> tuple[list[Hit], int, str]:
    _, lines = await figures_by(
        RULES, year=year.year, month=month, by="region", scope=Scope(book=Book.GENERAL_PUBLIC)
    )
    wholes = {region: f.adjusted for region, f in lines.items()}
    found = await KeyProject.get_pymongo_collection().aggregate([
        {"$match": {**year.rows(FileKind.PROJECTS), "fund_nature": FundNature.PPP_OTHER.value}},
        {"$group": {"_id": "$region", "planned": {"$sum": "$planned"}}},
    ])  # fmt: skip
    parts = {row["_id"]: row["planned"] async for row in found}

    def make(region: str, name: str, part: int, whole: int, severity: Severity) -> Hit:
        share = percent(part, whole)
        return Hit(
            f"REGION:{region}", name, severity, f"{name}PPP项目支出责任占比过高",
            f"{year.year}年{name}PPP项目年度支出责任{yuan(part)}元，占一般公共预算支出"
            f"{yuan(whole)}元的{share}%，超过{rule.parameters[str(severity).lower()]}%。",
            [_money("ppp", "PPP项目年度支出责任", part),
             _money("general_expenditure", "一般公共预算支出", whole),
             _rate("share", "占比", part, whole)],
        )  # fmt: skip

    hits, checked = await _share_by_region(rule, parts, wholes, names, make)
    return hits, checked, "" if wholes else "no general public budget lines for the year"


async def _debt_ratio(
    rule: WarningRule, year: Year, month: int, names: Names
) -> tuple[list[Hit], int, str]:
    rows = await DebtFigure.find(year.rows(FileKind.DEBT)).to_list()
    parts = {r.region: r.balance for r in rows}
    wholes = {r.region: r.capacity for r in rows}

    def make(region: str, name: str, part: int, whole: int, severity: Severity) -> Hit:
        return Hit(
            f"REGION:{region}", name, severity, f"{name}政府债务率过高",
            f"{year.year}年{name}政府债务余额{yuan(part)}元，综合财力{yuan(whole)}元，债务率"
            f"{percent(part, whole)}%，超过{rule.parameters[str(severity).lower()]}%。",
            [_money("balance", "债务余额", part), _money("capacity", "综合财力", whole),
             _rate("ratio", "债务率", part, whole)],
        )  # fmt: skip

    hits, checked = await _share_by_region(rule, parts, wholes, names, make)
    return hits, checked, "" if rows else "no debt figures for the year"


async def _non_tax_share(
    rule: WarningRule, year: Year, month: int, names: Names
) -> tuple[list[Hit], int, str]:
    def revenue(code: str) -> Scope:
        return Scope(book=Book.GENERAL_PUBLIC, direction=Direction.REVENUE, classification=code)

    _, tax = await figures_by(RULES, year=year.year, month=month, by="region", scope=revenue("101"))
    _, non_tax = await figures_by(
        RULES, year=year.year, month=month, by="region", scope=revenue("103")
    )
    parts = {region: f.executed for region, f in non_tax.items()}
    wholes = {r: tax.get(r, Figures()).executed + parts.get(r, 0) for r in {*tax, *non_tax}}

    def make(region: str, name: str, part: int, whole: int, severity: Severity) -> Hit:
        return Hit(
            f"REGION:{region}", name, severity, f"{name}非税收入占比过高",
            f"截至{year.year}年{month}月，{name}一般公共预算收入{yuan(whole)}元，其中非税收入"
            f"{yuan(part)}元，占{percent(part, whole)}%，超过"
            f"{rule.parameters[str(severity).lower()]}%。",
            [_money("non_tax", "非税收入", part),
             _money("revenue", "税收收入与非税收入合计", whole),
             _rate("share", "非税收入占比", part, whole)],
        )  # fmt: skip

    hits, checked = await _share_by_region(rule, parts, wholes, names, make)
    return hits, checked, "" if wholes else "no tax (101) or non-tax (103) revenue figures"


async def _three_public_growth(
    rule: WarningRule, year: Year, month: int, names: Names
) -> tuple[list[Hit], int, str]:
    last_year = await Year.of(year.year - 1)
    if month not in last_year.months:
        return [], 0, f"no execution figures for {year.year - 1}-{month:02d} to compare with"
    three = Scope(three_public=True)
    _, now = await figures_by(RULES, year=year.year, month=month, by="department", scope=three)
    _, then = await figures_by(
        RULES, year=last_year.year, month=month, by="department", scope=three
    )
    hits, checked = [], 0
    for code, before in sorted(then.items()):
        if before.executed <= 0:
            continue
        checked += 1
        after = now[code].executed if code in now else 0
        growth = Fraction((after - before.executed) * 100, before.executed)
        severity = _severity(rule, growth)
        if severity is None:
            continue
        name = names.departments.get(code, code)
        rise = percent(after - before.executed, before.executed)
        hits.append(Hit(
            f"DEPARTMENT:{code}", name, severity, f"{name}“三公”经费同比增长",
            f"截至{year.year}年{month}月，{name}“三公”经费支出{yuan(after)}元，上年同期"
            f"{yuan(before.executed)}元，同比增长{rise}%。",
            [_money("this_year", "本年累计", after),
             _money("last_year", "上年同期", before.executed),
             _figure("growth", "同比增长", rise, "%")],
            [_link(LinkKind.DEPARTMENT, department=code)],
        ))  # fmt: skip
    return hits, checked, ""


async def _project_payment_lag(
    rule: WarningRule, year: Year, month: int, names: Names
) -> tuple[list[Hit], int, str]:
    projects = await KeyProject.find(year.rows(FileKind.PROJECTS)).sort("code").to_list()
    hits, checked = [], 0
    for p in projects:
        if p.planned <= 0:
            continue
        checked += 1
        lag = Fraction(month * 100, 12) - Fraction(p.paid * 100, p.planned)
        severity = _severity(rule, lag)
        if severity is None:
            continue
        paid = percent(p.paid, p.planned)
        progress = time_progress(month)
        hits.append(Hit(
            f"PROJECT:{p.code}", p.name, severity, f"{p.name}支付进度滞后",
            f"截至{year.year}年{month}月，重点项目{p.name}（{p.code}）年度计划{yuan(p.planned)}元，"
            f"已支付{yuan(p.paid)}元，支付进度{paid}%，低于时间进度{progress}%。",
            [_money("planned", "年度计划", p.planned), _money("paid", "累计支付", p.paid),
             _rate("paid_rate", "支付进度", p.paid, p.planned),
             _figure("time_progress", "时间进度", progress, "%"),
             _figure("lag", "低于时间进度", progress - paid, "个百分点")],  # type: ignore[operator]
            [_link(LinkKind.PROJECT, project=p.code), _link(LinkKind.DEPARTMENT,
                                                            department=p.department)],
        ))  # fmt: skip
    return hits, checked, "" if projects else "no key projects for the year"


CHECKS: dict[RuleKind, Check] = {
    RuleKind.EXECUTION_LAG: _execution_lag,
    RuleKind.PPP_SHARE: _ppp_share,
    RuleKind.DEBT_RATIO: _debt_ratio,
    RuleKind.NON_TAX_SHARE: _non_tax_share,
    RuleKind.THREE_PUBLIC_GROWTH: _three_public_growth,
    RuleKind.PROJECT_PAYMENT_LAG: _project_payment_lag,
}


def _upsert(rule: WarningRule, year: int, month: int, hit: Hit, now: datetime) -> UpdateOne:
    key = {"source": WarningSource.RULE.value, "rule_id": rule.id, "subject_key": hit.subject_key,
           "year": year, "month": month}  # fmt: skip
    fresh = BudgetWarning(
        source=WarningSource.RULE, rule_id=rule.id, kind=rule.kind, year=year, month=month,
        subject_key=hit.subject_key, subject=hit.subject, severity=hit.severity,
        title=hit.title, message=hit.message, figures=hit.figures, budget_links=hit.links,
        evaluated_at=now, created_at=now, updated_at=now,
        timeline=[event(RULES, "raise", "", "OPEN", at=now, note=rule.name)],
    )  # fmt: skip
    document = Encoder().encode(fresh.model_dump(exclude={"id", "revision_id"}))
    return UpdateOne(
        key,
        {
            "$set": {name: document[name] for name in ON_RE_RUN},
            "$setOnInsert": {
                n: v for n, v in document.items() if n not in ON_RE_RUN and n not in key
            },
        },
        upsert=True,
    )


async def _record(
    outcome: RuleOutcome, year: int, month: int, hits: Iterable[Hit], now: datetime
) -> None:
    collection = BudgetWarning.get_pymongo_collection()
    rule = outcome.rule
    hits = list(hits)
    if hits:
        operations = [_upsert(rule, year, month, hit, now) for hit in hits]
        try:
            result = await collection.bulk_write(operations, ordered=False)
        except BulkWriteError:
            # another run of the same rule raised some of them a moment ago: now they match
            result = await collection.bulk_write(operations, ordered=False)
        outcome.raised, outcome.updated = result.upserted_count, result.matched_count
    cleared = await collection.update_many(
        {"source": WarningSource.RULE.value, "rule_id": rule.id, "year": year, "month": month,
         "subject_key": {"$nin": [h.subject_key for h in hits]}, "triggered": True},
        {"$set": {"triggered": False, "evaluated_at": now}},
    )  # fmt: skip
    outcome.cleared = cleared.modified_count


async def evaluate(year: int, month: int) -> Evaluation:
    """Run every enabled rule over the figures of ``year`` up to the end of ``month``;
    refused when that month has no execution figures."""
    current = await Year.of(year)
    current.month(month, field="period")
    names = await Names.load()
    now = utcnow()
    outcomes = []
    for rule in await WarningRule.find(WarningRule.enabled == True).sort("name").to_list():  # noqa: E712
        outcome = RuleOutcome(rule)
        hits, outcome.checked, outcome.skipped = await CHECKS[rule.kind](
            rule, current, month, names
        )
        await _record(outcome, year, month, hits, now)
        outcomes.append(outcome)
    return Evaluation(year, month, outcomes)
