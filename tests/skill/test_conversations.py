"""Every conversation of the product (docs/conversation.md), over HTTP, against the real Flask app and a real store.

Each response is also checked against the language rules by the harness (`check_response`).
Over 400 lines: the conversations of every area in one place, as a person meets them."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from skill.model import I
from tests.skill.harness import Speaker, activity, custom, person_key, take_first_step

BARRIER = "BarrierType"


start = take_first_step


# -- launch -----------------------------------------------------------------------------

def test_first_run_introduces_ba_with_the_care_line_and_offers_a_first_step(speaker: Speaker):
    said = speaker.launch()
    assert "small things that matter" in said and "noticing how you feel" in said
    assert "not a substitute for professional care" in said
    assert "I need support now" in said  # how to reach help
    assert said.endswith("making your bed?") and speaker.open and speaker.pending == "offer"
    assert "Added: making your bed, today" in speaker.say(I.YES)
    assert not speaker.open


def test_a_returning_person_hears_todays_step(speaker: Speaker):
    start(speaker)
    said = speaker.launch()
    assert said.startswith("Hello again. Today's small step is making your bed. Does that")
    assert speaker.pending == "doable"
    assert "Tell me when you've done it" in speaker.say(I.YES)


def test_after_a_lapse_the_way_back_is_gentle_and_small(speaker: Speaker, clock: FixedClock):
    start(speaker)
    speaker.say(I.LOG_DONE)
    speaker.say(I.RATE_MOOD, mood="5")
    clock.advance(days=5)
    said = speaker.launch()
    assert said.startswith("It's good to hear from you. Let's pick one small step, nice and easy:")
    speaker.say(I.YES)
    today = speaker.say(I.GET_SMALL_STEP)
    assert "It takes about 1 minute." in today or "It takes about 2 minutes." in today


# -- today's step -------------------------------------------------------------------------

def test_todays_step_something_else_and_make_it_smaller(speaker: Speaker):
    speaker.launch()
    speaker.say(I.NO)
    said = speaker.say(I.GET_SMALL_STEP)
    assert said.startswith("Here's one: making your bed, about 3 minutes.") and speaker.card is None
    other = speaker.say(I.SOMETHING_ELSE)
    assert other.startswith("Here's another: ") and "making your bed" not in other
    smaller = speaker.say(I.MAKE_IT_SMALLER)
    assert smaller.startswith("Here's one: ") and speaker.pending == "offer"
    assert speaker.last["sessionAttributes"]["pending"]["smaller"] is True
    added = speaker.say(I.YES)
    assert added.startswith("Added: ")
    today = speaker.say(I.GET_SMALL_STEP)
    assert speaker.card["title"] == "Today's small step"
    assert "Does that feel doable?" in today
    assert "already its smallest version" in speaker.say(I.MAKE_IT_SMALLER)


def test_make_a_planned_step_smaller(speaker: Speaker):
    start(speaker)
    speaker.say(I.GET_SMALL_STEP)
    said = speaker.say(I.MAKE_IT_SMALLER)
    assert said == "Okay, smaller: pulling the covers up straight. About 1 minute. It's on for today."


# -- logging -----------------------------------------------------------------------------

def test_done_then_mood_after_asks_again_kindly_for_eleven_and_banana(speaker: Speaker,
                                                                     server):
    start(speaker)
    assert speaker.say(I.LOG_DONE) == "You made your bed. How do you feel now, from zero to ten?"
    assert speaker.pending == "mood_after"
    assert speaker.say(I.RATE_MOOD, mood="11").startswith("Any number from zero to ten is fine")
    # "?" is what Alexa sends when it could not tell: not heard, so no lecture.
    assert speaker.say(I.RATE_MOOD, mood="?").startswith("Sorry, I didn't catch the number.")
    # words not understood may have held a number ("I feel awful, like a two"): not
    # caught, never the range as a lecture
    assert speaker.say(I.FALLBACK).startswith("Sorry, I didn't catch the number.")
    # a feeling instead of a number is met kindly, and no number is needed
    assert speaker.say(I.BARRIER, barrier=custom("knackered", "tired", "BarrierType")).startswith(
        "That's okay, a number isn't needed.")
    assert speaker.pending == "mood_after"
    said = speaker.say(I.RATE_MOOD, mood="7")
    assert said.startswith("Thank you, that's a 7.") and not speaker.open
    week = server[1].week(_key(server, speaker))
    assert [(s.status, s.mood_after) for s in week.steps] == [("done", 7)]



@pytest.mark.parametrize("heard", ["-1", "minus one", "negative three", "1e9", "1.5",
                                   "one million", "five hundred", "one point five"])
def test_a_number_that_only_begins_like_a_mood_is_not_taken_for_one(speaker: Speaker, server,
                                                                    heard: str) -> None:
    """Alexa's number slot sends "-1" for "minus one"; a million begins with "one". The
    first digit is not what was said: nothing is recorded on it, the range is asked."""
    speaker.launch()
    speaker.say(I.NO)
    assert speaker.say(I.RATE_MOOD, mood=heard).startswith("Any number from zero to ten")
    assert server[1].week(_key(server, speaker)).mood_count == 0
    assert speaker.say(I.RATE_MOOD, mood="6").startswith("Thanks, a 6, noted.")
    assert server[1].week(_key(server, speaker)).mood_count == 1

def test_done_by_activity_and_an_enjoyment_rating(speaker: Speaker, server):
    speaker.launch()
    speaker.say(I.NO)
    said = speaker.say(I.LOG_DONE, activity=activity("played my favourite song", "favourite-song"))
    assert said.startswith("You played your favourite song.")
    said = speaker.say(I.RATE_MOOD, mood="6")
    assert "How much did you enjoy it" in said and speaker.pending == "rate_enjoyment"
    assert speaker.say(I.RATE_MOOD, mood="8") == "Thanks, noted. Well done today."
    step = server[1].week(_key(server, speaker)).steps[0]
    assert (step.unplanned, step.enjoyment, step.mood_after) == (True, 8, 6)


def test_a_mood_lift_is_connected_to_the_step(speaker: Speaker, server):
    start(speaker)
    app, person = server[1], _key(server, speaker)
    step = app.today(person).small_step
    app.rate_mood(person, 4, step_id=step.step_id, moment="before")
    speaker.say(I.LOG_DONE)
    assert "That's up from 4 before." in speaker.say(I.RATE_MOOD, mood="6")


def test_not_done_asks_what_got_in_the_way_then_offers_smaller(speaker: Speaker, server):
    start(speaker)
    said = speaker.say(I.LOG_NOT_DONE)
    assert said == "That's okay, not today. What got in the way?"
    said = speaker.say(I.BARRIER, barrier=custom("too tired", "tired", BARRIER))
    assert said.startswith("Thanks for telling me. Low energy is real.")
    assert "pulling the covers up straight" in said and speaker.pending == "offer_smaller"
    assert server[1].week(_key(server, speaker)).barriers == (("tired", 1),)
    assert speaker.say(I.YES).startswith("Okay, smaller: pulling the covers up straight.")
    step = server[1].today(_key(server, speaker)).steps[0]
    assert (step.status, step.is_smaller) == ("pending", True)


def test_not_done_with_the_barrier_said_at_once_and_another_time(speaker: Speaker, server):
    start(speaker)
    said = speaker.say(I.LOG_NOT_DONE, barrier=custom("it was raining", "weather", BARRIER))
    assert "The weather doesn't always help" in said
    assert speaker.say(I.NO) == "Okay. Would another time suit better, like tomorrow?"
    assert speaker.say(I.YES) == "Moved: making your bed, now tomorrow."
    steps = server[1].week(_key(server, speaker)).steps
    assert [(s.day, s.status) for s in steps] == [(date(2026, 11, 24), "pending")]


def test_a_barrier_in_other_words_is_other_and_the_words_are_not_stored(speaker: Speaker, server,
                                                                         skill_env):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    speaker.say(I.BARRIER, barrier=custom("my neighbour's parrot", None, BARRIER))
    assert server[1].week(_key(server, speaker)).barriers == (("other", 1),)
    assert b"parrot" not in _store_bytes(skill_env)


def test_leaving_while_asked_what_got_in_the_way_still_logs_not_today(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    speaker.end()
    assert [s.status for s in server[1].week(_key(server, speaker)).steps] == ["not_done"]


def test_nothing_to_log(speaker: Speaker):
    speaker.launch()
    speaker.say(I.NO)
    assert speaker.say(I.LOG_NOT_DONE).startswith("There's no step waiting today.")
    assert speaker.say(I.LOG_DONE).startswith("Which step did you do")


# -- mood ---------------------------------------------------------------------------------

def test_mood_by_itself(speaker: Speaker, server):
    speaker.launch()
    speaker.say(I.NO)
    assert speaker.say(I.RATE_MOOD, mood="4").startswith("Thanks, a 4, noted.")
    said = speaker.say(I.RATE_MOOD, mood="1")
    assert "sounds hard" in said and "I need support now" in said
    # a number at "shall I add it?" answers nothing: the question again, no mood recorded
    assert speaker.say(I.RATE_MOOD, mood="3").startswith("Sorry, I didn't quite follow.")
    speaker.end()
    assert speaker.say(I.RATE_MOOD, mood="banana").startswith("Any number from zero to ten")
    week = server[1].week(_key(server, speaker))
    assert (week.mood_count, week.mood_average) == (2, 2.5)


# -- planning -----------------------------------------------------------------------------

def test_schedule_a_call_on_thursday_evening(speaker: Speaker, server):
    speaker.launch()
    said = speaker.say(I.SCHEDULE_STEP,
                       activity=activity("a call with my sister", "check-in-call"),
                       date="2026-11-26", partOfDay=custom("evening", "evening", "PartOfDayType"))
    assert said == "Added: a brief check-in call, on Thursday evening."
    steps = server[1].week(_key(server, speaker)).steps
    assert [(s.activity_id, s.day, s.part_of_day) for s in steps] == [
        ("check-in-call", date(2026, 11, 26), "evening")]


def test_schedule_asks_for_what_is_missing_with_a_dialog_directive(speaker: Speaker):
    speaker.launch()
    said = speaker.say(I.SCHEDULE_STEP, activity=activity("juggling", None), date="2026-11-26")
    assert said.startswith("I don't know that one yet.")
    directive = speaker.last["response"]["directives"][0]
    assert (directive["type"], directive["slotToElicit"]) == ("Dialog.ElicitSlot", "activity")
    assert directive["updatedIntent"]["slots"]["date"]["value"] == "2026-11-26"
    assert "already gone" in speaker.say(I.SCHEDULE_STEP, activity=activity("a walk", "walk-around-block"),
                                         date="2026-11-20")
    said = speaker.say(I.SCHEDULE_STEP, activity=activity("a walk", "walk-around-block"),
                       date="2026-W49", time="19:30")
    assert said == "Added: a short walk around the block, on Monday 30 November at 7:30 pm."


def test_the_daily_cap_is_kept_gently(speaker: Speaker):
    speaker.launch()
    for name in ("make-bed", "water-plants", "step-outside"):
        speaker.say(I.SCHEDULE_STEP, activity=activity(name, name), date="2026-11-25")
    said = speaker.say(I.SCHEDULE_STEP, activity=activity("a walk", "walk-around-block"),
                       date="2026-11-25")
    assert said.startswith("Wednesday already has three steps, which is plenty.")


def test_plan_the_week_confirmed_back(speaker: Speaker, server):
    speaker.launch()
    said = speaker.say(I.PLAN_WEEK)
    assert said.startswith("Here's a plan: ") and said.endswith("Shall I add them?")
    assert said.count(" on ") + said.count("tomorrow") >= 2
    assert speaker.say(I.YES).startswith("Done, those 3 steps are in your week.")
    steps = server[1].week(_key(server, speaker)).steps
    assert len(steps) == 3 and len({s.kind for s in steps}) >= 2


def test_replanning_swap_pair_move(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.GET_SMALL_STEP)
    said = speaker.say(I.SWAP_STEP, activity=activity("water the plants", "water-plants"))
    assert said == "Swapped. Now it's watering your plants, today."
    said = speaker.say(I.PAIR_WITH_ROUTINE, routine=custom("my morning coffee", "morning_coffee",
                                                           "RoutineType"))
    assert said == "Good idea. Watering your plants now comes after your morning coffee."
    assert speaker.say(I.MOVE_STEP).startswith("When would suit better?")
    said = speaker.say(I.MOVE_STEP, date="2026-11-27",
                       partOfDay=custom("morning", "morning", "PartOfDayType"))
    assert said == "Moved: watering your plants, now on Friday morning."
    step = server[1].week(_key(server, speaker)).steps[0]
    assert (step.activity_id, step.day, step.part_of_day, step.paired_with) == (
        "water-plants", date(2026, 11, 27), "morning", "morning_coffee")
    assert speaker.say(I.MOVE_STEP, date="2026-11-28").startswith("There's no step to move today")


# -- weekly summary -------------------------------------------------------------------------

def test_weekly_summary_numbers_observation_adjustment_and_card(speaker: Speaker, server,
                                                                 clock: FixedClock):
    app, person = server[1], None
    speaker.launch()
    person = _key(server, speaker)
    app.schedule_step(person, "check-in-call", "2026-11-23")
    app.schedule_step(person, "walk-around-block", "2026-11-24")
    app.schedule_step(person, "tidy-room", "2026-11-25")
    s1 = app.today(person).small_step.step_id
    app.rate_mood(person, 3, step_id=s1, moment="before")
    app.log_done(person, step_id=s1)
    app.rate_mood(person, 7, step_id=s1, moment="after")
    clock.advance(days=2)
    app.log_not_done(person, barrier="no_time")
    said = speaker.say(I.WEEKLY_SUMMARY)
    assert said.startswith("This week, you did 1 of 3 planned steps. Your mood averaged 5.")
    assert "A brief check-in call lifted your mood most, by 4 points." in said
    assert "Next week" in said and len(said.split()) <= 75
    assert speaker.card["title"] == "Your week" and "Steps: 1 done of 3 planned" in speaker.card["content"]
    assert not speaker.open


def test_last_week_on_request_and_an_empty_week_offers_a_plan(speaker: Speaker, server,
                                                              clock: FixedClock):
    speaker.launch()
    speaker.say(I.NO)
    said = speaker.say(I.WEEKLY_SUMMARY, whichWeek=custom("last", "last", "WhichWeekType"))
    assert said.startswith("There's nothing logged for last week yet.")
    assert speaker.pending == "plan_offer"
    assert speaker.say(I.YES).startswith("Here's a plan: ")
    speaker.say(I.YES)
    clock.advance(days=7)
    said = speaker.say(I.WEEKLY_SUMMARY, whichWeek=custom("last", "last", "WhichWeekType"))
    assert said.startswith("Last week, you planned 3 steps and none happened yet, which is okay.")


# -- values, relapse plan, deleting data -----------------------------------------------------

def test_naming_a_value_escapes_the_words_in_ssml(speaker: Speaker, server):
    speaker.launch()
    said = speaker.say(I.NAME_VALUE, value="being a good friend & <neighbour>")
    assert said == ("Thank you. Being a good friend & <neighbour> matters to you, so I'll lean "
                    "towards people steps.")
    assert "&amp; &lt;neighbour&gt;" in speaker.ssml
    profile = server[1].profile(_key(server, speaker))
    assert [v["area"] for v in profile.values.values()] == ["relationships"]


def test_a_value_without_an_obvious_area_is_asked_about(speaker: Speaker, server):
    speaker.launch()
    said = speaker.say(I.NAME_VALUE, value="being brave")
    assert said.startswith("Thank you. Is being brave mostly about people, work, fun, health or home?")
    said = speaker.say(I.GET_SMALL_STEP, lifeArea=custom("my health", "mind_body_spirituality",
                                                          "LifeAreaType"))
    assert "lean towards health steps" in said
    profile = server[1].profile(_key(server, speaker))
    assert list(profile.values.values()) == [{"area": "mind_body_spirituality", "text": "being brave"}]



@pytest.mark.parametrize("value", ["I failed again", "being someone who should cope"])
def test_a_persons_words_the_skill_never_says_are_not_said_back(speaker: Speaker, server,
                                                                value: str) -> None:
    """The person may say "failed"; the skill does not repeat it to them (the language
    rules hold for every reply): "that" takes their words' place, and they are kept."""
    speaker.launch()
    said = speaker.say(I.NAME_VALUE, value=value)
    assert said.startswith("Thank you. Is that mostly about people, work, fun, health or home?")
    said = speaker.say(I.GET_SMALL_STEP, lifeArea=custom("people", "relationships",
                                                          "LifeAreaType"))
    assert said.startswith("Thank you. That matters to you")
    profile = server[1].profile(_key(server, speaker))
    assert [v["text"] for v in profile.values.values()] == [value]

