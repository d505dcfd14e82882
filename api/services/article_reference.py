"""An article by its reference: ``预算法第六十七条`` is article 67 of the law whose title is (or
ends with) 预算法, in the version in force on the day asked (today by default). A name that
is the whole title (after 中华人民共和国) wins over one that only ends it, so 预算法 is the law
and not 预算法实施条例, which must be named; a national document wins over local ones of the
same name; several laws that the name fits equally are listed, not guessed between. A judicial
interpretation may be named as people name it (``民间借贷司法解释``, ``公司法解释三``,
``民法典婚姻家庭编解释（一）``): the interpretations whose title holds the subject and, when a
number follows, ends with it."""

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import cn2an

from api.access import Viewer, visible
from api.language import say
from api.models.regulations import Article, Level, Regulation, RegulationKind
from api.services.regulations import in_force_on
from search.query import NATIONAL_PREFIX, ArticleReference, law_name
from search.regulations import Notice, NoticeCode

LISTED_MAX = 8
"""Laws named in the answer to an ambiguous name."""
NICKNAME = re.compile(
    r"^(?P<subject>.{2,}?)(?:司法)?解释[（(]?(?P<ordinal>[一二三四五六七八九十]{1,3})?[)）]?$"
)
"""How people name a judicial interpretation (民间借贷司法解释, 公司法解释三, 婚姻家庭编解释
（一）): a subject, 解释, and the number of one of a series; no title ends so."""
LAW_FIRST = re.compile(r"^(?P<law>.+?法典?)(?P<rest>.{2,})$")
"""A subject that starts with the law interpreted (民法典 in 民法典婚姻家庭编): the title
writes the law in 《》, so the two are looked for apart."""
NEWEST = re.compile(r"^(?:最新修订的?|最新|新修订的?|新版|新)(?=.{2,})")
"""新公司法, 最新修订的…: the law as it now stands, which a reference gives by default."""
CONGRESS = re.compile(r"(?<!个)人大(常委会)?")
"""人大 and 人大常委会 in a name (全国人大议事规则), which titles spell out."""
SUMMARY = {"articles": 0, "preamble": 0, "headings": 0}


@dataclass(frozen=True)
class Found:
    regulation: Regulation
    article: Article


def short_title(title: str) -> str:
    return title.removeprefix(NATIONAL_PREFIX)


def _fit(title: str, name: str) -> int:
    """0 when ``name`` is the title, 1 when it ends the title (a trailing note such as
    （试行） aside)."""
    bare = re.sub(r"[（(][^（()）]*[)）]$", "", short_title(title))
    return 0 if bare == name else 1


def _chosen(candidates: list[Regulation], name: str) -> list[Regulation]:
    """The candidates of the best fit, narrowed to national documents, then to laws, while
    that leaves any."""
    best = min(_fit(r.title, name) for r in candidates)
    chosen = [r for r in candidates if _fit(r.title, name) == best]
    for keep in (
        lambda r: r.level is Level.NATIONAL,
        lambda r: r.kind is RegulationKind.LAW,
    ):
        narrowed = [r for r in chosen if keep(r)]
        if narrowed and len({r.title for r in narrowed}) < len({r.title for r in chosen}):
            chosen = narrowed
    return chosen


async def find_article(
    *, reference: ArticleReference, viewer: Viewer, on: date | None
) -> Found | Notice | None:
    """The article, or a notice saying why it cannot be given; None when no document the
    viewer may read has that name (the query is then searched as words)."""
    candidates = await _titled(viewer, reference.name) or await _nicknamed(viewer, reference)
    readings = iter(_read_otherwise(reference.name))
    while not candidates and (other := next(readings, None)) is not None:
        candidates = await _titled(viewer, other)
        reference = replace(reference, name=other)
    if not candidates:
        return None
    chosen = _chosen(candidates, reference.name)
    titles = sorted({r.title for r in chosen}, key=len)
    if len(titles) > 1:
        listed = "、".join(f"《{t}》" for t in titles[:LISTED_MAX])
        listed_en = ", ".join(titles[:LISTED_MAX])
        more = f"等 {len(titles)} 部" if len(titles) > LISTED_MAX else ""
        more_en = f" and others ({len(titles)} in all)" if len(titles) > LISTED_MAX else ""
        return Notice(
            NoticeCode.AMBIGUOUS_LAW,
            say(
                f"“{reference.name}”可以指{listed}{more}，请写出全称再查第{_said(reference)}条",
                f'"{reference.name}" may mean {listed_en}{more_en}: write the full title to '
                f"look up article {_number(reference)}",
            ),
        )
    latest = max(chosen, key=lambda r: r.promulgated_on or date.min)
    work = sorted(
        (r for r in chosen if r.work_id == latest.work_id),
        key=lambda r: r.promulgated_on or date.min,
    )
    version = in_force_on(work, on or date.today())
    if version is None and on is not None:
        return Notice(
            NoticeCode.NOT_IN_FORCE,
            say(
                f"{short_title(latest.title)}在 {on.isoformat()} 没有施行中的文本"
                f"（现有版本公布于 {_dates(work)}）",
                f"{short_title(latest.title)} had no text in force on {on.isoformat()} "
                f"(its versions were promulgated on {_dates(work)})",
            ),
        )
    version = version or work[-1]
    full = await Regulation.get(version.id)
    assert full is not None
    article = next((a for a in full.articles if a.number == reference.number), None)
    if article is None:
        last = max((a.number for a in full.articles), default=0)
        ending = f"，最后一条是第{cn2an.an2cn(last)}条" if last else ""
        ending_en = f", the last is article {last}" if last else ""
        return Notice(
            NoticeCode.ARTICLE_NOT_FOUND,
            say(
                f"{short_title(full.title)}没有第{_said(reference)}条"
                f"（共 {len(full.articles)} 条{ending}）",
                f"{short_title(full.title)} has no article {_number(reference)} "
                f"(it has {len(full.articles)} articles{ending_en})",
            ),
        )
    return Found(regulation=full, article=article)


