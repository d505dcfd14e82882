"""Reading a question before it is searched, and the reviewed word lists: what a deputy types
becomes an article reference or the words worth searching, in one script."""

from pathlib import Path

import pytest

from search.query import ArticleReference, read
from search.words import words


@pytest.mark.parametrize(
    "typed",
    ["预算法第六十七条", "《预算法》第67条", "预算法 67条", "预算法67条", "预算法第６７条",
     "中华人民共和国预算法第六十七条", "《中华人民共和国预算法》第六十七条", "预算法第六十七条规定",
     "预算法第六十七条是什么", "请问预算法第67条", "預算法第六十七條"],
)  # fmt: skip
def test_every_common_form_of_an_article_reference(typed: str) -> None:
    question = read(typed)
    assert question.reference == ArticleReference(name="预算法", number=67), typed
    assert question.text == "", "nothing is left to search beside the reference"


def test_a_reference_keeps_what_it_names_and_the_words_around_it() -> None:
    assert read("监督法第三十条规定").reference == ArticleReference("监督法", 30)
    assert read("民法典第1165条").reference == ArticleReference("民法典", 1165)
    assert read("预算法实施条例第二十条").reference == ArticleReference("预算法实施条例", 20)
    assert read("中华人民共和国各级人民代表大会常务委员会监督法第四十七条").reference == (
        ArticleReference("各级人民代表大会常务委员会监督法", 47)
    )
    assert read("我想看预算法第六十七条").reference == ArticleReference("预算法", 67)
    assert read("条例全文").reference is None, "条例 is not 条"
    assert read("预算法六十七条").reference == ArticleReference("预算法", 67)
    for words_not_reference in ("宪法里全国人大批预算的是哪一条", "劳动者三条权利", "每一条都要看",
                                "工资(税前)三条"):  # fmt: skip
        assert read(words_not_reference).reference is None, words_not_reference
    assert read("婚姻家庭编解释（一） 29条").reference == ArticleReference("婚姻家庭编解释(一)", 29)
    kept = read("预算法第六十七条 预算调整")
    assert kept.reference == ArticleReference("预算法", 67) and kept.text == "预算调整"
    assert kept.with_reference == "预算法第六十七条 预算调整", "searched whole if no law fits"


def test_question_words_need_not_match() -> None:
    assert read("哪些情况下必须进行预算调整？").text == "情况下必须进行预算调整"
    assert read("拖欠工资怎么办").text == "拖欠工资"
    assert read("公司不交社保是否合法吗").text == "公司不交社保 合法"
    only = read("怎么办？是否？")
    assert only.text == "" and only.only_question_words
    symbols = read("!!! ((( \" '")
    assert symbols.text == "" and not symbols.only_question_words


def test_one_script_and_half_width_digits() -> None:
    assert read("預算調整").text == "预算调整"
    assert read("ＰＰＰ項目 ２０２５").text == "ppp 项目 2025"


def test_abbreviations_and_colloquial_words_find_each_other_both_ways() -> None:
    synonyms = words().synonyms
    for group in (*words().abbreviations, *words().colloquial):
        for word in group:
            own = set(words().expansions.get(word, ()))  # a word of a group may also expand
            assert set(synonyms[word]) == set(group) - {word} | own, group
    assert "最低生活保障" in synonyms["低保"] and "低保" in synonyms["最低生活保障"]
    assert {"拖欠工资", "拖欠劳动报酬"} <= set(synonyms["欠薪"])


def test_an_expansion_finds_what_it_stands_for_and_not_back() -> None:
    synonyms = words().synonyms
    assert {"因公出国", "公务用车", "公务接待"} <= set(synonyms["三公经费"])
    assert "三公经费" not in synonyms.get("公务接待", [])


def test_an_article_is_indexed_with_the_words_that_find_it() -> None:
    # 最低生活保障 in the text: 低保 finds it; 三公经费 stands for 公务接待, not the other way.
    aliases = words().aliases("申请最低生活保障的，应当如实申报；公务接待费用单列")
    assert {"低保", "三公经费"} <= set(aliases)
    assert "公务接待" not in aliases and "最低生活保障" not in aliases
    assert words().aliases("本条例自公布之日起施行") == []
    # 拖欠农民工工资 is the longest word held there; 拖欠, inside it, still counts.
    held = set(words().aliases("不得拖欠农民工工资"))
    assert {"讨薪", "欠工资", "不给钱"} <= held, held


def test_a_law_s_short_name_reads_as_the_name_its_title_ends_with() -> None:
    assert read("地方组织法第十条").reference == ArticleReference(
        "地方各级人民代表大会和地方各级人民政府组织法", 10
    )
    assert read("消法第五十五条").reference == ArticleReference("消费者权益保护法", 55)
    assert read("个保法第十三条").reference == ArticleReference("个人信息保护法", 13)
    # and before what carries the law out
    assert read("道交法实施条例 92条").reference == ArticleReference("道路交通安全法实施条例", 92)
    assert all(len(full) > len(short) for short, full in words().law_names.items())


def test_the_lists_are_written_once_and_in_one_script() -> None:
    everything = [w for group in (*words().abbreviations, *words().colloquial) for w in group]
    assert len(everything) == len(set(everything)), "a word in two groups"
    assert words().question_words == tuple(sorted(words().question_words, key=len, reverse=True))