def test_relapse_plan_offered_saved_and_read_back(speaker: Speaker, server):
    speaker.launch()
    said = speaker.say(I.RELAPSE_PLAN)
    assert said.startswith("Let's make a plan for harder days.") and speaker.pending == "relapse"
    assert speaker.say(I.YES).startswith("Saved.")
    said = speaker.say(I.RELAPSE_PLAN)
    assert said.startswith("For harder days: if a few days pass without steps or your mood dips, try ")


def test_delete_my_data_needs_confirmation_and_removes_everything(speaker: Speaker, server,
                                                                    skill_env):
    start(speaker)
    person = _key(server, speaker)
    said = speaker.say(I.DELETE_MY_DATA)
    assert said.startswith("This removes everything") and speaker.pending == "delete"
    assert speaker.last["response"]["directives"][0]["type"] == "Dialog.ConfirmIntent"
    assert speaker.say(I.NO) == "Okay, nothing has been deleted."
    assert server[1].is_enrolled(person)
    assert speaker.say(I.DELETE_MY_DATA, confirmation="CONFIRMED").startswith("Done. Everything")
    assert not server[1].is_enrolled(person)
    speaker.say(I.DELETE_MY_DATA)
    assert speaker.say(I.YES) == "There's nothing stored about you, so there's nothing to delete."


