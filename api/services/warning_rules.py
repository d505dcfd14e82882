"""Warning rules as data: what parameters each kind of rule takes, their ranges and
defaults, and the admin's changes to them, every one checked before it is stored."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer
from api.errors import DomainError, ErrorCode, required_text
from api.language import say
from api.models.users import utcnow
from api.models.warnings import LagScope, RuleKind, WarningRule


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    low: Decimal
    high: Decimal
    default: Decimal


def _thresholds(
    what: str, low: int, high: int, warning: int, serious: int
) -> tuple[Parameter, ...]:
    return (
        Parameter("warning", f"{what}：一般预警", Decimal(low), Decimal(high), Decimal(warning)),
        Parameter("serious", f"{what}：严重预警", Decimal(low), Decimal(high), Decimal(serious)),
    )


PARAMETERS: dict[RuleKind, tuple[Parameter, ...]] = {
    RuleKind.EXECUTION_LAG: (
        *_thresholds("执行率低于时间进度超过（个百分点）", 0, 100, 10, 20),
        Parameter(
            "minimum_adjusted",
            "纳入监测的最低调整预算数（元）",
            Decimal(0),
            Decimal(10**12),
            Decimal(100_000),
        ),
    ),
    RuleKind.PPP_SHARE: _thresholds("PPP支出责任占一般公共预算支出超过（%）", 0, 100, 5, 10),
    RuleKind.DEBT_RATIO: _thresholds("债务率超过（%）", 0, 1000, 100, 120),
    RuleKind.NON_TAX_SHARE: _thresholds("非税收入占一般公共预算收入超过（%）", 0, 100, 30, 40),
    RuleKind.THREE_PUBLIC_GROWTH: _thresholds("“三公”经费同比增长超过（%）", -100, 1000, 0, 10),
    RuleKind.PROJECT_PAYMENT_LAG: _thresholds(
        "支付进度低于时间进度超过（个百分点）", 0, 100, 20, 40
    ),
}
"""Each kind's parameters. A rule holds every one of them; ``serious`` is never below
``warning``. Comparisons are strict: a figure exactly at a threshold does not trigger it."""

DEFAULT_RULES = (
    ("部门支出执行进度滞后", RuleKind.EXECUTION_LAG, LagScope.DEPARTMENT),
    ("重点项目支付进度滞后", RuleKind.PROJECT_PAYMENT_LAG, None),
    ("PPP项目支出责任占比", RuleKind.PPP_SHARE, None),
    ("政府债务率", RuleKind.DEBT_RATIO, None),
    ("非税收入占比", RuleKind.NON_TAX_SHARE, None),
    ("“三公”经费同比增长", RuleKind.THREE_PUBLIC_GROWTH, None),
)


def _decimal(name: str, raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"参数 {name} 应为数字，而不是“{raw}”",
                f'Parameter {name} should be a number, not "{raw}"',
            ),
            field=name,
        ) from None
    if not value.is_finite() or value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"参数 {name} 应为最多四位小数的数字",
                f"Parameter {name} should be a number with at most four decimals",
            ),
            field=name,
        )
    return value


def checked_parameters(kind: RuleKind, given: dict[str, str]) -> dict[str, str]:
    """Every parameter of ``kind``, each a number within its range; refused naming the
    first that is missing, unknown, not a number or out of range."""
    specs = {p.name: p for p in PARAMETERS[kind]}
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"{kind} 规则没有参数 {'、'.join(unknown)}；它的参数是 {'、'.join(specs)}",
                f"A {kind} rule has no parameter {', '.join(unknown)}; its parameters are "
                f"{', '.join(specs)}",
            ),
            field=unknown[0],
        )
    values = {}
    for name, spec in specs.items():
        if name not in given:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(f"缺少参数 {name}（{spec.label}）", f"Parameter {name} is missing"),
                field=name,
            )
        value = _decimal(name, given[name])
        if not spec.low <= value <= spec.high:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"参数 {name}（{spec.label}）应在 {spec.low} 到 {spec.high} 之间，现为 {value}",
                    f"Parameter {name} should be from {spec.low} to {spec.high}, not {value}",
                ),
                field=name,
            )
        values[name] = value
    if values["serious"] < values["warning"]:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"严重预警阈值（{values['serious']}）不能低于一般预警阈值（{values['warning']}）",
                f"The serious threshold ({values['serious']}) cannot be below the warning "
                f"threshold ({values['warning']})",
            ),
            field="serious",
        )
    return {name: str(value) for name, value in values.items()}


def _scope(kind: RuleKind, scope: LagScope | None) -> LagScope | None:
    if kind is RuleKind.EXECUTION_LAG and scope is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "执行进度规则须说明比较对象："
                "DEPARTMENT（部门）、LINE（指标）或 CLASSIFICATION（科目）",
                "An execution lag rule must say what it compares: DEPARTMENT, LINE or "
                "CLASSIFICATION",
            ),
            field="scope",
        )
    if kind is not RuleKind.EXECUTION_LAG and scope is not None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("只有执行进度滞后规则有适用范围", "Only an execution lag rule has a scope"),
            field="scope",
        )
    return scope


def _refuse_unless_admin(viewer: Viewer) -> None:
    if not viewer.has_role(Role.ADMIN):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say("只有管理员可以管理预警规则", "Only admins may manage warning rules"),
        )


async def _save(rule: WarningRule) -> WarningRule:
    try:
        await rule.save()
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(f"已有名为“{rule.name}”的规则", f'A rule named "{rule.name}" already exists'),
            field="name",
        ) from None
    return rule


async def create_rule(
    *, viewer: Viewer, name: str, kind: RuleKind, scope: LagScope | None,
    parameters: dict[str, str], enabled: bool = True,
) -> WarningRule:  # fmt: skip
    _refuse_unless_admin(viewer)
    rule = WarningRule(
        name=required_text(name, field="name", max_length=100, what=say("名称", "name")),
        kind=kind,
        scope=_scope(kind, scope),
        parameters=checked_parameters(kind, parameters),
        enabled=enabled,
        updated_by=viewer.name,
    )
    return await _save(rule)


async def update_rule(
    *, viewer: Viewer, rule_id: ObjectId | None, name: str | None,
    scope: LagScope | None, parameters: dict[str, str] | None, enabled: bool | None,
) -> WarningRule:  # fmt: skip
    """Change a rule; what is not given stays. Given parameters are merged into the
    rule's and the whole set checked again."""
    _refuse_unless_admin(viewer)
    rule = await WarningRule.get(rule_id) if rule_id else None
    if rule is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这条预警规则", "No such warning rule"), field="id"
        )
    if name is not None:
        rule.name = required_text(name, field="name", max_length=100, what=say("名称", "name"))
    if scope is not None:
        rule.scope = _scope(rule.kind, scope)
    if parameters is not None:
        rule.parameters = checked_parameters(rule.kind, {**rule.parameters, **parameters})
    if enabled is not None:
        rule.enabled = enabled
    rule.updated_at, rule.updated_by = utcnow(), viewer.name
    return await _save(rule)


async def ensure_default_rules() -> None:
    """A deployment without rules gets the usual ones, with their default parameters."""
    if await WarningRule.find_all().count():
        return
    for name, kind, scope in DEFAULT_RULES:
        parameters = {p.name: str(p.default) for p in PARAMETERS[kind]}
        rule = WarningRule(name=name, kind=kind, scope=scope, parameters=parameters)
        try:
            await rule.insert()
        except DuplicateKeyError:
            return  # another process is adding them at the same moment
