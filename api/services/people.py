"""Congress sessions, deputies and handling units: kept by staff and admins."""

from datetime import date

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from api.errors import DomainError, ErrorCode, required_text
from api.language import say
from api.models.people import CongressSession, Deputy, Unit
from api.models.regulations import Level


async def create_session(
    *, name: str, term: int, meeting: int, opened_on: date, closed_on: date
) -> CongressSession:
    if not 1 <= term <= 99 or not 1 <= meeting <= 99:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("届次和会次应为 1 到 99", "The term and the meeting must be 1 to 99"),
            field="term",
        )
    if closed_on < opened_on:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("闭会日期不能早于开会日期", "The closing date cannot be before the opening date"),
            field="closedOn",
        )
    session = CongressSession(
        name=required_text(
            name, field="name", max_length=100, what=say("会次名称", "session name")
        ),
        term=term,
        meeting=meeting,
        opened_on=opened_on,
        closed_on=closed_on,
        tallied=True,
    )
    try:
        await session.insert()
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                f"名为“{name}”的会次，或第{term}届第{meeting}次会议，已经存在",
                f'A session named "{name}", or meeting {meeting} of term {term}, already exists',
            ),
            field="name",
        ) from None
    return session


async def create_deputy(
    *, name: str, delegation: str, level: Level, constituency: str, term: int
) -> Deputy:
    if not 1 <= term <= 99:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say("届次应为 1 到 99", "The term must be 1 to 99"),
            field="term",
        )
    deputy = Deputy(
        name=required_text(
            name, field="name", max_length=50, what=say("代表姓名", "deputy's name")
        ),
        delegation=required_text(
            delegation, field="delegation", max_length=100, what=say("代表团", "delegation")
        ),
        level=level,
        constituency=required_text(
            constituency, field="constituency", max_length=100, what=say("选区", "constituency")
        ),
        term=term,
    )
    await deputy.insert()
    return deputy


async def create_unit(*, name: str, parent_id: ObjectId | None = None) -> Unit:
    if parent_id is not None and await Unit.get(parent_id) is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, say("没有这个上级单位", "No such parent unit"), field="parentId"
        )
    unit = Unit(
        name=required_text(name, field="name", max_length=100, what=say("单位名称", "unit name")),
        parent_id=parent_id,
    )
    try:
        await unit.insert()
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(f"已有名为“{name}”的单位", f'A unit named "{name}" already exists'),
            field="name",
        ) from None
    return unit


async def existing(
    model: type[Deputy] | type[Unit], ids: list[ObjectId], *, field: str, what: str
) -> list[ObjectId]:
    """``ids`` without repeats, refused as NOT_FOUND when any does not exist."""
    distinct = list(dict.fromkeys(ids))
    found = {d.id for d in await model.find({"_id": {"$in": distinct}}).to_list()}
    missing = [str(i) for i in distinct if i not in found]
    if missing:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(f"没有这个{what}：{'、'.join(missing)}", f"No such {what}: {', '.join(missing)}"),
            field=field,
        )
    return distinct
