"""The deputies' vote on livelihood projects (票决制), as a session lives it: candidates
recorded by staff and deputies, the ballot put to the deputies present, secret ballots cast
once each, the count by the vote's own rules, the results public; a vote short of its quorum
is void and the session votes again. Every refusal says why and changes nothing."""

import re
from typing import Any

import httpx
from bson import ObjectId
from strawberry.relay import GlobalID

from api.access import Role
from api.leases import COLLECTION as LEASES
from api.models.livelihood import LivelihoodVote
from api.models.livelihood import ProjectState as P
from api.models.regulations import Level
from api.models.users import User
from api.services import people
from api.services.livelihood import outcome
from api.services.tokens import create_api_token
from api.settings import Settings
from search.sync import STATE_COLLECTION
from seed.demo import DEMO_PASSWORD, load_demo
from tests.factories import World, data, gql, login, suggestion_world

PROJECT = "id title state votes source proposedBy amount township unit { name }"
VOTE = "id state toChoose passPercent quorumPercent ballots present youVoted " \
       "projects { id title } results { project { title } votes state }"  # fmt: skip
PROPOSE = f"""mutation($input: ProposeLivelihoodProjectInput!) {{
  proposeLivelihoodProject(input: $input) {{
    project {{ {PROJECT} }} errors {{ field code message }}
  }}
}}"""
OPEN = f"""mutation($input: OpenLivelihoodVoteInput!) {{
  openLivelihoodVote(input: $input) {{ vote {{ {VOTE} }} errors {{ field code message }} }}
}}"""
CAST = f"""mutation($input: CastLivelihoodBallotInput!) {{
  castLivelihoodBallot(input: $input) {{ vote {{ {VOTE} }} errors {{ field code message }} }}
}}"""
COUNT = f"""mutation($input: CountLivelihoodVoteInput!) {{
  countLivelihoodVote(input: $input) {{ vote {{ {VOTE} }} errors {{ field code message }} }}
}}"""
PROJECTS = f"""query($session: ID!) {{
  livelihoodProjects(sessionId: $session) {{ edges {{ node {{ {PROJECT} }} }} }}
}}"""
THE_VOTE = f"query($session: ID!) {{ livelihoodVote(sessionId: $session) {{ {VOTE} }} }}"


async def payload(client: httpx.AsyncClient, query: str, values: dict[str, Any],
                  token: str | None) -> dict[str, Any]:  # fmt: skip
    body = await gql(client, query, {"input": values}, token=token)
    assert "errors" not in body, body
    (found,) = body["data"].values()
    return dict(found)


async def done(client: httpx.AsyncClient, query: str, values: dict[str, Any],
               token: str) -> dict[str, Any]:  # fmt: skip
    found = await payload(client, query, values, token)
    assert found["errors"] == [], found
    return found


async def refused(client: httpx.AsyncClient, query: str, values: dict[str, Any],
                  token: str | None) -> tuple[str, str, str]:  # fmt: skip
    """A refusal in the payload: (code, field, message)."""
    found = await payload(client, query, values, token)
    (error,) = found["errors"]
    return error["code"], error["field"], error["message"]


async def role_refused(client: httpx.AsyncClient, query: str, values: dict[str, Any],
                       token: str | None) -> str:  # fmt: skip
    body = await gql(client, query, {"input": values}, token=token)
    assert body["data"] is None, body
    return str(body["errors"][0]["extensions"]["code"])


async def more_deputies(world: World, *names: str) -> None:
    """Deputies with accounts, beside the world's three."""
    for name in names:
        deputy = await people.create_deputy(
            name=name, delegation="城关镇代表团", level=Level.COUNTY, constituency="第一选区",
            term=18,
        )  # fmt: skip
        user = User(username=name, display_name=name, role=Role.DEPUTY, deputy_id=deputy.id)
        await user.insert()
        world.tokens[name], _ = await create_api_token(
            user=user, name="test", expires_in_days=1, settings=Settings.model_construct()
        )
        world.ids[name] = str(GlobalID("Deputy", str(deputy.id)))


async def projects(client: httpx.AsyncClient, world: World, token: str | None) -> dict[str, Any]:
    body = await gql(client, PROJECTS, {"session": world.ids["session"]}, token=token)
    assert "errors" not in body, body
    return {e["node"]["title"]: e["node"] for e in body["data"]["livelihoodProjects"]["edges"]}


