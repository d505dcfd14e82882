"""Consultations and complaints about direct funds in GraphQL: submitted and followed by
anyone without an account, handled by staff, answered in public."""

from datetime import datetime

import strawberry
from strawberry import relay

from api.access import Role, get_visible, handling, visible
from api.language import say
from api.models.budget import Region as RegionDocument
from api.models.complaints import Complaint as ComplaintDocument
from api.models.complaints import ComplaintKind, ComplaintState
from api.paging import Sort, keyset_page
from api.services import complaints
from api.services.complaints import ComplaintStep, StepInput, Submission
from api.services.text_search import matching
from schema.context import Info
from schema.enums import graphql_enum
from schema.errors import UserError, UserErrors
from schema.nodes import Connection, DocumentNode, page_size
from schema.permissions import roles
from schema.suggestions import NextStep
from schema.timeline import TimelineEvent, timeline
from search.indexes import FUND_COMPLAINTS, RECORD_ACCESS

graphql_enum(ComplaintKind, description="A consultation (咨询) or a complaint (投诉).")
graphql_enum(ComplaintState, description="Where a consultation or complaint stands.")
STEP_MUTATIONS = {
    ComplaintStep.ACCEPT: "acceptFundComplaint",
    ComplaintStep.ANSWER: "answerFundComplaint",
    ComplaintStep.CORRECT: "correctFundComplaintAnswer",
    ComplaintStep.DISMISS: "dismissFundComplaint",
}


@strawberry.type(
    description="A consultation or complaint about direct funds. Everyone reads the answered "
    "ones, as staff published them (summary and answer); deputies and staff read all of them."
)
class FundComplaint(DocumentNode):
    __document__ = ComplaintDocument
    __label__ = "咨询投诉"

    id: relay.NodeID[str]
    kind: ComplaintKind = strawberry.field(description="咨询 or 投诉.")
    state: ComplaintState = strawberry.field(description="Where it stands.")
    region: str = strawberry.field(
        description="The region's code it is about; may be empty (its name: `regionName`)."
    )
    village: str = strawberry.field(description="The village it is about; may be empty.")
    policy: str = strawberry.field(description="The policy it is about; may be empty.")
    summary: str = strawberry.field(description="The question as published; empty before.")
    answer: str = strawberry.field(description="The published answer; empty before.")
    answered_at: datetime | None = strawberry.field(description="When it was answered.")
    created_at: datetime = strawberry.field(description="When it was submitted.")

    @strawberry.field(description="The region it is about, by name; empty when none.")
    async def region_name(self, info: Info) -> str:
        code = self.document.region
        if not code:
            return ""
        found = await info.context.loaders.by_field(RegionDocument, "code").load(code)
        return found[0].name if found else code

    @strawberry.field(
        description="What the submitter wrote; null unless you are a deputy or staff."
    )
    def text(self, info: Info) -> str | None:
        sees = info.context.viewer.role in ComplaintDocument.SEES_ALL
        return self.document.text if sees else None

    @strawberry.field(
        description="How to reach the submitter; null unless you are staff or an admin."
    )
    def contact(self, info: Info) -> str | None:
        staff = info.context.viewer.has_role(Role.STAFF, Role.ADMIN)
        return self.document.contact if staff else None

    @strawberry.field(
        description="Why it was not taken up (DISMISSED); null unless you are a deputy or staff."
    )
    def reason(self, info: Info) -> str | None:
        sees = info.context.viewer.role in ComplaintDocument.SEES_ALL
        return self.document.reason if sees else None

    @strawberry.field(description="Its steps; who took each and the notes only staff read.")
    def timeline(self, info: Info) -> list[TimelineEvent]:
        seen = handling(info.context.viewer, self.document)
        return timeline(seen, self.document.timeline, complaints.LOOP, ComplaintState, None)

    @strawberry.field(description="The steps you may take now, each with its mutation.")
    def next_steps(self, info: Info) -> list[NextStep]:
        if not info.context.viewer.has_role(Role.STAFF):
            return []
        return [NextStep(name=s.name, label=s.label, mutation=STEP_MUTATIONS[s.name])  # type: ignore[index]
                for s in complaints.LOOP.next_steps(self.document.state)]  # fmt: skip


