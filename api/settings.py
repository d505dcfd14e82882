"""Settings: read once at start-up from the environment (prefix ``JIANDU_``).

The three connection settings keep the names the servers' own images use
(``MONGODB_URL``, ``MEILI_URL``, ``MEILI_MASTER_KEY``), so one compose file feeds both.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, IPvAnyNetwork, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "masterKey", "demo"})


class ConfigurationError(RuntimeError):
    """The configuration does not allow what was asked (e.g. no server URL to connect to)."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
"""A web origin as CORS names it."""


class Settings(BaseSettings):
    """Everything jiandu reads from its environment. See the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="JIANDU_", extra="ignore", frozen=True)

    env: Environment = Environment.DEVELOPMENT

    mongodb_url: str | None = Field(default=None, validation_alias="MONGODB_URL")
    mongodb_database: str = "jiandu"
    meili_url: str | None = Field(default=None, validation_alias="MEILI_URL")
    meili_master_key: str | None = Field(default=None, validation_alias="MEILI_MASTER_KEY")
    meili_timeout_seconds: int = Field(default=2, ge=1)
    library_region: str = ""
    """The deployment's region (行政区划, e.g. ``澜川省`` or ``澜川省青岚县``): in library
    search its local regulations come right after the national laws, before other regions'."""
    search_sync_in_process: bool = True
    """Run the search sync worker inside the API process (off when `jiandu sync` runs it)."""
    search_sync_lease_seconds: float = Field(default=10, ge=1, le=300)
    """One sync worker leads at a time, whatever the number of API processes (and ``jiandu
    sync``): the leader renews its lease every third of this; when it dies another takes over
    within this time."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=32)
    """API processes ``jiandu serve`` runs on its one port (uvicorn's workers, restarted when
    one dies). Each runs the search sync worker when that is on; one of them leads."""
    data_dir: Path = Path(".jiandu")

    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.JSON

    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    api_token_max_days: int = Field(default=365, ge=1)
    sign_in_failures_per_account: int = Field(default=5, ge=1)
    """Failed password checks (sign-in or password change) an account may have from one
    client address within ``sign_in_window_minutes`` before further attempts on it from that
    address are refused (even with the right password) until the window passes. Other
    addresses are not affected, so nobody can lock a user out from elsewhere."""
    sign_in_failures_per_address: int = Field(default=20, ge=1)
    """The same for one client address, across accounts."""
    sign_in_window_minutes: int = Field(default=15, ge=1)
    complaints_per_hour: int = Field(default=5, ge=1, le=1000)
    """Consultations and complaints about direct funds one client address may submit in an
    hour (the channel needs no account)."""
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = Field(default_factory=list)
    """Addresses or networks of the reverse proxies in front of jiandu, comma-separated
    (e.g. ``127.0.0.1,10.0.0.0/8``). Only when the direct peer is one of them is the client
    address read from ``X-Forwarded-For``; none by default."""

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Origins of web frontends served from elsewhere that may call the API from a browser,
    comma-separated (e.g. ``https://jiandu.example.gov.cn``); none by default. Each is a
    scheme and host (and port), nothing more; ``*`` is refused."""

    web_dir: Path = Path(__file__).resolve().parents[1] / "web" / "dist"
    """The built workbench (``web/``), served at ``/``; where it holds no ``index.html`` (not
    built), ``/`` serves nothing."""

    graphiql: bool | None = None
    """Serve GraphiQL to browsers. Unset: on, except in production."""
    graphql_introspection: bool | None = None
    """Allow introspection (``__schema``, ``__type``). Unset: on, except in production."""
    graphql_suggestions: bool | None = None
    """"Did you mean …" in error messages (it names fields and values a client did not
    know). Unset: on, except in production."""
    graphql_max_depth: int = Field(default=12, ge=2)
    graphql_max_aliases: int = Field(default=30, ge=0)
    graphql_max_tokens: int = Field(default=2000, ge=50)
    graphql_max_cost: int = Field(default=20000, ge=10)
    graphql_max_selections: int = Field(default=300, ge=10)
    """Selections written in a document (fields, fragment spreads, inline fragments),
    checked before anything else."""
    graphql_max_fragment_spreads: int = Field(default=50, ge=0)
    """Fragment spreads (``...Name``) written in a document, checked before anything else."""
    page_size_default: int = Field(default=20, ge=1)
    page_size_max: int = Field(default=100, ge=1, le=100)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    max_json_depth: int = Field(default=64, ge=4)
    """Deepest nesting of arrays and objects in a request's JSON (body or GET variables)."""

    http_max_connections: int = Field(default=1000, ge=1)
    """Connections (and requests in progress) the server takes at once; beyond, 503."""
    http_header_timeout_seconds: float = Field(default=10, gt=0)
    """How long a client may take to send a request's headers; then the connection closes."""
    http_body_timeout_seconds: float = Field(default=30, gt=0)
    """How long a client may take to send a request's body; then 408."""
    http_keep_alive_seconds: int = Field(default=5, ge=1)
    """How long an idle keep-alive connection is kept open."""
    http_max_header_bytes: int = Field(default=32_768, ge=4096)
    """Largest request line and headers together: larger gets 431 (400, and the connection
    closed, while they are still arriving)."""

    suggestion_handling_months: int = Field(default=3, ge=1, le=24)
    """The usual deadline of an assignment, counted from the day of assignment."""
    suggestion_rehandle_months: int = Field(default=1, ge=1, le=24)
    """The usual deadline of a re-handle after an unsatisfied evaluation."""
    suggestion_co_units_reply_first: bool = False
    """Whether, in each round, every co-unit replies before the lead unit's reply (as some
    congresses' rules for handling require)."""
    rectification_months: int = Field(default=2, ge=1, le=24)
    """The usual deadline of an opinion's or audit finding's rectification report."""
    warning_response_days: int = Field(default=30, ge=1, le=366)
    """The usual deadline of a unit's response to a warning issued to it."""
    utc_offset_hours: int = Field(default=8, ge=-12, le=14)
    """The offices' time zone, which decides what "today" is for deadlines (China: +8)."""
    budget_as_of: date | None = None
    """The day budget files are checked against: execution of a month that has not ended by
    then is a bad row. By default today."""
    export_max_rows: int = Field(default=20_000, ge=1)

    upload_max_unzipped_bytes: int = Field(default=200_000_000, ge=1_000_000)
    """What an imported file may hold: an .xlsx's parts unzipped together, a .csv's size."""
    upload_max_compression_ratio: int = Field(default=100, ge=10)
    """The most one part of an .xlsx (over 1 MiB unzipped) may be compressed, unzipped:zipped
    (a sheet of figures is about 10:1; zip bombs are hundreds to one)."""
    upload_max_shared_strings: int = Field(default=500_000, ge=1000)
    upload_max_rows: int = Field(default=1_000_000, ge=100)
    upload_max_columns: int = Field(default=256, ge=16)
    upload_parse_seconds: int = Field(default=300, ge=1)
    """How long reading one imported file (in a process of its own) may take."""
    upload_parse_processes: int = Field(default=2, ge=1)
    """How many imported files one jiandu process reads at once; more wait their turn (at most
    ``upload_parse_seconds``, then the file is refused)."""
    attachment_max_bytes: int = Field(default=20_000_000, ge=1024)
    """The largest file one may attach to a record; a request uploading one may be this
    much larger than ``max_body_bytes``."""
    attachments_per_record_max: int = Field(default=30, ge=1)
    smtp_host: str | None = None
    """The mail server notifications are e-mailed through; none (the default): no e-mail."""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_sender: str = "jiandu@localhost"
    """The From address of notification e-mails."""
    webhook_url: str | None = None
    """An SMS or WeChat gateway that is sent each notification of the people who take the
    WEBHOOK channel for its kind, as JSON signed with ``webhook_secret`` (HMAC-SHA256 in the
    ``X-Jiandu-Signature`` header); none (the default): no gateway."""
    webhook_secret: str | None = None
    delivery_max_attempts: int = Field(default=8, ge=1, le=50)
    """Tries of one e-mail before it is given up on (FAILED, listed for staff); the waits
    between them double from ``delivery_retry_seconds``."""
    delivery_retry_seconds: float = Field(default=30, gt=0)
    delivery_max_age_hours: float = Field(default=24, gt=0)
    """Notifications older than this when the sender first sees them (e-mail was off, or the
    sender was down) are not e-mailed: an old backlog is not sent all at once."""
    reminder_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [15, 3])
    """How many days before a deadline its units are reminded (``jiandu remind``), each once;
    overdue records are told to their units and staff once per deadline."""

    @model_validator(mode="after")
    def _webhook(self) -> "Settings":
        if self.webhook_url is None:
            return self
        url = urlsplit(self.webhook_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("JIANDU_WEBHOOK_URL 应为 http:// 或 https:// 开头的完整地址")
        own_host = url.hostname in ("localhost", "0.0.0.0", "::", "::1", self.host) or (
            url.hostname.startswith("127.")
        )
        if own_host and (url.port or (443 if url.scheme == "https" else 80)) == self.port:
            raise ValueError("JIANDU_WEBHOOK_URL 指向本服务自身：请填写短信或微信网关的地址")
        if not self.webhook_secret or len(self.webhook_secret) < 16:
            raise ValueError(
                "设置了 JIANDU_WEBHOOK_URL 就须设置 JIANDU_WEBHOOK_SECRET（至少 16 个字符）"
            )
        return self

    @field_validator("reminder_days")
    @classmethod
    def _days_ahead(cls, value: list[int]) -> list[int]:
        if any(not 1 <= d <= 365 for d in value):
            raise ValueError("JIANDU_REMINDER_DAYS 的每个天数应在 1 到 365 之间")
        return sorted(set(value))

    @field_validator("trusted_proxies", "cors_origins", "reminder_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if not ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"“{origin}”不是一个来源：应为 https://主机名[:端口]，不带路径，不能是 *"
                )
        return [origin.lower() for origin in value]

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> "Settings":
        if self.page_size_default > self.page_size_max:
            raise ValueError("JIANDU_PAGE_SIZE_DEFAULT 不能大于 JIANDU_PAGE_SIZE_MAX")
        if self.env is Environment.PRODUCTION:
            missing = [
                name
                for name, value in (
                    ("MONGODB_URL", self.mongodb_url),
                    ("MEILI_URL", self.meili_url),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"生产环境须设置 {'、'.join(missing)}")
            key = self.meili_master_key or ""
            if key in PLACEHOLDER_SECRETS or len(key) < 16:
                raise ValueError("生产环境须设置 MEILI_MASTER_KEY：至少 16 个字符，不能是示例值")
        return self

    def today(self, at: datetime | None = None) -> date:
        """The date in the offices' time zone, now or at ``at`` (UTC)."""
        zone = timezone(timedelta(hours=self.utc_offset_hours))
        return (
            (at.replace(tzinfo=at.tzinfo or UTC) if at else datetime.now(UTC))
            .astimezone(zone)
            .date()
        )

    def budget_day(self) -> date:
        """The day budget files are checked against (``budget_as_of``, else today)."""
        return self.budget_as_of or self.today()

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.is_production

    @property
    def introspection_enabled(self) -> bool:
        if self.graphql_introspection is not None:
            return self.graphql_introspection
        return not self.is_production

    @property
    def suggestions_enabled(self) -> bool:
        if self.graphql_suggestions is not None:
            return self.graphql_suggestions
        return not self.is_production


REFUSALS = {
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "missing": "未设置",
}
"""pydantic's refusals of a setting, in Chinese (the validators' own messages are Chinese
already)."""


def variable(field: str) -> str:
    """The environment variable that sets ``field``."""
    found = Settings.model_fields.get(field)
    alias = found.validation_alias if found else None
    return alias if isinstance(alias, str) else f"JIANDU_{field.upper()}"


def expected(problem: Any) -> str | None:
    """What a value pydantic refused (one of ``error.errors()``) should be, in Chinese; None
    when it is not one of ``REFUSALS``."""
    template = REFUSALS.get(problem["type"])
    if template is None:
        return None
    ctx = {k: str(v) for k, v in (problem.get("ctx") or {}).items()}
    return template.format(**ctx).replace(" or ", "、").replace(", ", "、")


def explain(error: ValidationError) -> str:
    """A refused configuration in Chinese: each variable, what it should be, and its value."""
    lines = []
    for problem in error.errors():
        what = expected(problem)
        if what is None:  # a validator of ours: its message names the variable
            lines.append(str((problem.get("ctx") or {}).get("error", problem["msg"])))
            continue
        name = variable(".".join(str(part) for part in problem["loc"]))
        given = "" if problem["type"] == "missing" else f"（现为 {problem['input']!r}）"
        lines.append(f"{name}：{what}{given}")
    return "；".join(lines)
