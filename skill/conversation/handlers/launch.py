"""Opening the skill: a first-run introduction, today's step, or a gentle way back."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.conversation.base import Turn, answers
from skill.conversation.handlers.today import offer_suggestion, present_today
from skill.conversation.states import DialogState
from skill.model import I

WELCOME_KEYS = {"step": "welcome_step", "suggest": "welcome_suggest",
                "all_done": "welcome_all_done", "all_done_state": DialogState.MOOD_ASK}


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn(handler_input)
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
