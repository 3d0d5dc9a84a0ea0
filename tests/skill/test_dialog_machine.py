"""The dialog as a state machine, walked over HTTP: every dialog state × every intent of
the interaction model, each pair sent as a real request envelope to the real Flask app
on a real store (the harness checks every reply: SSML, language rules, reprompts).

Each pair gets a deliberate answer (`policy()` in skill/conversation/states.py): the
state's own answer, the question asked again (the state kept), a clean end, or the
state left and the new request served. Never an accidental fall-through: whatever the
pair, a step is logged done only by "I did it", a mood only where a number is a mood,
a barrier only when one was said, and nothing breaks."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from domain.app import SmallSteps
from skill.conversation import base
from skill.conversation.handlers import request_handlers
from skill.conversation.identity import IdentityHasher
from skill.conversation.states import (
    ENDED, LEFT, REASK, REASKED, SAFETY, SAFETY_STATES, DialogState, policy,
)
from skill.devtools.envelopes import SlotValue, spoken_text
from skill.model import I, model_path
from tests.skill.harness import Speaker, activity, custom

TODAY = date(2026, 11, 23)  # the clock fixture's Monday, in London
QUESTION, REPROMPT = "The open question.", "The open question, again?"
ERROR = "something went wrong"


def model_intents() -> list[str]:
    model = json.loads(model_path("en-GB").read_text())
    return [i["name"] for i in model["interactionModel"]["languageModel"]["intents"]]


# What a person says with each intent: everyday slot values (none for most).
SLOTS: dict[str, dict[str, SlotValue | str]] = {
    I.LOG_DONE: {},  # a bare "I did it": the hardest case for guessing
    I.LOG_NOT_DONE: {},
    I.BARRIER: {"barrier": custom("too tired", "tired", I.BARRIER_TYPE)},
    I.RATE_MOOD: {"mood": "4"},
    I.SCHEDULE_STEP: {"activity": activity("a walk", "walk-around-block"), "date": "2026-11-25"},
    I.MOVE_STEP: {"date": "2026-11-25"},
    I.SWAP_STEP: {"activity": activity("water the plants", "water-plants")},
    I.PAIR_WITH_ROUTINE: {"routine": custom("breakfast", "breakfast", I.ROUTINE_TYPE)},
    I.NAME_VALUE: {"value": "being a good friend"},
    I.SET_PIN: {"pin": "1234"},
    I.GET_SMALL_STEP: {},
    I.FEELING: {"feeling": custom("rubbish", "low", I.FEELING_TYPE)},
}


def _pending(state: DialogState, step: str) -> dict:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    data = {
        DialogState.OFFER: {"activity": "walk-around-block", "smaller": False},
        DialogState.VALUE_AREA: {"text": "being a good friend"},
        DialogState.PIN: {"which": "this_week", "tries": 0},
        DialogState.OFFER_TIME: {"step": step, "day": tomorrow, "part": None},
        DialogState.RELAPSE: {"boosters": ["make-bed"]},
        DialogState.CONFIRM_NOT_TODAY: {"step": step, "barrier": "no_time"},
    }.get(state, {})
    if state in (DialogState.DOABLE, DialogState.MOOD_AFTER, DialogState.RATE_ENJOYMENT,
                 DialogState.RATE_MASTERY, DialogState.BARRIER, DialogState.OFFER_SMALLER):
        data = {"step": step}
    return {"what": state.value, **data}


@dataclass
class Record:
    """What the store holds for the person, as the invariants look at it."""

    done: int
    not_done: int
    moods: int
    barriers: tuple
    steps: int

    @classmethod
    def of(cls, app: SmallSteps, person: str) -> Record:
        week = app.week(person)
        return cls(week.total.done, week.total.not_done, week.mood_count, week.barriers,
                   len(week.steps))


class Walk:
    """One person per pair: a step planned today, the state open, the intent said."""

    def __init__(self, server, speaker: Speaker):
        self.url, self.app = server
        self.speaker = speaker
        self.hasher = IdentityHasher(b"test-identity-key")

    def setup(self, state: DialogState, name: str, open_state: bool = True) -> tuple[str, str]:
        device = self.speaker.device
        device.user_id = f"amzn1.ask.account.WALK-{state.value}-{name}-{open_state}"
        person = self.hasher.identify(None, device.user_id).key
        self.app.enrol(person, "en-GB", "Europe/London")
        step = self.app.schedule_step(person, "make-bed", TODAY)
        if state in (DialogState.MOOD_AFTER, DialogState.RATE_ENJOYMENT,
                     DialogState.RATE_MASTERY):
            self.app.log_done(person, step_id=step)
        if state in (DialogState.OFFER_SMALLER, DialogState.OFFER_TIME):
            self.app.log_not_done(person, step_id=step, barrier="tired")
        pending = _pending(state, step)
        if state == DialogState.PLAN:  # the plan the skill itself proposes
            pending["steps"] = [
                {"activity": p["activity"], "day": p["day"].isoformat(),
                 "part_of_day": p["part_of_day"]}
                for p in self.app.propose_week(person, count=3)]
        device.new_session()
        device.attributes = {"pending": pending, "focus": step,
                             "last": [QUESTION, REPROMPT]}
        if not open_state:  # the same person and steps, with no question open
            del device.attributes["pending"]
        return person, step

    def say(self, name: str) -> dict:
        speaker = self.speaker
        return speaker.send(speaker.device.intent(name, SLOTS.get(name), speaker._now()))


def _policy(name: str, state: DialogState) -> str:
    return policy(name, state, (name, state) in base._ANSWERS, base.safety_intents())


@pytest.fixture
def walk(server, speaker) -> Walk:
    request_handlers()  # every answer registered
    return Walk(server, speaker)


@pytest.mark.parametrize("state", list(DialogState), ids=lambda s: s.value)
def test_every_intent_in_every_state_gets_a_deliberate_answer(walk: Walk, state: DialogState):
    for name in model_intents():
        person, step = walk.setup(state, name)
        before = Record.of(walk.app, person)
        body = walk.say(name)
        decided = _policy(name, state)
        response = body["response"]
        said = spoken_text(body)
        where = f"{state.value} × {name} ({decided}): {said!r}"
        assert ERROR not in said, where
        if name != I.FALLBACK and decided != SAFETY:  # never the catch-all by accident
            assert not said.startswith("Sorry, I didn't catch that."), where
        pending = ((body.get("sessionAttributes") or {}).get("pending") or {}).get("what")
        open_ = response.get("shouldEndSession") is False
        if decided == REASKED:
            asked = QUESTION if name == I.REPEAT else REPROMPT  # repeat: as first asked
            assert open_ and pending == state.value and said.endswith(asked), where
        if decided == ENDED:
            assert not open_ and not pending, where
        if decided == LEFT and state != DialogState.BARRIER:  # (leaving it logs first)
            # Served as if nothing were open: the same words as with no state at all.
            walk.setup(state, name, open_state=False)
            plain = walk.say(name)
            assert said == spoken_text(plain), f"{where} / with no state: {spoken_text(plain)!r}"
            assert response.get("shouldEndSession") == plain["response"].get("shouldEndSession")
        if state == DialogState.DELETE and name == I.YES:
            continue  # erased: nothing left to look at
        after = Record.of(walk.app, person)
        # Never an accidental action: each record changes only for what says it.
        if after.done > before.done:
            assert name == I.LOG_DONE and decided in (LEFT, "answered"), where
        if after.moods > before.moods:
            assert name == I.RATE_MOOD and I.RATE_MOOD not in REASK.get(state, ()), where
        # ("yes" to "shall I leave it for another day?" records the reason said before it)
        confirmed = state == DialogState.CONFIRM_NOT_TODAY and name == I.YES
        if after.barriers != before.barriers:
            assert (name in (I.BARRIER, I.LOG_NOT_DONE) and decided != REASKED) or confirmed, where
        if after.not_done > before.not_done:
            assert name in (I.BARRIER, I.LOG_NOT_DONE, I.NO, I.FALLBACK, I.LOG_DONE) \
                or state == DialogState.BARRIER or confirmed, where
        if after.steps > before.steps:
            assert name in (I.YES, I.SCHEDULE_STEP, I.MOVE_STEP, I.LOG_DONE), where
        if state == DialogState.WHICH_DONE and name == I.YES:
            assert after == before, where  # "yes" to "which step?" adds nothing
        if state == DialogState.BARRIER and name == I.RATE_MOOD:
            assert after == before and pending == "barrier", where  # no mood said in passing
        if decided == ENDED and state == DialogState.BARRIER:
            assert (after.not_done, after.barriers) == (before.not_done + 1, before.barriers), where
        elif decided == ENDED:
            assert after == before, where


@pytest.mark.parametrize("state", [s for s in DialogState if s not in SAFETY_STATES],
                         ids=lambda s: s.value)
def test_walking_away_mid_question_records_nothing_on_a_guess(walk: Walk, state: DialogState):
    """A SessionEndedRequest in every state: at "what got in the way?" the step is not
    today, without a reason; anywhere else nothing is recorded."""
    person, step = walk.setup(state, "SessionEnded")
    before = Record.of(walk.app, person)
    walk.speaker.send(walk.speaker.device.session_ended(now=walk.speaker._now()))
    after = Record.of(walk.app, person)
    if state == DialogState.BARRIER:
        assert (after.not_done, after.barriers) == (before.not_done + 1, before.barriers)
    else:
        assert after == before


def test_the_state_machine_covers_every_pair():
    """Every state × intent of the model is decided by the table; the figures."""
    request_handlers()
    intents = model_intents()
    decided = Counter(_policy(n, s) for s in DialogState for n in intents)
    assert sum(decided.values()) == len(DialogState) * len(intents)
    assert set(decided) <= {"answered", REASKED, ENDED, LEFT, SAFETY}
    # help, repeat and the ends are never left to fall through
    for state in DialogState:
        if state in SAFETY_STATES:
            continue
        # (a state may answer them itself: "repeat" after distress says the line again,
        # "stop" there leaves the number; the walk over HTTP checks what is said)
        for name in (I.HELP, I.REPEAT):
            assert _policy(name, state) in ("answered", REASKED), (state, name)
        for name in (I.STOP, I.CANCEL, I.NAVIGATE_HOME):
            assert _policy(name, state) in ("answered", ENDED), (state, name)
        assert _policy(I.FALLBACK, state) in ("answered", REASKED), state


def test_the_docs_hold_the_state_table():
    """docs/conversation.md carries the table the code decides by (base.dialog_table)."""
    request_handlers()
    doc = (Path(__file__).parents[2] / "docs" / "conversation.md").read_text()
    table = base.dialog_table(model_intents())
    assert table in doc, "docs/conversation.md is stale: paste base.dialog_table() into it\n" + table
    intents = model_intents()
    n = Counter(_policy(i, s) for s in DialogState for i in intents)
    figures = (f"({len(DialogState)} states × {len(intents)} intents: {sum(n.values())} pairs; "
               f"{n['answered']} answered, {n[REASKED]} asked again, {n[ENDED]} ended, "
               f"{n[LEFT]} left and served, {n[SAFETY]} the safety handlers')")
    assert figures in " ".join(doc.split()), figures
