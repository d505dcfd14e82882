"""Messages in the request's language: Chinese by default, English for ``Accept-Language: en``.

The static checks read the source: every message a person reads is written in both
languages at its raise site (``say(zh, en)``), and no English twin holds Chinese words."""

import ast
import re
from collections.abc import Iterator

import httpx
import pytest

from api.access import Role
from api.language import preferred
from tests.conftest import ROOT
from tests.factories import signed_in

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")

MESSAGE_CALLS = {
    "DomainError",
    "ClientError",
    "AuthenticationError",
    "HTTPException",
    "error_response",
    "RowError",
    "refused",
    "Bad",
    "UnreadableFile",
    "FileRejected",
}
"""Calls whose arguments are messages a person reads."""

MESSAGE_KEYWORDS = {"what", "message", "reason"}
"""Keyword arguments that carry (part of) a message, in any call."""

SERVED = ["api", "schema", "search"]
NOT_SERVED = {"api/cli.py", "api/cli_words.py"}
"""The command line speaks to the county's operators in Chinese only."""

STORED = "# stored"
"""Ends a line whose Chinese is content jiandu keeps (a notification, a timeline note), which
stays Chinese whoever's request wrote it."""


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for folder in SERVED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name not in NOT_SERVED:
                yield name, ast.parse(path.read_text(encoding="utf-8"), name)


def _stored(name: str, line: int) -> bool:
    return (ROOT / name).read_text(encoding="utf-8").splitlines()[line - 1].endswith(STORED)


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _literal_text(node: ast.AST) -> Iterator[ast.Constant]:
    """The string literals in ``node``, not counting those inside a ``say(…)``."""
    if isinstance(node, ast.Call) and _name(node) == "say":
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _literal_text(child)


def _says() -> Iterator[tuple[str, ast.Call]]:
    for name, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) == "say":
                yield name, node


def test_every_message_has_its_english_twin_at_the_raise_site() -> None:
    bare = []
    for name, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            carried = [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
            if _name(node) in MESSAGE_CALLS:
                carried += [*node.args, *(k.value for k in node.keywords)]
            for part in carried:
                for text in _literal_text(part):
                    if CJK.search(text.value) and not _stored(name, text.lineno):
                        bare.append(f"{name}:{text.lineno}: {text.value!r}")
    assert bare == [], "Chinese only, with no say(zh, en):\n" + "\n".join(bare)


def test_english_twins_hold_no_chinese_and_chinese_ones_are_chinese() -> None:
    wrong = []
    for name, call in _says():
        assert len(call.args) == 2 and not call.keywords, f"{name}:{call.lineno}: say(zh, en)"
        zh, en = call.args
        if any(CJK.search(t.value) for t in _literal_text(en)):
            wrong.append(f"{name}:{call.lineno}: Chinese in the English twin")
        written = list(_literal_text(zh))  # none: a lookup (REASONS[reason])
        if written and not any(CJK.search(t.value) for t in written):
            wrong.append(f"{name}:{call.lineno}: no Chinese in the Chinese one")
    assert wrong == [], "\n".join(wrong)


def test_no_message_is_chosen_once_at_import() -> None:
    """A ``say`` at a module's top level would speak the language of no request."""
    early = []
    for name, tree in _sources():
        for statement in tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            inner = [
                n
                for n in ast.walk(statement)
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            ]
            skipped = {id(m) for f in inner for m in ast.walk(f)}
            for node in ast.walk(statement):
                if isinstance(node, ast.Call) and _name(node) == "say" and id(node) not in skipped:
                    early.append(f"{name}:{node.lineno}")
    assert early == [], "say() outside any function: " + ", ".join(early)


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("", "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-GB;q=0.7, zh-Hant-TW;q=0.6", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr-FR, de", "zh"),
        ("*", "zh"),
        ("en;q=0", "zh"),
        ("en;q=abc, zh;q=0.1", "zh"),
        ("EN", "en"),
    ],
)
def test_accept_language_picks_the_preferred_supported_language(header: str, chosen: str) -> None:
    assert preferred(header) == chosen


HAN = re.compile(r"[\u3400-\u9fff]")
EN = {"Accept-Language": "en-US,en;q=0.9"}
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.mark.parametrize(("headers", "language"), [(EN, "en"), (ZH, "zh"), ({}, "zh")])
async def test_every_kind_of_refusal_speaks_the_requested_language(
    client: httpx.AsyncClient, headers: dict[str, str], language: str
) -> None:
    """One refusal of each kind: an address not served, an HTTP refusal before GraphQL, a bad
    bearer token, a document the engine refuses, a scalar's refusal, a role's refusal, a
    mutation's UserError."""
    token = await signed_in(client, "deputy-language", Role.DEPUTY)
    bearer = {**headers, "Authorization": f"Bearer {token}"}
    as_json = {**headers, "Content-Type": "application/json"}
    bad_scheme = {**headers, "Authorization": "Basic x"}
    bad_time = "query($at: DateTime!) { me { updatesSince(since: $at) { totalCount } } }"
    not_finance = "{ budgetTemplate(kind: LINES) { fileName } }"
    wrong_password = (
        'mutation { changePassword(input: {currentPassword: "wrong-password", '
        'newPassword: "another-password"}) { errors { code message } } }'
    )
    answers = [
        await client.get("/no-such-place.json", headers=headers),
        await client.post("/graphql", content=b"[1]", headers=as_json),
        await client.post("/graphql", json={"query": "{ __typename }"}, headers=bad_scheme),
        await client.post("/graphql", json={"query": "{ noSuchField }"}, headers=headers),
        await client.post(
            "/graphql", json={"query": bad_time, "variables": {"at": "yesterday"}}, headers=bearer
        ),
        await client.post("/graphql", json={"query": not_finance}, headers=bearer),
        await client.post("/graphql", json={"query": wrong_password}, headers=bearer),
    ]
    said = []
    for answer in answers:
        assert answer.headers["content-language"] == language, answer.text
        assert "Accept-Language" in answer.headers["vary"]
        body = answer.json()
        said += [e["message"] for e in body.get("errors") or []]
        payload = (body.get("data") or {}).get("changePassword")
        said += [e["message"] for e in (payload or {}).get("errors") or []]
    assert len(said) >= len(answers), said
    for message in said:
        assert bool(HAN.search(message)) is (language == "zh"), message
