"""Docker does not run on our machines, so the compose file is held to the settings the app
reads and the server versions the tests use."""

import ipaddress
import re
from typing import Any
from urllib.parse import urlparse

import yaml

from api.devservers.binaries import MEILISEARCH_VERSION
from api.settings import Settings
from tests.conftest import ROOT

COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def settings_env_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"JIANDU_{name.upper()}")
    return names


def api_env() -> dict[str, str]:
    key = "k" * 32
    return {
        name: re.sub(r"\$\{MEILI_MASTER_KEY:\?[^}]*\}", key, str(value))
        for name, value in SERVICES["api"]["environment"].items()
    }


def test_every_api_variable_is_a_setting_and_they_validate_as_production() -> None:
    env = api_env()
    assert set(env) <= settings_env_names(), set(env) - settings_env_names()
    values: dict[str, Any] = {
        (
            name if name in {"MONGODB_URL", "MEILI_URL", "MEILI_MASTER_KEY"} else name[7:].lower()
        ): value
        for name, value in env.items()
    }
    settings = Settings(**values)
    assert settings.is_production
    assert not settings.graphql_introspection and not settings.graphiql


def test_urls_point_at_the_compose_services() -> None:
    env = api_env()
    mongo = urlparse(env["MONGODB_URL"])
    assert mongo.hostname == "mongodb" and mongo.port == 27017
    assert "replicaSet=rs0" in mongo.query
    assert "--replSet" in SERVICES["mongodb"]["command"]
    assert "rs0" in SERVICES["mongodb"]["command"]
    meili = urlparse(env["MEILI_URL"])
    assert meili.hostname == "meilisearch" and meili.port == 7700


def test_two_api_replicas_answer_on_one_address_through_the_proxy() -> None:
    port = api_env()["JIANDU_PORT"]
    assert SERVICES["api"]["deploy"]["replicas"] >= 2
    assert "ports" not in SERVICES["api"], "replicas cannot share a published port"
    assert f"{port}:{port}" in SERVICES["proxy"]["ports"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f"server api:{port} resolve;" in nginx
    assert "proxy_set_header Upgrade $http_upgrade;" in nginx, "subscriptions pass through"
    limit = re.search(r"client_max_body_size (\d+)m;", nginx)
    assert limit and int(limit.group(1)) * 1_000_000 > Settings().attachment_max_bytes


def test_the_api_trusts_the_proxy_and_only_it() -> None:
    address = SERVICES["proxy"]["networks"]["default"]["ipv4_address"]
    assert api_env()["JIANDU_TRUSTED_PROXIES"] == address
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet)


def test_images_match_the_versions_we_test() -> None:
    assert SERVICES["mongodb"]["image"].startswith("mongo:7.")
    minor = ".".join(MEILISEARCH_VERSION.split(".")[:2])
    assert SERVICES["meilisearch"]["image"] == f"getmeili/meilisearch:v{minor}"


def test_the_search_key_is_shared_and_required() -> None:
    api_key = SERVICES["api"]["environment"]["MEILI_MASTER_KEY"]
    assert api_key == SERVICES["meilisearch"]["environment"]["MEILI_MASTER_KEY"]
    assert api_key.startswith("${MEILI_MASTER_KEY:?")


def test_services_have_health_checks_and_start_in_order() -> None:
    for name, service in SERVICES.items():
        assert service.get("healthcheck", {}).get("test"), name
    assert SERVICES["api"]["depends_on"] == {
        "mongodb": {"condition": "service_healthy"},
        "meilisearch": {"condition": "service_healthy"},
    }
    assert SERVICES["proxy"]["depends_on"] == {"api": {"condition": "service_healthy"}}


def test_the_image_serves_the_api() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["jiandu", "serve"]' in dockerfile
    assert f"EXPOSE {api_env()['JIANDU_PORT']}" in dockerfile
