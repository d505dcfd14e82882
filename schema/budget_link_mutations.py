"""Linking a suggestion or a livelihood project to budget objects, and unlinking it."""

from typing import Any

import strawberry
from bson import ObjectId

from api.access import get_visible
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.budget import (
    Book,
    LinkKind,
)
from api.models.livelihood import LivelihoodProject as LivelihoodProjectDocument
from api.services import budget_links
from api.services.suggestions import get_suggestion
from schema.context import Info
from schema.errors import UserErrors
from schema.livelihood import LivelihoodProject, LivelihoodProjectPayload
from schema.nodes import object_id
from schema.permissions import signed_in
from schema.suggestion_mutations import SuggestionPayload, _payload


@strawberry.input(description="A link to add: name what the kind needs.")
class LinkBudgetInput:
    id: strawberry.ID = strawberry.field(
        description="The suggestion (`linkBudget`) or livelihood project "
        "(`linkLivelihoodProjectBudget`)."
    )
    kind: LinkKind = strawberry.field(description="What it points at.")
    department: str = strawberry.field(
        default="", description="A department's code (DEPARTMENT and LINE)."
    )
    classification: str = strawberry.field(
        default="", description="A classification code (CLASSIFICATION and LINE)."
    )
    book: Book | None = strawberry.field(default=None, description="A LINE's book; none: all.")
    project: str = strawberry.field(default="", description="A key project's code (PROJECT).")
    note: str = strawberry.field(default="", description="Why; up to 500 characters.")


@strawberry.input(description="A link to remove.")
class UnlinkBudgetInput:
    id: strawberry.ID = strawberry.field(
        description="The suggestion (`unlinkBudget`) or livelihood project "
        "(`unlinkLivelihoodProjectBudget`)."
    )
    link_id: strawberry.ID = strawberry.field(description="The link's id.")


@strawberry.type
class BudgetLinkMutation:
    @strawberry.mutation(
        description="Link a suggestion to budget objects (staff and its lead deputy).",
        extensions=[signed_in(), UserErrors()],
    )
    async def link_budget(self, info: Info, input: LinkBudgetInput) -> SuggestionPayload:
        suggestion = await _suggestion(info, input.id)
        linked = await budget_links.link(
            record=suggestion, draft=_draft(input), viewer=info.context.viewer
        )
        return _payload(linked)

    @strawberry.mutation(
        description="Remove a link (staff and the suggestion's lead deputy).",
        extensions=[signed_in(), UserErrors()],
    )
    async def unlink_budget(self, info: Info, input: UnlinkBudgetInput) -> SuggestionPayload:
        suggestion = await _suggestion(info, input.id)
        unlinked = await budget_links.unlink(
            record=suggestion, link_id=_link_id(input), viewer=info.context.viewer
        )
        return _payload(unlinked)

    @strawberry.mutation(
        description="Link a livelihood project to budget objects (staff and its unit).",
        extensions=[signed_in(), UserErrors()],
    )
    async def link_livelihood_project_budget(
        self, info: Info, input: LinkBudgetInput
    ) -> LivelihoodProjectPayload:
        project = await _project(info, input.id)
        linked = await budget_links.link(
            record=project, draft=_draft(input), viewer=info.context.viewer
        )
        return LivelihoodProjectPayload(project=LivelihoodProject.from_document(linked))

    @strawberry.mutation(
        description="Remove a livelihood project's link (staff and its unit).",
        extensions=[signed_in(), UserErrors()],
    )
    async def unlink_livelihood_project_budget(
        self, info: Info, input: UnlinkBudgetInput
    ) -> LivelihoodProjectPayload:
        project = await _project(info, input.id)
        unlinked = await budget_links.unlink(
            record=project, link_id=_link_id(input), viewer=info.context.viewer
        )
        return LivelihoodProjectPayload(project=LivelihoodProject.from_document(unlinked))


def _draft(input: LinkBudgetInput) -> budget_links.LinkDraft:
    return budget_links.LinkDraft(
        kind=input.kind, department=input.department, classification=input.classification,
        book=input.book, project=input.project, note=input.note,
    )  # fmt: skip


def _link_id(input: UnlinkBudgetInput) -> ObjectId:
    link_id = object_id(str(input.link_id))
    if link_id is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这项预算关联", "No such budget link"), field="linkId"
        )
    return link_id


async def _project(info: Info, id: strawberry.ID) -> LivelihoodProjectDocument:
    return await get_visible(  # type: ignore[no-any-return]
        LivelihoodProjectDocument, object_id=LivelihoodProject.document_id(id),
        viewer=info.context.viewer, what=say("民生实事项目", "livelihood project"),
    )  # fmt: skip


async def _suggestion(info: Info, id: strawberry.ID) -> Any:
    from schema.suggestions import Suggestion

    return await get_suggestion(
        suggestion_id=Suggestion.document_id(id), viewer=info.context.viewer, field="id"
    )
