"""Mood by itself: "my mood is four", "I feel like a six"."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.base import IntentHandler, Turn, answers
from skill.handlers.log import mood_value
from skill.model import I

LOW_MOOD = 2


class RateMoodHandler(IntentHandler):
    intents = (I.RATE_MOOD,)

    def respond(self, turn: Turn) -> Response:
        value = mood_value(turn)
        if value is None:
            turn.expect("mood")
            return turn.say("mood_invalid")
        turn.ctx.profile()
        turn.app.rate_mood(turn.ctx.person, value)
        turn.expect("want_step")
        return turn.say("mood_noted_low" if value <= LOW_MOOD else "mood_noted", mood=value)


@answers(I.NO, "mood", "mood_ask")
def no_mood(turn: Turn) -> Response:
    return turn.say("no_nothing")


@answers(I.FALLBACK, "mood", "mood_after")
@answers(I.BARRIER, "mood", "mood_after")
def not_a_number(turn: Turn) -> Response:
    """Anything but a number while a mood is asked for: ask again, kindly."""
    return turn.say("mood_invalid")


@answers(I.FALLBACK, "rate_enjoyment", "rate_mastery")
@answers(I.BARRIER, "rate_enjoyment", "rate_mastery")
def not_a_rating(turn: Turn) -> Response:
    return turn.say("rating_invalid")


@answers(I.RATE_MOOD, "mood", "mood_ask")
def asked_mood(turn: Turn) -> Response:
    return RateMoodHandler().respond(turn)
