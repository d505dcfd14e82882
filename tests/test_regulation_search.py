"""Searching the library as deputies do: the right article from a few Chinese words, in either
script, through synonyms and filters; only what the caller may read; bad queries refused."""

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.access import Role
from api.app import stop_sync
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
    # synonyms, indexed with each article (aliases)
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


async def first_article(client: httpx.AsyncClient, query: str, **variables: Any) -> tuple:  # type: ignore[type-arg]
    found = await search(client, query, **variables)
    assert found["notice"] is None, (query, found["notice"])
    node = found["edges"][0]["node"]
    return (
        node["regulation"]["title"],
        node["regulation"]["promulgatedOn"],
        node["articles"][0]["label"],
    )


async def county_document(client: httpx.AsyncClient, token: str, title: str, text: str) -> str:
    """A county normative document made by staff; its id."""
    created = await gql(client, CREATE, {"input": {
        "title": title, "kind": "NORMATIVE_DOCUMENT", "level": "COUNTY", "text": text}},
        token=token)  # fmt: skip
    assert created["data"]["createRegulation"]["errors"] == []
    return str(created["data"]["createRegulation"]["regulation"]["id"])


@pytest.mark.parametrize(
    "typed",
    ["预算法第六十七条", "《预算法》第67条", "预算法 67条", "预算法第６７条",
     "中华人民共和国预算法第六十七条", "预算法第六十七条规定", "预算法第六十七条是什么",
     "預算法第六十七條"],
)  # fmt: skip
async def test_an_article_reference_in_any_form_answers_with_that_article(
    library: Starlette, client: httpx.AsyncClient, typed: str
) -> None:
    assert await first_article(client, typed) == (
        "中华人民共和国预算法",
        "2018-12-29",
        "第六十七条",
    )


