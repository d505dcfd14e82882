"""The loops' tables and date arithmetic, without servers (``make test-fast``): every state is
reached and left as DOMAIN.md draws it, and deadlines fall on real days."""

from datetime import date

import pytest

from api import language
from api.errors import DomainError
from api.models.rectification import RectificationState, WarningState
from api.models.suggestions import SuggestionState as S
from api.services import rectification, suggestion_loop
from api.services.budget_figures import time_progress
from api.services.suggestion_loop import add_months

FINAL = {S.CLOSED: {"reopen", "complete_commitment"}, S.NOT_REGISTERED: set(),
         S.WITHDRAWN: set(), S.MERGED: {"split_off"}}  # fmt: skip
"""States a suggestion rests in, and the only steps that leave or touch them."""


def test_every_suggestion_state_is_reached_and_only_final_ones_are_quiet() -> None:
    steps = suggestion_loop.LOOP.steps.values()
    reached = {s.target for s in steps if s.target is not None} | {S.DRAFT}
    assert reached == set(S)
    for state in S:
        leaving = {s.name for s in steps if state in s.sources}
        if state in FINAL:
            assert leaving == FINAL[state], state
        else:
            assert "attach" in leaving and leaving - {"attach", "detach", "edit", "correct"}, state


@pytest.mark.parametrize(
    ("states", "loop", "final"),
    [
        (RectificationState, rectification.LOOPS[rectification.Opinion], {"CLOSED"}),
        (WarningState, rectification.LOOPS[rectification.BudgetWarning], {"CLOSED", "DISMISSED"}),
    ],
)
def test_every_rectification_state_is_reached_and_left_but_the_final_ones(
    states: type, loop: suggestion_loop.Machine, final: set[str]
) -> None:
    reached = {s.target for s in loop.steps.values() if s.target is not None}
    first = next(iter(states))
    assert reached | {first} == set(states)
    for state in states:
        moves = {s.name for s in loop.steps.values() if state in s.sources and s.target}
        assert bool(moves) is (state not in final), state


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (suggestion_loop.LOOP, suggestion_loop.SuggestionStep),
        (rectification.LOOPS[rectification.Opinion], rectification.RectificationStep),
        (rectification.LOOPS[rectification.AuditFinding], rectification.RectificationStep),
        (rectification.LOOPS[rectification.BudgetWarning], rectification.WarningStep),
    ],
)
def test_each_loop_takes_exactly_the_steps_of_its_enum(
    table: suggestion_loop.Machine, enum: type
) -> None:
    names = [s.name for s in table.steps.values()]
    assert all(type(name) is enum for name in names)
    assert sorted(names) == sorted(enum)
    assert all(s.label and not s.label.isascii() for s in table.steps.values())


def test_a_table_that_names_a_step_twice_is_refused() -> None:
    accept = suggestion_loop.LOOP.step(suggestion_loop.SuggestionStep.ACCEPT)
    with pytest.raises(ValueError, match="accept"):
        suggestion_loop.Machine("建议", "suggestion", [accept, accept])


def test_one_english_verb_for_one_chinese_step() -> None:
    loops = [suggestion_loop.LOOP, *rectification.LOOPS.values()]
    verbs: dict[str, set[str]] = {}
    for loop in loops:
        for step in loop.steps.values():
            verbs.setdefault(step.label, set()).add(step.name)
    assert verbs["签收"] == {"accept"}
    assert verbs["办结"] == {"close"}
    assert verbs["督办"] == {"supervise"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), 12, date(2027, 3, 31)),
    ],
)
def test_a_deadline_months_away_falls_on_a_real_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_time_progress_is_the_share_of_the_year_gone() -> None:
    assert str(time_progress(6)) == "50.00"
    assert str(time_progress(12)) == "100.00"
    assert time_progress(None) is None


@pytest.mark.parametrize("spoken", ["zh", "en"])
def test_a_refused_step_says_why_in_the_request_language(spoken: str) -> None:
    loop, actor = suggestion_loop.LOOP, suggestion_loop.Actor
    complete = loop.step(suggestion_loop.SuggestionStep.COMPLETE_COMMITMENT)
    assign = loop.step(suggestion_loop.SuggestionStep.ASSIGN)
    token = language.current.set(spoken)  # type: ignore[arg-type]
    try:
        with pytest.raises(DomainError) as not_yours:
            loop.check(complete, S.CLOSED, {actor.LEAD_DEPUTY})
        with pytest.raises(DomainError) as not_now:
            loop.check(assign, S.CLOSED, {actor.STAFF})
    finally:
        language.current.reset(token)
    if spoken == "zh":
        assert not_yours.value.message == (
            "只有主办单位或协办单位或人大常委会工作人员可以对此建议进行“承诺事项完成”（complete_commitment）"
        )
        assert not_now.value.message.startswith("此时不能进行“交办”（assign）：该建议现为已办结")
        assert "重新打开（reopen）" in not_now.value.message
    else:
        assert not_yours.value.message == (
            "Only the lead unit or a co-unit or congress staff may take the step "
            '"complete_commitment" on this suggestion'
        )
        assert not_now.value.message == (
            'The step "assign" cannot be taken now: the suggestion is CLOSED; you may take: '
            '"reopen", "complete_commitment"'
        )
