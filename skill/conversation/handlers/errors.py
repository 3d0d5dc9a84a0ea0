"""When a command is refused or something breaks: a kind spoken answer, never silence.

Domain refusals store nothing (the domain guarantees it), so the person hears what to do
next. Anything unexpected is logged with its traceback on the server and answered with
an apology that says their earlier logs are safe."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from eventsourcing.persistence import IntegrityError

from domain.errors import DomainError
from domain.unit import DuplicateDelivery
from skill.conversation.base import PENDING, Turn
from skill.conversation.context import CTX, TURN_FAILED, NoIdentity
from skill.conversation.states import DialogState
from skill.speech import speech_for

log = logging.getLogger(__name__)

# A refusal's code → what the person hears.
REFUSALS = {
    "daily_cap_reached": "today_full",
    "invalid_date": "invalid_date",
    "unknown_activity": "unknown_activity",
    "unknown_step": "no_step_today",
    "no_step_to_log": "no_step_today",
    "step_already_done": "changed_done_step",
    "step_already_logged": "already_not_today",
    "cannot_make_smaller": "already_smallest",
    "invalid_rating": "mood_invalid",
    "invalid_text": "too_long",
    "views_catching_up": "catching_up",
}
# A refusal that asks something → the dialog state it leaves open.
FOLLOW_UPS = {"no_step_today": DialogState.WANT_STEP, "already_smallest": DialogState.WANT_OTHER,
              "mood_invalid": DialogState.MOOD}


class DomainErrorHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, DomainError) and CTX in \
            handler_input.attributes_manager.request_attributes

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        key = REFUSALS.get(getattr(exception, "code", ""), "error")
        log.info("refused: %s", getattr(exception, "code", type(exception).__name__))
        turn = Turn(handler_input)
        if key in FOLLOW_UPS:
            turn.expect(FOLLOW_UPS[key])
        elif turn.speech.is_open(key):
            turn.clear()
        return turn.say(key)


class CatchAllHandler(AbstractExceptionHandler):
    """Everything but what the edge settles itself: a turn that lost a race with
    another writer of the same week (IntegrityError, when a query made the turn
    record before its end) is acted again there, and a repeated delivery
    (DuplicateDelivery) is answered there with the first one's reply."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, (IntegrityError, DuplicateDelivery))

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        if isinstance(exception, NoIdentity):
            log.warning("request without a user id")
        else:
            log.error("unexpected error while handling a request", exc_info=exception)
        TURN_FAILED.set(True)
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        said = speech_for(locale).turn("error")
        handler_input.attributes_manager.session_attributes.pop(PENDING, None)
        return (handler_input.response_builder.speak(said.ssml)
                .set_should_end_session(True).response)
