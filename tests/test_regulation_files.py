"""Reading real regulation files: encodings, structure, front matter and what is inferred."""

import codecs
from pathlib import Path

import pytest

from api.models.regulations import HeadingKind, Level, RegulationKind
from api.services.regulation_import import ImportDefaults, date_in_name, describe, infer_kind
from api.services.regulation_text import UnreadableFile, decode, numeral, parse

LAW = """# 中华人民共和国示例法

（2001年3月1日通过　2018年12月29日第二次修正）

目录
第一章 总则
第二章 预算编制
第一章 总则
第一条　为了示例，制定本法。
第二条 本法适用于示例。
前款所称示例，包括下列各项：
（一）甲；
（二）乙。
## 第二章 预算编制
第一节 一般规定
**第十条之一** 补充的条文。
第一千二百六十条 本法自公布之日起施行。
"""


@pytest.mark.parametrize(
    ("written", "number"),
    [("一", 1), ("十", 10), ("十三", 13), ("六十七", 67), ("一百零五", 105),
     ("一百〇五", 105), ("一千二百六十", 1260), ("13", 13), ("１３", 13)],
)  # fmt: skip
def test_chinese_numerals_up_to_the_thousands(written: str, number: int) -> None:
    assert numeral(written) == number


def test_structure_title_preamble_headings_articles() -> None:
    structure = parse(LAW)
    assert structure.title == "中华人民共和国示例法"
    assert structure.preamble == "（2001年3月1日通过　2018年12月29日第二次修正）"
    assert [(h.kind, h.label, h.title, h.position) for h in structure.headings] == [
        (HeadingKind.CHAPTER, "第一章", "总则", 0),
        (HeadingKind.CHAPTER, "第二章", "预算编制", 2),
        (HeadingKind.SECTION, "第一节", "一般规定", 2),
    ], "the table of contents is not taken for headings"
    assert [(a.number, a.label) for a in structure.articles] == [
        (1, "第一条"),
        (2, "第二条"),
        (10, "第十条之一"),
        (1260, "第一千二百六十条"),
    ]
    assert (
        structure.articles[1].text
        == "本法适用于示例。\n前款所称示例，包括下列各项：\n（一）甲；\n（二）乙。"
    )
    assert structure.articles[3].heading == "第二章 预算编制 / 第一节 一般规定"
    assert structure.articles[0].heading == "第一章 总则"


def test_a_new_chapter_closes_the_sections_of_the_last() -> None:
    text = "标题\n第一章 甲\n第一节 子\n第一条 一。\n第二章 乙\n第二条 二。"
    assert [a.heading for a in parse(text).articles] == ["第一章 甲 / 第一节 子", "第二章 乙"]


def test_encodings_are_detected_and_named() -> None:
    text = "第一条 预算调整方案应当提请审查和批准。"
    assert decode(text.encode("utf-8")) == (text, "UTF-8")
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "UTF-8（带 BOM）")
    assert decode(text.encode("gb18030")) == (text, "GB18030")
    assert decode(text.encode("gbk")) == (text, "GB18030")
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "UTF-16")


@pytest.mark.parametrize(
    "raw",
    [
        "第一條 預算調整方案應當提請審查和批准。".encode("big5"),
        "Première règle budgétaire, décidée à l'été".encode("latin-1"),
        b"\x00\x01\x02PK\x03\x04" + bytes(range(200, 256)),
        codecs.BOM_UTF8 + b"\xff\xfe broken",
    ],
    ids=["big5", "latin-1", "binary", "bad-bom"],
)
def test_text_in_another_encoding_is_refused_not_imported_as_mojibake(raw: bytes) -> None:
    with pytest.raises(UnreadableFile):
        decode(raw)


def test_front_matter_wins_then_inference_then_defaults(tmp_path: Path) -> None:
    path = tmp_path / "澜川省示例条例(2020-05-01).md"
    text = (
        "---\nlevel: 省级\nregion: 澜川省\ncategories: 预算审查、政府债务\n---\n"
        "# 澜川省示例条例\n第一条 一。"
    )
    draft, body = describe(path, text, ImportDefaults(level=Level.COUNTY))
    assert draft.level is Level.PROVINCIAL, "the front matter wins over --level"
    assert draft.kind is RegulationKind.LOCAL_REGULATION, "条例 below national level"
    assert str(draft.promulgated_on) == "2020-05-01", "the date in the file name"
    assert draft.categories == ["预算审查", "政府债务"]
    assert body.lstrip().startswith("# 澜川省示例条例")


def test_kind_from_the_title_only_where_it_is_safe() -> None:
    assert infer_kind("中华人民共和国预算法", Level.NATIONAL) is RegulationKind.LAW
    assert infer_kind("中华人民共和国预算法实施条例", Level.NATIONAL) is (
        RegulationKind.ADMINISTRATIVE_REGULATION
    )
    assert infer_kind("青岚县专项资金管理办法", Level.COUNTY) is RegulationKind.NORMATIVE_DOCUMENT
    assert infer_kind("财政部关于预算绩效管理的规定", Level.NATIONAL) is (
        RegulationKind.DEPARTMENTAL_RULE
    )
    assert infer_kind("青岚县2025年预算执行情况分析报告", Level.COUNTY) is (
        RegulationKind.WORK_MATERIAL
    )
    assert infer_kind("关于某事项的决定", None) is None, "a decision of unknown level: unsure"
    assert infer_kind("预算审查工作手册", Level.COUNTY) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\nkind: 法规\n---\n# 甲法\n第一条 一。", "无效，可选"),
        ("---\nauthor: 某人\n---\n# 甲法\n第一条 一。", "不认识的键"),
        ("---\npromulgated: 昨天\n---\n# 甲法\n第一条 一。", "不是日期"),
        ("---\n: [\n---\n# 甲法", "不是有效的 YAML"),
        ("# 工作手册\n第一条 一。", "看不出文件类别"),
        ("   \n\n", "没有标题"),
    ],
)
def test_bad_descriptions_say_what_to_fix(text: str, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        describe(Path("x.md"), text, ImportDefaults(level=Level.COUNTY))


def test_dates_in_file_names() -> None:
    assert str(date_in_name(Path("预算法(2018-12-29).txt"))) == "2018-12-29"
    assert str(date_in_name(Path("预算法（2018年12月29日）.txt"))) == "2018-12-29"
    assert date_in_name(Path("预算法.txt")) is None
    assert date_in_name(Path("预算法(2018-13-45).txt")) is None
