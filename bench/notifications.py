"""Notifications at scale, each against a baseline in the same run:

    .venv/bin/python -m bench.notifications [--suggestions 100000] [--followers 1000]

- **Reminders** (``jiandu remind``) over ``--suggestions`` open suggestions whose deadlines
  fall from a month ago to four months ahead, 300 units with two handlers each and ten staff:
  the first run (writing every reminder due) and a second (writing none), with the process's
  peak memory growth; the baseline streams the same records with the same filters and
  inserts as many plain documents into a scratch collection.
- **Fan-out**: staff assign a suggestion with ``--followers`` following deputies (each told,
  in the step's transaction, after the check of who may read it); the baseline is the same
  step on a suggestion nobody follows, plus inserting as many plain documents.

Starts its own servers (or uses ``MONGODB_URL`` / ``MEILI_URL``) in a database it drops at
the end. Writes ``bench/NOTIFICATIONS_RESULTS.md``.
"""

import argparse
import asyncio
import itertools
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as midnight
from typing import Any

from bson import ObjectId

from api.access import Role, Viewer
from api.app import create_app
from api.models.people import Level
from api.models.suggestions import Suggestion, SuggestionKind, SuggestionState
from api.models.users import User
from api.services import people, suggestion_loop
from api.services.notifications import remind
from bench.common import ROOT, PeakMemory, bench_settings, servers

OUT = ROOT / "bench" / "NOTIFICATIONS_RESULTS.md"
UNITS, HANDLERS, STAFF = 300, 2, 10
DAYS = [15, 3]


def _suggestion(n: int, session: Any, deputy: Any, units: list[Any], today: Any) -> dict[str, Any]:
    rng = random.Random(n)
    unit = rng.choice(units)
    due = datetime.combine(today + timedelta(days=rng.randint(-30, 120)), midnight())
    return {
        "session_id": session, "number": n, "kind": str(SuggestionKind.SUGGESTION),
        "title": f"关于第{n}号事项的建议", "body": "……", "lead_deputy_id": deputy,
        "category": "交通运输", "state": str(rng.choice([SuggestionState.ASSIGNED,
                                                        SuggestionState.HANDLING])),
        "lead_unit_id": unit, "unit_ids": [unit], "deadline": due, "revision": 1,
        "visibility": "INTERNAL", "follower_ids": [], "timeline": [],
    }  # fmt: skip


async def reminders(db: Any, count: int, today: Any) -> list[str]:
    session = await people.create_session(
        name="青岚县第十八届人民代表大会第三次会议", term=18, meeting=3, opened_on=today,
        closed_on=today,
    )  # fmt: skip
    deputy = await people.create_deputy(
        name="王立新", delegation="石门镇代表团", level=Level.COUNTY, constituency="第三选区",
        term=18,
    )  # fmt: skip
    units = [(await people.create_unit(name=f"青岚县第{u}局")).id for u in range(UNITS)]
    await User.insert_many(
        [User(username=f"h{u}-{h}", display_name="经办人", role=Role.HANDLER, unit_id=unit)
         for u, unit in enumerate(units) for h in range(HANDLERS)]
        + [User(username=f"staff{s}", display_name="工作人员", role=Role.STAFF)
           for s in range(STAFF)]
    )  # fmt: skip
    for start in range(0, count, 10_000):
        batch = [_suggestion(n, session.id, deputy.id, units, today)
                 for n in range(start + 1, min(count, start + 10_000) + 1)]  # fmt: skip
        await db.suggestions.insert_many(batch)

    with PeakMemory() as memory:
        started = time.perf_counter()
        first = await remind(today, DAYS)
        first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = await remind(today, DAYS)
    again_s = time.perf_counter() - started
    assert again.written == 0, again

    # Baseline: the same records by the same filters, and as many plain documents written.
    started = time.perf_counter()
    streamed = 0
    edges = [date.min, today, *(today + timedelta(days=d + 1) for d in sorted(DAYS))]
    for low, high in itertools.pairwise(edges):
        due = {"$gte": datetime.combine(low, midnight()), "$lt": datetime.combine(high, midnight())}
        query = {"state": {"$in": ["ASSIGNED", "HANDLING"]}, "deadline": due}
        async for _ in db.suggestions.find(query, {"title": 1, "unit_ids": 1, "deadline": 1}):
            streamed += 1
    scratch = db["bench_scratch"]
    for start in range(0, first.written, 1000):
        size = min(1000, first.written - start)
        await scratch.insert_many([{"recipient_id": ObjectId(), "key": f"k{start + i}",
                                    "message": "……"} for i in range(size)])  # fmt: skip
    baseline_s = time.perf_counter() - started
    assert streamed == first.records, (streamed, first.records)
    return [
        f"{count:,} open suggestions; {first.records:,} due within {max(DAYS)} days or overdue; "
        f"{first.written:,} notifications written by the first run.",
        "",
        "| | seconds | ratio | peak memory growth |",
        "|---|---|---|---|",
        f"| `remind`, first run | {first_s:.2f} | ×{first_s / baseline_s:.1f} | "
        f"{memory.growth_mb:.0f} MB |",
        f"| `remind` again (nothing new) | {again_s:.2f} | ×{again_s / baseline_s:.1f} | |",
        f"| baseline: same records streamed, as many plain inserts | {baseline_s:.2f} | ×1 | |",
        "",
    ]