def test_the_kind_of_answer_a_question_asks_for() -> None:
    from search.ranking import asked_for

    assert any("下列情形之一" in answer for answer in asked_for("哪些情况下必须预算调整"))
    assert any("日内" in answer for answer in asked_for("多久要答复代表建议"))
    assert any("罚款" in answer for answer in asked_for("酒驾怎么罚"))
    assert asked_for("预算调整 审批") == []


def test_a_rare_compound_has_the_words_inside_it() -> None:
    from search.ranking import parts, question_words

    assert "工资" in parts("发工资")
    assert "狗" in parts("带狗"), "a single character words.yaml gives the statute's words for"
    assert "发" not in parts("发工资"), "a single character says nothing of its own"
    assert {"年度", "预算"} <= set(parts("年度预算"))
    assert parts("邻居家") == ["邻居"], "居家 straddles 邻居 and 家: not a part of the compound"
    assert question_words("人大常委会审查决算草案") == ["人大常委会", "审查", "决算", "草案"], (
        "cut whole, as Meilisearch cuts the articles"
    )


def test_an_everyday_word_with_the_statutes_words_weighs_as_they_do() -> None:
    from search.ranking import weights

    weighed = weights(["老公", "配偶"], [300, 300], 146_860)
    assert weighed["老公"] >= weighed["配偶"], (
        "老公 is said every day, but it is searched as 配偶: it is no everyday noise"
    )


def test_a_place_the_question_names() -> None:
    from search.ranking import parts, places, question_words

    def named(*found: str) -> list[str]:
        return places({word: parts(word) for word in found})

    assert named(*question_words("上海生活垃圾分为几类")) == ["上海"]
    assert named(*question_words("预算调整 审批")) == []
    assert named("青岛市政府", "债务") == ["青岛"], "a place that begins a longer word"


def test_how_many_kinds_is_a_question_not_a_word() -> None:
    assert read("生活垃圾分为哪几类").text == "生活垃圾分为"
    assert read("离婚要办哪几项手续").text == "离婚要办 手续"


def test_a_named_place_leads_a_request_of_its_own() -> None:
    from search.ranking import candidate_queries

    found = ["垃圾", "分为", "生活", "分类", "上海"]
    plain = candidate_queries(found, [])
    assert all("上海" not in q for q, _, _ in plain), "a light place word is not searched"
    named = candidate_queries(found, ["上海"])
    assert named[:2] == plain[:2]
    assert named[2][:2] == ("上海 垃圾 分为 生活", "last"), "dropped last: the place stays"
    inside = candidate_queries(["青岛市政府", "财经委", "市人大", "书面报告"], ["青岛"])
    assert inside[2][0] == "青岛 财经委 市人大 书面报告", "青岛市政府 says no more than 青岛"


def test_an_article_without_the_heaviest_words_is_gathered() -> None:
    from search.ranking import candidate_queries

    asked = candidate_queries(["上限", "追加", "补充合同", "金额", "货物"], [])
    assert asked[0][0] == "上限 追加 补充合同", "Meilisearch drops 补充合同, then 追加, never 上限"
    pairs = {q for q, strategy, _ in asked if strategy == "all"}
    assert pairs == {"追加 金额", "补充合同 金额"}, (
        "the pairs of the second to fourth heaviest not already leading a request: an article "
        "without 上限 (the statute says 不得超过) and without 追加 is reached"
    )
    assert [q for q, _, _ in candidate_queries(["预算", "调整"], [])] == ["预算 调整", "调整"]


def test_a_word_that_only_asks_for_a_limit_weighs_little() -> None:
    from search.ranking import asked_for, weights

    weighed = weights(["残疾人", "最低", "少于"], [900, 900, 900], 146_860)
    assert weighed["最低"] < weighed["残疾人"] / 2 and weighed["少于"] < weighed["残疾人"] / 2, (
        "the statute says 不得低于: 最低 and 少于 ask how much, they do not name the subject"
    )
    assert any("不得低于" in answer for answer in asked_for("安排残疾人就业的比例最低是多少"))


@pytest.mark.parametrize("written", ["yes", 1, None])
def test_asks_only_is_true_or_false_never_a_guess(written: object) -> None:
    from search.words import _intent

    raw = {"ask": ["最低"], "answer": ["不得低于"]}
    assert _intent(raw).asks_only is False and _intent({**raw, "asks_only": True}).asks_only
    with pytest.raises(ValueError, match="asks_only 只能写 true 或 false"):
        _intent({**raw, "asks_only": written})


def test_an_entry_whose_statute_words_the_library_does_not_use_is_listed() -> None:
    from bench.word_list import unused

    library = ["第一条 夫妻一方的配偶……", "第二条 男方与女方……", "第三条 配偶之间……"]
    listed = dict(unused(library, 2))
    assert "老公 → 配偶 / 夫妻 / 男方" not in listed, "配偶 is in two of the three"
    assert listed["央企 / 中央企业"] == {"央企": 0, "中央企业": 0}


def test_fitting_refuses_a_judge_that_is_no_question_set_and_a_folder_without_a_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench import ranking_fit

    argv = ["ranking_fit", "--keep", str(tmp_path), "--judge", "search_questions_unwritten.tsv"]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as refused:
        ranking_fit.main()
    assert refused.value.code == 2
    assert "no question set search_questions_unwritten.tsv" in capsys.readouterr().err
    monkeypatch.setattr("sys.argv", argv[:3])
    with pytest.raises(SystemExit, match="holds no library: keep one first"):
        ranking_fit.main()