def test_disabling_the_skill_removes_the_accounts_data(speaker: Speaker, server):
    start(speaker)
    person = _key(server, speaker)
    event = speaker.device.envelope({"type": "AlexaSkillEvent.SkillDisabled",
                                     "body": {"userInformation": {"consentToken": None}}})
    event.pop("session")
    speaker.send(event)
    assert not server[1].is_enrolled(person)


@pytest.mark.parametrize(("heard", "value"), [
    ("six", 6), ("about a five", 5), ("a seven out of ten", 7), ("I dunno, four?", 4),
    ("10", 10), ("zero", 0),
])
def test_a_mood_said_in_words_is_taken(speaker: Speaker, server, heard, value):
    """Alexa sends digits when it heard a number; test tools, the console and people's
    fragments carry the words: a heard number never gets a lecture."""
    start(speaker)
    speaker.say(I.LOG_DONE)
    said = speaker.say(I.RATE_MOOD, mood=heard)
    assert said.startswith(f"Thank you, that's a {value}."), said
    step = server[1].today(_key(server, speaker)).steps[0]
    assert step.mood_after == value


@pytest.mark.parametrize("words", [
    "feel awful", "don't know", "forgot", "couldn't", "need help", "didn't feel like it",
    "dunno four", "still need to make my bed",
])
def test_a_feeling_or_a_not_is_never_logged_as_done(speaker: Speaker, server, words):
    """The sample "I {activity}" catches feelings and refusals; the words name no step,
    so nothing is logged, whatever step is waiting (the one just taken included)."""
    start(speaker)  # "yes": making your bed is added for today and under discussion
    said = speaker.say(I.LOG_DONE, activity=activity(words, None))
    assert "didn't log anything just now" in said and speaker.open
    assert "How do you feel now" not in said
    steps = server[1].today(_key(server, speaker)).steps
    assert [s.status for s in steps] == ["pending"]


