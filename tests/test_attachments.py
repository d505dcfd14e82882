"""Files filed with records: a deputy's materials, a unit's reply letter, a rectification
report. Uploaded as GraphQL multipart requests, kept in GridFS, checked by their bytes, and
downloaded exactly by those who may read the record."""

import io
import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from docx import Document as WordDocument
from starlette.applications import Starlette

from api.devservers.local import LocalServers
from api.settings import Settings
from tests.budget_world import budget_world
from tests.conftest import make_settings
from tests.factories import World, gql, suggestion_world
from tests.suggestion_calls import assigned, draft, ok, read
from tests.test_rectification import new_opinion

LIMIT = 64_000

ADD = """mutation($input: AddAttachmentInput!) { addAttachment(input: $input) {
  attachment { id name kind mediaType size sha256 url unit { name } }
  errors { field code message } } }"""
REMOVE = """mutation($input: RemoveAttachmentInput!) { removeAttachment(input: $input) {
  removedId errors { field code message } } }"""
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300


@pytest.fixture
def settings(servers: LocalServers) -> Settings:
    return make_settings(servers, attachment_max_bytes=LIMIT)


def word_file() -> bytes:
    document = WordDocument()
    document.add_paragraph("关于石门镇农村公路提档升级建议的答复")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient, token: str | None, record_id: str, name: str, content: bytes
) -> httpx.Response:
    operations = {"query": ADD, "variables": {"input": {"id": record_id, "file": None}}}
    return await client.post(
        "/graphql",
        data={"operations": json.dumps(operations),
              "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": (name, content, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )  # fmt: skip


async def attach(
    client: httpx.AsyncClient, token: str, record_id: str, name: str, content: bytes
) -> dict[str, Any]:
    """The payload of an upload that reached the mutation."""
    response = await upload(client, token, record_id, name, content)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["addAttachment"])


async def attached(
    client: httpx.AsyncClient, token: str, record_id: str, name: str, content: bytes
) -> dict[str, Any]:
    payload = await attach(client, token, record_id, name, content)
    assert payload["errors"] == [], payload
    return dict(payload["attachment"])


async def refusal(
    client: httpx.AsyncClient, token: str, record_id: str, name: str, content: bytes
) -> dict[str, Any]:
    payload = await attach(client, token, record_id, name, content)
    assert payload["attachment"] is None and len(payload["errors"]) == 1, payload
    return dict(payload["errors"][0])


async def get(client: httpx.AsyncClient, url: str, token: str | None) -> httpx.Response:
    return await client.get(url, headers={"Authorization": f"Bearer {token}"} if token else {})


async def stored_files(app: Starlette) -> int:
    db = app.state.resources.db
    return int(await db["attachments.files"].count_documents({}))


async def test_a_suggestions_files_reach_exactly_those_who_may_read_it(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    w: World = await suggestion_world(client)
    t = w.tokens
    own = await ok(client, "createSuggestion", draft(w, visibility="INTERNAL"), t["deputy"])
    sid = own["id"]

    # the deputy's materials, with a Chinese name, back byte for byte
    report = await attached(client, t["deputy"], sid, "石门镇通村公路调研报告.pdf", PDF)
    assert (report["name"], report["kind"], report["mediaType"], report["size"]) == (
        "石门镇通村公路调研报告.pdf", "PDF", "application/pdf", len(PDF),
    )  # fmt: skip
    assert report["unit"] is None and len(report["sha256"]) == 64
    got = await get(client, report["url"], t["deputy"])
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert quote("石门镇通村公路调研报告.pdf") in got.headers["content-disposition"]
    for stranger in (t["other_deputy"], t["other_unit"], None):
        hidden = await get(client, report["url"], stranger)
        assert hidden.status_code == 404 and hidden.json()["errors"][0]["extensions"][
            "code"] == "NOT_FOUND"  # fmt: skip
    assert (await get(client, report["url"], t["staff"])).content == PDF
    # someone who may not read the suggestion cannot attach to it either
    assert (await refusal(client, t["other_deputy"], sid, "a.pdf", PDF))["code"] == "NOT_FOUND"

    # assigned: the units attach their letters, each as its unit
    await ok(client, "submitSuggestion", {"id": sid}, t["deputy"])
    await ok(client, "registerSuggestion", {"id": sid}, t["staff"])
    await ok(client, "assignSuggestion", {"id": sid, "leadUnitId": w.ids["roads"],
                                          "coUnitIds": [w.ids["finance"]]}, t["staff"])  # fmt: skip
    letter = await attached(client, t["lead_unit"], sid, "答复函.docx", word_file())
    assert letter["kind"] == "DOCX" and letter["unit"] == {"name": "青岚县交通运输局"}
    photo = await attached(client, t["co_unit"], sid, "现场照片.png", PNG)
    assert photo["unit"] == {"name": "青岚县财政局"}
    assert (await get(client, letter["url"], t["deputy"])).status_code == 200
    assert (await get(client, letter["url"], t["cosigner"])).status_code == 200
    seen = await read(client, sid, t["lead_unit"])
    assert seen is not None
    assert {"name": "attach"} in seen["nextSteps"] and {"name": "detach"} in seen["nextSteps"]
    assert [e["note"] for e in seen["timeline"] if e["action"] == "attach"] == [
        "石门镇通村公路调研报告.pdf", "答复函.docx", "现场照片.png",
    ]  # fmt: skip

    # one removes what one attached; staff remove anything
    remove = {"id": sid, "attachmentId": report["id"]}
    body = await gql(client, REMOVE, {"input": remove}, token=t["lead_unit"])
    assert body["data"]["removeAttachment"]["errors"][0]["code"] == "FORBIDDEN"
    for token, attachment in ((t["lead_unit"], letter), (t["staff"], report)):
        removing = {"id": sid, "attachmentId": attachment["id"]}
        body = await gql(client, REMOVE, {"input": removing}, token=token)
        assert body["data"]["removeAttachment"] == {"removedId": attachment["id"], "errors": []}
        assert (await get(client, attachment["url"], t["staff"])).status_code == 404
    assert await stored_files(app) == 1  # the photo
    again = await gql(client, REMOVE, {"input": remove}, token=t["staff"])
    assert again["data"]["removeAttachment"]["errors"][0]["code"] == "NOT_FOUND"


async def test_a_file_is_judged_by_its_bytes_and_a_refused_one_leaves_nothing(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    w = await suggestion_world(client)
    t = w.tokens
    sid = (await assigned(client, w))["id"]
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 500
    fake_word = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(fake_word, "w") as z:
        z.writestr("payload.exe", b"MZ" + b"\x00" * 100)
    for name, content, words in (
        ("答复函.pdf", elf, "不是可接受的文件类型"),  # a renamed executable
        ("答复函.docx", fake_word.getvalue(), "不是可接受的文件类型"),  # a zip, not Word
        ("答复函.docx", PDF, "扩展名应为 .pdf"),
        ("空.pdf", b"", "空的"),
        ("大.pdf", PDF + b"0" * LIMIT, f"{LIMIT:,}"),
        ("", PDF, "文件名"),  # (a part without a file name is not a file)
    ):
        error = await refusal(client, t["lead_unit"], sid, name, content)
        assert (error["field"], error["code"]) == ("file", "INVALID_INPUT"), (name, error)
        assert words in error["message"], error
    # a body over the upload limit is refused before it is read
    over = await upload(client, t["lead_unit"], sid, "大.pdf", PDF + b"0" * 1_100_000)
    assert over.status_code == 413
    # ids of no record, of another kind of object, or malformed
    for bad in ("%%%", w.ids["roads"]):
        error = await refusal(client, t["staff"], bad, "a.pdf", PDF)
        assert (error["field"], error["code"]) == ("id", "INVALID_INPUT"), error
    assert await stored_files(app) == 0
    found = await read(client, sid, t["staff"])
    assert found is not None and found["state"] == "ASSIGNED"
    assert not [e for e in found["timeline"] if e["action"] == "attach"]
    # anonymous callers may not upload at all
    anonymous = (await upload(client, None, sid, "a.pdf", PDF)).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_closed_record_takes_no_more_files(client: httpx.AsyncClient) -> None:
    w = await suggestion_world(client)
    sid = (await ok(client, "createSuggestion", draft(w, submit=True), w.tokens["deputy"]))["id"]
    await ok(client, "withdrawSuggestion", {"id": sid}, w.tokens["deputy"])
    error = await refusal(client, w.tokens["deputy"], sid, "a.pdf", PDF)
    assert error["code"] == "CONFLICT" and "WITHDRAWN" in error["message"], error


async def test_units_file_their_rectification_reports(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    w = await suggestion_world(client)
    await budget_world()
    t = w.tokens
    opinion = await new_opinion(client, w)
    oid = opinion["id"]
    report = await attached(client, t["lead_unit"], oid, "整改情况报告.pdf", PDF)
    assert report["unit"] == {"name": "青岚县交通运输局"}
    assert (await get(client, report["url"], t["staff"])).content == PDF
    assert (await get(client, report["url"], t["other_unit"])).status_code == 404
    assert (await refusal(client, t["other_unit"], oid, "a.pdf", PDF))["code"] == "NOT_FOUND"
    assert (await refusal(client, t["deputy"], oid, "a.pdf", PDF))["code"] == "NOT_FOUND"
    steps = await gql(
        client, "query($id: ID!) { node(id: $id) { ... on Opinion { nextSteps { name mutation } "
        "attachments { name } } } }", {"id": oid}, token=t["lead_unit"],
    )  # fmt: skip
    node = steps["data"]["node"]
    assert {"name": "attach", "mutation": "addAttachment"} in node["nextSteps"]
    assert node["attachments"] == [{"name": "整改情况报告.pdf"}]
    assert await stored_files(app) == 1
