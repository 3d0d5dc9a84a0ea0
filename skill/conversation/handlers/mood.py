"""Mood by itself: "my mood is four", "I feel like a six"."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation.base import IntentHandler, Turn, answers
from skill.conversation.handlers.log import mood_value, not_a_mood
from skill.conversation.states import DialogState
from skill.model import I

LOW_MOOD = 2


class RateMoodHandler(IntentHandler):
    intents = (I.RATE_MOOD,)

    def respond(self, turn: Turn) -> Response:
        value = mood_value(turn)
        if value is None:
            turn.expect(DialogState.MOOD)
            return turn.say(not_a_mood(turn))
        turn.ctx.profile()
        turn.app.rate_mood(turn.ctx.person, value)
        turn.expect(DialogState.WANT_STEP)
        return turn.say("mood_noted_low" if value <= LOW_MOOD else "mood_noted", mood=value)


@answers(I.NO, DialogState.MOOD, DialogState.MOOD_ASK)
def no_mood(turn: Turn) -> Response:
    return turn.say("no_nothing")


@answers(I.FALLBACK, DialogState.MOOD, DialogState.MOOD_AFTER)
@answers(I.BARRIER, DialogState.MOOD, DialogState.MOOD_AFTER)
def not_a_number(turn: Turn) -> Response:
    """Anything but a number while a mood is asked for: ask again, kindly."""
    return turn.say("mood_invalid")


@answers(I.FALLBACK, DialogState.RATE_ENJOYMENT, DialogState.RATE_MASTERY)
@answers(I.BARRIER, DialogState.RATE_ENJOYMENT, DialogState.RATE_MASTERY)
def not_a_rating(turn: Turn) -> Response:
    return turn.say("rating_invalid")


@answers(I.RATE_MOOD, DialogState.MOOD, DialogState.MOOD_ASK)
def asked_mood(turn: Turn) -> Response:
    return RateMoodHandler().respond(turn)