@pytest.mark.parametrize("words", ["don't know", "feel awful"])
def test_a_feeling_at_the_mood_question_leaves_the_step_done_and_says_so_truly(
        speaker: Speaker, server, words):
    """After "I did it", the mood question may be answered with a feeling: the step
    stays done, nothing claims otherwise, and a number can still be given."""
    start(speaker)
    speaker.say(I.LOG_DONE)
    said = speaker.say(I.LOG_DONE, activity=activity(words, None))
    assert "a number isn't needed" in said and "haven't marked" not in said
    assert speaker.pending == "mood_after"
    assert [s.status for s in server[1].today(_key(server, speaker)).steps] == ["done"]
    assert speaker.say(I.RATE_MOOD, mood="4").startswith("Thank you, that's a 4.")


def test_i_did_it_right_after_a_step_is_offered_logs_that_step(speaker: Speaker, server):
    """The offered step is the one the turn is about: "I did it" logs it, not "which?"."""
    speaker.launch()  # first run: "... Shall we start with making your bed?"
    assert speaker.pending == "offer"
    said = speaker.say(I.LOG_DONE)
    assert said.startswith("You made your bed.") and speaker.pending == "mood_after"
    steps = server[1].today(_key(server, speaker)).steps
    assert [(s.activity_id, s.status) for s in steps] == [("make-bed", "done")]


