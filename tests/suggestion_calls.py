"""GraphQL calls of the suggestion loop, as the tests make them."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
from bson import ObjectId
from strawberry.relay import GlobalID

from api.access import Role, Viewer
from api.models.regulations import Visibility
from api.models.suggestions import (
    ResultClass,
    Satisfaction,
    Suggestion,
    SuggestionKind,
    SuggestionState,
)
from api.services import suggestion_loop as loop
from api.services.suggestions import SuggestionDraft, create_suggestion
from api.settings import Settings
from schema.nodes import object_id
from tests.factories import World, gql

FIELDS = """
id number numberLabel state round rehandleCount deadline overdue daysLeft satisfaction
rejectionReason onTime followed title keySupervision theme
leadDeputy { name } cosigners { name } leadUnit { name } coUnits { name }
replies { unit { name } unitRole round text resultClass public onTime
          commitments { id text dueOn done } }
latestReply { text }
supervisionRecords { method note heldOn }
evaluations { round satisfaction }
timeline { action actionLabel fromState fromStateLabel toState toStateLabel actorName note at }
nextSteps { name }
mergedInto { id } merged { id }
"""

MUTATIONS = {
    "createSuggestion": "CreateSuggestionInput",
    "updateSuggestion": "UpdateSuggestionInput",
    "submitSuggestion": "SuggestionStepInput",
    "withdrawSuggestion": "SuggestionStepInput",
    "registerSuggestion": "RegisterSuggestionInput",
    "rejectSuggestion": "ReasonInput",
    "assignSuggestion": "AssignSuggestionInput",
    "returnSuggestion": "ReasonInput",
    "transferSuggestion": "TransferSuggestionInput",
    "acceptSuggestion": "SuggestionStepInput",
    "replyToSuggestion": "ReplyToSuggestionInput",
    "evaluateSuggestion": "EvaluateSuggestionInput",
    "rehandleSuggestion": "RehandleSuggestionInput",
    "closeSuggestion": "SuggestionStepInput",
    "reopenSuggestion": "ReopenSuggestionInput",
    "mergeSuggestions": "MergeSuggestionsInput",
    "splitSuggestion": "SplitSuggestionInput",
    "addSupervisionRecord": "AddSupervisionRecordInput",
    "completeCommitment": "CompleteCommitmentInput",
    "followSuggestion": "FollowSuggestionInput",
    "unfollowSuggestion": "FollowSuggestionInput",
}


def mutation(name: str) -> str:
    return f"""mutation($input: {MUTATIONS[name]}!) {{
      {name}(input: $input) {{ suggestion {{ {FIELDS} }} errors {{ field code message }} }}
    }}"""


async def call(
    client: httpx.AsyncClient, name: str, values: dict[str, Any], token: str
) -> dict[str, Any]:
    """A mutation's payload (``suggestion`` and ``errors``); GraphQL errors fail the test."""
    body = await gql(client, mutation(name), {"input": values}, token=token)
    assert "errors" not in body, body
    return dict(body["data"][name])


async def ok(
    client: httpx.AsyncClient, name: str, values: dict[str, Any], token: str
) -> dict[str, Any]:
    """The suggestion after a mutation that must succeed."""
    payload = await call(client, name, values, token)
    assert payload["errors"] == [], payload
    return dict(payload["suggestion"])


async def refused(
    client: httpx.AsyncClient, name: str, values: dict[str, Any], token: str
) -> dict[str, Any]:
    """The one error of a mutation that must be refused."""
    payload = await call(client, name, values, token)
    assert payload["suggestion"] is None and len(payload["errors"]) == 1, payload
    return dict(payload["errors"][0])


async def role_refused(
    client: httpx.AsyncClient, name: str, values: dict[str, Any], token: str | None
) -> str:
    """The code of a mutation refused to the caller's role before it ran."""
    body = await gql(client, mutation(name), {"input": values}, token=token)
    assert body["data"] is None, body
    (error,) = body["errors"]
    return str(error["extensions"]["code"])


async def read(client: httpx.AsyncClient, id: str, token: str | None) -> dict[str, Any] | None:
    body = await gql(
        client, f"query($id: ID!) {{ suggestion(id: $id) {{ {FIELDS} }} }}", {"id": id},
        token=token,
    )  # fmt: skip
    assert "errors" not in body, body
    return body["data"]["suggestion"]  # type: ignore[no-any-return]


