"""Importing folders of regulation files: every format and encoding, re-imports, versions, and
bad files reported without stopping or half-writing anything."""

from datetime import date
from pathlib import Path

import docx

from api.devservers.local import LocalServers
from api.models.regulations import Level, Regulation, RegulationKind, RegulationStatus
from api.services.regulation_import import (
    ImportDefaults,
    Outcome,
    history_dates,
    import_paths,
    infer_kind,
)
from api.settings import Settings
from tests.factories import jiandu

BODY = "第一章 总则\n第一条 为了规范{word}，制定本办法。\n第二条 本办法自发布之日起施行。\n"
COUNTY = ImportDefaults(level=Level.COUNTY, region="澜川省青岚县")


def write_docx(path: Path, title: str, lines: list[str]) -> None:
    document = docx.Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def outcomes(results: list) -> dict[str, tuple[Outcome, str]]:  # type: ignore[type-arg]
    return {r.path.name: (r.outcome, r.detail) for r in results}


async def test_a_folder_of_every_format_and_encoding(app: object, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "甲办法.txt").write_text("青岚县甲办法\n" + BODY.format(word="甲"), "utf-8")
    (tmp_path / "乙办法.md").write_bytes(
        b"\xef\xbb\xbf" + ("# 青岚县乙办法\n" + BODY.format(word="乙")).encode()
    )
    (tmp_path / "丙办法.txt").write_bytes(("青岚县丙办法\n" + BODY.format(word="丙")).encode("gbk"))
    write_docx(tmp_path / "丁办法.docx", "青岚县丁办法", BODY.format(word="丁").splitlines())
    (tmp_path / "sub" / "戊办法.md").write_text("# 青岚县戊办法\n" + BODY.format(word="戊"))
    (tmp_path / "繁体.txt").write_bytes("青嵐縣辦法\n第一條 規範。".encode("big5"))
    (tmp_path / "坏.docx").write_bytes(b"not a zip file")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")

    results = await import_paths([tmp_path, tmp_path / "missing"], COUNTY)

    found = outcomes(results)
    for name in ("甲办法.txt", "乙办法.md", "丙办法.txt", "丁办法.docx", "戊办法.md"):
        assert found[name][0] is Outcome.IMPORTED, found[name]
    assert found["繁体.txt"][0] is Outcome.FAILED and "编码" in found["繁体.txt"][1]
    assert found["坏.docx"][0] is Outcome.FAILED and "Word" in found["坏.docx"][1]
    assert found["missing"] == (Outcome.FAILED, "没有这个文件或文件夹")
    assert "notes.pdf" not in found, "a folder's other files are not importable documents"

    stored = {r.title: r for r in await Regulation.find_all().to_list()}
    assert set(stored) == {f"青岚县{w}办法" for w in "甲乙丙丁戊"}
    gbk = stored["青岚县丙办法"]
    assert gbk.articles[0].text == "为了规范丙，制定本办法。"
    assert gbk.kind is RegulationKind.NORMATIVE_DOCUMENT and gbk.region == "澜川省青岚县"
    assert stored["青岚县丁办法"].headings[0].title == "总则"
    assert [a.label for a in stored["青岚县丁办法"].articles] == ["第一条", "第二条"]


async def test_re_importing_skips_what_is_unchanged_and_updates_what_changed(
    app: object, tmp_path: Path
) -> None:
    path = tmp_path / "青岚县甲办法.md"
    path.write_text("# 青岚县甲办法\n" + BODY.format(word="甲"))
    first = await import_paths([path], COUNTY)
    again = await import_paths([path], COUNTY)
    path.write_text("# 青岚县甲办法\n" + BODY.format(word="甲乙"))
    changed = await import_paths([path], COUNTY)

    assert [r.outcome for r in first + again + changed] == [
        Outcome.IMPORTED,
        Outcome.SKIPPED,
        Outcome.UPDATED,
    ]
    stored = await Regulation.find_all().to_list()
    assert len(stored) == 1
    assert stored[0].articles[0].text == "为了规范甲乙，制定本办法。"


