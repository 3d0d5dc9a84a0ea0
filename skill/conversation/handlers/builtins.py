"""Alexa's built-in intents and requests: help, stop, cancel, home, fallback, yes and no
with nothing open, repeat, and the end of a session."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.conversation.base import LAST, IntentHandler, Turn, leave, open_state
from skill.model import I

log = logging.getLogger(__name__)


class HelpHandler(IntentHandler):
    intents = (I.HELP,)

    def respond(self, turn: Turn) -> Response:
        turn.clear()
        return turn.say("help")


class StopHandler(IntentHandler):
    intents = (I.STOP, I.CANCEL)

    def respond(self, turn: Turn) -> Response:
        return turn.say("goodbye" if turn.intent.name == I.STOP else "cancelled")


class NavigateHomeHandler(IntentHandler):
    intents = (I.NAVIGATE_HOME,)

    def respond(self, turn: Turn) -> Response:
        return turn.say("home")


class FallbackHandler(IntentHandler):
    intents = (I.FALLBACK,)

    def respond(self, turn: Turn) -> Response:
        return turn.say("fallback")


class YesHandler(IntentHandler):
    intents = (I.YES,)

    def respond(self, turn: Turn) -> Response:
        turn.clear()
        return turn.say("yes_nothing")


class NoHandler(IntentHandler):
    intents = (I.NO,)

    def respond(self, turn: Turn) -> Response:
        return turn.say("no_nothing")


class RepeatHandler(IntentHandler):
    intents = (I.REPEAT,)

    def respond(self, turn: Turn) -> Response:
        last = turn.session.get(LAST)
        if not last:
            return turn.say("nothing_to_repeat")
        return turn.speak(last[0], last[1])


class SessionEndedHandler(AbstractRequestHandler):
    """The session closed (silence, walking away, an error). The open state is left as
    "stop" leaves it (states.py, ENDED): at "what got in the way?" the step is logged
    not today, without a reason; elsewhere nothing is recorded on a guess."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if getattr(request, "error", None) is not None:
            log.warning("session ended with an Alexa error: %s", request.error.object_type)
        if open_state(handler_input.attributes_manager.session_attributes) is not None:
            try:
                leave(Turn(handler_input))
            except Exception:  # noqa: BLE001 - the session is over: nothing to answer
                log.info("open state not settled at session end", exc_info=True)
        return handler_input.response_builder.response


class UnhandledHandler(AbstractRequestHandler):
    """Anything no other handler takes: an unknown intent gets the fallback's answer; a
    request type the skill does not use gets an empty response."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_request_type("IntentRequest")(handler_input):
            return Turn(handler_input).say("fallback")
        if is_request_type("LaunchRequest")(handler_input):  # pragma: no cover - launch has its own
            return Turn(handler_input).say("fallback")
        return handler_input.response_builder.response
