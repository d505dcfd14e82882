"""Statistics of the loop for staff, computed by MongoDB aggregation: counts per state and the
rates offices report (reply, on-time, satisfaction, closure), per session, unit, topic or
theme; and the hot topics of a session."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from bson import ObjectId

from api.access import Viewer, visible
from api.labels import LabeledEnum
from api.models.suggestions import AWAITING_REPLY, Satisfaction, Suggestion, SuggestionState
from api.services.suggestions import midnight


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


async def suggestion_stats(
    *,
    viewer: Viewer,
    grouping: StatsGrouping,
    session_ids: list[ObjectId],
    today: date,
) -> list[StatsRow]:
    """One row per group, the largest first. Drafts are not counted."""
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
    pipeline: list[dict[str, Any]] = [
        {"$match": _scope(viewer, session_ids)},
        {"$group": by_group_and_state},
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
    rows = await Suggestion.get_pymongo_collection().aggregate(pipeline)
    return [StatsRow(key=row.pop("_id"), **row) async for row in rows]


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
