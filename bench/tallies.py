"""Suggestion statistics and the supervision overview through the whole GraphQL stack, which
reads the suggestion tallies (and the budget roll-ups), against the same service counting
every suggestion (and summing every budget row), what each request did before tallies, in
the same run; and, for each, a check that both give the very same figures."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from api.access import Role, Viewer
from api.models.budget import BudgetYear
from api.models.people import CongressSession
from api.services import supervision
from api.services.suggestion_stats import StatsGrouping, suggestion_stats
from bench.common import Bench, Measured, timings
from seed.scale import YEAR

STAFF = Viewer(role=Role.STAFF)


@dataclass(frozen=True)
class Dashboard:
    """A query as the frontend sends it, and the same question asked of the service."""

    query: str
    service: Callable[[Bench], Awaitable[Any]]


def stats(grouping: StatsGrouping) -> Dashboard:
    query = (
        f"{{ suggestionStats(groupBy: {grouping.value}) {{ key total replyRate onTimeRate "
        "satisfactionRate closureRate overdue counts { state count } } }"
    )

    async def service(b: Bench) -> Any:
        today = b.resources.settings.today()
        return await suggestion_stats(viewer=STAFF, grouping=grouping, session_ids=[], today=today)

    return Dashboard(query, service)


async def overview(b: Bench) -> Any:
    found = await supervision.overview(
        STAFF, today=b.resources.settings.today(), year=YEAR, month=None
    )
    return vars(found)


DASHBOARDS = {
    "suggestionStats (by lead unit)": stats(StatsGrouping.UNIT),
    "suggestionStats (by session)": stats(StatsGrouping.SESSION),
    "suggestionStats (by topic)": stats(StatsGrouping.TOPIC),
    "supervisionOverview": Dashboard(
        f"{{ supervisionOverview(year: {YEAR}) {{ totals {{ kind open overdue }} "
        "byUnit { unit { name } counts { kind open overdue } } "
        "books { book figures { adjusted executed } } "
        "worstDepartments { code figures { executionRate } } } }",
        overview,
    ),
}


async def summaries(kept: bool) -> None:
    """Whether the services read the tallies and roll-ups, or count every record."""
    await CongressSession.get_pymongo_collection().update_many({}, {"$set": {"tallied": kept}})
    await BudgetYear.find_one(BudgetYear.year == YEAR).update({"$set": {"rolled_up": kept}})


async def suggestion_figures(b: Bench, runs: int | None = None) -> list[Measured]:
    """Each dashboard's milliseconds through GraphQL, and its service's counting every
    record (``runs`` times, a tenth of the bench's runs unless given); stops the benchmark
    if the two give different figures."""
    runs = runs or max(10, b.runs // 10)
    lines = []
    for name, dashboard in DASHBOARDS.items():

        async def raw(_: int, dashboard: Dashboard = dashboard) -> object:
            return await dashboard.service(b)

        async def ours(_: int, query: str = dashboard.query) -> object:
            return await b.graphql(query)

        from_summaries = await dashboard.service(b)
        await summaries(False)
        try:
            assert await dashboard.service(b) == from_summaries, f"{name}: tallies disagree"
            baseline = await timings(raw, runs, warmup=3)
        finally:
            await summaries(True)
        measured = await timings(ours, runs, warmup=3)
        lines.append(Measured(name, measured, baseline))
    return lines
