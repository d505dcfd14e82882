"""Chinese for the words typer (and its copy of click) prints itself: usage errors, help
headings, the hint to ask for help. The people at the command line read Chinese (DOMAIN.md),
like everyone else. typer writes most of these words through ``gettext``, whose function it
binds when it is imported; so ``install`` runs before typer is imported (first thing in
``api.cli``). A word not listed here stays as typer wrote it.

typer's copy of click writes three refusals (a bad value, a missing option, an unknown
option), the usage line and the ``--help`` option's description without ``gettext``, and
checks a value with pydantic, whose first complaint it prints in English: ``install`` gives
those their Chinese too (``api.settings.expected`` for pydantic's).
tests/test_settings_and_cli.py holds the command line to it."""

import gettext
from typing import Any

WORDS = {
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Error": "错误",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    ),
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(deprecated) ": "（已停用）",
    "(dynamic)": "（运行时决定）",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
}
"""typer's English, as its source writes it for ``gettext`` → what people read instead."""


def chinese(message: str) -> str:
    return WORDS.get(message, message)


def refusal(error: Any) -> str:
    """pydantic's first complaint about an option's value, in Chinese when it is one of
    ``REFUSALS`` (应为整数 …)."""
    from api.settings import expected

    problems = error.errors()
    if not problems:
        return str(error)
    if problems[0]["type"] == "value_error":  # a check that raised ValueError: its own words
        return str(problems[0]["ctx"]["error"])
    return expected(problems[0]) or str(problems[0]["msg"])


def _choice_in_chinese(original: Any) -> Any:
    """typer's check of a value against an option's choices (an enum's), refusing in
    Chinese: ``应为以下之一：PUBLIC、DEPUTY …；收到的是 BOSS``."""

    def coerce_cli_choice(value: Any, *, choices: Any, case_sensitive: bool,
                          ctx: Any = None) -> Any:  # fmt: skip
        try:
            return original(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
        except ValueError:
            allowed = "、".join(str(getattr(c, "value", c)) for c in choices)
            raise ValueError(f"应为以下之一：{allowed}；收到的是 {value}") from None

    return coerce_cli_choice


def _hint(error: Any) -> str:
    from typer._click.exceptions import _join_param_hints

    given = error.param_hint
    if given is None and error.param is not None:
        given = error.param.get_error_hint()
    return _join_param_hints(given) or ""


def bad_value(error: Any) -> str:
    hint = _hint(error)
    return f"{hint} 的值无效：{error.message}" if hint else f"值无效：{error.message}"


def missing(error: Any) -> str:
    kind = "参数" if getattr(error.param, "param_type_name", "") == "argument" else "选项"
    return f"缺少{kind} {_hint(error)}。".replace(" 。", "。")


def unknown_option(error: Any) -> str:
    found = f"没有选项 {error.option_name}"
    if error.possibilities:
        return f"{found}（可用的有：{'、'.join(sorted(error.possibilities))}）"
    return found


def _help_option_in_chinese(original: Any) -> Any:
    """typer's ``--help`` option, described in Chinese."""

    def help_option(names: list[str]) -> Any:
        attach = original(names)

        def decorate(command: Any) -> Any:
            attach(command)
            command.params[-1].help = "显示本帮助并退出。"
            return command

        return decorate

    return help_option


PLACEHOLDERS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
"""typer's placeholders in a usage line (an argument's own name, such as FILE, stays)."""


def _usage_in_chinese(original: Any) -> Any:
    """The usage line, ``用法：jiandu users [选项] 命令 [参数]...``."""

    def write_usage(formatter: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese_words in PLACEHOLDERS.items():
            args = args.replace(english, chinese_words)
        original(formatter, prog, args, "用法：" if prefix is None else prefix)

    return write_usage


def install() -> None:
    """Chinese for click and typer; before either is imported."""
    gettext.gettext = chinese
    import typer._adapters
    import typer._coercion
    import typer._param_types
    from typer._click import decorators, exceptions, formatting

    typer._coercion.get_error_msg = refusal  # type: ignore[assignment]
    typer._param_types.get_error_msg = refusal  # type: ignore[assignment]
    typer._adapters.coerce_cli_choice = _choice_in_chinese(typer._adapters.coerce_cli_choice)
    exceptions.BadParameter.format_message = bad_value  # type: ignore[method-assign,assignment]
    exceptions.MissingParameter.format_message = missing  # type: ignore[method-assign,assignment]
    exceptions.NoSuchOption.format_message = unknown_option  # type: ignore[method-assign,assignment]
    decorators.help_option = _help_option_in_chinese(decorators.help_option)
    formatting.HelpFormatter.write_usage = _usage_in_chinese(  # type: ignore[method-assign]
        formatting.HelpFormatter.write_usage
    )
