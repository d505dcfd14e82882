"""Searching the library as deputies do: the right article from a few Chinese words, in either
script, through synonyms and filters; only what the caller may read; bad queries refused."""

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.access import Role
from seed.demo import load_library
from tests.factories import gql, search, signed_in, synced


@pytest.fixture
async def library(app: Starlette) -> Starlette:
    """The demo library, imported and indexed."""
    await load_library()
    await synced(app)
    return app


# (query, filter, document title, article label it must find in the top 3)
QUALITY: list[tuple[str, dict[str, Any] | None, str, str]] = [
    # a word inside a longer one, and a question
    ("处理 代表建议", None, "澜川省人民代表大会代表建议、批评和意见办理条例", "第七条"),
    ("农业 贷款", None, "青岚县农村公路建设养护资金管理办法", "第四条"),
    ("预算法 依据", None, "中华人民共和国预算法实施条例", "第一条"),
    # traditional script finds simplified, and the other way
    ("預算調整方案", None, "中华人民共和国预算法", "第六十九条"),
    ("财政预算案 审议", None, "港澳財政預算參考資料", ""),
    # synonyms kept in the index settings
    ("人代会 预算草案 初步审查", None, "澜川省预算审查监督条例", "第八条"),
    ("人大常委会 备案 债务", None, "澜川省政府债务管理办法", "第十一条"),
    ("三公经费 公开", None, "青岚县县级预算单位\"三公\"经费管理办法", "第八条"),
    # an article by its number, as written or in digits
    ("预算法 第67条", None, "中华人民共和国预算法", "第六十七条"),
    ("监督法 第十九条", None, "中华人民共和国各级人民代表大会常务委员会监督法", "第十九条"),
    # filters
    ("办理期限", {"levels": ["COUNTY"]}, "青岚县人民代表大会常务委员会关于代表建议办理工作的规定",
     "第六条"),
    ("专项债券", {"kinds": ["NORMATIVE_DOCUMENT"], "regions": ["澜川省"]},
     "澜川省政府债务管理办法", "第八条"),
    ("预算调整", {"kinds": ["LAW"], "inForceOn": "2016-01-01"}, "中华人民共和国预算法",
     "第六十七条"),
    ("联网监督 预警", {"categories": ["预算执行"], "statuses": ["EFFECTIVE"]},
     "澜川省各级人民代表大会常务委员会预算联网监督办法", "第九条"),
]  # fmt: skip


