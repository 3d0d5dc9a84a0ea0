"""A household shares one speaker (issue 12): nothing one person says can read, change or
stop another person's data. Over HTTP, against the real Flask app and a real store.

The account speaks when Alexa does not know the voice (or is not sure of it); a voice
profile Alexa recognises is its own person. Mood history stays behind the household
guard; session state never passes from one speaker to another; disabling the skill
erases every person of the account; cards carry no mood, trend, PIN or crisis detail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.person import person_id
from domain.projections.tables import VIEW_TABLES
from skill.model import I
from skill.speech import speech_for
from tests.domain.test_erasure import aggregate_ids, count_stored, tables
from tests.skill.harness import Speaker, activity, custom, person_key, serving, take_first_step

ACCOUNT = "amzn1.ask.account.HOUSE"
LIFT_LEFT_OUT = "Noticing how you feel is part of this."


def _at_home(server, clock, **device) -> Speaker:
    return Speaker(server[0], clock, locale="en-GB", user_id=device.pop("user_id", ACCOUNT),
                   **device)


def _mood_before_then_after(speaker: Speaker, before: str, after: str,
                            done: dict | None = None) -> str:
    """A mood said on its own, then a step done and the mood after it."""
    speaker.say(I.RATE_MOOD, mood=before)
    speaker.say(I.CANCEL)
    speaker.clock.advance(minutes=10)
    speaker.say(I.LOG_DONE, **(done or {}))
    return speaker.say(I.RATE_MOOD, mood=after)


# -- 3. no mood history around the guard ----------------------------------------------

@pytest.mark.parametrize(("before", "after", "lift"), [
    ("4", "6", "That's up from 4 before."),
    ("6", "6", "The same as before you started, and you did it anyway."),
    ("7", "5", "Noted. Some steps pay off later."),
])
def test_behind_the_guard_the_mood_after_a_step_leaves_the_earlier_one_out(
        server, clock, before, after, lift):
    owner = _at_home(server, clock)
    take_first_step(owner)
    said = _mood_before_then_after(owner, before, after)
    assert said == f"Thank you, that's a {after}. {lift}"  # no guard: the lift is told
    clock.advance(days=1)
    owner.set_pin("4821")
    flatmate = _at_home(server, clock)  # the same account, a voice Alexa does not know
    take_first_step(flatmate)
    said = _mood_before_then_after(flatmate, before, after)  # (a pleasure step today)
    assert said.startswith(f"Thank you, that's a {after}. {LIFT_LEFT_OUT}")
    assert "before" not in said and before not in said.replace(f"a {after}", "")
    # A recognised voice that set its own PIN is its own guard: it hears its lift.
    ruth = _at_home(server, clock, person_id="amzn1.ask.person.RUTH")
    take_first_step(ruth)
    ruth.set_pin("1357")
    assert _mood_before_then_after(ruth, before, after).startswith(
        f"Thank you, that's a {after}. {lift}")


def test_behind_the_guard_a_pleasure_step_asks_its_rating_without_the_earlier_mood(
        server, clock):
    owner = _at_home(server, clock)
    owner.launch()
    owner.set_pin("4821")
    song = activity("played my favourite song", "favourite-song")
    said = _mood_before_then_after(owner, "3", "8", {"activity": song})
    assert said == (f"Thank you, that's an 8. {LIFT_LEFT_OUT} How much did you enjoy it, "
                    "from zero to ten? Or say no thanks.")
    assert owner.pending == "rate_enjoyment"


# -- 5. an unrecognised voice is not the voice profile ------------------------------------

def test_a_pin_set_by_a_recognised_voice_is_hers_and_an_older_one_is_asked_of_everyone(
        server, clock):
    app = server[1]
    ruth = _at_home(server, clock, person_id="amzn1.ask.person.RUTH")
    take_first_step(ruth)
    ruth.set_pin("1357")
    assert app.profile(person_key(ruth)).pin_by_voice
    assert ruth.say(I.WEEKLY_SUMMARY).startswith("This week, you planned one step")
    # A PIN from before the setter was recorded (an event of version 1): it may not have
    # been her voice, so it is asked of her too.
    key = person_id(person_key(ruth))
    version = app.repository.get(key).version
    v1 = {"originator_id": {"_type_": "uuid_hex", "_data_": key.hex},
          "originator_version": version + 1,
          "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-23T09:00:00+00:00"},
          "pin_hash": app.profile(person_key(ruth)).pin_hash,
          "at": {"_type_": "datetime_iso", "_data_": "2026-11-23T09:00:00+00:00"}}
    app.recorder.insert_events([StoredEvent(originator_id=key, originator_version=version + 1,
                                            topic="domain.person:Person.PinSet",
                                            state=json.dumps(v1).encode())])
    assert not app.profile(person_key(ruth)).pin_by_voice
    assert ruth.say(I.WEEKLY_SUMMARY) == "Your summary is private. What's your four-digit PIN?"
    assert ruth.say(I.RATE_MOOD, mood="1357").startswith("This week, you planned one step")


@pytest.mark.parametrize("level", [100, 200, 299])
def test_a_voice_alexa_is_not_sure_of_is_the_account_not_the_voice_profile(
        server, clock, level):
    app = server[1]
    ruth = _at_home(server, clock, person_id="amzn1.ask.person.RUTH")
    take_first_step(ruth)
    ruth.say(I.LOG_DONE)
    ruth.say(I.RATE_MOOD, mood="3")
    unsure = _at_home(server, clock, person_id="amzn1.ask.person.RUTH",
                      person_confidence=level)
    said = unsure.say(I.WEEKLY_SUMMARY)
    assert said.startswith("There's nothing logged for this week yet.")  # not Ruth's week
    unsure.say(I.CANCEL)
    unsure.say(I.RATE_MOOD, mood="9")
    moods = lambda key: (app.week(key).mood_count, app.week(key).mood_average)  # noqa: E731
    assert moods(person_key(ruth)) == (1, 3)
    assert moods(person_key(_at_home(server, clock))) == (1, 9)  # the account's
    sure = _at_home(server, clock, person_id="amzn1.ask.person.RUTH", person_confidence=300)
    assert sure.say(I.WEEKLY_SUMMARY).startswith("This week, you did your one planned step.")


def test_a_question_asked_of_one_voice_is_not_answered_by_another(server, clock):
    app = server[1]
    home = _at_home(server, clock, person_id="amzn1.ask.person.RUTH")
    take_first_step(home)
    ruth = person_key(home)
    assert home.say(I.LOG_DONE).endswith("How do you feel now, from zero to ten?")
    home.device.person_id = None  # the same session: now a voice Alexa does not know
    said = home.say(I.RATE_MOOD, mood="2")
    assert said.startswith("Sorry, I'm not sure who's speaking now, so I've let that "
                           "question go.")
    assert home.open and home.pending is None
    assert app.today(ruth).steps[0].mood_after is None
    assert not app.is_enrolled(person_key(home))  # nothing written for the account either
    home.say(I.STOP)
    # The reverse: the account's "delete everything?" is not confirmed by Ruth's "yes"
    # (Alexa sends the confirmed intent, now with her voice).
    take_first_step(home)
    account = person_key(home)
    assert home.say(I.DELETE_MY_DATA).startswith("This removes everything")
    home.device.person_id = "amzn1.ask.person.RUTH"
    said = home.say(I.DELETE_MY_DATA, confirmation="CONFIRMED")
    assert said.startswith("Sorry, I'm not sure who's speaking now")
    assert app.is_enrolled(account) and app.is_enrolled(ruth)
    # "Repeat" does not say the other person's last words; "stop" still ends cleanly.
    home.say(I.STOP)
    home.say(I.LOG_DONE, activity=activity("made my bed", "make-bed"))
    assert home.pending == "mood_after"  # Ruth's step just done, her mood asked
    home.device.person_id = None
    assert home.say(I.REPEAT).startswith("I haven't said anything yet.")
    home.say(I.LOG_DONE, activity=activity("made my bed", "make-bed"))
    home.device.person_id = "amzn1.ask.person.RUTH"
    assert home.say(I.STOP) == "Take care. Small steps count." and not home.open
    # The crisis line alone holds whoever speaks next: it is for whoever is there.
    home.launch()
    assert "Samaritans" in home.say(I.CRISIS)
    home.device.person_id = None
    assert "Samaritans" in home.say(I.RATE_MOOD, mood="5") and home.pending == "crisis"


# -- 6. disabling the skill erases every person of the account ------------------------------

@pytest.fixture(params=("sqlite", "postgres"))
def any_server(request, store_url_for, skill_env, clock,
               tmp_path) -> Iterator[tuple[str, SmallSteps]]:
    with serving({**skill_env, "SMALL_STEPS_STORE": store_url_for(request.param),
                  "SMALL_STEPS_ERASURE_LEDGER": str(tmp_path / "state" / "erasures.jsonl")},
                 clock) as running:
        yield running


def _in_ledger(path: Path) -> list[str]:
    """The person ids the erasure ledger names, in order."""
    return [json.loads(line)["person_id"] for line in path.read_text().splitlines()]


def _skill_disabled(speaker: Speaker) -> None:
    event = speaker.device.envelope({"type": "AlexaSkillEvent.SkillDisabled",
                                     "body": {"userInformation": {"consentToken": None}}})
    event.pop("session")
    event["context"]["System"].pop("person", None)  # the event names the account only
    speaker.send(event)


def _left_of(app: SmallSteps, key: str) -> dict[str, int]:
    """What the store still holds of a person, counted in its own tables by SQL."""
    ids = aggregate_ids(key)
    left = {table: count_stored(app, table, ids) for table in tables(app)}
    with app.views.reading() as cur:
        for table in (*VIEW_TABLES, "ss_replies"):
            left[table] = cur.one(f"SELECT COUNT(*) AS n FROM {table} WHERE person_id = :p",
                                  {"p": person_id(key).hex})["n"]
    return left


def _lives_a_day(speaker: Speaker) -> str:
    take_first_step(speaker)
    speaker.say(I.LOG_DONE)
    speaker.say(I.RATE_MOOD, mood="6")
    return person_key(speaker)


def test_disabling_the_skill_erases_every_person_of_the_account(any_server, clock, tmp_path):
    app = any_server[1]
    house = [_at_home(any_server, clock),
             _at_home(any_server, clock, person_id="amzn1.ask.person.RUTH"),
             _at_home(any_server, clock, person_id="amzn1.ask.person.ASHA")]
    # Asha first spoke before people were linked to their account: linked on her next turn.
    asha = person_key(house[2])
    app.enrol(asha, "en-GB", "Europe/London")
    assert app.profile(asha).account is None
    keys = [_lives_a_day(speaker) for speaker in house]
    neighbour = _at_home(any_server, clock, user_id="amzn1.ask.account.NEXT-DOOR",
                         person_id="amzn1.ask.person.NOOR")
    other = _lives_a_day(neighbour)
    assert sorted(app.persons_of(person_key(house[0]))) == sorted(keys)
    for key in keys:
        left = _left_of(app, key)
        assert left["ss_steps"] and left["ss_moods"] and left["ss_replies"], left
    before = _left_of(app, other)
    _skill_disabled(house[1])
    for key in keys:
        assert not app.is_enrolled(key)
        assert set(_left_of(app, key).values()) == {0}, key
    assert app.persons_of(person_key(house[0])) == []
    assert _left_of(app, other) == before and app.is_enrolled(other)
    # Each erasure is remembered outside the store, for a restore (the setting's file).
    ledger = tmp_path / "state" / "erasures.jsonl"
    assert sorted(_in_ledger(ledger)) == sorted(person_id(key).hex for key in keys)
    assert neighbour.say(I.WEEKLY_SUMMARY).startswith("This week, you did your one planned")


def test_delete_my_data_erases_only_the_person_speaking(server, clock, tmp_path):
    app = server[1]
    account, ruth = _at_home(server, clock), _at_home(server, clock,
                                                      person_id="amzn1.ask.person.RUTH")
    keys = [_lives_a_day(account), _lives_a_day(ruth)]
    account.say(I.DELETE_MY_DATA)
    assert account.say(I.YES).startswith("Done. Everything")
    assert not app.is_enrolled(keys[0]) and app.is_enrolled(keys[1])
    assert app.persons_of(keys[0]) == [keys[1]]
    # Remembered outside the store, beside its SQLite file by default (for a restore).
    assert _in_ledger(tmp_path / "skill-erasures.jsonl") == [person_id(keys[0]).hex]


# -- 6a. cards --------------------------------------------------------------------------------

HANDLERS = Path(__file__).parents[2] / "skill" / "conversation" / "handlers"
NEVER_ON_A_CARD = re.compile(r"\b(mood|moods|lift|lifted|average|trend|feel|felt|pin|"
                             r"die|dying|hurt|suicid\w*)\b", re.IGNORECASE)


def test_no_card_carries_a_mood_a_trend_a_pin_or_a_crisis_detail(server, clock):
    """Every card the skill can send (every title a handler sets), after a week with moods
    and lifts, the PIN given, and a crisis."""
    app = server[1]
    owner = _at_home(server, clock)
    take_first_step(owner)
    key = person_key(owner)
    app.schedule_step(key, "check-in-call", "2026-11-24")
    _mood_before_then_after(owner, "2", "9")
    owner.set_pin("4821")
    cards = {}
    owner.launch()
    cards[owner.card["title"]] = owner.card["content"]
    owner.say(I.CANCEL)
    owner.say(I.WEEKLY_SUMMARY)
    said = owner.say(I.RATE_MOOD, mood="4821")
    assert "lifted your mood most" in said  # spoken, behind the PIN
    cards[owner.card["title"]] = owner.card["content"]
    owner.say(I.CRISIS)
    cards[owner.card["title"]] = owner.card["content"]
    speech = speech_for("en-GB")
    titles = set(re.findall(r"""\.card\(\s*["'](\w+)["']""",
                            "".join(p.read_text() for p in HANDLERS.glob("*.py"))))
    assert {speech.phrase(t) for t in titles} == set(cards), "a card this test does not walk"
    assert speech.phrase("crisis_card_title") == "Useful numbers"  # neutral
    for title, content in cards.items():
        for text in (title, content):
            assert not NEVER_ON_A_CARD.search(text), (title, text)
            # no PIN; neither mood (9, after a 2) nor the lift (7) in any number
            assert "4821" not in text
            assert not re.search(r"\b[79]\b", re.sub(r"\d{4}-\d\d-\d\d|\d+ \d+|\d{3,}", "", text))


