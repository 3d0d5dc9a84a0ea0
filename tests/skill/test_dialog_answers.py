"""Issue 11 over HTTP: answers that follow the question, nothing logged on a guess,
leaving mid-question, help and repeat that keep their place, and the wording of steps
and numbers. Real envelopes to the real Flask app; the harness checks every reply."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from domain.clock import FixedClock
from skill.model import I
from skill.speech import LOCALES, an_before, speech_for, with_articles
from tests.replies import BANNED
from tests.skill.harness import Speaker, activity, custom, person_key, take_first_step

BARRIER = "BarrierType"


start, person = take_first_step, person_key


def steps(server, speaker: Speaker):  # noqa: ANN201
    return server[1].today(person(speaker)).steps


# -- nothing is logged on a guess ----------------------------------------------------

@pytest.mark.parametrize("said", [
    ("barrier", custom("I don't know", None, BARRIER)),
    ("barrier", custom("dunno really", None, BARRIER)),
    ("activity", activity("I don't know", None)),
], ids=["dont-know", "dunno", "heard-as-activity"])
def test_i_dont_know_what_got_in_the_way_records_no_barrier(speaker: Speaker, server, said):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    slot, value = said
    intent = I.BARRIER if slot == "barrier" else I.LOG_DONE
    reply = speaker.say(intent, **{slot: value})
    assert reply.startswith("Thanks for telling me. You don't need a reason.")
    assert "pulling the covers up straight" in reply and speaker.pending == "offer_smaller"
    week = server[1].week(person(speaker))
    assert week.barriers == () and [(s.status, s.barrier) for s in week.steps] == [
        ("not_done", None)]


def test_a_step_not_named_is_asked_about_naming_todays_and_yes_adds_nothing(speaker: Speaker,
                                                                            server):
    start(speaker)
    server[1].schedule_step(person(speaker), "water-plants", server[1].today(person(speaker)).day)
    speaker.launch()
    speaker.say(I.NO)  # not today's step just now
    said = speaker.say(I.LOG_DONE, activity=activity("I ate a sandwich", None))
    assert said == "Which step did you do: making your bed or watering your plants?"
    again = speaker.say(I.YES)
    assert again.endswith("Which step did you do: making your bed or watering your plants?")
    assert speaker.pending == "which_done"
    assert speaker.say(I.RATE_MOOD, mood="6").endswith("watering your plants?")
    assert [s.status for s in steps(server, speaker)] == ["pending", "pending"]
    assert speaker.say(I.LOG_DONE, activity=activity("watered the plants", "water-plants")) \
        .startswith("You watered the plants.")
    assert speaker.say(I.NO) == "That's fine, no number needed. Well done today."


def test_a_number_at_what_got_in_the_way_is_not_a_mood(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.RATE_MOOD, mood="4")
    assert said == "Sorry, I didn't quite follow. What got in the way? For example, tired, busy or anxious."
    assert speaker.pending == "barrier" and server[1].week(person(speaker)).mood_count == 0


# -- answers that follow ---------------------------------------------------------------

def test_one_more_step_after_all_is_done_offers_a_step_not_the_question_again(speaker: Speaker,
                                                                              server):
    start(speaker)
    speaker.say(I.LOG_DONE)
    speaker.say(I.RATE_MOOD, mood="6")
    said = speaker.say(I.GET_SMALL_STEP)
    assert said == "You've done everything planned for today. Would you like one more small step?"
    offer = speaker.say(I.YES)
    assert offer.startswith("Here's one: ") and "making your bed" not in offer
    assert speaker.pending == "offer"
    assert speaker.say(I.YES).startswith("Added: ")
    assert len(steps(server, speaker)) == 2


def test_yes_to_the_low_mood_offer_is_the_smallest_version_of_todays(speaker: Speaker, server):
    start(speaker)
    said = speaker.say(I.RATE_MOOD, mood="1")
    # A low mood offers the smallest version of today's step at once (issue 11, point 4);
    # "yes" makes the step that size, never the full-size one.
    assert said.endswith("Your step could be just pulling the covers up straight. Want that?")
    assert speaker.say(I.YES).startswith("Okay, smaller: pulling the covers up straight.")
    assert [(s.title, s.is_smaller) for s in steps(server, speaker)] == [
        ("Pull the covers up straight", True)]


def test_yes_to_the_low_mood_offer_with_none_waiting_adds_the_smallest_version(speaker: Speaker):
    speaker.launch()
    speaker.say(I.NO)
    speaker.say(I.RATE_MOOD, mood="1")
    # Nothing waiting: the low mood's answer offers a suggestion at its smallest, and
    # "yes" adds that smallest version.
    assert speaker.say(I.YES).startswith("Added: pulling the covers up straight, today.")


# -- leaving mid-question --------------------------------------------------------------

@pytest.mark.parametrize("leaving", [I.STOP, I.CANCEL, I.NAVIGATE_HOME])
def test_leaving_at_what_got_in_the_way_logs_not_today_without_a_reason(speaker: Speaker,
                                                                        server, leaving):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(leaving)
    assert said == "Okay, that one's not today, and that's fine. Take care." and not speaker.open
    assert [(s.status, s.barrier) for s in steps(server, speaker)] == [("not_done", None)]


def test_walking_away_at_what_got_in_the_way_logs_not_today_without_a_reason(speaker: Speaker,
                                                                             server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    speaker.end()
    assert [(s.status, s.barrier) for s in steps(server, speaker)] == [("not_done", None)]


def test_leaving_elsewhere_mid_question_records_nothing_more(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_DONE)  # how do you feel now?
    assert speaker.say(I.STOP) == "Take care. Small steps count."
    assert [(s.status, s.mood_after) for s in steps(server, speaker)] == [("done", None)]
    server[1].schedule_step(person(speaker), "water-plants", server[1].today(person(speaker)).day)
    speaker.launch()  # today's step: watering your plants
    speaker.say(I.MOVE_STEP)  # when would suit better?
    assert speaker.pending == "move"
    assert speaker.say(I.CANCEL) == "Okay. Take care." and not speaker.open


def test_a_new_request_mid_question_leaves_the_state_and_is_served(speaker: Speaker):
    start(speaker)
    speaker.say(I.GET_SMALL_STEP)
    speaker.say(I.SWAP_STEP)  # what would you like instead?
    assert speaker.pending == "swap"
    said = speaker.say(I.WEEKLY_SUMMARY)
    assert said.startswith("This week, you planned one step")


# -- help and repeat keep the state ----------------------------------------------------

def test_help_and_repeat_keep_the_question_open(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    helped = speaker.say(I.HELP)
    assert "self-help tool" in helped and "I need support now" in helped
    assert helped.endswith("What got in the way? For example, tired, busy or anxious.")
    assert speaker.pending == "barrier"
    assert speaker.say(I.REPEAT) == "That's okay, not today. What got in the way?"
    said = speaker.say(I.BARRIER, barrier=custom("too tired", "tired", BARRIER))
    assert said.startswith("Thanks for telling me. Low energy is real.")


# -- wording ---------------------------------------------------------------------------

def test_an_eight_and_your_one_planned_step(speaker: Speaker):
    start(speaker)
    speaker.say(I.LOG_DONE)
    assert speaker.say(I.RATE_MOOD, mood="8").startswith("Thank you, that's an 8.")
    summary = speaker.say(I.WEEKLY_SUMMARY)
    assert summary.startswith("This week, you did your one planned step.")
    assert "1 of 1" not in summary


def test_a_or_an_before_numbers():
    assert [n for n in range(0, 101) if an_before(n)] == [8, 11, 18, *range(80, 90)]
    assert an_before("8.5") and not an_before("7.5") and not an_before("1")
    assert with_articles("that's a {mood}, a {x}", {"mood": 11, "x": 7}) == \
        "that's an {mood}, a {x}"
    gb = speech_for("en-GB")
    assert gb.phrase("mood_noted", mood=18).startswith("Thanks, an 18, noted.")
    assert gb.phrase("mood_after", mood=3, lift="") == "Thank you, that's a 3."


def test_titles_are_said_in_sentences_not_as_commands(speaker: Speaker, clock: FixedClock):
    assert speaker.launch().endswith("Shall we start with making your bed?")
    gb = speech_for("en-GB")
    assert gb.phrase("today_step", title=gb.activity("Play your favourite song and really listen"),
                     after_today="", minutes="4 minutes").startswith(
        "Your small step today is playing your favourite song and really listening. It takes")
    assert gb.activity("Call Mum") == "your step: call Mum"  # a person's own step


@pytest.mark.parametrize("locale", LOCALES)
def test_every_activity_has_its_sentence_forms_in_every_locale(locale: str):
    from domain.catalogue import starter

    speech = speech_for(locale)
    for a in starter():
        for title in (a.title, a.smaller):
            form = speech.activity(title)
            assert form and form != title and not form[0].isupper(), (locale, title, form)
            assert not BANNED.search(form)
    favourite = speech.activity("Play your favourite song and really listen")
    assert ("favorite" in favourite) == (locale == "en-US")


def test_not_today_with_two_waiting_and_none_discussed_asks_which(speaker: Speaker, server):
    start(speaker)
    server[1].schedule_step(person(speaker), "water-plants", server[1].today(person(speaker)).day)
    said = speaker.say(I.LOG_NOT_DONE)  # a new session: no step under discussion
    assert said == "That's okay. Which step wasn't today: making your bed or watering your plants?"
    assert speaker.pending == "which_not_done"
    assert speaker.say(I.YES).endswith("making your bed or watering your plants?")
    said = speaker.say(I.LOG_NOT_DONE, activity=activity("the plants", "water-plants"))
    assert said == "That's okay, not today. What got in the way?"
    speaker.say(I.BARRIER, barrier=custom("too busy", "no_time", BARRIER))
    assert [(s.activity_id, s.status) for s in steps(server, speaker)] == [
        ("make-bed", "pending"), ("water-plants", "not_done")]


def test_i_cant_to_an_offer_adds_nothing_and_logs_nothing(speaker: Speaker, server):
    speaker.launch()  # "Shall we start with making your bed?"
    said = speaker.say(I.LOG_NOT_DONE)
    assert said.startswith("That's okay, nothing added.") and not speaker.open
    assert steps(server, speaker) == ()


def test_naming_the_step_at_what_got_in_the_way_is_a_correction(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.LOG_DONE, activity=activity("made my bed", "make-bed"))
    assert said.startswith("You made your bed.") and speaker.pending == "mood_after"
    assert [(s.status, s.barrier) for s in steps(server, speaker)] == [("done", None)]


# -- a reason said out of the blue ----------------------------------------------------

def test_a_reason_said_out_of_the_blue_asks_before_logging_not_today(speaker: Speaker, server):
    """"Work was manic" with no question open is not yet a "not today": it asks, and
    only "yes" logs it (with that reason); "no" keeps the step on today's plan."""
    start(speaker)
    speaker.end()
    speaker.launch()
    said = speaker.say(I.BARRIER, barrier=custom("work was manic", "no_time", BARRIER))
    assert said == ("That sounds like it got in the way. Shall I leave making your bed for "
                    "another day?")
    assert speaker.pending == "confirm_not_today"
    assert [s.status for s in steps(server, speaker)] == ["pending"]
    assert speaker.say(I.NO) == "Okay, making your bed stays on today's plan. Tell me when it's done."
    assert [s.status for s in steps(server, speaker)] == ["pending"]
    speaker.launch()
    speaker.say(I.BARRIER, barrier=custom("it's chucking it down", "weather", BARRIER))
    assert speaker.say(I.YES).startswith("Thanks for telling me.")
    assert [(s.status, s.barrier) for s in steps(server, speaker)] == [("not_done", "weather")]


