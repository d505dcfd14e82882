"""Statistics of the loop for staff, computed by MongoDB aggregation: counts per state and the
rates offices report (reply, on-time, satisfaction, closure), per session, unit, topic or
theme; and the hot topics of a session."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bson import ObjectId

from api.access import Viewer, visible
from api.labels import LabeledEnum
from api.models.suggestions import AWAITING_REPLY, Satisfaction, Suggestion, SuggestionState
from api.models.users import midnight
from api.services import suggestion_tallies as tallies
from api.services import summary_memo


class StatsGrouping(LabeledEnum):
    SESSION = "SESSION", "按会次"
    UNIT = "UNIT", "按主办单位"
    TOPIC = "TOPIC", "按主题分类"
    THEME = "THEME", "按督办主线"


KEYS = {
    StatsGrouping.SESSION: "$session_id",
    StatsGrouping.UNIT: "$lead_unit_id",
    StatsGrouping.TOPIC: "$category",
    StatsGrouping.THEME: "$theme",
}


@dataclass(frozen=True)
class StatsRow:
    key: Any
    """The session or unit id, the topic or the theme; None for "not assigned yet"."""
    total: int
    by_state: dict[str, int]
    assigned: int
    replied: int
    on_time: int
    evaluated: int
    satisfied: int
    closed: int
    overdue: int
    rehandles: int
    reply_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None
    closure_rate: float | None


def _present(field: str) -> dict[str, Any]:
    # Dates and strings sort after null in BSON, so this is false for null and missing.
    return {"$gt": [f"${field}", None]}


def _count(condition: dict[str, Any]) -> dict[str, Any]:
    return {"$sum": {"$cond": [condition, 1, 0]}}


def _rate(part: str, whole: str) -> dict[str, Any]:
    return {"$cond": [{"$gt": [f"${whole}", 0]}, {"$divide": [f"${part}", f"${whole}"]}, None]}


def _scope(viewer: Viewer, session_ids: list[ObjectId]) -> dict[str, Any]:
    # A merged suggestion is counted in the one it was merged into.
    not_filed = [SuggestionState.DRAFT, SuggestionState.WITHDRAWN, SuggestionState.MERGED]
    conditions: list[dict[str, Any]] = [{"state": {"$nin": not_filed}}]
    if session_ids:
        conditions.append({"session_id": {"$in": session_ids}})
    return visible(Suggestion, viewer, *conditions)


COUNTED = (
    "assigned",
    "replied",
    "on_time",
    "evaluated",
    "satisfied",
    "closed",
    "overdue",
    "rehandles",
)


SUMMED: list[dict[str, Any]] = [
    {
        "$group": {
            "_id": "$_id.key",
            "total": {"$sum": "$count"},
            "by_state": {"$push": {"k": "$_id.state", "v": "$count"}},
            **{name: {"$sum": f"${name}"} for name in COUNTED},
        }
    },
    {
        "$addFields": {
            "by_state": {"$arrayToObject": "$by_state"},
            "reply_rate": _rate("replied", "assigned"),
            "on_time_rate": _rate("on_time", "replied"),
            "satisfaction_rate": _rate("satisfied", "evaluated"),
            "closure_rate": _rate("closed", "assigned"),
        }
    },
    {"$sort": {"total": -1, "_id": 1}},
]
"""From counts per group and state to a row per group, the largest first."""


def _counted(viewer: Viewer, grouping: StatsGrouping, session_ids: list[ObjectId],
             today: date) -> list[dict[str, Any]]:  # fmt: skip
    """Counts per group and state, from every suggestion."""
    by_group_and_state = {
        "_id": {"key": KEYS[grouping], "state": "$state"},
        "count": {"$sum": 1},
        "assigned": _count(_present("assigned_at")),
        "replied": _count(_present("replied_at")),
        "on_time": _count({"$eq": ["$on_time", True]}),
        "evaluated": _count(_present("satisfaction")),
        "satisfied": _count(
            {
                "$in": [
                    "$satisfaction",
                    [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED],
                ]
            }
        ),
        "closed": _count({"$eq": ["$state", SuggestionState.CLOSED]}),
        "overdue": _count(
            {
                "$and": [
                    {"$in": ["$state", list(AWAITING_REPLY)]},
                    _present("deadline"),
                    {"$lt": ["$deadline", midnight(today)]},
                ]
            }
        ),
        "rehandles": {"$sum": "$rehandle_count"},
    }
    return [{"$match": _scope(viewer, session_ids)}, {"$group": by_group_and_state}]


def _from_tallies(grouping: StatsGrouping, session_ids: list[ObjectId],
                  today: date) -> list[dict[str, Any]]:  # fmt: skip
    """Counts per group and state, from the tallies (the overdue ones of months past)."""
    by_group_and_state = {
        "_id": {"key": "$key", "state": "$state"},
        "count": {"$sum": "$suggestions"},
        **{name: {"$sum": f"${name}"} for name in tallies.COUNTERS if name != "suggestions"},
        "closed": {
            "$sum": {"$cond": [{"$eq": ["$state", SuggestionState.CLOSED]}, "$suggestions", 0]}
        },
        "overdue": tallies.overdue_before(today),
    }
    return [
        {"$match": tallies.tally_match(grouping.value, session_ids)},
        {"$group": by_group_and_state},
        {"$match": {"count": {"$ne": 0}}},
    ]


async def suggestion_stats(
    *,
    viewer: Viewer,
    grouping: StatsGrouping,
    session_ids: list[ObjectId],
    today: date,
) -> list[StatsRow]:
    """One row per group, the largest first. Drafts are not counted. Read from the tallies
    when they hold every suggestion of the sessions and the viewer reads them all; else
    counted from the suggestions."""
    late: dict[Any, int] = {}
    if Suggestion.access(viewer) is None and await tallies.tallied(session_ids):
        pipeline = [*_from_tallies(grouping, session_ids, today), *SUMMED]
        rows = await summary_memo.rows(tallies.SuggestionTally.get_pymongo_collection(), pipeline)
        late = await tallies.overdue_this_month(grouping.value, session_ids, today)
    else:
        pipeline = [*_counted(viewer, grouping, session_ids, today), *SUMMED]
        rows = await (await Suggestion.get_pymongo_collection().aggregate(pipeline)).to_list()
    found = [StatsRow(key=row["_id"], **{k: v for k, v in row.items() if k != "_id"})
             for row in rows]  # fmt: skip
    return [replace(row, overdue=row.overdue + late.get(row.key, 0)) for row in found]


@dataclass(frozen=True)
class HotTopics:
    categories: list[tuple[str, int]]
    keywords: list[tuple[str, int]]


async def hot_topics(*, viewer: Viewer, session_ids: list[ObjectId], limit: int) -> HotTopics:
    """The most frequent topic categories and keywords (热点), most frequent first."""

    def ranked(field: str) -> list[dict[str, Any]]:
        return [
            {"$group": {"_id": f"${field}", "count": {"$sum": 1}}},
            {"$sort": {"count": -1, "_id": 1}},
            {"$limit": limit},
        ]

    pipeline = [
        {"$match": _scope(viewer, session_ids)},
        {
            "$facet": {
                "categories": ranked("category"),
                "keywords": [{"$unwind": "$keywords"}, *ranked("keywords")],
            }
        },
    ]
    cursor = await Suggestion.get_pymongo_collection().aggregate(pipeline)
    (found,) = await cursor.to_list()
    return HotTopics(
        categories=[(r["_id"], r["count"]) for r in found["categories"]],
        keywords=[(r["_id"], r["count"]) for r in found["keywords"]],
    )