def draft(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "sessionId": world.ids["session"],
        "kind": "SUGGESTION",
        "title": "关于加快石门镇农村公路提档升级的建议",
        "body": "石门镇至云岭村的通村公路路面窄、弯道多，雨季常有塌方，"
        "建议列入明年农村公路提档升级计划。",
        "category": "交通运输",
        "keywords": ["农村公路", "安全"],
        "cosignerIds": [world.ids["li"]],
        **fields,
    }


async def assigned(client: httpx.AsyncClient, world: World, **fields: Any) -> dict[str, Any]:
    """A suggestion filed by 王, registered and assigned to 交通运输局 with 财政局."""
    created = await ok(
        client, "createSuggestion", draft(world, submit=True, **fields), world.tokens["deputy"]
    )
    await ok(client, "registerSuggestion", {"id": created["id"]}, world.tokens["staff"])
    return await ok(
        client,
        "assignSuggestion",
        {
            "id": created["id"],
            "leadUnitId": world.ids["roads"],
            "coUnitIds": [world.ids["finance"]],
        },
        world.tokens["staff"],
    )


def document_id(global_id: str) -> ObjectId:
    found = object_id(GlobalID.from_id(global_id).node_id)
    assert found is not None
    return found


def viewers(world: World) -> dict[str, Viewer]:
    d = world.documents
    return {
        "deputy": Viewer(role=Role.DEPUTY, deputy_id=d["wang"].id, name="王立新"),
        "other_deputy": Viewer(role=Role.DEPUTY, deputy_id=d["zhang"].id, name="张国栋"),
        "staff": Viewer(role=Role.STAFF, name="李晓梅"),
        "lead_unit": Viewer(role=Role.HANDLER, unit_id=d["roads"].id, name="赵建国"),
    }


async def in_state(
    world: World,
    settings: Settings,
    state: SuggestionState,
    *,
    visibility: Visibility = Visibility.INTERNAL,
    by: str = "deputy",
    title: str = "关于农村公路养护的建议",
    satisfaction: Satisfaction = Satisfaction.UNSATISFIED,
) -> Suggestion:
    """A suggestion by 王 (co-signed by 李) or by 张, taken by the services to ``state``:
    assigned to 交通运输局 with 财政局, replied with one commitment, evaluated (by default
    unsatisfied)."""
    v = viewers(world)
    s = await create_suggestion(
        viewer=v[by],
        session_id=world.documents["session"].id,
        draft=SuggestionDraft(
            kind=SuggestionKind.SUGGESTION, title=title, body="路面破损严重，建议加强养护。",
            category="交通运输", visibility=visibility,
            cosigner_ids=[world.documents["li"].id] if by == "deputy" else [],
        ),
    )  # fmt: skip
    order = list(SuggestionState)
    steps: list[tuple[SuggestionState, Callable[[Suggestion], Awaitable[Suggestion]]]] = [
        (SuggestionState.SUBMITTED, lambda s: loop.submit(suggestion=s, viewer=v[by])),
        (SuggestionState.REGISTERED, lambda s: loop.register(suggestion=s, viewer=v["staff"])),
        (SuggestionState.ASSIGNED, lambda s: loop.assign(
            suggestion=s, viewer=v["staff"], settings=settings,
            assignment=loop.Assignment(lead_unit_id=world.documents["roads"].id,
                                       co_unit_ids=[world.documents["finance"].id]))),
        (SuggestionState.HANDLING, lambda s: loop.accept(suggestion=s, viewer=v["lead_unit"])),
        (SuggestionState.REPLIED, lambda s: loop.reply(
            suggestion=s, viewer=v["lead_unit"], settings=settings,
            draft=loop.ReplyDraft(text="已列入计划。", result_class=ResultClass.B, commitments=[
                ("年底前完成", settings.today() + timedelta(days=30))], public=False))),
        (SuggestionState.EVALUATED, lambda s: loop.evaluate(
            suggestion=s, viewer=v[by], satisfaction=satisfaction)),
    ]  # fmt: skip
    for target, take in steps:
        if order.index(target) > order.index(state):
            break
        s = await take(s)
    return s


def gid(kind: str, document: Any) -> str:
    return str(GlobalID(kind, str(document.id)))
