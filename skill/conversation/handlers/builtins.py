"""Alexa's built-in intents and requests: help, stop, cancel, home, fallback, yes and no
with nothing open, repeat, and the end of a session."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.conversation.base import LAST, PENDING, IntentHandler, Turn
from skill.conversation.states import DialogState
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
    """The session closed (silence, "stop" on the device, an error). A step left waiting
    for its barrier is still logged as not today, so nothing said is lost."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if getattr(request, "error", None) is not None:
            log.warning("session ended with an Alexa error: %s", request.error.object_type)
        pending = handler_input.attributes_manager.session_attributes.get(PENDING) or {}
        if pending.get("what") == DialogState.BARRIER:
            turn = Turn(handler_input)
            try:
                turn.app.log_not_done(turn.ctx.person, step_id=pending["step"])
            except Exception:  # noqa: BLE001 - already logged, or gone: nothing to keep
                log.info("step not logged at session end")
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
