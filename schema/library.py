"""A user's own library in GraphQL: excerpts of articles and favorite folders."""

from datetime import datetime

import strawberry
from strawberry import relay

from api.models.regulations import Excerpt as ExcerptDocument
from api.models.regulations import FavoriteFolder as FolderDocument
from api.models.regulations import Regulation as RegulationDocument
from api.services import library, regulations
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.nodes import DocumentNode
from schema.permissions import signed_in
from schema.regulations import Excerpt, Regulation


@strawberry.type(description="A named folder of your favorite documents (收藏夹).")
class FavoriteFolder(DocumentNode):
    __document__ = FolderDocument
    __label__ = "收藏夹"

    id: relay.NodeID[str]
    name: str = strawberry.field(description="The folder's name.")
    created_at: datetime = strawberry.field(description="When you made it.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @strawberry.field(description="The documents in it that you may see, in the order added.")
    async def regulations(self, info: Info) -> list[Regulation]:
        return await Regulation.load_many(info, self.document.regulation_ids)


@strawberry.input(description="A passage of an article to mark.")
class AddExcerptInput:
    regulation_id: strawberry.ID = strawberry.field(description="The document.")
    article_number: int = strawberry.field(description="The article's number, e.g. 67.")
    quote: str = strawberry.field(description="The passage, exactly as in the article text.")
    start: int | None = strawberry.field(
        default=None,
        description="Where it starts in the article text, when it occurs more than once.",
    )
    note: str = strawberry.field(default="", description="Your note, up to 2,000 characters.")


@strawberry.input(description="A new note for an excerpt.")
class UpdateExcerptInput:
    id: strawberry.ID = strawberry.field(description="The excerpt.")
    note: str = strawberry.field(description="The new note, up to 2,000 characters.")


@strawberry.input(description="The excerpt to delete.")
class DeleteExcerptInput:
    id: strawberry.ID = strawberry.field(description="The excerpt.")


@strawberry.type(description="The excerpt after the change, or why it did not change.")
class ExcerptPayload:
    excerpt: Excerpt | None = strawberry.field(default=None, description="The excerpt.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.input(description="A new favorite folder.")
class CreateFavoriteFolderInput:
    name: str = strawberry.field(description="1 to 50 characters, unique among your folders.")


@strawberry.input(description="A new name for a folder.")
class RenameFavoriteFolderInput:
    id: strawberry.ID = strawberry.field(description="The folder.")
    name: str = strawberry.field(description="1 to 50 characters, unique among your folders.")


@strawberry.input(description="The folder to delete (the documents stay in the library).")
class DeleteFavoriteFolderInput:
    id: strawberry.ID = strawberry.field(description="The folder.")


@strawberry.input(description="A document to keep in, or take out of, a folder.")
class FavoriteInput:
    id: strawberry.ID = strawberry.field(description="Your folder.")
    regulation_id: strawberry.ID = strawberry.field(description="The document.")


@strawberry.type(description="The folder after the change, or why it did not change.")
class FavoriteFolderPayload:
    folder: FavoriteFolder | None = strawberry.field(default=None, description="The folder.")
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


@strawberry.type(description="Which object was deleted, or why it was not.")
class DeletePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the deleted object."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description="Why it failed.")


async def _regulation(info: Info, id: strawberry.ID) -> RegulationDocument:
    """The document an input's ``regulationId`` names (a refusal names that field)."""
    return await regulations.get_visible(
        regulation_id=Regulation.document_id(id, "regulationId"),
        viewer=info.context.viewer,
        field="regulationId",
    )


async def _excerpt(info: Info, id: strawberry.ID) -> ExcerptDocument:
    return await library.get_excerpt(excerpt_id=Excerpt.document_id(id), viewer=info.context.viewer)


async def _folder(info: Info, id: strawberry.ID, field: str = "id") -> FolderDocument:
    return await library.get_folder(
        folder_id=FavoriteFolder.document_id(id), viewer=info.context.viewer, field=field
    )


@strawberry.type
class LibraryMutation:
    @strawberry.mutation(
        description="Mark a passage of an article, with a note.",
        extensions=[signed_in(), UserErrors()],
    )
    async def add_excerpt(self, info: Info, input: AddExcerptInput) -> ExcerptPayload:
        excerpt = await library.add_excerpt(
            regulation=await _regulation(info, input.regulation_id),
            article_number=input.article_number,
            quote=input.quote,
            start=input.start,
            note=input.note,
            viewer=info.context.viewer,
        )
        return ExcerptPayload(excerpt=Excerpt.from_document(excerpt))

    @strawberry.mutation(
        description="Change the note of one of your excerpts.",
        extensions=[signed_in(), UserErrors()],
    )
    async def update_excerpt(self, info: Info, input: UpdateExcerptInput) -> ExcerptPayload:
        excerpt = await library.edit_excerpt_note(
            excerpt=await _excerpt(info, input.id), note=input.note
        )
        return ExcerptPayload(excerpt=Excerpt.from_document(excerpt))

    @strawberry.mutation(
        description="Delete one of your excerpts.", extensions=[signed_in(), UserErrors()]
    )
    async def delete_excerpt(self, info: Info, input: DeleteExcerptInput) -> DeletePayload:
        await library.delete_excerpt(excerpt=await _excerpt(info, input.id))
        return DeletePayload(deleted_id=input.id)

    @strawberry.mutation(
        description="Make a favorite folder.", extensions=[signed_in(), UserErrors()]
    )
    async def create_favorite_folder(
        self, info: Info, input: CreateFavoriteFolderInput
    ) -> FavoriteFolderPayload:
        folder = await library.create_folder(name=input.name, viewer=info.context.viewer)
        return FavoriteFolderPayload(folder=FavoriteFolder.from_document(folder))

    @strawberry.mutation(
        description="Rename one of your folders.", extensions=[signed_in(), UserErrors()]
    )
    async def rename_favorite_folder(
        self, info: Info, input: RenameFavoriteFolderInput
    ) -> FavoriteFolderPayload:
        folder = await library.rename_folder(folder=await _folder(info, input.id), name=input.name)
        return FavoriteFolderPayload(folder=FavoriteFolder.from_document(folder))

    @strawberry.mutation(
        description="Delete one of your folders.", extensions=[signed_in(), UserErrors()]
    )
    async def delete_favorite_folder(
        self, info: Info, input: DeleteFavoriteFolderInput
    ) -> DeletePayload:
        await library.delete_folder(folder=await _folder(info, input.id))
        return DeletePayload(deleted_id=input.id)

    @strawberry.mutation(
        description="Keep a document in one of your folders (twice keeps it once).",
        extensions=[signed_in(), UserErrors()],
    )
    async def add_favorite(self, info: Info, input: FavoriteInput) -> FavoriteFolderPayload:
        folder = await library.add_favorite(
            folder=await _folder(info, input.id),
            regulation=await _regulation(info, input.regulation_id),
        )
        return FavoriteFolderPayload(folder=FavoriteFolder.from_document(folder))

    @strawberry.mutation(
        description="Take a document out of one of your folders.",
        extensions=[signed_in(), UserErrors()],
    )
    async def remove_favorite(self, info: Info, input: FavoriteInput) -> FavoriteFolderPayload:
        folder = await _folder(info, input.id)
        regulation_id = Regulation.document_id(input.regulation_id)
        if regulation_id is not None:
            folder = await library.remove_favorite(folder=folder, regulation_id=regulation_id)
        return FavoriteFolderPayload(folder=FavoriteFolder.from_document(folder))
