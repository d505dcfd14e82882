"""GraphQL over HTTP: every malformed, oversized or over-limit request gets a clear error with
a code and the right status, and nothing runs."""

import base64
import hashlib
import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry
from graphql import GraphQLError

from api.app import create_app
from api.devservers.local import LocalServers, free_port
from schema import engine_words
from schema.errors import MaskInternalErrors
from tests.conftest import make_settings, release_database

GRAPHQL_RESPONSE = "application/graphql-response+json"


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"mongodb": "ok", "meilisearch": "ok"}
    assert body["search_sync"]["lag_seconds"] == 0.0


async def test_readiness_names_the_unreachable_server(servers: LocalServers) -> None:
    settings = make_settings(servers, MEILI_URL=f"http://127.0.0.1:{free_port()}")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            ready = await client.get("/readyz")
        await release_database(app.state.resources)
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"mongodb": "ok", "meilisearch": "unreachable"}


async def test_query_over_get_and_post(client: httpx.AsyncClient) -> None:
    got = await client.get("/graphql", params={"query": "{ __typename }"})
    assert got.status_code == 200 and got.json() == {"data": {"__typename": "Query"}}
    posted = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert posted.status_code == 200
    assert posted.headers["content-type"] == GRAPHQL_RESPONSE


async def test_graphiql_for_browsers(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_mutation_over_get_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "mutation { logout { revoked } }"})
    assert response.status_code == 405
    assert code_of(response) == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b'{"query": "{ __typename }"', "application/json", "请求不是有效的 JSON"),
        (b'{"foo": 1}', "application/json", "请求中没有 GraphQL 查询"),
        (b"{ __typename }", "text/plain", "不支持的内容类型"),
        (b'{"query": 42}', "application/json", "query 须为字符串"),
        (
            b'{"query": "{ __typename }", "variables": [1]}',
            "application/json",
            "variables 须为 JSON 对象",
        ),
    ],
)
async def test_unreadable_requests_are_400(
    client: httpx.AsyncClient, content: bytes, content_type: str, message: str
) -> None:
    response = await client.post(
        "/graphql", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert code_of(response) == "BAD_REQUEST"
    assert response.json()["errors"][0]["message"].startswith(message)


async def test_unknown_operation_name_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "query A { __typename }", "operationName": "B"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "文档中没有名为“B”的操作"


async def test_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    big = b'{"query": "{ __typename }", "variables": {"x": "' + b"x" * 1_100_000 + b'"}}'
    announced = await client.post(
        "/graphql", content=big, headers={"Content-Type": "application/json"}
    )
    assert announced.status_code == 413
    assert code_of(announced) == "PAYLOAD_TOO_LARGE"

    async def chunks():  # no Content-Length: the limit applies while reading
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    streamed = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert code_of(streamed) == "PAYLOAD_TOO_LARGE"


@pytest.fixture
async def limited(servers: LocalServers) -> AsyncIterator[httpx.AsyncClient]:
    """A deployment with small limits, to show each limit comes from settings."""
    settings = make_settings(
        servers,
        graphql_max_depth=3,
        graphql_max_aliases=5,
        graphql_max_tokens=120,
        graphql_max_cost=250,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
        await release_database(app.state.resources)


SIX_ALIASES = " ".join(f"a{i}: __typename" for i in range(6))


@pytest.mark.parametrize(
    ("query", "fragment_of_message", "code"),
    [
        (
            "{ me { apiTokens { edges { node { id } } } } }",
            "嵌套 4 层，超过上限 3",
            "QUERY_TOO_DEEP",
        ),
        ("{ " + SIX_ALIASES + " }", "6 个别名", "TOO_MANY_ALIASES"),
        (
            "query { ...F ...F } fragment F on Query { a: __typename b: __typename c: __typename }",
            "6 个别名",
            "TOO_MANY_ALIASES",
        ),
        ("{ " + "__typename " * 130 + "}", "超过 120 个词法单元", "TOO_MANY_TOKENS"),
        (
            "{ a: users(first: 100) { edges { node { id } } } "
            "b: users(first: 100) { edges { node { id } } } }",
            "查询代价为 602",
            "QUERY_TOO_COSTLY",
        ),
        (
            "query Q($n: Int) { users(first: $n) { edges { node { id username } } } }",
            "操作“Q”的查询代价为 401",
            "QUERY_TOO_COSTLY",
        ),
    ],
    ids=["depth", "aliases", "aliases-in-fragment", "tokens", "cost", "cost-of-variable-page"],
)
async def test_documents_over_a_limit_are_refused_before_running(
    limited: httpx.AsyncClient, query: str, fragment_of_message: str, code: str
) -> None:
    strict = await limited.post(
        "/graphql", json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert strict.status_code == 400
    assert "data" not in strict.json()
    error = strict.json()["errors"][0]
    assert fragment_of_message in error["message"]
    assert error["extensions"]["code"] == code

    legacy = await limited.post(
        "/graphql", json={"query": query}, headers={"Accept": "application/json"}
    )
    assert legacy.status_code == 200  # GraphQL-over-HTTP: legacy JSON clients get 200
    assert fragment_of_message in legacy.json()["errors"][0]["message"]


async def test_a_page_within_the_limits_runs(limited: httpx.AsyncClient) -> None:
    response = await limited.post("/graphql", json={"query": "{ a: __typename b: __typename }"})
    assert response.json() == {"data": {"a": "Query", "b": "Query"}}


async def test_syntax_and_unknown_fields_are_request_errors(client: httpx.AsyncClient) -> None:
    """The engine's refusals are request errors, in Chinese."""
    for query, variables, said in (
        ("{ me { ", {}, "查询语法错误：此处应为 Name，却是 <EOF>"),
        ("{ noSuchField }", {}, "类型 Query 没有字段 noSuchField"),
        ("{ budgetOverview(year: 2025, direction: SIDEWAYS) { year } }", {},
         "枚举 Direction 没有值 SIDEWAYS"),
        ("query($y: Int!) { budgetOverview(year: $y) { year } }", {"y": "二〇二五"},
         "变量 $y 的值无效：应为整数，收到 '二〇二五'"),
        ("query($y: Int!) { budgetOverview(year: $y) { year } }", {},
         "变量 $y 的值无效：缺少 Int!"),
    ):  # fmt: skip
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables},
            headers={"Accept": GRAPHQL_RESPONSE},
        )  # fmt: skip
        assert response.status_code == 400, query
        assert response.json()["errors"][0]["message"].startswith(said), response.json()


def test_the_engines_words_in_chinese() -> None:
    """Each way the engine words a refusal reads in Chinese, parts within parts; one not
    listed stays as the engine wrote it."""
    for english, chinese in (
        ("Variable '$i' has invalid value at .title: String cannot represent a non string "
         "value: 5", "变量 $i 的 title 无效：应为字符串，收到 5"),
        ("Variable '$i' has invalid value: Expected value of type 'OpenLivelihoodVoteInput' "
         "not to include unknown field 'bogus', found: {'bogus': 1}.",
         "变量 $i 的值无效：OpenLivelihoodVoteInput 没有字段 bogus"),
        ("Unknown type 'Nope'. Did you mean 'Node' or 'Role'?",
         "没有类型 Nope（是否想写 'Node'、'Role'？）"),
        ("Variable '$f' has invalid value at .levels[0]: Value 'NATIONA' does not exist in "
         "'Level' enum. Did you mean the enum value 'NATIONAL'?",
         "变量 $f 的 levels[0] 无效：枚举 Level 没有值 NATIONA（是否想写 'NATIONAL'？）"),
        ("Variable '$f' has invalid value: Expected value of type 'RegulationFilter' not to "
         "include unknown field 'level'. Did you mean 'levels'? Found: {'level': ['NATIONAL']}.",
         "变量 $f 的值无效：RegulationFilter 没有字段 level（是否想写 'levels'？）"),
        ("Argument 'Query.livelihoodVote(sessionId:)' of type 'ID!' is required, but it was not "
         "provided.", "缺少必填参数 Query.livelihoodVote(sessionId:)（ID!）"),
        ('Value cannot represent a Date: "2026-13-01". month must be in 1..12',
         '不是有效的日期："2026-13-01"（应写作 2026-01-31）'),
        ("Cannot query field 'state' on type 'TimelineEvent'. Did you mean 'toState', 'at', or "
         "'note'?", "类型 TimelineEvent 没有字段 state（是否想写 'toState'、'at'、'note'？）"),
        ("Variable '$s' has invalid value: Expected value of non-null type 'Int!' not to be "
         "None.", "变量 $s 的值无效：Int! 类型的值不能为 null"),
        ("Variable '$a' of type 'String' used in position expecting type 'ID!'.",
         "变量 $a 的类型是 String，此处需要 ID!"),
        ("Fragment 'F' cannot be spread here as objects of type 'Me' can never be of type "
         "'Suggestion'.", "片段 F 不能用在这里：Me 类型的对象不会是 Suggestion"),
        ("Unknown directive '@nope'.", "没有指令 @nope"),
        ("Fields 'a' conflict because 'me' and 'budgetYears' are different fields. Use different "
         "aliases on the fields to fetch both if this was intentional.",
         "字段 a 有冲突（me 和 budgetYears 是不同的字段）：如果要同时取，请给它们起不同的别名"),
        ("Cannot spread fragment 'A' within itself.", "片段 A 引用了自身"),
        ("There can be only one argument named 'id'.", "参数 id 只能给一次"),
        ("Directive '@include' may not be used on query.", "指令 @include 不能用在 query 上"),
        ("Cannot query field 'title' on type 'Node'. Did you mean to use an inline fragment on "
         "'Opinion' or 'Notification'?", "类型 Node 没有字段 title（要取某一具体类型的字段，"
         "请用内联片段，如 ... on 'Opinion'、'Notification'）"),
        ("Something the engine has never said before.",
         "Something the engine has never said before."),
    ):  # fmt: skip
        assert engine_words.chinese(english) == chinese


async def test_introspection_can_be_switched_off(servers: LocalServers) -> None:
    settings = make_settings(servers, graphql_introspection=False)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.post(
                "/graphql", json={"query": "{ __schema { types { name } } }"}
            )
        await release_database(app.state.resources)
    assert "已关闭内省查询" in response.json()["errors"][0]["message"]
    assert response.json()["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"


async def test_request_id_is_echoed_or_made(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jiandu.http")
    given = await client.get("/healthz", headers={"X-Request-ID": "trace-1234abcd"})
    assert given.headers["x-request-id"] == "trace-1234abcd"
    access = [r for r in caplog.records if r.getMessage() == "request"]
    assert [(r.request_id, r.path, r.status) for r in access] == [  # type: ignore[attr-defined]
        ("trace-1234abcd", "/healthz", 200)
    ]
    unsafe = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"
    assert len(unsafe.headers["x-request-id"]) == 32


async def test_unexpected_errors_are_masked_with_an_id_that_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @strawberry.type
    class Query:
        @strawberry.field
        def broken(self) -> str:
            raise KeyError("secret internals")

        @strawberry.field
        def refused(self) -> str:
            raise GraphQLError("shown to clients", extensions={"code": "FORBIDDEN"})

    schema = strawberry.Schema(query=Query, extensions=[MaskInternalErrors])
    caplog.set_level(logging.ERROR, logger="jiandu.graphql")
    result = await schema.execute("{ broken }")
    assert result.errors is not None
    error = result.errors[0]
    assert "secret internals" not in error.message
    assert error.extensions is not None and error.extensions["code"] == "INTERNAL_SERVER_ERROR"
    error_id = error.extensions["errorId"]
    assert error_id in error.message
    logged = [r for r in caplog.records if getattr(r, "error_id", None) == error_id]
    assert logged and logged[0].exc_info is not None

    shown = await schema.execute("{ refused }")
    assert shown.errors is not None and shown.errors[0].message == "shown to clients"


async def _probe(servers: LocalServers, **overrides: object) -> dict[str, httpx.Response]:
    """What a stranger learns from an app with these settings: the GraphiQL page,
    introspection, and the errors of a misspelt field, enum value and input field."""
    app = create_app(make_settings(servers, **overrides))
    variables_query = "query($f: RegulationFilter) { searchRegulations(filter: $f) { totalCount } }"
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answers = {
                "graphiql": await client.get("/graphql", headers={"Accept": "text/html"}),
                "introspection": await client.post(
                    "/graphql", json={"query": "{ __schema { queryType { name } } }"}
                ),
                "field": await client.post("/graphql", json={"query": "{ searchRegulation }"}),
                "enum value": await client.post(
                    "/graphql",
                    json={"query": variables_query, "variables": {"f": {"levels": ["NATIONA"]}}},
                ),
                "input field": await client.post(
                    "/graphql",
                    json={"query": variables_query, "variables": {"f": {"level": ["NATIONAL"]}}},
                ),
            }
        await release_database(app.state.resources)
    return answers


async def test_production_is_closed_by_default(servers: LocalServers) -> None:
    answers = await _probe(servers, env="production")
    assert answers["graphiql"].status_code == 404
    assert code_of(answers["graphiql"]) == "NOT_FOUND"
    assert code_of(answers["introspection"]) == "INTROSPECTION_DISABLED"
    for probe, hidden in [
        ("field", "searchRegulations"),
        ("enum value", "NATIONAL"),
        ("input field", "levels"),
    ]:
        message = answers[probe].json()["errors"][0]["message"]
        assert "是否想写" not in message and hidden not in message, (probe, message)


@pytest.mark.parametrize(
    "overrides",
    [
        {"env": "development"},
        {
            "env": "production",
            "graphiql": True,
            "graphql_introspection": True,
            "graphql_suggestions": True,
        },
    ],
    ids=["development", "production-switched-on"],
)
async def test_graphiql_introspection_and_suggestions_where_enabled(
    servers: LocalServers, overrides: dict[str, object]
) -> None:
    answers = await _probe(servers, **overrides)
    assert answers["graphiql"].status_code == 200 and "graphiql" in answers["graphiql"].text
    assert answers["introspection"].json() == {
        "data": {"__schema": {"queryType": {"name": "Query"}}}
    }
    for probe, shown in [
        ("field", "searchRegulations"),
        ("enum value", "NATIONAL"),
        ("input field", "levels"),
    ]:
        message = answers[probe].json()["errors"][0]["message"]
        assert "是否想写" in message and shown in message, (probe, message)


DEEP = 100_000
MALFORMED = {
    "lone surrogate in variables": (
        b'{"query": "query($x: [String!]) { enumLabels(names: $x) { name } }",'
        b' "variables": {"x": ["\\ud800"]}}'
    ),
    "lone surrogate in the query": b'{"query": "{ node(id: \\"\\udfff\\") { id } }"}',
    "lone surrogate as UTF-8 bytes": (
        b'{"query": "{ __typename }", "variables": {"x": "\xed\xa0\x80"}}'
    ),
    "a number": b"5",
    "an array": b"[]",
    "a string": b'"x"',
    "null": b"null",
    "deeply nested arrays": b"[" * DEEP + b"]" * DEEP,
    "deeply nested objects": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "nested variables": (
        b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * 500 + b"]" * 500 + b"}}"
    ),
    "invalid UTF-8": b'{"query": "{ __typename \xff\xfe }"}',
    "a number of 5,000 digits": b'{"query": "{ __typename }", "variables": {"x": '
    + b"1" * 5000
    + b"}}",
}


@pytest.mark.parametrize("body", list(MALFORMED.values()), ids=list(MALFORMED))
async def test_malformed_bodies_are_a_clean_400(client: httpx.AsyncClient, body: bytes) -> None:
    for accept in ("application/json", GRAPHQL_RESPONSE):
        response = await client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json", "Accept": accept}
        )
        assert response.status_code == 400, response.text
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "服务器内部错误" not in error["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error["message"]


async def test_malformed_get_parameters_are_a_clean_400(client: httpx.AsyncClient) -> None:
    cases = [
        {"query": "{ __typename }", "variables": "5"},
        {"query": "{ __typename }", "variables": '{"x": "\\ud800"}'},
        {"query": "{ __typename }", "variables": "[" * 5000 + "]" * 5000},
        {"query": "{ __typename }", "variables": '{"x": ' + "[" * 100 + "]" * 100 + "}"},
    ]
    for params in cases:
        response = await client.get("/graphql", params=params)
        assert response.status_code == 400, response.text
        assert code_of(response) == "BAD_REQUEST"


async def test_a_lone_surrogate_escaped_in_graphql_is_refused(client: httpx.AsyncClient) -> None:
    for query in ('{ node(id: "\\ud800") { id } }', '{ node(id: "\\u{D800}") { id } }'):
        response = await client.post(
            "/graphql", json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}
        )
        assert response.status_code == 400, response.text
        assert code_of(response) == "GRAPHQL_PARSE_FAILED"


def policy_of(response: httpx.Response) -> dict[str, list[str]]:
    directives = response.headers["content-security-policy"].split(";")
    return {name: sources for name, *sources in (d.split() for d in directives if d.strip())}


async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    responses = {
        "health": await client.get("/healthz"),
        "query": await client.post("/graphql", json={"query": "{ __typename }"}),
        "refusal": await client.post(
            "/graphql", content=b"5", headers={"Content-Type": "application/json"}
        ),
        "too large": await client.post(
            "/graphql", content=b"x" * 1_100_000, headers={"Content-Type": "application/json"}
        ),
        "no route": await client.get("/nowhere"),
        "graphiql": await client.get("/graphql", headers={"Accept": "text/html"}),
    }
    for name, response in responses.items():
        assert response.headers["x-content-type-options"] == "nosniff", name
        assert response.headers["x-frame-options"] == "DENY", name
        assert response.headers["referrer-policy"] == "no-referrer", name
        assert policy_of(response)["frame-ancestors"] == ["'none'"], name
        if name != "graphiql":
            assert policy_of(response)["default-src"] == ["'none'"], name
    assert [r.status_code for r in responses.values()] == [200, 200, 400, 413, 404, 200]


async def test_the_graphiql_page_may_load_what_it_needs_and_nothing_more(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    policy = policy_of(page)
    html = page.text
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert inline, "the page has its inline script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    # every file comes from this server (networks without internet), as the page pinned it
    files = re.findall(
        r'(?:src|href)="(/graphiql-assets/[^"]+)"\s+integrity="sha384-([^"]+)"', html
    )
    assert len(files) == 7 and "https://" not in "".join(re.findall(r'src="([^"]+)"', html))
    for url, pinned in files:
        served = await client.get(url)
        assert served.status_code == 200, url
        assert base64.b64encode(hashlib.sha384(served.content).digest()).decode() == pinned
    assert "'self'" in policy["script-src"] and "'self'" in policy["style-src"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy["script-src"])
    assert not [s for s in policy["script-src"] if s.startswith("https://")]
    assert policy["connect-src"] == ["'self'"]  # the page queries this server only
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]  # its icon is a data: URL
    assert 'href="data:image/svg+xml' in html


async def test_an_unknown_address_or_method_is_a_coded_refusal(client: httpx.AsyncClient) -> None:
    missing = await client.get("/nope")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    for method in ("PUT", "DELETE"):
        wrong = await client.request(method, "/graphql")
        assert wrong.status_code == 405, method
        assert wrong.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
        assert "GET" in wrong.headers["allow"] and "POST" in wrong.headers["allow"]
    posted = await client.post("/healthz")
    assert posted.status_code == 405 and "GET" in posted.headers["allow"]


async def test_several_operations_need_an_operation_name(client: httpx.AsyncClient) -> None:
    document = "query A { __typename } mutation M { logout { revoked } }"
    accept = {"Accept": "application/graphql-response+json"}
    unnamed = await client.post("/graphql", json={"query": document}, headers=accept)
    assert unnamed.status_code == 400
    assert unnamed.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "operationName" in unnamed.json()["errors"][0]["message"]
    named = await client.post("/graphql", json={"query": document, "operationName": "A"})
    assert named.json() == {"data": {"__typename": "Query"}}


async def test_only_the_origins_set_may_call_from_a_browser(servers: LocalServers) -> None:
    allowed, other = "https://workbench.example", "https://elsewhere.example"
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}  # fmt: skip
    query = {"query": "{ __typename }"}
    for origins in ("", allowed):
        app = create_app(make_settings(servers, cors_origins=origins))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                asked = await client.options("/graphql", headers={"Origin": allowed, **preflight})
                post = await client.post("/graphql", json=query, headers={"Origin": allowed})
                stranger = await client.post("/graphql", json=query, headers={"Origin": other})
                refused = await client.options("/graphql", headers={"Origin": other, **preflight})
            await release_database(app.state.resources)
        if not origins:  # none by default: no browser elsewhere may read an answer
            assert "access-control-allow-origin" not in post.headers
            assert "access-control-allow-origin" not in asked.headers
            continue
        assert asked.status_code == 200
        assert asked.headers["access-control-allow-origin"] == allowed
        assert "authorization" in asked.headers["access-control-allow-headers"].lower()
        assert post.headers["access-control-allow-origin"] == allowed
        assert "access-control-allow-origin" not in stranger.headers
        assert refused.status_code == 400


async def test_the_workbench_is_served_at_the_root_under_its_own_policy(
    client: httpx.AsyncClient,
) -> None:
    page = {"Accept": "text/html,application/xhtml+xml"}
    root = await client.get("/", headers=page)
    assert root.status_code == 200 and '<html lang="zh-CN">' in root.text
    policy = root.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "https:" not in policy
    assert root.headers["cache-control"] == "no-cache"
    for address in ("/library", "/regulations/abc", "/my/suggestions"):  # the app's own routes
        routed = await client.get(address, headers=page)
        assert routed.status_code == 200 and routed.text == root.text, address

    script = re.search(r'src="(/assets/[^"]+\.js)"', root.text)
    assert script is not None
    served = await client.get(script[1], headers={"Accept-Encoding": "gzip"})
    assert served.status_code == 200 and served.headers["content-encoding"] == "gzip"
    assert "immutable" in served.headers["cache-control"]

    for missing, headers in [("/assets/gone.js", page), ("/nope", {"Accept": "application/json"})]:
        answer = await client.get(missing, headers=headers)
        assert answer.status_code == 404, missing
        assert answer.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    posted = await client.post("/library", headers=page)
    assert posted.status_code == 405


async def test_without_a_built_workbench_the_root_is_a_coded_refusal(
    servers: LocalServers, tmp_path: object
) -> None:
    settings = make_settings(servers, web_dir=str(tmp_path))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jiandu.test") as c:
            root = await c.get("/", headers={"Accept": "text/html"})
        await release_database(app.state.resources)
    assert root.status_code == 404
    assert root.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