async def fan_out(db: Any, followers: int, settings: Any) -> list[str]:
    session = await people.create_session(name="青岚县第十八届人民代表大会第四次会议", term=18,
                                          meeting=4, opened_on=datetime.now().date(),
                                          closed_on=datetime.now().date())  # fmt: skip
    deputies = await db.deputies.find({}, {"_id": 1}).to_list(None)
    lead = deputies[0]["_id"]
    users = [User(username=f"follower{n}", display_name="代表", role=Role.DEPUTY,
                  deputy_id=ObjectId()) for n in range(followers)]  # fmt: skip
    await User.insert_many(users)
    ids = [u.id for u in await User.find({"username": {"$regex": "^follower"}}).to_list()]
    unit = (await db.units.find_one({}))["_id"]
    staff = await User.find_one({"role": "STAFF"})
    assert staff is not None
    viewer = Viewer(role=Role.STAFF, user_id=staff.id, name="工作人员")

    async def assign(followed: list[Any], number: int) -> float:
        raw = {**_suggestion(number, session.id, lead, [unit], datetime.now().date()),
               "state": "REGISTERED", "follower_ids": followed, "unit_ids": [],
               "lead_unit_id": None, "deadline": None}  # fmt: skip
        inserted = await db.suggestions.insert_one(raw)
        found = await Suggestion.get(inserted.inserted_id)
        assert found is not None
        started = time.perf_counter()
        await suggestion_loop.assign(
            suggestion=found, viewer=viewer, settings=settings,
            assignment=suggestion_loop.Assignment(lead_unit_id=unit, co_unit_ids=[]),
        )  # fmt: skip
        return time.perf_counter() - started

    await assign([], 900_000)  # warm
    told = [await assign(ids, 900_001 + n) for n in range(3)]
    alone = [await assign([], 900_100 + n) for n in range(3)]
    scratch = db["bench_fanout"]
    started = time.perf_counter()
    await scratch.insert_many([{"recipient_id": i, "key": "k", "message": "……"} for i in ids])
    insert_s = time.perf_counter() - started
    best, base = min(told), min(alone) + insert_s
    return [
        f"Staff assign a suggestion {followers:,} deputies follow (each told), best of three:",
        "",
        "| | seconds | ratio |",
        "|---|---|---|",
        f"| assign with {followers:,} followers told | {best:.3f} | ×{best / base:.1f} |",
        f"| baseline: assign, nobody following ({min(alone):.3f} s), plus {followers:,} plain "
        f"inserts ({insert_s:.3f} s) | {base:.3f} | ×1 |",
        "",
    ]


async def run(count: int, followers: int) -> list[str]:
    with servers() as s:
        settings = bench_settings(s, search_sync_in_process=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            db = app.state.resources.db
            try:
                lines = ["## Reminders", "", *await reminders(db, count, settings.today())]
                lines += ["## Fan-out", "", *await fan_out(db, followers, settings)]
            finally:
                await app.state.resources.mongo.drop_database(settings.mongodb_database)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suggestions", type=int, default=100_000)
    parser.add_argument("--followers", type=int, default=1000)
    args = parser.parse_args()
    lines = asyncio.run(run(args.suggestions, args.followers))
    text = ["# Notification benchmark", "", f"Written by `python -m bench.notifications` on "
            f"{datetime.now():%Y-%m-%d %H:%M}; see the module's text for what is compared.", "",
            *lines]  # fmt: skip
    OUT.write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
