"""Reading a document (articles, table of contents, versions in force), staff curating the
library, and a deputy's own excerpts and favorite folders."""

import re
from typing import Any

import httpx

from api.access import Role
from tests.factories import gql, signed_in

FIELDS = "id title status promulgatedOn ineffectiveOn visibility"
CREATE = f"""
mutation($input: CreateRegulationInput!) {{
  createRegulation(input: $input) {{ regulation {{ {FIELDS} }} errors {{ field code message }} }}
}}"""
UPDATE = f"""
mutation($input: UpdateRegulationInput!) {{
  updateRegulation(input: $input) {{ regulation {{ {FIELDS} }} errors {{ field code message }} }}
}}"""
STATUS = f"""
mutation($input: SetRegulationStatusInput!) {{
  setRegulationStatus(input: $input) {{ regulation {{ {FIELDS} }} errors {{ field code }} }}
}}"""
DELETE = """
mutation($input: DeleteRegulationInput!) {
  deleteRegulation(input: $input) { deletedId errors { field code } }
}"""
READ = """
query($id: ID!, $after: String, $on: Date!) {
  regulation(id: $id) {
    title preamble
    tableOfContents { kind label title firstArticle }
    articles(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { number label text heading } }
    }
    article(number: 3) { label text }
    versions { promulgatedOn status }
    versionInForce(on: $on) { promulgatedOn }
    myExcerpts { articleNumber quote note }
  }
}"""
TEXT = """（2015年3月2日通过）
第一章 总则
第一条 为了规范专项资金，制定本办法。
第二条 本办法适用于县级专项资金。
第二章 管理
第三条 专项资金实行项目库管理。
"""


