"""Congress sessions, deputies and handling units in GraphQL: everyone reads them; staff and
admins keep them."""

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from api.access import Role, visible
from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.people import CongressSession as SessionDocument
from api.models.people import Deputy as DeputyDocument
from api.models.people import Unit as UnitDocument
from api.models.regulations import Level
from api.paging import Sort, keyset_page
from api.services import people
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import Connection, DocumentNode, page_size
from schema.permissions import roles

KEEPERS = (Role.STAFF, Role.ADMIN)


@strawberry.type(description="One meeting of a people's congress (届次/会次).")
class CongressSession(DocumentNode):
    __document__ = SessionDocument
    __label__ = "会次"

    id: relay.NodeID[str]
    name: str = strawberry.field(description="e.g. 青岚县第十八届人民代表大会第三次会议.")
    term: int = strawberry.field(description="届: 18 for the 18th congress.")
    meeting: int = strawberry.field(description="次: 3 for its third meeting.")
    opened_on: date = strawberry.field(description="The first day of the meeting.")
    closed_on: date = strawberry.field(description="The last day of the meeting.")


@strawberry.type(description="A deputy of a people's congress (人大代表).")
class Deputy(DocumentNode):
    __document__ = DeputyDocument
    __label__ = "代表"

    id: relay.NodeID[str]
    name: str = strawberry.field(description="The deputy's name.")
    delegation: str = strawberry.field(description="代表团, e.g. 石门镇代表团.")
    level: Level = strawberry.field(description="The congress they sit in.")
    constituency: str = strawberry.field(description="选区, or the body that elected them.")
    term: int = strawberry.field(description="The congress term (届) they were elected to.")


@strawberry.type(description="A government unit that handles suggestions (承办单位).")
class Unit(DocumentNode):
    __document__ = UnitDocument
    __label__ = "单位"

    id: relay.NodeID[str]
    name: str = strawberry.field(description="e.g. 青岚县交通运输局.")

    @strawberry.field(description="The unit it belongs to, if any.")
    async def parent(self, info: Info) -> "Unit | None":
        return await Unit.load(info, self.document.parent_id)


@strawberry.input(description="Which deputies to list.")
class DeputyFilter:
    term: int | None = strawberry.field(default=None, description="Only this congress term.")
    delegation: str | None = strawberry.field(default=None, description="Only this delegation.")
    name: str | None = strawberry.field(default=None, description="Only deputies of this name.")


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="Congress sessions, newest first.")
    async def congress_sessions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CongressSession]:
        page = await keyset_page(
            SessionDocument,
            query=visible(SessionDocument, info.context.viewer),
            sort=Sort("opened_on", descending=True),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, CongressSession, SessionDocument)

    @strawberry.field(description="Deputies by name.")
    async def deputies(
        self,
        info: Info,
        filter: DeputyFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Deputy]:
        conditions: dict[str, Any] = {}
        if filter is not None:
            conditions = {
                k: v
                for k, v in (
                    ("term", filter.term),
                    ("delegation", filter.delegation),
                    ("name", filter.name),
                )
                if v is not None
            }
        page = await keyset_page(
            DeputyDocument,
            query=visible(DeputyDocument, info.context.viewer, conditions),
            sort=Sort("name"),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, Deputy, DeputyDocument)

    @strawberry.field(description="Handling units by name.")
    async def units(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Unit]:
        page = await keyset_page(
            UnitDocument,
            query=visible(UnitDocument, info.context.viewer),
            sort=Sort("name"),
            first=page_size(info, first),
            after=after,
        )
        return Connection.from_page(page, Unit, UnitDocument)


@strawberry.input(description="A new congress session.")
class CreateCongressSessionInput:
    name: str = strawberry.field(description="1 to 100 characters, unique.")
    term: int = strawberry.field(description="届, 1 to 99.")
    meeting: int = strawberry.field(description="次, 1 to 99; unique within the term.")
    opened_on: date = strawberry.field(description="The first day.")
    closed_on: date = strawberry.field(description="The last day, on or after the first.")


@strawberry.input(description="A new deputy on the roll.")
class CreateDeputyInput:
    name: str = strawberry.field(description="1 to 50 characters.")
    delegation: str = strawberry.field(description="代表团.")
    level: Level = strawberry.field(description="The congress they sit in.")
    constituency: str = strawberry.field(description="选区.")
    term: int = strawberry.field(description="The congress term, 1 to 99.")


@strawberry.input(description="A new handling unit.")
class CreateUnitInput:
    name: str = strawberry.field(description="1 to 100 characters, unique.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The unit it belongs to."
    )


@strawberry.type(description="The new session, or why there is none.")
class CongressSessionPayload:
    congress_session: CongressSession | None = strawberry.field(
        default=None, description="The session."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="The new deputy, or why there is none.")
class DeputyPayload:
    deputy: Deputy | None = strawberry.field(default=None, description="The deputy.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="The new unit, or why there is none.")
class UnitPayload:
    unit: Unit | None = strawberry.field(default=None, description="The unit.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(
        description="Add a congress session.", extensions=[roles(*KEEPERS), UserErrors()]
    )
    async def create_congress_session(
        self, info: Info, input: CreateCongressSessionInput
    ) -> CongressSessionPayload:
        session = await people.create_session(
            name=input.name,
            term=input.term,
            meeting=input.meeting,
            opened_on=input.opened_on,
            closed_on=input.closed_on,
        )
        return CongressSessionPayload(congress_session=CongressSession.from_document(session))

    @strawberry.mutation(
        description="Add a deputy to the roll.", extensions=[roles(*KEEPERS), UserErrors()]
    )
    async def create_deputy(self, info: Info, input: CreateDeputyInput) -> DeputyPayload:
        deputy = await people.create_deputy(
            name=input.name,
            delegation=input.delegation,
            level=input.level,
            constituency=input.constituency,
            term=input.term,
        )
        return DeputyPayload(deputy=Deputy.from_document(deputy))

    @strawberry.mutation(
        description="Add a handling unit.", extensions=[roles(*KEEPERS), UserErrors()]
    )
    async def create_unit(self, info: Info, input: CreateUnitInput) -> UnitPayload:
        parent_id = None
        if input.parent_id is not None:
            parent_id = Unit.document_id(input.parent_id)
            if parent_id is None:
                raise DomainError(
                    ErrorCode.NOT_FOUND,
                    say("没有这个上级单位", "No such parent unit"),
                    field="parentId",
                )
        unit = await people.create_unit(name=input.name, parent_id=parent_id)  # type: ignore[arg-type]
        return UnitPayload(unit=Unit.from_document(unit))