@strawberry.type(description="What the submitter reads with their receipt code.")
class FundComplaintReceipt:
    kind: ComplaintKind = strawberry.field(description="咨询 or 投诉.")
    state: ComplaintState = strawberry.field(description="Where it stands.")
    text: str = strawberry.field(description="What you wrote.")
    summary: str = strawberry.field(description="Your question as published; empty before.")
    answer: str = strawberry.field(description="The answer; empty before.")
    reason: str = strawberry.field(description="Why it was not taken up; empty otherwise.")
    created_at: datetime = strawberry.field(description="When you submitted it.")
    answered_at: datetime | None = strawberry.field(description="When it was answered.")
    steps: list[TimelineEvent] = strawberry.field(description="Its changes of state.")


def _receipt_view(found: ComplaintDocument, info: Info) -> FundComplaintReceipt:
    seen = handling(info.context.viewer, found)
    return FundComplaintReceipt(
        kind=found.kind, state=found.state, text=found.text, summary=found.summary,
        answer=found.answer,
        reason=found.reason, created_at=found.created_at, answered_at=found.answered_at,
        steps=timeline(seen, found.timeline, complaints.LOOP, ComplaintState, None),
    )  # fmt: skip


@strawberry.type
class ComplaintQuery:
    @strawberry.field(
        description="Consultations and complaints about direct funds, the newest first: "
        "everyone reads the answered ones, deputies and staff all; `query`: words in the "
        "published summary and answer, the policy or the village (≤ 200)."
    )
    async def fund_complaints(
        self, info: Info, state: ComplaintState | None = None, query: str | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[FundComplaint]:  # fmt: skip
        conditions = {"state": str(state)} if state is not None else {}
        viewer = info.context.viewer
        words = await matching(ComplaintDocument, FUND_COMPLAINTS, RECORD_ACCESS,
                               info.context.words(query), viewer)  # fmt: skip
        page = await keyset_page(
            ComplaintDocument,
            query=visible(ComplaintDocument, viewer, conditions, words),
            sort=Sort("created_at", descending=True),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, FundComplaint, ComplaintDocument)

    @strawberry.field(
        description="Follow your consultation or complaint with the receipt code you were "
        "given (any case, dashes optional); NOT_FOUND for an unknown code."
    )
    async def fund_complaint_by_receipt(self, info: Info, receipt: str) -> FundComplaintReceipt:
        found = await complaints.by_receipt(receipt[:40])
        return _receipt_view(found, info)


@strawberry.input(description="A consultation or complaint about direct funds.")
class SubmitFundComplaintInput:
    kind: ComplaintKind = strawberry.field(description="咨询 or 投诉.")
    text: str = strawberry.field(description="1 to 1,000 characters.")
    region_code: str = strawberry.field(default="", description="The county or township, if any.")
    village: str = strawberry.field(default="", description="The village, up to 30 characters.")
    policy: str = strawberry.field(default="", description="The policy, up to 100 characters.")
    contact: str = strawberry.field(
        default="", description="How to reach you, optional, up to 50 characters; staff only."
    )


@strawberry.type(description="The receipt code to follow it with, or why it was refused.")
class SubmitFundComplaintPayload:
    receipt: str | None = strawberry.field(
        default=None, description="Keep it: it is shown once, and is the only way to follow it."
    )
    receipt_view: FundComplaintReceipt | None = strawberry.field(
        default=None, description="What you submitted, as the receipt shows it."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="A step on a consultation or complaint.")
class FundComplaintStepInput:
    id: strawberry.ID = strawberry.field(description="The consultation or complaint.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters; staff only.")


@strawberry.input(description="The answer, published with a summary of the question.")
class AnswerFundComplaintInput:
    id: strawberry.ID = strawberry.field(description="The consultation or complaint.")
    summary: str = strawberry.field(
        description="The question as published, 1 to 500 characters, without personal data."
    )
    answer: str = strawberry.field(description="1 to 5,000 characters.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters; staff only.")


@strawberry.input(description="A correction of what was published, with the reason.")
class CorrectFundComplaintAnswerInput:
    id: strawberry.ID = strawberry.field(description="An answered consultation or complaint.")
    summary: str = strawberry.field(description="The question as published, 1 to 500 characters.")
    answer: str = strawberry.field(description="1 to 5,000 characters.")
    note: str = strawberry.field(description="Why it is corrected, 1 to 2,000 characters.")


@strawberry.input(description="Not taking it up, with the reason the submitter reads.")
class DismissFundComplaintInput:
    id: strawberry.ID = strawberry.field(description="The consultation or complaint.")
    reason: str = strawberry.field(description="1 to 500 characters.")
    note: str = strawberry.field(default="", description="Up to 2,000 characters; staff only.")


@strawberry.type(description="The consultation or complaint, or why it did not change.")
class FundComplaintPayload:
    complaint: FundComplaint | None = strawberry.field(default=None, description="It.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


async def _take(
    info: Info, raw_id: str, step: ComplaintStep, given: StepInput
) -> FundComplaintPayload:
    found = await get_visible(
        ComplaintDocument, object_id=FundComplaint.document_id(raw_id),
        viewer=info.context.viewer, what=say("咨询投诉", "question or complaint"),
    )  # fmt: skip
    taken = await complaints.take_step(found, step=step, viewer=info.context.viewer, given=given)
    return FundComplaintPayload(complaint=FundComplaint.from_document(taken))


@strawberry.type
class ComplaintMutation:
    @strawberry.mutation(
        description="Submit a consultation or complaint about direct funds: anyone, no account "
        "needed; at most JIANDU_COMPLAINTS_PER_HOUR from one address in an hour (RATE_LIMITED).",
        extensions=[UserErrors()],
    )
    async def submit_fund_complaint(
        self, info: Info, input: SubmitFundComplaintInput
    ) -> SubmitFundComplaintPayload:
        submission = Submission(
            kind=input.kind, text=input.text, region=input.region_code, village=input.village,
            policy=input.policy, contact=input.contact,
        )  # fmt: skip
        found, receipt = await complaints.submit(
            submission, address=info.context.client_address, settings=info.context.settings
        )
        return SubmitFundComplaintPayload(receipt=receipt, receipt_view=_receipt_view(found, info))

    @strawberry.mutation(
        description="受理: staff take it up (RECEIVED → HANDLING).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def accept_fund_complaint(
        self, info: Info, input: FundComplaintStepInput
    ) -> FundComplaintPayload:
        return await _take(info, input.id, ComplaintStep.ACCEPT, StepInput(note=input.note))

    @strawberry.mutation(
        description="答复: staff answer it; the summary and the answer are published "
        "(HANDLING → ANSWERED).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def answer_fund_complaint(
        self, info: Info, input: AnswerFundComplaintInput
    ) -> FundComplaintPayload:
        given = StepInput(note=input.note, summary=input.summary, answer=input.answer)
        return await _take(info, input.id, ComplaintStep.ANSWER, given)

    @strawberry.mutation(
        description="更正答复: staff correct what was published (a summary that named someone, "
        "a wrong figure), with the reason kept in the timeline (ANSWERED, stays).",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def correct_fund_complaint_answer(
        self, info: Info, input: CorrectFundComplaintAnswerInput
    ) -> FundComplaintPayload:
        given = StepInput(note=input.note, summary=input.summary, answer=input.answer)
        return await _take(info, input.id, ComplaintStep.CORRECT, given)

    @strawberry.mutation(
        description="不予受理: staff do not take it up, with the reason the submitter reads "
        "(RECEIVED → DISMISSED); one taken up is answered.",
        extensions=[roles(Role.STAFF), UserErrors()],
    )
    async def dismiss_fund_complaint(
        self, info: Info, input: DismissFundComplaintInput
    ) -> FundComplaintPayload:
        given = StepInput(note=input.note, reason=input.reason)
        return await _take(info, input.id, ComplaintStep.DISMISS, given)
