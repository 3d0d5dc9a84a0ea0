"""Dialog states: one enumeration, stored in the session as the strings sessions already
under way carry."""

from __future__ import annotations

import json

from skill.conversation import base
from skill.conversation.handlers import request_handlers
from skill.conversation.states import DialogState

# The strings sessions carry today (session attributes, `pending.what`). A state may be
# added; these never change, or a session under way would lose its place.
STORED = {
    "offer", "doable", "want_step", "want_other", "mood_ask", "mood", "mood_after",
    "rate_enjoyment", "rate_mastery", "which_done", "barrier", "offer_smaller", "offer_time",
    "schedule", "plan", "plan_offer", "move", "swap", "pair", "value", "value_area",
    "relapse", "delete", "set_pin", "pin", "crisis", "which_not_done",
}


def test_every_stored_string_is_still_a_state():
    assert STORED <= {state.value for state in DialogState}


def test_a_state_is_stored_as_its_plain_string():
    assert json.dumps({"what": DialogState.MOOD_AFTER}) == '{"what": "mood_after"}'


def test_a_plain_string_from_the_session_finds_its_answer():
    request_handlers()  # every answer registered
    assert ("AMAZON.YesIntent", "offer") in base._ANSWERS
    assert all(isinstance(state, DialogState) for _, state in base._ANSWERS)



def test_every_state_has_answers_of_its_own():
    """No state is set only to let whatever comes next fall through: each one (the
    safety handlers' included) has at least one answer registered for it."""
    request_handlers()
    answered = {state for _, state in base._ANSWERS}
    assert answered == set(DialogState), set(DialogState) - answered
