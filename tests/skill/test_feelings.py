"""A feeling said by itself ("I feel rubbish", "not great today", "I'm okay", "feeling a
bit better actually"), over HTTP with real envelopes (the harness checks every reply:
SSML, the language rules, a reprompt for every open turn). A fresh tester heard these
answered "Sorry, I didn't catch that", and "I'm okay" at the check-in after a crisis
answered "Sorry, I didn't quite follow". A feeling is never a log, never a barrier, and
a mood is recorded only when a number is given."""

from __future__ import annotations

import json
from datetime import date

import pytest

from domain.clock import FixedClock
from skill.devtools.console import Resolver
from skill.model import I, model_path
from tests.skill.harness import Speaker, custom, person_key

SAMARITANS = "one one six, one two three"
LOW = ("Thanks for telling me. That sounds hard. Say 'I need support now' if you need "
       "someone. Would you like to give it a number from zero to ten?")
LOW_AGAIN = "Thanks for telling me. That sounds hard. Would you like to give it a number from zero to ten?"
NOTED = "Thanks for telling me. Would you like to give it a number from zero to ten?"


def feeling(heard: str, valence: str | None):
    return custom(heard, valence, I.FEELING_TYPE)


_key = person_key


def record(server, speaker: Speaker) -> tuple:
    """Steps done, not today, moods, barriers: what a feeling must never change."""
    app = server[1]
    try:
        week = app.week(_key(speaker))
    except Exception:  # noqa: BLE001 - not enrolled: nothing recorded at all
        return (0, 0, 0, ())
    return (week.total.done, week.total.not_done, week.mood_count, tuple(week.barriers))


def start(speaker: Speaker) -> None:
    """A first run with today's step taken (make your bed), then the question left."""
    speaker.launch()
    speaker.say(I.YES)
    speaker.end()
    speaker.device.new_session()


# -- no question open ---------------------------------------------------------------------

def test_a_low_feeling_is_met_warmly_names_help_once_and_offers_a_number(speaker, server):
    start(speaker)
    before = record(server, speaker)
    said = speaker.say(I.FEELING, feeling=feeling("rubbish", "low"))
    assert said == LOW and speaker.pending == "mood_ask" and speaker.open
    again = speaker.say(I.NO)
    assert again == "Okay. Take care." and not speaker.open
    assert record(server, speaker) == before  # nothing logged, no mood, no barrier


def test_help_is_named_once_a_session(speaker, server):
    start(speaker)
    assert speaker.say(I.FEELING, feeling=feeling("not great", "low")) == LOW
    assert speaker.say(I.FEELING, feeling=feeling("awful", "low")) == LOW_AGAIN


@pytest.mark.parametrize(("heard", "valence"), [
    ("okay", "okay"), ("alright", "okay"), ("better actually", "good"), ("happy", "good"),
    ("weird", None),  # heard, not resolved: thanked for, never guessed low or good
])
def test_an_okay_or_good_feeling_is_thanked_for_and_a_number_is_offered(speaker, server,
                                                                        heard, valence):
    start(speaker)
    before = record(server, speaker)
    said = speaker.say(I.FEELING, feeling=feeling(heard, valence))
    assert said == NOTED and speaker.pending == "mood_ask"
    assert record(server, speaker) == before


def test_a_low_sample_without_the_slot_is_low(speaker, server):
    """"Not feeling great" is a sample of its own, with no slot filled."""
    start(speaker)
    assert speaker.say(I.FEELING) == LOW


def test_a_mood_is_recorded_only_when_a_number_is_given(speaker, server):
    start(speaker)
    before = record(server, speaker)
    speaker.say(I.FEELING, feeling=feeling("a bit better", "good"))
    asked = speaker.say(I.YES)
    assert asked.startswith("From zero to ten, how do you feel right now?")
    assert speaker.pending == "mood" and record(server, speaker) == before
    speaker.say(I.RATE_MOOD, mood="6")
    assert record(server, speaker)[2] == before[2] + 1


def test_a_feeling_said_in_one_shot_before_any_profile(server, clock: FixedClock):
    speaker = Speaker(server[0], clock, locale="en-GB")
    assert speaker.say(I.FEELING, feeling=feeling("rubbish", "low")) == LOW


# -- safety first: distress and crisis words in the slot ------------------------------------

def test_i_feel_hopeless_through_the_feeling_slot_still_hears_the_distress_answer(speaker, server):
    start(speaker)
    said = speaker.say(I.FEELING, feeling=feeling("hopeless", None))
    assert said.startswith("That sounds really heavy.") and SAMARITANS in said
    assert speaker.pending == "distress"


