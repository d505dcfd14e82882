"""The timeline every closed-loop object keeps: one event per step, who took it and when."""

from datetime import datetime

from beanie import PydanticObjectId
from pydantic import BaseModel

from api.access import Viewer


class Event(BaseModel):
    """One entry of the timeline: who did what, when, from which state to which."""

    action: str
    """The step's name, e.g. ``assign``."""
    actor_id: PydanticObjectId | None
    actor_name: str
    at: datetime
    from_state: str
    to_state: str
    note: str = ""


def event(
    viewer: Viewer, action: str, from_state: str, to_state: str, *, at: datetime, note: str = ""
) -> Event:
    """The timeline entry of ``viewer`` taking ``action``."""
    return Event(
        action=action,
        actor_id=PydanticObjectId(viewer.user_id) if viewer.user_id else None,
        actor_name=viewer.name,
        at=at,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
