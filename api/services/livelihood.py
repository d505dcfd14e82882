"""The deputies' vote on livelihood projects (票决制): candidates recorded, the ballot set and
the vote opened by staff, one secret ballot per deputy present, the count by the vote's own
rules.

The count: a project is chosen when it has more votes than ``pass_percent`` of the ballots
cast, at most ``to_choose`` of them, the most votes first. Projects that pass with equal votes
across the last place are neither chosen nor rejected (TIED): the rules do not decide between
them. A vote for which no more than ``quorum_percent`` of the deputies present cast a ballot is
void: its projects are candidates again and the session may vote again.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from beanie import Document
from bson import ObjectId
from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError

from api.access import Role, Viewer, get_visible
from api.errors import DomainError, ErrorCode, required_text
from api.language import say
from api.models.livelihood import (
    LivelihoodProject,
    LivelihoodVote,
    ProjectSource,
    ProjectState,
    VoteState,
)
from api.models.people import CongressSession, Deputy, Unit
from api.models.users import utcnow
from api.services.people import existing
from api.transactions import transaction

AMOUNT_MAX = 10**14
"""分: a trillion 元, beyond any county's project."""
BALLOT_MAX = 100
"""Projects on one ballot."""


@dataclass(frozen=True)
class Proposal:
    session_id: ObjectId
    title: str
    description: str
    amount: int
    unit_id: ObjectId
    township: str = ""
    source: ProjectSource | None = None


async def propose(proposal: Proposal, viewer: Viewer) -> LivelihoodProject:
    """A new candidate. A deputy's is theirs (DEPUTY); staff record the government's and
    those gathered from the public."""
    if viewer.role is Role.DEPUTY:
        if proposal.source not in (None, ProjectSource.DEPUTY):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say(
                    "代表提出的项目，来源只能是“代表提出”（DEPUTY）",
                    "A project a deputy proposes can only have the source DEPUTY",
                ),
                field="source",
            )
        source = ProjectSource.DEPUTY
    elif proposal.source is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("请说明项目来源", "Give the project's source"),
            field="source",
        )
    else:
        source = proposal.source
    if not 0 <= proposal.amount <= AMOUNT_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "估算金额应在 0 到 1 万亿元之间",
                "The estimated amount must be between 0 and 1 trillion yuan",
            ),
            field="amount",
        )
    if await CongressSession.get(proposal.session_id) is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这个会次", "No such session"), field="sessionId"
        )
    if await Unit.get(proposal.unit_id) is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这个责任单位", "No such responsible unit"), field="unitId"
        )
    if await LivelihoodVote.find_one({"session_id": proposal.session_id, "current": True}):
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                "本次会议的票决已经开始，不能再增加候选项目",
                "The vote of this session has begun: no more candidates can be added",
            ),
            field="sessionId",
        )
    project = LivelihoodProject(
        session_id=proposal.session_id,  # type: ignore[arg-type]
        title=required_text(
            proposal.title, field="title", max_length=100, what=say("项目名称", "project title")
        ),
        description=required_text(
            proposal.description,
            field="description",
            max_length=2000,
            what=say("项目内容", "project description"),
        ),
        amount=proposal.amount,
        unit_id=proposal.unit_id,  # type: ignore[arg-type]
        township=_township(proposal.township),
        source=source,
        proposed_by=viewer.name,
    )
    await project.insert()
    return project


def _township(given: str) -> str:
    township = given.strip()
    if len(township) > 50:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("乡镇名称最多 50 个字", "The township may have at most 50 characters"),
            field="township",
        )
    return township


@dataclass(frozen=True)
class Rules:
    to_choose: int
    pass_percent: int = 50
    quorum_percent: int = 50