# -- the guard's question: words are not a guess ----------------------------------------------

def test_words_at_the_pin_question_are_not_a_wrong_try(server, clock):
    app = server[1]
    owner = _at_home(server, clock)
    take_first_step(owner)
    owner.set_pin("4821")
    person = person_key(owner)
    not_heard = ("I didn't catch a PIN. What's your four-digit PIN? If you've forgotten it, "
                 "just say no.")
    flatmate = _at_home(server, clock)
    assert flatmate.say(I.WEEKLY_SUMMARY).startswith("Your summary is private.")
    assert flatmate.say(I.FALLBACK) == not_heard and flatmate.pending == "pin"  # "um, what was it"
    said = flatmate.say(I.FALLBACK)
    assert "disable Small Steps in the Alexa app" in said and not flatmate.open
    flatmate.say(I.DELETE_MY_DATA)
    forgot = custom("I forgot", "forgot", "BarrierType")
    assert flatmate.say(I.BARRIER, barrier=forgot) == not_heard
    assert flatmate.say(I.RATE_MOOD, mood="?").startswith("That's okay; the PIN stays")
    flatmate.say(I.SET_PIN)
    assert flatmate.say(I.RATE_MOOD, mood="?") == not_heard
    assert flatmate.pending == "pin_current"
    assert app.profile(person).pin_wrong_tries == 0  # six times words, never a try
    assert flatmate.say(I.RATE_MOOD, mood="4821") == "Which four digits would you like as your PIN?"
    flatmate.say(I.CANCEL)
    # Digits are still tries: the third wrong one in a row pauses the guard.
    flatmate.say(I.WEEKLY_SUMMARY)
    flatmate.say(I.RATE_MOOD, mood="1111")
    flatmate.say(I.RATE_MOOD, mood="2222")
    flatmate.say(I.WEEKLY_SUMMARY)
    assert flatmate.say(I.RATE_MOOD, mood="3333").startswith("Let's leave that for now")