async def test_a_later_version_amends_the_earlier_one(app: object, tmp_path: Path) -> None:
    old = tmp_path / "青岚县甲办法(2015-03-02).md"
    new = tmp_path / "青岚县甲办法(2021-06-30).md"
    old.write_text("# 青岚县甲办法\n" + BODY.format(word="甲"))
    new.write_text("# 青岚县甲办法\n" + BODY.format(word="甲和乙"))
    results = await import_paths([new, old], COUNTY)  # the older one arrives last
    assert [r.outcome for r in results] == [Outcome.IMPORTED, Outcome.IMPORTED]

    versions = await Regulation.find_all().sort("promulgated_on").to_list()
    assert [v.promulgated_on for v in versions] == [date(2015, 3, 2), date(2021, 6, 30)]
    assert versions[0].work_id == versions[1].work_id
    assert versions[0].status is RegulationStatus.AMENDED
    assert versions[0].ineffective_on == date(2021, 6, 30)
    assert versions[1].status is RegulationStatus.EFFECTIVE

    undated = tmp_path / "青岚县甲办法.md"
    undated.write_text("# 青岚县甲办法\n" + BODY.format(word="丙"))
    [refused] = await import_paths([undated], COUNTY)
    assert refused.outcome is Outcome.FAILED and "请写明这一版的日期" in refused.detail
    assert await Regulation.count() == 2


async def test_a_bad_file_does_not_stop_the_others_nor_leave_anything(
    app: object, tmp_path: Path
) -> None:
    (tmp_path / "a.md").write_text("# 青岚县甲办法\n" + BODY.format(word="甲"))
    (tmp_path / "b.md").write_text("# 工作手册\n第一条 一。")  # kind unknown
    (tmp_path / "c.md").write_text(f"# 青岚县丙办法\n第一条 {'长' * 2_000_001}")  # too long
    (tmp_path / "d.md").write_text("# 青岚县丁办法\n" + BODY.format(word="丁"))
    results = outcomes(await import_paths([tmp_path], COUNTY))
    assert results["a.md"][0] is Outcome.IMPORTED and results["d.md"][0] is Outcome.IMPORTED
    assert "看不出文件类别" in results["b.md"][1]
    assert "正文最多 2000000 个字" in results["c.md"][1]
    assert {r.title for r in await Regulation.find_all().to_list()} == {
        "青岚县甲办法",
        "青岚县丁办法",
    }


async def test_the_import_command_shows_a_report_per_file(
    servers: LocalServers, settings: Settings, app: object, tmp_path: Path
) -> None:
    (tmp_path / "青岚县甲办法.md").write_text("# 青岚县甲办法\n" + BODY.format(word="甲"))
    (tmp_path / "坏.txt").write_bytes(b"\x00\x01binary")
    db = settings.mongodb_database
    run = jiandu(servers, db, "import", "regulations", str(tmp_path), "--level", "COUNTY")
    assert run.returncode == 1, run.stderr
    assert "坏.txt" in run.stdout and "含有控制字符" in run.stdout
    assert "导入 1 个，更新 0 个，跳过 0 个，失败 1 个" in run.stdout
    again = jiandu(servers, db, "import", "regulations", str(tmp_path / "青岚县甲办法.md"),
                   "--level", "COUNTY")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "导入 0 个，更新 0 个，跳过 1 个，失败 0 个" in again.stdout
    assert "已跳过" in again.stdout and "与库中已有的内容相同" in again.stdout


def lawrefbook_part(title: str, part: str, articles: list[tuple[str, str]]) -> str:
    """A file of one part of a work, in LawRefBook's layout (title, part, history, marker)."""
    body = "\n\n".join(f"{label} {text}" for label, text in articles)
    history = "2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n2021年1月1日 施行"
    return (
        f"# {title}\n\n# {part}\n\n{history}\n\n<!-- INFO END -->\n\n## 第一章 一般规定\n\n{body}\n"
    )


