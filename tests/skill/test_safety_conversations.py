"""Issue 11, the safety points, over HTTP with real envelopes (the harness checks every
reply: SSML parses, the language rules hold, an open turn has a reprompt).

Crisis words anywhere in free text; distress that is not crisis; a low mood wherever it
is given; the line of the device's country; the turns after a crisis (an honest offer,
a neutral card, and for 72 hours a quiet check-in when the skill is opened)."""

from __future__ import annotations

import pytest

from domain.clock import FixedClock
from skill.model import I
from tests.skill.harness import (
    AlexaApiFake, Speaker, activity, custom, person_key, take_first_step,
)

BARRIER = "BarrierType"
SAMARITANS = "one one six, one two three"
DEVICE = "amzn1.ask.device.LOCAL-CONSOLE"


start, _key = take_first_step, person_key


def _steps(server, speaker: Speaker) -> list:
    return list(server[1].today(_key(speaker)).steps)


# -- 1. crisis words in free text -----------------------------------------------------------

@pytest.mark.parametrize(("intent", "slot", "words"), [
    (I.BARRIER, "barrier", "tired of living"),
    (I.BARRIER, "barrier", "life isn't worth it"),
    (I.NAME_VALUE, "value", "I've taken pills"),
    (I.NAME_VALUE, "value", "I've written a note"),
    (I.LOG_NOT_DONE, "barrier", "end it"),
    (I.LOG_DONE, "activity", "I'd like to be dead"),
    (I.SCHEDULE_STEP, "activity", "sleep forever I want to sleep forever"),
])
def test_explicit_crisis_words_in_any_free_text_slot_go_straight_to_the_line(
        speaker: Speaker, server, intent, slot, words):
    start(speaker)
    said = speaker.say(intent, **{slot: words})
    assert SAMARITANS in said and speaker.pending == "crisis", said
    assert [s.status for s in _steps(server, speaker)] == ["pending"]  # nothing else done


@pytest.mark.parametrize("words", [
    "dead",  # "I'd like to be dead" heard as its slot value alone
    "gone", "asleep forever", "nothing matters to me",
    "honestly I feel dead these days",  # an ambiguous word inside a longer answer
    "I just want to disappear",
])
def test_an_ambiguous_word_whole_or_in_part_gets_the_gentle_check_first(
        speaker: Speaker, server, words):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.BARRIER, barrier=custom(words, None, BARRIER))
    assert said == "It sounded like things might be very hard. Are you safe right now?"
    assert speaker.pending == "safety_check"
    assert [s.barrier for s in _steps(server, speaker)] == [None]  # not stored
    assert SAMARITANS in speaker.say(I.NO) and speaker.pending == "crisis"


@pytest.mark.parametrize("words", [
    "my plants are dead", "I'm dead tired", "this traffic is killing me", "my cold is gone",
    "I took my pills this morning", "I could kill for a coffee",
])
def test_everyday_words_in_a_barrier_are_a_barrier_not_a_crisis(speaker: Speaker, server,
                                                               words):
    start(speaker)
    speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(I.BARRIER, barrier=custom(words, None, BARRIER))
    assert said.startswith("Thanks for telling me.") and speaker.pending == "offer_smaller"
    assert SAMARITANS not in said
    assert [s.barrier for s in _steps(server, speaker)] == ["other"]


# -- 3. distress -----------------------------------------------------------------------------

def test_the_distress_intent_lifts_the_step_off_and_names_the_line(speaker: Speaker, server):
    start(speaker)
    said = speaker.say(I.DISTRESS)
    assert said.startswith("That sounds really heavy. You don't need to do a step now.")
    assert f"You can call Samaritans on {SAMARITANS}, any time." in said
    assert "small step" not in said and speaker.pending == "distress"
    assert speaker.card is None  # not the crisis: nothing recorded, no card
    assert server[1].week(_key(speaker)).safety_offers == 0
    again = speaker.say(I.YES)
    assert SAMARITANS in again and not speaker.open
    assert [s.status for s in _steps(server, speaker)] == ["pending"]  # lifted, not removed


@pytest.mark.parametrize(("intent", "slot", "words"), [
    (I.BARRIER, "barrier", "what's the point"),
    (I.LOG_DONE, "activity", "feel hopeless"),
    (I.NAME_VALUE, "value", "I can't cope"),
])
def test_distress_in_a_free_text_slot_is_heard_not_used(speaker: Speaker, server, intent, slot,
                                                        words):
    """'What's the point' as what got in the way used to hear 'Setbacks are useful
    information': now it hears that it sounds heavy, and where help is."""
    start(speaker)
    if intent == I.BARRIER:
        speaker.say(I.LOG_NOT_DONE)
    said = speaker.say(intent, **{slot: words})
    assert said.startswith("That sounds really heavy.") and SAMARITANS in said
    assert "Setbacks" not in said and speaker.pending == "distress"
    assert [(s.status, s.barrier) for s in _steps(server, speaker)] == [("pending", None)]
    leave = speaker.say(I.NO)
    assert "I need support now" in leave and not speaker.open