@pytest.mark.parametrize("garbled", [
    {"pending": "x"}, {"pending": {"what": 7}}, {"pending": ["crisis"]}, {"offered": "walk"},
    {"last": "<speak><audio src='https://example.com/a.mp3'/></speak>"}, {"not_followed": "3"},
    {"focus": {"step": 1}}, {"speaker": 5}, {"crisis": "yes"},
])
def test_a_garbled_session_is_dropped_and_the_crisis_line_still_answers(
        speaker: Speaker, garbled: dict) -> None:
    """Alexa sends back only what the skill set: anything else was garbled or forged on
    the way. It is dropped before any handler reads it, so the person hears an answer,
    never the apology, and crisis words always reach the crisis line."""
    speaker.launch()
    speaker.device.attributes = dict(garbled)
    said = speaker.say(I.RATE_MOOD, mood="6")
    assert said.startswith("Thanks, a 6, noted.")
    speaker.device.attributes = dict(garbled)
    said = speaker.say(I.NAME_VALUE, value="I want to die")
    assert "Samaritans" in said


def test_a_new_pin_is_said_twice_and_a_mishearing_sets_nothing(server, clock) -> None:
    """One misheard digit would lock the person out of their own summary: the new PIN
    is asked for once more, set only if both match, and never kept in the session."""
    owner = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.TWICE")
    take_first_step(owner)
    said = owner.say(I.SET_PIN, pin="2468")
    assert said.startswith("Could you say those four digits once more") and owner.open
    assert "2468" not in json.dumps(owner.device.attributes)
    assert owner.say(I.SET_PIN, pin="2486").startswith("Those weren't the same four digits")
    person = person_key(owner)
    assert not server[1].has_pin(person)
    assert owner.say(I.NO) == "Okay, no PIN set."
    assert owner.set_pin("2468").startswith("Done.")
    assert server[1].check_pin(person, "2468")
