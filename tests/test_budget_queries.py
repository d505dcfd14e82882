"""Budget figures through GraphQL against figures worked out by hand from ``budget_world``;
who sees which figures; a suggestion's spending and its links; the cost of a page."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from starlette.applications import Starlette

from api.models.budget import BudgetLink, LinkKind
from api.models.regulations import Visibility
from api.models.suggestions import Suggestion, SuggestionState
from api.settings import Settings
from seed.demo import DEMO_PASSWORD, load_demo
from tests.budget_world import budget_world
from tests.conftest import COMMANDS
from tests.factories import World, data, gql, suggestion_world, synced
from tests.suggestion_calls import gid, in_state

LOGIN = (
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }"
)

FIGURES = "initial adjusted executed month executionRate timeProgress gap remaining"


def rate(part: str, whole: str) -> str:
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


async def world(client: httpx.AsyncClient) -> World:
    found = await suggestion_world(client)
    await budget_world()
    return found


async def test_overview_by_book_matches_hand_figures(client: httpx.AsyncClient) -> None:
    w = await world(client)
    found = await data(client, f"""{{ budgetOverview(year: 2025) {{ year month
        total {{ {FIGURES} }} books {{ book figures {{ {FIGURES} }} }} }} }}""",
                       w.tokens["deputy"])  # fmt: skip
    overview = found["budgetOverview"]
    assert overview["month"] == 6
    general, fund = overview["books"]
    assert general["book"] == "GENERAL_PUBLIC"
    assert general["figures"] == {
        "initial": "2560000.60", "adjusted": "2650000.60", "executed": "1280000.30", "month": 6,
        "executionRate": rate("1280000.30", "2650000.60"), "timeProgress": "50.00",
        "gap": str(Decimal(rate("1280000.30", "2650000.60")) - Decimal("50.00")),
        "remaining": "1370000.30",
    }  # fmt: skip
    assert fund["figures"]["executionRate"] == "25.00" and fund["figures"]["gap"] == "-25.00"
    assert overview["total"]["adjusted"] == "4650000.60"
    assert overview["total"]["executed"] == "1780000.30"
    may = await data(client, "{ budgetOverview(year: 2025, month: 5) { total { executed "
                     "timeProgress } } }", w.tokens["deputy"])  # fmt: skip
    assert may["budgetOverview"]["total"] == {"executed": "300000.05", "timeProgress": "41.67"}
    revenue = await data(client, "{ budgetOverview(year: 2025, direction: REVENUE) { total { "
                         "adjusted executed } } }", w.tokens["deputy"])  # fmt: skip
    assert revenue["budgetOverview"]["total"] == {"adjusted": "700000.00", "executed": "350000.00"}
    bad = await gql(client, "{ budgetOverview(year: 2025, month: 13) { month } }")
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    # A month with no execution figures yet is not a month in which nothing was spent.
    for query in ("budgetOverview(year: 2025, month: 7) { month }",
                  "budgetByDepartment(year: 2025, month: 9) { code }",
                  "budgetComparison(year: 2025, month: 7) { key }",
                  "supervisionOverview(year: 2025, month: 8) { year }"):  # fmt: skip
        missing = await gql(client, f"{{ {query} }}", token=w.tokens["staff"])
        (error,) = missing["errors"]
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "month"}, query
        assert error["message"].startswith("2025-0") and "5 月、6 月" in error["message"]
    # Nor is a year without a budget, or a department no budget names, one of zeros.
    for query, field, said in (
        ("budgetOverview(year: 2019) { month }", "year",
         "2019 年还没有预算数据：请先导入预算指标（已有预算数据的年度：2024 年、2025 年）"),
        ("budgetByDepartment(year: 2023) { code }", "year", "2023 年还没有预算数据"),
        ("budgetMonthly(year: 2025, department: \"999\") { year }", "department",
         "没有编码为 999 的部门"),
        ("budgetByClassification(year: 2025, department: \"998\") { code }", "department",
         "没有编码为 998 的部门"),
    ):  # fmt: skip
        missing = await gql(client, f"{{ {query} }}", token=w.tokens["deputy"])
        (error,) = missing["errors"]
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}, query
        assert error["message"].startswith(said), error
    # A year no budget can have is refused wherever a year is asked for.
    for query in ("budgetOverview(year: 1800) { month }",
                  "keyProjects(filter: {year: 1900}) { totalCount }",
                  "workEvaluations(year: 3000) { totalCount }"):  # fmt: skip
        refused = await gql(client, f"{{ {query} }}", token=w.tokens["staff"])
        (error,) = refused["errors"]
        assert error["extensions"] == {"code": "INVALID_INPUT", "field": "year"}, query


async def test_drill_down_by_department_and_classification(client: httpx.AsyncClient) -> None:
    w = await world(client)
    t = w.tokens["staff"]
    found = await data(
        client,
        """{ budgetByDepartment(year: 2025, book: GENERAL_PUBLIC) {
        code department { name } figures { adjusted executed } } }""",
        t,
    )
    assert [(d["code"], d["figures"]["adjusted"], d["figures"]["executed"])
            for d in found["budgetByDepartment"]] == [
        ("101", "1000000.10", "400000.05"), ("102", "800000.00", "600000.00"),
        ("10101", "500000.20", "100000.10"), ("103", "350000.30", "180000.15"),
    ]  # fmt: skip
    assert found["budgetByDepartment"][0]["department"]["name"] == "青岚县交通运输局"
    top = await data(client, "{ budgetByClassification(year: 2025) { code name figures { "
                     "adjusted } } }", t)  # fmt: skip
    assert [(c["code"], c["figures"]["adjusted"]) for c in top["budgetByClassification"]] == [
        ("201", "50000.00"), ("205", "800000.00"), ("208", "300000.30"), ("212", "2000000.00"),
        ("214", "1500000.30"),
    ]  # fmt: skip
    assert top["budgetByClassification"][-1]["name"] == "交通运输支出"
    items = await data(
        client,
        """{ budgetByClassification(year: 2025, parent: "21401") {
        code name figures { executed } } }""",
        t,
    )
    assert items["budgetByClassification"] == [
        {"code": "2140104", "name": "公路建设", "figures": {"executed": "400000.05"}},
        {"code": "2140106", "name": "公路养护", "figures": {"executed": "100000.10"}},
    ]
    bad = await gql(client, '{ budgetByClassification(parent: "2140104") { code } }')
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_monthly_ranking_comparison_three_public(client: httpx.AsyncClient) -> None:
    w = await world(client)
    t = w.tokens["deputy"]
    series = await data(client, """{ budgetMonthly(year: 2025, department: "101",
        book: GENERAL_PUBLIC) { total { adjusted } months { month executed timeProgress } } }""",
                        t)  # fmt: skip
    assert series["budgetMonthly"]["months"] == [
        {"month": 5, "executed": "300000.05", "timeProgress": "41.67"},
        {"month": 6, "executed": "400000.05", "timeProgress": "50.00"},
    ]
    ranked = await data(client, "{ budgetRanking(year: 2025, limit: 3) { departmentCode "
                        "figures { executionRate } } }", t)  # fmt: skip
    assert [(r["departmentCode"], r["figures"]["executionRate"]) for r in
            ranked["budgetRanking"]] == [
        ("10101", "20.00"), ("101", rate("900000.05", "3000000.10")),
        ("103", rate("180000.15", "350000.30")),
    ]  # fmt: skip
    best = await data(
        client,
        "{ budgetRanking(year: 2025, by: LINE, lowest: false, limit: 1) "
        "{ departmentCode classification book figures { executionRate } } }",
        t,
    )
    assert best["budgetRanking"] == [{"departmentCode": "102", "classification": "2050202",
                                      "book": "GENERAL_PUBLIC",
                                      "figures": {"executionRate": "75.00"}}]  # fmt: skip
    three = await data(
        client,
        "{ threePublic(year: 2025) { current { adjusted executed } "
        "previous { adjusted executed } adjustedChange executedChange } }",
        t,
    )
    assert three["threePublic"] == {
        "current": {"adjusted": "50000.00", "executed": "30000.00"},
        "previous": {"adjusted": "40000.00", "executed": "20000.00"},
        "adjustedChange": "25.00", "executedChange": "50.00",
    }  # fmt: skip
    compared = await data(client, "{ budgetComparison(year: 2025) { key current { adjusted } "
                          "previous { adjusted executed } adjustedChange } }", t)  # fmt: skip
    general = compared["budgetComparison"][0]
    assert general["key"] == "GENERAL_PUBLIC"
    assert general["previous"] == {"adjusted": "840000.00", "executed": "220000.00"}
    assert general["adjustedChange"] == rate("1810000.60", "840000")
    # 2024 has no execution figures for May: its budget alone, no month, no rate (not "0%").
    may = await data(client, "{ budgetComparison(year: 2025, month: 5) { key previous { "
                     "adjusted executed month executionRate } } }", t)  # fmt: skip
    assert may["budgetComparison"][0]["previous"] == {
        "adjusted": "840000.00",
        "executed": "0.00",
        "month": None,
        "executionRate": None,
    }


async def test_key_projects_and_debt(client: httpx.AsyncClient) -> None:
    w = await world(client)
    t = w.tokens["deputy"]
    query = """query($f: KeyProjectFilter!, $s: KeyProjectSort, $after: String) {
      keyProjects(filter: $f, sort: $s, first: 1, after: $after) { totalCount
        edges { cursor node { code total paymentRate department { name } } }
        pageInfo { hasNextPage endCursor } } }"""
    found = await data(client, query, t, f={"year": 2025, "totalAtLeast": "10000000"})
    page = found["keyProjects"]
    assert page["totalCount"] == 2 and page["edges"][0]["node"]["code"] == "XM-001"
    after = page["pageInfo"]["endCursor"]
    found = await data(client, query, t, f={"year": 2025, "totalAtLeast": "10000000"}, after=after)
    assert found["keyProjects"]["edges"][0]["node"] == {
        "code": "XM-002", "total": "12000000.00", "paymentRate": "75.00",
        "department": {"name": "青岚县教育局"},
    }  # fmt: skip
    assert not found["keyProjects"]["pageInfo"]["hasNextPage"]
    for f, codes in (
        ({"name": "幼儿园"}, ["XM-002"]), ({"fundNatures": ["SPECIAL_BOND"]}, ["XM-001"]),
        ({"types": ["民政"]}, ["XM-003"]), ({"department": "101"}, ["XM-001"]),
        ({"totalAtMost": "5000000.00"}, ["XM-003"]), ({"name": ".*"}, []),
    ):  # fmt: skip
        found = await data(client, query.replace("first: 1", "first: 10"), t,
                           f={"year": 2025, **f})  # fmt: skip
        assert [e["node"]["code"] for e in found["keyProjects"]["edges"]] == codes, f
    bad = await gql(client, query, {"f": {"year": 2025, "totalAtLeast": "1.234"}}, token=t)
    assert "超过两位小数" in bad["errors"][0]["message"]
    debt = await data(client, "{ debt(year: 2025) { region debtRatio liabilityRatio headroom "
                      "bondUse } }", t)  # fmt: skip
    assert debt["debt"][0] == {
        "region": "QL", "debtRatio": "150.00", "liabilityRatio": "15.00",
        "headroom": "500000000.00", "bondUse": "农村公路、保障性住房",
    }  # fmt: skip


async def test_each_role_sees_its_figures(client: httpx.AsyncClient) -> None:
    w = await world(client)
    query = """{ budgetByDepartment(year: 2025) { code }
      keyProjects(filter: {year: 2025}) { totalCount edges { node { code } } }
      debt(year: 2025) { region } budgetOverview(year: 2025) { total { adjusted } } }"""
    everything = ["101", "102", "10101", "103"]
    expected = {
        None: (["101", "103"], 2, ["QL"], "3350000.40"),
        "lead_unit": (["101", "10101", "103"], 2, ["QL"], "3850000.60"),
        "other_unit": (["101", "102", "103"], 3, ["QL"], "4150000.40"),
        "deputy": (everything, 3, ["QL", "QL-SM"], "4650000.60"),
        "finance": (everything, 3, ["QL", "QL-SM"], "4650000.60"),
        "staff": (everything, 3, ["QL", "QL-SM"], "4650000.60"),
    }
    for who, (departments, projects, regions, total) in expected.items():
        found = await data(client, query, w.tokens[who] if who else None)
        codes = [d["code"] for d in found["budgetByDepartment"]]
        assert sorted(codes) == sorted(departments), who
        assert found["keyProjects"]["totalCount"] == projects, who
        assert len(found["keyProjects"]["edges"]) == projects, who
        assert [d["region"] for d in found["debt"]] == regions, who
        assert found["budgetOverview"]["total"]["adjusted"] == total, who
    refused = await gql(client, "{ budgetImports { fileName } }", token=w.tokens["deputy"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    imports = await data(client, "{ budgetImports(limit: 3) { fileName state } }",
                         w.tokens["finance"])  # fmt: skip
    assert imports["budgetImports"][0] == {"fileName": "debt-2025.csv", "state": "CURRENT"}


LINK = """mutation($input: LinkBudgetInput!) { linkBudget(input: $input) {
  suggestion { budgetLinks { id kind department { code } classification book project note
  linkedBy } } errors { field code message } } }"""
UNLINK = """mutation($input: UnlinkBudgetInput!) { unlinkBudget(input: $input) {
  suggestion { budgetLinks { id } } errors { field code } } }"""
SPENDING = """query($id: ID!) { suggestion(id: $id) { spending(year: 2025) {
  year month total { adjusted executed } monthly { month executed }
  links { link { kind } figures { adjusted executed } projects { code } } } } }"""


async def link(client: httpx.AsyncClient, token: str, **input: Any) -> dict[str, Any]:
    found = await data(client, LINK, token, input=input)
    return dict(found["linkBudget"])


async def test_a_suggestion_shows_the_money_behind_it(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    s = await in_state(w, settings, SuggestionState.ASSIGNED, visibility=Visibility.PUBLIC)
    sid = gid("Suggestion", s)
    me = w.tokens["deputy"]
    await link(client, me, id=sid, kind="DEPARTMENT", department="101",
               note="交通运输局的支出")  # fmt: skip
    await link(client, w.tokens["staff"], id=sid, kind="LINE", department="101",
               classification="2140104", book="GENERAL_PUBLIC")  # fmt: skip
    done = await link(client, me, id=sid, kind="CLASSIFICATION", classification="208")
    links = done["suggestion"]["budgetLinks"]
    assert [k["kind"] for k in links] == ["DEPARTMENT", "LINE", "CLASSIFICATION"]
    assert links[0]["department"] == {"code": "101"} and links[0]["linkedBy"] == "Deputy"
    named = await data(
        client,
        """query($id: ID!) { suggestion(id: $id) { spending(year: 2025) {
        links { link { classification classificationName } } } } }""",
        me,
        id=sid,
    )
    assert [k["link"] for k in named["suggestion"]["spending"]["links"]] == [
        {"classification": "", "classificationName": ""},
        {"classification": "2140104", "classificationName": "公路建设"},
        {"classification": "208", "classificationName": "社会保障和就业支出"},
    ]
    found = (await data(client, SPENDING, me, id=sid))["suggestion"]["spending"]
    # the department and its line overlap: counted once
    assert found["total"] == {"adjusted": "3300000.40", "executed": "1050000.20"}
    assert found["monthly"] == [{"month": 5, "executed": "300000.05"},
                                {"month": 6, "executed": "1050000.20"}]  # fmt: skip
    assert [(k["figures"], [p["code"] for p in k["projects"]]) for k in found["links"]] == [
        ({"adjusted": "3000000.10", "executed": "900000.05"}, ["XM-001"]),
        ({"adjusted": "1000000.10", "executed": "400000.05"}, ["XM-001"]),
        ({"adjusted": "300000.30", "executed": "150000.15"}, ["XM-003"]),
    ]
    # the public sees the published departments' figures only (101 and 103 are published)
    public = (await data(client, SPENDING, None, id=sid))["suggestion"]["spending"]
    assert public["total"] == {"adjusted": "3300000.40", "executed": "1050000.20"}
    # a project link has no line figures, only the project
    await link(client, me, id=sid, kind="PROJECT", project="XM-002")
    found = (await data(client, SPENDING, me, id=sid))["suggestion"]["spending"]
    assert found["links"][-1] == {"link": {"kind": "PROJECT"}, "figures": None,
                                  "projects": [{"code": "XM-002"}]}  # fmt: skip
    assert found["total"]["adjusted"] == "3300000.40"
    public = (await data(client, SPENDING, None, id=sid))["suggestion"]["spending"]
    assert public["links"][-1]["projects"] == []  # 102 is not published
    # unlink
    gone = await data(client, UNLINK, me, input={"id": sid, "linkId": links[0]["id"]})
    assert len(gone["unlinkBudget"]["suggestion"]["budgetLinks"]) == 3
    found = (await data(client, SPENDING, me, id=sid))["suggestion"]["spending"]
    assert found["total"] == {"adjusted": "1300000.40", "executed": "550000.20"}


async def test_links_refuse_the_wrong_people_and_bad_targets(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    s = await in_state(w, settings, SuggestionState.ASSIGNED, visibility=Visibility.PUBLIC)
    sid = gid("Suggestion", s)
    base = {"id": sid, "kind": "DEPARTMENT", "department": "101"}
    for who in ("cosigner", "lead_unit", "finance"):
        found = await link(client, w.tokens[who], **base)
        assert found["errors"][0]["code"] == "FORBIDDEN", who
    refused = await gql(client, LINK, {"input": base})
    assert refused["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    me = w.tokens["deputy"]
    assert not (await link(client, me, **base))["errors"]
    for changes, field, code in (
        ({}, None, "ALREADY_EXISTS"),
        ({"department": "999"}, "department", "NOT_FOUND"),
        ({"kind": "LINE"}, "classification", "INVALID_INPUT"),
        ({"kind": "CLASSIFICATION", "department": "", "classification": "9"}, "classification",
         "NOT_FOUND"),
        ({"book": "GENERAL_PUBLIC"}, "book", "INVALID_INPUT"),
        ({"kind": "PROJECT", "department": "", "project": "XM-404"}, "project", "NOT_FOUND"),
        ({"note": "长" * 501, "department": "102"}, "note", "INVALID_INPUT"),
    ):  # fmt: skip
        found = await link(client, me, **{**base, **changes})
        assert (found["errors"][0]["field"], found["errors"][0]["code"]) == (field, code), changes
    stored = await Suggestion.get(s.id)
    assert stored is not None and len(stored.budget_links) == 1
    other = await in_state(w, settings, SuggestionState.ASSIGNED, by="other_deputy")
    found = await link(client, me, **{**base, "id": gid("Suggestion", other)})
    assert found["errors"][0]["code"] == "NOT_FOUND"  # not theirs to see
    found = await data(client, UNLINK, me, input={"id": sid, "linkId": "nope"})
    assert found["unlinkBudget"]["errors"][0]["code"] == "NOT_FOUND"


PAGE = """query($first: Int!) { suggestions(first: $first) { edges { node { title
  spending(year: 2025) { total { executed } monthly { executed }
  links { figures { executed } projects { code department { name } } } } } } } }"""


async def test_a_page_with_spending_costs_the_same_whatever_its_length(
    counted_app: Starlette, settings: Settings
) -> None:
    transport = httpx.ASGITransport(app=counted_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://jiandu.test") as client:
        w = await world(client)
        template = await in_state(w, settings, SuggestionState.ASSIGNED)
        for department in ("101", "103"):
            await link(client, w.tokens["staff"], id=gid("Suggestion", template),
                       kind="DEPARTMENT", department=department)  # fmt: skip
        template = await Suggestion.get(template.id)
        assert template is not None
        copies = [
            Suggestion.model_validate({**template.model_dump(), "id": None, "number": n})
            for n in range(2, 31)
        ]
        await Suggestion.insert_many(copies)
        costs = {}
        for first in (3, 30):
            await synced(counted_app)  # the sync worker's own commands are not the page's
            COMMANDS.names.clear()
            COMMANDS.counting = True
            body = await gql(client, PAGE, {"first": first}, token=w.tokens["staff"])
            COMMANDS.counting = False
            edges = body["data"]["suggestions"]["edges"]
            assert len(edges) == first
            assert {e["node"]["spending"]["total"]["executed"] for e in edges} == {"1080000.20"}, (
                edges[:2]
            )
            costs[first] = sorted(n for n in COMMANDS.names if n != "getMore")
        assert costs[3] == costs[30], costs


async def test_the_demo_county_has_money_behind_its_suggestions(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(settings)
    token = (await gql(client, LOGIN, {"u": "deputy", "p": DEMO_PASSWORD}))["data"]["login"]
    token = token["token"]
    year = settings.today().year
    found = await data(
        client,
        """query($y: Int!) { budgetOverview(year: $y) { month books {
        book } } budgetFunds(year: $y) { kind disbursementRate }
        debt(year: $y) { region debtRatio }
        me { suggestions(first: 100) { edges { node { budgetLinks { kind }
          spending { total { adjusted executed } monthly { month } } } } } } }""",
        token,
        y=year,
    )
    assert found["budgetOverview"]["month"] == (settings.today().month - 1 or None)
    assert {b["book"] for b in found["budgetOverview"]["books"]} == {
        "GENERAL_PUBLIC", "GOVERNMENT_FUND", "STATE_CAPITAL", "SOCIAL_INSURANCE"
    }  # fmt: skip
    assert len(found["budgetFunds"]) == 6 and len(found["debt"]) == 3
    linked = [e["node"] for e in found["me"]["suggestions"]["edges"] if e["node"]["budgetLinks"]]
    assert linked and all(Decimal(n["spending"]["total"]["adjusted"]) > 0 for n in linked)


CANDIDATES = """query($id: ID!) { suggestion(id: $id) { budgetCandidates(year: 2025) {
  kind departmentCode classification project name reason } } }"""


async def test_links_are_proposed_from_units_and_words(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    s = await in_state(w, settings, SuggestionState.ASSIGNED)  # 关于农村公路养护的建议
    sid = gid("Suggestion", s)
    await synced(app)
    found = (await data(client, CANDIDATES, w.tokens["deputy"], id=sid))["suggestion"]
    proposed = [(c["kind"], c["departmentCode"] or c["classification"] or c["project"])
                for c in found["budgetCandidates"]]  # fmt: skip
    assert proposed[0] == ("DEPARTMENT", "101")  # its lead unit's department
    assert ("CLASSIFICATION", "2140106") in proposed  # 公路养护
    assert ("PROJECT", "XM-001") in proposed  # 石门至青岚农村公路改建工程
    assert ("PROJECT", "XM-002") not in proposed  # a kindergarten
    await link(client, w.tokens["staff"], id=sid, kind="DEPARTMENT", department="101")
    found = (await data(client, CANDIDATES, w.tokens["staff"], id=sid))["suggestion"]
    assert ("DEPARTMENT", "101") not in [(c["kind"], c["departmentCode"])
                                         for c in found["budgetCandidates"]]  # fmt: skip
    refused = await gql(client, CANDIDATES, {"id": sid}, token=w.tokens["cosigner"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bad_arguments_are_refused_with_a_code(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    s = await in_state(w, settings, SuggestionState.ASSIGNED)
    for query in (
        "{ budgetRanking(limit: 0) { departmentCode } }",
        "{ budgetRanking(limit: 101) { departmentCode } }",
        "{ budgetRanking(by: BOOK) { departmentCode } }",
        "{ budgetComparison(by: LINE) { key } }",
        '{ classifications(parent: "2x4") { code } }',
        '{ budgetByClassification(parent: "21") { code } }',
        '{ budgetMonthly(department: "1 0 1") { months { month } } }',
        '{ budgetMonthly(classification: "2140") { months { month } } }',
        '{ budgetByDepartment(classification: "21x") { code } }',
        '{ budgetByClassification(department: "交通局") { code } }',
        "{ budgetImports(limit: 500) { fileName } }",
        "{ budgetMonthly(year: 2025) { months { month } } budgetOverview(month: 0) { month } }",
        f'{{ suggestion(id: "{gid("Suggestion", s)}") {{ spending(month: 13) {{ month }} }} }}',
        "{ budgetOverview(year: 0) { month } }",
        "{ budgetByDepartment(year: 20250) { code } }",
        "{ supervisionOverview(year: 1999) { year } }",
        f'{{ suggestion(id: "{gid("Suggestion", s)}") {{ spending(year: -1) {{ month }} }} }}',
    ):
        body = await gql(client, query, token=w.tokens["staff"])
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", query


async def test_a_suggestion_has_at_most_fifty_links(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    w = await world(client)
    s = await in_state(w, settings, SuggestionState.ASSIGNED)
    fifty = [
        BudgetLink(kind=LinkKind.LINE, department="101", classification=f"2{n:02d}",
                   linked_by="staff").model_dump()
        for n in range(50)
    ]  # fmt: skip
    await Suggestion.get_pymongo_collection().update_one(
        {"_id": s.id}, {"$set": {"budget_links": fifty}}
    )
    found = await link(client, w.tokens["staff"], id=gid("Suggestion", s),
                       kind="DEPARTMENT", department="103")  # fmt: skip
    assert found["errors"][0]["code"] == "CONFLICT" and "50" in found["errors"][0]["message"]
    stored = await Suggestion.get(s.id)
    assert stored is not None and len(stored.budget_links) == 50