# -- 4. low mood -----------------------------------------------------------------------------

def test_a_low_mood_by_itself_offers_the_smallest_version_and_names_help_once(
        speaker: Speaker, server):
    start(speaker)  # make your bed, today
    said = speaker.say(I.RATE_MOOD, mood="3")
    assert said.startswith("Thanks for telling me; a 3 sounds hard.")
    assert "I need support now" in said and "pulling the covers up straight" in said
    assert speaker.pending == "offer_smaller"
    assert speaker.say(I.YES).startswith("Okay, smaller: pulling the covers up straight.")
    assert not speaker.open
    later = speaker.say(I.RATE_MOOD, mood="1")  # a new session: named once more
    assert "I need support now" in later and "already tiny: pulling the covers up straight" in later
    assert speaker.pending == "doable"  # the step stays; it is already at its smallest
    assert [s.status for s in _steps(server, speaker)] == ["pending"]
    # the same session: a low mood after the step is met warmly, help not named again
    assert speaker.say(I.LOG_DONE).startswith(
        "You did the smaller version: pulling the covers up straight.")
    again = speaker.say(I.RATE_MOOD, mood="2")
    assert again.startswith("Thank you, that's a 2.") and "I need support now" not in again
    week = server[1].week(_key(speaker))
    assert week.mood_count == 3


def test_a_mood_of_four_is_not_low(speaker: Speaker):
    start(speaker)
    assert speaker.say(I.RATE_MOOD, mood="4").startswith("Thanks, a 4, noted.")


def test_a_low_mood_at_the_openings_mood_question_is_met_warmly(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_DONE)
    speaker.say(I.RATE_MOOD, mood="6")
    assert speaker.launch().endswith("Would you like to tell me your mood?")
    assert speaker.say(I.YES)
    said = speaker.say(I.RATE_MOOD, mood="1")
    assert said.startswith("Thanks for telling me; a 1 sounds hard.") and "I need support now" in said
    assert speaker.open  # a tiny step offered, not pressed


def test_a_low_mood_right_after_a_step_is_met_warmly_and_the_step_stays_done(
        speaker: Speaker, server):
    start(speaker)
    speaker.say(I.LOG_DONE)
    said = speaker.say(I.RATE_MOOD, mood="1")
    assert said.startswith("Thank you, that's a 1.") and "you still did it" in said
    assert "I need support now" in said and "Noticing how you feel" not in said
    assert [(s.status, s.mood_after) for s in _steps(server, speaker)] == [("done", 1)]


def test_a_low_mood_after_a_step_offers_the_next_one_at_its_smallest(speaker: Speaker, server):
    start(speaker)
    speaker.say(I.SCHEDULE_STEP, activity=activity("take a short walk", "walk-around-block"))
    speaker.say(I.LOG_DONE, activity=activity("made my bed", "make-bed"))
    said = speaker.say(I.RATE_MOOD, mood="2")
    assert said.startswith("Thank you, that's a 2, and you did it.") and "Want that?" in said
    assert speaker.pending == "offer_smaller"
    steps = {s.activity_id: s.status for s in _steps(server, speaker)}
    assert steps == {"make-bed": "done", "walk-around-block": "pending"}


# -- 5. the right country's line -------------------------------------------------------------

@pytest.mark.parametrize(("locale", "zone", "heard", "never"), [
    ("en-GB", "Europe/Dublin", [SAMARITANS, "one one two, or nine nine nine"], ["85258"]),
    ("en-GB", "Europe/London", [SAMARITANS, "nine nine nine"], ["one one two"]),
    ("en-AU", "Pacific/Auckland", ["Need to Talk", "one seven three seven", "one one one"],
     ["thirteen, eleven, fourteen", "triple zero"]),
    ("en-AU", "Australia/Sydney", ["Lifeline", "thirteen, eleven, fourteen", "triple zero"],
     ["one seven three seven"]),
    ("en-US", "America/Toronto", ["the Suicide Crisis Helpline on nine eight eight"],
     ["the Suicide and Crisis Lifeline"]),
    ("en-GB", "Europe/Berlin", ["your local emergency number"], [SAMARITANS, "nine nine nine"]),
])
def test_the_line_is_chosen_by_the_devices_country(server, clock, alexa_api: AlexaApiFake,
                                                   locale, zone, heard, never):
    alexa_api.zones[DEVICE] = zone
    speaker = Speaker(server[0], clock, locale=locale, api_endpoint=alexa_api.url)
    said = speaker.say(I.CRISIS)
    assert all(words in said for words in heard), said
    assert not any(words in said for words in never), said
    card = speaker.card["content"]
    assert not any(words in card for words in never), card


def test_without_the_devices_zone_the_locale_decides(server, clock, alexa_api: AlexaApiFake):
    alexa_api.failing = True
    speaker = Speaker(server[0], clock, locale="en-AU", api_endpoint=alexa_api.url)
    assert "thirteen, eleven, fourteen" in speaker.say(I.CRISIS)
    nz = Speaker(server[0], clock, locale="en-NZ", user_id="amzn1.ask.account.NZ")
    assert "one seven three seven" in nz.say(I.CRISIS)


