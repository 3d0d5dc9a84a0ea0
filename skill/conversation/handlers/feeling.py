"""A feeling said by itself ("I feel rubbish", "not great today", "I'm okay", "feeling a
bit better actually"): never a log and never a barrier. It is thanked for, a low one
warmly and with where help is (once a session), and a number is offered, not asked
for: a mood is recorded only if a number is then given.

Distress and crisis words in the slot ("I feel hopeless") never reach here: the safety
handlers check every slot value first. Where a question is open: at the check-in after
a crisis, a good or okay feeling is a "yes" and a low one a "no"; while a mood number is
asked for, a feeling is met kindly and the number stays optional; after distress, a low
feeling hears the line again and an okay one leaves gently; anywhere else the state
machine decides (`REASK` in skill/conversation/states.py)."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation.base import IntentHandler, Turn, answers
from skill.conversation.handlers.launch import doing_okay, not_okay
from skill.conversation.handlers.mood import _key, a_feeling_not_a_number
from skill.conversation.handlers.safety import distress_leave, distress_repeat
from skill.conversation.states import DialogState
from skill.model import I

VALENCES = ("low", "okay", "good")


def valence(turn: Turn) -> str:
    """"low", "okay" or "good": the FeelingType id the slot resolved to. The only
    samples without the slot are low ones ("not feeling great", "I'm not feeling too
    good"); a feeling heard but not resolved ("I feel numb") is taken as okay: thanked
    for, never guessed low or good."""
    if turn.slot_value(I.FEELING_SLOT) is None:
        return "low"
    return turn.slot_choice(I.FEELING_SLOT, VALENCES) or "okay"


class FeelingHandler(IntentHandler):
    intents = (I.FEELING,)

    def respond(self, turn: Turn) -> Response:
        turn.expect(DialogState.MOOD_ASK)  # "yes" asks for the number, "no" leaves it
        if valence(turn) == "low":
            return turn.say(_key(turn, "feeling_low"))
        return turn.say("feeling_noted")


@answers(I.FEELING, DialogState.CHECK_IN)
def checking_in(turn: Turn) -> Response:
    """"Are you doing okay right now?": good or okay is a yes, low a no."""
    return not_okay(turn) if valence(turn) == "low" else doing_okay(turn)


@answers(I.FEELING, DialogState.MOOD, DialogState.MOOD_AFTER)
def feeling_while_a_number_is_asked(turn: Turn) -> Response:
    return a_feeling_not_a_number(turn)


@answers(I.FEELING, DialogState.DISTRESS)
def feeling_after_distress(turn: Turn) -> Response:
    """"Shall I say the number again?": a low feeling hears it again; okay leaves."""
    return distress_repeat(turn) if valence(turn) == "low" else distress_leave(turn)
