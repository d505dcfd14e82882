"""The public disclosure of direct funds (财政直达资金信息公开), county → township → village.

A DIRECT_FUNDS file is imported like every budget file (all or none, each bad row reported,
a period replaced whole). Its rows never change, so as it is imported their sums are built
once (``roll_up``) at the grains the public page asks for (``GRAINS``); they go with the load
(``discard``). The page (``disclosure``) reads one sum per line it shows, and the rows
themselves only for one village, so it costs the same whatever the county's size.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from bson import ObjectId

from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import (
    BudgetYear,
    DirectFundAllocation,
    DirectFundSum,
    FileKind,
    Region,
    TownshipFigure,
    TownshipModule,
    period_key,
)
from api.models.regulations import Level

MEASURES = ("allocated", "paid", "households", "persons")
GRAINS: dict[str, tuple[tuple[str, ...], bool]] = {
    "AREA": (("region", "topic"), True),
    "VILLAGE": (("region", "village", "topic"), True),
    "POLICY": (("region", "topic", "code", "policy", "standard"), False),
    "COUNTY_POLICY": (("topic", "code", "policy", "standard"), False),
}
"""Each grain's keys, and whether it is also summed over every topic (kept with topic ""). A
fund's code has one policy, topic and standard (the import holds it so), so the policy grains
need no such sum."""
ALL = ""
"""The topic of sums over every topic."""


async def roll_up(load: ObjectId) -> None:
    """Sum a load's rows at each grain, written beside them under the same load."""
    rows = DirectFundAllocation.get_pymongo_collection()
    for grain, (keys, over_topics) in GRAINS.items():
        for topic in (True, False) if over_topics else (True,):
            group = {k: f"${k}" if k != "topic" or topic else {"$literal": ALL} for k in keys}
            pipeline: list[dict[str, Any]] = [
                {"$match": {"load": load}},
                {"$group": {
                    "_id": group, "year": {"$first": "$year"},
                    **{m: {"$sum": f"${m}"} for m in MEASURES},
                }},
                {"$replaceWith": {"$mergeObjects": [
                    "$_id", {"load": load, "grain": grain, "year": "$year"},
                    {m: f"${m}" for m in MEASURES},
                ]}},
                {"$merge": {"into": DirectFundSum.get_collection_name(), "whenMatched": "fail"}},
            ]  # fmt: skip
            await (await rows.aggregate(pipeline)).to_list()


async def discard(load: ObjectId) -> None:
    await DirectFundSum.get_pymongo_collection().delete_many({"load": load})


class Figures(NamedTuple):
    """Allocated and paid (分), and who benefits (counts)."""

    allocated: int = 0
    paid: int = 0
    households: int = 0
    persons: int = 0


def figures_of(row: Mapping[str, Any]) -> Figures:
    return Figures(row["allocated"], row["paid"], row["households"], row["persons"])


class Part(NamedTuple):
    """One line of a breakdown: an area (township or village), a topic or a policy."""

    key: str
    """The region's code, the village, the topic or the fund's code."""
    name: str
    """As people read it (the region's name, 乡镇本级 …)."""
    figures: Figures
    standard: str = ""
    """A policy's standard of payment."""


@dataclass(frozen=True)
class Disclosure:
    year: int
    region: Region | None
    """None: the whole county."""
    village: str
    topic: str
    total: Figures
    areas: list[Part]
    """The townships of the county, or the villages of a township; empty for a village."""
    topics: list[Part]
    policies: list[Part]


def _parts(rows: Iterable[Mapping[str, Any]], key: str,
           names: Mapping[str, str] | None = None) -> list[Part]:  # fmt: skip
    """Rows added up by ``key`` (each row is one part but for topics summed over areas), the
    most money first; a fund (``key`` code) is named by its policy, with its standard."""
    sums: dict[str, list[int]] = {}
    policy: dict[str, tuple[str, str]] = {}
    for row in rows:
        at = row[key]
        found = sums.setdefault(at, [0, 0, 0, 0])
        found[0] += row["allocated"]
        found[1] += row["paid"]
        found[2] += row["households"]
        found[3] += row["persons"]
        if key == "code":
            policy[at] = (row["policy"], row["standard"])
    parts = [Part(k, policy[k][0] if k in policy else (names or {}).get(k, k), Figures(*f),
                  policy[k][1] if k in policy else "") for k, f in sums.items()]  # fmt: skip
    return sorted(parts, key=lambda p: (-p.figures.allocated, p.key))


def _total(rows: Iterable[Mapping[str, Any]]) -> Figures:
    found = [figures_of(r) for r in rows]
    return Figures(*(sum(column) for column in zip(*found, strict=True))) if found else Figures()


async def published_years(kind: FileKind = FileKind.DIRECT_FUNDS) -> list[int]:
    """The years with a current file of ``kind`` (direct funds, township pages), latest first."""
    found = BudgetYear.find({f"loads.{period_key(kind)}": {"$exists": True}})
    return sorted((y.year for y in await found.to_list()), reverse=True)


async def _load(year: int, kind: FileKind = FileKind.DIRECT_FUNDS) -> ObjectId:
    current = await BudgetYear.find_one(BudgetYear.year == year)
    load = current.loads.get(period_key(kind)) if current else None
    if load is None:
        if kind is FileKind.DIRECT_FUNDS:
            what = say("直达资金", "direct funds")
        else:
            what = say("乡镇公开数据", "township public figures")
        published = await published_years(kind)
        years = "、".join(map(str, published)) or "无"
        years_en = ", ".join(map(str, published)) or "none"
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"{year} 年的{what}还没有公开（已公开的年度：{years}）",
                f"The {what} of {year} are not published yet (years published: {years_en})",
            ),
            field="year",
        )
    return load


