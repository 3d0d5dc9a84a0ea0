"""Every dialog state: what the skill is waiting for after a turn that stays open.

A state is kept in the session attributes (`pending.what`) as its string value, so
sessions already under way keep working when the code changes; a new state is one line
here. Below the states, the machine: what every state does with every intent (its own
answers are registered with `answers()` in skill/conversation/base.py, which applies
`policy()`); docs/conversation.md holds the table, checked by a test.
"""

from __future__ import annotations

from enum import StrEnum


class DialogState(StrEnum):
    # today's small step
    OFFER = "offer"  # an activity (or its smaller version) offered for today
    DOABLE = "doable"  # today's step told: does it feel doable?
    WANT_STEP = "want_step"  # would they like a step?
    WANT_OTHER = "want_other"  # already the smallest: something else?
    # mood
    MOOD_ASK = "mood_ask"  # everything done today: would they rate their mood?
    MOOD = "mood"  # a mood from 0 to 10 is asked for
    MOOD_AFTER = "mood_after"  # the mood after a step just done
    RATE_ENJOYMENT = "rate_enjoyment"  # how much a pleasure step was enjoyed
    RATE_MASTERY = "rate_mastery"  # how much a mastery step felt like an achievement
    # logging
    WHICH_DONE = "which_done"  # which step was done?
    WHICH_NOT_DONE = "which_not_done"  # which step was not today?
    BARRIER = "barrier"  # not today: what got in the way?
    CONFIRM_NOT_TODAY = "confirm_not_today"  # a reason said out of the blue: not today, then?
    OFFER_SMALLER = "offer_smaller"  # a smaller version instead?
    OFFER_TIME = "offer_time"  # another time instead?
    # planning
    SCHEDULE = "schedule"  # a slot of the scheduling intent is asked for
    PLAN = "plan"  # a plan for the week proposed
    PLAN_OFFER = "plan_offer"  # an empty week: plan one?
    MOVE = "move"  # when to move the step to?
    SWAP = "swap"  # which activity to swap in?
    PAIR = "pair"  # which routine to pair the step with?
    # values and the plan for harder days
    VALUE = "value"  # what matters to them?
    VALUE_AREA = "value_area"  # which life area a value belongs to
    RELAPSE = "relapse"  # keep these boosters as the plan for harder days?
    # privacy and the household guard
    DELETE = "delete"  # delete everything: sure?
    SET_PIN = "set_pin"  # which PIN to set?
    PIN_REPEAT = "pin_repeat"  # the new PIN once more, so a misheard one is never set
    PIN = "pin"  # the PIN before the summary
    PIN_CURRENT = "pin_current"  # the current PIN before a new one
    DELETE_PIN = "delete_pin"  # the PIN before deleting everything
    # safety
    CRISIS = "crisis"  # the crisis line given: say it again?
    SAFETY_CHECK = "safety_check"  # one ambiguous word ("dead", "gone"): are you safe?
    DISTRESS = "distress"  # distress answered, help named: say the number again?
    CHECK_IN = "check_in"  # opened within 72 hours of a crisis: are you doing okay?


# -- the machine: what every state does with every intent -------------------------------
#
# For a state and an intent, one of these, decided in this order (`policy()`):
#
# - SAFETY: the crisis and "are you safe?" states belong to the safety handlers
#   (skill/conversation/handlers/safety.py), which are asked first; so are crisis words
#   anywhere.
# - ANSWERED: the state has its own answer for the intent (`answers()` in base.py).
# - ENDED: "stop", "cancel" and "home" end the session cleanly in every state. Leaving
#   mid-question keeps what was already said and records nothing on a guess; at "what
#   got in the way?" the person has already said "not today", so the step is logged not
#   today, without a reason (the same when the session ends there by itself).
# - REASKED: "help" and "repeat" in every state, and the intents listed in `REASK` for
#   it, keep the state and ask its question again (help says what the skill is first).
# - LEFT: anything else is a new request: the state is left cleanly (as if leaving
#   mid-question: see ENDED) and the intent is served as if nothing were open.

from skill.voice import names as _I  # noqa: E402 (the names only; no handlers)

SAFETY, ANSWERED, ENDED, REASKED, LEFT = "safety", "answered", "ended", "re-asked", "left"
SAFETY_STATES = frozenset({DialogState.CRISIS, DialogState.SAFETY_CHECK})
ENDS = frozenset({_I.STOP, _I.CANCEL, _I.NAVIGATE_HOME})
KEEPS = frozenset({_I.HELP, _I.REPEAT})

