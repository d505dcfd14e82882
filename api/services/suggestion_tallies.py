"""Tallies of suggestions (``SuggestionTally``): what the statistics and the supervision
overview count instead of every suggestion.

A filed suggestion counts once in each grouping: in the tally of its group, session and
state, with what it adds to the figures (assigned, replied, on time …). One awaiting its
reply counts under the month of its deadline as well, so the overdue ones are the tallies of
months already past plus the suggestions of this month's tallies whose day has passed (read
through the index on state and deadline). Each step of the loop moves the suggestion from
the tallies it was in to those it is in now, in the step's transaction; a ledger import adds
its suggestions in the import's. ``check`` counts every suggestion again and names the first
tally that differs; ``rebuild`` writes them all again (for suggestions written by a jiandu
that did not keep them) and marks every session tallied.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from bson import ObjectId
from pymongo import UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession

from api.models.people import CongressSession, Unit
from api.models.suggestions import (
    AWAITING_REPLY,
    Satisfaction,
    Suggestion,
    SuggestionState,
    SuggestionTally,
)
from api.models.users import midnight
from api.services import summary_memo
from api.transactions import retried

GROUPED_BY = {
    "SESSION": "session_id",
    "UNIT": "lead_unit_id",
    "TOPIC": "category",
    "THEME": "theme",
    "ADDRESSED": "unit_ids",
}
"""Each grouping and the field of the suggestion it groups by (ADDRESSED: each unit)."""
NOT_FILED = (SuggestionState.DRAFT, SuggestionState.WITHDRAWN, SuggestionState.MERGED)
"""Not counted anywhere (a merged suggestion counts in the one it was merged into)."""
KEY = ("grouping", "key", "session_id", "state", "due_month")
COUNTERS = ("suggestions", "assigned", "replied", "on_time", "evaluated", "satisfied", "rehandles")
FIELDS = ("state", "session_id", "lead_unit_id", "category", "theme", "unit_ids",
          "assigned_at", "replied_at", "on_time", "satisfaction", "deadline",
          "rehandle_count")  # fmt: skip
"""What a suggestion's tallies depend on."""
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)

Key = tuple[Any, ...]


def month_of(day: date) -> datetime:
    """The first day of ``day``'s month, as MongoDB stores it."""
    return datetime(day.year, day.month, 1)