async def open_vote(
    *, session_id: ObjectId, project_ids: list[ObjectId], present: list[ObjectId], rules: Rules,
    viewer: Viewer,
) -> LivelihoodVote:  # fmt: skip
    """Put these candidates to the vote of the deputies present; the session's other
    candidates are set aside. One standing vote per session."""
    ballot = list(dict.fromkeys(project_ids))
    for field, given in (("projectIds", project_ids), ("presentDeputyIds", present)):
        if repeated := _repeated(given):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"{field} 中有重复的：第 {'、'.join(repeated)} 个",
                    f"{field} has repeats: number {', '.join(repeated)}",
                ),
                field=field,
            )
    if not 1 <= len(ballot) <= BALLOT_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"票决项目应为 1 到 {BALLOT_MAX} 个",
                f"The ballot must hold 1 to {BALLOT_MAX} projects",
            ),
            field="projectIds",
        )
    if not 1 <= rules.to_choose <= len(ballot):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"应选项目数应在 1 到票决项目数 {len(ballot)} 之间",
                f"The number of projects to choose must be between 1 and the {len(ballot)}"
                " projects on the ballot",
            ),
            field="toChoose",
        )
    percent_rule(rules.pass_percent, "passPercent")
    percent_rule(rules.quorum_percent, "quorumPercent")
    if not present:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("请列出出席的代表", "List the deputies present"),
            field="presentDeputyIds",
        )
    deputies = await existing(Deputy, present, field="presentDeputyIds", what=say("代表", "deputy"))
    candidates = await LivelihoodProject.find(
        {"_id": {"$in": ballot}, "session_id": session_id}
    ).to_list()
    found = {p.id: p for p in candidates}
    if missing := [str(n) for n, i in enumerate(ballot, start=1) if i not in found]:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"projectIds 的第 {'、'.join(missing)} 个不是本次会议的候选项目",
                f"projectIds number {', '.join(missing)}: not a candidate of this session",
            ),
            field="projectIds",
        )
    if taken := [p.title for p in candidates if p.state is not ProjectState.CANDIDATE]:
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                f"这些项目已不是候选项目：{'、'.join(taken)}",
                f"These projects are no longer candidates: {', '.join(taken)}",
            ),
            field="projectIds",
        )
    vote = LivelihoodVote(
        session_id=session_id,  # type: ignore[arg-type]
        project_ids=ballot,  # type: ignore[arg-type]
        to_choose=rules.to_choose,
        pass_percent=rules.pass_percent,
        quorum_percent=rules.quorum_percent,
        present=deputies,  # type: ignore[arg-type]
        opened_by=viewer.name,
    )
    projects = LivelihoodProject.get_pymongo_collection()
    try:
        async with transaction(LivelihoodVote) as session:
            await vote.insert(session=session)
            now = utcnow()
            await projects.update_many(
                {"_id": {"$in": ballot}},
                {"$set": {"state": str(ProjectState.ON_BALLOT), "updated_at": now}},
                session=session,
            )
            await projects.update_many(
                {"session_id": session_id, "state": str(ProjectState.CANDIDATE)},
                {"$set": {"state": str(ProjectState.SET_ASIDE), "updated_at": now}},
                session=session,
            )
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                "本次会议已有票决：计票无效后才能重新票决",
                "This session already has a vote: it can vote again only after that vote"
                " is counted void",
            ),
            field="sessionId",
        ) from None
    return vote


async def cast(*, vote_id: ObjectId, project_ids: list[ObjectId], viewer: Viewer) -> None:
    """One deputy's ballot, added to the counts as it is cast; an empty one is a ballot
    cast for no project (弃权)."""
    if viewer.role is not Role.DEPUTY or viewer.deputy_id is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say("只有出席会议的代表可以投票", "Only the deputies present at the session may vote"),
        )
    vote = await get_visible(
        LivelihoodVote, object_id=vote_id, viewer=viewer, what=say("票决", "vote"), field="voteId"
    )
    chosen = list(dict.fromkeys(project_ids))
    if len(chosen) != len(project_ids):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("同一个项目只能选一次", "A project can be chosen only once"),
            field="projectIds",
        )
    if len(chosen) > vote.to_choose:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"最多选 {vote.to_choose} 个项目，这张选票选了 {len(chosen)} 个",
                f"Choose at most {vote.to_choose} projects; this ballot chose {len(chosen)}",
            ),
            field="projectIds",
        )
    if strays := [str(n) for n, i in enumerate(chosen, start=1) if i not in vote.project_ids]:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"projectIds 的第 {'、'.join(strays)} 个不是本次票决的项目",
                f"projectIds number {', '.join(strays)}: not a project on this ballot",
            ),
            field="projectIds",
        )
    deputy = viewer.deputy_id
    increments = {"ballots": 1, **{f"counts.{project}": 1 for project in chosen}}
    match = {"_id": vote.id, "state": str(VoteState.OPEN), "present": deputy}
    if await counted_once(LivelihoodVote, match, "voted", deputy, increments):
        return
    now = await LivelihoodVote.get(vote.id)
    if now is None or now.state is not VoteState.OPEN:
        raise DomainError(
            ErrorCode.CONFLICT, say("投票已经结束", "The voting has ended"), field="voteId"
        )
    if deputy not in now.present:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                "你不在本次会议出席代表名单中",
                "You are not on the list of deputies present at this session",
            ),
            field="voteId",
        )
    raise DomainError(
        ErrorCode.CONFLICT,
        say("你已经投过票，每位代表只能投一次", "You have already voted; each deputy votes once"),
        field="voteId",
    )


