"""Mood by itself: "my mood is four", "I feel like a six"; and a low mood wherever it is
given (by itself, at the opening's mood question, or right after a step)."""

from __future__ import annotations

from ask_sdk_model import Response

from domain.results import StepView
from skill.conversation.base import HELP_NAMED, OFFERED, IntentHandler, Turn, answers
from skill.conversation.handlers.log import mood_value, not_a_mood
from skill.conversation.states import DialogState
from skill.model import I

# A mood of 3 or below is low: not distress by itself, but acknowledged warmly, the plan
# offered at its smallest (act on the plan, not the mood), and help named once a session.
LOW_MOOD = 3


def is_low(value: int) -> bool:
    return value <= LOW_MOOD


def _key(turn: Turn, key: str) -> str:
    """The turn with the sentence naming help the first time in a session, without it
    after that (help is named once, not every turn)."""
    if turn.session.get(HELP_NAMED):
        return f"{key}_again"
    turn.session[HELP_NAMED] = True
    return key


def low_mood(turn: Turn, value: int) -> Response:
    """A low mood given by itself: today's step at its smallest, never taken away; a
    tiny one offered where none is waiting."""
    speech = turn.speech
    today = turn.app.today(turn.ctx.profile())
    step = today.small_step
    if step is not None:
        turn.set_focus(step.step_id)
        if step.smaller and not step.is_smaller:
            turn.expect(DialogState.OFFER_SMALLER, step=step.step_id)
            return turn.say(_key(turn, "mood_low_smaller"), mood=value,
                            smaller=speech.activity(step.smaller))
        turn.expect(DialogState.DOABLE, step=step.step_id)
        return turn.say(_key(turn, "mood_low_step"), mood=value, title=speech.activity(step.title))
    suggestion = today.suggestion
    if suggestion is not None and sum(1 for s in today.steps if not s.unplanned) < 3:
        offered = turn.session.setdefault(OFFERED, [])
        if suggestion.activity_id not in offered:
            offered.append(suggestion.activity_id)
        turn.expect(DialogState.OFFER, activity=suggestion.activity_id, smaller=True)
        return turn.say(_key(turn, "mood_low_suggest"), mood=value,
                        title=speech.activity(suggestion.smaller))
    return turn.say(_key(turn, "mood_low_rest"), mood=value)


def low_mood_after(turn: Turn, value: int, done: StepView | None) -> Response:
    """A low mood right after a step (already recorded by the caller): the step was
    done and that counts; the next step waiting today is offered at its smallest."""
    today = turn.app.today(turn.ctx.profile())
    done_id = done.step_id if done is not None else None
    waiting = next((s for s in today.steps if s.status == "pending" and s.step_id != done_id),
                   None)
    if waiting is not None and waiting.smaller and not waiting.is_smaller:
        turn.set_focus(waiting.step_id)
        turn.expect(DialogState.OFFER_SMALLER, step=waiting.step_id)
        return turn.say(_key(turn, "mood_after_low_smaller"), mood=value,
                        smaller=turn.speech.activity(waiting.smaller))
    return turn.say(_key(turn, "mood_after_low"), mood=value)


class RateMoodHandler(IntentHandler):
    intents = (I.RATE_MOOD,)

    def respond(self, turn: Turn) -> Response:
        value = mood_value(turn)
        if value is None:
            turn.expect(DialogState.MOOD)
            return turn.say(not_a_mood(turn))
        turn.ctx.profile()
        turn.app.rate_mood(turn.ctx.person, value)
        if is_low(value):
            return low_mood(turn, value)
        turn.expect(DialogState.WANT_STEP)
        return turn.say("mood_noted", mood=value)


@answers(I.NO, DialogState.MOOD, DialogState.MOOD_ASK)
def no_mood(turn: Turn) -> Response:
    return turn.say("no_nothing")


@answers(I.FALLBACK, DialogState.MOOD, DialogState.MOOD_AFTER)
def not_a_number(turn: Turn) -> Response:
    """Words not understood while a mood is asked for: a number may well have been said
    ("I feel awful, like a two"), so never the range as a lecture: not caught, again."""
    return turn.say("mood_not_heard")


@answers(I.BARRIER, DialogState.MOOD, DialogState.MOOD_AFTER)
def a_feeling_not_a_number(turn: Turn) -> Response:
    """"Tired", "stressed" while a mood is asked for: a feeling, met kindly; no number
    needed."""
    return turn.say("mood_feeling")


@answers(I.FALLBACK, DialogState.RATE_ENJOYMENT, DialogState.RATE_MASTERY)
@answers(I.BARRIER, DialogState.RATE_ENJOYMENT, DialogState.RATE_MASTERY)
def not_a_rating(turn: Turn) -> Response:
    return turn.say("rating_invalid")


@answers(I.RATE_MOOD, DialogState.MOOD, DialogState.MOOD_ASK, DialogState.CHECK_IN)
def asked_mood(turn: Turn) -> Response:
    return RateMoodHandler().respond(turn)
