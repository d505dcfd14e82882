"""Configuration rules, the demo loader's refusal in production, the command line, and the
committed SDL."""

import os
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from api.devservers.local import LocalServers
from api.errors import AuthenticationError
from api.services.tokens import authenticate
from api.settings import Settings
from schema import export_sdl
from seed.demo import DemoRefused, load_demo
from seed.generated import SUGGESTION, own_id
from tests.conftest import ROOT
from tests.factories import jiandu

PRODUCTION = {
    "env": "production",
    "MONGODB_URL": "mongodb://db:27017/?replicaSet=rs0",
    "MEILI_URL": "http://search:7700",
}


@pytest.mark.parametrize("key", [None, "", "change-me", "masterKey", "short"])
def test_production_refuses_a_missing_or_placeholder_search_key(key: str | None) -> None:
    with pytest.raises(ValidationError, match="MEILI_MASTER_KEY"):
        Settings(**PRODUCTION, MEILI_MASTER_KEY=key)  # type: ignore[arg-type]


def test_production_needs_both_server_urls() -> None:
    with pytest.raises(ValidationError, match="MONGODB_URL、MEILI_URL"):
        Settings(env="production", MEILI_MASTER_KEY="a-real-key-of-enough-length")  # type: ignore[arg-type]


def test_page_size_default_may_not_exceed_the_maximum() -> None:
    with pytest.raises(ValidationError):
        Settings(page_size_default=50, page_size_max=20)
    with pytest.raises(ValidationError):
        Settings(page_size_max=500)


def test_cors_origins_are_origins_and_never_everyone() -> None:
    for bad in ("*", "workbench.example", "https://a.example/app", "ftp://a.example"):
        with pytest.raises(ValidationError, match="cors_origins"):
            Settings(cors_origins=bad)  # type: ignore[arg-type]
    given = Settings(cors_origins="https://A.example, http://127.0.0.1:5173")  # type: ignore[arg-type]
    assert given.cors_origins == ["https://a.example", "http://127.0.0.1:5173"]


def test_a_trusted_proxy_that_is_no_address_is_refused() -> None:
    for bad in ("proxy.local", "10.0.0.0/33", "10.0.0.1,,nonsense"):
        with pytest.raises(ValidationError, match="trusted_proxies"):
            Settings(trusted_proxies=bad)  # type: ignore[arg-type]


async def test_demo_accounts_are_refused_in_production(app: object) -> None:
    settings = Settings(**PRODUCTION, MEILI_MASTER_KEY="a-real-key-of-enough-length")  # type: ignore[arg-type]
    with pytest.raises(DemoRefused, match="不加载演示账号"):
        await load_demo(settings)


def test_the_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "schema.graphql").read_text()
    assert committed == export_sdl(), "schema/schema.graphql is stale: run `jiandu schema export`"


async def test_cli_creates_users_and_tokens(
    servers: LocalServers, settings: Settings, app: object
) -> None:
    db = settings.mongodb_database
    created = jiandu(servers, db, "users", "create", "clerk", "--role", "STAFF", "--name", "书记员",
                     "--password-stdin", stdin="a long passphrase\n")  # fmt: skip
    assert created.returncode == 0, created.stderr
    duplicate = jiandu(servers, db, "users", "create", "clerk", "--role", "STAFF", "--name", "x",
                       "--password-stdin", stdin="a long passphrase\n")  # fmt: skip
    assert duplicate.returncode == 1 and "已被占用" in duplicate.stderr
    weak = jiandu(servers, db, "users", "create", "weak", "--role", "STAFF", "--name", "x",
                  "--password-stdin", stdin="short\n")  # fmt: skip
    assert weak.returncode == 1 and "8 到 256 个字符" in weak.stderr

    issued = jiandu(servers, db, "tokens", "create", "clerk", "--name", "nightly", "--days", "5")
    assert issued.returncode == 0, issued.stderr
    secret = issued.stdout.strip().splitlines()[-1]
    token_id = issued.stdout.split("令牌编号 ")[1].split("；")[0]
    viewer = await authenticate(secret)
    assert viewer.role == "STAFF"

    revoked = jiandu(servers, db, "tokens", "revoke", token_id)
    assert revoked.returncode == 0, revoked.stderr
    with pytest.raises(AuthenticationError) as refused:
        await authenticate(secret)
    assert refused.value.code == "TOKEN_REVOKED"
    unknown = jiandu(servers, db, "tokens", "revoke", "not-an-id")
    assert unknown.returncode == 1 and "不是令牌编号" in unknown.stderr


async def test_cli_seed_is_refused_in_production(servers: LocalServers, settings: Settings) -> None:
    refused = jiandu(servers, settings.mongodb_database, "seed", JIANDU_ENV="production",
                     MEILI_MASTER_KEY="a-real-key-of-enough-length")  # fmt: skip
    assert refused.returncode == 1
    assert "不加载演示账号" in refused.stderr


