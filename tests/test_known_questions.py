"""A question asked before finds its answer through the question: the known questions of
library search (``search/known_questions.tsv``), kept in step with the question sets of
``bench/``, raising their answers only for those who may read them."""

import csv
from importlib.resources import files

import httpx
import pytest
from starlette.applications import Starlette

from api.access import Role
from api.models.regulations import Regulation, RegulationStatus
from bench.known_questions import asked
from bench.search_quality import QUESTION_SETS, questions
from search.known import ALIKE, Known, KnownQuestions, known_questions, opening, parse
from search.query import read
from search.ranking import question_words
from search.regulations import RegulationSearch, _answers_request
from tests.factories import search, signed_in
from tests.test_regulation_search import library  # noqa: F401  (the fixture)


def _words(question: str) -> frozenset[str]:
    return frozenset(question_words(read(question).text))


def test_the_file_holds_every_question_of_the_sets_asked_by_its_words() -> None:
    text = files("search").joinpath("known_questions.tsv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    written = [(path.name, q) for path in QUESTION_SETS for q in questions(path) if asked(q)]
    assert [(r["source"], r["question"]) for r in rows] == [(s, q.text) for s, q in written], (
        "known_questions.tsv differs from the question sets: run python -m bench.known_questions"
    )
    for row, (_, question) in zip(rows, written, strict=True):
        for answer in row["answers"].split("|"):
            title, number = answer.rsplit(":", 1)
            assert any(sub in title and int(number) == n for sub, n in question.answers), answer


def test_a_question_like_a_known_one_finds_its_answers_and_an_unlike_one_none() -> None:
    known = known_questions()
    found = known.closest(_words("房东把房子卖了，新房东让我月底搬走，可我的租约还有一年"))
    assert found is not None and found.alike >= ALIKE
    assert found.articles[("中华人民共和国民法典", 725)] == "租赁物在承租人按照租赁合"
    assert known.closest(_words("今天天气怎么样")) is None
    assert known.closest(_words("公司")) is None, "a word many questions use says little"
    sources = {q.source for q in known.questions}
    assert known.without(sources).closest(_words("房东把房子卖了 租约还有一年")) is None


HEADER = "question\tanswers\topenings\tsource\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("问题\t答案\n", "第 1 行应是列名"),
        (HEADER + "拖欠工资怎么办\t劳动法:50\t工资应当以货币\n", "第 2 行应有 4 列，却有 3 列"),
        (HEADER + "欠薪\t劳动法:50|劳动法:51\t工资应当\tx\n", "有 2 个答案，却有 1 个开头"),
        (HEADER + "拖欠工资怎么办\t劳动法:五十\t工资应当\tx\n", "的答案“劳动法:五十”应写成"),
        (HEADER + "拖欠工资怎么办\t劳动法:50\t\tx\n", "应写成“标题:条号”，并有开头"),
        (HEADER + "怎么办？\t劳动法:50\t工资应当\tx\n", "的问题“怎么办？”没有可查的字词"),
    ],
)
def test_a_malformed_file_is_refused_naming_its_line(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse(text)
    good = HEADER + "拖欠工资怎么办\t劳动法:50\t工资应当以货币\tx\n"
    assert parse(good).questions[0].answers == ((("劳动法", 50), "工资应当以货币"),)


def test_the_answers_are_asked_for_within_the_caller_s_permission_filter() -> None:
    request = RegulationSearch(text="预算公开", visibilities=["PUBLIC"], kinds=["LAW"])
    asked_for = _answers_request(request, "x", [("中华人民共和国预算法", 14)], [])
    assert asked_for["filter"][:2] == ['visibility IN ["PUBLIC"]', 'kind IN ["LAW"]']
    assert asked_for["filter"][2:] == ['title IN ["中华人民共和国预算法"]', "number IN [14]"]


async def _opening(title: str, number: int) -> str:
    """How the article opens in the version in force (0: the text of a document without
    articles)."""
    document = await Regulation.find_one(
        Regulation.title == title, Regulation.status == RegulationStatus.EFFECTIVE
    )
    assert document is not None, title
    texts = {a.number: a.text for a in document.articles} | {0: document.preamble or ""}
    return opening(texts[number])


def _first(found: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    node = found["edges"][0]["node"]
    return node["regulation"]["title"], node["articles"][0]["label"]


async def test_a_known_answer_comes_first_for_a_question_like_its_own(
    library: Starlette,  # noqa: F811
    client: httpx.AsyncClient,
) -> None:
    question = "乱花钱的账到底谁来管"
    deputy = await signed_in(client, "deputy1", Role.DEPUTY)
    law, debts = "中华人民共和国预算法", "青岚县政府债务风险评估报告（2025）"

    def known(opens: str) -> KnownQuestions:
        return KnownQuestions(
            (
                Known(_words("乱花钱的账由谁来管"), (((law, 83), opens),), "test"),
                Known(_words("政府欠的债有多少"), (((debts, 0), debts_opening),), "test"),
            )
        )

    debts_opening = await _opening(debts, 0)
    resources = library.state.resources
    resources.known_questions = KnownQuestions(())
    before = await search(client, question, token=deputy, first=5)
    assert not before["edges"] or _first(before) != (law, "第八十三条")

    resources.known_questions = known("不是这一条的开头")
    other_text = await search(client, question, token=deputy, first=5)
    assert other_text == before, "an article there that opens otherwise is another article"

    resources.known_questions = known(await _opening(law, 83))
    after = await search(client, question, token=deputy, first=5)
    assert _first(after) == (law, "第八十三条")

    owed = "政府到底欠了多少债"
    assert _first(await search(client, owed, token=deputy, first=5))[0] == debts
    public = await search(client, owed, first=5)
    titles = [e["node"]["regulation"]["title"] for e in public["edges"]]
    assert debts not in titles, "an internal answer stays internal"