@pytest.mark.parametrize("heard", ["numb", "so alone", "like i'm falling apart", "empty"])
def test_distress_said_as_i_feel_is_heard_though_the_slot_holds_one_word(speaker, server, heard):
    """"I feel numb": the slot holds "numb", which alone is no distress; said as "I feel
    numb" it is, and it is answered so, in any state."""
    start(speaker)
    said = speaker.say(I.FEELING, feeling=feeling(heard, None))
    assert said.startswith("That sounds really heavy.") and speaker.pending == "distress"
    speaker.device.new_session()
    speaker.say(I.SET_PIN)
    said = speaker.say(I.FEELING, feeling=feeling(heard, None))
    assert said.startswith("That sounds really heavy.") and speaker.pending == "distress"


def test_crisis_words_in_the_feeling_slot_go_straight_to_the_line(speaker, server):
    start(speaker)
    said = speaker.say(I.FEELING, feeling=feeling("like ending it all", None))
    assert SAMARITANS in said and speaker.pending == "crisis"


# -- with a question open ---------------------------------------------------------------------

def _check_in(speaker: Speaker, clock: FixedClock) -> None:
    start(speaker)
    speaker.say(I.CRISIS)
    speaker.say(I.STOP)
    clock.advance(hours=1)
    assert speaker.launch().endswith("Are you doing okay right now?")
    assert speaker.pending == "check_in"


@pytest.mark.parametrize(("heard", "valence"), [("okay", "okay"), ("a bit better", "good"),
                                                ("alright i guess", "okay")])
def test_at_the_check_in_im_okay_is_a_yes(speaker, server, clock, heard, valence):
    _check_in(speaker, clock)
    said = speaker.say(I.FEELING, feeling=feeling(heard, valence))
    assert said.startswith("I'm glad. We can go gently.") and speaker.pending == "want_step"


def test_at_the_check_in_a_low_feeling_is_a_no(speaker, server, clock):
    _check_in(speaker, clock)
    said = speaker.say(I.FEELING, feeling=feeling("rubbish", "low"))
    assert said.startswith("That sounds really heavy.") and SAMARITANS in said
    assert "small step" not in said


@pytest.mark.parametrize("state", ["mood", "mood_after"])
def test_while_a_mood_is_asked_a_feeling_needs_no_number_and_the_question_stays(
        speaker, server, state):
    start(speaker)
    speaker.say(I.LOG_DONE)  # the step just offered: how do you feel now?
    assert speaker.pending == "mood_after"
    if state == "mood":
        speaker.device.attributes["pending"] = {"what": "mood"}
    before = record(server, speaker)
    said = speaker.say(I.FEELING, feeling=feeling("rubbish", "low"))
    assert said.startswith("That's okay, a number isn't needed.") and speaker.pending == state
    assert record(server, speaker) == before


def test_after_distress_a_low_feeling_hears_the_line_again_and_okay_leaves(speaker, server):
    start(speaker)
    speaker.say(I.DISTRESS)
    said = speaker.say(I.FEELING, feeling=feeling("awful", "low"))
    assert SAMARITANS in said and not speaker.open
    speaker.device.new_session()
    speaker.say(I.DISTRESS)
    said = speaker.say(I.FEELING, feeling=feeling("okay", "okay"))
    assert said.startswith("Okay. There's nothing you need to do here now.")


def test_where_a_name_is_asked_a_feeling_asks_again(speaker, server):
    start(speaker)
    speaker.say(I.SET_PIN)
    assert speaker.pending == "set_pin"
    said = speaker.say(I.FEELING, feeling=feeling("rubbish", "low"))
    assert said.startswith("Sorry, I didn't quite follow.") and speaker.pending == "set_pin"


# -- what the tester said, through the model ---------------------------------------------------

@pytest.mark.parametrize(("said", "valence"), [
    ("I feel rubbish", "low"), ("not great today", "low"), ("I'm okay", "okay"),
    ("I'm alright I guess", "okay"), ("feeling a bit better actually", "good"),
    ("not feeling great", None),
])
def test_the_testers_words_reach_the_feeling_intent(said, valence):
    resolver = Resolver(json.loads(model_path("en-GB").read_text()), today=date(2026, 11, 23))
    resolved = resolver.resolve(said)
    assert resolved.intent == I.FEELING, said
    slot = resolved.slots.get(I.FEELING_SLOT)
    assert (slot.value_id if slot is not None else None) == valence, said


def test_i_feel_hopeless_is_still_distress_in_the_model():
    resolver = Resolver(json.loads(model_path("en-GB").read_text()))
    assert resolver.resolve("i feel hopeless").intent == I.DISTRESS
