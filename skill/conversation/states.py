"""Every dialog state: what the skill is waiting for after a turn that stays open.

A state is kept in the session attributes (`pending.what`) as its string value, so
sessions already under way keep working when the code changes; a new state is one line
here. Some states have their own answers (`answers()` in skill/conversation/base.py);
the others only say what was asked, and a plain intent handles what comes next.
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
    BARRIER = "barrier"  # not today: what got in the way?
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
    PIN = "pin"  # the PIN before the summary
    # safety
    CRISIS = "crisis"  # the crisis line given: say it again?
    SAFETY_CHECK = "safety_check"  # one ambiguous word ("dead", "gone"): are you safe?
    DISTRESS = "distress"  # distress answered, help named: say the number again?
    CHECK_IN = "check_in"  # opened within 72 hours of a crisis: are you doing okay?
