"""A user's own work in the library: excerpts (摘录) of articles and favorite folders (收藏)."""

from beanie import PydanticObjectId
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from api.access import Viewer, get_visible
from api.errors import DomainError, ErrorCode, optional_text, required_text
from api.language import say
from api.models.regulations import Excerpt, FavoriteFolder, Regulation
from api.models.users import utcnow

NOTE_MAX = 2000
QUOTE_MAX = 5000
FOLDER_NAME_MAX = 50
FOLDERS_MAX = 100
FOLDER_ITEMS_MAX = 1000
EXCERPTS_MAX = 10_000


def _owner(viewer: Viewer) -> PydanticObjectId:
    if viewer.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, say("请先登录", "Sign in first"))
    return PydanticObjectId(viewer.user_id)


async def add_excerpt(
    *,
    regulation: Regulation,
    article_number: int,
    quote: str,
    start: int | None,
    note: str,
    viewer: Viewer,
) -> Excerpt:
    """Mark ``quote`` in an article. ``start`` picks one occurrence when it appears more than
    once; without it, the first."""
    user_id = _owner(viewer)
    article = next((a for a in regulation.articles if a.number == article_number), None)
    if article is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"《{regulation.title}》没有第{article_number}条",
                f"{regulation.title} has no article {article_number}",
            ),
            field="articleNumber",
        )
    if not quote or len(quote) > QUOTE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"摘录应为 1 到 {QUOTE_MAX} 个字",
                f"The quote must be 1 to {QUOTE_MAX} characters long",
            ),
            field="quote",
        )
    found = article.text.find(quote) if start is None else start
    if found < 0 or article.text[found : found + len(quote)] != quote:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"{article.label}中没有这段文字"
                + ("" if start is None else f"（从第 {start} 个字起）"),
                f"Article {article_number} does not have this passage"
                + ("" if start is None else f" (from character {start} on)"),
            ),
            field="quote",
        )
    if await Excerpt.find({"user_id": user_id}).count() >= EXCERPTS_MAX:
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                f"摘录已达上限（{EXCERPTS_MAX} 条）",
                f"You have reached the limit of {EXCERPTS_MAX} excerpts",
            ),
        )
    excerpt = Excerpt(
        user_id=user_id,
        regulation_id=regulation.id,  # type: ignore[arg-type]
        article_number=article_number,
        start=found,
        quote=quote,
        note=optional_text(note, field="note", max_length=NOTE_MAX, what=say("备注", "note")),
    )
    await excerpt.insert()
    return excerpt


async def get_excerpt(*, excerpt_id: ObjectId | None, viewer: Viewer) -> Excerpt:
    return await get_visible(  # type: ignore[no-any-return]
        Excerpt, object_id=excerpt_id, viewer=viewer, what=say("你的摘录", "excerpt of yours")
    )


async def edit_excerpt_note(*, excerpt: Excerpt, note: str) -> Excerpt:
    excerpt.note = optional_text(note, field="note", max_length=NOTE_MAX, what=say("备注", "note"))
    excerpt.updated_at = utcnow()
    await excerpt.save()
    return excerpt


async def delete_excerpt(*, excerpt: Excerpt) -> None:
    await excerpt.delete()


def _folder_name(name: str) -> str:
    return required_text(
        name, field="name", max_length=FOLDER_NAME_MAX, what=say("收藏夹名称", "folder name")
    )


async def create_folder(*, name: str, viewer: Viewer) -> FavoriteFolder:
    user_id = _owner(viewer)
    if await FavoriteFolder.find({"user_id": user_id}).count() >= FOLDERS_MAX:
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                f"收藏夹已达上限（{FOLDERS_MAX} 个）",
                f"You have reached the limit of {FOLDERS_MAX} folders",
            ),
        )
    folder = FavoriteFolder(user_id=user_id, name=_folder_name(name))
    try:
        await folder.insert()
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                f"你已有名为“{folder.name}”的收藏夹",
                f'You already have a folder named "{folder.name}"',
            ),
            field="name",
        ) from None
    return folder


async def get_folder(
    *, folder_id: ObjectId | None, viewer: Viewer, field: str = "folderId"
) -> FavoriteFolder:
    return await get_visible(  # type: ignore[no-any-return]
        FavoriteFolder,
        object_id=folder_id,
        viewer=viewer,
        what=say("你的收藏夹", "folder of yours"),
        field=field,
    )


async def rename_folder(*, folder: FavoriteFolder, name: str) -> FavoriteFolder:
    folder.name = _folder_name(name)
    folder.updated_at = utcnow()
    try:
        await folder.save()
    except DuplicateKeyError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(
                f"你已有名为“{folder.name}”的收藏夹",
                f'You already have a folder named "{folder.name}"',
            ),
            field="name",
        ) from None
    return folder


async def delete_folder(*, folder: FavoriteFolder) -> None:
    await folder.delete()


async def add_favorite(*, folder: FavoriteFolder, regulation: Regulation) -> FavoriteFolder:
    """Keep a document in a folder; adding it twice keeps it once."""
    if regulation.id in folder.regulation_ids:
        return folder
    result = await FavoriteFolder.get_pymongo_collection().update_one(
        {"_id": folder.id, f"regulation_ids.{FOLDER_ITEMS_MAX - 1}": {"$exists": False}},
        {"$addToSet": {"regulation_ids": regulation.id}, "$set": {"updated_at": utcnow()}},
    )
    if result.matched_count == 0:
        raise DomainError(
            ErrorCode.CONFLICT,
            say(
                f"一个收藏夹最多收 {FOLDER_ITEMS_MAX} 个文件",
                f"A folder holds at most {FOLDER_ITEMS_MAX} documents",
            ),
        )
    fresh = await FavoriteFolder.get(folder.id)
    assert fresh is not None
    return fresh


async def remove_favorite(*, folder: FavoriteFolder, regulation_id: ObjectId) -> FavoriteFolder:
    await FavoriteFolder.get_pymongo_collection().update_one(
        {"_id": folder.id},
        {"$pull": {"regulation_ids": regulation_id}, "$set": {"updated_at": utcnow()}},
    )
    fresh = await FavoriteFolder.get(folder.id)
    assert fresh is not None
    return fresh
