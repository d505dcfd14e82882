"""The GraphQL layer: turns requests into service calls and documents into GraphQL types."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from api.language import say
from api.settings import Settings
from schema.attachment_mutations import AttachmentMutation
from schema.budget_figures import BudgetQuery
from schema.budget_files import BudgetFileQuery, BudgetMutation
from schema.budget_link_mutations import BudgetLinkMutation
from schema.complaints import ComplaintMutation, ComplaintQuery
from schema.context import Info
from schema.direct_funds import DirectFundQuery
from schema.errors import ClientError, MaskInternalErrors
from schema.labels import EnumQuery
from schema.library import LibraryMutation
from schema.limits import execution_context_class, limit_extensions
from schema.livelihood import LivelihoodMutation, LivelihoodQuery
from schema.livelihood_steps import LivelihoodStepMutation
from schema.money import MONEY, Money
from schema.notifications import NotificationMutation, NotificationQuery, NotificationSubscription
from schema.people import PeopleMutation, PeopleQuery
from schema.rectification import RectificationQuery
from schema.rectification_mutations import RectificationMutation
from schema.rectification_steps import RectificationStepMutation
from schema.regulation_search import RegulationSearchQuery
from schema.regulations import RegulationMutation, RegulationQuery
from schema.suggestion_mutations import SuggestionMutation
from schema.suggestions import SuggestionQuery
from schema.supervision import SupervisionQuery
from schema.timestamps import TIMESTAMP
from schema.users import UserMutation, UserQuery
from schema.work_evaluation import WorkEvaluationPlanMutation, WorkEvaluationQuery
from schema.work_evaluation_steps import WorkEvaluationStepMutation


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id; null when it does not exist or you may not "
        "see it."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        try:
            global_id = relay.GlobalID.from_id(id)
            return await global_id.resolve_node(info, required=False)  # type: ignore[no-any-return]
        except GlobalIDValueError:
            raise ClientError(
                say(f"“{id}”不是有效的 id", f'"{id}" is not a valid id'), code="INVALID_INPUT"
            ) from None


Query = merge_types(
    "Query",
    (
        NodeQuery,
        UserQuery,
        RegulationQuery,
        RegulationSearchQuery,
        PeopleQuery,
        SuggestionQuery,
        BudgetQuery,
        BudgetFileQuery,
        RectificationQuery,
        SupervisionQuery,
        EnumQuery,
        NotificationQuery,
        LivelihoodQuery,
        WorkEvaluationQuery,
        DirectFundQuery,
        ComplaintQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        UserMutation,
        RegulationMutation,
        LibraryMutation,
        PeopleMutation,
        SuggestionMutation,
        BudgetMutation,
        BudgetLinkMutation,
        RectificationMutation,
        RectificationStepMutation,
        AttachmentMutation,
        NotificationMutation,
        LivelihoodMutation,
        LivelihoodStepMutation,
        WorkEvaluationPlanMutation,
        WorkEvaluationStepMutation,
        ComplaintMutation,
    ),
)
Subscription = merge_types("Subscription", (NotificationSubscription,))


def export_sdl() -> str:
    """The SDL as committed in ``schema/schema.graphql`` (limits do not change it)."""
    return build_schema(Settings.model_construct()).as_str() + "\n"


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with this deployment's limits; without settings, the defaults (for export)."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[*limit_extensions(settings), MaskInternalErrors],
        execution_context_class=execution_context_class(settings),
        config=StrawberryConfig(
            relay_max_results=settings.page_size_max,
            scalar_map={Money: MONEY, datetime: TIMESTAMP},
        ),
    )