def _plain(value: Any) -> Any:
    """An id as MongoDB stores it, an enum as its value, a time without its zone (UTC)."""
    if isinstance(value, ObjectId):
        return ObjectId(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return str(value) if isinstance(value, SuggestionState | Satisfaction) else value


def tallies_of(suggestion: Any) -> dict[Key, Counter[str]]:
    """The tallies a suggestion (a model, or a document as stored) counts in, each with what
    it adds to them."""
    if isinstance(suggestion, Mapping):
        stored: Mapping[str, Any] = suggestion
    else:
        stored = {name: getattr(suggestion, name, None) for name in FIELDS}
    state = str(stored["state"])
    if state in NOT_FILED:
        return {}
    deadline = stored.get("deadline")
    due = month_of(deadline) if state in AWAITING_REPLY and deadline is not None else None
    adds = Counter(
        suggestions=1,
        assigned=int(stored.get("assigned_at") is not None),
        replied=int(stored.get("replied_at") is not None),
        on_time=int(stored.get("on_time") is True),
        evaluated=int(stored.get("satisfaction") is not None),
        satisfied=int(str(stored.get("satisfaction")) in SATISFIED),
        rehandles=stored.get("rehandle_count") or 0,
    )
    session = _plain(stored["session_id"])
    out: dict[Key, Counter[str]] = {}
    for grouping, field in GROUPED_BY.items():
        value = stored.get(field)
        keys = (value or [None]) if grouping == "ADDRESSED" else [value]
        for key in keys:
            tally = (grouping, _plain(key), session, state, due)
            out[tally] = out.get(tally, Counter()) + adds
    return out


def _moves(before: Iterable[Any], after: Iterable[Any]) -> dict[Key, Counter[str]]:
    """What changes in each tally when ``before`` become ``after``."""
    net: dict[Key, Counter[str]] = {}
    for sign, suggestions in ((-1, before), (1, after)):
        for suggestion in suggestions:
            for key, adds in tallies_of(suggestion).items():
                moved = net.setdefault(key, Counter())
                for name, value in adds.items():
                    moved[name] += sign * value
    return {key: moved for key, moved in net.items() if any(moved.values())}


async def _apply(moves: dict[Key, Counter[str]], session: AsyncClientSession) -> None:
    if not moves:
        return
    writes = [
        UpdateOne(dict(zip(KEY, key, strict=True)), {"$inc": dict(moved)}, upsert=True)
        for key, moved in moves.items()
    ]
    stored = SuggestionTally.get_pymongo_collection()
    await stored.bulk_write(writes, session=session)
    await summary_memo.renew(stored, session)


async def move(before: Any, written: Mapping[str, Any], session: AsyncClientSession) -> None:
    """A suggestion changed from ``before`` to ``written``: its tallies follow, in the
    change's transaction (``Machine.keeps``)."""
    await _apply(_moves([before], [written]), session)


async def add(suggestions: Iterable[Any], session: AsyncClientSession) -> None:
    """New suggestions (a ledger import) counted, in the import's transaction."""
    await _apply(_moves([], suggestions), session)


async def _counted(session: AsyncClientSession | None = None) -> dict[Key, Counter[str]]:
    """Every suggestion counted again."""
    found = Suggestion.get_pymongo_collection().find(
        {"state": {"$nin": [str(s) for s in NOT_FILED]}}, dict.fromkeys(FIELDS, 1),
        session=session,
    )  # fmt: skip
    return _moves([], [stored async for stored in found])


async def rebuild() -> int:
    """Count every suggestion again, replace every tally in one transaction (a step taken
    meanwhile conflicts with it, and it is tried again), and mark every session tallied.
    Returns how many tallies there are."""
    collection = SuggestionTally.get_pymongo_collection()

    async def replace(session: AsyncClientSession) -> int:
        counted = await _counted(session)
        await collection.delete_many({}, session=session)
        if counted:
            await collection.insert_many(
                [{**dict(zip(KEY, key, strict=True)), **{name: adds[name] for name in COUNTERS}}
                 for key, adds in counted.items()],
                session=session,
            )  # fmt: skip
        await CongressSession.get_pymongo_collection().update_many(
            {}, {"$set": {"tallied": True}}, session=session
        )
        await summary_memo.renew(collection, session)
        return len(counted)

    return await retried(SuggestionTally, replace)


GROUP_NAMES = {"SESSION": "会次", "UNIT": "主办单位", "TOPIC": "主题分类", "THEME": "督办主线",
               "ADDRESSED": "交办单位"}  # fmt: skip


def _described(key: Key, names: Mapping[Any, str]) -> str:
    """A tally as people name it, e.g. 「…第三次会议 · 主办单位：青岚县交通运输局」已交办，
    期限在 2027 年 02 月."""
    grouping, group, session, state, due = key
    shown = names.get(group, "（无）" if group in (None, "") else str(group))
    month = f"，期限在 {due:%Y 年 %m 月}" if due is not None else ""
    label = SuggestionState[state].label
    return f"「{names.get(session, session)} · {GROUP_NAMES[grouping]}：{shown}」{label}{month}"


NAMES = {"suggestions": "件数", "assigned": "已交办", "replied": "已答复", "on_time": "按期答复",
         "evaluated": "已评价", "satisfied": "满意", "rehandles": "重新办理次数"}  # fmt: skip


async def check() -> str | None:
    """The first tally that differs from counting every suggestion again, in words; None
    when all agree."""
    if await CongressSession.find({"tallied": {"$ne": True}}).count():
        return "有会次的建议尚未计入统计汇总：运行 jiandu suggestions tallies rebuild"
    counted = await _counted()
    stored: dict[Key, Counter[str]] = {}
    async for tally in SuggestionTally.get_pymongo_collection().find({}):
        key = tuple(_plain(tally.get(name)) for name in KEY)
        kept = Counter({name: tally.get(name, 0) for name in COUNTERS})
        if any(kept.values()):
            stored[key] = kept
    for key in sorted(set(counted) | set(stored), key=repr):
        want, have = counted.get(key, Counter()), stored.get(key, Counter())
        for name in COUNTERS:
            if want[name] != have[name]:
                names = {s.id: s.name async for s in CongressSession.find_all()}
                names |= {u.id: u.name async for u in Unit.find_all()}
                return (
                    f"{_described(key, names)}的{NAMES[name]}：汇总为 {have[name]}，"
                    f"按建议逐件计为 {want[name]}"
                )
    return None


async def tallied(session_ids: list[ObjectId]) -> bool:
    """Whether the tallies hold every suggestion of these sessions (all when empty)."""
    scope = {"_id": {"$in": session_ids}} if session_ids else {}
    return not await CongressSession.find({**scope, "tallied": {"$ne": True}}).count()


async def overdue_this_month(
    grouping: str, session_ids: list[ObjectId], today: date
) -> dict[Any, int]:
    """Per group, the suggestions awaiting their reply whose deadline fell this month before
    ``today``: the overdue ones the tallies of this month cannot tell from the others."""
    field = GROUPED_BY[grouping]
    match: dict[str, Any] = {
        "state": {"$in": [str(s) for s in AWAITING_REPLY]},
        "deadline": {"$gte": month_of(today), "$lt": midnight(today)},
    }
    if session_ids:
        match["session_id"] = {"$in": session_ids}
    unwound = [{"$unwind": {"path": f"${field}", "preserveNullAndEmptyArrays": True}}]
    pipeline = [
        {"$match": match},
        *(unwound if grouping == "ADDRESSED" else []),
        {"$group": {"_id": f"${field}", "count": {"$sum": 1}}},
    ]
    found = await Suggestion.get_pymongo_collection().aggregate(pipeline)
    return {row["_id"]: row["count"] async for row in found}


def tally_match(grouping: str, session_ids: list[ObjectId], **more: Any) -> dict[str, Any]:
    match: dict[str, Any] = {"grouping": grouping, **more}
    if session_ids:
        match["session_id"] = {"$in": session_ids}
    return match


def overdue_before(today: date) -> dict[str, Any]:
    """A tally's suggestions overdue for certain: their deadline's month is over."""
    return {"$sum": {"$cond": [
        {"$and": [{"$ne": ["$due_month", None]}, {"$lt": ["$due_month", month_of(today)]}]},
        "$suggestions", 0,
    ]}}  # fmt: skip


async def open_and_overdue(
    grouping: str, open_states: Iterable[Any], today: date
) -> dict[Any, tuple[int, int]]:
    """Per group, the suggestions in ``open_states`` and how many of them are overdue."""
    pipeline = [
        {"$match": tally_match(grouping, [], state={"$in": [str(s) for s in open_states]})},
        {
            "$group": {
                "_id": "$key",
                "open": {"$sum": "$suggestions"},
                "overdue": overdue_before(today),
            }
        },
        {"$match": {"open": {"$ne": 0}}},
    ]
    found = await summary_memo.rows(SuggestionTally.get_pymongo_collection(), pipeline)
    late = await overdue_this_month(grouping, [], today)
    return {row["_id"]: (row["open"], row["overdue"] + late.get(row["_id"], 0)) for row in found}
