"""GraphQL calls of the suggestion loop, as the tests make them."""

from typing import Any

import httpx
from bson import ObjectId
from strawberry.relay import GlobalID

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
timeline { action fromState toState actorName note }
nextSteps { name }
"""

MUTATIONS = {
    "createSuggestion": "CreateSuggestionInput",
    "updateSuggestion": "UpdateSuggestionInput",
    "submitSuggestion": "SuggestionStepInput",
    "registerSuggestion": "RegisterSuggestionInput",
    "rejectSuggestion": "ReasonInput",
    "assignSuggestion": "AssignSuggestionInput",
    "returnSuggestion": "ReasonInput",
    "acceptSuggestion": "SuggestionStepInput",
    "replyToSuggestion": "ReplyToSuggestionInput",
    "evaluateSuggestion": "EvaluateSuggestionInput",
    "rehandleSuggestion": "RehandleSuggestionInput",
    "closeSuggestion": "SuggestionStepInput",
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
