"""The loop's steps in GraphQL: one mutation per step, each with a typed input and a payload
with `errors`. A step from the wrong state is refused with CONFLICT, naming the current
state and the steps possible from it; a step taken by someone else meanwhile, likewise."""

from datetime import date

import strawberry

from api.access import Role
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.regulations import Visibility
from api.models.suggestions import (
    ResultClass,
    Satisfaction,
    SuggestionKind,
    SupervisionMethod,
)
from api.models.suggestions import Suggestion as SuggestionDocument
from api.services import suggestion_loop as loop
from api.services import suggestions
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import document_ids, object_id
from schema.people import CongressSession, Deputy, Unit
from schema.permissions import roles, signed_in
from schema.suggestions import Suggestion

FILERS = (Role.DEPUTY, Role.STAFF)


@strawberry.input(description="A new suggestion, as a draft (or submitted at once).")
class CreateSuggestionInput:
    session_id: strawberry.ID = strawberry.field(description="The congress session.")
    kind: SuggestionKind = strawberry.field(description="建议, 批评, 意见 or 议案.")
    title: str = strawberry.field(description="1 to 200 characters.")
    body: str = strawberry.field(description="1 to 20,000 characters.")
    category: str = strawberry.field(description="Topic category, 1 to 50 characters.")
    keywords: list[str] = strawberry.field(default_factory=list, description="Up to 10.")
    cosigner_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Co-signing deputies (附议), up to 100."
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="Who may read it once registered."
    )
    lead_deputy_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Staff entering a suggestion for a deputy name them; a deputy files as "
        "themself.",
    )
    theme: str = strawberry.field(default="", description="督办主线 (staff only).")
    key_supervision: bool = strawberry.field(default=False, description="重点督办 (staff only).")
    submit: bool = strawberry.field(default=False, description="Submit at once.")


@strawberry.input(description="Changes to a suggestion's text; omitted fields stay.")
class UpdateSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    kind: SuggestionKind | None = strawberry.field(default=None, description="New kind.")
    title: str | None = strawberry.field(default=None, description="New title.")
    body: str | None = strawberry.field(default=None, description="New text.")
    category: str | None = strawberry.field(default=None, description="New category.")
    keywords: list[str] | None = strawberry.field(default=None, description="New keywords.")
    cosigner_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="New co-signers."
    )
    visibility: Visibility | None = strawberry.field(default=None, description="New visibility.")
    theme: str | None = strawberry.field(default=None, description="New theme (staff only).")
    key_supervision: bool | None = strawberry.field(
        default=None, description="Key supervision on or off (staff only)."
    )


@strawberry.input(description="A step that needs nothing but an optional note.")
class SuggestionStepInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="Registration (立案).")
class RegisterSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    number: int | None = strawberry.field(
        default=None, description="Its number in the session; omitted: the next free one."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A refusal with its reason, shown to the deputy or staff.")
class ReasonInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    reason: str = strawberry.field(description="Why, 1 to 2,000 characters.")


@strawberry.input(description="Assignment (交办) to a lead unit and co-units.")
class AssignSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    lead_unit_id: strawberry.ID = strawberry.field(description="The lead unit (主办).")
    co_unit_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Co-units (协办)."
    )
    deadline: date | None = strawberry.field(
        default=None,
        description="Omitted: the usual deadline (three months by default, see settings).",
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="Transfer (改办) to another lead unit, with the reason.")
class TransferSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    lead_unit_id: strawberry.ID = strawberry.field(description="The new lead unit (主办).")
    co_unit_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Co-units (协办) from now on."
    )
    deadline: date | None = strawberry.field(
        default=None, description="Omitted: the usual deadline, counted from today."
    )
    reason: str = strawberry.field(description="Why, 1 to 2,000 characters; in the timeline.")


@strawberry.input(description="A promise in a reply.")
class CommitmentInput:
    text: str = strawberry.field(description="What, 1 to 500 characters.")
    due_on: date = strawberry.field(description="By when.")


@strawberry.input(description="A unit's reply (答复).")
class ReplyToSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    text: str = strawberry.field(description="1 to 20,000 characters.")
    result_class: ResultClass = strawberry.field(description="A, B or C.")
    commitments: list[CommitmentInput] = strawberry.field(
        default_factory=list, description="Up to 20."
    )
    public: bool = strawberry.field(default=True, description="Whether the public may read it.")


