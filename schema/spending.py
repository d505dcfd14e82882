"""The join that matters, in GraphQL: a suggestion's (or a livelihood project's) links to
budget objects and the money behind them, month by month, with the links worth making."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from api.models.budget import (
    Book,
    LinkKind,
)
from api.models.budget import BudgetLink as BudgetLinkModel
from api.services import budget_links
from api.services.budget_links import Spending as SpendingData
from schema.budget_figures import (
    BudgetFigures,
    Department,
    KeyProject,
    classification_name,
    department_of,
    figures,
    project,
)
from schema.context import Info
from schema.nodes import build
from schema.selection import asked


@strawberry.type(
    description="A link from a suggestion or a livelihood project to budget objects, by their "
    "codes."
)
class BudgetLink:
    id: strawberry.ID = strawberry.field(
        description="For `unlinkBudget` (`unlinkLivelihoodProjectBudget`)."
    )
    kind: LinkKind = strawberry.field(description="Department, classification, line, project.")
    department_code: str = strawberry.field(description="The department's code, if any.")
    classification: str = strawberry.field(description="The classification code, if any.")
    book: Book | None = strawberry.field(description="A line link's book; null: all books.")
    project: str = strawberry.field(description="The key project's code, if any.")
    note: str = strawberry.field(description="Why it is linked.")
    linked_by: str = strawberry.field(description="Who linked it.")
    linked_at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department | None:
        return await department_of(info, self.department_code) if self.department_code else None

    @strawberry.field(
        description="The classification code's name (农田建设); empty without a code or when "
        "the code is not in the list."
    )
    async def classification_name(self, info: Info) -> str:
        return await classification_name(info, self.classification) if self.classification else ""


def budget_link(link: BudgetLinkModel) -> BudgetLink:
    return build(BudgetLink, link, id=str(link.id), department_code=link.department)


@strawberry.type(description="One link's money.")
class LinkedSpending:
    link: BudgetLink = strawberry.field(description="The link.")
    figures: BudgetFigures | None = strawberry.field(
        description="The expenditure lines it covers; null for a key project link."
    )
    projects: list[KeyProject] = strawberry.field(
        description="Key projects it covers (of its department, under its code, or itself)."
    )


@strawberry.type(
    description="The money behind a suggestion or a livelihood project in one fiscal year."
)
class Spending:
    year: int = strawberry.field(description="The fiscal year.")
    month: int | None = strawberry.field(description="The month executed is counted to.")
    total: BudgetFigures = strawberry.field(description="Across all links, each line counted once.")
    monthly: list[BudgetFigures] = strawberry.field(description="The total month by month.")
    links: list[LinkedSpending] = strawberry.field(description="Each link's figures.")


def spending(found: SpendingData) -> Spending:
    return Spending(
        year=found.year,
        month=found.month,
        total=figures(found.total),
        monthly=[figures(m) for m in found.monthly],
        links=[
            LinkedSpending(
                link=budget_link(item.link),
                figures=figures(item.figures) if item.figures else None,
                projects=[project(p) for p in item.projects],
            )
            for item in found.links
        ],
    )


@strawberry.type(description="A link worth making, for a person to confirm with `linkBudget`.")
class BudgetCandidate:
    kind: LinkKind = strawberry.field(description="What it would point at.")
    department_code: str = strawberry.field(description="The department's code, if any.")
    classification: str = strawberry.field(description="The classification code, if any.")
    project: str = strawberry.field(description="The key project's code, if any.")
    name: str = strawberry.field(description="The department's, code's or project's name.")
    reason: str = strawberry.field(description="Why it is proposed.")


async def budget_candidates(info: Info, suggestion: Any, year: int) -> list[BudgetCandidate]:
    context = info.context
    found = await budget_links.candidates(
        suggestion=suggestion, viewer=context.viewer, client=context.resources.meili,
        prefix=context.settings.mongodb_database, year=year,
    )  # fmt: skip
    return [
        BudgetCandidate(
            kind=c.draft.kind,
            department_code=c.draft.department,
            classification=c.draft.classification,
            project=c.draft.project,
            name=c.name,
            reason=c.reason,
        )
        for c in found
    ]


def spending_loader(info: Info, year: int, month: int | None) -> DataLoader[Any, SpendingData]:
    """Spending of many suggestions or livelihood projects in one go (one loader per year,
    month and parts asked): the month-by-month series and the projects cost a query each,
    made only when asked."""
    viewer = info.context.viewer
    selected = asked(info)
    series, projects = "monthly" in selected, "projects" in selected

    async def load(found: list[Any]) -> list[SpendingData]:
        return await budget_links.spending(
            viewer, found, year=year, month=month, series=series, projects=projects
        )

    return info.context.loaders.keyed(
        ("spending", year, month, series, projects),
        lambda: DataLoader(load_fn=load, cache_key_fn=lambda s: s.id),
    )
