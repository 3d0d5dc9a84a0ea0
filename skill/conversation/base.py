"""The pieces every conversation area uses.

`Turn` wraps one request: the context (who, which locale, the domain app), the session's
dialog state (`pending`: what the skill is waiting for, a `DialogState`) and the
response. `answers()` registers a function for an intent *in a dialog state* ("yes"
while an offer is open, a number while a mood is being asked for);
`PendingAnswerHandler` is the dialog's state machine: while a state is open it decides
every intent deliberately (`policy()` in skill/conversation/states.py): the state's own
answer, the question asked again, a clean end, or the state left cleanly and the intent
served as if nothing were open. Handlers never write words: they name speech keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from domain.validation import without_controls
from skill.conversation.context import CTX, RequestContext
from skill.conversation.identity import Identity
from skill.conversation.states import (
    ENDED, REASKED, SAFETY_STATES, DialogState, policy,
)
from skill.speech import to_ssml
from skill.voice import names as I  # noqa: N812

PENDING = "pending"
FOCUS = "focus"  # the step id under discussion
LAST = "last"  # the last turn, for Repeat
OFFERED = "offered"  # activity ids offered this session
ASKED = "asked"  # the speech key of the last open turn (the question now open)
CRISIS = "crisis"
NOT_FOLLOWED = "not_followed"  # the open question asked again, not understood, this often
NOT_FOLLOWED_LIMIT = 3  # the third time in a row ends the session kindly instead
# The most of a slot's value a handler sees: more than any text the domain keeps (the
# domain refuses what is too long; a body of Alexa's size could carry far more).
MAX_HEARD_CHARS = 200
SPEAKER = "speaker"  # whose session this is: the start of the speaker's person key
DROPPED = "small_steps_dropped"  # request: the state dropped as the speaker changed
HELP_NAMED = "help_named"  # where help is has been named once already this session


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# What each session attribute holds. Alexa sends back only what the skill set, so any
# other shape is a garbled or forged session: dropped before a handler reads it (none
# trips over it, and the crisis line is never kept from anyone by it).
SHAPES: dict[str, Callable[[Any], bool]] = {
    PENDING: lambda v: isinstance(v, dict) and isinstance(v.get("what"), str),
    FOCUS: lambda v: isinstance(v, str),
    LAST: lambda v: (isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                     and isinstance(v[1], (str, type(None)))),
    OFFERED: _strings,
    ASKED: lambda v: isinstance(v, str),
    CRISIS: lambda v: isinstance(v, bool),
    NOT_FOLLOWED: lambda v: isinstance(v, int) and not isinstance(v, bool),
    SPEAKER: lambda v: isinstance(v, str),
    HELP_NAMED: lambda v: isinstance(v, bool),
}


class Turn:
    def __init__(self, handler_input: HandlerInput):
        self.hi = handler_input
        self.ctx: RequestContext = handler_input.attributes_manager.request_attributes[CTX]
        self.app = self.ctx.app
        self.speech = self.ctx.speech
        self.session: dict[str, Any] = handler_input.attributes_manager.session_attributes
        self._card: SimpleCard | None = None
        self._directives: list = []

    # -- request --------------------------------------------------------------------

    @property
    def intent(self):  # noqa: ANN201
        return self.hi.request_envelope.request.intent

    def slot_value(self, name: str) -> str | None:
        """What was heard in a slot, as said (None when empty), cleaned at the edge:
        control characters out (the domain refuses them) and at most MAX_HEARD_CHARS."""
        slot = (self.intent.slots or {}).get(name) if self.intent else None
        value = slot.value if slot is not None else None
        if not isinstance(value, str):
            return None
        value = without_controls(value[:MAX_HEARD_CHARS]).strip()
        return value or None

    def slot_id(self, name: str) -> str | None:
        """The canonical id a custom slot resolved to, if it matched."""
        slot = (self.intent.slots or {}).get(name) if self.intent else None
        resolutions = slot.resolutions if slot is not None else None
        for authority in (resolutions.resolutions_per_authority or []) if resolutions else []:
            if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH:
                for v in authority.values or []:
                    if v.value and v.value.id:
                        return v.value.id
        return None

    def slot_choice(self, name: str, allowed: Iterable[str]) -> str | None:
        """A slot's id if resolved; else the heard value when it is itself an id."""
        allowed = tuple(allowed)
        found = self.slot_id(name)
        if found in allowed:
            return found
        heard = self.slot_value(name)
        if heard is None:
            return None
        heard = heard.lower().replace(" ", "_")
        return heard if heard in allowed else None

    # -- dialog state -----------------------------------------------------------------

    @property
    def pending(self) -> dict[str, Any]:
        return self.session.get(PENDING) or {}

    def expect(self, what: DialogState, **data: Any) -> None:
        self.session[PENDING] = {"what": DialogState(what), **data}
        self.session.pop(NOT_FOLLOWED, None)  # a new question: nothing unfollowed yet

    def clear(self) -> None:
        self.session.pop(PENDING, None)

    @property
    def focus(self) -> str | None:
        return self.session.get(FOCUS)

    def set_focus(self, step_id: str | None) -> None:
        if step_id:
            self.session[FOCUS] = step_id

    # -- response -----------------------------------------------------------------------

    def card(self, title_key: str, content: str) -> Turn:
        self._card = SimpleCard(title=self.speech.phrase(title_key), content=content)
        return self

    def directive(self, directive: Any) -> Turn:
        self._directives.append(directive)
        return self

    def say(self, key: str, **fields: Any) -> Response:
        """Speak a turn. An open turn (one with a reprompt) keeps the session; a closed one
        ends it and forgets any dialog state."""
        said = self.speech.turn(key, **fields)
        if said.reprompt is not None:
            self.session[ASKED] = key
        return self.speak(said.ssml, said.reprompt_ssml)

    def speak(self, ssml: str, reprompt_ssml: str | None) -> Response:
        rb = self.hi.response_builder.speak(ssml)
        if reprompt_ssml is not None:
            rb.ask(reprompt_ssml)
            self.session[LAST] = [ssml, reprompt_ssml]
        else:
            self.clear()
            rb.set_should_end_session(True)
        if self._card is not None:
            rb.set_card(self._card)
        for d in self._directives:
            rb.add_directive(d)
        return rb.response

    def end_quietly(self) -> Response:
        return self.hi.response_builder.response


