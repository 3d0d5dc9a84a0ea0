"""Delete my data (confirmed), and disabling the skill, which removes a person's data."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import IntentConfirmationStatus, Response
from ask_sdk_model.dialog import ConfirmIntentDirective

from skill.context import CTX
from skill.handlers.base import IntentHandler, Turn, answers
from skill.model import I

log = logging.getLogger(__name__)


class DeleteMyDataHandler(IntentHandler):
    intents = (I.DELETE_MY_DATA,)

    def respond(self, turn: Turn) -> Response:
        status = turn.intent.confirmation_status
        if status == IntentConfirmationStatus.CONFIRMED:
            return erase(turn)
        if status == IntentConfirmationStatus.DENIED:
            return turn.say("delete_kept")
        turn.directive(ConfirmIntentDirective(updated_intent=turn.intent))
        turn.expect("delete")
        return turn.say("delete_confirm")


@answers(I.YES, "delete")
def erase(turn: Turn) -> Response:
    erased = turn.app.erase_person(turn.ctx.person)
    return turn.say("delete_done" if erased else "delete_nothing")


@answers(I.NO, "delete")
def keep(turn: Turn) -> Response:
    return turn.say("delete_kept")


class SkillDisabledHandler(AbstractRequestHandler):
    """Alexa tells the skill it was disabled: the account's data goes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = handler_input.attributes_manager.request_attributes[CTX]
        if ctx.identity is not None:
            ctx.app.erase_person(ctx.person)
            log.info("skill disabled: a person's data was erased")
        return handler_input.response_builder.response
