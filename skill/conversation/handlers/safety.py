"""Crisis language, answered first and at once: the dedicated intent, any free-text slot,
and the turns that follow (staying on quietly, or leaving the number)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.conversation.base import CRISIS, PENDING, IntentHandler, Turn, answers
from skill.conversation.safety import is_ambiguous_risk, is_crisis_language
from skill.conversation.states import DialogState
from skill.model import I

log = logging.getLogger(__name__)


def crisis_reply(turn: Turn) -> Response:
    """The crisis line for the request's locale, a card repeating it, an offer to stay."""
    try:
        turn.app.record_safety_offered(turn.ctx.person, turn.ctx.locale)
    except Exception:  # noqa: BLE001 - the reply must never wait on the store
        log.exception("could not record that safety resources were offered")
    speech = turn.speech
    turn.session[CRISIS] = True
    turn.expect(DialogState.CRISIS)
    turn.card("crisis_card_title", speech.crisis_card())
    key, fields = speech.crisis("crisis")
    return turn.say(key, **fields)


class CrisisIntentHandler(IntentHandler):
    intents = (I.CRISIS,)

    def respond(self, turn: Turn) -> Response:
        return crisis_reply(turn)


def _any_slot(handler_input: HandlerInput, heard: Callable[[str], bool]) -> bool:
    """Whether the words heard in any slot of an intent request are such."""
    if not is_request_type("IntentRequest")(handler_input):
        return False
    intent = handler_input.request_envelope.request.intent
    return any(heard(slot.value) for slot in (intent.slots or {}).values()
               if slot is not None and isinstance(slot.value, str))


class CrisisInSlotHandler(AbstractRequestHandler):
    """Any slot whose heard words sound like crisis language, whatever the intent."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _any_slot(handler_input, is_crisis_language)

    def handle(self, handler_input: HandlerInput) -> Response:
        return crisis_reply(Turn(handler_input))


class RiskWordInSlotHandler(AbstractRequestHandler):
    """A free-text answer that is, as a whole, one ambiguous word ("dead", "gone"): a
    gentle "are you safe right now?" before anything else is done with it. False
    alarms cost too: the crisis state waits for the answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _any_slot(handler_input, is_ambiguous_risk)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn(handler_input)
        turn.expect(DialogState.SAFETY_CHECK)
        return turn.say("safety_check")


@answers(I.YES, DialogState.SAFETY_CHECK)
def safe(turn: Turn) -> Response:
    return turn.say("safety_ok")


@answers(I.NO, DialogState.SAFETY_CHECK)
def not_safe(turn: Turn) -> Response:
    return crisis_reply(turn)


class CrisisHoldsHandler(AbstractRequestHandler):
    """While the crisis state holds, every request but the ones that leave it (or say
    the line again) answers with the line again: never a small step or a cheerful
    prompt in the middle of it."""

    LEAVE_OR_REPEAT = frozenset({I.YES, I.NO, I.STOP, I.CANCEL, I.REPEAT, I.CRISIS})

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_request_type("IntentRequest")(handler_input):
            return False
        pending = handler_input.attributes_manager.session_attributes.get(PENDING) or {}
        name = handler_input.request_envelope.request.intent.name
        if pending.get("what") == DialogState.SAFETY_CHECK:
            return name != I.YES and name != I.NO  # no clear "yes": err towards help
        return pending.get("what") == DialogState.CRISIS and name not in self.LEAVE_OR_REPEAT

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn(handler_input)
        if turn.pending.get("what") == DialogState.SAFETY_CHECK:
            return crisis_reply(turn)
        turn.expect(DialogState.CRISIS)
        key, fields = turn.speech.crisis("crisis_again")
        return turn.say(key, **fields)


@answers(I.YES, DialogState.CRISIS)
def stay(turn: Turn) -> Response:
    turn.expect(DialogState.CRISIS)
    key, fields = turn.speech.crisis("crisis_stay")
    return turn.say(key, **fields)


@answers(I.NO, DialogState.CRISIS)
@answers(I.STOP, DialogState.CRISIS)
@answers(I.CANCEL, DialogState.CRISIS)
def leave(turn: Turn) -> Response:
    speech = turn.speech
    turn.card("crisis_card_title", speech.crisis_card())
    key, fields = speech.crisis("crisis_leave")
    return turn.say(key, **fields)
