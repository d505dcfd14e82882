"""Budget dashboards through the whole GraphQL stack, which reads the roll-ups, against the
full aggregation of the rows (what every request did before roll-ups) run directly with
PyMongo in the same run; and, for each, a check that both give the very same figures."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from api.access import Role, Viewer, all_of, clauses_filter
from api.models.budget import BudgetYear
from api.services import budget_figures as budget
from api.services.budget_figures import ROWS, Scope, Year, aggregate, each_load
from bench.common import Bench, Measured, timings
from seed.scale import YEAR

STAFF, PUBLIC = Viewer(role=Role.STAFF), Viewer(role=Role.PUBLIC)
CLASSIFICATION = "21401"
EVERYTHING = Scope()


@dataclass(frozen=True)
class Dashboard:
    """A query as the frontend sends it, and the same question asked of the service (to
    compare the figures of roll-ups and rows) and of the rows directly (the baseline)."""

    query: str
    reader: Viewer
    service: Callable[[Viewer], Awaitable[Any]]
    rows: Callable[[Year, Viewer], Awaitable[list[dict[str, Any]]]]


def figures_of(by: str, scope: Scope = EVERYTHING) -> Callable[[Viewer], Awaitable[Any]]:
    return lambda viewer: budget.figures_by(viewer, year=YEAR, by=by, scope=scope)


def summed(by: str, scope: Scope = EVERYTHING) -> Callable[[Year, Viewer], Awaitable[Any]]:
    """The figures of ``by`` summed from every row in one aggregation."""

    async def run(current: Year, viewer: Viewer) -> list[dict[str, Any]]:
        access = await budget.department_access(viewer)
        pipeline = budget.figures_pipeline(current, current.month(None), by, scope, access)
        return await aggregate(*pipeline)

    return run


async def monthly_rows(current: Year, viewer: Viewer) -> list[dict[str, Any]]:
    """The year's total and each month's execution, summed from every row."""
    access = clauses_filter(await budget.department_access(viewer))
    total = await summed("total")(current, viewer)
    series = await aggregate(ROWS.execution, [
        *each_load(current.execution_by_load(None),
                   lambda rows: [{"$match": all_of(rows, Scope().match(), access)}]),
        {"$group": {"_id": "$month", "executed": {"$sum": "$executed"}}},
    ])  # fmt: skip
    return [*total, *series]


FIGURES = "adjusted executed executionRate"
DASHBOARDS = {
    "budgetOverview (by book)": Dashboard(
        "{ budgetOverview(year: 2025) { books { book figures { adjusted executed "
        "executionRate gap } } } }", STAFF, figures_of("book"), summed("book")),
    "budgetOverview, public": Dashboard(
        "{ budgetOverview(year: 2025) { books { book figures { adjusted executed } } } }",
        PUBLIC, figures_of("book"), summed("book")),
    "budgetByDepartment": Dashboard(
        f"{{ budgetByDepartment(year: 2025) {{ code figures {{ {FIGURES} }} }} }}",
        STAFF, figures_of("department"), summed("department")),
    "budgetByClassification (类)": Dashboard(
        f"{{ budgetByClassification(year: 2025) {{ code figures {{ {FIGURES} }} }} }}",
        STAFF, figures_of("class3"), summed("class3")),
    "budgetByClassification (类), public": Dashboard(
        f"{{ budgetByClassification(year: 2025) {{ code figures {{ {FIGURES} }} }} }}",
        PUBLIC, figures_of("class3"), summed("class3")),
    "budgetByClassification (项 under 21401)": Dashboard(
        f'{{ budgetByClassification(year: 2025, parent: "{CLASSIFICATION}") {{ code figures '
        "{ executed } } }", STAFF, figures_of("class7", Scope(classification=CLASSIFICATION)),
        summed("class7", Scope(classification=CLASSIFICATION))),
    "budgetRanking (10 lowest departments)": Dashboard(
        f"{{ budgetRanking(year: 2025) {{ departmentCode figures {{ {FIGURES} }} }} }}",
        STAFF, lambda viewer: budget.ranking(viewer, year=YEAR, month=None, by="department",
                                             scope=Scope(), lowest=True, limit=10),
        summed("department")),
    "budgetMonthly": Dashboard(
        "{ budgetMonthly(year: 2025) { total { adjusted } months { month executed } } }",
        STAFF, lambda viewer: budget.monthly(viewer, year=YEAR), monthly_rows),
}  # fmt: skip


async def _rolled_up(value: bool) -> None:
    await BudgetYear.find_one(BudgetYear.year == YEAR).update({"$set": {"rolled_up": value}})


async def same_figures(dashboard: Dashboard) -> bool:
    """Whether the service gives the same figures from the roll-ups as from the rows."""
    from_rollups = await dashboard.service(dashboard.reader)
    await _rolled_up(False)
    try:
        from_rows = await dashboard.service(dashboard.reader)
    finally:
        await _rolled_up(True)
    return bool(from_rollups == from_rows)


async def budget_figures(b: Bench, runs: int | None = None) -> list[Measured]:
    """Each dashboard's milliseconds (``runs`` times, a tenth of the bench's runs unless
    given); stops the benchmark if a dashboard's figures from the roll-ups differ from those
    of the rows."""
    lines = []
    current = await Year.of(YEAR)
    assert current.rolled_up, "the generated year keeps roll-ups"
    rows = Year(YEAR, await BudgetYear.find_one(BudgetYear.year == YEAR))
    rows.rolled_up = False
    runs = runs or max(10, b.runs // 10)
    for name, dashboard in DASHBOARDS.items():
        assert await same_figures(dashboard), f"{name}: roll-ups and rows disagree"
        signed_in = dashboard.reader.role is not Role.PUBLIC

        async def raw(_: int, dashboard: Dashboard = dashboard) -> object:
            return await dashboard.rows(rows, dashboard.reader)

        async def ours(_: int, query: str = dashboard.query, signed_in: bool = signed_in) -> object:
            return await b.graphql(query, signed_in=signed_in)

        baseline = await timings(raw, runs, warmup=3)
        measured = await timings(ours, runs, warmup=3)
        lines.append(Measured(name, measured, baseline))
    return lines
