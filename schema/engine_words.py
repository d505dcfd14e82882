"""The GraphQL engine's own refusals (graphql-core's and strawberry's: a syntax error, an
unknown field or argument, a value of the wrong type, a missing variable) in Chinese, for the
people who write the frontend's queries. Names from the query and the schema stay as they
are; a message not listed here stays as the engine wrote it."""

import re
from functools import partial

WORDS: list[tuple[str, str]] = [
    (r"(.+?) Did you mean to use an inline fragment on (.+)\?",
     "{0*}（要取某一具体类型的字段，请用内联片段，如 ... on {1}）"),
    (r"(.+?) Did you mean the enum value (.+)\?", "{0*}（是否想写 {1}？）"),
    (r"(.+?) Did you mean (.+)\?", "{0*}（是否想写 {1}？）"),
    (r"Expected value of type '(.+)' not to include unknown field '(.+)'\. Did you mean "
     r"(.+)\? Found: .+\.", "{0} 没有字段 {1}（是否想写 {2}？）"),
    (r"Syntax Error: (.+)", "查询语法错误：{0*}"),
    (r"Expected (.+), found (.+)\.", "此处应为 {0}，却是 {1}"),
    (r"Unexpected (.+)\.", "此处不应出现 {0}"),
    (r"Unterminated string\.", "字符串缺少结束的引号"),
    (r"Cannot query field '(.+)' on type '(.+)'\.", "类型 {1} 没有字段 {0}"),
    (r"Unknown argument '(.+)' on field '(.+)'\.", "字段 {1} 没有参数 {0}"),
    (r"Unknown argument '(.+)' on directive '(.+)'\.", "指令 {1} 没有参数 {0}"),
    (r"Argument '(.+)' of type '(.+)' is required, but it was not provided\.",
     "缺少必填参数 {0}（{1}）"),
    (r"Field '(.+)' of type '(.+)' must have a selection of subfields\.",
     "字段 {0}（{1}）需要列出要取的子字段"),
    (r"Field '(.+)' must not have a selection since type '(.+)' has no subfields\.",
     "字段 {0}（{1}）没有子字段，不能再选"),
    (r"Unknown type '(.+)'\.", "没有类型 {0}"),
    (r"Unknown directive '(.+)'\.", "没有指令 {0}"),
    (r"Directive '(.+)' may not be used on (.+)\.", "指令 {0} 不能用在 {1} 上"),
    (r"The directive '(.+)' can only be used once at this location\.", "指令 {0} 在此处只能用一次"),
    (r"Variable '\$(.+)' of type '(.+)' used in position expecting type '(.+)'\.",
     "变量 ${0} 的类型是 {1}，此处需要 {2}"),
    (r"Variable '\$(.+)' cannot be non-input type '(.+)'\.", "变量 ${0} 的类型 {1} 不能作为输入"),
    (r"Fragment '(.+)' cannot be spread here as objects of type '(.+)' can never be of type "
     r"'(.+)'\.", "片段 {0} 不能用在这里：{1} 类型的对象不会是 {2}"),
    (r"Fragment cannot be spread here as objects of type '(.+)' can never be of type '(.+)'\.",
     "内联片段不能用在这里：{0} 类型的对象不会是 {1}"),
    (r"Fragment '(.+)' cannot condition on non composite type '(.+)'\.",
     "片段 {0} 不能针对 {1} 这种没有字段的类型"),
    (r"Cannot spread fragment '(.+)' within itself via (.+)\.", "片段 {0} 经由 {1} 引用了自身"),
    (r"Cannot spread fragment '(.+)' within itself\.", "片段 {0} 引用了自身"),
    (r"Fields '(.+)' conflict because (.+)\. Use different aliases on the fields to fetch both "
     r"if this was intentional\.", "字段 {0} 有冲突（{1*}）：如果要同时取，请给它们起不同的别名"),
    (r"'(.+)' and '(.+)' are different fields", "{0} 和 {1} 是不同的字段"),
    (r"they have differing arguments", "两处的参数不同"),
    (r"they return conflicting types '(.+)' and '(.+)'", "两处的类型 {0} 和 {1} 不一致"),
    (r"There can be only one argument named '(.+)'\.", "参数 {0} 只能给一次"),
    (r"There can be only one input field named '(.+)'\.", "输入字段 {0} 只能给一次"),
    (r"There can be only one fragment named '(.+)'\.", "名为 {0} 的片段只能有一个"),
    (r"There can be only one variable named '\$(.+)'\.", "变量 ${0} 只能声明一次"),
    (r"(?:Anonymous Subscription|Subscription '(.+)') must select only one top level field\.",
     "订阅只能选一个顶层字段"),
    (r"ID cannot represent a non-string and non-integer value: (.+)",
     "应为字符串形式的 id，收到 {0}"),
    (r"Unknown fragment '(.+)'\.", "没有片段 {0}"),
    (r"Fragment '(.+)' is never used\.", "片段 {0} 没有用到"),
    (r"There can be only one operation named '(.+)'\.", "名为 {0} 的操作只能有一个"),
    (r"This anonymous operation must be the only defined operation\.",
     "请求中有多个操作时，每个都要有名字"),
    (r"Variable '\$(.+)' is never used(?: in operation '.+')?\.", "变量 ${0} 没有用到"),
    (r"Variable '\$(.+)' is not defined(?: by operation '.+')?\.", "变量 ${0} 没有声明"),
    (r"Variable '\$(.+)' of required type '(.+)' was not provided\.", "缺少变量 ${0}（{1}）"),
    (r"Variable '\$(.+?)' has invalid value at \.?(.+?): (.+)", "变量 ${0} 的 {1} 无效：{2*}"),
    (r"Variable '\$(.+?)' has invalid value: (.+)", "变量 ${0} 的值无效：{1*}"),
    (r"Expected a value of non-null type '(.+)' to be provided\.", "缺少 {0} 类型的值"),
    (r"Expected value of non-null type '(.+)' not to be (?:None|null)\.",
     "{0} 类型的值不能为 null"),
    (r"Expected value of type '(.+)' to include required field '(.+)', found: .+\.",
     "{0} 缺少必填字段 {1}"),
    (r"Expected value of type '(.+)' not to include unknown field '(.+)', found: .+\.",
     "{0} 没有字段 {1}"),
    (r"Expected value of type '.+', but encountered error '(.+)'; found: .+\.", "{0}"),
    (r"Expected value of type '(.+)', found (.+?); (.+)", "应为 {0} 类型的值，收到 {1}：{2*}"),
    (r"Expected value of type '(.+)', found (.+)\.", "应为 {0} 类型的值，收到 {1}"),
    (r"Int cannot represent non 32-bit signed integer value: (.+)",
     "整数应在 -2147483648 到 2147483647 之间，收到 {0}"),
    (r"Int cannot represent non-integer value: (.+)", "应为整数，收到 {0}"),
    (r"Float cannot represent non numeric value: (.+)", "应为数字，收到 {0}"),
    (r"String cannot represent a non string value: (.+)", "应为字符串，收到 {0}"),
    (r"Boolean cannot represent a non boolean value: (.+)", "应为 true 或 false，收到 {0}"),
    (r"ID cannot represent value: (.+)", "应为字符串形式的 id，收到 {0}"),
    (r"Value '(.+)' does not exist in '(.+)' enum\.", "枚举 {1} 没有值 {0}"),
    (r"Enum '(.+)' cannot represent non-enum value: (.+)\.", "应为枚举 {0} 的值，收到 {1}"),
    (r"Value cannot represent a Date: (.+?)\. .+", "不是有效的日期：{0}（应写作 2026-01-31）"),
]  # fmt: skip
"""The engine's English (a regular expression over the whole message) → what people read;
``{n*}`` is a part translated in its turn."""

_COMPILED = [(re.compile(english, re.DOTALL), chinese) for english, chinese in WORDS]


def _part(found: re.Match[str], slot: re.Match[str]) -> str:
    """The part of the engine's message a ``{n}`` (``{n*}``: translated) stands for."""
    part = found[int(slot[1]) + 1]
    return chinese(part) if slot[2] else part


def chinese(message: str) -> str:
    """``message`` in Chinese when the engine wrote it in a way listed in ``WORDS``."""
    for english, words in _COMPILED:
        found = english.fullmatch(message)
        if found is None:
            continue
        said = re.sub(r"\{(\d)(\*?)\}", partial(_part, found), words)
        # the names a "Did you mean" offers: 'a' or 'b', and 'a', 'b', or 'c'
        for between in ("', or '", "' or '", "', '"):
            said = said.replace(between, "'、'")
        return said
    return message