async def test_a_reference_means_the_law_the_version_in_force_and_the_kind_it_names(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    assert await first_article(client, "监督法第十九条") == (
        "中华人民共和国各级人民代表大会常务委员会监督法", "2024-11-08", "第十九条")  # fmt: skip
    # 新监督法: the law as it now stands, which is what a reference gives; 人大常委会 is
    # what the title spells out
    supervision = "中华人民共和国各级人民代表大会常务委员会监督法"
    for typed in ("新监督法第十九条", "各级人大常委会监督法第十九条"):
        assert await first_article(client, typed) == (supervision, "2024-11-08", "第十九条"), typed
    assert (await first_article(client, "预算法实施条例第一条"))[
        0
    ] == "中华人民共和国预算法实施条例"
    in_2016 = await first_article(client, "预算法第67条", filter={"inForceOn": "2016-01-01"})
    assert in_2016 == ("中华人民共和国预算法", "2014-08-31", "第六十七条")


async def test_a_judicial_interpretation_named_as_people_name_it(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    reply = {"title": "最高人民法院关于政府采购合同纠纷案件管辖问题的批复",
             "kind": "JUDICIAL_INTERPRETATION", "level": "NATIONAL",
             "text": "第一条 示例。"}  # fmt: skip
    created = await gql(client, CREATE, {"input": reply}, token=staff)
    assert created["data"]["createRegulation"]["errors"] == []
    await synced(library)
    interpretation = "最高人民法院关于审理政府采购合同纠纷案件若干问题的解释"
    for typed in ("政府采购合同纠纷司法解释第二条", "《政府采购合同纠纷司法解释》第2条"):
        assert (await first_article(client, typed))[::2] == (interpretation, "第二条"), typed
    both = await search(client, "政府采购合同纠纷司法解释第一条")
    assert both["edges"] == [] and both["notice"]["code"] == "AMBIGUOUS_LAW", (
        "two interpretations of the subject have a first article: both are listed"
    )
    assert f"《{interpretation}》" in both["notice"]["message"]
    assert f"《{reply['title']}》" in both["notice"]["message"]
    unknown = await search(client, "量子纠缠司法解释第二条")
    assert unknown["notice"]["code"] == "LAW_NOT_FOUND", unknown["notice"]
    # A newer version without article 2: the version in force answers, and says it has none,
    # rather than the amended one that had it.
    found = await search(client, "政府采购合同纠纷司法解释第二条")
    newer = {"title": interpretation, "kind": "JUDICIAL_INTERPRETATION", "level": "NATIONAL",
             "text": "第一条 修改后的示例。", "promulgatedOn": "2025-06-01",
             "versionOf": found["edges"][0]["node"]["regulation"]["id"]}  # fmt: skip
    created = await gql(client, CREATE, {"input": newer}, token=staff)
    assert created["data"]["createRegulation"]["errors"] == []
    await synced(library)
    gone = await search(client, "政府采购合同纠纷司法解释第二条")
    assert gone["edges"] == [] and gone["notice"]["code"] == "ARTICLE_NOT_FOUND", gone


async def test_one_of_a_numbered_series_of_interpretations(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    series = "最高人民法院关于适用《中华人民共和国甲乙法》若干问题的解释（{}）"
    for number, text in (("一", "第一条 示例。\n第二条 示例。"),
                         ("二", "第一条 示例。\n第二条 示例。\n第三条 示例。")):  # fmt: skip
        document = {"title": series.format(number), "kind": "JUDICIAL_INTERPRETATION",
                    "level": "NATIONAL", "text": text}  # fmt: skip
        created = await gql(client, CREATE, {"input": document}, token=staff)
        assert created["data"]["createRegulation"]["errors"] == []
    await synced(library)
    for typed, number, label in (
        ("甲乙法解释一第二条", "一", "第二条"),
        ("甲乙法司法解释（二）第1条", "二", "第一条"),
        ("《甲乙法解释(二)》 第二条", "二", "第二条"),
        ("甲乙法解释第三条", "二", "第三条"),
        (series.format("一") + "第二条", "一", "第二条"),
    ):
        assert (await first_article(client, typed))[::2] == (series.format(number), label), typed
    both = await search(client, "甲乙法解释第一条")
    assert both["notice"]["code"] == "AMBIGUOUS_LAW", "both of the series have a first article"
    missing = await search(client, "甲乙法解释三第一条")
    assert missing["notice"]["code"] == "LAW_NOT_FOUND", "the series has no third"


async def test_a_reference_that_cannot_be_answered_says_why(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    for title in ("中华人民共和国甲乙组织法", "中华人民共和国丙丁组织法"):
        law = {"title": title, "kind": "LAW", "level": "NATIONAL", "text": "第一条 示例。"}
        created = await gql(client, CREATE, {"input": law}, token=staff)
        assert created["data"]["createRegulation"]["errors"] == []
    await synced(library)
    missing = await search(client, "预算法第三百条")
    assert missing["edges"] == [] and missing["notice"]["code"] == "ARTICLE_NOT_FOUND"
    assert missing["notice"]["message"].startswith("预算法没有第三百条")
    several = await search(client, "组织法第一条")
    assert several["edges"] == [] and several["notice"]["code"] == "AMBIGUOUS_LAW"
    assert "《中华人民共和国甲乙组织法》" in several["notice"]["message"]
    assert "《中华人民共和国丙丁组织法》" in several["notice"]["message"]
    words = await search(client, "劳动者三条权利")
    assert words["notice"] is None or words["notice"]["code"] == "NO_MATCH", (
        "three articles of rights is no reference"
    )
    huge = "9" * 20
    for typed, said in (("预算法第0条", "第0条"), ("预算法第一万条", "第一万条"),
                        (f"预算法第{huge}条", f"第{huge}条")):  # fmt: skip
        impossible = await search(client, typed)
        assert impossible["edges"] == [], typed
        assert impossible["notice"]["code"] == "ARTICLE_NOT_FOUND", typed
        assert impossible["notice"]["message"].startswith(f"预算法没有{said}"), typed
    unknown = await search(client, "物业法第一条")
    assert unknown["notice"]["code"] == "LAW_NOT_FOUND"
    assert "物业法" in unknown["notice"]["message"], "searched as words, and said so"
    too_early = await search(client, "预算法第六十七条", filter={"inForceOn": "1990-01-01"})
    assert too_early["edges"] == [] and too_early["notice"]["code"] == "NOT_IN_FORCE"
    assert too_early["notice"]["message"].startswith("预算法在 1990-01-01 没有施行中的文本")
    absent = await search(client, "质询案")
    assert absent["edges"] == [] and absent["notice"]["code"] == "NO_MATCH", (
        "no document holds the word: nothing, and said so, rather than what a prior lifts"
    )


async def test_a_question_is_answered_without_its_question_words(
    library: Starlette, client: httpx.AsyncClient
) -> None:
    title, _, label = await first_article(client, "哪些情况下政府要编制预算调整方案？")
    assert (title, label) == ("中华人民共和国预算法", "第六十九条")
    only = await search(client, "怎么办？是否？")
    assert only["edges"] == [] and only["notice"]["code"] == "ONLY_QUESTION_WORDS"
    symbols = await search(client, "!!! ((( \" '")
    assert symbols["edges"] == [] and symbols["notice"]["code"] == "NOTHING_TO_SEARCH"
    nothing = await search(client, "量子纠缠 引力波")
    assert nothing["edges"] == [] and nothing["notice"]["code"] == "NO_MATCH"
    assert "没有找到" in nothing["notice"]["message"]


async def test_deputies_words_find_the_statute_s_words(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    texts = {
        "青岚县劳动报酬保障办法": "第一条 用人单位拖欠劳动报酬的，由县人社部门责令限期支付。",
        "青岚县国有企业监督办法": "第一条 国有企业应当每年公开财务信息。",
        "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法": "第一条 甲。\n第十条 乙。",
    }
    for title, text in texts.items():
        national = title.startswith("中华人民共和国")
        created = await gql(client, CREATE, {"input": {
            "title": title, "kind": "LAW" if national else "NORMATIVE_DOCUMENT",
            "level": "NATIONAL" if national else "COUNTY", "text": text}}, token=staff)  # fmt: skip
        assert created["data"]["createRegulation"]["errors"] == []
    await synced(app)
    colloquial = await first_article(client, "欠薪怎么办")
    assert colloquial[0] == "青岚县劳动报酬保障办法"
    abbreviation = await first_article(client, "国企 公开 财务")
    assert abbreviation[0] == "青岚县国有企业监督办法"
    short_name = await first_article(client, "地方组织法第十条")
    assert short_name[0].endswith("组织法") and short_name[2] == "第十条"


async def test_a_reference_never_reaches_a_document_the_caller_may_not_read(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    created = await gql(client, CREATE, {"input": {
        "title": "青岚县内部测算办法", "kind": "NORMATIVE_DOCUMENT", "level": "COUNTY",
        "visibility": "INTERNAL", "text": "第一条 内部测算口径。"}}, token=staff)  # fmt: skip
    assert created["data"]["createRegulation"]["errors"] == []
    await synced(app)
    public = await search(client, "青岚县内部测算办法第一条")
    assert public["edges"] == [] and public["totalCount"] == 0
    assert public["notice"]["code"] == "LAW_NOT_FOUND", "not even that it has no such article"
    assert public["notice"]["message"].endswith("（或你无权查看），已按字词查找")
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    found = await search(client, "青岚县内部测算办法第一条", token=deputy)
    assert found["edges"][0]["node"]["articles"][0]["label"] == "第一条"


async def test_a_question_is_answered_by_the_article_that_gives_the_kind_of_answer_asked(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    text = (
        "第一条 县级预算调整方案由县人民政府编制。\n"
        "第二条 在预算执行中出现下列情形之一的，应当进行预算调整："
        "（一）增加支出；（二）减少收入。\n"
        "第三条 预算调整方案应当在本级人民代表大会常务委员会会议举行的三十日前提交。\n"
    )
    await county_document(client, staff, "青岚县预算调整办法", text)
    await synced(app)
    when = await first_article(client, "什么情况下要做预算调整")
    assert when[2] == "第二条", "下列情形之一 answers 什么情况"
    how_long = await first_article(client, "预算调整方案要提前多久提交")
    assert how_long[2] == "第三条", "三十日前 answers 多久"


async def test_a_rare_compound_is_searched_by_the_words_inside_it(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    await county_document(
        client, staff, "青岚县农民工权益保障办法", "第一条 施工单位应当按月足额支付农民工工资。"
    )
    await synced(app)
    found = await first_article(client, "工地不按时发工资")
    assert found[0] == "青岚县农民工权益保障办法", "发工资 is in no article: 工资 is"


async def test_a_document_shows_beside_its_best_article_only_those_nearly_as_good(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    one = "第一条 居民参加垃圾分类的，社区给予积分奖励。\n第二条 " + "社区应当公开办事指南。" * 30
    one += "垃圾减量积分奖励的标准另行公布。\n"
    both = "第一条 垃圾分类积分奖励由街道发放。\n第二条 垃圾分类积分奖励可以兑换生活用品。\n"
    await county_document(client, staff, "青岚县甲社区办法", one)
    await county_document(client, staff, "青岚县乙社区办法", both)
    # Articles on other matters, as a library has: in four articles that all say 垃圾 and
    # 积分奖励, no word of the question would weigh more than another.
    other = "".join(f"第{n}条 社区应当做好第{n}项便民服务。\n" for n in "一二三四五六七八九十")
    await county_document(client, staff, "青岚县丙社区服务办法", other)
    await synced(app)
    found = await search(client, "垃圾分类积分奖励")
    shown = {
        e["node"]["regulation"]["title"]: [a["label"] for a in e["node"]["articles"]]
        for e in found["edges"]
    }
    assert shown["青岚县甲社区办法"] == ["第一条"], "第二条 lacks 垃圾分类: it is not shown"
    assert sorted(shown["青岚县乙社区办法"]) == ["第一条", "第二条"], "both answer alike"


async def test_a_work_is_shown_in_its_version_in_force_even_if_an_older_words_it_closer(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    title = "青岚县代表建议答复办法"
    old = "第一条 承办单位应当自交办之日起三个月内答复代表建议。"
    first = await county_document(client, staff, title, old)
    text = "第一条 本办法适用于本县。\n第二条 代表建议由有关机关研究办理，三个月内答复。"
    newer = {"title": title, "kind": "NORMATIVE_DOCUMENT", "level": "COUNTY",
             "promulgatedOn": "2025-06-01", "versionOf": first, "text": text}  # fmt: skip
    created = await gql(client, CREATE, {"input": newer}, token=staff)
    assert created["data"]["createRegulation"]["errors"] == []
    await synced(app)
    found = await search(client, "承办单位多长时间答复代表建议")
    works = [e["node"] for e in found["edges"] if e["node"]["regulation"]["title"] == title]
    assert len(works) == 1, "one work, shown once"
    assert works[0]["regulation"]["promulgatedOn"] == "2025-06-01", (
        "the amended version says 承办单位 and 交办 as the question does, but the version in "
        "force is the one deputies cite"
    )
    assert works[0]["articles"][0]["label"] == "第二条"


async def test_hits_with_or_without_facets_and_word_counts_follow_the_library(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    for title, text in (("青岚县河道管理办法", "第一条 河道采砂应当经过许可。"),
                        ("青岚县林地管理办法", "第一条 林地采伐应当经过许可。")):  # fmt: skip
        await county_document(client, staff, title, text)
    await synced(app)
    counts = app.state.resources.word_counts
    bare = await gql(client, "{ searchRegulations(query: \"采砂 许可\") { edges { node { "
                     "regulation { title } } } } }")  # fmt: skip
    assert bare["data"]["searchRegulations"]["edges"][0]["node"]["regulation"]["title"] == (
        "青岚县河道管理办法"
    )
    faceted = await search(client, "采砂 许可")
    kinds = {f["field"]: f["values"] for f in faceted["facets"]}["kind"]
    listed = len(faceted["edges"])
    assert [(v["value"], v["count"]) for v in kinds] == [("NORMATIVE_DOCUMENT", listed)], (
        "a facet counts the documents listed, no more: choosing it lists as many"
    )
    assert faceted["totalCount"] == listed
    assert counts.known_count() > 0, "the words' counts are kept"
    await county_document(client, staff, "青岚县砂石管理办法", "第一条 采砂许可证由县水利局发放。")
    await synced(app)
    assert counts.known_count() == 0, "forgotten when the sync wrote"


async def test_a_document_made_internal_leaves_public_search_at_once(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    staff = await signed_in(client, "staff1", Role.STAFF)
    regulation_id = await county_document(
        client, staff, "青岚县采砂管理办法", "第一条 河道采砂实行许可制度。"
    )
    await synced(app)
    before = await search(client, "河道采砂")
    assert [e["node"]["regulation"]["title"] for e in before["edges"]] == ["青岚县采砂管理办法"]
    await stop_sync(app)  # the index will not hear of the change
    hidden = await gql(client, "mutation($input: UpdateRegulationInput!) { updateRegulation("
                       "input: $input) { errors { code } } }",
                       {"input": {"id": regulation_id, "visibility": "INTERNAL"}},
                       token=staff)  # fmt: skip
    assert hidden["data"]["updateRegulation"]["errors"] == []
    after = await search(client, "河道采砂")
    assert after["edges"] == [] and after["totalCount"] == 0
    assert all(f["values"] == [] for f in after["facets"]), after["facets"]
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    still = await search(client, "河道采砂", token=deputy)
    assert [e["node"]["regulation"]["title"] for e in still["edges"]] == ["青岚县采砂管理办法"]
