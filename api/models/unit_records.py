"""What records carried out by one unit have in common (a livelihood project, a department's
work evaluation): who reads them and who takes part in them."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from beanie import PydanticObjectId

from api.access import Clauses, Role, Viewer, clauses_filter


class OneUnitRecord:
    """Deputies, who decide on it, and staff read every such record and all of it; its unit
    reads its own; everyone else reads it once it is in a public state (``PUBLIC_STATES``),
    its outcome only. Mixed into a document with ``unit_id`` and ``state``."""

    SEES_ALL: ClassVar[tuple[Role, ...]] = (Role.STAFF, Role.ADMIN, Role.DEPUTY)
    PUBLIC_STATES: ClassVar[tuple[str, ...]]
    if TYPE_CHECKING:  # a field of the document it is mixed into
        unit_id: PydanticObjectId

    @classmethod
    def access(cls, viewer: Viewer) -> Clauses:
        if viewer.role in cls.SEES_ALL:
            return None
        public = {"state": list(cls.PUBLIC_STATES)}
        if viewer.unit_acted_for is not None:
            return [public, {"unit_id": viewer.unit_acted_for}]
        return [public]

    @classmethod
    def visible_to(cls, viewer: Viewer) -> Mapping[str, Any]:
        return clauses_filter(cls.access(viewer))

    def is_party(self, viewer: Viewer) -> bool:
        """Deputies and its unit read all of its handling: who did what, the notes."""
        return viewer.role is Role.DEPUTY or (
            viewer.unit_acted_for is not None and viewer.unit_acted_for == self.unit_id
        )

    @property
    def unit_ids(self) -> list[PydanticObjectId]:
        """The units told of its steps: its own."""
        return [self.unit_id]