async def disclosure(*, year: int, region_code: str | None, village: str, topic: str) -> Disclosure:
    """The public page: the county's (no region, or the county's code), a township's or one
    village's direct funds in ``year``, for one topic or all (empty)."""
    load = await _load(year)
    region = await Region.find_one({"code": region_code}) if region_code else None
    if region_code and region is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(f"没有地区编码 {region_code}", f"There is no region code {region_code}"),
            field="regionCode",
        )
    if region is not None and region.level is not Level.TOWNSHIP:
        region = None  # the county's own code: the whole county
    if village and region is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "按村查询时请给出乡镇的地区编码",
                "To ask for a village, give the township's region code",
            ),
            field="village",
        )
    shown = {"_id": 0, "grain": 1, "region": 1, "village": 1, "topic": 1, "code": 1,
             "policy": 1, "standard": 1, **dict.fromkeys(MEASURES, 1)}  # fmt: skip
    of_topic = {"topic": topic} if topic else {}
    whole = topic or ALL
    if village:
        assert region is not None
        match = {"load": load, "region": region.code, "village": village, **of_topic}
        rows = await DirectFundAllocation.get_pymongo_collection().find(match, shown).to_list()
        if not rows:
            await _no_funds(load, year, region.name, topic, village=village, field="village")
        return Disclosure(
            year=year, region=region, village=village, topic=topic, total=_total(rows), areas=[],
            topics=_parts(rows, "topic"), policies=_parts(rows, "code"),
        )  # fmt: skip
    # One read of the sums the page shows: the areas' (for every topic and for all), and the
    # policies', of the county or of the township.
    at = {"region": region.code} if region else {}
    lines = "VILLAGE" if region else "AREA"
    policies = "POLICY" if region else "COUNTY_POLICY"
    wanted: list[dict[str, Any]] = [
        {"grain": lines, **at, "topic": whole},
        {"grain": policies, **at, **of_topic},
        {"grain": "AREA", **at, "topic": topic or {"$ne": ALL}},
    ]
    if region:
        wanted.append({"grain": "AREA", **at, "topic": whole})
    sums = DirectFundSum.get_pymongo_collection()
    # Each branch names the load, so that each is read on the index.
    found = await sums.find({"$or": [{"load": load, **w} for w in wanted]}, shown).to_list()
    by_grain: dict[str, list[Mapping[str, Any]]] = {}
    for row in found:
        by_grain.setdefault(row["grain"], []).append(row)
    area_rows = by_grain.get("AREA", [])
    if region is None:
        regions = await Region.find_all().to_list()
        names = {r.code: r.name for r in regions}
        townships = {r.code for r in regions if r.level is Level.TOWNSHIP}
        wholes = [r for r in area_rows if r["topic"] == whole]
        areas = [p if p.key in townships else Part(p.key, f"{p.name}（县本级）", p.figures)
                 for p in _parts(wholes, "region", names)]  # fmt: skip
    else:
        wholes = [r for r in area_rows if r["topic"] == whole][:1]
        areas = [p if p.key else Part("", f"{region.name}本级", p.figures)
                 for p in _parts(by_grain.get("VILLAGE", []), "village")]  # fmt: skip
    if not wholes:
        await _no_funds(load, year, region.name if region else None, topic, field="regionCode")
    return Disclosure(
        year=year, region=region, village="", topic=topic, total=_total(wholes), areas=areas,
        topics=_parts((r for r in area_rows if r["topic"] != ALL), "topic"),
        policies=_parts(by_grain.get(policies, []), "code"),
    )  # fmt: skip


async def township_page(
    *, year: int, region_code: str, module: TownshipModule | None
) -> tuple[Region, list[TownshipFigure]]:
    """A township's published figures in ``year`` (one module, or all), in the file's order."""
    load = await _load(year, FileKind.TOWNSHIP_FIGURES)
    region = await Region.find_one({"code": region_code, "level": str(Level.TOWNSHIP)})
    if region is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"没有乡镇地区编码 {region_code}", f"There is no township region code {region_code}"
            ),
            field="regionCode",
        )
    match: dict[str, Any] = {"load": load, "region": region.code}
    if module is not None:
        match["module"] = str(module)
    rows = await TownshipFigure.find(match).to_list()
    if not rows:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"{year} 年{region.name}没有公开这些数据",
                f"{region.name} published none of these figures for {year}",
            ),
            field="regionCode",
        )
    return region, sorted(rows, key=lambda r: r.position)


async def _no_funds(
    load: ObjectId, year: int, region: str | None, topic: str, *, village: str = "", field: str
) -> None:
    """Refuses a page with nothing on it (of ``region``'s ``village``, of ``region``, or with
    no region of the whole county), naming the topics there are when one was asked."""
    where = f"{region}{village}" if region else "全县"
    where_en = f"{region} {village}".strip() if region else "The county"
    if topic:
        known = await DirectFundSum.get_pymongo_collection().distinct(
            "topic", {"load": load, "grain": "AREA", "topic": {"$ne": ALL}}
        )
        if topic not in known:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                say(
                    f"{year} 年没有“{topic}”这一资金用途；有：{'、'.join(sorted(known))}",
                    f'{year} has no topic "{topic}"; there are: {", ".join(sorted(known))}',
                ),
                field="topic",
            )
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"{year} 年{where}没有“{topic}”的直达资金",
                f'{where_en} has no direct funds for "{topic}" in {year}',
            ),
            field=field,
        )
    raise DomainError(
        ErrorCode.NOT_FOUND,
        say(f"{year} 年{where}没有直达资金", f"{where_en} has no direct funds in {year}"),
        field=field,
    )