async def test_a_work_split_over_several_files_becomes_one_document(
    app: object, tmp_path: Path
) -> None:
    title = "中华人民共和国示例法典"
    folder = tmp_path / "示例法典"
    folder.mkdir()
    # The files' names sort in another order than their parts.
    parts = {
        "附则": [("第五条", "本法施行。")],
        "总则": [("第一条", "甲。"), ("第二条", "乙。")],
        "分则编": [("第三条", "丙。"), ("第四条", "丁。")],
    }
    for part, articles in parts.items():
        (folder / f"{part}.md").write_text(lawrefbook_part(title, part, articles))
    (folder / "_index.md").write_text("---\ntitle: 示例法典\nweight: 3\n---\n")
    national = ImportDefaults(level=Level.NATIONAL)

    results = outcomes(await import_paths([folder], national))

    assert {name: outcome for name, (outcome, _) in results.items()} == {
        "总则.md": Outcome.IMPORTED, "分则编.md": Outcome.IMPORTED, "附则.md": Outcome.IMPORTED,
        "_index.md": Outcome.SKIPPED,
    }  # fmt: skip
    assert "3 个文件合为一部，依次为总则、分则编、附则" in results["附则.md"][1]
    assert "不是法规文件" in results["_index.md"][1]
    [work] = await Regulation.find_all().to_list()
    assert work.title == title and work.kind is RegulationKind.LAW, "法典 is a law"
    assert [a.number for a in work.articles] == [1, 2, 3, 4, 5]
    assert [(h.label, h.position) for h in work.headings if h.kind.value == "PART"] == [
        ("总则", 0), ("分则编", 2), ("附则", 4)]  # fmt: skip
    assert work.articles[2].heading == "分则编 / 第一章 一般规定"
    assert work.promulgated_on == date(2020, 5, 28) and work.effective_on == date(2021, 1, 1)
    assert work.preamble.count("通过") == 1, "the history is the first part's, once"
    assert "INFO END" not in work.preamble

    again = await import_paths([folder], national)
    assert {r.outcome for r in again} == {Outcome.SKIPPED}, "re-imported whole, unchanged"
    assert await Regulation.count() == 1


async def test_two_files_of_one_version_both_fail_naming_each_other(
    app: object, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "甲办法.md").write_text("# 青岚县甲办法\n" + BODY.format(word="甲"))
    (tmp_path / "b" / "甲办法.md").write_text("# 青岚县甲办法\n" + BODY.format(word="乙"))
    (tmp_path / "乙办法.md").write_text("# 青岚县乙办法\n" + BODY.format(word="乙"))

    results = await import_paths([tmp_path], COUNTY)

    failed = {r.path: r.detail for r in results if r.outcome is Outcome.FAILED}
    assert set(failed) == {tmp_path / "a" / "甲办法.md", tmp_path / "b" / "甲办法.md"}
    assert str(tmp_path / "b" / "甲办法.md") in failed[tmp_path / "a" / "甲办法.md"]
    assert str(tmp_path / "a" / "甲办法.md") in failed[tmp_path / "b" / "甲办法.md"]
    assert [r.title for r in await Regulation.find_all().to_list()] == ["青岚县乙办法"]


def test_titles_of_codes_and_amendments_are_laws() -> None:
    assert infer_kind("中华人民共和国民法典", Level.NATIONAL) is RegulationKind.LAW
    assert infer_kind("中华人民共和国刑法修正案（十一）", Level.NATIONAL) is RegulationKind.LAW


def test_the_supreme_courts_rules_are_judicial_interpretations() -> None:
    judicial = RegulationKind.JUDICIAL_INTERPRETATION
    for title in ("最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
                  "最高人民检察院关于适用《中华人民共和国刑事诉讼法》的解释",
                  "最高人民法院、最高人民检察院关于办理诈骗刑事案件若干问题的解释"):  # fmt: skip
        assert infer_kind(title, Level.NATIONAL) is judicial, title
    assert infer_kind("最高人民法院关于新民间借贷司法解释适用范围问题的批复", Level.NATIONAL) is (
        RegulationKind.APPROVAL
    )
    decision = "全国人民代表大会常务委员会关于设立最高人民法院某法庭的决定"
    assert infer_kind(decision, Level.NATIONAL) is RegulationKind.LAW
    assert infer_kind("财政部关于政府采购的若干规定", Level.NATIONAL) is (
        RegulationKind.DEPARTMENTAL_RULE
    )


def test_dates_from_history_lines() -> None:
    assert history_dates("1994年3月22日 通过\n2018年12月29日 第二次修正\n2019年1月1日 施行") == (
        date(2018, 12, 29), date(2019, 1, 1))  # fmt: skip
    assert history_dates("（无日期）") == (None, None)