def test_cli_reports_bad_configuration() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api", "seed"],
        capture_output=True,
        text=True,
        env={**os.environ, "JIANDU_ENV": "production", "MONGODB_URL": "", "MEILI_URL": ""},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "配置无效" in result.stderr


async def test_the_scale_data_set_loads_through_the_importers_the_same_each_time(
    servers: LocalServers, settings: Settings, app: Any
) -> None:
    db = app.state.resources.db
    too_big = jiandu(servers, settings.mongodb_database, "generate", "--execution-rows", "2000000")
    assert too_big.returncode == 1 and "at most 1,029,120 execution rows" in too_big.stderr
    assert await db.regulations.count_documents({}) == 0, "refused before anything is written"
    loaded = jiandu(servers, settings.mongodb_database, "generate", "--fraction", "0.001")
    assert loaded.returncode == 0, loaded.stderr
    assert "suggestion ledger: 10 rows" in loaded.stdout
    expected = {"regulations": 10, "suggestions": 100, "budget_lines": 83,
                "budget_execution": 996, "key_projects": 5}  # fmt: skip
    assert {name: await db[name].count_documents({}) for name in expected} == expected

    again = jiandu(servers, settings.mongodb_database, "generate", "--fraction", "0.001")
    assert again.returncode == 1 and "已有生成的数据" in again.stderr

    other = f"{settings.mongodb_database}_again"
    try:  # the same flags, another database: the same suggestions
        assert jiandu(servers, other, "generate", "--fraction", "0.001").returncode == 0
        generated = {"_id": {"$gte": own_id(SUGGESTION, 0), "$lt": own_id(SUGGESTION + 1, 0)}}
        first = await db.suggestions.find(generated).sort("_id").to_list()
        second = await db.client[other].suggestions.find(generated).sort("_id").to_list()
        assert len(first) == 90 and first == second
    finally:
        await db.client.drop_database(other)

    production = jiandu(servers, settings.mongodb_database, "generate", JIANDU_ENV="production",
                        MEILI_MASTER_KEY="a-real-key-of-enough-length")  # fmt: skip
    assert production.returncode == 1 and "生产环境" in production.stderr


@pytest.mark.parametrize(
    ("value", "said"),
    [("0", "JIANDU_WORKERS：应不小于 1（现为 '0'）"),
     ("33", "JIANDU_WORKERS：应不大于 32（现为 '33'）"),
     ("two", "JIANDU_WORKERS：应为整数（现为 'two'）")],
)  # fmt: skip
def test_a_bad_number_of_api_processes_is_refused_in_chinese(value: str, said: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api", "serve"],
        capture_output=True,
        text=True,
        env={**os.environ, "JIANDU_WORKERS": value},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert said in " ".join(result.stderr.split()), result.stderr


def test_worker_processes_get_the_parents_settings_even_those_not_in_the_environment() -> None:
    import json

    from api.server import WORKER_SETTINGS, worker_environment

    given = Settings(MONGODB_URL="mongodb://db", MEILI_URL="http://search",  # type: ignore[call-arg]
                     library_region="澜川省", workers=3, reminder_days=[10, 2],
                     trusted_proxies="10.0.0.0/8")  # type: ignore[arg-type]  # fmt: skip
    read_back = Settings(**json.loads(worker_environment(given)[WORKER_SETTINGS]))
    assert read_back == given


@pytest.mark.parametrize(
    ("arguments", "said"),
    [(["nosuch"], "没有命令 'nosuch'。"),
     (["budget", "rollups", "check", "--year", "abc"], "'--year' 的值无效：应为整数"),
     (["serve", "--bogus"], "没有选项 --bogus"),
     (["users", "create"], "缺少参数 'username'。"),
     (["users", "create", "x", "--role", "BOSS"], "'--role' 的值无效：应为以下之一：PUBLIC、")],
)  # fmt: skip
def test_the_command_line_refuses_in_chinese(arguments: list[str], said: str) -> None:
    """typer's own refusals (its help headings too) read in Chinese, not English."""
    result = subprocess.run(
        [sys.executable, "-m", "api", *arguments], capture_output=True, text=True, cwd=ROOT,
        timeout=60, check=False, env={**os.environ, "TERMINAL_WIDTH": "200"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "--help' 查看帮助" in result.stderr, result.stderr
    assert not {"Invalid value", "No such", "Missing", "Input should"} & set(
        result.stderr.replace("'", " ").split(" ")
    ), result.stderr
    helped = subprocess.run([sys.executable, "-m", "api", "users", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    assert "选项" in helped.stdout and "命令" in helped.stdout
    assert "用法：python -m api users [选项] 命令 [参数]..." in helped.stdout, helped.stdout
    assert "Usage" not in helped.stdout and "OPTIONS" not in helped.stdout
