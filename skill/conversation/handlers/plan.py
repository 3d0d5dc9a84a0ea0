"""Scheduling and replanning: add a step, plan the week, move, swap, pair with a routine."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from ask_sdk_model import Intent, Response, Slot
from ask_sdk_model.dialog import ElicitSlotDirective

from domain import validation as valid
from domain.clock import week_days
from domain.errors import DailyCapReached, InvalidDate, NoStepToLog, StepAlreadyDone, UnknownStep
from domain.vocabulary import PARTS_OF_DAY
from skill.conversation.base import IntentHandler, Turn, answers
from skill.conversation.handlers.today import find_step, step_fields, target_step
from skill.conversation.states import DialogState
from skill.model import I

# AMAZON.TIME's parts of the day.
TIME_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "evening"}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")


def parse_date(value: str | None, today: date) -> date | None:
    """An AMAZON.DATE value as one day: a date; a week (its first day still to come, or
    its Saturday for a weekend); "PRESENT_REF" is today. Anything vaguer, or outside the
    days the domain takes (the year 2100, 9999), is None: the person is asked again."""
    if not value:
        return None
    if value == "PRESENT_REF":
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = _week_day(value, today)
    return day if day is not None and valid.is_sane_day(day) else None


def _week_day(value: str, today: date) -> date | None:
    match = _WEEK.match(value)
    if match is None:
        return None
    try:
        first, _ = week_days(valid.iso_week(f"{match.group(1)}-W{match.group(2)}"))
    except InvalidDate:
        return None
    if match.group(3):
        return max(first + timedelta(days=5), today)
    return max(first, today)


def parse_time(value: str | None) -> tuple[str | None, time | None]:
    """An AMAZON.TIME value as (part of day, clock time)."""
    if not value:
        return None, None
    if value in TIME_PARTS:
        return TIME_PARTS[value], None
    try:
        return None, time.fromisoformat(value)
    except ValueError:
        return None, None


def _slot(turn: Turn, name: str) -> Slot:
    return Slot(name=name, value=turn.slot_value(name))


def elicit(turn: Turn, slot: str, key: str, **fields: object) -> Response:
    """Ask for one slot of the scheduling intent, keeping what was already said."""
    slots = {name: _slot(turn, name) for name in (I.ACTIVITY, I.DATE, I.PART_OF_DAY, I.TIME)}
    turn.directive(ElicitSlotDirective(
        updated_intent=Intent(name=I.SCHEDULE_STEP, slots=slots), slot_to_elicit=slot))
    turn.expect(DialogState.SCHEDULE)
    return turn.say(key, **fields)


class ScheduleStepHandler(IntentHandler):
    intents = (I.SCHEDULE_STEP,)

    def respond(self, turn: Turn) -> Response:
        profile = turn.ctx.profile()
        today = turn.ctx.today()
        activity = turn.slot_id(I.ACTIVITY)
        if activity is None or profile.activity(activity) is None:
            return elicit(turn, I.ACTIVITY, "schedule_unknown_activity")
        heard_date = turn.slot_value(I.DATE)
        day = parse_date(heard_date, today) if heard_date else today
        if day is None:
            return elicit(turn, I.DATE, "invalid_date")
        if day < today:
            return elicit(turn, I.DATE, "schedule_past")
        part, at = parse_time(turn.slot_value(I.TIME))
        part = turn.slot_choice(I.PART_OF_DAY, PARTS_OF_DAY) or part
        try:
            step_id = turn.app.schedule_step(turn.ctx.person, activity, day, part_of_day=part,
                                             at_time=at)
        except DailyCapReached:
            return elicit(turn, I.DATE, "cap_reached",
                          day_name=turn.speech.capital(turn.speech.day_name(day, today)))
        turn.set_focus(step_id)
        title = profile.activity(activity).title
        return turn.say("schedule_done", title=turn.speech.activity(title),
                        when=turn.speech.when(day, part, at, today))


class PlanWeekHandler(IntentHandler):
    intents = (I.PLAN_WEEK,)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        return propose(turn)


def propose(turn: Turn) -> Response:
    proposals = turn.app.propose_week(turn.ctx.profile(), count=3)
    if not proposals:
        return turn.say("plan_full")
    today = turn.ctx.today()
    items = [f"{turn.speech.short(p['activity'], p['title'])} "
             f"{turn.speech.when(p['day'], p['part_of_day'], None, today)}" for p in proposals]
    turn.expect(DialogState.PLAN, steps=[{"activity": p["activity"], "day": p["day"].isoformat(),
                                          "part_of_day": p["part_of_day"]} for p in proposals])
    key = "plan_offer" if len(items) > 1 else "plan_offer_one"
    return turn.say(key, plan=turn.speech.join(items), count=len(items))


@answers(I.YES, DialogState.PLAN)
def accept_plan(turn: Turn) -> Response:
    steps = turn.pending["steps"]
    turn.app.plan_week(turn.ctx.person, steps)
    return turn.say("plan_done" if len(steps) > 1 else "plan_done_one", count=len(steps))


@answers(I.NO, DialogState.PLAN)
def decline_plan(turn: Turn) -> Response:
    return turn.say("plan_declined")


@answers(I.YES, DialogState.PLAN_OFFER)
def plan_from_summary(turn: Turn) -> Response:
    return propose(turn)


@answers(I.NO, DialogState.PLAN_OFFER)
def no_plan(turn: Turn) -> Response:
    return turn.say("plan_declined")


@answers(I.SCHEDULE_STEP, DialogState.SCHEDULE)
def schedule_slot(turn: Turn) -> Response:
    """The slot asked for (Alexa sends the scheduling intent back, with what was said)."""
    return ScheduleStepHandler().respond(turn)


@answers(I.NO, DialogState.SCHEDULE)
def no_schedule(turn: Turn) -> Response:
    return turn.say("schedule_dropped")


@answers(I.NO, DialogState.MOVE, DialogState.SWAP, DialogState.PAIR)
def keep_as_is(turn: Turn) -> Response:
    return turn.say("kept_as_is")


@answers(I.MOVE_STEP, DialogState.MOVE)
def move_when(turn: Turn) -> Response:
    return MoveStepHandler().respond(turn)


@answers(I.SWAP_STEP, DialogState.SWAP)
def swap_which(turn: Turn) -> Response:
    return SwapStepHandler().respond(turn)


@answers(I.PAIR_WITH_ROUTINE, DialogState.PAIR)
def pair_which(turn: Turn) -> Response:
    return PairWithRoutineHandler().respond(turn)


class MoveStepHandler(IntentHandler):
    intents = (I.MOVE_STEP,)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        today = turn.ctx.today()
        step_id = target_step(turn)
        if step_id is None:
            return turn.say("move_nothing")
        heard_date = turn.slot_value(I.DATE)
        part, at = parse_time(turn.slot_value(I.TIME))
        part = turn.slot_choice(I.PART_OF_DAY, PARTS_OF_DAY) or part
        if heard_date is None and part is None and at is None:
            turn.expect(DialogState.MOVE)
            return turn.say("move_when")
        current = find_step(turn, step_id)
        day = parse_date(heard_date, today) if heard_date else (current.day if current else today)
        if day is None or day < today:
            turn.expect(DialogState.MOVE)
            return turn.say("move_when")
        try:
            new_id = turn.app.move_step(turn.ctx.person, step_id, day, part_of_day=part,
                                        at_time=at)
        except DailyCapReached:
            turn.expect(DialogState.MOVE)
            return turn.say("cap_reached", day_name=turn.speech.capital(turn.speech.day_name(day, today)))
        except (UnknownStep, NoStepToLog):
            return turn.say("move_nothing")
        except StepAlreadyDone:
            return turn.say("changed_done_step")
        turn.set_focus(new_id)
        step = find_step(turn, new_id, day=day)
        fields = step_fields(turn, step) if step else {"title": "", "when": ""}
        return turn.say("move_done", title=fields["title"], when=fields["when"])


class SwapStepHandler(IntentHandler):
    intents = (I.SWAP_STEP,)

    def respond(self, turn: Turn) -> Response:
        profile = turn.ctx.profile()
        step_id = target_step(turn)
        if step_id is None:
            return turn.say("move_nothing")
        activity = turn.slot_id(I.ACTIVITY)
        if activity is None or profile.activity(activity) is None:
            turn.expect(DialogState.SWAP)
            return turn.say("swap_which")
        try:
            step = turn.app.swap_step(turn.ctx.person, step_id, activity)
        except StepAlreadyDone:
            return turn.say("changed_done_step")
        return turn.say("swap_done", **step_fields(turn, step))


class PairWithRoutineHandler(IntentHandler):
    intents = (I.PAIR_WITH_ROUTINE,)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        step_id = target_step(turn)
        if step_id is None:
            return turn.say("move_nothing")
        routine_id = turn.slot_id(I.ROUTINE)
        heard = turn.slot_value(I.ROUTINE)
        if routine_id is not None:
            routine, spoken = routine_id, turn.speech.word(f"routine_{routine_id}")
        elif heard is not None:
            routine = heard[:40]
            spoken = turn.speech.their_words(routine)
        else:
            turn.expect(DialogState.PAIR)
            return turn.say("pair_which")
        step = turn.app.pair_step(turn.ctx.person, step_id, routine)
        return turn.say("pair_done", title=turn.speech.capital(turn.speech.activity(step.title)),
                        routine=spoken)