# -- whose session ----------------------------------------------------------------------

def well_formed(session: dict[str, Any]) -> None:
    """Drop what the session holds in a shape the skill never made (SHAPES)."""
    for key in [k for k, v in session.items() if not SHAPES.get(k, lambda _: False)(v)]:
        del session[key]


def bind_speaker(handler_input: HandlerInput, identity: Identity | None) -> None:
    """Session state belongs to the person it was made for. When another person speaks
    in the same session (a recognised voice, then one Alexa does not know, or the
    reverse), what the session holds (the question open, the step under discussion,
    the last words for "repeat", what was offered) is dropped, never applied to them;
    the crisis state alone stays (the line is for whoever is there). The open state
    dropped is noted in the request (DROPPED) so the turn can say so kindly."""
    if identity is None or handler_input.request_envelope.session is None:
        return  # no session (a skill event): nothing to bind
    session = handler_input.attributes_manager.session_attributes
    tag = identity.key[:16]
    bound = session.get(SPEAKER)
    if bound is not None and bound != tag:
        state = open_state(session)
        kept = {k: session[k] for k in (CRISIS,) if k in session}
        if state in SAFETY_STATES:
            kept[PENDING] = session[PENDING]
        elif state is not None:
            handler_input.attributes_manager.request_attributes[DROPPED] = state
        session.clear()
        session.update(kept)
    session[SPEAKER] = tag


# -- routing ---------------------------------------------------------------------------

Answer = Callable[[Turn], Response]
_ANSWERS: dict[tuple[str, DialogState], Answer] = {}


def answers(intent: str, *states: DialogState) -> Callable[[Answer], Answer]:
    """Register `fn` as the answer to `intent` while the dialog waits in one of `states`.

    The session holds a state as its plain string; a DialogState is a str with the same
    value and hash, so the plain string finds its answer here."""

    def register(fn: Answer) -> Answer:
        for state in states:
            _ANSWERS[(intent, DialogState(state))] = fn
        return fn

    return register


# What happens when a state is left without its answer ("stop", a new request, the
# session ending): a function of the turn, giving the speech key to end with, or None.
Leaving = Callable[["Turn"], "str | None"]
_LEAVING: dict[DialogState, Leaving] = {}


def on_leaving(*states: DialogState) -> Callable[[Leaving], Leaving]:
    """Register what leaving one of `states` mid-question does (see states.py, ENDED)."""

    def register(fn: Leaving) -> Leaving:
        for state in states:
            _LEAVING[DialogState(state)] = fn
        return fn

    return register


def open_state(session: dict[str, Any]) -> DialogState | None:
    """The state the session waits in (None when none, or one no longer known)."""
    what = (session.get(PENDING) or {}).get("what")
    try:
        return DialogState(what) if what else None
    except ValueError:
        return None


def leave(turn: Turn) -> str | None:
    """Leave the open state cleanly: what leaving it mid-question does, then forget it."""
    state = open_state(turn.session)
    key = _LEAVING[state](turn) if state in _LEAVING else None
    turn.clear()
    return key