def test_i_did_it_after_the_smaller_version_is_offered_logs_the_smaller_version(
        speaker: Speaker, server):
    speaker.launch()
    speaker.say(I.MAKE_IT_SMALLER)  # the offer, made smaller
    assert speaker.pending == "offer"
    said = speaker.say(I.LOG_DONE)
    assert "How do you feel now" in said
    [step] = server[1].today(_key(server, speaker)).steps
    assert (step.activity_id, step.status, step.is_smaller) == ("make-bed", "done", True)


def test_words_that_name_no_step_get_asked_which_not_logged(speaker: Speaker, server):
    start(speaker)
    said = speaker.say(I.LOG_DONE, activity=activity("ate a sandwich", None))
    assert said.startswith("Which step did you do") and speaker.pending == "which_done"
    assert [s.status for s in server[1].today(_key(server, speaker)).steps] == ["pending"]
    said = speaker.say(I.LOG_DONE, activity=activity("made my bed", "make-bed"))
    assert said.startswith("You made your bed.")


def test_i_did_it_with_two_steps_waiting_and_none_discussed_asks_which(speaker: Speaker,
                                                                       server):
    start(speaker)
    speaker.end()
    person = _key(server, speaker)
    server[1].schedule_step(person, "water-plants", server[1].today(person).day, "evening")
    said = speaker.say(I.LOG_DONE)  # a new session: nothing under discussion
    assert said.startswith("Which step did you do")
    assert {s.status for s in server[1].today(person).steps} == {"pending"}


def test_i_did_it_with_one_step_waiting_logs_that_step(speaker: Speaker, server):
    start(speaker)
    speaker.end()
    said = speaker.say(I.LOG_DONE)  # a new session; the only step waiting today
    assert said.startswith("You made your bed.")


# -- safety --------------------------------------------------------------------------------

@pytest.mark.parametrize(("locale", "number", "emergency"), [
    ("en-US", "nine eight eight", "nine one one"),
    ("en-CA", "nine eight eight", "nine one one"),
    ("en-GB", "one one six, one two three", "nine nine nine"),
    ("en-AU", "thirteen, eleven, fourteen", "triple zero"),
    ("en-IN", "one four four one six", "one one two"),
])
def test_crisis_is_answered_first_with_the_locales_line(server, clock, locale, number, emergency):
    speaker = Speaker(server[0], clock, locale=locale)
    said = speaker.say(I.CRISIS)
    assert number in said and emergency in said
    # Honest about what a speaker can do: it offers the number again, not company.
    assert said.endswith("Shall I say it again?") and speaker.open
    assert "stay quietly" not in said
    assert "How about" not in said and "small step" not in said
    assert speaker.card["title"] == "Useful numbers"  # neutral: the app may be someone else's
    stay = speaker.say(I.YES)
    assert number in stay and "any time" in stay and speaker.open
    leave = speaker.say(I.STOP)
    assert number in leave and not speaker.open


def test_while_the_crisis_holds_every_answer_but_stop_gives_the_line_again(speaker: Speaker):
    """No small step, no cheerful prompt, in the middle of a crisis: whatever the person
    says next (short of leaving), the line again, honestly."""
    start(speaker)
    speaker.say(I.CRISIS)
    for intent, slots in ((I.GET_SMALL_STEP, {}), (I.WEEKLY_SUMMARY, {}),
                          (I.RATE_MOOD, {"mood": "2"}), (I.FALLBACK, {}),
                          (I.SOMETHING_ELSE, {}), (I.HELP, {})):
        said = speaker.say(intent, **slots)
        assert "one one six, one two three" in said, (intent, said)
        assert "can't stay on the line like a person can" in said
        assert "small step" not in said and speaker.pending == "crisis", (intent, said)
    again = speaker.say(I.REPEAT)
    assert "one one six, one two three" in again
    leave = speaker.say(I.STOP)
    assert "one one six, one two three" in leave and not speaker.open