_S = DialogState
# A number where no number is asked for is never a mood said in passing (a "one" at
# "shall I add it?" is not a mood of 1 to record). Right after a mood was noted ("would
# you like a small step?") a number may correct it, so it is taken there.
_NOT_A_NUMBER = {_S.OFFER, _S.DOABLE, _S.WANT_OTHER, _S.PLAN_OFFER, _S.WHICH_DONE,
                 _S.WHICH_NOT_DONE, _S.BARRIER, _S.CONFIRM_NOT_TODAY, _S.OFFER_SMALLER, _S.OFFER_TIME, _S.SCHEDULE, _S.MOVE, _S.SWAP, _S.PAIR, _S.VALUE,
                 _S.VALUE_AREA, _S.DELETE, _S.PLAN, _S.RELAPSE}
# "Yes" where a name, a time or a number is asked for answers nothing.
_NOT_YES = {_S.WHICH_DONE, _S.WHICH_NOT_DONE, _S.BARRIER, _S.SCHEDULE, _S.MOVE, _S.SWAP,
            _S.PAIR, _S.VALUE, _S.VALUE_AREA, _S.MOOD, _S.MOOD_AFTER, _S.RATE_ENJOYMENT,
            _S.RATE_MASTERY, _S.SET_PIN, _S.PIN_REPEAT, _S.PIN, _S.PIN_CURRENT, _S.DELETE_PIN}
# A barrier said where the step is already not today, or a name or a time is asked for.
# (At "does that feel doable?" it is about the step told: not today, with that reason.)
_NOT_A_BARRIER = {_S.CONFIRM_NOT_TODAY, _S.OFFER_SMALLER, _S.OFFER_TIME, _S.WHICH_DONE,
                  _S.WHICH_NOT_DONE, _S.SCHEDULE, _S.MOVE, _S.SWAP, _S.PAIR, _S.VALUE, _S.VALUE_AREA, _S.SET_PIN,
                  _S.PIN_REPEAT, _S.PIN, _S.PIN_CURRENT, _S.DELETE_PIN, _S.MOOD_ASK, _S.RELAPSE, _S.DELETE}

# A feeling said by itself ("I feel rubbish") where a name, a time, a number, a PIN or
# a decision about the data is asked for: it answers nothing, so the question again.
# (At a yes-or-no question it is a new turn: thanked for, a number offered; the
# check-in, the mood and distress states have their own answers.)
_NOT_A_FEELING = {_S.WHICH_DONE, _S.WHICH_NOT_DONE, _S.SCHEDULE, _S.MOVE, _S.SWAP, _S.PAIR,
                  _S.VALUE, _S.VALUE_AREA, _S.SET_PIN, _S.PIN_REPEAT, _S.PIN, _S.PIN_CURRENT,
                  _S.DELETE_PIN, _S.DELETE, _S.RATE_ENJOYMENT,
                  _S.RATE_MASTERY}

REASK: dict[DialogState, frozenset[str]] = {
    state: frozenset(
        {_I.FALLBACK}  # not understood: the question again, never a guess
        | ({_I.RATE_MOOD} if state in _NOT_A_NUMBER else set())
        | ({_I.YES} if state in _NOT_YES else set())
        | ({_I.BARRIER} if state in _NOT_A_BARRIER else set())
        | ({_I.FEELING} if state in _NOT_A_FEELING else set())
        # "no wait, I didn't" while the mood after a step is asked: that step is done;
        # the mood question again (undoing a slip is not built yet).
        | ({_I.LOG_NOT_DONE} if state == _S.MOOD_AFTER else set()))
    for state in DialogState if state not in SAFETY_STATES
}


def policy(intent: str, state: DialogState, answered: bool,
           safety_intents: frozenset[str] = frozenset({_I.CRISIS})) -> str:
    """What `state` does with `intent` (`answered`: the state has its own answer;
    `safety_intents`: the intents the safety handlers take, whatever the state)."""
    if state in SAFETY_STATES or intent in safety_intents:
        return SAFETY
    if answered:
        return ANSWERED
    if intent in ENDS:
        return ENDED
    if intent in KEEPS or intent in REASK.get(state, ()):
        return REASKED
    return LEFT