def payload(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    return dict(body["data"][name])


async def create(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    values = {"title": "青岚县专项资金管理办法", "kind": "NORMATIVE_DOCUMENT", "level": "COUNTY",
              "text": TEXT, **fields}  # fmt: skip
    result = payload(await gql(client, CREATE, {"input": values}, token=token), "createRegulation")
    assert result["errors"] == [], result
    return dict(result["regulation"])


async def test_a_document_read_article_by_article_with_its_versions(
    client: httpx.AsyncClient,
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    old = await create(client, staff, promulgatedOn="2015-03-02")
    new = await create(client, staff, promulgatedOn="2021-06-30", effectiveOn="2021-07-01",
                       versionOf=old["id"], text=TEXT.replace("项目库", "全过程绩效"))  # fmt: skip

    read = payload(await gql(client, READ, {"id": new["id"], "on": "2020-01-01"}), "regulation")
    assert read["preamble"] == "（2015年3月2日通过）"
    assert read["tableOfContents"] == [
        {"kind": "CHAPTER", "label": "第一章", "title": "总则", "firstArticle": 1},
        {"kind": "CHAPTER", "label": "第二章", "title": "管理", "firstArticle": 3},
    ]
    page = read["articles"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [e["node"]["label"] for e in page["edges"]] == ["第一条", "第二条"]
    assert read["article"] == {"label": "第三条", "text": "专项资金实行全过程绩效管理。"}
    assert read["versions"] == [
        {"promulgatedOn": "2015-03-02", "status": "AMENDED"},
        {"promulgatedOn": "2021-06-30", "status": "EFFECTIVE"},
    ]
    assert read["versionInForce"] == {"promulgatedOn": "2015-03-02"}, "the old text in 2020"
    assert read["myExcerpts"] == [], "anonymous callers have none"

    rest = payload(
        await gql(client, READ, {"id": new["id"], "on": "2021-07-01",
                                 "after": page["pageInfo"]["endCursor"]}),
        "regulation",
    )  # fmt: skip
    assert [e["node"]["label"] for e in rest["articles"]["edges"]] == ["第三条"]
    assert rest["versionInForce"] == {"promulgatedOn": "2021-06-30"}
    # malformed, another list's cursor, a negative position
    for bad in ("garbage", "MDEyMzQ1Njc4OWFiOjE=", "YXJ0aWNsZTotNQ=="):
        refused = await gql(client, READ, {"id": new["id"], "on": "2021-07-01", "after": bad})
        assert refused["errors"][0]["extensions"]["code"] == "INVALID_INPUT", bad
    before = payload(await gql(client, READ, {"id": new["id"], "on": "2010-01-01"}), "regulation")
    assert before["versionInForce"] is None, "not yet enacted then"


async def test_staff_edit_repeal_and_delete_documents(client: httpx.AsyncClient) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    made = await create(client, staff, visibility="INTERNAL", promulgatedOn="2015-03-02")
    edited = payload(
        await gql(client, UPDATE, {"input": {"id": made["id"], "title": "青岚县专项资金办法"}},
                  token=staff),
        "updateRegulation",
    )  # fmt: skip
    assert edited["regulation"]["title"] == "青岚县专项资金办法"
    kept = await gql(client, READ, {"id": made["id"], "on": "2020-01-01"}, token=staff)
    assert kept["data"]["regulation"]["preamble"] == "（2015年3月2日通过）", "text unchanged"
    assert kept["data"]["regulation"]["articles"]["totalCount"] == 3
    repealed = payload(
        await gql(client, STATUS, {"input": {"id": made["id"], "status": "REPEALED",
                                             "ineffectiveOn": "2024-12-31"}}, token=staff),
        "setRegulationStatus",
    )  # fmt: skip
    assert repealed["regulation"]["status"] == "REPEALED"
    assert repealed["regulation"]["ineffectiveOn"] == "2024-12-31"

    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    for mutation, variables in (
        (CREATE, {"input": {"title": "x", "kind": "LAW", "level": "NATIONAL"}}),
        (UPDATE, {"input": {"id": made["id"], "title": "x"}}),
        (STATUS, {"input": {"id": made["id"], "status": "EFFECTIVE"}}),
        (DELETE, {"input": {"id": made["id"]}}),
    ):
        refused = await gql(client, mutation, variables, token=deputy)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", mutation
        anonymous = await gql(client, mutation, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", mutation

    deleted = payload(
        await gql(client, DELETE, {"input": {"id": made["id"]}}, token=staff), "deleteRegulation"
    )
    assert deleted == {"deletedId": made["id"], "errors": []}
    gone = await gql(client, READ, {"id": made["id"], "on": "2020-01-01"})
    assert gone["data"]["regulation"] is None


async def test_bad_documents_are_refused_with_the_field_at_fault(
    client: httpx.AsyncClient,
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    base = {"title": "青岚县甲办法", "kind": "POLICY", "level": "COUNTY"}
    cases = [
        ({"title": "  "}, "title", "INVALID_INPUT"),
        ({"title": "长" * 201}, "title", "INVALID_INPUT"),
        ({"promulgatedOn": "2020-05-01", "effectiveOn": "2020-04-01"}, "effectiveOn",
         "INVALID_INPUT"),
        ({"categories": ["长" * 31]}, "categories", "INVALID_INPUT"),
        ({"versionOf": "UmVndWxhdGlvbjpub3BlCg=="}, "versionOf", "NOT_FOUND"),
    ]  # fmt: skip
    for fields, field, code in cases:
        result = await gql(client, CREATE, {"input": {**base, **fields}}, token=staff)
        errors = result["data"]["createRegulation"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], fields
    made = await create(client, staff, promulgatedOn="2015-03-02")
    twin = await gql(client, CREATE, {"input": {**base, "promulgatedOn": "2015-03-02",
                                                "versionOf": made["id"]}}, token=staff)  # fmt: skip
    assert twin["data"]["createRegulation"]["errors"][0]["code"] == "ALREADY_EXISTS"
    undated = await gql(client, CREATE, {"input": {**base, "versionOf": made["id"]}}, token=staff)
    assert undated["data"]["createRegulation"]["errors"][0]["field"] == "promulgatedOn"
    huge = {**base, "text": "第一条 " + "长" * 400_000}  # 1.2 MB of UTF-8
    too_large = await gql(client, CREATE, {"input": huge}, token=staff, expect_status=413)
    assert too_large["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_refusal_is_in_english_when_the_request_asks_for_it(
    client: httpx.AsyncClient,
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    backwards = {"title": "青岚县甲办法", "kind": "POLICY", "level": "COUNTY",
                 "promulgatedOn": "2020-05-01", "effectiveOn": "2020-04-01"}  # fmt: skip
    said = []
    for language in ("en", None):
        answer = await gql(client, CREATE, {"input": backwards}, token=staff, language=language)
        said.append(answer["data"]["createRegulation"]["errors"][0]["message"])
    english, chinese = said
    assert english == "The effective date cannot be before the promulgation date"
    assert not re.search(r"[\u3400-\u9fff]", english)
    assert chinese == "施行日期不能早于公布日期"


EXCERPT = """
mutation($input: AddExcerptInput!) {
  addExcerpt(input: $input) { excerpt { id articleNumber start quote note } errors { field code } }
}"""
FOLDER = """
mutation($input: CreateFavoriteFolderInput!) {
  createFavoriteFolder(input: $input) { folder { id name } errors { field code } }
}"""
FAVORITE = """
mutation($input: FavoriteInput!) {
  addFavorite(input: $input) { folder { name regulations { title } } errors { field code } }
}"""
MINE = """
{ me { favoriteFolders { name regulations { title } }
       excerpts { totalCount edges { node { quote note regulation { title } } } } } }
"""


async def test_a_deputy_keeps_excerpts_and_favorites_of_their_own(
    client: httpx.AsyncClient,
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    doc = await create(client, staff)
    internal = await create(client, staff, title="内部资料", visibility="INTERNAL")
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    other = await signed_in(client, "deputy2", Role.DEPUTY)
    public = await signed_in(client, "citizen", Role.HANDLER)

    marked = payload(
        await gql(client, EXCERPT, {"input": {"regulationId": doc["id"], "articleNumber": 3,
                  "quote": "项目库管理", "note": "核对入库情况"}}, token=deputy),
        "addExcerpt",
    )  # fmt: skip
    assert marked["errors"] == [] and marked["excerpt"]["start"] == 6
    for bad, field, code in (
        ({"articleNumber": 99}, "articleNumber", "NOT_FOUND"),
        ({"quote": "不存在的话"}, "quote", "INVALID_INPUT"),
        ({"quote": "项目库管理", "start": 0}, "quote", "INVALID_INPUT"),
        ({"note": "长" * 2001}, "note", "INVALID_INPUT"),
    ):
        input = {"regulationId": doc["id"], "articleNumber": 3, "quote": "项目库管理", **bad}
        errors = payload(await gql(client, EXCERPT, {"input": input}, token=deputy),
                         "addExcerpt")["errors"]  # fmt: skip
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], bad
    hidden = payload(
        await gql(client, EXCERPT, {"input": {"regulationId": internal["id"], "articleNumber": 1,
                  "quote": "为了"}}, token=public),
        "addExcerpt",
    )  # fmt: skip
    assert hidden["errors"] == [{"field": "regulationId", "code": "NOT_FOUND"}], "not the unseen"

    folder = payload(
        await gql(client, FOLDER, {"input": {"name": "预算审查"}}, token=deputy),
        "createFavoriteFolder",
    )
    twice = payload(
        await gql(client, FOLDER, {"input": {"name": "预算审查"}}, token=deputy),
        "createFavoriteFolder",
    )
    assert twice["errors"] == [{"field": "name", "code": "ALREADY_EXISTS"}]
    for _ in range(2):
        added = payload(
            await gql(client, FAVORITE, {"input": {"id": folder["folder"]["id"],
                      "regulationId": doc["id"]}}, token=deputy),
            "addFavorite",
        )  # fmt: skip
    assert added["folder"]["regulations"] == [{"title": "青岚县专项资金管理办法"}]

    mine = payload(await gql(client, MINE, token=deputy), "me")
    assert mine["favoriteFolders"] == [
        {"name": "预算审查", "regulations": [{"title": "青岚县专项资金管理办法"}]}
    ]
    assert mine["excerpts"]["totalCount"] == 1
    assert mine["excerpts"]["edges"][0]["node"]["note"] == "核对入库情况"
    read = await gql(client, READ, {"id": doc["id"], "on": "2025-01-01"}, token=deputy)
    assert read["data"]["regulation"]["myExcerpts"] == [
        {"articleNumber": 3, "quote": "项目库管理", "note": "核对入库情况"}
    ]

    theirs = payload(await gql(client, MINE, token=other), "me")
    assert theirs == {"favoriteFolders": [], "excerpts": {"totalCount": 0, "edges": []}}
    stolen = payload(
        await gql(client, FAVORITE, {"input": {"id": folder["folder"]["id"],
                  "regulationId": doc["id"]}}, token=other),
        "addFavorite",
    )  # fmt: skip
    assert stolen["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    other_read = await gql(client, READ, {"id": doc["id"], "on": "2025-01-01"}, token=other)
    assert other_read["data"]["regulation"]["myExcerpts"] == []

    await gql(client, DELETE, {"input": {"id": doc["id"]}}, token=staff)
    after = payload(await gql(client, MINE, token=deputy), "me")
    assert after["favoriteFolders"][0]["regulations"] == []
    assert after["excerpts"]["totalCount"] == 0, "excerpts go with their document"


async def test_what_is_internal_does_not_show_through_public_versions_or_excerpts(
    client: httpx.AsyncClient,
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    handler = await signed_in(client, "clerk", Role.HANDLER)
    old = await create(client, staff, promulgatedOn="2015-03-02")
    draft = await create(client, staff, promulgatedOn="2026-06-30", versionOf=old["id"],
                         visibility="INTERNAL", text=TEXT.replace("项目库", "绩效"))  # fmt: skip
    seen = payload(await gql(client, READ, {"id": old["id"], "on": "2026-07-01"}), "regulation")
    assert seen["versions"] == [{"promulgatedOn": "2015-03-02", "status": "EFFECTIVE"}], (
        "an internal draft does not amend the public text, nor date its end"
    )
    published = payload(
        await gql(client, UPDATE, {"input": {"id": draft["id"], "visibility": "PUBLIC"}},
                  token=staff),
        "updateRegulation",
    )  # fmt: skip
    assert published["errors"] == []
    after = payload(await gql(client, READ, {"id": old["id"], "on": "2026-07-01"}), "regulation")
    assert after["versions"] == [
        {"promulgatedOn": "2015-03-02", "status": "AMENDED"},
        {"promulgatedOn": "2026-06-30", "status": "EFFECTIVE"},
    ], "made public, it amends"

    marked = payload(
        await gql(client, EXCERPT, {"input": {"regulationId": old["id"], "articleNumber": 3,
                  "quote": "项目库管理"}}, token=handler),
        "addExcerpt",
    )  # fmt: skip
    assert marked["errors"] == []
    hidden = payload(
        await gql(client, UPDATE, {"input": {"id": old["id"], "visibility": "INTERNAL"}},
                  token=staff),
        "updateRegulation",
    )  # fmt: skip
    assert hidden["errors"] == []
    mine = payload(await gql(client, MINE, token=handler), "me")
    excerpt = mine["excerpts"]["edges"][0]["node"]
    assert excerpt == {"quote": "", "note": "", "regulation": None}, (
        "the words of a document one may no longer read are not shown"
    )


async def test_an_id_that_is_no_global_id_is_the_client_s_error_with_a_code(
    client: httpx.AsyncClient,
) -> None:
    literal = await gql(client, '{ regulation(id: "abc") { title } }')
    variable = await gql(client, "query($id: ID!) { regulation(id: $id) { title } }",
                         {"id": "abc"})  # fmt: skip
    for body in (literal, variable):
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_INPUT"], body
        assert body["errors"][0]["message"] == "“abc”不是有效的 id", body
        assert body["errors"][0]["extensions"]["field"] == "id", body