def _read_otherwise(name: str) -> list[str]:
    """Other readings of a name no title has: 人大 spelled out (全国人大议事规则), 新 before it
    dropped (新公司法), or both. Only tried then: 新闻出版 begins with 新 too."""
    newest = NEWEST.match(name)
    bare = [name[newest.end() :]] if newest else []
    readings = [CONGRESS.sub(_spelled_out, n) for n in [name, *bare]] + bare
    return [r for r in dict.fromkeys(readings) if r != name]


def _spelled_out(abbreviated: re.Match[str]) -> str:
    return "人民代表大会" + ("常务委员会" if abbreviated.group(1) else "")


async def _titled(viewer: Viewer, name: str) -> list[Regulation]:
    """The documents the viewer may read whose title is or ends with ``name`` (a trailing
    note such as （试行） aside)."""
    written = re.escape(name).replace(r"\(", "[（(]").replace(r"\)", "[)）]")
    pattern = written + r"(?:[（(][^（()）]*[)）])?$"
    return await _candidates(viewer, {"title": {"$regex": pattern}})


async def _nicknamed(viewer: Viewer, reference: ArticleReference) -> list[Regulation]:
    """The judicial interpretations a name such as 民间借贷司法解释 means: those whose title
    holds 民间借贷 (and ends with （三） for 公司法解释三), narrowed to the works of which some
    version has the article asked for, when any has it (a 批复 of two articles about the same
    subject is not what 第二十五条 means). All versions of a work are kept, so the one in force
    is still what answers."""
    named = NICKNAME.match(reference.name)
    if named is None:
        return []
    subject, ordinal = named.group("subject", "ordinal")
    split = LAW_FIRST.match(subject)
    held = [law_name(split["law"]), split["rest"]] if split else [law_name(subject)]
    patterns = [re.escape(part) for part in held] + ([f"[（(]{ordinal}[)）]$"] if ordinal else [])
    query: dict[str, Any] = {
        "kind": RegulationKind.JUDICIAL_INTERPRETATION.value,
        "$and": [{"title": {"$regex": pattern}} for pattern in patterns],
    }
    fitting = await _candidates(viewer, query)
    if not fitting:
        return []
    having = await _candidates(viewer, {**query, "articles.number": reference.number})
    works = {r.work_id for r in having}
    return [r for r in fitting if r.work_id in works] or fitting


def _said(reference: ArticleReference) -> str:
    """The article's number in words, or as written when it is no article's number."""
    return cn2an.an2cn(reference.number) if reference.number else reference.written


def _number(reference: ArticleReference) -> str:
    """The article's number in digits, or as written when it is no article's number."""
    return str(reference.number) if reference.number else reference.written


def _dates(work: list[Regulation]) -> str:
    """The versions' dates, in the request's language."""
    dates = [r.promulgated_on.isoformat() for r in work if r.promulgated_on]
    return say("、".join(dates) or "不详", ", ".join(dates) or "unknown dates")


async def _candidates(viewer: Viewer, query: dict[str, Any]) -> list[Regulation]:
    """The documents (without their text) whose title fits, of those the viewer may read."""
    collection = Regulation.get_pymongo_collection()
    raw = await collection.find(visible(Regulation, viewer, query), SUMMARY).to_list()
    return [Regulation.model_validate(r) for r in raw]
