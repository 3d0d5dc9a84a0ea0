"""The household guard (the PIN), delete my data (confirmed), disabling the skill (which
erases every person of the account), and a session whose speaker changed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import IntentConfirmationStatus, Response
from ask_sdk_model.dialog import ConfirmIntentDirective

from skill.conversation.base import DROPPED, IntentHandler, Turn, answers
from skill.conversation.context import CTX
from skill.conversation.states import ENDS, KEEPS, DialogState
from skill.model import I

log = logging.getLogger(__name__)


PIN_STATES = (DialogState.PIN, DialogState.PIN_CURRENT, DialogState.DELETE_PIN)


def guarded(turn: Turn) -> bool:
    """The household guard stands here: a PIN is set, and the speaker is not the
    recognised voice that set it (`Person.guards`). Nobody is enrolled by asking."""
    profile = turn.ctx.known_profile()  # read once: the turn's answer reads it too
    return profile is not None and turn.app.guards(profile, turn.ctx.identity.recognised_voice)


def heard_pin(turn: Turn) -> str:
    heard = turn.slot_value(I.MOOD) or turn.slot_value(I.PIN) or ""
    return heard.zfill(4) if heard.isdigit() and len(heard) <= 4 else ""


def try_pin(turn: Turn) -> str:
    """"right", "wrong" or "paused": the tries are counted in the store, across sessions."""
    return turn.app.try_pin(turn.ctx.person, heard_pin(turn) or "none")


def ask_pin(turn: Turn, state: DialogState, key: str, **data: object) -> Response:
    """The guard's question (`key`), its answer awaited in `state`; unless wrong tries
    have paused the guard, which is then said kindly."""
    if turn.app.pin_paused(turn.ctx.person):
        return turn.say("pin_paused")
    turn.expect(state, **data)
    return turn.say(key)


def pin_unheard(turn: Turn) -> Response:
    """No digits at the guard ("um, what was it?", "I forgot"): not a guess, so no try
    is counted. The PIN is asked for once more; the second time, the forgotten-PIN
    answer."""
    pending = dict(turn.pending)
    if pending.get("unheard"):
        return pin_forgotten(turn)
    state = DialogState(pending.pop("what"))
    turn.expect(state, **{**pending, "unheard": 1})
    return turn.say("pin_not_heard")


def on_pin(turn: Turn, state: DialogState, right: Callable[[], Response]) -> Response:
    """The PIN said at the guard: `right()` when it is; the pause said kindly after too
    many wrong tries; else the PIN asked for again, in `state`."""
    if not heard_pin(turn):
        return pin_unheard(turn)
    outcome = try_pin(turn)
    if outcome == "right":
        return right()
    if outcome == "paused":
        return turn.say("pin_paused")
    turn.expect(state)
    return turn.say("pin_wrong")


class DeleteMyDataHandler(IntentHandler):
    intents = (I.DELETE_MY_DATA,)

    def respond(self, turn: Turn) -> Response:
        if guarded(turn):  # the PIN first, whatever the intent's confirmation says
            return ask_pin(turn, DialogState.DELETE_PIN, "delete_pin_ask")
        status = turn.intent.confirmation_status
        if status == IntentConfirmationStatus.CONFIRMED:
            return erase(turn)
        if status == IntentConfirmationStatus.DENIED:
            return turn.say("delete_kept")
        return confirm_delete(turn)


def confirm_delete(turn: Turn) -> Response:
    turn.directive(ConfirmIntentDirective(updated_intent=turn.intent))
    turn.expect(DialogState.DELETE)
    return turn.say("delete_confirm")


@answers(I.RATE_MOOD, DialogState.DELETE_PIN)
@answers(I.SET_PIN, DialogState.DELETE_PIN)
def delete_pin_answer(turn: Turn) -> Response:
    return on_pin(turn, DialogState.DELETE_PIN, lambda: confirm_delete(turn))


@answers(I.NO, DialogState.DELETE_PIN)
@answers(I.NO, DialogState.PIN_CURRENT)
def pin_forgotten(turn: Turn) -> Response:
    return turn.say("pin_forgotten")


@answers(I.FALLBACK, *PIN_STATES)
@answers(I.BARRIER, *PIN_STATES)
def not_a_pin(turn: Turn) -> Response:
    """Words, not digits, at the guard ("um, what was it?", "I forgot"): no try counted."""
    return pin_unheard(turn)


@answers(I.DELETE_MY_DATA, DialogState.DELETE)
def delete_answered(turn: Turn) -> Response:
    """The confirmation asked for (after the guard, where it stands)."""
    status = turn.intent.confirmation_status
    if status == IntentConfirmationStatus.DENIED:
        return turn.say("delete_kept")
    if status == IntentConfirmationStatus.CONFIRMED:
        return erase(turn)
    return confirm_delete(turn)


@answers(I.YES, DialogState.DELETE)
def erase(turn: Turn) -> Response:
    erased = turn.app.erase_person(turn.ctx.person)
    return turn.say("delete_done" if erased else "delete_nothing")


@answers(I.NO, DialogState.DELETE)
def keep(turn: Turn) -> Response:
    return turn.say("delete_kept")


class SetPinHandler(IntentHandler):
    """The household guard: a PIN before the summary, unless Alexa knows the voice."""

    intents = (I.SET_PIN,)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        if guarded(turn):  # replacing a PIN needs the current one first
            return ask_pin(turn, DialogState.PIN_CURRENT, "pin_current_ask")
        return _set_pin(turn, turn.slot_value(I.PIN), asked=False)


@answers(I.RATE_MOOD, DialogState.PIN_CURRENT)
@answers(I.SET_PIN, DialogState.PIN_CURRENT)
def current_pin_answer(turn: Turn) -> Response:
    return on_pin(turn, DialogState.PIN_CURRENT, lambda: _set_pin(turn, None, asked=False))


@answers(I.RATE_MOOD, DialogState.SET_PIN)
@answers(I.SET_PIN, DialogState.SET_PIN)
def pin_chosen(turn: Turn) -> Response:
    return _set_pin(turn, turn.slot_value(I.PIN) or turn.slot_value(I.MOOD), asked=True)


@answers(I.NO, DialogState.SET_PIN)
@answers(I.NO, DialogState.PIN_REPEAT)
def no_pin(turn: Turn) -> Response:
    return turn.say("pin_not_set")


def _chosen(turn: Turn, pin: str) -> str:
    """What the session keeps of a new PIN until it is said again: a keyed hash (the
    server's identity key), never the digits, which would travel with the session."""
    return turn.ctx.services.identity.key("new-pin", f"{turn.ctx.person}:{pin}")


def _set_pin(turn: Turn, heard: str | None, asked: bool) -> Response:
    """A new PIN is said twice before it is set: one misheard digit would otherwise
    lock the person out of their own summary, with no way back but erasing it all."""
    if heard is None and not asked:
        turn.expect(DialogState.SET_PIN)
        return turn.say("pin_set_ask")
    if heard is None or not heard.isdigit() or len(heard) > 4:
        turn.expect(DialogState.SET_PIN)
        return turn.say("pin_invalid")
    turn.expect(DialogState.PIN_REPEAT, chosen=_chosen(turn, heard.zfill(4)))
    return turn.say("pin_repeat_ask")


@answers(I.RATE_MOOD, DialogState.PIN_REPEAT)
@answers(I.SET_PIN, DialogState.PIN_REPEAT)
def pin_repeated(turn: Turn) -> Response:
    pin = heard_pin(turn)
    if not pin or _chosen(turn, pin) != turn.pending.get("chosen"):
        turn.expect(DialogState.SET_PIN)
        return turn.say("pin_repeat_differs")
    turn.app.set_pin(turn.ctx.person, pin, by_voice=turn.ctx.identity.recognised_voice)
    return turn.say("pin_set")


class SkillDisabledHandler(AbstractRequestHandler):
    """Alexa tells the skill it was disabled (the account holder did it, in the Alexa
    app): every person of the account goes, its own and each voice profile's."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = handler_input.attributes_manager.request_attributes[CTX]
        account = ctx.identity.account if ctx.identity is not None else None
        if account is not None:
            people = {account, *ctx.app.persons_of(account)}
            for person in sorted(people):
                ctx.app.erase_person(person)
            log.info("skill disabled: the data of %d people was erased", len(people))
        return handler_input.response_builder.response


class SpeakerChangedHandler(AbstractRequestHandler):
    """Someone else spoke while a question asked of another person was open: what was
    open is dropped (base.bind_speaker), and this is said kindly, asking nothing of
    theirs again. "Stop", "cancel", "home", "help" and "repeat" are served as ever."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (is_request_type("IntentRequest")(handler_input)
                and DROPPED in handler_input.attributes_manager.request_attributes
                and get_intent_name(handler_input) not in ENDS | KEEPS)

    def handle(self, handler_input: HandlerInput) -> Response:
        return Turn(handler_input).say("speaker_changed")
