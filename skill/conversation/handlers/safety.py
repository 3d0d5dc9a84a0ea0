"""Crisis language, answered first and at once: the dedicated intent, any free-text slot,
and the turns that follow (staying on quietly, or leaving the number). Then distress that
is not crisis ("hopeless", "what's the point"): the step lifted off and help named. The
line is the one of the person's country: by the device's time zone where the Alexa
settings API gives it, else by the request's locale."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from domain.errors import NotEnrolled
from skill.conversation.base import CRISIS, PENDING, IntentHandler, Turn, answers
from skill.conversation.safety import is_ambiguous_risk, is_crisis_language, is_distress, zone_fits_locale
from skill.conversation.states import DialogState
from skill.devices.timezones import device_time_zone
from skill.model import I

log = logging.getLogger(__name__)


def zone(turn: Turn) -> str | None:
    """The device's time zone (cached per device by the settings API client), else the
    zone stored for the person where it lies in a country of the request's locale; None
    otherwise (then the locale decides). Never enrols anyone: safety never waits for a
    profile."""
    found = device_time_zone(turn.hi, turn.ctx.services.zones)
    if found is not None:
        return found
    try:
        stored = turn.app.profile(turn.ctx.person).time_zone
        return stored if zone_fits_locale(stored, turn.ctx.locale) else None
    except NotEnrolled:
        return None
    except Exception:  # noqa: BLE001 - the line must never wait on the store
        log.exception("could not read the person's time zone for the crisis line")
        return None


def crisis_card(turn: Turn, where: str | None) -> None:
    turn.card("crisis_card_title", turn.speech.crisis_card(where))


def crisis_reply(turn: Turn) -> Response:
    """The crisis line for the person's country, a card repeating it, an offer to say
    it again."""
    try:
        turn.app.record_safety_offered(turn.ctx.person, turn.ctx.locale)
    except Exception:  # noqa: BLE001 - the reply must never wait on the store
        log.exception("could not record that safety resources were offered")
    where = zone(turn)
    turn.session[CRISIS] = True
    turn.expect(DialogState.CRISIS)
    crisis_card(turn, where)
    key, fields = turn.speech.crisis("crisis", where)
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
    """A free-text answer with an ambiguous word said of oneself ("dead", "gone",
    "asleep forever", "nothing matters"), as a whole or inside a longer answer: a
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
        key, fields = turn.speech.crisis("crisis_again", zone(turn))
        return turn.say(key, **fields)


@answers(I.YES, DialogState.CRISIS)
def stay(turn: Turn) -> Response:
    turn.expect(DialogState.CRISIS)
    key, fields = turn.speech.crisis("crisis_stay", zone(turn))
    return turn.say(key, **fields)


@answers(I.NO, DialogState.CRISIS)
@answers(I.STOP, DialogState.CRISIS)
@answers(I.CANCEL, DialogState.CRISIS)
def leave(turn: Turn) -> Response:
    where = zone(turn)
    crisis_card(turn, where)
    key, fields = turn.speech.crisis("crisis_leave", where)
    return turn.say(key, **fields)


# -- distress that is not crisis ----------------------------------------------------------

def distress_reply(turn: Turn) -> Response:
    """"That sounds really heavy": the step lifted off, where help is named, no BA
    prompt. Not the crisis state, and nothing is recorded."""
    turn.expect(DialogState.DISTRESS)
    return turn.say("distress", reach=turn.speech.reach(zone(turn)))


class DistressIntentHandler(IntentHandler):
    intents = (I.DISTRESS,)

    def respond(self, turn: Turn) -> Response:
        return distress_reply(turn)


class DistressInSlotHandler(AbstractRequestHandler):
    """Distress in any free-text slot ("what's the point" as what got in the way): the
    same gentle answer, before the slot is used for anything else."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _any_slot(handler_input, is_distress)

    def handle(self, handler_input: HandlerInput) -> Response:
        return distress_reply(Turn(handler_input))


class DistressFeltHandler(AbstractRequestHandler):
    """A feeling said by itself whose words, said as "I feel …", are distress ("I feel
    numb", "I feel so alone"): its slot holds only "numb", so the words are checked as
    said, and answered as distress, whatever the state."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_request_type("IntentRequest")(handler_input):
            return False
        intent = handler_input.request_envelope.request.intent
        if intent.name != I.FEELING:
            return False
        slot = (intent.slots or {}).get(I.FEELING_SLOT)
        value = slot.value if slot is not None and isinstance(slot.value, str) else ""
        return bool(value.strip()) and is_distress(f"i feel {value}")

    def handle(self, handler_input: HandlerInput) -> Response:
        return distress_reply(Turn(handler_input))


@answers(I.YES, DialogState.DISTRESS)
@answers(I.REPEAT, DialogState.DISTRESS)
def distress_repeat(turn: Turn) -> Response:
    return turn.say("distress_repeat", reach=turn.speech.reach(zone(turn)))


@answers(I.NO, DialogState.DISTRESS)
@answers(I.STOP, DialogState.DISTRESS)
@answers(I.CANCEL, DialogState.DISTRESS)
def distress_leave(turn: Turn) -> Response:
    return turn.say("distress_leave")