@pytest.mark.parametrize(("locale", "heard", "never"), [
    ("en-IE", ("Samaritans", "one one six, one two three", "one one two"), ("nine one one",)),
    ("en-NZ", ("Need to Talk", "one seven three seven", "one one one"),
     ("thirteen", "triple zero", "nine eight")),
    ("de-DE", ("your local emergency number",), ("nine eight eight", "nine one one")),
])
def test_crisis_from_a_locale_without_its_own_model_names_its_own_country_or_none(
        server, clock, locale, heard, never):
    """Never another country's number: Ireland hears Ireland's line; a country whose
    line the skill does not know hears "your local emergency number", on the card too."""
    speaker = Speaker(server[0], clock, locale=locale)
    said = speaker.say(I.CRISIS)
    assert all(words in said for words in heard), said
    assert not any(words in said for words in never), said
    card = speaker.card["content"]
    assert not any(n in card for n in ("988", "911", "13 11 14", "000")), card
    assert speaker.open and speaker.pending == "crisis"
    leave = speaker.say(I.STOP)
    assert heard[0] in leave and not any(words in leave for words in never)


@pytest.mark.parametrize(("intent", "slot", "words"), [
    (I.NAME_VALUE, "value", "what matters is that i want to die"),
    (I.LOG_NOT_DONE, "barrier", "i don't want to be alive anymore"),
    (I.SCHEDULE_STEP, "activity", "end my life"),
])
def test_crisis_words_in_a_free_text_slot_get_the_crisis_answer(speaker: Speaker, server, intent,
                                                                slot, words):
    start(speaker)
    said = speaker.say(intent, **{slot: words})
    assert "one one six, one two three" in said and speaker.pending == "crisis"
    week = server[1].week(_key(server, speaker))
    assert week.safety_offers == 1
    assert [s.status for s in week.steps] == ["pending"]  # nothing else was done with it


@pytest.mark.parametrize("word", ["dead", "gone", "I'm dead"])
def test_one_ambiguous_word_as_an_answer_asks_gently_if_the_person_is_safe(
        speaker: Speaker, server, word):
    """'What got in the way?' answered with one ambiguous word: not stored as a barrier,
    not a crisis yet, but a gentle check; "no" gives the line at once."""
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.BARRIER, barrier=custom(word, None, "BarrierType"))
    assert said.endswith("Are you safe right now?") and speaker.pending == "safety_check"
    steps = server[1].today(_key(server, speaker)).steps
    assert [s.barrier for s in steps] == [None]
    crisis = speaker.say(I.NO)
    assert "one one six, one two three" in crisis and speaker.pending == "crisis"


def test_safe_after_the_check_names_help_once_and_ends_kindly(speaker: Speaker):
    start(speaker)
    speaker.say(I.NAME_VALUE, value="gone")
    said = speaker.say(I.YES)
    assert said.startswith("I'm glad.") and "I need support now" in said
    assert not speaker.open


def test_anything_but_yes_after_the_check_errs_towards_help(speaker: Speaker):
    start(speaker)
    speaker.say(I.NAME_VALUE, value="dead")
    said = speaker.say(I.GET_SMALL_STEP)
    assert "one one six, one two three" in said and speaker.pending == "crisis"


def test_end_it_as_an_answer_is_crisis_language(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.BARRIER, barrier=custom("end it", None, "BarrierType"))
    assert "one one six, one two three" in said and speaker.pending == "crisis"


def test_crisis_before_enrolment_records_only_that_resources_were_offered(server, clock,
                                                                         skill_env):
    speaker = Speaker(server[0], clock, locale="en-AU")
    speaker.say(I.CRISIS)
    assert b"want to die" not in _store_bytes(skill_env)


# -- built-ins, identity, time zone, errors ------------------------------------------------

def test_help_stop_cancel_home_repeat_and_unknown(speaker: Speaker):
    said = speaker.say(I.HELP)
    assert "self-help tool, not professional care" in said and speaker.open
    assert speaker.say(I.REPEAT) == said
    assert speaker.say(I.STOP) == "Take care. Small steps count." and not speaker.open
    speaker.launch()
    assert speaker.say(I.CANCEL) == "Okay. Take care." and not speaker.open
    assert speaker.say(I.NAVIGATE_HOME) == "Okay. See you soon." and not speaker.open
    assert speaker.say("SomeIntentFromTheFuture").startswith("Sorry, I didn't catch that.")
    assert speaker.open
    assert speaker.say(I.YES).startswith("Okay. You can ask for today's small step")
    assert speaker.say(I.NO) == "Okay. Take care."
    assert speaker.say(I.START_OVER).startswith("Here's one: making your bed")


def test_stop_and_cancel_end_the_session_in_every_dialog_state(speaker: Speaker):
    for opener in ((I.LOG_DONE,), (I.DELETE_MY_DATA,), (I.PLAN_WEEK,)):
        start(speaker)
        speaker.say(*opener)
        assert speaker.open
        speaker.say(I.CANCEL)
        assert not speaker.open and speaker.pending is None


def test_a_voice_profile_is_its_own_person_and_ids_are_stored_hashed(server, clock, skill_env):
    account = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.SHARED")
    voice = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.SHARED",
                    person_id="amzn1.ask.person.RUTH")
    start(account)
    account.say(I.LOG_DONE)
    account.say(I.RATE_MOOD, mood="6")
    assert voice.launch().startswith("Welcome to Small Steps.")
    data = _store_bytes(skill_env)
    assert b"SHARED" not in data and b"RUTH" not in data


