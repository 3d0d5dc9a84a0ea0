"""Queries: today's small step, the week, insights and lapse signs — on every store."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock

MONDAY = date(2026, 11, 23)


def at(clock: FixedClock, day: date, hour: int, minute: int = 0) -> None:
    """Set the clock to a London wall time in winter (UTC+0)."""
    clock.at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


def do(app: SmallSteps, person: str, clock: FixedClock, activity: str, day: date,
       before: int | None, after: int | None, part: str = "morning") -> str:
    at(clock, day, 9)
    step = app.schedule_step(person, activity, day, part)
    if before is not None:
        app.rate_mood(person, before, step_id=step, moment="before")
    at(clock, day, 10)
    app.log_done(person, step)
    if after is not None:
        app.rate_mood(person, after, step_id=step)
    return step


# -- today ------------------------------------------------------------------------


def test_a_new_person_is_offered_the_easiest_starter_activity(app: SmallSteps,
                                                              alice: str) -> None:
    today = app.today(alice)
    assert today.steps == () and today.small_step is None
    assert today.suggestion.activity_id == "make-bed"
    assert today.suggestion.reason == "starter"
    assert app.today(alice) == today  # deterministic


def test_the_small_step_is_the_earliest_pending_one(app: SmallSteps, alice: str) -> None:
    evening = app.schedule_step(alice, "message-friend", MONDAY, "evening")
    timed = app.schedule_step(alice, "cook-simple", MONDAY, at_time="13:15")
    morning = app.schedule_step(alice, "make-bed", MONDAY, "morning")
    today = app.today(alice, MONDAY)
    assert [s.step_id for s in today.steps] == [morning, timed, evening]
    assert today.small_step.step_id == morning and today.suggestion is None
    app.log_done(alice)
    assert app.today(alice, MONDAY).small_step.step_id == timed


def test_suggestions_prefer_value_linked_and_skip_recent_ones(app: SmallSteps, alice: str,
                                                              clock: FixedClock) -> None:
    app.name_value(alice, "relationships", "being a good friend")
    first = app.today(alice).suggestion
    assert first.activity_id == "message-friend" and first.value_linked
    # Done yesterday: not offered again for a few days.
    do(app, alice, clock, "message-friend", MONDAY - timedelta(days=1), None, None)
    at(clock, MONDAY, 8)
    assert app.today(alice).suggestion.activity_id == "check-in-call"
    # "Something else" passes what was already offered.
    assert app.suggest(alice, exclude=["check-in-call"]).activity_id == "share-meal"


def test_not_today_is_not_offered_again_for_two_days_unless_made_smaller(
        app: SmallSteps, alice: str, clock: FixedClock) -> None:
    at(clock, MONDAY, 9)
    step = app.schedule_step(alice, "make-bed", MONDAY)
    app.log_not_done(alice, barrier="tired")
    assert app.today(alice, MONDAY).suggestion.activity_id != "make-bed"
    assert app.suggest(alice, MONDAY + timedelta(days=1)).activity_id != "make-bed"
    assert app.suggest(alice, MONDAY + timedelta(days=2)).activity_id == "make-bed"
    app.make_smaller(alice, step)  # back on the list, in its smaller form
    today = app.today(alice, MONDAY)
    assert today.small_step.step_id == step and today.small_step.title == (
        "Pull the covers up straight")


def test_suggestions_lean_to_what_lifted_this_persons_mood(app: SmallSteps, alice: str,
                                                          clock: FixedClock) -> None:
    # Two measured lifts of +4 for a difficulty-2 activity outrank the easiest ones.
    do(app, alice, clock, "something-creative", MONDAY - timedelta(days=9), 3, 7)
    do(app, alice, clock, "something-creative", MONDAY - timedelta(days=8), 4, 8)
    at(clock, MONDAY, 8)
    suggestion = app.today(alice).suggestion
    assert suggestion.activity_id == "something-creative"
    assert (suggestion.reason, suggestion.evidence_lift) == ("evidence", 4.0)


def test_kind_evidence_leans_when_an_activity_has_none(app: SmallSteps, alice: str,
                                                      clock: FixedClock) -> None:
    easier = [a.key for a in app.profile(alice).repertoire() if a.difficulty < 3]
    # Without evidence, the first of the difficulty-3 activities in catalogue order.
    assert app.suggest(alice, exclude=easier).activity_id == "check-in-call"
    # Drafting an email (mastery) lifted mood twice: mastery leans a little.
    do(app, alice, clock, "draft-email", MONDAY - timedelta(days=9), 2, 6)
    do(app, alice, clock, "draft-email", MONDAY - timedelta(days=8), 2, 6)
    at(clock, MONDAY, 8)
    assert app.suggest(alice, exclude=easier).activity_id == "tidy-room"
    # Its own evidence (+4) outweighs being one level harder than the easiest.
    assert app.suggest(alice).activity_id == "draft-email"
    # Making the bed lowered mood twice: it steps back behind the other easy ones.
    assert app.suggest(alice, exclude=["draft-email"]).activity_id == "make-bed"
    do(app, alice, clock, "make-bed", MONDAY - timedelta(days=7), 5, 4)
    do(app, alice, clock, "make-bed", MONDAY - timedelta(days=6), 5, 4)
    at(clock, MONDAY, 8)
    assert app.suggest(alice, exclude=["draft-email"]).activity_id == "step-outside"


# -- the week ---------------------------------------------------------------------


def test_week_summary_counts_moods_lifts_barriers(app: SmallSteps, alice: str,
                                                  clock: FixedClock) -> None:
    # Last week: moods of 3.
    at(clock, MONDAY - timedelta(days=3), 9)
    app.rate_mood(alice, 3)
    app.rate_mood(alice, 3)
    # This week.
    do(app, alice, clock, "walk-around-block", MONDAY, 4, 7)
    do(app, alice, clock, "walk-around-block", MONDAY + timedelta(days=2), 5, 7)
    do(app, alice, clock, "make-bed", MONDAY + timedelta(days=1), 5, 6)
    at(clock, MONDAY + timedelta(days=3), 9)
    app.schedule_step(alice, "check-in-call", MONDAY + timedelta(days=3), "evening")
    app.log_not_done(alice, barrier="anxious")
    app.schedule_step(alice, "tidy-room", MONDAY + timedelta(days=3), "morning")
    app.log_not_done(alice, barrier="anxious")
    app.schedule_step(alice, "coffee-friend", MONDAY + timedelta(days=4))
    week = app.week(alice, "2026-W48")
    assert (week.total.planned, week.total.done, week.total.not_done) == (6, 3, 2)
    assert week.by_kind["pleasure"].done == 2 and week.by_kind["social"].not_done == 1
    assert week.by_day[MONDAY + timedelta(days=3)].not_done == 2
    assert week.mood_count == 6 and week.mood_average == pytest.approx(34 / 6, abs=0.01)
    assert week.previous_mood_average == 3.0
    assert week.mood_change == pytest.approx(34 / 6 - 3, abs=0.01)
    assert (week.best_lift.activity_id, week.best_lift.mean, week.best_lift.times) == (
        "walk-around-block", 2.5, 2)
    assert week.barriers == (("anxious", 2),)
    assert week.adjustment.code == "add_companion"
    assert week.adjustment.activity_id in ("check-in-call", "tidy-room")


def test_adjustments_follow_the_weeks_evidence(app: SmallSteps, alice: str,
                                               clock: FixedClock) -> None:
    assert app.week(alice).adjustment.code == "plan_one"
    do(app, alice, clock, "make-bed", MONDAY, None, None)
    assert app.week(alice).adjustment.code == "add_social"
    do(app, alice, clock, "message-friend", MONDAY + timedelta(days=1), None, None)
    assert app.week(alice).adjustment.code == "keep_going"
    at(clock, MONDAY + timedelta(days=2), 9)
    app.schedule_step(alice, "look-into-course", MONDAY + timedelta(days=2))
    app.log_not_done(alice)
    adjustment = app.week(alice).adjustment
    assert (adjustment.code, adjustment.activity_id) == ("make_smaller", "look-into-course")
    app.schedule_step(alice, "draft-email", MONDAY + timedelta(days=2))
    app.log_not_done(alice, barrier="forgot")
    assert app.week(alice).adjustment.code == "pair_with_routine"


def test_review_and_plan_show_in_the_week(app: SmallSteps, alice: str) -> None:
    app.review_week(alice, "2026-W48", helped=["going out early"], barriers=["rain"],
                    adjustments=["walk after lunch instead"])
    app.record_safety_offered(alice, "en-GB")
    week = app.week(alice, "2026-W48")
    assert week.review["helped"] == ["going out early"]
    assert week.review["adjustments"] == ["walk after lunch instead"]
    assert week.safety_offers == 1


# -- insights and lapse -------------------------------------------------------------


def test_insights_per_activity_kind_and_part_of_day(app: SmallSteps, alice: str,
                                                    clock: FixedClock) -> None:
    do(app, alice, clock, "walk-around-block", MONDAY, 3, 6, "morning")
    do(app, alice, clock, "walk-around-block", MONDAY + timedelta(days=1), 4, 5, "evening")
    at(clock, MONDAY + timedelta(days=2), 9)
    app.schedule_step(alice, "walk-around-block", MONDAY + timedelta(days=2), "morning")
    app.log_not_done(alice, barrier="weather")
    app.schedule_step(alice, "make-bed", MONDAY + timedelta(days=2), "morning")
    insights = app.insights(alice)
    walk = insights.activities[0]
    assert walk.activity_id == "walk-around-block"
    assert (walk.total.scheduled, walk.total.done, walk.total.not_done) == (3, 2, 1)
    assert walk.total.completion_rate == pytest.approx(2 / 3)
    assert walk.total.mean_lift == 2.0 and walk.total.lift_n == 2
    assert walk.by_part["morning"].done == 1 and walk.by_part["morning"].not_done == 1
    assert walk.by_part["evening"].mean_lift == 1.0
    assert insights.kinds["pleasure"].done == 2 and insights.kinds["routine"].scheduled == 1
    assert insights.kinds_by_part["pleasure"]["morning"].scheduled == 2


def test_lift_uses_an_earlier_mood_that_day_when_none_was_given_before(
        app: SmallSteps, alice: str, clock: FixedClock) -> None:
    at(clock, MONDAY, 7)
    app.rate_mood(alice, 4)  # "four this morning"
    do(app, alice, clock, "step-outside", MONDAY, None, 6)
    [step] = app.today(alice, MONDAY).steps
    assert (step.mood_before, step.mood_after, step.mood_lift) == (4, 6, 2)


def test_lapse_signs_and_the_way_back(app: SmallSteps, alice: str, clock: FixedClock) -> None:
    for offset, mood in ((13, 7), (12, 7), (10, 6)):
        do(app, alice, clock, "make-bed", MONDAY - timedelta(days=offset), None, mood)
    at(clock, MONDAY - timedelta(days=3), 9)
    app.rate_mood(alice, 4)
    app.rate_mood(alice, 3)
    app.set_relapse_plan(alice, ["skipping meals"], ["step-outside"])
    lapse = app.lapse(alice, MONDAY)
    assert lapse.days_since_last_done == 10
    assert lapse.mood_last_7_days == 3.5 and lapse.mood_previous_7_days == pytest.approx(6.67,
                                                                                           abs=0.01)
    assert lapse.mood_trend == pytest.approx(-3.17, abs=0.01)
    assert lapse.should_prompt and lapse.reasons == ("no_steps_for_days", "mood_falling")
    assert lapse.boosters == ("step-outside",) and lapse.warning_signs == ("skipping meals",)
    do(app, alice, clock, "step-outside", MONDAY, None, None)
    steady = app.lapse(alice, MONDAY)
    assert steady.days_since_last_done == 0 and steady.reasons == ("mood_falling",)


def test_a_person_who_never_started_is_offered_a_way_in(app: SmallSteps, alice: str) -> None:
    assert not app.lapse(alice, MONDAY).should_prompt
    later = app.lapse(alice, MONDAY + timedelta(days=4))
    assert later.reasons == ("not_started",) and later.days_since_last_done is None


# -- the person's calendar ------------------------------------------------------------


def test_a_step_on_the_daylight_saving_change_day(app: SmallSteps, clock: FixedClock) -> None:
    # New York springs forward at 02:00 on Sunday 8 March 2026.
    app.enrol("dana", "en-US", "America/New_York")
    change_day = date(2026, 3, 8)
    clock.at = datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc)  # 01:30 EST
    step = app.schedule_step("dana", "walk-around-block", change_day, at_time="02:30")
    assert app.today("dana").day == change_day
    clock.at = datetime(2026, 3, 9, 3, 30, tzinfo=timezone.utc)  # 23:30 EDT, still the 8th
    done = app.log_done("dana")
    assert done.step_id == step
    today = app.today("dana")
    assert today.day == change_day and today.steps[0].status == "done"
    clock.at = datetime(2026, 3, 9, 4, 30, tzinfo=timezone.utc)  # 00:30 EDT on the 9th
    assert app.today("dana").day == date(2026, 3, 9)
    assert app.lapse("dana").days_since_last_done == 1


def test_a_week_that_crosses_new_year(app: SmallSteps, clock: FixedClock) -> None:
    app.enrol("eli", "en-AU", "Australia/Sydney")
    # 31 December 2026 is a Thursday; 1 January 2027 belongs to ISO week 2026-W53.
    clock.at = datetime(2026, 12, 31, 0, 0, tzinfo=timezone.utc)  # 11:00 in Sydney
    app.schedule_step("eli", "make-bed", date(2026, 12, 31))
    app.log_done("eli")
    app.rate_mood("eli", 5)
    clock.at = datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc)  # New Year's Day in Sydney
    app.schedule_step("eli", "step-outside", date(2027, 1, 1))
    app.log_done("eli")
    app.rate_mood("eli", 7)
    week = app.week("eli")
    assert week.week == "2026-W53"
    assert (week.first_day, week.last_day) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week.total.done == 2 and week.mood_average == 6.0
    assert app.week("eli", "2027-W01").total.planned == 0


def test_a_barrier_stays_in_the_week_after_its_step_is_replanned_or_done(app, alice):
    walk = app.schedule_step(alice, "walk-around-block", "2026-11-23")
    bed = app.schedule_step(alice, "make-bed", "2026-11-23")
    app.log_not_done(alice, step_id=walk, barrier="tired")
    app.make_smaller(alice, walk)
    app.log_not_done(alice, step_id=bed, barrier="weather")
    app.move_step(alice, bed, "2026-11-24")
    week = app.week(alice)
    assert dict(week.barriers) == {"tired": 1, "weather": 1}
    assert {s.status for s in week.steps} == {"pending"}
    assert week.adjustment.activity_id in ("walk-around-block", "make-bed")
    app.log_done(alice, step_id=walk)
    assert dict(app.week(alice).barriers) == {"tired": 1, "weather": 1}
    app.rebuild_views()
    assert dict(app.week(alice).barriers) == {"tired": 1, "weather": 1}
