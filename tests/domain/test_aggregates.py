"""The rules Week and Person keep themselves: each broken rule raises its
DomainError before the event is recorded, so the aggregate records nothing.

No store here: the aggregates alone, as the application loads and calls them."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timezone
from uuid import uuid4

import pytest

from domain import errors
from domain.activity import ACTIVITY_FIELDS, activity_fields
from domain.catalogue import by_key
from domain.person import Person
from domain.results import StepView
from domain.vocabulary import DAILY_CAP
from domain.week import DONE, NOT_DONE, PENDING, Week

MONDAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
WALK = by_key()["walk-around-block"]
BED = by_key()["make-bed"]


def a_week() -> Week:
    week = Week(person_id=uuid4(), week="2026-W48")
    week.collect_events()  # opened: what follows is what each command records
    return week


def a_step(week: Week, day: date = MONDAY, *, unplanned: bool = False) -> str:
    step_id = week.add_step(WALK, True, day, "morning", None, AT, unplanned=unplanned)
    week.collect_events()
    return step_id


def refused(aggregate: Week | Person, error: type[errors.DomainError], command, /, *args,
            **kwargs) -> None:
    """The command raises `error` and the aggregate records nothing."""
    version = aggregate.version
    with pytest.raises(error):
        command(*args, **kwargs)
    assert aggregate.pending_events == []
    assert aggregate.version == version


# -- Week -----------------------------------------------------------------------------


def test_a_step_is_done_once() -> None:
    week = a_week()
    step = a_step(week)
    assert week.mark_done(step, MONDAY, AT, 6, 7).status == DONE
    assert [type(e).__qualname__ for e in week.collect_events()] == ["Week.StepDone"]
    refused(week, errors.StepAlreadyDone, week.mark_done, step, MONDAY, AT)
    refused(week, errors.StepAlreadyDone, week.mark_not_done, step, MONDAY, AT)
    refused(week, errors.StepAlreadyDone, week.move, step, date(2026, 11, 24), "morning",
            None, AT)
    refused(week, errors.StepAlreadyDone, week.move_away, step, date(2026, 12, 1),
            "2026-W49.1", AT)
    refused(week, errors.StepAlreadyDone, week.make_smaller, step, AT)
    refused(week, errors.StepAlreadyDone, week.swap, step, AT, **activity_fields(BED, False))


def test_a_step_is_marked_not_today_once() -> None:
    week = a_week()
    step = a_step(week)
    assert week.mark_not_done(step, MONDAY, AT, barrier="tired").status == NOT_DONE
    week.collect_events()
    refused(week, errors.StepAlreadyLogged, week.mark_not_done, step, MONDAY, AT)
    # Not today is not never: it can still be done, made smaller or moved.
    week.make_smaller(step, AT)
    assert week.steps[step].status == PENDING and week.steps[step].barrier == "tired"


def test_the_daily_cap_counts_planned_steps_only() -> None:
    week = a_week()
    for _ in range(DAILY_CAP):
        a_step(week)
    assert week.room_on(MONDAY) == 0
    refused(week, errors.DailyCapReached, week.add_step, BED, False, MONDAY, "evening",
            None, AT)
    refused(week, errors.DailyCapReached, week.check_room, date(2026, 11, 24), DAILY_CAP + 1)
    a_step(week, unplanned=True)  # logged on the spot: never over the cap
    assert week.room_on(MONDAY) == 0
    other = a_step(week, date(2026, 11, 24))
    refused(week, errors.DailyCapReached, week.move, other, MONDAY, "morning", None, AT)
    week.move(other, date(2026, 11, 24), "evening", None, AT)  # same day: no new room needed


def test_a_step_is_made_smaller_once() -> None:
    week = a_week()
    step = a_step(week)
    made = week.make_smaller(step, AT)
    assert (made.title, made.minutes, made.is_smaller) == (WALK.smaller, WALK.smaller_minutes,
                                                           True)
    week.collect_events()
    refused(week, errors.CannotMakeSmaller, week.make_smaller, step, AT)


def test_only_a_step_that_was_done_is_rated() -> None:
    week = a_week()
    step = a_step(week)
    refused(week, errors.NoStepToLog, week.rate_step, step, 5, None)
    week.mark_done(step, MONDAY, AT)
    week.rate_step(step, 5, None)
    assert week.steps[step].mastery == 5


def test_moods_before_and_after_go_with_a_step() -> None:
    week = a_week()
    step = a_step(week)
    refused(week, errors.InvalidChoice, week.rate_mood, 4, MONDAY, AT, moment="before")
    refused(week, errors.InvalidChoice, week.rate_mood, 4, MONDAY, AT, step_id=step,
            moment="standalone")
    refused(week, errors.UnknownStep, week.rate_mood, 4, MONDAY, AT, step_id="2026-W48.9",
            moment="after")
    assert week.rate_mood(4, MONDAY, AT, step_id=step, moment="before") == "2026-W48.m1"
    assert week.rate_mood(6, MONDAY, AT) == "2026-W48.m2"


def test_unknown_and_moved_away_steps_are_refused() -> None:
    week = a_week()
    step = a_step(week)
    week.move_away(step, date(2026, 12, 1), "2026-W49.1", AT)
    week.collect_events()
    refused(week, errors.UnknownStep, week.mark_done, step, MONDAY, AT)
    refused(week, errors.UnknownStep, week.pair, "2026-W48.7", "after breakfast", AT)
    refused(week, errors.NoStepToLog, week.first_pending, MONDAY)


def test_a_swapped_step_takes_every_field_of_the_other_activity() -> None:
    week = a_week()
    step = a_step(week)
    week.make_smaller(step, AT)
    swapped = week.swap(step, AT, **activity_fields(BED, False))
    assert {n: getattr(swapped, n) for n in ACTIVITY_FIELDS} == activity_fields(BED, False)
    assert not swapped.is_smaller
    view = StepView.of(swapped)
    assert {n: getattr(view, n) for n in ACTIVITY_FIELDS} == activity_fields(BED, False)


def test_a_week_loads_from_its_events_without_checking_rules_again() -> None:
    week = Week(person_id=uuid4(), week="2026-W48")
    step = week.add_step(WALK, True, MONDAY, "morning", time(7, 30), AT)
    week.mark_done(step, MONDAY, AT, 6, None)
    loaded = None
    for e in week.collect_events():
        loaded = e.mutate(loaded)
    assert loaded.steps == week.steps and loaded.version == week.version


# -- Person ---------------------------------------------------------------------------


def a_person() -> Person:
    person = Person(person_key="alice", locale="en-GB", time_zone="Europe/London", at=AT)
    person.collect_events()
    return person


def test_a_value_or_activity_named_again_is_not_recorded_again() -> None:
    person = a_person()
    value = person.name_value("relationships", "being a good friend", AT)
    assert person.name_value("relationships", "Being A Good Friend", AT) == value
    key = person.add_activity("Call my sister", "social", "relationships", 2, 15, AT,
                              value_id=value)
    assert person.add_activity("call my sister", "social", "relationships", 2, 15, AT) == key
    assert [type(e).__qualname__ for e in person.collect_events()] == [
        "Person.ValueNamed", "Person.ActivityAdded"]
    assert person.known_activity(key).smaller == "Just start: call my sister"


def test_person_rules() -> None:
    person = a_person()
    refused(person, errors.InvalidChoice, person.add_activity, "Swim", "pleasure",
            "recreation_interests", 3, 30, AT, value_id="value-9")
    refused(person, errors.InvalidChoice, person.add_activity, "Swim", "pleasure",
            "recreation_interests", 3, 30, AT, smaller_minutes=31)
    refused(person, errors.UnknownActivity, person.set_relapse_plan, ("staying in bed",),
            ("no-such-activity",), AT)
    refused(person, errors.PlanNeedsMeaningfulStep, person.check_plan, [BED])
    refused(person, errors.InvalidChoice, person.set_pin, "12a4", AT)


def test_a_pin_is_kept_as_a_hash_and_removed_once() -> None:
    person = a_person()
    person.set_pin(None, AT)
    assert person.pending_events == []  # no PIN to remove
    person.set_pin("2468", AT)
    # Kept as "salt$digest", the digest PBKDF2-SHA256 of the PIN: never the PIN itself.
    # (Not "'2468' not in pin_hash": a random hex digest contains it now and then.)
    salt, digest = person.pin_hash.split("$")
    assert person.has_pin and "2468" not in (salt, digest) and len(salt) == 16
    assert digest == hashlib.pbkdf2_hmac("sha256", b"2468", bytes.fromhex(salt), 100_000).hex()
    assert person.check_pin("2468") and not person.check_pin("1357")
    person.set_pin(None, AT)
    assert not person.has_pin
    assert [type(e).__qualname__ for e in person.collect_events()] == [
        "Person.PinSet", "Person.PinRemoved"]
