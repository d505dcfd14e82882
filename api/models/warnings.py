"""Budget warnings (预警): the rules (data with parameters, managed by admins) and the warnings
a rule run raises, one per rule, subject and period, or staff import from offline checks."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pymongo
from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from api.access import NOTHING, Role, Viewer
from api.labels import LabeledEnum
from api.models.rectification import Rectifiable, WarningState, loop_indexes
from api.models.users import utcnow


class RuleKind(LabeledEnum):
    """What a rule checks (DOMAIN.md "Warnings and bulletins")."""

    EXECUTION_LAG = "EXECUTION_LAG", "支出执行进度滞后"
    PPP_SHARE = "PPP_SHARE", "PPP支出责任占比过高"
    DEBT_RATIO = "DEBT_RATIO", "债务率过高"
    NON_TAX_SHARE = "NON_TAX_SHARE", "非税收入占比过高"
    THREE_PUBLIC_GROWTH = "THREE_PUBLIC_GROWTH", "“三公”经费增长"
    PROJECT_PAYMENT_LAG = "PROJECT_PAYMENT_LAG", "重点项目支付滞后"


class Severity(LabeledEnum):
    WARNING = "WARNING", "一般预警"
    SERIOUS = "SERIOUS", "严重预警"


class LagScope(LabeledEnum):
    """What an execution-lag rule compares: each department, each line, or each 类."""

    DEPARTMENT = "DEPARTMENT", "按部门"
    LINE = "LINE", "按预算指标"
    CLASSIFICATION = "CLASSIFICATION", "按功能分类（类）"


class WarningSource(LabeledEnum):
    RULE = "RULE", "规则预警"
    IMPORTED = "IMPORTED", "人工导入"


class WarningRule(Document):
    """A rule and its parameters (decimal strings, checked against ``RULE_PARAMETERS``)."""

    name: str
    kind: RuleKind
    scope: LagScope | None = None
    """For EXECUTION_LAG only."""
    parameters: dict[str, str]
    enabled: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = ""

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        """Staff and admins read the rules."""
        return {} if viewer.has_role(Role.STAFF, Role.ADMIN) else NOTHING

    class Settings:
        name = "warning_rules"
        indexes = [pymongo.IndexModel([("name", 1)], unique=True)]


class WarningFigure(BaseModel):
    """One figure behind a warning, as the rule read it."""

    name: str
    """e.g. ``rate``."""
    label: str
    """e.g. 执行率."""
    value: str
    """A decimal number, exact."""
    unit: str
    """``%``, ``个百分点`` or ``元``."""


class BudgetWarning(Rectifiable, Document):
    """A warning (预警) about one subject (a region, department, line, 类 or key project) in
    one period, with the figures that raised it and the loop of its rectification."""

    AWAITED = (WarningState.ISSUED, WarningState.RECTIFYING)

    source: WarningSource
    rule_id: PydanticObjectId | None = None
    kind: RuleKind | None = None
    """The rule's kind; None for an imported warning."""
    number: str = ""
    """An imported warning's own reference, unique."""
    year: int
    month: int
    subject_key: str
    """What it is about, e.g. ``DEPARTMENT:101``: with the rule and period, what makes a
    rule's warning unique."""
    subject: str
    """Its name as people read it, e.g. 青岚县教育局."""
    severity: Severity
    title: str
    message: str
    figures: list[WarningFigure] = Field(default_factory=list)
    triggered: bool = True
    """Whether the latest run of its rule over the period still found it."""
    evaluated_at: datetime | None = None
    state: WarningState = WarningState.OPEN

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"

    class Settings:
        name = "budget_warnings"
        indexes = loop_indexes(
            pymongo.IndexModel(
                [("rule_id", 1), ("subject_key", 1), ("year", 1), ("month", 1)],
                unique=True,
                partialFilterExpression={"source": "RULE"},
                name="one_per_rule_subject_period",
            ),
            pymongo.IndexModel(
                [("number", 1)],
                unique=True,
                partialFilterExpression={"source": "IMPORTED"},
                name="imported_number",
            ),
            pymongo.IndexModel([("year", 1), ("month", 1), ("severity", 1)]),
            pymongo.IndexModel([("kind", 1), ("year", 1), ("month", 1)]),
        )