def test_time_zone_comes_from_the_device_cached_and_falls_back(server, clock, alexa_api):
    # 08:00 UTC on Monday is still Sunday evening in Honolulu.
    alexa_api.zones["amzn1.ask.device.LOCAL-CONSOLE"] = "Pacific/Honolulu"
    speaker = Speaker(server[0], clock, locale="en-US", api_endpoint=alexa_api.url)
    start(speaker)
    person = _key(server, speaker)
    assert server[1].profile(person).time_zone == "Pacific/Honolulu"
    assert server[1].today(person).day == date(2026, 11, 22)
    calls = alexa_api.calls
    speaker.say(I.GET_SMALL_STEP)
    assert alexa_api.calls == calls  # cached per device
    other = Speaker(server[0], clock, locale="en-US", api_endpoint=alexa_api.url,
                    device_id="amzn1.ask.device.OTHER", user_id="amzn1.ask.account.OTHER")
    alexa_api.failing = True
    assert other.launch().startswith("Welcome to Small Steps.")
    assert server[1].profile(_key(server, other)).time_zone == "America/New_York"  # the locale's


def test_an_exception_gets_a_kind_answer_and_keeps_what_was_stored(speaker: Speaker, server,
                                                                    monkeypatch):
    start(speaker)
    person = _key(server, speaker)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(SmallSteps, "week", broken)
    said = speaker.say(I.WEEKLY_SUMMARY)
    assert said.startswith("Sorry, something went wrong on my side.")
    assert "safe" in said and not speaker.open
    monkeypatch.undo()
    assert [s.activity_id for s in server[1].week(person).steps] == ["make-bed"]


# -- helpers --------------------------------------------------------------------------------

def _key(server, speaker: Speaker) -> str:
    """The stored person key of the speaker (the server's keyed hash)."""
    return person_key(speaker)


def _store_bytes(env: dict[str, str]) -> bytes:
    path = Path(env["SMALL_STEPS_STORE"].removeprefix("sqlite:///"))
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(FULL)")
    data = path.read_bytes()
    for extra in (path.with_name(path.name + "-wal"),):
        if extra.exists():
            data += extra.read_bytes()
    return data


def test_store_bytes_helper_sees_what_is_stored(speaker: Speaker, skill_env):
    speaker.launch()
    speaker.say(I.NAME_VALUE, value="being there for my brother")
    assert b"there for my brother" in _store_bytes(skill_env)


def test_a_pin_guards_the_summary_unless_alexa_knows_the_voice(server, clock):
    account = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.HOME")
    start(account)
    assert account.say(I.SET_PIN) == "Which four digits would you like as your PIN?"
    assert account.say(I.RATE_MOOD, mood="12345").startswith("A PIN is four digits")
    assert account.say(I.RATE_MOOD, mood="0482").startswith("Could you say those four digits once")
    assert account.say(I.RATE_MOOD, mood="0483").startswith("Those weren't the same four digits")
    assert account.say(I.RATE_MOOD, mood="0482").startswith("Could you say those four digits once")
    assert account.say(I.RATE_MOOD, mood="482").startswith("Done. Your summary now needs your PIN")
    assert account.say(I.WEEKLY_SUMMARY) == "Your summary is private. What's your four-digit PIN?"
    assert account.say(I.RATE_MOOD, mood="1111") == "That doesn't match. What's your four-digit PIN?"
    assert account.say(I.RATE_MOOD, mood="482").startswith(
        "This week, you planned one step and it hasn't happened yet")
    assert account.card["title"] == "Your week"
    account.say(I.WEEKLY_SUMMARY)
    account.say(I.RATE_MOOD, mood="1111")
    assert account.say(I.RATE_MOOD, mood="2222").startswith("That doesn't match either")
    assert not account.open and account.card is None
    account.say(I.SET_PIN, pin="7777")
    assert account.say(I.WEEKLY_SUMMARY).startswith("Your summary is private.")
    voice = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.HOME",
                    person_id="amzn1.ask.person.ASHA")
    start(voice)
    voice.set_pin("1234")
    assert voice.say(I.WEEKLY_SUMMARY).startswith("This week, you planned one step")


def test_a_returning_person_with_todays_steps_done_is_asked_for_a_mood(speaker: Speaker):
    start(speaker)
    speaker.say(I.LOG_DONE)
    speaker.say(I.RATE_MOOD, mood="6")
    said = speaker.launch()
    assert said == "Hello again. You've done 1 step today. Would you like to tell me your mood?"
    assert speaker.pending == "mood_ask"
    assert speaker.say(I.YES) == "From zero to ten, how do you feel right now?"
    assert speaker.say(I.RATE_MOOD, mood="7").startswith("Thanks, a 7, noted.")


def test_while_the_views_are_rebuilt_a_far_behind_question_is_answered_gently(
        speaker: Speaker, server: tuple[str, SmallSteps], monkeypatch: pytest.MonkeyPatch):
    import domain.projections.catchup as app_module

    start(speaker)
    speaker.say(I.LOG_DONE)
    speaker.say(I.RATE_MOOD, mood="6")
    _, app = server
    stored = app.recorder.max_notification_id()
    app.views.reset()  # a rebuild has begun
    monkeypatch.setattr(app_module, "QUERY_CATCH_UP", 1)
    said = speaker.say(I.WEEKLY_SUMMARY)
    assert said == ("I'm just bringing your notes up to date. Anything you've told me is "
                    "safe. Please ask me again in a minute.")
    assert not speaker.open
    assert app.recorder.max_notification_id() == stored  # nothing lost, nothing added
    monkeypatch.setattr(app_module, "QUERY_CATCH_UP", 5_000)
    assert "went wrong" not in speaker.say(I.WEEKLY_SUMMARY)
    assert app.views.position() == stored


