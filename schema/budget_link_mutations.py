"""Linking a suggestion to budget objects, and unlinking it: mutations on the suggestion."""

from typing import Any

import strawberry

from api.errors import DomainError, ErrorCode
from api.models.budget import (
    Book,
    LinkKind,
)
from api.services import budget_links
from api.services.suggestions import get_suggestion
from schema.context import Info
from schema.errors import UserErrors
from schema.nodes import object_id
from schema.permissions import signed_in
from schema.suggestion_mutations import SuggestionPayload, _payload


@strawberry.input(description="A link to add: name what the kind needs.")
class LinkBudgetInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
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
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    link_id: strawberry.ID = strawberry.field(description="The link's id.")


@strawberry.type
class BudgetLinkMutation:
    @strawberry.mutation(
        description="Link a suggestion to budget objects (staff and its lead deputy).",
        extensions=[signed_in(), UserErrors()],
    )
    async def link_budget(self, info: Info, input: LinkBudgetInput) -> SuggestionPayload:
        suggestion = await _suggestion(info, input.id)
        draft = budget_links.LinkDraft(
            kind=input.kind,
            department=input.department,
            classification=input.classification,
            book=input.book,
            project=input.project,
            note=input.note,
        )
        return _payload(
            await budget_links.link(suggestion=suggestion, draft=draft, viewer=info.context.viewer)
        )

    @strawberry.mutation(
        description="Remove a link (staff and the suggestion's lead deputy).",
        extensions=[signed_in(), UserErrors()],
    )
    async def unlink_budget(self, info: Info, input: UnlinkBudgetInput) -> SuggestionPayload:
        suggestion = await _suggestion(info, input.id)
        link_id = object_id(str(input.link_id))
        if link_id is None:
            raise DomainError(ErrorCode.NOT_FOUND, "这件建议没有这项预算关联", field="linkId")
        return _payload(
            await budget_links.unlink(
                suggestion=suggestion, link_id=link_id, viewer=info.context.viewer
            )
        )


async def _suggestion(info: Info, id: strawberry.ID) -> Any:
    from schema.suggestions import Suggestion

    return await get_suggestion(
        suggestion_id=Suggestion.document_id(id), viewer=info.context.viewer, field="id"
    )