ENDINGS = {I.STOP: "goodbye", I.CANCEL: "cancelled", I.NAVIGATE_HOME: "home"}


class PendingAnswerHandler(AbstractRequestHandler):
    """The dialog's state machine. While a state is open, every intent gets a deliberate
    answer: the state's own, the question again, a clean end, or the state left and the
    new request served. The crisis states are the safety handlers' (asked before this)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_request_type("IntentRequest")(handler_input):
            return False
        state = open_state(handler_input.attributes_manager.session_attributes)
        if state is None:
            return False
        if state in SAFETY_STATES:
            return (get_intent_name(handler_input), state) in _ANSWERS
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn(handler_input)
        name = get_intent_name(handler_input)
        state = open_state(turn.session)
        answer = _ANSWERS.get((name, state))
        decided = policy(name, state, answer is not None, safety_intents())
        if answer is not None:  # the state's own answer (the crisis states' included)
            return answer(turn)
        if decided == ENDED:
            return turn.say(leave(turn) or ENDINGS[name])
        if decided == REASKED:
            if name not in (I.HELP, I.REPEAT):
                # Not understood again and again: the same question a third time helps
                # nobody. End kindly instead (as leaving mid-question would).
                turn.session[NOT_FOLLOWED] = turn.session.get(NOT_FOLLOWED, 0) + 1
                if turn.session[NOT_FOLLOWED] >= NOT_FOLLOWED_LIMIT:
                    return turn.say(leave(turn) or "not_followed_end")
            return ask_again(turn, "help_here" if name == I.HELP else
                             None if name == I.REPEAT else "reask")
        leave(turn)  # LEFT: a new request, served as if nothing were open
        return serve_plainly(handler_input)


def ask_again(turn: Turn, lead: str | None) -> Response:
    """The open question again (its reprompt), after a short `lead`; the state stays."""
    last = turn.session.get(LAST)
    if not last:
        return turn.say("fallback")
    if lead is None:
        return turn.speak(last[0], last[1])
    response = turn.speak(f"{to_ssml(turn.speech.phrase(lead))} {last[1]}", last[1])
    turn.session[LAST] = last  # "repeat" still says the question as first asked
    return response


def serve_plainly(handler_input: HandlerInput) -> Response:
    """Serve an intent by its plain handler, as if no state were open."""
    from skill.conversation.handlers import intent_handlers

    for handler in intent_handlers():
        if handler.can_handle(handler_input):
            return handler.handle(handler_input)
    return Turn(handler_input).say("fallback")


@cache
def safety_intents() -> frozenset[str]:
    """The intents the safety handlers take first, whatever the state."""
    from skill.conversation.handlers import request_handlers

    return frozenset({I.CRISIS} | {
        name for h in request_handlers() if type(h).__module__.endswith("handlers.safety")
        for name in getattr(h, "intents", ())})


class IntentHandler(AbstractRequestHandler):
    """A plain intent handler: `intents` it serves, `respond(turn)` it answers."""

    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (is_request_type("IntentRequest")(handler_input)
                and get_intent_name(handler_input) in self.intents)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.respond(Turn(handler_input))

    def respond(self, turn: Turn) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError


def dialog_table(intents: Iterable[str]) -> str:
    """The state machine as a Markdown table (docs/conversation.md holds it, checked):
    each state's own answers and the intents it asks again about; "stop", "cancel" and
    "home" end every state, anything else leaves it and is served."""
    from skill.conversation.states import KEEPS, REASK

    def short(name: str) -> str:
        return name.removeprefix("AMAZON.").removesuffix("Intent")

    intents = list(intents)
    rows = ["| state | its own answers | asked again |", "| --- | --- | --- |"]
    for state in DialogState:
        if state in SAFETY_STATES:
            own = sorted(short(n) for n in intents if (n, state) in _ANSWERS)
            rows.append(f"| `{state.value}` | the safety handlers' (crisis first): "
                        f"{', '.join(own)} | the safety handlers' |")
            continue
        own = [short(n) for n in intents if (n, state) in _ANSWERS]
        again = [short(n) for n in intents
                 if (n, state) not in _ANSWERS and (n in KEEPS or n in REASK.get(state, ()))]
        rows.append(f"| `{state.value}` | {', '.join(own) or '—'} | {', '.join(again)} |")
    return "\n".join(rows)


def served_intents() -> set[str]:
    """Every intent some handler or dialog answer serves (for the model check)."""
    from skill.conversation.handlers import request_handlers

    names = {name for h in request_handlers() for name in getattr(h, "intents", ())}
    return names | {intent for intent, _ in _ANSWERS}
