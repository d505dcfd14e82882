"""The public disclosure of direct funds (财政直达资金信息公开) in GraphQL: open to everyone,
signed in or not."""

from decimal import Decimal

import strawberry

from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import FileKind, TownshipModule
from api.models.budget import Region as RegionDocument
from api.services import direct_funds
from api.services.budget_figures import percent
from api.services.budget_files import FISCAL_YEARS
from schema.budget_figures import Region
from schema.context import Info
from schema.enums import graphql_enum
from schema.money import Money


@strawberry.type(description="Direct funds allocated and paid, and who benefits (counts only).")
class DirectFundFigures:
    allocated: Money = strawberry.field(description="下达金额.")
    paid: Money = strawberry.field(description="支付金额.")
    paid_rate: Decimal | None = strawberry.field(
        description="Paid in percent of allocated, two decimals; null when nothing was allocated."
    )
    households: int = strawberry.field(description="受益户数.")
    persons: int = strawberry.field(description="受益人数.")


def _figures(found: direct_funds.Figures) -> DirectFundFigures:
    return DirectFundFigures(
        allocated=Money(found.allocated), paid=Money(found.paid),
        paid_rate=percent(found.paid, found.allocated), households=found.households,
        persons=found.persons,
    )  # fmt: skip


@strawberry.type(description="One line of a breakdown: an area, a topic or a policy.")
class DirectFundPart:
    key: str = strawberry.field(
        description="The township's region code, the village's name (empty: money held at the "
        "township), the topic, or the fund's code (资金编码) of a policy."
    )
    name: str = strawberry.field(
        description="As people read it, e.g. 石门镇, 石门镇本级, or a fund's policy."
    )
    standard: str = strawberry.field(description="A policy's standard of payment; else empty.")
    figures: DirectFundFigures = strawberry.field(description="Its money and beneficiaries.")


def _parts(found: list[direct_funds.Part]) -> list[DirectFundPart]:
    return [DirectFundPart(key=p.key, name=p.name, standard=p.standard, figures=_figures(p.figures))
            for p in found]  # fmt: skip


@strawberry.type(
    description="What the public reads of a year's direct funds (直达资金) for the county, a "
    "township or a village: totals and breakdowns, the most money first."
)
class DirectFundDisclosure:
    year: int = strawberry.field(description="The fiscal year.")
    region: Region | None = strawberry.field(description="The township; null for the county.")
    village: str = strawberry.field(description="The village; empty above it.")
    topic: str = strawberry.field(description="The topic asked for; empty for all.")
    total: DirectFundFigures = strawberry.field(description="All of it.")
    areas: list[DirectFundPart] = strawberry.field(
        description="By township (for the county; money the county holds itself is marked 县本级) "
        "or by village (for a township); empty for a village."
    )
    topics: list[DirectFundPart] = strawberry.field(description="By topic (资金用途).")
    policies: list[DirectFundPart] = strawberry.field(
        description="By policy, with its standard of payment."
    )


graphql_enum(TownshipModule, description="The parts of a township's public page.")


@strawberry.type(description="One published figure of a township, or of a village in it.")
class TownshipFigure:
    module: TownshipModule = strawberry.field(description="The part of the page.")
    village: str = strawberry.field(description="The village; empty for the township itself.")
    item: str = strawberry.field(description="What it is, e.g. 户籍人口.")
    value: str = strawberry.field(description="The number, exact, as a decimal string.")
    unit: str = strawberry.field(description="e.g. 元, 人, 亩.")
    note: str = strawberry.field(description="An explanation; may be empty.")


@strawberry.type(description="A township's public page (乡镇公开) for a year.")
class TownshipPage:
    year: int = strawberry.field(description="The year.")
    region: Region = strawberry.field(description="The township.")
    figures: list[TownshipFigure] = strawberry.field(
        description="Its figures in the order finance published them."
    )


def _year(year: int) -> None:
    if not FISCAL_YEARS[0] <= year <= FISCAL_YEARS[1]:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"年度应在 {FISCAL_YEARS[0]} 到 {FISCAL_YEARS[1]} 之间",
                f"The year should be from {FISCAL_YEARS[0]} to {FISCAL_YEARS[1]}",
            ),
            field="year",
        )


def _region(found: RegionDocument) -> Region:
    return Region(code=found.code, name=found.name, level=found.level,
                  parent_code=found.parent_code)  # fmt: skip


@strawberry.type(description="The years that have something published, latest first.")
class PublishedYears:
    direct_funds: list[int] = strawberry.field(description="Years with direct funds published.")
    township_pages: list[int] = strawberry.field(description="Years with township pages published.")


@strawberry.type
class DirectFundQuery:
    @strawberry.field(
        description="Which years the public may ask `directFunds` and `townshipPage` about."
    )
    async def published_years(self, info: Info) -> PublishedYears:
        return PublishedYears(
            direct_funds=await direct_funds.published_years(FileKind.DIRECT_FUNDS),
            township_pages=await direct_funds.published_years(FileKind.TOWNSHIP_FIGURES),
        )

    @strawberry.field(
        description="乡镇公开: a township's published figures for a year (its overview, special "
        "funds, state assets, villages' collective business income), one part or all. Open to "
        "everyone. NOT_FOUND when nothing is published for it."
    )
    async def township_page(
        self, info: Info, year: int, region_code: str, module: TownshipModule | None = None
    ) -> TownshipPage:
        _year(year)
        region, rows = await direct_funds.township_page(
            year=year, region_code=region_code.strip()[:40], module=module
        )
        return TownshipPage(year=year, region=_region(region), figures=[
            TownshipFigure(module=r.module, village=r.village, item=r.item, value=r.value,
                           unit=r.unit, note=r.note) for r in rows])  # fmt: skip

    @strawberry.field(
        description="直达资金信息公开: a year's direct funds for the county (no regionCode), a "
        "township (its regionCode) or a village (regionCode and village), for one topic or "
        "all. Open to everyone, signed in or not. NOT_FOUND when the year has nothing "
        "published, when the region or village has no funds (for that topic), or when no "
        "fund has that topic (the message names those there are)."
    )
    async def direct_funds(
        self, info: Info, year: int, region_code: str | None = None, village: str = "",
        topic: str = "",
    ) -> DirectFundDisclosure:  # fmt: skip
        _year(year)
        for field, what, english, value, most in (
            ("village", "村（社区）", "village", village, 30),
            ("topic", "资金用途", "topic", topic, 30),
            ("regionCode", "地区编码", "region code", region_code or "", 40),
        ):  # fmt: skip
            if len(value) > most:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    say(
                        f"{what}最多 {most} 个字",
                        f"The {english} may have at most {most} characters",
                    ),
                    field=field,
                )
        found = await direct_funds.disclosure(
            year=year, region_code=(region_code or "").strip() or None, village=village.strip(),
            topic=topic.strip(),
        )  # fmt: skip
        region = found.region
        return DirectFundDisclosure(
            year=found.year,
            region=_region(region) if region else None,
            village=found.village, topic=found.topic, total=_figures(found.total),
            areas=_parts(found.areas), topics=_parts(found.topics),
            policies=_parts(found.policies),
        )  # fmt: skip
