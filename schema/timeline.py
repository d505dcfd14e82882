"""The timeline every closed-loop record keeps (a suggestion, an opinion, an audit finding, a
warning), as one GraphQL type for the four loops."""

from datetime import datetime

import strawberry

from api.access import Handling
from api.labels import LabeledEnum
from api.models.timeline import Event
from api.services.loop import Machine

ORIGINS = {"create": "创建", "import": "导入", "raise": "预警规则生成", "plan": "列入评议计划",
           "submit": "提交",
           "acknowledge": "签收", "rectify": "签收"}  # fmt: skip
"""Timeline actions that are no step of a loop: how the record came to be, and the names 签收
had in timelines written before it was ``accept`` everywhere."""
SEEN = (
    "Null unless you take part in its handling (a suggestion's deputies, the handlers of the "
    'units it is addressed to) or are staff: see README, "Who sees what".'
)


@strawberry.type(
    description="One step in the timeline of a suggestion, an opinion, an audit finding or a "
    "warning."
)
class TimelineEvent:
    action: str = strawberry.field(
        description="The step as `nextSteps` names it (e.g. `assign`, `report`), or how the "
        "record came to be: `create`, `import` (a ledger or a sheet of warnings), `raise` (by "
        "a warning rule)."
    )
    action_label: str = strawberry.field(description="The step in Chinese, e.g. 交办.")
    actor_name: str | None = strawberry.field(description=f"Who took it (a person's name). {SEEN}")
    at: datetime = strawberry.field(description="When.")
    from_state: str | None = strawberry.field(
        description="The state before, as the record's state enum names it (e.g. `ASSIGNED`); "
        "null for the creation."
    )
    from_state_label: str | None = strawberry.field(
        description="The state before in Chinese; null for the creation."
    )
    to_state: str = strawberry.field(
        description="The state after (the same as before for a step such as 督办)."
    )
    to_state_label: str = strawberry.field(description="The state after in Chinese.")
    note: str | None = strawberry.field(
        description=f"Reason, note or summary of what changed. {SEEN}"
    )


def timeline(
    seen: Handling, events: list[Event], machine: Machine, states: type[LabeledEnum],
    since: datetime | None,
) -> list[TimelineEvent]:  # fmt: skip
    """The events this viewer may read (after ``since``, if given), with their labels."""
    return [
        TimelineEvent(
            action=e.action,
            action_label=(
                machine.steps[e.action].label
                if e.action in machine.steps
                else ORIGINS.get(e.action, e.action)
            ),
            actor_name=seen.name(e.actor_name),
            at=e.at,
            from_state=e.from_state or None,
            from_state_label=states[e.from_state].label if e.from_state else None,
            to_state=e.to_state,
            to_state_label=states[e.to_state].label,
            note=seen.note(e.note),
        )
        for e in seen.timeline(events)
        if since is None or e.at > since
    ]
