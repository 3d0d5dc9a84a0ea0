"""Opening the skill: a quiet check-in in the 72 hours after the crisis line was given,
else a first-run introduction, today's step, or a gentle way back."""

from __future__ import annotations

import logging
from datetime import timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.conversation.base import Turn, answers
from skill.conversation.handlers.privacy import guarded
from skill.conversation.handlers.safety import distress_reply
from skill.conversation.handlers.today import offer_suggestion, present_today
from skill.conversation.states import DialogState
from skill.model import I

log = logging.getLogger(__name__)

CHECK_IN_FOR = timedelta(hours=72)  # after crisis resources were offered

WELCOME_KEYS = {"step": "welcome_step", "suggest": "welcome_suggest",
                "all_done": "welcome_all_done", "all_done_state": DialogState.MOOD_ASK}


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn(handler_input)
        if _offered_lately(turn):
            turn.expect(DialogState.CHECK_IN)
            # Behind the guard, whoever opens may not be the person who was struggling.
            return turn.say("check_in_guarded" if guarded(turn) else "check_in")
        turn.ctx.profile()
        if turn.ctx.is_new:
            suggestion = turn.app.suggest(turn.ctx.profile())
            return offer_suggestion(turn, "intro", suggestion)
        lapse = turn.app.lapse(turn.ctx.profile())
        today = turn.app.today(turn.ctx.profile())
        if lapse.should_prompt and today.small_step is None and today.suggestion is not None:
            return offer_suggestion(turn, "welcome_back", today.suggestion, smaller=True)
        return present_today(turn, WELCOME_KEYS)


@answers(I.YES, DialogState.MOOD_ASK)
def ask_mood(turn: Turn) -> Response:
    turn.expect(DialogState.MOOD)
    return turn.say("mood_ask")


def _offered_lately(turn: Turn) -> bool:
    """Whether crisis resources were offered to the person in the last 72 hours (one
    view row; an error reading it never stands in the way of the opening)."""
    try:
        last = turn.app.last_safety_offer(turn.ctx.person)
    except Exception:  # noqa: BLE001
        log.exception("could not read when safety resources were last offered")
        return False
    return last is not None and turn.app.clock.now() - last < CHECK_IN_FOR


@answers(I.YES, DialogState.CHECK_IN)
def doing_okay(turn: Turn) -> Response:
    """Okay: carry on gently, and only if they want to (a "yes" hears today's step)."""
    turn.expect(DialogState.WANT_STEP)
    return turn.say("check_in_ok")


@answers(I.NO, DialogState.CHECK_IN)
def not_okay(turn: Turn) -> Response:
    """Not okay: no step; where help is, with the line of their country."""
    return distress_reply(turn)