def _repeated(given: list[ObjectId]) -> list[str]:
    """The places (from 1) of the ids given before, e.g. ``["2", "4"]``."""
    return [str(n) for n, i in enumerate(given, start=1) if i in given[: n - 1]]


def percent_rule(value: int, field: str) -> None:
    """A rule's percentage (pass, quorum), refused outside 0 to 99."""
    if not 0 <= value <= 99:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("比例应为 0 到 99（百分比）", "The percentage must be from 0 to 99"),
            field=field,
        )


async def counted_once(
    model: type[Document], match: dict[str, Any], who: str, deputy: ObjectId,
    increments: dict[str, int],
) -> bool:  # fmt: skip
    """Add a deputy's ballot or evaluation to the counts and the deputy to ``who`` (those who
    have given theirs), in one write that applies only when ``match`` holds and the deputy is
    not there yet: nothing records what the deputy said. False when it did not apply."""
    written = await model.get_pymongo_collection().update_one(
        {**match, who: {"$ne": deputy}}, {"$addToSet": {who: deputy}, "$inc": increments}
    )
    return written.modified_count == 1


async def count(*, vote_id: ObjectId, viewer: Viewer) -> LivelihoodVote:
    """Close the vote and count it by its rules, in one transaction: the vote and every
    project of its ballot get their results together."""
    vote = await get_visible(
        LivelihoodVote, object_id=vote_id, viewer=viewer, what=say("票决", "vote"), field="voteId"
    )
    votes = LivelihoodVote.get_pymongo_collection()
    projects = LivelihoodProject.get_pymongo_collection()
    async with transaction(LivelihoodVote) as session:
        closed = await votes.find_one_and_update(
            {"_id": vote.id, "state": str(VoteState.OPEN)},
            {"$set": {"state": str(VoteState.COUNTED), "counted_at": utcnow()}},
            session=session,
        )
        if closed is None:
            raise DomainError(
                ErrorCode.CONFLICT,
                say("这次票决已经计票", "This vote has already been counted"),
                field="voteId",
            )
        stood = closed["ballots"] * 100 > closed["quorum_percent"] * len(closed["present"])
        results = outcome(closed) if stood else {}
        if not stood:
            await votes.update_one(
                {"_id": vote.id},
                {"$set": {"state": str(VoteState.VOID)}, "$unset": {"current": ""}},
                session=session,
            )
        now = utcnow()
        results_of = [(p, *results.get(p, (ProjectState.CANDIDATE, None)))
                      for p in closed["project_ids"]]  # fmt: skip
        await projects.bulk_write(
            [UpdateOne({"_id": p}, {"$set": {"state": str(state), "votes": n, "updated_at": now}})
             for p, state, n in results_of],
            session=session,
        )  # fmt: skip
        if not stood:
            await projects.update_many(
                {"session_id": vote.session_id, "state": str(ProjectState.SET_ASIDE)},
                {"$set": {"state": str(ProjectState.CANDIDATE), "updated_at": now}},
                session=session,
            )
    counted = await LivelihoodVote.get(vote.id)
    assert counted is not None
    return counted


def outcome(vote: Mapping[str, Any]) -> dict[ObjectId, tuple[ProjectState, int]]:
    """Each project's state and votes by the vote's rules (see the module's description)."""
    received = {p: vote["counts"].get(str(p), 0) for p in vote["project_ids"]}
    passing = sorted(
        (p for p, n in received.items() if n * 100 > vote["pass_percent"] * vote["ballots"]),
        key=lambda p: -received[p],
    )
    places = vote["to_choose"]
    chosen = set(passing[:places])
    tied: set[ObjectId] = set()
    if len(passing) > places and received[passing[places - 1]] == received[passing[places]]:
        last = received[passing[places - 1]]
        tied = {p for p in passing if received[p] == last}
        chosen -= tied
    return {
        p: (ProjectState.CHOSEN if p in chosen else ProjectState.TIED if p in tied
            else ProjectState.NOT_CHOSEN, n)
        for p, n in received.items()
    }  # fmt: skip
