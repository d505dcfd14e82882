"""Budget figures through the whole GraphQL stack (the overview and its drill-downs) against
the same aggregation pipelines run directly with PyMongo."""

from typing import Any

from api.access import Role, Viewer
from api.services.budget_figures import Scope, Year, department_access, figures_pipeline
from bench.common import Bench, Measured, timings
from seed.scale import YEAR

QUERIES = {
    "budgetOverview (by book)": ("{ budgetOverview(year: 2025) { books { book figures { "
                                 "adjusted executed executionRate gap } } } }", "book", Scope()),
    "budgetByDepartment": ("{ budgetByDepartment(year: 2025) { code figures { adjusted "
                           "executed executionRate } } }", "department", Scope()),
    "budgetByClassification (类)": ("{ budgetByClassification(year: 2025) { code figures { "
                                   "adjusted executed executionRate } } }", "class3", Scope()),
    "budgetByClassification (项 under 21401)": (
        '{ budgetByClassification(year: 2025, parent: "21401") { code figures { executed } } }',
        "class7", Scope(classification="21401"),
    ),
}  # fmt: skip


async def budget_figures(b: Bench) -> list[Measured]:
    lines = []
    access = await department_access(Viewer(role=Role.STAFF))
    runs = max(10, b.runs // 10)
    for name, (query, by, scope) in QUERIES.items():
        pipeline = figures_pipeline(await Year.of(YEAR), 12, by, scope, access)

        async def raw(_: int, pipeline: list[Any] = pipeline) -> object:
            return await (await b.resources.db.budget_lines.aggregate(pipeline)).to_list()

        async def ours(_: int, query: str = query) -> object:
            return await b.graphql(query)

        baseline = await timings(raw, runs, warmup=3)
        measured = await timings(ours, runs, warmup=3)
        lines.append(Measured(f"{name}", measured, baseline))
    return lines
