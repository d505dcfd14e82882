"""Suggestion tallies: statistics and the supervision overview read from them say exactly
what counting every suggestion says, whatever the day; every step of the loop and every
ledger import keeps them; a step whose tally write fails changes nothing; the check command
names the first tally that differs and rebuild puts it right."""

from datetime import date, timedelta
from typing import Any

import pytest
from pymongo.errors import OperationFailure

from api.access import Role, Viewer
from api.devservers.local import LocalServers
from api.models.people import CongressSession, Unit
from api.models.suggestions import Suggestion, SuggestionTally
from api.models.suggestions import SuggestionState as S
from api.services import suggestion_loop as loop
from api.services import summary_memo
from api.services.suggestion_stats import StatsGrouping, suggestion_stats
from api.services.suggestion_tallies import check
from api.services.suggestions import edit_suggestion
from api.services.supervision import open_records
from api.settings import Settings
from seed.demo import load_demo
from tests.factories import jiandu

STAFF = Viewer(role=Role.STAFF, name="测试")


async def tallied(value: bool) -> None:
    await CongressSession.get_pymongo_collection().update_many({}, {"$set": {"tallied": value}})


async def answers(days: list[date]) -> dict[str, Any]:
    """Every statistic staff can ask for, on each of ``days``, and the overview's counts."""
    sessions = [s.id for s in await CongressSession.find_all().to_list()]
    found: dict[str, Any] = {}
    for today in days:
        for grouping in StatsGrouping:
            for chosen in ([], sessions[:1], sessions):
                rows = await suggestion_stats(
                    viewer=STAFF, grouping=grouping, session_ids=chosen, today=today
                )
                found[f"{today} {grouping} {len(chosen)}"] = rows
        found[f"{today} overview"] = await open_records(STAFF, today)
    return found


async def both_ways(days: list[date]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers read from the tallies, and counted from every suggestion."""
    from_tallies = await answers(days)
    await tallied(False)
    counted = await answers(days)
    await tallied(True)
    return from_tallies, counted


@pytest.mark.usefixtures("app")
async def test_tallies_answer_exactly_what_counting_every_suggestion_answers(
    settings: Settings,
) -> None:
    await load_demo(settings)
    assert await check() is None, "the demo county's loop kept its tallies"
    await answers([settings.today()])  # kept, until the steps below change the tallies
    # More steps on top of the demo's: a merge, a transfer, a correction of the theme.
    registered = await Suggestion.find(Suggestion.state == S.REGISTERED).to_list()
    merged = await loop.merge(
        suggestion=registered[0],
        duplicates=[s for s in registered[1:] if s.session_id == registered[0].session_id][:1],
        viewer=STAFF,
    )
    assigned = await Suggestion.find_one(Suggestion.state == S.ASSIGNED)
    assert assigned is not None
    other = await Unit.find_one({"_id": {"$ne": assigned.lead_unit_id}})
    assert other is not None
    await loop.transfer(
        suggestion=assigned, viewer=STAFF, settings=settings, reason="职责调整",
        assignment=loop.Assignment(lead_unit_id=other.id, co_unit_ids=[]),
    )  # fmt: skip
    await edit_suggestion(suggestion=merged, viewer=STAFF, changes={"theme": "乡村振兴"})
    assert await check() is None

    # Every day a deadline falls on, the day after, and the first of its month: the tallies
    # of a month partly past must be completed from the suggestions.
    deadlines = await Suggestion.get_pymongo_collection().distinct(
        "deadline", {"deadline": {"$ne": None}}
    )
    assert len(deadlines) > 3
    days = sorted({d.date() + timedelta(days=k) for d in deadlines for k in (0, 1)})
    days += [*sorted({d.replace(day=1) for d in days}), settings.today()]
    from_tallies, counted = await both_ways(days)
    assert from_tallies == counted
    overdue = [row.overdue for key, rows in counted.items() if "SESSION 0" in key for row in rows]
    assert any(overdue) and not all(overdue), "the days chosen see some overdue, not all"


@pytest.mark.usefixtures("app")
async def test_a_step_whose_tallies_cannot_be_written_changes_nothing(
    settings: Settings,
) -> None:
    await load_demo(settings)
    suggestion = await Suggestion.find_one(Suggestion.state == S.REGISTERED)
    assert suggestion is not None
    database = SuggestionTally.get_pymongo_collection().database
    await database.command(
        "collMod", "suggestion_tallies", validator={"$expr": {"$eq": [1, 0]}},
        validationLevel="strict", validationAction="error",
    )  # fmt: skip
    try:
        with pytest.raises(OperationFailure):
            await edit_suggestion(suggestion=suggestion, viewer=STAFF, changes={"theme": "新主线"})
    finally:
        await database.command("collMod", "suggestion_tallies", validator={})
    after = await Suggestion.get(suggestion.id)
    assert after is not None
    assert after.theme == suggestion.theme and after.revision == suggestion.revision
    assert await check() is None


@pytest.mark.usefixtures("app")
async def test_check_names_a_wrong_tally_and_rebuild_puts_it_right(
    settings: Settings, servers: LocalServers
) -> None:
    await load_demo(settings)
    database = settings.mongodb_database
    ok = jiandu(servers, database, "suggestions", "tallies", "check")
    assert ok.returncode == 0 and "统计汇总与建议逐件计数一致" in ok.stdout, ok.stderr

    session = await CongressSession.find_one({"name": {"$regex": "第三次会议"}})
    assert session is not None
    right = await answers([settings.today()])
    await SuggestionTally.find_one(
        {"grouping": "SESSION", "session_id": session.id, "state": "CLOSED"}
    ).update({"$inc": {"satisfied": 1}})
    await summary_memo.renew(SuggestionTally.get_pymongo_collection())  # spoilt as by a write
    assert await answers([settings.today()]) != right, "the answers read the tallies"
    difference = await check()
    assert difference is not None
    assert difference.startswith(f"「{session.name} · 会次：{session.name}」已办结的满意：汇总为 ")
    assert "按建议逐件计为" in difference
    bad = jiandu(servers, database, "suggestions", "tallies", "check")
    assert bad.returncode == 1 and difference in bad.stdout

    await SuggestionTally.find({"grouping": "UNIT"}).delete()
    await tallied(False)
    before = await answers([settings.today()])
    assert "尚未计入" in (await check() or ""), "a database from before tallies says so"
    rebuilt = jiandu(servers, database, "suggestions", "tallies", "rebuild")
    assert rebuilt.returncode == 0 and "重建统计汇总" in rebuilt.stdout, rebuilt.stderr
    assert await check() is None
    assert await CongressSession.find({"tallied": True}).count() == 2
    # What this process kept from the faulty tallies went with the other's rebuild.
    assert await answers([settings.today()]) == before == right


def test_kept_answers_stay_within_their_rows() -> None:
    """The least recently used answers go first once the rows kept pass the limit."""
    kept = summary_memo.Kept(limit=5)
    kept.put(b"a", [{}, {}])
    kept.put(b"b", [{}, {}])
    assert kept.get(b"a") == [{}, {}]  # now b is the least recently used
    kept.put(b"c", [{}, {}])
    assert kept.get(b"b") is None and kept.get(b"a") is not None and kept.get(b"c") is not None
    assert kept.rows == 4
    kept.put(b"big", [{}] * 6)
    assert kept.answers == {} and kept.rows == 0, "an answer over the limit is not kept"