async def test_search_quality_on_the_demo_library(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    token = await signed_in(client, "deputy1", Role.DEPUTY)
    misses = []
    for query, filter, title, label in QUALITY:
        found = await search(client, query, token=token, filter=filter, first=3)
        top = [
            (edge["node"]["regulation"]["title"], [a["label"] for a in edge["node"]["articles"]])
            for edge in found["edges"]
        ]
        if not any(t == title and label in labels for t, labels in top):
            misses.append(f"{query!r} {filter}: wanted {title} {label}, got {top}")
    assert not misses, "\n".join(misses)


async def test_a_hit_names_the_article_and_highlights_the_passage(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    found = await search(client, "预算调整方案", filter={"inForceOn": "2025-01-01"}, first=5)
    law = next(
        e["node"] for e in found["edges"] if e["node"]["regulation"]["title"].endswith("预算法")
    )
    assert law["regulation"]["promulgatedOn"] == "2018-12-29", "only the version in force"
    article = law["articles"][0]
    assert article["label"] == "第六十九条"
    assert article["heading"] == "第七章 预算调整"
    passage = article["passage"]
    marked = [passage["text"][m["start"] : m["start"] + m["length"]] for m in passage["matches"]]
    assert "预算调整方案" in marked


async def test_a_word_inside_a_longer_word_is_found(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    """Meilisearch's segmenter also indexes the words inside a long one (农业 in
    中国农业发展银行). A prefix bound to its word (待 in 待处理) stays one word: 处理 does not
    find 待处理 (a limit of word segmentation, README "Searching the library")."""
    staff = await signed_in(client, "staff1", Role.STAFF)
    texts = {
        "青岚县金融支持办法": "第一条 中国农业发展银行青岚县支行提供贷款。",
        "学习资料汇编": "一、认真学习预算法。",
    }
    for title, text in texts.items():
        created = await gql(client, CREATE, {"input": {"title": title, "kind": "POLICY",
                            "level": "COUNTY", "text": text}}, token=staff)  # fmt: skip
        assert created["data"]["createRegulation"]["errors"] == []
    await synced(app)
    for word, title in (("农业", "青岚县金融支持办法"), ("预算", "学习资料汇编")):
        found = await search(client, word)
        assert [e["node"]["regulation"]["title"] for e in found["edges"]] == [title], word


async def test_public_callers_never_see_internal_documents(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    handler = await signed_in(client, "handler1", Role.HANDLER)
    everything = await search(client, "", token=deputy, first=100)
    public = await search(client, "", first=100)
    as_handler = await search(client, "", token=handler, first=100)

    internal = [
        e for e in everything["edges"] if e["node"]["regulation"]["visibility"] == "INTERNAL"
    ]
    assert len(internal) == 5
    assert public["totalCount"] == everything["totalCount"] - 5 == len(public["edges"])
    assert as_handler["totalCount"] == public["totalCount"]
    assert all(e["node"]["regulation"]["visibility"] == "PUBLIC" for e in public["edges"])
    kinds = {f["field"]: f["values"] for f in public["facets"]}["kind"]
    assert "WORK_MATERIAL" not in {v["value"] for v in kinds}, "facets count only what you see"
    assert sum(v["count"] for v in kinds) == public["totalCount"]

    risky = await search(client, "债务率 风险")
    assert all("风险评估" not in e["node"]["regulation"]["title"] for e in risky["edges"]), (
        "an internal report is not a public hit"
    )
    internal_id = internal[0]["node"]["regulation"]["id"]
    read = await gql(client, "query($id: ID!) { regulation(id: $id) { title } node(id: $id) "
                     "{ id } }", {"id": internal_id})  # fmt: skip
    assert read["data"] == {"regulation": None, "node": None}
    smuggled = await search(client, "", filter={"regions": ['" OR visibility = "INTERNAL']})
    assert smuggled["totalCount"] == 0, "a filter value cannot widen the permission filter"


async def test_pages_of_results_follow_each_other(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    first = await search(client, "", first=10)
    second = await search(client, "", first=10, after=first["pageInfo"]["endCursor"])
    seen = [e["node"]["regulation"]["id"] for e in first["edges"] + second["edges"]]
    assert len(set(seen)) == 20
    assert first["pageInfo"]["hasNextPage"] and first["totalCount"] == second["totalCount"]
    dates = [e["node"]["regulation"]["promulgatedOn"] or "" for e in first["edges"]]
    assert dates == sorted(dates, reverse=True), "without words, newest first"
    oldest = await search(client, "", first=3, order="OLDEST")
    assert oldest["edges"][0]["node"]["regulation"]["promulgatedOn"] == "2006-08-27"


async def test_bad_queries_get_clear_errors_never_a_500(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    async def error_code(variables: dict[str, Any]) -> str:
        body = await gql(client, SEARCH_ONE, variables)
        assert body.get("data") is None or body["data"]["searchRegulations"] is None, body
        return str(body["errors"][0]["extensions"]["code"])

    assert await error_code({"query": "预算" * 600}) == "INVALID_INPUT"
    assert await error_code({"query": "预算", "first": 0}) == "INVALID_INPUT"
    assert await error_code({"query": "预算", "first": 101}) == "INVALID_INPUT"
    assert await error_code({"query": "预算", "after": "garbage"}) == "INVALID_INPUT"
    other = await search(client, "预算", first=1)
    assert (
        await error_code({"query": "决算", "after": other["pageInfo"]["endCursor"]})
        == "INVALID_INPUT"
    ), "a cursor of another search"
    unknown = await gql(client, SEARCH_ONE, {"query": "x", "filter": {"kinds": ["STATUTE"]}})
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    nothing = await search(client, "量子纠缠 引力波")
    assert nothing["totalCount"] == 0 and nothing["edges"] == []
    symbols = await search(client, "!!! ((( \" '")
    assert symbols["totalCount"] >= 0


SEARCH_ONE = """
query($query: String!, $first: Int, $after: String, $filter: RegulationFilter) {
  searchRegulations(query: $query, first: $first, after: $after, filter: $filter) { totalCount }
}
"""

CREATE = """
mutation($input: CreateRegulationInput!) {
  createRegulation(input: $input) { regulation { id title status } errors { field code message } }
}
"""