def test_today_is_said_once_in_a_sentence_about_today():
    """Never "your small step today is making your bed, today"."""
    gb = speech_for("en-GB")
    day = date(2026, 12, 1)
    assert gb.when_after_today(day, None, None, day) == ""
    assert gb.when_after_today(day, "evening", None, day) == ", this evening"
    assert gb.when_after_today(day, None, time(19, 0), day) == " at 7 pm"
    assert gb.when_after_today(day + timedelta(days=2), None, None, day) == ", on Thursday"


def test_a_step_already_not_today_is_not_asked_about_again(speaker: Speaker, server):
    """"I couldn't do it" about the step under discussion, already marked not today, says
    so at once, instead of asking what got in the way and then dropping the answer."""
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    speaker.say(I.BARRIER, barrier=custom("too tired", "tired", BARRIER))
    speaker.say(I.NO)  # no smaller version; "would another time suit better?" is open
    said = speaker.say(I.LOG_NOT_DONE)
    assert said == "That one's already marked not today, and that's okay."
    assert [(s.status, s.barrier) for s in steps(server, speaker)] == [("not_done", "tired")]


def test_not_followed_three_times_in_a_row_ends_kindly(speaker: Speaker, server):
    """The same question again and again helps nobody: the third time in a row that the
    answer is not understood, the session ends kindly instead (nothing recorded)."""
    first = speaker.launch()
    assert first.endswith("Shall we start with making your bed?")
    assert speaker.say(I.FALLBACK).startswith("Sorry, I didn't quite follow.")
    assert speaker.say(I.FALLBACK).startswith("Sorry, I didn't quite follow.")
    said = speaker.say(I.FALLBACK)
    assert said.startswith("Sorry, I'm not following just now.") and not speaker.open
    assert steps(server, speaker) == ()
    # a new question starts the count again; "help" and "repeat" do not count
    speaker.launch()
    speaker.say(I.FALLBACK)
    speaker.say(I.HELP)
    speaker.say(I.REPEAT)
    assert speaker.say(I.FALLBACK).startswith("Sorry, I didn't quite follow.") and speaker.open


def test_words_not_caught_at_what_got_in_the_way_are_not_told_no_reason_is_needed(
        speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.FALLBACK)
    assert said.startswith("Thanks for telling me. I didn't catch all of that, and that's okay.")
    assert "don't need a reason" not in said
    assert [(s.status, s.barrier) for s in steps(server, speaker)] == [("not_done", None)]
