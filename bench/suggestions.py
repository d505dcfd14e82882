"""A page of suggestions with everything a list shows (session, lead deputy, co-signers,
units, latest reply, timeline) and the spending behind each, through the whole GraphQL
stack, against one hand-written aggregation with ``$lookup`` that fetches the same data and
sums the same budget rows; and the statistics and the supervision overview, read from the
tallies, against counting every suggestion (``bench/tallies.py``).
"""

from typing import Any

from strawberry.relay import GlobalID

from api.models.budget import FileKind
from api.models.users import midnight
from api.services.budget_figures import Year
from bench.common import Bench, Measured, timings
from bench.tallies import suggestion_figures
from seed.scale import YEAR

PAGE_SIZE = 20
PAGE = f"""query($filter: SuggestionFilter, $sort: SuggestionSort) {{
  suggestions(first: {PAGE_SIZE}, filter: $filter, sort: $sort) {{ totalCount edges {{ node {{
    number title state deadline session {{ name }} leadDeputy {{ name }} cosigners {{ name }}
    leadUnit {{ name }} coUnits {{ name }} latestReply {{ text resultClass }}
    timeline {{ action at fromState toState }}
    spending(year: {YEAR}) {{ total {{ adjusted executed }} }}
}} }} }} }}"""


COVERED = {
    "$anyElementTrue": [{"$map": {"input": "$$links", "as": "l", "in": {"$and": [
        {"$ne": ["$$l.kind", "PROJECT"]},
        {"$or": [{"$eq": ["$$l.department", ""]}, {"$eq": ["$$l.department", "$department"]}]},
        {"$or": [{"$eq": ["$$l.classification", ""]},
                 {"$in": ["$$l.classification", "$class_path"]}]},
        {"$or": [{"$eq": ["$$l.book", None]}, {"$eq": ["$$l.book", "$book"]}]},
    ]}}}]
}  # fmt: skip
"""Whether a budget row is covered by any of the suggestion's links."""


def spending(lines: dict[str, Any], execution: dict[str, Any]) -> list[dict[str, Any]]:
    """A suggestion's budgeted and executed total by hand: the rows its links cover, found
    through the department or the classification code of each link (both indexed), each row
    counted once."""

    def rows(source: str, match: dict[str, Any], by: str, field: str) -> dict[str, Any]:
        local = {
            "department": "budget_links.department",
            "class_path": "budget_links.classification",
        }
        return {"$lookup": {
            "from": source, "localField": local[by], "foreignField": by, "as": f"{field}_{by}",
            "let": {"links": "$budget_links"},
            "pipeline": [{"$match": {**match, "direction": "EXPENDITURE"}},
                         {"$match": {"$expr": COVERED}}, {"$project": {field: 1}}],
        }}  # fmt: skip

    return [
        rows("budget_lines", lines, "department", "adjusted"),
        rows("budget_lines", lines, "class_path", "adjusted"),
        rows("budget_execution", execution, "department", "executed"),
        rows("budget_execution", execution, "class_path", "executed"),
        {"$set": {
            "adjusted": {"$setUnion": ["$adjusted_department", "$adjusted_class_path"]},
            "executed": {"$setUnion": ["$executed_department", "$executed_class_path"]},
        }},
        {"$set": {"adjusted": {"$sum": "$adjusted.adjusted"},
                  "executed": {"$sum": "$executed.executed"}}},
    ]  # fmt: skip


def lookups() -> list[dict[str, Any]]:
    """The joins the GraphQL page makes through its loaders, as ``$lookup`` stages."""

    def join(source: str, local: str, name: str) -> dict[str, Any]:
        return {
            "$lookup": {
                "from": source,
                "localField": local,
                "foreignField": "_id",
                "as": name,
                "pipeline": [{"$project": {"name": 1}}],
            }
        }

    return [
        join("congress_sessions", "session_id", "session"),
        join("deputies", "lead_deputy_id", "lead_deputy"),
        join("deputies", "cosigner_ids", "cosigners"),
        join("units", "lead_unit_id", "lead_unit"),
        join("units", "co_unit_ids", "co_units"),
        {
            "$project": {
                "number": 1, "title": 1, "state": 1, "deadline": 1, "timeline": 1,
                "session.name": 1, "lead_deputy.name": 1, "cosigners.name": 1,
                "lead_unit.name": 1, "co_units.name": 1,
                "latest_reply": {"$last": "$replies"}, "adjusted": 1, "executed": 1,
            }
        },
    ]  # fmt: skip


async def suggestion_page(b: Bench) -> list[Measured]:
    db = b.resources.db
    settings = b.resources.settings
    unit = (await db.units.find_one({}))["_id"]
    overdue = {"unit_ids": unit, "state": {"$in": ["ASSIGNED", "HANDLING"]},
               "deadline": {"$lt": midnight(settings.today())}}  # fmt: skip
    cases = [
        ("first page by number", {"sort": "NUMBER"}, {}, [("number", 1)]),
        ("one unit's overdue ones by deadline",
         {"sort": "DEADLINE", "filter": {"unitId": str(GlobalID("Unit", str(unit))),
                                         "overdue": True}},
         overdue, [("deadline", 1)]),
    ]  # fmt: skip
    year = await Year.of(YEAR)
    sums = spending(year.rows(FileKind.LINES), year.execution(year.month(None)))
    lines = []
    for name, variables, match, order in cases:
        sort = [*order, ("_id", 1)]
        pipeline = [{"$match": match}, {"$sort": dict(sort)}, {"$limit": PAGE_SIZE}]

        async def raw(
            _: int, pipeline: list[Any] = pipeline, match: dict[str, Any] = match
        ) -> object:
            cursor = await db.suggestions.aggregate(pipeline + sums + lookups())
            return await cursor.to_list(), await db.suggestions.count_documents(match)

        async def ours(_: int, variables: dict[str, Any] = variables) -> object:
            return await b.graphql(PAGE, variables)

        baseline = await timings(raw, b.runs, warmup=10)
        measured = await timings(ours, b.runs, warmup=10)
        lines.append(Measured(f"suggestions(first: {PAGE_SIZE}) with spending, {name}",
                         measured, baseline))  # fmt: skip

    lines += await suggestion_figures(b)
    return lines
