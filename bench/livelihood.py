"""The deputies' vote on livelihood projects at a large congress, against a baseline in the
same run:

    .venv/bin/python -m bench.livelihood [--deputies 500] [--projects 20]

``--deputies`` deputies present each cast a ballot choosing up to ten of ``--projects``
projects through GraphQL (``castLivelihoodBallot``, signed in as themselves), then staff
count the vote (``countLivelihoodVote``). jiandu adds a ballot to the counts as it is cast
and keeps no ballot; the baseline is the design that keeps ballots: the same ballots
inserted as documents, one per ballot, and counted by a MongoDB aggregation. The figures of
both counts are checked equal before the timings are written.

Starts its own servers (or uses ``MONGODB_URL`` / ``MEILI_URL``) in a database it drops at the
end. Writes ``bench/LIVELIHOOD_RESULTS.md``.
"""

import argparse
import asyncio
import random
import time
from typing import Any

from strawberry.relay import GlobalID

from api.access import Role, Viewer
from api.models.livelihood import LivelihoodVote, ProjectSource
from api.models.regulations import Level
from api.models.users import User
from api.services import livelihood, people
from api.services.livelihood import Proposal, Rules
from api.services.tokens import create_api_token
from api.settings import Settings
from bench.common import ROOT, Bench, bench_app, percentiles

OUT = ROOT / "bench" / "LIVELIHOOD_RESULTS.md"
STAFF = Viewer(role=Role.STAFF, name="基准")
CAST = """mutation($input: CastLivelihoodBallotInput!) {
  castLivelihoodBallot(input: $input) { vote { ballots } errors { code message } } }"""
COUNT = """mutation($input: CountLivelihoodVoteInput!) {
  countLivelihoodVote(input: $input) { vote { results { votes } } errors { code } } }"""


async def _post(b: Bench, query: str, values: dict[str, Any], token: str) -> float:
    started = time.perf_counter()
    response = await b.http.post("/graphql", json={"query": query, "variables": {
        "input": values}}, headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    elapsed = (time.perf_counter() - started) * 1000
    payload = next(iter(response.json()["data"].values()))
    assert payload["errors"] == [], payload
    return elapsed


async def run(deputies: int, projects: int) -> list[str]:
    rng = random.Random(19)
    async with bench_app(1) as (b, _):
        today = Settings.model_construct().today()
        session = await people.create_session(
            name="基准县人民代表大会第一次会议", term=1, meeting=1, opened_on=today, closed_on=today
        )
        unit = await people.create_unit(name="基准县住房和城乡建设局")
        made = [await livelihood.propose(Proposal(
            session_id=session.id, title=f"民生实事项目{n}", description="…", amount=100,
            unit_id=unit.id, source=ProjectSource.GOVERNMENT), STAFF) for n in range(projects)]  # type: ignore[arg-type]  # fmt: skip
        tokens = []
        roll = []
        for n in range(deputies):
            deputy = await people.create_deputy(
                name=f"代表{n}", delegation="城关镇代表团", level=Level.COUNTY,
                constituency="第一选区", term=1,
            )  # fmt: skip
            user = User(username=f"d{n}", display_name=deputy.name, role=Role.DEPUTY,
                        deputy_id=deputy.id)  # fmt: skip
            await user.insert()
            token, _ = await create_api_token(
                user=user, name="bench", expires_in_days=1, settings=Settings.model_construct()
            )
            tokens.append(token)
            roll.append(deputy.id)
        places = min(10, projects)
        vote = await livelihood.open_vote(
            session_id=session.id, project_ids=[p.id for p in made], present=roll,  # type: ignore[arg-type,misc]
            rules=Rules(places), viewer=STAFF,
        )  # fmt: skip
        ballots = [rng.sample(range(projects), rng.randint(0, places)) for _ in roll]
        ids = [str(GlobalID("LivelihoodProject", str(p.id))) for p in made]
        vote_id = str(GlobalID("LivelihoodVote", str(vote.id)))
        started = time.perf_counter()
        cast = []
        for chosen, token in zip(ballots, tokens, strict=True):
            given = {"voteId": vote_id, "projectIds": [ids[i] for i in chosen]}
            cast.append(await _post(b, CAST, given, token))
        casting = time.perf_counter() - started
        counted = await _post(b, COUNT, {"voteId": vote_id}, b.token)
        stored = await LivelihoodVote.get(vote.id)
        assert stored is not None

        # The baseline: every ballot kept as a document, counted by an aggregation.
        kept = b.resources.db["bench_ballots"]
        started = time.perf_counter()
        for chosen in ballots:
            await kept.insert_one({"vote": vote.id, "choices": [made[i].id for i in chosen]})
        keeping = time.perf_counter() - started
        started = time.perf_counter()
        rows = await (await kept.aggregate([
            {"$match": {"vote": vote.id}}, {"$unwind": "$choices"},
            {"$group": {"_id": "$choices", "votes": {"$sum": 1}}},
        ])).to_list()  # fmt: skip
        summed = (time.perf_counter() - started) * 1000
        assert {str(r["_id"]): r["votes"] for r in rows} == {
            k: v for k, v in stored.counts.items() if v}, "the same figures both ways"  # fmt: skip
        versions = await b.versions()
    per_ballot = percentiles(cast)
    return [
        "# The deputies' vote on livelihood projects",
        "",
        f"{deputies} deputies present, {projects} projects, up to {places} chosen per ballot; "
        f"{versions}.",
        "",
        "| what | jiandu | baseline (ballots kept as documents) |",
        "|---|---|---|",
        f"| casting every ballot, one after another | {casting:.2f} s ({deputies / casting:.0f} "
        f"ballots/s through GraphQL) | {keeping:.2f} s (inserting the ballots, no GraphQL) |",
        f"| counting the vote | {counted:.1f} ms (`countLivelihoodVote` through GraphQL) | "
        f"{summed:.1f} ms (aggregating the ballots, no GraphQL) |",
        "",
        "Each ballot through GraphQL, milliseconds:",
        "",
        "| benchmark | runs | p50 | p95 | p99 |",
        "|---|---|---|---|---|",
        f"| castLivelihoodBallot | {len(cast)} | {per_ballot['p50']:.2f} | "
        f"{per_ballot['p95']:.2f} | {per_ballot['p99']:.2f} |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deputies", type=int, default=500)
    parser.add_argument("--projects", type=int, default=20)
    args = parser.parse_args()
    text = asyncio.run(run(args.deputies, args.projects))
    OUT.write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
