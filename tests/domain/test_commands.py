"""Commands: the facts they record, and the commands they refuse (storing nothing).

Every test here runs on the in-memory store, a SQLite file and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date, time

import pytest

from domain import errors
from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.person import person_id
from domain.week import Week

MONDAY = date(2026, 11, 23)


def events_of(app: SmallSteps) -> list:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10_000)]


def topics(app: SmallSteps) -> list[str]:
    return [type(e).__qualname__ for e in events_of(app)]


def test_enrolment_records_locale_and_time_zone(app: SmallSteps) -> None:
    assert app.enrol("bob", "en-US", "America/New_York") is True
    assert app.enrol("bob", "en-US", "America/New_York") is False  # idempotent
    assert app.enrol("bob", "en-CA", "America/Toronto") is False
    profile = app.profile("bob")
    assert (profile.locale, profile.time_zone) == ("en-CA", "America/Toronto")
    assert topics(app) == ["Person.Enrolled", "Person.LocaleChanged", "Person.TimeZoneChanged"]


def test_values_and_own_activities_join_the_repertoire(app: SmallSteps, alice: str) -> None:
    value = app.name_value(alice, "relationships", "being a good friend")
    assert app.name_value(alice, "relationships", "Being a good friend") == value
    key = app.add_activity(alice, "Call my sister", "social", "relationships", 2, 15,
                           smaller="Text my sister one line", smaller_minutes=1, value_id=value)
    profile = app.profile(alice)
    own = profile.activity(key)
    assert own is not None and own.own and own.value_id == value
    assert profile.is_value_linked(own)
    assert [a.key for a in profile.repertoire()][-1] == key
    # Linked through the life area too, once a value is named there.
    assert profile.is_value_linked(profile.activity("coffee-friend"))
    assert not profile.is_value_linked(profile.activity("make-bed"))


def test_a_full_day_is_recorded_as_past_tense_facts(app: SmallSteps, alice: str,
                                                    clock: FixedClock) -> None:
    walk = app.schedule_step(alice, "walk-around-block", MONDAY, "morning")
    app.rate_mood(alice, 3, step_id=walk, moment="before")
    clock.advance(hours=1)
    done = app.log_done(alice, mastery=6, enjoyment=7)
    assert done.step_id == walk and done.status == "done"
    app.rate_mood(alice, 6, step_id=walk)
    call = app.schedule_step(alice, "check-in-call", MONDAY, "evening")
    app.log_not_done(alice, call, barrier="anxious", note="phone felt heavy")
    app.rate_mood(alice, 5)
    app.set_relapse_plan(alice, ["staying in bed past noon"], ["step-outside", "favourite-song"])
    app.review_week(alice, "2026-W48", helped=["walking early"], barriers=["anxious"],
                    adjustments=["call with a friend beside me"])
    app.record_safety_offered(alice, "en-GB")
    assert topics(app) == [
        "Person.Enrolled", "Week.Opened", "Week.StepScheduled", "Week.MoodRated",
        "Week.StepDone", "Week.MoodRated", "Week.StepScheduled", "Week.StepNotDone",
        "Week.MoodRated", "Person.RelapsePlanSet", "Week.WeekReviewed",
        "Week.SafetyResourcesOffered",
    ]
    done_event = next(e for e in events_of(app) if type(e).__qualname__ == "Week.StepDone")
    assert (done_event.mastery, done_event.enjoyment, done_event.day) == (6, 7, MONDAY)
    offered = events_of(app)[-1]
    # Only that resources were offered: a locale and a time, no words.
    assert set(vars(offered)) == {"originator_id", "originator_version", "timestamp",
                                  "locale", "at"}


def test_mastery_and_enjoyment_can_follow_later(app: SmallSteps, alice: str) -> None:
    step = app.schedule_step(alice, "cook-simple", MONDAY)
    app.log_done(alice, step)
    app.rate_step(alice, step, mastery=4)
    app.rate_step(alice, step, enjoyment=8)
    [view] = app.today(alice, MONDAY).steps
    assert (view.mastery, view.enjoyment) == (4, 8)


def test_replanning_moves(app: SmallSteps, alice: str) -> None:
    step = app.schedule_step(alice, "walk-around-block", MONDAY, "morning")
    assert app.move_step(alice, step, date(2026, 11, 25), at_time="18:30") == step
    smaller = app.make_smaller(alice, step)
    assert smaller.title == "Spend two minutes on the doorstep" or smaller.is_smaller
    with pytest.raises(errors.CannotMakeSmaller):
        app.make_smaller(alice, step)
    swapped = app.swap_step(alice, step, "favourite-song")
    assert (swapped.activity_id, swapped.is_smaller) == ("favourite-song", False)
    paired = app.pair_step(alice, step, "after my morning coffee")
    assert paired.paired_with == "after my morning coffee"
    [view] = app.today(alice, date(2026, 11, 25)).steps
    assert (view.activity_id, view.part_of_day, view.at_time) == ("favourite-song", "evening",
                                                                   time(18, 30))
    assert app.today(alice, MONDAY).steps == ()


def test_a_step_moved_into_next_week_lives_on_there(app: SmallSteps, alice: str) -> None:
    step = app.schedule_step(alice, "water-plants", date(2026, 11, 29), "evening")
    moved = app.move_step(alice, step, date(2026, 11, 30), "morning")
    assert moved.startswith("2026-W49.") and moved != step
    assert app.week(alice, "2026-W48").total.planned == 0
    [view] = app.today(alice, date(2026, 11, 30)).steps
    assert (view.step_id, view.activity_id, view.status) == (moved, "water-plants", "pending")
    with pytest.raises(errors.UnknownStep):
        app.log_done(alice, step)


def test_plan_week_schedules_together_and_keeps_a_meaningful_step(app: SmallSteps,
                                                                  alice: str) -> None:
    plan = app.propose_week(alice, MONDAY)
    assert 2 <= len(plan) <= 3
    assert len({p["kind"] for p in plan}) == len(plan)  # across kinds
    ids = app.plan_week(alice, plan)
    summary = app.week(alice, "2026-W48")
    assert summary.planned_together and summary.total.planned == len(ids)
    chores = [{"activity": "make-bed", "day": MONDAY}, {"activity": "shower-clean-clothes", "day": MONDAY}]
    before = app.recorder.max_notification_id()
    with pytest.raises(errors.PlanNeedsMeaningfulStep):
        app.plan_week(alice, chores)
    assert app.recorder.max_notification_id() == before


def test_logging_an_activity_that_was_not_planned(app: SmallSteps, alice: str) -> None:
    view = app.log_done(alice, activity="water-plants")
    assert (view.status, view.unplanned) == ("done", True)
    assert app.week(alice).total.done == 1 and app.week(alice).total.planned == 0


BAD_COMMANDS = {
    "mood above ten": lambda app, p: app.rate_mood(p, 11),
    "mood below zero": lambda app, p: app.rate_mood(p, -1),
    "mood not a number": lambda app, p: app.rate_mood(p, "banana"),
    "mood a boolean": lambda app, p: app.rate_mood(p, True),
    "mastery of twelve": lambda app, p: app.log_done(p, activity="make-bed", mastery=12),
    "difficulty zero": lambda app, p: app.add_activity(p, "Knit", "pleasure",
                                                       "recreation_interests", 0, 10),
    "difficulty six": lambda app, p: app.add_activity(p, "Knit", "pleasure",
                                                      "recreation_interests", 6, 10),
    "thirtieth of February": lambda app, p: app.schedule_step(p, "make-bed", "2026-02-30"),
    "time that does not exist": lambda app, p: app.schedule_step(p, "make-bed", MONDAY,
                                                                 at_time="25:00"),
    "unknown activity": lambda app, p: app.schedule_step(p, "juggle-chainsaws", MONDAY),
    "unknown kind": lambda app, p: app.add_activity(p, "Knit", "hobby",
                                                    "recreation_interests", 2, 10),
    "unknown barrier": lambda app, p: app.log_not_done(p, barrier="lazy"),
    "unknown step": lambda app, p: app.log_done(p, "2026-W48.99"),
    "malformed step": lambda app, p: app.log_done(p, "../../etc"),
    "nothing to log": lambda app, p: app.log_done(p),
    "overlong title": lambda app, p: app.add_activity(p, "x" * 81, "pleasure",
                                                      "recreation_interests", 2, 10),
    "unknown week": lambda app, p: app.review_week(p, "2026-W60"),
    "not enrolled": lambda app, p: app.rate_mood("stranger", 5),
    "unknown time zone": lambda app, p: app.enrol("carol", "en-GB", "Mars/Olympus"),
}


@pytest.mark.parametrize("name", BAD_COMMANDS)
def test_a_rejected_command_stores_nothing(app: SmallSteps, alice: str, name: str) -> None:
    before = app.recorder.max_notification_id()
    with pytest.raises(errors.DomainError):
        BAD_COMMANDS[name](app, alice)
    assert app.recorder.max_notification_id() == before


def test_doing_the_same_step_twice_is_refused(app: SmallSteps, alice: str) -> None:
    step = app.schedule_step(alice, "make-bed", MONDAY)
    app.log_done(alice, step)
    before = app.recorder.max_notification_id()
    with pytest.raises(errors.StepAlreadyDone):
        app.log_done(alice, step)
    with pytest.raises(errors.StepAlreadyDone):
        app.log_not_done(alice, step)
    assert app.recorder.max_notification_id() == before


def test_the_daily_cap(app: SmallSteps, alice: str) -> None:
    for activity in ("make-bed", "step-outside", "favourite-song"):
        app.schedule_step(alice, activity, MONDAY)
    before = app.recorder.max_notification_id()
    with pytest.raises(errors.DailyCapReached):
        app.schedule_step(alice, "water-plants", MONDAY)
    with pytest.raises(errors.DailyCapReached):
        app.plan_week(alice, [{"activity": "message-friend", "day": MONDAY}])
    assert app.recorder.max_notification_id() == before
    # Doing more than planned is never refused.
    assert app.log_done(alice, activity="water-plants").status == "done"


def test_a_not_today_step_can_be_made_smaller_and_done(app: SmallSteps, alice: str) -> None:
    step = app.schedule_step(alice, "tidy-room", MONDAY)
    app.log_not_done(alice, barrier="tired")
    with pytest.raises(errors.StepAlreadyLogged):
        app.log_not_done(alice, step)
    smaller = app.make_smaller(alice, step)
    assert (smaller.status, smaller.is_smaller) == ("pending", True)
    assert app.log_done(alice).step_id == step


def test_safety_is_recorded_even_before_enrolment(app: SmallSteps) -> None:
    app.record_safety_offered("newcomer", "en-US")
    week = app.repository.get(Week.create_id(person_id("newcomer"), "2026-W48"))
    assert week.version == 2


def test_a_pin_guard_is_stored_only_as_a_salted_hash(app, alice):
    assert not app.has_pin(alice)
    app.set_pin(alice, "4821")
    assert app.has_pin(alice) and app.check_pin(alice, "4821")
    assert not app.check_pin(alice, "4822") and not app.check_pin(alice, "")
    # "salt$digest", the digest PBKDF2-SHA256 of the PIN, neither part the PIN (a plain
    # "'4821' not in pin_hash" fails now and then: a random hex digest may contain it).
    salt, digest = app.profile(alice).pin_hash.split("$")
    assert "4821" not in (salt, digest)
    assert digest == hashlib.pbkdf2_hmac("sha256", b"4821", bytes.fromhex(salt), 100_000).hex()
    before = app.recorder.max_notification_id()
    for bad in ("482", "48211", "abcd", 4821):
        with pytest.raises(errors.InvalidChoice):
            app.set_pin(alice, bad)
    assert app.recorder.max_notification_id() == before
    app.set_pin(alice, None)
    assert not app.has_pin(alice) and not app.check_pin(alice, "4821")


def test_wrong_pins_are_limited_across_loads_then_paused_by_the_clock(
        app: SmallSteps, alice: str, clock: FixedClock, store: str) -> None:
    app.set_pin(alice, "4821")
    assert app.try_pin(alice, "1111") == "wrong"
    assert app.try_pin(alice, "4821") == "right"  # a right PIN clears the count
    assert app.try_pin(alice, "1111") == "wrong"
    assert app.try_pin(alice, "2222") == "wrong"
    # The count is stored: another app on the same store (another session) sees it.
    other = SmallSteps.from_store(store, clock) if store != "memory:" else app
    try:
        assert other.try_pin(alice, "3333") == "paused"
        assert other.pin_paused(alice)
        assert other.try_pin(alice, "4821") == "paused"  # closed even for the right one
        clock.advance(minutes=14)
        assert other.try_pin(alice, "4821") == "paused"
        clock.advance(minutes=1)
        assert not other.pin_paused(alice)
        assert other.try_pin(alice, "4821") == "right"
    finally:
        if other is not app:
            other.close()
    profile = app.profile(alice)
    assert profile.pin_wrong_tries == 0 and profile.pin_paused_until is not None