async def the_vote(client: httpx.AsyncClient, world: World, token: str | None) -> Any:
    body = await gql(client, THE_VOTE, {"session": world.ids["session"]}, token=token)
    assert "errors" not in body, body
    return body["data"]["livelihoodVote"]


async def counted_everywhere(client: httpx.AsyncClient) -> dict[str, int]:
    """How many documents each collection holds (but the background workers' own state,
    their leases and the search sync's progress, which they write when they like)."""
    database = LivelihoodVote.get_pymongo_collection().database
    return {name: await database[name].count_documents({})
            for name in await database.list_collection_names()
            if name not in (STATE_COLLECTION, LEASES)}  # fmt: skip


async def test_a_session_chooses_its_livelihood_projects_by_secret_vote(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    await more_deputies(world, "赵", "钱", "孙")
    staff, session = world.tokens["staff"], world.ids["session"]

    # 提: staff record the government's candidates and one gathered from the public; a
    # deputy proposes one of their own.
    titles = {"城乡供水一体化": "roads", "农村公路提档": "roads", "学校食堂改造": "schools",
              "老年助餐点": "schools"}  # fmt: skip
    for title, unit in titles.items():
        source = "PUBLIC" if title == "老年助餐点" else "GOVERNMENT"
        await done(client, PROPOSE, {"sessionId": session, "title": title, "description": "…",
                                     "amount": "1200000.00", "unitId": world.ids[unit],
                                     "source": source}, staff)  # fmt: skip
    mine = await done(client, PROPOSE, {"sessionId": session, "title": "村级儿童之家",
                                        "description": "每村一处", "amount": "300000.00",
                                        "unitId": world.ids["schools"], "township": "石门镇"},
                      world.tokens["deputy"])  # fmt: skip
    assert mine["project"]["source"] == "DEPUTY" and mine["project"]["state"] == "CANDIDATE"
    base = {"sessionId": session, "title": "x", "description": "y", "amount": "1.00",
            "unitId": world.ids["roads"]}  # fmt: skip
    assert (await refused(client, PROPOSE, {**base, "source": "GOVERNMENT"},
                          world.tokens["deputy"]))[:2] == ("FORBIDDEN", "source")  # fmt: skip
    assert (await refused(client, PROPOSE, base, staff))[:2] == ("INVALID_INPUT", "source")
    assert (await refused(client, PROPOSE, {**base, "source": "PUBLIC", "title": "长" * 101},
                          staff))[:2] == ("INVALID_INPUT", "title")  # fmt: skip
    assert (await refused(client, PROPOSE, {**base, "source": "PUBLIC", "township": "镇" * 51},
                          staff))[:2] == ("INVALID_INPUT", "township")  # fmt: skip
    assert (await refused(client, PROPOSE, {**base, "source": "PUBLIC",
                                            "amount": "10000000000000.00"},
                          staff))[:2] == ("INVALID_INPUT", "amount")  # fmt: skip
    negative = await gql(client, PROPOSE, {"input": {**base, "source": "PUBLIC",
                                                     "amount": "-1.00"}}, token=staff)  # fmt: skip
    assert "不能为负" in negative["errors"][0]["message"], negative
    for token in (None, world.tokens["lead_unit"], world.tokens["finance"]):
        assert await role_refused(client, PROPOSE, {**base, "source": "PUBLIC"}, token) in (
            "UNAUTHENTICATED", "FORBIDDEN")  # fmt: skip

    # Candidates are working papers: deputies and staff see them all, a unit its own, the
    # public none.
    assert len(await projects(client, world, world.tokens["other_deputy"])) == 5
    assert set(await projects(client, world, world.tokens["lead_unit"])) == {
        "城乡供水一体化", "农村公路提档"}  # fmt: skip
    assert await projects(client, world, None) == {}

    # 交: staff put four to the vote of the five deputies present (孙 is absent), two to
    # choose; the fifth candidate is set aside.
    found = await projects(client, world, staff)
    ballot = [
        found[t]["id"] for t in ("城乡供水一体化", "农村公路提档", "学校食堂改造", "村级儿童之家")
    ]
    present = [world.ids[k] for k in ("wang", "li", "zhang", "赵", "钱")]
    opening = {"sessionId": session, "projectIds": ballot, "toChoose": 2,
               "presentDeputyIds": present}  # fmt: skip
    assert (await refused(client, OPEN, {**opening, "toChoose": 5}, staff))[:2] == (
        "INVALID_INPUT", "toChoose")  # fmt: skip
    assert (await refused(client, OPEN, {**opening, "passPercent": 100}, staff))[:2] == (
        "INVALID_INPUT", "passPercent")  # fmt: skip
    assert await role_refused(client, OPEN, opening, world.tokens["deputy"]) == "FORBIDDEN"
    twice_given = (
        ("projectIds", [*ballot, ballot[0]]),
        ("presentDeputyIds", [*present, present[1]]),
    )
    for field, twice in twice_given:
        code, where, message = await refused(client, OPEN, {**opening, field: twice}, staff)
        assert (code, where) == ("INVALID_INPUT", field) and "重复" in message, message
    opened = (await done(client, OPEN, opening, staff))["vote"]
    assert opened["state"] == "OPEN" and opened["present"] == 5 and opened["results"] is None
    assert [p["title"] for p in opened["projects"]] == [
        "城乡供水一体化", "农村公路提档", "学校食堂改造", "村级儿童之家"]  # fmt: skip
    assert (await projects(client, world, staff))["老年助餐点"]["state"] == "SET_ASIDE"
    assert (await refused(client, OPEN, opening, staff))[0] in ("ALREADY_EXISTS", "CONFLICT")
    late = await refused(client, PROPOSE, {**base, "source": "PUBLIC"}, staff)
    assert late[:2] == ("CONFLICT", "sessionId") and "票决已经开始" in late[2]
    assert await the_vote(client, world, None) is None, "the public sees it once counted"
    assert await projects(client, world, None) == {}, "nor the ballot before the count"
    assert set(await projects(client, world, world.tokens["lead_unit"])) == {
        "城乡供水一体化", "农村公路提档"}, "a unit its own"  # fmt: skip

    # 办: each deputy present votes once, in secret; nothing stored says who chose what.
    vote = opened["id"]
    water, roads, canteen, _ = ballot
    before = await counted_everywhere(client)
    for deputy, chosen in (("deputy", [water, roads]), ("cosigner", [water, canteen]),
                           ("other_deputy", [water, roads]), ("赵", [])):  # fmt: skip
        cast = await done(client, CAST, {"voteId": vote, "projectIds": chosen},
                          world.tokens[deputy])  # fmt: skip
        assert cast["vote"]["youVoted"] is True and cast["vote"]["results"] is None
    assert await counted_everywhere(client) == before, "no ballot is written anywhere"
    stored = await LivelihoodVote.get_pymongo_collection().find_one({})
    assert stored is not None
    assert set(stored) == {"_id", "session_id", "project_ids", "to_choose", "pass_percent",
                           "quorum_percent", "present", "voted", "ballots", "counts", "state",
                           "current", "opened_by", "opened_at", "counted_at"}  # fmt: skip
    assert sorted(stored["counts"].values()) == [1, 2, 3] and stored["ballots"] == 4

    again = await refused(client, CAST, {"voteId": vote, "projectIds": [roads]},
                          world.tokens["deputy"])  # fmt: skip
    assert again[0] == "CONFLICT" and "只能投一次" in again[2]
    absent = await refused(client, CAST, {"voteId": vote, "projectIds": [roads]},
                           world.tokens["孙"])  # fmt: skip
    assert absent[0] == "FORBIDDEN" and "出席" in absent[2]
    for chosen, why in (([water, roads, canteen], "最多选 2 个"), ([water, water], "只能选一次"),
                        ([found["老年助餐点"]["id"]], "不是本次票决的项目")):  # fmt: skip
        code, field, message = await refused(
            client, CAST, {"voteId": vote, "projectIds": chosen}, world.tokens["钱"]
        )
        assert (code, field) == ("INVALID_INPUT", "projectIds") and why in message
    assert await role_refused(client, CAST, {"voteId": vote, "projectIds": []}, staff) == (
        "FORBIDDEN")  # fmt: skip
    during = await the_vote(client, world, staff)
    assert during["ballots"] == 4 and during["results"] is None and during["youVoted"] is False
    assert (await LivelihoodVote.get_pymongo_collection().find_one({}))["counts"] == stored[
        "counts"], "a refused ballot counts nothing"  # fmt: skip

    # 评: the count by the vote's rules. Four ballots of five present stand (more than half);
    # a project needs more than half of the ballots: only the water supply (3 of 4) passes,
    # roads with 2 of 4 does not, even with a place left.
    assert await role_refused(client, COUNT, {"voteId": vote}, world.tokens["deputy"]) == (
        "FORBIDDEN")  # fmt: skip
    result = (await done(client, COUNT, {"voteId": vote}, staff))["vote"]
    assert result["state"] == "COUNTED"
    assert [(r["project"]["title"], r["votes"], r["state"]) for r in result["results"]] == [
        ("城乡供水一体化", 3, "CHOSEN"), ("农村公路提档", 2, "NOT_CHOSEN"),
        ("学校食堂改造", 1, "NOT_CHOSEN"), ("村级儿童之家", 0, "NOT_CHOSEN"),
    ]  # fmt: skip
    assert (await refused(client, COUNT, {"voteId": vote}, staff))[0] == "CONFLICT"
    closed = await refused(client, CAST, {"voteId": vote, "projectIds": [water]},
                           world.tokens["钱"])  # fmt: skip
    assert closed[0] == "CONFLICT" and "投票已经结束" in closed[2]

    # The results are public: the vote, and the projects put to it with their votes.
    public = await the_vote(client, world, None)
    assert public["results"] == result["results"] and public["youVoted"] is False
    seen = await projects(client, world, None)
    assert set(seen) == {"城乡供水一体化", "农村公路提档", "学校食堂改造", "村级儿童之家"}
    assert seen["城乡供水一体化"]["votes"] == 3 and seen["城乡供水一体化"]["state"] == "CHOSEN"
    assert {p["proposedBy"] for p in seen.values()} == {None}, "nor who proposed it"


async def test_a_vote_short_of_its_quorum_is_void_and_the_session_votes_again(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    staff, session = world.tokens["staff"], world.ids["session"]
    ids = []
    for title in ("甲", "乙"):
        made = await done(client, PROPOSE, {"sessionId": session, "title": title,
                                            "description": "…", "amount": "1.00",
                                            "unitId": world.ids["roads"],
                                            "source": "GOVERNMENT"}, staff)  # fmt: skip
        ids.append(made["project"]["id"])
    opening = {"sessionId": session, "projectIds": ids, "toChoose": 1,
               "presentDeputyIds": [world.ids[k] for k in ("wang", "li", "zhang")]}  # fmt: skip
    vote = (await done(client, OPEN, opening, staff))["vote"]["id"]
    await done(client, CAST, {"voteId": vote, "projectIds": ids[:1]}, world.tokens["deputy"])
    void = (await done(client, COUNT, {"voteId": vote}, staff))["vote"]
    assert void["state"] == "VOID" and void["results"] is None, "one ballot of three present"
    assert {p["state"] for p in (await projects(client, world, staff)).values()} == {"CANDIDATE"}
    again = (await done(client, OPEN, {**opening, "quorumPercent": 0}, staff))["vote"]
    assert again["state"] == "OPEN" and again["ballots"] == 0
    assert (await the_vote(client, world, staff))["id"] == again["id"], "the standing one"


async def test_a_refused_candidate_is_told_why_in_the_language_asked_for(
    client: httpx.AsyncClient,
) -> None:
    world = await suggestion_world(client)
    values = {"sessionId": world.ids["session"], "title": "长" * 101, "description": "…",
              "amount": "1.00", "unitId": world.ids["roads"], "source": "PUBLIC"}  # fmt: skip
    said: dict[str | None, str] = {}
    for language in ("en", None):
        answer = await gql(client, PROPOSE, {"input": values}, token=world.tokens["staff"],
                           language=language)  # fmt: skip
        (error,) = answer["data"]["proposeLivelihoodProject"]["errors"]
        said[language] = error["message"]
    assert said["en"] == "The project title must be 1 to 100 characters long", said
    assert not re.search(r"[\u3400-\u9fff]", said["en"])
    assert said[None] == "项目名称应为 1 到 100 个字", said


async def test_the_demo_county_votes_on_its_livelihood_projects(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(settings)
    deputy = await login(client, "deputy", DEMO_PASSWORD)
    sessions = await data(client, "{ congressSessions { edges { node { id name } } } }", deputy)
    current, earlier = (e["node"]["id"] for e in sessions["congressSessions"]["edges"])
    found = await data(client, f"""query($current: ID!, $earlier: ID!) {{
      now: livelihoodVote(sessionId: $current) {{ {VOTE} }}
      before: livelihoodVote(sessionId: $earlier) {{ {VOTE} }}
      a: livelihoodProjects(sessionId: $current) {{ edges {{ node {{ state }} }} }}
      b: livelihoodProjects(sessionId: $earlier) {{ edges {{ node {{ state
        spending {{ total {{ executed }} }} }} }} }}
    }}""", deputy, current=current, earlier=earlier)  # fmt: skip
    before, now = found["before"], found["now"]
    assert before["state"] == "COUNTED" and before["ballots"] == 60, "the vote held again"
    assert {r["state"] for r in before["results"]} == {"CHOSEN", "NOT_CHOSEN", "TIED"}
    assert now["state"] == "OPEN" and now["youVoted"] is False and now["results"] is None
    states = {e["node"]["state"] for part in ("a", "b") for e in found[part]["edges"]}
    assert states == {
        "ON_BALLOT",
        "SET_ASIDE",
        "NOT_CHOSEN",
        "TIED",
        "UNDERWAY",
        "EVALUATING",
        "RECTIFYING",
        "PASSED",
    }, "the chosen ones carried out as far as their year"
    carried = [e["node"] for e in found["b"]["edges"] if e["node"]["state"] in (
        "UNDERWAY", "EVALUATING", "RECTIFYING", "PASSED")]  # fmt: skip
    assert all(p["spending"]["total"]["executed"] != "0.00" for p in carried), "linked to money"
    # The demo deputy, present, casts the ballot the demo leaves for them.
    chosen = [p["id"] for p in now["projects"][:3]]
    payload = await data(client, CAST, deputy, input={"voteId": now["id"], "projectIds": chosen})
    cast = payload["castLivelihoodBallot"]
    assert cast["errors"] == [] and cast["vote"]["youVoted"] and cast["vote"]["ballots"] == 41


def test_the_count_follows_the_rules_on_hand_made_ballots() -> None:
    """Ties across the last place are not decided; ties within the places are."""
    a, b, c, d = (ObjectId() for _ in range(4))

    def counted(counts: dict[ObjectId, int], ballots: int, to_choose: int,
                pass_percent: int = 50) -> dict[ObjectId, P]:  # fmt: skip
        vote = {
            "project_ids": [a, b, c, d],
            "ballots": ballots,
            "to_choose": to_choose,
            "counts": {str(k): v for k, v in counts.items()},
            "pass_percent": pass_percent,
        }
        return {project: state for project, (state, _) in outcome(vote).items()}

    assert counted({a: 9, b: 7, c: 7, d: 1}, 10, 2) == {a: P.CHOSEN, b: P.TIED, c: P.TIED,
                                                         d: P.NOT_CHOSEN}  # fmt: skip
    both = counted({a: 9, b: 9, c: 7, d: 1}, 10, 2)
    assert both == {a: P.CHOSEN, b: P.CHOSEN, c: P.NOT_CHOSEN, d: P.NOT_CHOSEN}
    assert counted({a: 6, b: 6, c: 6, d: 6}, 10, 3) == dict.fromkeys((a, b, c, d), P.TIED)
    # Exactly half is not more than half; a lower bar passes it.
    assert counted({a: 5, b: 4}, 10, 2)[a] is P.NOT_CHOSEN
    lower = counted({a: 5, b: 4}, 10, 2, pass_percent=40)
    assert lower == {a: P.CHOSEN, b: P.NOT_CHOSEN, c: P.NOT_CHOSEN, d: P.NOT_CHOSEN}
    assert counted({}, 0, 1) == dict.fromkeys((a, b, c, d), P.NOT_CHOSEN)
