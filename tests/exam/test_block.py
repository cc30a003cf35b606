"""The block state machine: navigation, flags, strikes, changed answers, time-out, tutor mode."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from gmed_trainer.decks.model import ReviewUnit
from gmed_trainer.exam.block import BlockMode, BlockPhase, ExamBlock
from gmed_trainer.exam.items import ExamItem, build_item, build_items
from tests.exam.factories import FakeClock, deck, select_all_mcq, units


def items(mcqs: int = 3, cases: int = 1) -> tuple[ExamItem, ...]:
    # Deck order: mcqs first, then cases, so tests know where the case is.
    return build_items(units(deck(mcqs=mcqs, cases=cases)), seed=5)


def right(item: ExamItem, part: int = 0) -> str:
    key = item.parts[part].key
    assert key is not None
    return next(iter(key.correct))


def wrong(item: ExamItem, part: int = 0) -> str:
    key = item.parts[part].key
    assert key is not None
    return next(c.id for c in item.parts[part].choices if c.id not in key.correct)


def timed(clock: FakeClock, minutes: int = 10, **kw: int) -> ExamBlock:
    return ExamBlock(
        items(**kw), mode=BlockMode.TIMED, clock=clock, time_limit=timedelta(minutes=minutes)
    )


def test_timed_block_counts_down_from_the_clock() -> None:
    clock = FakeClock()
    block = timed(clock, minutes=10)
    assert block.remaining() == timedelta(minutes=10)
    clock.advance(minutes=3, seconds=15)
    assert block.remaining() == timedelta(minutes=6, seconds=45)


def test_timed_mode_gives_no_feedback_until_submitted() -> None:
    block = timed(FakeClock())
    assert block.choose(right(block.item)) is None
    assert block.feedback(0) is None
    block.submit()
    feedback = block.feedback(0)
    assert feedback is not None and feedback.correct


def test_moving_back_and_forth_keeps_answers_and_an_answer_can_change() -> None:
    block = timed(FakeClock())
    first = block.item
    block.choose(wrong(first))
    block.next()
    block.choose(right(block.item))
    block.previous()
    assert block.index == 0 and block.answer(0) == {wrong(first)}
    block.choose(right(first))
    assert block.answer(0) == {right(first)}
    result = block.submit()
    assert result.items[0].parts[0].correct and result.items[1].parts[0].correct


def test_flags_mark_items_for_review() -> None:
    block = timed(FakeClock())
    block.toggle_flag()
    block.go_to(2)
    block.toggle_flag()
    assert block.flagged == (0, 2)
    block.toggle_flag()
    assert block.flagged == (0,)
    assert block.submit().items[0].flagged


def test_strike_out_an_option_and_choosing_it_restores_it() -> None:
    block = timed(FakeClock())
    option = wrong(block.item)
    block.toggle_strike(option)
    assert block.struck(0) == {option}
    block.toggle_strike(option)
    assert block.struck(0) == frozenset()
    block.toggle_strike(option)
    block.choose(option)
    assert block.struck(0) == frozenset() and block.answer(0) == {option}


def test_unknown_options_are_refused() -> None:
    block = timed(FakeClock())
    with pytest.raises(KeyError):
        block.choose("no-such-option")


def test_the_block_submits_itself_when_time_runs_out() -> None:
    clock = FakeClock()
    block = timed(clock, minutes=5)
    block.choose(right(block.item))
    clock.advance(minutes=4, seconds=59)
    assert not block.tick()
    clock.advance(seconds=1)
    assert block.tick()
    assert block.phase is BlockPhase.SUBMITTED
    assert block.result is not None and block.result.timed_out
    assert block.result.time_used == timedelta(minutes=5)
    assert block.result.score == 1


def test_an_answer_after_the_time_is_refused_even_without_a_tick() -> None:
    clock = FakeClock()
    block = timed(clock, minutes=1)
    clock.advance(minutes=2)
    block.go_to(0)  # any action notices the time first
    assert block.choose(right(block.item)) is None
    assert block.phase is BlockPhase.SUBMITTED
    assert block.answer(0) == frozenset()
    assert block.result is not None and block.result.score == 0
    assert block.result.time_used == timedelta(minutes=1)


def test_time_used_is_the_elapsed_time_when_submitted_early() -> None:
    clock = FakeClock()
    block = timed(clock)
    clock.advance(seconds=90)
    result = block.submit()
    assert result.time_used == timedelta(seconds=90) and not result.timed_out
    assert block.submit() is result


def test_case_steps_open_in_order_and_an_opened_step_locks_the_one_before() -> None:
    block = timed(FakeClock(), mcqs=0, cases=1)
    item = block.item
    assert block.visible_parts() == item.parts[:1]
    block.choose(wrong(item, 0))
    block.choose(right(item, 0))  # still changeable
    block.confirm()
    assert block.visible_parts() == item.parts
    assert block.open_part() == 1 and block.is_locked(0, 0)
    block.choose(right(item, 1))
    block.confirm()  # the last step stays open in timed mode
    assert not block.is_locked(0, 1)
    block.choose(wrong(item, 1))
    result = block.submit()
    assert [p.correct for p in result.items[0].parts] == [True, False]


def test_confirm_without_an_answer_does_not_open_the_next_step() -> None:
    block = timed(FakeClock(), mcqs=0, cases=1)
    block.confirm()
    assert block.open_part() == 0


def test_select_all_questions_toggle_options() -> None:
    item = build_item(
        ReviewUnit(deck_id="d", card=select_all_mcq("s"), unit="main"), random.Random(0)
    )
    block = ExamBlock(
        [item], mode=BlockMode.TIMED, clock=FakeClock(), time_limit=timedelta(minutes=1)
    )
    block.choose("x")
    block.choose("z")
    block.choose("y")
    block.choose("z")
    assert block.answer(0) == {"x", "y"}
    assert block.submit().score == 1


def test_tutor_mode_gives_feedback_after_each_item_and_locks_it() -> None:
    block = ExamBlock(items(), mode=BlockMode.TUTOR, clock=FakeClock())
    assert block.remaining() is None
    feedback = block.choose(wrong(block.item))
    assert feedback is not None and not feedback.correct
    assert feedback.key.correct == {right(block.item)}
    assert feedback.key.why[wrong(block.item)] == f"why {wrong(block.item)}"
    assert block.choose(right(block.item)) is None  # locked once answered
    assert block.answer(0) == {wrong(block.item)}
    assert block.feedback(0) == feedback


def test_tutor_mode_walks_a_case_step_by_step() -> None:
    block = ExamBlock(items(mcqs=0, cases=1), mode=BlockMode.TUTOR, clock=FakeClock())
    item = block.item
    first = block.choose(right(item, 0))
    assert first is not None and first.correct and block.open_part() == 1
    second = block.choose(wrong(item, 1))
    assert second is not None and not second.correct
    assert block.submit().score == 1


def test_tutor_mode_has_no_countdown_unless_asked() -> None:
    clock = FakeClock()
    block = ExamBlock(items(), mode=BlockMode.TUTOR, clock=clock)
    clock.advance(hours=5)
    assert not block.tick()
    timed_tutor = ExamBlock(
        items(), mode=BlockMode.TUTOR, clock=clock, time_limit=timedelta(minutes=1)
    )
    clock.advance(minutes=1)
    assert timed_tutor.tick()


def test_results_by_tag_are_weakest_first() -> None:
    block = timed(FakeClock(), mcqs=4, cases=1)
    for index, item in enumerate(block.items):
        block.go_to(index)
        if "needling" in item.tags:
            block.choose(right(item))
        elif "anatomy" in item.tags:
            block.choose(wrong(item))
    result = block.submit()
    by_tag = {s.tag: (s.correct, s.total) for s in result.by_tag}
    assert by_tag == {"anatomy": (0, 2), "needling": (2, 2), "cases": (0, 2)}
    assert [s.tag for s in result.by_tag] == ["anatomy", "cases", "needling"]
    assert result.score == 2 and result.total == 6
    assert {i.item.card_id for i in result.missed} == {"m1", "m3", "c0"}


def test_a_timed_block_needs_a_time_limit_and_items() -> None:
    with pytest.raises(ValueError):
        ExamBlock(items(), mode=BlockMode.TIMED, clock=FakeClock())
    with pytest.raises(ValueError):
        ExamBlock((), mode=BlockMode.TUTOR, clock=FakeClock())
    with pytest.raises(ValueError):
        ExamBlock([i.redacted() for i in items()], mode=BlockMode.TUTOR, clock=FakeClock())