def test_a_step_done_yesterday_is_never_logged_as_todays(speaker: Speaker, server):
    start(speaker)
    said = speaker.say(I.LOG_DONE, activity=activity("it yesterday", None))
    assert said == ("Thanks for telling me. I can only log today's steps for now, so I haven't "
                    "logged that as today's.")
    assert [s.status for s in server[1].today(_key(server, speaker)).steps] == ["pending"]


# -- the guard's limits (issue 12) -----------------------------------------------------

def _home(server, clock, **kw) -> Speaker:
    return Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.HOME", **kw)


def test_changing_a_pin_needs_the_current_one(server, clock):
    owner = _home(server, clock)
    start(owner)
    owner.set_pin("4821")
    flatmate = _home(server, clock)  # the same account, a voice Alexa does not know
    said = flatmate.say(I.SET_PIN, pin="1234")
    assert said == "You have a PIN already. First, what's your current PIN?"
    assert flatmate.pending == "pin_current"
    assert flatmate.say(I.RATE_MOOD, mood="1111").startswith("That doesn't match.")
    said = flatmate.say(I.NO)
    assert "disable Small Steps in the Alexa app" in said and not flatmate.open
    person = _key(server, owner)
    assert server[1].check_pin(person, "4821") and not server[1].check_pin(person, "1234")
    # With the current PIN, the new one is asked for, and only then set.
    assert owner.say(I.SET_PIN).startswith("You have a PIN already.")
    assert owner.say(I.RATE_MOOD, mood="4821") == "Which four digits would you like as your PIN?"
    assert owner.say(I.RATE_MOOD, mood="2468").startswith("Could you say those four digits once")
    assert owner.say(I.RATE_MOOD, mood="2468").startswith("Done.")
    assert server[1].check_pin(person, "2468")
    # A voice Alexa recognises is its own person with its own guard: no current PIN asked.
    voice = _home(server, clock, person_id="amzn1.ask.person.ASHA")
    start(voice)
    voice.set_pin("1357")
    assert voice.set_pin("9753").startswith("Done.")


def test_wrong_pins_are_limited_across_sessions_then_kindly_paused(server, clock):
    owner = _home(server, clock)
    start(owner)
    owner.set_pin("4821")
    guesser = _home(server, clock)
    guesser.say(I.WEEKLY_SUMMARY)
    guesser.say(I.RATE_MOOD, mood="1111")
    assert guesser.say(I.RATE_MOOD, mood="2222").startswith("That doesn't match either")
    guesser.say(I.WEEKLY_SUMMARY)  # a new session: the count is in the store
    paused = "Let's leave that for now; you can try again in a little while."
    assert guesser.say(I.RATE_MOOD, mood="3333") == paused and not guesser.open
    # For 15 minutes of the app's clock, even the right PIN is not taken, anywhere.
    assert owner.say(I.WEEKLY_SUMMARY) == paused and owner.card is None
    assert owner.say(I.SET_PIN) == paused
    assert owner.say(I.DELETE_MY_DATA) == paused
    clock.advance(minutes=14)
    assert owner.say(I.WEEKLY_SUMMARY) == paused
    clock.advance(minutes=1)
    assert owner.say(I.WEEKLY_SUMMARY).startswith("Your summary is private.")
    assert owner.say(I.RATE_MOOD, mood="4821").startswith("This week")
    # A right PIN clears the count: two wrong tries later are not yet a pause.
    owner.say(I.WEEKLY_SUMMARY)
    owner.say(I.RATE_MOOD, mood="1111")
    owner.say(I.RATE_MOOD, mood="2222")
    assert owner.say(I.WEEKLY_SUMMARY).startswith("Your summary is private.")


def test_deleting_needs_the_pin_when_one_is_set(server, clock):
    owner = _home(server, clock)
    start(owner)
    person = _key(server, owner)
    owner.set_pin("4821")
    flatmate = _home(server, clock)
    assert flatmate.say(I.DELETE_MY_DATA) == "Your data is private. What's your four-digit PIN?"
    assert "What's your four-digit PIN?" in flatmate.say(I.YES)  # "yes" is no PIN
    assert flatmate.say(I.RATE_MOOD, mood="1111").startswith("That doesn't match.")
    assert "Alexa app" in flatmate.say(I.NO)
    # An intent already confirmed does not pass the guard either.
    said = flatmate.say(I.DELETE_MY_DATA, confirmation="CONFIRMED")
    assert said.startswith("Your data is private.")
    assert server[1].is_enrolled(person)
    flatmate.say(I.CANCEL)
    owner.say(I.DELETE_MY_DATA)
    assert owner.say(I.RATE_MOOD, mood="4821").startswith("This removes everything")
    assert owner.pending == "delete"
    assert owner.say(I.YES).startswith("Done. Everything")
    assert not server[1].is_enrolled(person)