@strawberry.input(description="The lead deputy's evaluation (评).")
class EvaluateSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    satisfaction: Satisfaction = strawberry.field(description="满意, 基本满意 or 不满意.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="A meeting or act of supervision that happened.")
class SupervisionInput:
    method: SupervisionMethod = strawberry.field(description="How.")
    note: str = strawberry.field(description="What was done or agreed, 1 to 2,000 characters.")
    held_on: date | None = strawberry.field(default=None, description="Omitted: today.")


@strawberry.input(description="Handling again after an unsatisfied evaluation.")
class RehandleSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    deadline: date | None = strawberry.field(
        default=None, description="Omitted: the usual re-handle deadline (one month)."
    )
    three_party_meeting: SupervisionInput | None = strawberry.field(
        default=None, description="A three-party meeting (提督办三方见面) held for it."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="Merging suggestions on one matter (并案).")
class MergeSuggestionsInput:
    id: strawberry.ID = strawberry.field(description="The suggestion the others join.")
    duplicate_ids: list[strawberry.ID] = strawberry.field(
        description="1 to 20 suggestions on the same matter, of the same session and kind."
    )
    note: str = strawberry.field(default="", description="Up to 2,000 characters.")


@strawberry.input(description="Taking a merged suggestion out again (撤销并案).")
class SplitSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The merged suggestion.")
    reason: str = strawberry.field(description="Why, 1 to 2,000 characters.")


@strawberry.input(description="Reopening a closed suggestion (重新打开).")
class ReopenSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    reason: str = strawberry.field(
        description="Why it is handled again (the problem came back, closed in error): "
        "1 to 2,000 characters, kept in the timeline."
    )
    deadline: date | None = strawberry.field(
        default=None, description="Omitted: the usual re-handle deadline (one month)."
    )


@strawberry.input(description="A supervision record (督办) for an open suggestion.")
class AddSupervisionRecordInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    record: SupervisionInput = strawberry.field(description="What happened.")


@strawberry.input(description="A commitment that has been kept.")
class CompleteCommitmentInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")
    commitment_id: strawberry.ID = strawberry.field(description="The commitment's id.")


@strawberry.input(description="The suggestion to follow or unfollow.")
class FollowSuggestionInput:
    id: strawberry.ID = strawberry.field(description="The suggestion.")


@strawberry.type(description="The suggestion after the step, or why the step was refused.")
class SuggestionPayload:
    suggestion: Suggestion | None = strawberry.field(default=None, description="The suggestion.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


def _payload(document: SuggestionDocument) -> SuggestionPayload:
    return SuggestionPayload(suggestion=Suggestion.from_document(document))


async def _get(info: Info, id: strawberry.ID, field: str = "id") -> SuggestionDocument:
    return await suggestions.get_suggestion(
        suggestion_id=Suggestion.document_id(id), viewer=info.context.viewer, field=field
    )


def _supervision(given: SupervisionInput) -> loop.Supervision:
    return loop.Supervision(method=given.method, note=given.note, held_on=given.held_on)


def _assignment(input: AssignSuggestionInput | TransferSuggestionInput) -> loop.Assignment:
    """The units and deadline an assignment or a transfer names."""
    (lead,) = document_ids([input.lead_unit_id], Unit, "leadUnitId")
    return loop.Assignment(
        lead_unit_id=lead,
        co_unit_ids=document_ids(input.co_unit_ids, Unit, "coUnitIds"),
        deadline=input.deadline,
    )


@strawberry.type
class SuggestionMutation:
    @strawberry.mutation(
        description="Write a suggestion: a deputy as its lead deputy, staff for a deputy.",
        extensions=[roles(*FILERS), UserErrors()],
    )
    async def create_suggestion(
        self, info: Info, input: CreateSuggestionInput
    ) -> SuggestionPayload:
        (session_id,) = document_ids([input.session_id], CongressSession, "sessionId")
        lead = document_ids(
            [input.lead_deputy_id] if input.lead_deputy_id else [], Deputy, "leadDeputyId"
        )
        document = await suggestions.create_suggestion(
            viewer=info.context.viewer,
            session_id=session_id,
            lead_deputy_id=lead[0] if lead else None,
            draft=suggestions.SuggestionDraft(
                kind=input.kind,
                title=input.title,
                body=input.body,
                category=input.category,
                keywords=input.keywords,
                theme=input.theme,
                key_supervision=input.key_supervision,
                visibility=input.visibility,
                cosigner_ids=document_ids(input.cosigner_ids, Deputy, "cosignerIds"),
            ),
            submit_now=input.submit,
        )
        return _payload(document)

    @strawberry.mutation(
        description="Change a suggestion's text: its deputy while a draft, staff later.",
        extensions=[roles(*FILERS), UserErrors()],
    )
    async def update_suggestion(
        self, info: Info, input: UpdateSuggestionInput
    ) -> SuggestionPayload:
        changes = {
            name: getattr(input, name)
            for name in (
                "kind",
                "title",
                "body",
                "category",
                "keywords",
                "visibility",
                "theme",
                "key_supervision",
            )
            if getattr(input, name) is not None
        }
        if input.cosigner_ids is not None:
            changes["cosigner_ids"] = document_ids(input.cosigner_ids, Deputy, "cosignerIds")
        document = await suggestions.edit_suggestion(
            suggestion=await _get(info, input.id), viewer=info.context.viewer, changes=changes
        )
        return _payload(document)

    @strawberry.mutation(
        description="提: submit a draft.", extensions=[roles(*FILERS), UserErrors()]
    )
    async def submit_suggestion(self, info: Info, input: SuggestionStepInput) -> SuggestionPayload:
        return _payload(
            await loop.submit(
                suggestion=await _get(info, input.id), viewer=info.context.viewer, note=input.note
            )
        )

    @strawberry.mutation(
        description="撤回: the lead deputy withdraws a submitted suggestion before it is "
        "registered; it is no longer filed (nor counted), and stays in the record.",
        extensions=[roles(Role.DEPUTY), UserErrors()],
    )
    async def withdraw_suggestion(
        self, info: Info, input: SuggestionStepInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.withdraw(
                suggestion=await _get(info, input.id), viewer=info.context.viewer, note=input.note
            )
        )

    @strawberry.mutation(
        description="Register (立案) a submitted suggestion, giving it its number.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def register_suggestion(
        self, info: Info, input: RegisterSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.register(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                number=input.number,
                note=input.note,
            )
        )

    @strawberry.mutation(
        description="Do not register (不予立案) a submitted suggestion; a reason is required.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def reject_suggestion(self, info: Info, input: ReasonInput) -> SuggestionPayload:
        return _payload(
            await loop.reject(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                reason=input.reason,
            )
        )

    @strawberry.mutation(
        description="交: assign a registered suggestion to a lead unit (and co-units) with a "
        "deadline.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def assign_suggestion(
        self, info: Info, input: AssignSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.assign(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                assignment=_assignment(input),
                settings=info.context.settings,
                note=input.note,
            )
        )

    @strawberry.mutation(
        description="改办: staff transfer an assigned (or handled) suggestion to another lead "
        "unit with a reason; it is assigned again, and the units it leaves stop handling it.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def transfer_suggestion(
        self, info: Info, input: TransferSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.transfer(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                assignment=_assignment(input),
                settings=info.context.settings,
                reason=input.reason,
            )
        )

    @strawberry.mutation(
        description="The lead unit returns a suggestion that is not theirs (退回), with a "
        "reason; staff assign it again.",
        extensions=[roles(Role.HANDLER, Role.FINANCE), UserErrors()],
    )
    async def return_suggestion(self, info: Info, input: ReasonInput) -> SuggestionPayload:
        return _payload(
            await loop.return_assignment(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                reason=input.reason,
            )
        )

    @strawberry.mutation(
        description="办: the lead unit accepts (签收) the assignment and starts handling.",
        extensions=[roles(Role.HANDLER, Role.FINANCE), UserErrors()],
    )
    async def accept_suggestion(self, info: Info, input: SuggestionStepInput) -> SuggestionPayload:
        return _payload(
            await loop.accept(
                suggestion=await _get(info, input.id), viewer=info.context.viewer, note=input.note
            )
        )

    @strawberry.mutation(
        description="A unit replies (答复). The lead unit's reply ends the handling step; a "
        "co-unit replies once per round beside it.",
        extensions=[roles(Role.HANDLER, Role.FINANCE), UserErrors()],
    )
    async def reply_to_suggestion(
        self, info: Info, input: ReplyToSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.reply(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                draft=loop.ReplyDraft(
                    text=input.text,
                    result_class=input.result_class,
                    commitments=[(c.text, c.due_on) for c in input.commitments],
                    public=input.public,
                ),
                settings=info.context.settings,
            )
        )

    @strawberry.mutation(
        description="评: the lead deputy evaluates the reply. After UNSATISFIED, staff have it "
        "handled again (`rehandleSuggestion`).",
        extensions=[roles(Role.DEPUTY), UserErrors()],
    )
    async def evaluate_suggestion(
        self, info: Info, input: EvaluateSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.evaluate(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                satisfaction=input.satisfaction,
                note=input.note,
            )
        )

    @strawberry.mutation(
        description="Have an unsatisfied suggestion handled again, with its own deadline.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def rehandle_suggestion(
        self, info: Info, input: RehandleSuggestionInput
    ) -> SuggestionPayload:
        meeting = input.three_party_meeting
        return _payload(
            await loop.rehandle(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                settings=info.context.settings,
                deadline=input.deadline,
                meeting=_supervision(meeting) if meeting else None,
                note=input.note,
            )
        )

    @strawberry.mutation(
        description="Close (办结) an evaluated suggestion. After an UNSATISFIED evaluation it "
        "is handled again first (`rehandleSuggestion`), unless a three-party meeting "
        "(THREE_PARTY_MEETING) recorded since concluded it: else CONFLICT.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def close_suggestion(self, info: Info, input: SuggestionStepInput) -> SuggestionPayload:
        return _payload(
            await loop.close(
                suggestion=await _get(info, input.id), viewer=info.context.viewer, note=input.note
            )
        )

    @strawberry.mutation(
        description="Reopen a closed suggestion (staff), with the reason: the units handle it "
        "again in a new round, with a new deadline.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def reopen_suggestion(
        self, info: Info, input: ReopenSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.reopen(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                settings=info.context.settings,
                reason=input.reason,
                deadline=input.deadline,
            )
        )

    @strawberry.mutation(
        description="并案: staff merge suggestions on one matter into one, which is handled, "
        "replied to and evaluated for all of them; each one merged becomes MERGED and its "
        "deputies read the handling of the one it joined. All must be of one session and "
        "kind, registered and not yet replied.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def merge_suggestions(
        self, info: Info, input: MergeSuggestionsInput
    ) -> SuggestionPayload:
        suggestion = await _get(info, input.id)
        ids = document_ids(input.duplicate_ids, Suggestion, "duplicateIds")
        found = await info.context.loaders.by_id(SuggestionDocument).load_many(ids)
        duplicates = [d for d in found if d is not None]
        if len(duplicates) < len(ids):
            raise DomainError(
                ErrorCode.NOT_FOUND,
                say("没有这件建议，或你无权查看", "No such suggestion, or you may not see it"),
                field="duplicateIds",
            )
        return _payload(
            await loop.merge(
                suggestion=suggestion,
                duplicates=duplicates,
                viewer=info.context.viewer,
                note=input.note,
            )
        )

    @strawberry.mutation(
        description="撤销并案: staff take a merged suggestion out of the one it joined, with "
        "the reason; it is registered again, to be assigned on its own.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def split_suggestion(self, info: Info, input: SplitSuggestionInput) -> SuggestionPayload:
        return _payload(
            await loop.split(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                reason=input.reason,
            )
        )

    @strawberry.mutation(
        description="督: record supervision of a suggestion between assignment and closing.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def add_supervision_record(
        self, info: Info, input: AddSupervisionRecordInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.supervise(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                supervision=_supervision(input.record),
                settings=info.context.settings,
            )
        )

    @strawberry.mutation(
        description="Mark a commitment of a reply done: the unit that made it, or staff.",
        extensions=[roles(Role.HANDLER, Role.FINANCE, Role.STAFF), UserErrors()],
    )
    async def complete_commitment(
        self, info: Info, input: CompleteCommitmentInput
    ) -> SuggestionPayload:
        return _payload(
            await loop.complete_commitment(
                suggestion=await _get(info, input.id),
                viewer=info.context.viewer,
                commitment_id=object_id(str(input.commitment_id)),  # type: ignore[arg-type]
            )
        )

    @strawberry.mutation(
        description="Follow (关注) a suggestion you may see; `me.followed` lists it.",
        extensions=[signed_in(), UserErrors()],
    )
    async def follow_suggestion(
        self, info: Info, input: FollowSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await suggestions.follow(
                suggestion=await _get(info, input.id), viewer=info.context.viewer
            )
        )

    @strawberry.mutation(
        description="Stop following a suggestion (your own and co-signed ones stay followed).",
        extensions=[signed_in(), UserErrors()],
    )
    async def unfollow_suggestion(
        self, info: Info, input: FollowSuggestionInput
    ) -> SuggestionPayload:
        return _payload(
            await suggestions.unfollow(
                suggestion=await _get(info, input.id), viewer=info.context.viewer
            )
        )
