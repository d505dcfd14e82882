"""The supervision overview a dashboard draws: what is open and overdue, unit by unit, for
suggestions, opinions, audit findings and warnings; and how spending keeps pace with the
year. One aggregation per kind of record, filtered by what the caller may read."""

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from beanie import Document

from api.access import Viewer, visible
from api.labels import LabeledEnum
from api.models.rectification import AuditFinding, Opinion, RectificationState, WarningState
from api.models.suggestions import AWAITING_REPLY, Suggestion, SuggestionState
from api.models.warnings import BudgetWarning
from api.services import suggestion_tallies as tallies
from api.services.budget_figures import Figures, Scope, figures_by, ranking


class RecordKind(LabeledEnum):
    SUGGESTION = "SUGGESTION", "代表建议"
    OPINION = "OPINION", "审议意见"
    AUDIT_FINDING = "AUDIT_FINDING", "审计查出问题"
    WARNING = "WARNING", "预警"


S = SuggestionState
STILL_OPEN = tuple(s for s in RectificationState if s is not RectificationState.CLOSED)
OPEN_STATES: dict[RecordKind, tuple[Any, ...]] = {
    RecordKind.SUGGESTION: (S.REGISTERED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.EVALUATED),
    RecordKind.OPINION: STILL_OPEN,
    RecordKind.AUDIT_FINDING: STILL_OPEN,
    RecordKind.WARNING: tuple(
        s for s in WarningState if s not in (WarningState.CLOSED, WarningState.DISMISSED)
    ),
}
"""Registered (or raised) and not yet closed."""
AWAITED: dict[RecordKind, tuple[Any, ...]] = {
    RecordKind.SUGGESTION: AWAITING_REPLY,
    RecordKind.OPINION: Opinion.AWAITED,
    RecordKind.AUDIT_FINDING: AuditFinding.AWAITED,
    RecordKind.WARNING: BudgetWarning.AWAITED,
}
"""States in which a deadline runs: past it, the record is overdue."""
MODELS: dict[RecordKind, type[Document]] = {
    RecordKind.SUGGESTION: Suggestion,
    RecordKind.OPINION: Opinion,
    RecordKind.AUDIT_FINDING: AuditFinding,
    RecordKind.WARNING: BudgetWarning,
}


@dataclass(frozen=True)
class Counts:
    open: int = 0
    overdue: int = 0


@dataclass
class Overview:
    today: date
    year: int
    month: int | None
    totals: dict[RecordKind, Counts]
    by_unit: dict[Any, dict[RecordKind, Counts]]
    """Unit id (None: not yet addressed to a unit) → counts per kind."""
    books: dict[Any, Figures] = field(default_factory=dict)
    worst_departments: list[tuple[Any, Figures]] = field(default_factory=list)


def _pipeline(kind: RecordKind, viewer: Viewer, today: date) -> list[dict[str, Any]]:
    midnight = datetime.combine(today, time())
    overdue = {"$cond": [{"$and": [
        {"$in": ["$state", [str(s) for s in AWAITED[kind]]]},
        {"$lt": ["$deadline", midnight]}, {"$ne": ["$deadline", None]},
    ]}, 1, 0]}  # fmt: skip
    counts = {"open": {"$sum": 1}, "overdue": {"$sum": overdue}}
    still_open = {"state": {"$in": [str(s) for s in OPEN_STATES[kind]]}}
    return [
        {"$match": visible(MODELS[kind], viewer, still_open)},
        {"$project": {"state": 1, "deadline": 1, "unit_ids": 1}},
        {"$facet": {
            "total": [{"$group": {"_id": None, **counts}}],
            "by_unit": [
                {"$unwind": {"path": "$unit_ids", "preserveNullAndEmptyArrays": True}},
                {"$group": {"_id": "$unit_ids", **counts}},
            ],
        }},
    ]  # fmt: skip


async def open_records(
    viewer: Viewer, today: date
) -> tuple[dict[RecordKind, Counts], dict[Any, dict[RecordKind, Counts]]]:
    """Open and overdue counts per kind, in total and per unit (a record addressed to two
    units counts for each). The kinds are counted at once, each in its own query."""
    totals: dict[RecordKind, Counts] = {}
    by_unit: dict[Any, dict[RecordKind, Counts]] = {}
    # Who reads every suggestion reads their tallies (the other kinds are hundreds).
    tallied = Suggestion.access(viewer) is None and await tallies.tallied([])
    work = {
        kind: _tallied(today) if tallied and kind is RecordKind.SUGGESTION
        else _count(kind, viewer, today)
        for kind in MODELS
    }  # fmt: skip
    for kind, (total, units) in zip(work, await asyncio.gather(*work.values()), strict=True):
        totals[kind] = total
        for unit, counts in units.items():
            by_unit.setdefault(unit, {})[kind] = counts
    return totals, by_unit


Found = tuple[Counts, dict[Any, Counts]]
"""A kind's open and overdue records in total, and per unit."""


async def _count(kind: RecordKind, viewer: Viewer, today: date) -> Found:
    found = await MODELS[kind].get_pymongo_collection().aggregate(_pipeline(kind, viewer, today))
    (facets,) = [row async for row in found]
    total = facets["total"][0] if facets["total"] else {"open": 0, "overdue": 0}
    units = {row["_id"]: Counts(row["open"], row["overdue"]) for row in facets["by_unit"]}
    return Counts(total["open"], total["overdue"]), units


async def _tallied(today: date) -> Found:
    """The suggestions' counts from their tallies."""
    states = OPEN_STATES[RecordKind.SUGGESTION]
    sessions, units = await asyncio.gather(
        tallies.open_and_overdue("SESSION", states, today),
        tallies.open_and_overdue("ADDRESSED", states, today),
    )
    total = Counts(sum(o for o, _ in sessions.values()), sum(d for _, d in sessions.values()))
    return total, {unit: Counts(*counts) for unit, counts in units.items()}


async def overview(viewer: Viewer, *, today: date, year: int, month: int | None) -> Overview:
    (totals, by_unit), (used, books), (_, worst) = await asyncio.gather(
        open_records(viewer, today),
        figures_by(viewer, year=year, month=month, by="book"),
        ranking(
            viewer, year=year, month=month, by="department", scope=Scope(), lowest=True, limit=10
        ),
    )
    return Overview(today, year, used, totals, by_unit, books, worst)
