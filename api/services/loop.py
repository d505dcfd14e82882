"""One table-driven state machine for every closed loop (suggestions, opinions, findings and
warnings). Each loop names its steps in an enum of its own (``SuggestionStep`` …) and lists,
step by step, the states it may start from, where it leads, who may take it and who is told.
``take`` applies a step as one conditional write that also appends the timeline event, so two
conflicting steps on the same object can never both apply.

A loop document has ``state``, ``revision``, ``timeline`` and ``updated_at``.
"""

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from beanie import Document
from beanie.odm.utils.encoder import Encoder
from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession

from api.access import Viewer
from api.errors import DomainError, ErrorCode
from api.labels import LabeledEnum
from api.language import say
from api.models.timeline import event
from api.models.users import utcnow
from api.services.notifications import Audience, Told, announce
from api.transactions import retried

D = TypeVar("D", bound=Document)


ATTACH, DETACH = "attach", "detach"
"""Steps every loop has (``api.services.attachments``), the same name in each loop's enum."""


@dataclass(frozen=True)
class Step:
    """A transition (or, with ``target`` None, a record that leaves the state as it is)."""

    name: LabeledEnum
    """A member of the loop's step enum: its value is the timeline's ``action``, its label
    the Chinese name people read (交办)."""
    sources: tuple[StrEnum, ...]
    target: StrEnum | None
    actors: tuple[LabeledEnum, ...]
    """Who may take it, in the loop's own terms (lead deputy, staff, lead unit …)."""
    tell: tuple[Audience, ...] = ()
    """Who is told when it is taken (``api.services.notifications``)."""

    @property
    def label(self) -> str:
        return self.name.label


Kept = Callable[[Any, Mapping[str, Any], AsyncClientSession], Awaitable[None]]
"""What follows a loop document, written with each step (before, as written, session)."""


ACTORS_IN_ENGLISH = {
    "STAFF": "congress staff",
    "LEAD_DEPUTY": "the lead deputy",
    "LEAD_UNIT": "the lead unit",
    "CO_UNIT": "a co-unit",
    "UNIT": "the unit concerned",
}
"""The parts people play in the loops (each loop's ``Actor``), as English messages name them."""


def _actor(actor: LabeledEnum) -> str:
    return ACTORS_IN_ENGLISH.get(actor.name, actor.name)


class Machine:
    def __init__(
        self, what: str, english: str, steps: list[Step], keeps: Kept | None = None
    ) -> None:
        self.what = what
        """What goes round the loop, in the words of the messages people read (e.g. 建议)."""
        self.english = english
        """The same in English messages (e.g. suggestion)."""
        self.steps: dict[str, Step] = {step.name: step for step in steps}
        if len(self.steps) != len(steps):
            twice = sorted({s.name for s in steps if [t.name for t in steps].count(s.name) > 1})
            raise ValueError(f"steps listed twice in the {what} loop: {twice}")
        self.keeps = keeps
        """Written in the same transaction as every step (the suggestions' tallies)."""

    def step(self, name: str) -> Step:
        return self.steps[name]

    def next_steps(self, state: StrEnum) -> list[Step]:
        return [s for s in self.steps.values() if state in s.sources]

    def describe_next(self, state: StrEnum, actors: Collection[LabeledEnum]) -> str:
        """The steps these actors may take from ``state``, in words."""
        after = self.next_steps(state)
        if not after:
            return say("无（流程已完成）", "nothing (the loop is complete)")
        mine = [s for s in after if set(s.actors) & set(actors)]
        if not mine:
            return say("无（需由其他人办理下一步）", "nothing (the next step is someone else's)")
        return say(
            "、".join(f"{s.label}（{s.name}）" for s in mine),
            ", ".join(f'"{s.name}"' for s in mine),
        )

    def check(self, step: Step, state: StrEnum, actors: Collection[LabeledEnum]) -> None:
        """Refuses a step the actors may not take, or one that cannot start from ``state``."""
        if state not in step.sources:
            then = self.describe_next(state, actors)
            raise DomainError(
                ErrorCode.CONFLICT,
                say(
                    f"此时不能进行“{step.label}”（{step.name}）：该{self.what}现为"
                    f"{getattr(state, 'label', state)}（{state}）；此时你可以：{then}",
                    f'The step "{step.name}" cannot be taken now: the {self.english} is '
                    f"{state}; you may take: {then}",
                ),
            )
        if not set(step.actors) & set(actors):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                say(
                    f"只有{'或'.join(a.label for a in step.actors)}可以对此{self.what}"
                    f"进行“{step.label}”（{step.name}）",
                    f"Only {' or '.join(_actor(a) for a in step.actors)} may take the step "
                    f'"{step.name}" on this {self.english}',
                ),
            )

    async def take(
        self,
        document: D,
        *,
        step: str,
        actors: Collection[LabeledEnum],
        viewer: Viewer,
        note: str = "",
        changes: Mapping[str, Any] | None = None,
        push: Mapping[str, Any] | None = None,
        pull: Mapping[str, Any] | None = None,
        at: datetime | None = None,
        session: AsyncClientSession | None = None,
    ) -> D:
        """Take ``step`` on ``document``: set ``changes``, push ``push`` onto arrays and
        remove from them what matches ``pull``, move to the step's target and append the
        event, all in one write that applies only if nobody changed the document since it
        was read (inside ``session``'s transaction, if given). A step that tells people
        writes their notifications, and a loop that ``keeps`` something writes it, in the
        same transaction (its own when none is given).
        Returns the document as written."""
        chosen = self.step(step)
        if (chosen.tell or self.keeps) and session is None:
            # A conflicting step that committed meanwhile is found on the retry: its revision
            # changed, so this one is refused (CONFLICT).
            return await retried(
                type(document),
                lambda own: self.take(
                    document, step=step, actors=actors, viewer=viewer, note=note,
                    changes=changes, push=push, pull=pull, at=at, session=own,
                ),
            )  # fmt: skip
        state: StrEnum = document.state  # type: ignore[attr-defined]
        self.check(chosen, state, actors)
        when = at or utcnow()
        target = chosen.target or state
        entry = event(viewer, chosen.name, str(state), str(target), at=when, note=note)
        update: dict[str, Any] = {
            "$set": {
                **Encoder().encode(dict(changes or {})),
                "state": str(target),
                "updated_at": when,
            },
            "$inc": {"revision": 1},
            "$push": {**Encoder().encode({**(push or {}), "timeline": entry})},
        }
        if pull:
            update["$pull"] = Encoder().encode(dict(pull))
        collection = type(document).get_pymongo_collection()
        written = await collection.find_one_and_update(
            {"_id": document.id, "revision": document.revision},  # type: ignore[attr-defined]
            update,
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        if written is None:
            current = await collection.find_one({"_id": document.id}, {"state": 1})
            now = current["state"] if current else "deleted"
            then = type(state)(now) if current else None
            after = self.describe_next(then, actors) if then else say("无", "nothing")
            raise DomainError(
                ErrorCode.CONFLICT,
                say(
                    f"该{self.what}在你操作时已被他人改动，现为"
                    f"{getattr(then, 'label', '已删除')}（{now}）：请刷新后重试"
                    f"（此时你可以：{after}）",
                    f"The {self.english} was changed by someone else while you worked and is "
                    f"{now} now: refresh and try again (you may take: {after})",
                ),
            )
        if self.keeps is not None and session is not None:
            await self.keeps(document, written, session)
        done = type(document).model_validate(written)
        if chosen.tell:
            told = Told(chosen.name, chosen.label, self.what, note, chosen.tell)
            await announce(done, written, told, viewer, session)
        return done
