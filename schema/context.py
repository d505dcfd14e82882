"""The typed per-request context: who is asking, the connections, and the request's loaders."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from beanie import Document
from beanie.odm.enums import SortDirection
from bson import ObjectId
from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from api.access import Viewer, visible
from api.resources import Resources
from api.services.text_search import Words
from api.settings import Settings


def document_by_id_loader(
    model: type[Document], viewer: Viewer, without: tuple[str, ...] = ()
) -> DataLoader[ObjectId, Any]:
    """Loads documents of ``model`` by id in one query, returning None for any the viewer
    may not read (it goes through the model's visibility filter). Fields named in
    ``without`` are left out (they take their defaults), for lists that show a summary."""

    async def load(ids: list[ObjectId]) -> list[Any]:
        query = visible(model, viewer, {"_id": {"$in": ids}})  # type: ignore[arg-type]
        if without:
            cursor = model.get_pymongo_collection().find(query, dict.fromkeys(without, 0))
            found = [model.model_validate(raw) for raw in await cursor.to_list()]
        else:
            found = await model.find(query).to_list()
        by_id: dict[Any, Any] = {doc.id: doc for doc in found}
        return [by_id.get(i) for i in ids]

    return DataLoader(load_fn=load)


def documents_by_field_loader(
    model: type[Document], field: str, sort: str, viewer: Viewer
) -> DataLoader[Any, list[Any]]:
    """Loads, for many values at once, the documents of ``model`` whose ``field`` has that
    value (those the viewer may read), ordered by ``sort``, in one query."""

    async def load(keys: list[Any]) -> list[list[Any]]:
        found = (
            await model.find(visible(model, viewer, {field: {"$in": keys}}))  # type: ignore[arg-type]
            .sort([(sort, SortDirection.ASCENDING), ("_id", SortDirection.ASCENDING)])
            .to_list()
        )
        grouped: dict[Any, list[Any]] = {key: [] for key in keys}
        for doc in found:
            grouped[getattr(doc, field)].append(doc)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    """DataLoaders of one request, created lazily; never shared between requests or users."""

    viewer: Viewer
    _by_id: dict[tuple[type[Document], tuple[str, ...]], DataLoader[ObjectId, Any]] = field(
        default_factory=dict
    )
    _by_field: dict[tuple[type[Document], str, str], DataLoader[Any, list[Any]]] = field(
        default_factory=dict
    )
    _other: dict[Any, DataLoader[Any, Any]] = field(default_factory=dict)

    def keyed(self, key: Any, make: Callable[[], DataLoader[Any, Any]]) -> DataLoader[Any, Any]:
        """A loader of another shape (e.g. figures for one year), made once per ``key``."""
        if key not in self._other:
            self._other[key] = make()
        return self._other[key]

    def by_id(
        self, model: type[Document], *, without: tuple[str, ...] = ()
    ) -> DataLoader[ObjectId, Any]:
        key = (model, without)
        if key not in self._by_id:
            self._by_id[key] = document_by_id_loader(model, self.viewer, without)
        return self._by_id[key]

    def by_field(
        self, model: type[Document], field: str, *, sort: str = "_id"
    ) -> DataLoader[Any, list[Any]]:
        """Documents of ``model`` grouped by the value of ``field`` (e.g. versions by work)."""
        key = (model, field, sort)
        if key not in self._by_field:
            self._by_field[key] = documents_by_field_loader(model, field, sort, self.viewer)
        return self._by_field[key]


@dataclass
class Context:
    request: Request
    """The HTTP request, or the WebSocket of a subscription."""
    response: Response | None
    resources: Resources
    viewer: Viewer
    loaders: Loaders
    connection_params: dict[str, Any] | None = None
    """A WebSocket's ``connection_init`` payload (where a subscription's token is given)."""

    @property
    def settings(self) -> Settings:
        return self.resources.settings

    def words(self, text: str | None) -> Words | None:
        """A list's text query, to be looked up in this deployment's search indexes."""
        if not text:
            return None
        return Words(text, self.resources.meili, self.settings.mongodb_database)

    @property
    def client_address(self) -> str:
        """The caller's address; ``X-Forwarded-For`` counts only from a trusted proxy."""
        from api.services.attempts import client_address

        client = self.request.client
        return client_address(
            client.host if client else None,
            self.request.headers.getlist("x-forwarded-for"),
            self.settings,
        )


Info = StrawberryInfo[Context, None]