def test_a_zone_remembered_from_another_locale_never_picks_the_line(server, clock):
    """A person first heard in en-GB (their stored zone: Europe/London), now on an en-US
    device whose zone cannot be read: the request's locale decides (988), never the
    remembered zone's country (Samaritans)."""
    gb = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.MOVED")
    gb.launch()
    us = Speaker(server[0], clock, locale="en-US", user_id="amzn1.ask.account.MOVED")
    said = us.say(I.CRISIS)
    assert "nine eight eight" in said and "nine one one" in said, said
    assert SAMARITANS not in said and "nine nine nine" not in said, said
    assert "116 123" not in us.card["content"]
    # the remembered zone still helps where it fits the locale: en-GB hears the UK line
    assert "nine nine nine" in gb.say(I.CRISIS)


def test_a_text_line_is_named_for_people_who_cannot_talk_aloud(speaker: Speaker,
                                                              alexa_api: AlexaApiFake):
    speaker.say(I.CRISIS)
    assert "text SHOUT to 85258" in speaker.card["content"]
    stay = speaker.say(I.YES)
    assert "If talking is hard, you can text the word shout to eight five two five eight" in stay


def test_ireland_names_its_text_line_on_the_card(server, clock, alexa_api: AlexaApiFake):
    alexa_api.zones[DEVICE] = "Europe/Dublin"
    speaker = Speaker(server[0], clock, locale="en-GB", api_endpoint=alexa_api.url)
    speaker.say(I.CRISIS)
    card = speaker.card["content"]
    assert "116 123" in card and "50808" in card and "112 or 999" in card
    assert "85258" not in card  # Shout is for UK residents


# -- 6. after a crisis turn ------------------------------------------------------------------

def test_the_offer_is_honest_and_the_card_neutral(speaker: Speaker):
    speaker.say(I.CRISIS)
    card = speaker.card
    assert card["title"] == "Useful numbers"
    assert card["content"] == ("Samaritans: 116 123 (call), any time. Or text SHOUT to 85258. "
                               "Emergency: 999.")
    said = speaker.say(I.GET_SMALL_STEP)
    assert said.startswith("I can't stay on the line like a person can; Samaritans can, any time.")


def test_for_72_hours_after_the_line_an_opening_is_a_quiet_check_in(speaker: Speaker, server,
                                                                     clock: FixedClock):
    start(speaker)
    speaker.say(I.CRISIS)
    speaker.say(I.STOP)
    assert server[1].last_safety_offer(_key(speaker)) == clock.now()
    clock.advance(hours=71)
    said = speaker.launch()
    assert said == "Hello. Last time things sounded very hard. Are you doing okay right now?"
    assert speaker.pending == "check_in" and "small step" not in said
    okay = speaker.say(I.YES)
    assert okay.startswith("I'm glad. We can go gently.") and speaker.pending == "want_step"
    assert "making your bed" in speaker.say(I.YES)  # only now, and only because they asked
    speaker.launch()
    not_okay = speaker.say(I.NO)
    assert not_okay.startswith("That sounds really heavy.") and SAMARITANS in not_okay
    clock.advance(hours=2)  # 73 hours after: an ordinary opening (here, the way back)
    ordinary = speaker.launch()
    assert "Last time" not in ordinary and "pulling the covers up straight" in ordinary
    assert speaker.pending == "offer"


def test_a_new_crisis_starts_the_72_hours_again(speaker: Speaker, server, clock: FixedClock):
    start(speaker)
    speaker.say(I.CRISIS)
    speaker.say(I.STOP)
    clock.advance(hours=60)
    speaker.launch()
    speaker.say(I.CRISIS)
    speaker.say(I.STOP)
    clock.advance(hours=60)  # 120 hours after the first, 60 after the second
    assert speaker.launch().startswith("Hello. Last time things sounded very hard.")



def test_behind_the_guard_the_check_in_says_nothing_of_last_time(server, clock: FixedClock):
    """Whoever opens the skill on the account may not be the person who was struggling:
    with a PIN set, the check-in still comes, and says nothing of last time."""
    speaker = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.SHARED")
    start(speaker)
    speaker.set_pin("1470")
    speaker.say(I.CRISIS)
    speaker.say(I.STOP)
    said = speaker.launch()
    assert said == "Hello. Before we start, are you doing okay right now?"
    assert speaker.pending == "check_in"
    assert speaker.say(I.YES).startswith("I'm glad.")

def test_a_check_in_before_enrolment_too(server, clock: FixedClock):
    speaker = Speaker(server[0], clock, locale="en-GB")
    speaker.say(I.CRISIS)  # before any profile: safety never waits for one
    speaker.say(I.STOP)
    clock.advance(hours=1)
    assert speaker.launch().startswith("Hello. Last time things sounded very hard.")
