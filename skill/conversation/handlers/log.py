"""Logging: a step done (then mood after, and a rating when the person is willing), or
not today (then what got in the way, and a smaller version or another time)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ask_sdk_model import Response

from domain.errors import (
    NoStepToLog, StepAlreadyDone, StepAlreadyLogged, UnknownActivity, UnknownStep,
)
from domain.results import StepView
from domain.vocabulary import BARRIERS, MAX_SCALE, MIN_SCALE
from skill.conversation.base import IntentHandler, Turn, answers, ask_again, leave, on_leaving
from skill.conversation.base import serve_plainly
from skill.conversation.handlers.privacy import guarded
from skill.conversation.handlers.today import find_step, step_fields
from skill.conversation.states import DialogState
from skill.model import I


# Number words as people say them; Alexa sends digits when it heard a number, test
# tools and the console the words as heard.
NUMBER_WORDS = {"zero": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4,
                "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12}


# What turns the first number said into another one: a sign before it ("minus one",
# "-1"), a fraction or exponent in it ("1.5", "1e9"), a magnitude after it ("one
# million"). Such a number is out of range, never its first digit.
_NUMBER = re.compile(r"(?P<sign>-|\b(?:minus|negative)\s+)?"
                     r"(?P<n>\d+(?P<more>[.,]\d+|e[+-]?\d+)?|[a-z]+)"
                     r"(?P<after>\s+(?:hundred|thousand|million|billion|trillion|point)\b)?")
OUT_OF_RANGE = -1  # a number was said, but not one a scale can hold


def spoken_number(heard: str | None) -> int | None:
    """The first number in what was heard: "6", "six", "about a five", "a seven out of
    ten", "I dunno, four?". None when none was heard (Alexa sends "?" when it could
    not tell); OUT_OF_RANGE for a number that only begins like one ("-1", "1e9",
    "minus one", "one million")."""
    for m in _NUMBER.finditer((heard or "").lower()):
        token = m["n"]
        if token.isdigit() or m["more"]:
            value = int(token) if token.isdigit() else OUT_OF_RANGE
        elif token in NUMBER_WORDS:
            value = NUMBER_WORDS[token]
        else:
            continue
        return OUT_OF_RANGE if m["sign"] or m["more"] or m["after"] else value
    return None


def mood_value(turn: Turn, slot: str = I.MOOD) -> int | None:
    """A 0–10 number from a slot, or None for anything else ("eleven", "banana")."""
    value = spoken_number(turn.slot_value(slot))
    return value if value is not None and MIN_SCALE <= value <= MAX_SCALE else None


def not_a_mood(turn: Turn, slot: str = I.MOOD) -> str:
    """What to say when no mood came: when Alexa could not tell what was said ("?", or
    nothing), that it was not caught; otherwise ("eleven", "banana"), the range."""
    heard = turn.slot_value(slot)
    return "mood_not_heard" if heard is None or heard.strip(" ?") == "" else "mood_invalid"


class LogDoneHandler(IntentHandler):
    intents = (I.LOG_DONE,)

    def respond(self, turn: Turn) -> Response:
        """Nothing is logged on a guess: a step is logged when the person named it, or
        when the turn is about exactly one step (the one under discussion, or the only
        one waiting today); words that name no step are never a log."""
        person = turn.ctx.person
        turn.ctx.profile()
        activity, heard = turn.slot_id(I.ACTIVITY), turn.slot_value(I.ACTIVITY)
        if activity is None and heard is not None:
            if NOT_A_STEP.search(heard):  # "I feel hopeless", "I don't know", "I couldn't"
                if turn.pending.get("what") == DialogState.MOOD_AFTER:
                    return turn.say("mood_feeling")  # the step stays done; still asked
                turn.clear()
                if re.search(r"\byesterday\b", heard, re.IGNORECASE):
                    return turn.say("not_logged_yesterday")  # never logged as today's
                return turn.say("not_logged")
            return _ask_which(turn)  # "I ate a sandwich": which step was it?
        try:
            if activity is not None:
                step = turn.app.log_done(person, activity=activity)
            elif turn.pending.get("what") == DialogState.OFFER:
                step = _offered_done(turn)  # the step just offered: the turn is about it
            else:
                step_id = _the_step_meant(turn)
                if step_id is None:
                    return _ask_which(turn)
                step = turn.app.log_done(person, step_id=step_id)
        except (NoStepToLog, UnknownActivity):
            return _ask_which(turn)
        except StepAlreadyDone:
            step = find_step(turn, activity=activity)
            return turn.say("already_done", title=turn.speech.activity(step.title) if step else "")
        turn.set_focus(step.step_id)
        turn.expect(DialogState.MOOD_AFTER, step=step.step_id)
        return turn.say("done_ask_mood",
                        done=turn.speech.done(step.activity_id, step.title, step.is_smaller))


# Words that tell of a feeling, of not doing, or of not knowing: never a step done.
NOT_A_STEP = re.compile(
    r"\b(feel|feeling|felt|hopeless|helpless|sad|awful|terrible|bad|low|down|tired|"
    r"don'?t|didn'?t|couldn'?t|can'?t|cannot|won'?t|wasn'?t|not|never|no|nothing|"
    r"forgot|forget|dunno|know|help|need|still|later|going to|gonna|yesterday)\b",
    re.IGNORECASE)


def _offered_done(turn: Turn) -> StepView:
    """"I did it" to a step just offered: logged as that step, its smaller version if
    that was what was offered."""
    person, pending = turn.ctx.person, turn.pending
    if not pending.get("smaller"):
        return turn.app.log_done(person, activity=pending["activity"])
    step_id = turn.app.schedule_step(person, pending["activity"], turn.ctx.today())
    turn.app.make_smaller(person, step_id)
    return turn.app.log_done(person, step_id=step_id)


def _ask_which(turn: Turn, state: DialogState = DialogState.WHICH_DONE,
               key: str = "which_step_done") -> Response:
    """Which step? Naming today's steps still waiting (at most three), when there are."""
    speech = turn.speech
    waiting = [s for s in turn.app.today(turn.ctx.profile()).steps if s.status == "pending"]
    turn.expect(state)
    if not waiting:
        return turn.say(key)
    return turn.say(f"{key}_named", steps=speech.join(
        [speech.activity(s.title) for s in waiting[:3]], "or"))


@answers(I.LOG_DONE, DialogState.WHICH_DONE, DialogState.OFFER)
def done_answer(turn: Turn) -> Response:
    """Which step was done (or the step just offered): what the person named, never a
    guess."""
    return LogDoneHandler().respond(turn)


@answers(I.LOG_NOT_DONE, DialogState.WHICH_NOT_DONE)
@answers(I.LOG_DONE, DialogState.WHICH_NOT_DONE)
def not_done_which(turn: Turn) -> Response:
    """Which step was not today: the one named ("the walk" may be heard as either); not
    named, the question again."""
    if turn.slot_id(I.ACTIVITY) is None:
        return ask_again(turn, "reask")
    return LogNotDoneHandler().respond(turn)


@answers(I.NO, DialogState.WHICH_DONE, DialogState.WHICH_NOT_DONE)
def none_done(turn: Turn) -> Response:
    return turn.say("which_nothing_logged")


@answers(I.LOG_DONE, DialogState.MOOD_AFTER)
def done_again(turn: Turn) -> Response:
    """"I did it" while the mood after a step is asked: that step is already logged, so
    the question again; a step named is another step, logged as named; a feeling is
    answered gently (LogDoneHandler)."""
    if turn.slot_value(I.ACTIVITY) is None:
        return ask_again(turn, None)
    if turn.slot_id(I.ACTIVITY) is not None:
        leave(turn)
    return LogDoneHandler().respond(turn)


@answers(I.NO, DialogState.MOOD_AFTER)
def skip_mood_after(turn: Turn) -> Response:
    return turn.say("mood_skipped")


def _the_step_meant(turn: Turn) -> str | None:
    """The step a bare "I did it" is about: the one under discussion if it is still
    open today, else today's only step waiting; None when that is not clear. One read
    of today's steps."""
    steps = turn.app.today(turn.ctx.profile()).steps
    focus = next((s for s in steps if s.step_id == turn.focus), None) if turn.focus else None
    if focus is not None and focus.status != "done":
        return focus.step_id
    waiting = [s for s in steps if s.status == "pending"]
    return waiting[0].step_id if len(waiting) == 1 else None


def _open_focus(turn: Turn) -> str | None:
    """The step under discussion if it is still open today, else None (today's first)."""
    step = find_step(turn, turn.focus) if turn.focus else None
    return step.step_id if step is not None and step.status != "done" else None


@answers(I.RATE_MOOD, DialogState.MOOD_AFTER)
def mood_after(turn: Turn) -> Response:
    value = mood_value(turn)
    if value is None:
        return turn.say(not_a_mood(turn))
    person, step_id = turn.ctx.person, turn.pending["step"]
    turn.app.rate_mood(person, value, step_id=step_id, moment="after")
    step = find_step(turn, step_id)
    from skill.conversation.handlers.mood import is_low, low_mood_after  # (imports log)
    if is_low(value):  # a low mood after a step: warmth, the next step at its smallest
        return low_mood_after(turn, value, step)
    lift = _lift(turn, step, value)
    kind = step.kind if step else None
    if kind in ("pleasure", "mastery"):
        state, question = ((DialogState.RATE_ENJOYMENT, "rate_enjoyment") if kind == "pleasure"
                           else (DialogState.RATE_MASTERY, "rate_mastery"))
        turn.expect(state, step=step_id)
        return turn.say("mood_after_rate", mood=value, lift=lift,
                        rating_question=turn.speech.phrase(question))
    return turn.say("mood_after", mood=value, lift=lift)


def _lift(turn: Turn, step: StepView | None, value: int) -> str:
    """The mood just given beside the one before the step ("up from 4 before"); left
    out behind the household guard, where it would tell an earlier mood (the one just
    said is still thanked for)."""
    before = step.mood_before if step else None
    if before is None or guarded(turn):
        return turn.speech.phrase("lift_none")
    if value > before:
        return turn.speech.phrase("lift_up", before=before)
    return turn.speech.phrase("lift_same" if value == before else "lift_down")


@answers(I.RATE_MOOD, DialogState.RATE_ENJOYMENT, DialogState.RATE_MASTERY)
def rating(turn: Turn) -> Response:
    value = mood_value(turn)
    if value is None:
        return turn.say("rating_invalid")
    field = "enjoyment" if turn.pending["what"] == DialogState.RATE_ENJOYMENT else "mastery"
    turn.app.rate_step(turn.ctx.person, turn.pending["step"], **{field: value})
    return turn.say("rating_thanks")


@answers(I.NO, DialogState.RATE_ENJOYMENT, DialogState.RATE_MASTERY)
def skip_rating(turn: Turn) -> Response:
    return turn.say("rating_skipped")


class LogNotDoneHandler(IntentHandler):
    intents = (I.LOG_NOT_DONE, I.BARRIER)

    def respond(self, turn: Turn) -> Response:
        """Not today, for the step named, else the step the turn is about (the one under
        discussion, or the only one waiting); otherwise it asks which, naming today's."""
        turn.ctx.profile()
        activity = turn.slot_id(I.ACTIVITY)
        if activity is not None:
            step = find_step(turn, activity=activity)
            step_id = step.step_id if step is not None and step.status == "pending" else None
        else:
            step_id = _the_step_meant(turn)
        if step_id is None:
            today = turn.app.today(turn.ctx.profile())
            if today.small_step is None:
                turn.expect(DialogState.WANT_STEP)
                return turn.say("no_step_today")
            return _ask_which(turn, DialogState.WHICH_NOT_DONE, "which_step_not_today")
        barrier = _barrier(turn)
        turn.set_focus(step_id)
        if find_step(turn, step_id).status == "not_done":
            # already not today: never ask what got in the way only to drop the answer
            return turn.say("already_not_today")
        if barrier is None:
            turn.expect(DialogState.BARRIER, step=step_id)
            return turn.say("not_done_ask_barrier")
        if turn.intent.name == I.BARRIER and activity is None:
            # A reason said out of the blue ("it's raining", "work was manic") is not yet
            # a "not today": nothing is logged on a guess, so ask before logging it.
            step = find_step(turn, step_id)
            turn.expect(DialogState.CONFIRM_NOT_TODAY, step=step_id, barrier=barrier)
            return turn.say("confirm_not_today", title=turn.speech.activity(step.title))
        return _not_today(turn, step_id, barrier)


@answers(I.YES, DialogState.CONFIRM_NOT_TODAY)
@answers(I.LOG_NOT_DONE, DialogState.CONFIRM_NOT_TODAY)
def confirmed_not_today(turn: Turn) -> Response:
    return _not_today(turn, turn.pending["step"], turn.pending.get("barrier"))


@answers(I.NO, DialogState.CONFIRM_NOT_TODAY)
def still_today(turn: Turn) -> Response:
    step = find_step(turn, turn.pending["step"])
    return turn.say("kept_for_today", title=turn.speech.activity(step.title))


def _barrier(turn: Turn) -> str | None:
    found = turn.slot_choice(I.BARRIER_SLOT, BARRIERS)
    if found is None and turn.slot_value(I.BARRIER_SLOT):
        return "other"  # said something else; the words themselves are not stored
    return found


def _not_today(turn: Turn, step_id: str, barrier: str | None,
               line: str | None = None) -> Response:
    try:
        step = turn.app.log_not_done(turn.ctx.person, step_id=step_id, barrier=barrier)
    except StepAlreadyDone:
        return turn.say("changed_done_step")
    except StepAlreadyLogged:
        return turn.say("already_not_today")
    barrier_line = turn.speech.phrase(line or f"barrier_{barrier or 'none'}")
    fields = step_fields(turn, step)
    if not step.is_smaller and step.smaller:
        turn.expect(DialogState.OFFER_SMALLER, step=step.step_id)
        return turn.say("not_done_offer_smaller", barrier_line=barrier_line,
                        smaller=fields["smaller"])
    return _offer_time(turn, step, "not_done_offer_time", barrier_line=barrier_line)


def _offer_time(turn: Turn, step: StepView, key: str, **extra: str) -> Response:
    tomorrow = turn.ctx.today() + timedelta(days=1)
    part = step.part_of_day if step.part_of_day in ("morning", "afternoon", "evening") else None
    turn.expect(DialogState.OFFER_TIME, step=step.step_id, day=tomorrow.isoformat(), part=part)
    when = turn.speech.when(tomorrow, part, None, turn.ctx.today())
    return turn.say(key, when=when, **extra)


# Not knowing what got in the way is an answer, not a barrier: nothing is made up.
NOT_KNOWING = re.compile(
    r"\b(don'?t know|dunno|not sure|no idea|can'?t say|nothing|no reason|unsure|"
    r"i don'?t|idk|who knows|not really)\b", re.IGNORECASE)


def _barrier_said(turn: Turn) -> str | None:
    """The barrier in an answer to "what got in the way?"; None when the person does
    not know (or said none); "other" for anything else in their own words."""
    heard = turn.slot_value(I.BARRIER_SLOT)
    if heard is not None and turn.slot_id(I.BARRIER_SLOT) is None and NOT_KNOWING.search(heard):
        return None
    return _barrier(turn) or ("other" if heard else None)


@answers(I.BARRIER, DialogState.BARRIER)
@answers(I.LOG_NOT_DONE, DialogState.BARRIER)
def barrier_answer(turn: Turn) -> Response:
    return _not_today(turn, turn.pending["step"], _barrier_said(turn))


@answers(I.LOG_DONE, DialogState.BARRIER)
def done_at_barrier(turn: Turn) -> Response:
    """At "what got in the way?": "I don't know" (heard as an activity) is no reason,
    never a log; a step named is served as named (this step: a correction, logged
    done); a bare "done" is asked again."""
    heard = turn.slot_value(I.ACTIVITY)
    if heard is None:
        return ask_again(turn, "reask")
    if turn.slot_id(I.ACTIVITY) is None:
        return _not_today(turn, turn.pending["step"], None)
    step = find_step(turn, turn.pending["step"])
    if step is not None and step.activity_id == turn.slot_id(I.ACTIVITY):
        turn.clear()  # "no wait, I did make my bed": a correction, not a not-today
    else:
        leave(turn)
    return serve_plainly(turn.hi)


@on_leaving(DialogState.BARRIER)
def leave_barrier(turn: Turn) -> str:
    """Leaving at "what got in the way?": the person has said "not today"; it is logged
    so, without a reason."""
    try:
        turn.app.log_not_done(turn.ctx.person, step_id=turn.pending["step"])
    except (StepAlreadyDone, StepAlreadyLogged, NoStepToLog, UnknownStep):
        pass  # already settled: nothing to keep
    return "stopped_not_today"


@answers(I.NO, DialogState.BARRIER)
def barrier_unsaid(turn: Turn) -> Response:
    return _not_today(turn, turn.pending["step"], None)


@answers(I.FALLBACK, DialogState.BARRIER)
def barrier_not_caught(turn: Turn) -> Response:
    """Something was said that was not understood: no reason is made up, and nobody is
    told they "don't need a reason" after giving one."""
    return _not_today(turn, turn.pending["step"], None, line="barrier_not_caught")


@answers(I.YES, DialogState.OFFER_SMALLER)
@answers(I.MAKE_IT_SMALLER, DialogState.OFFER_SMALLER)
def take_smaller(turn: Turn) -> Response:
    step = turn.app.make_smaller(turn.ctx.person, turn.pending["step"])
    fields = step_fields(turn, step)
    return turn.say("made_smaller", smaller=fields["title"], minutes=fields["minutes"],
                    when=fields["when"])


@answers(I.NO, DialogState.OFFER_SMALLER)
def no_smaller(turn: Turn) -> Response:
    step = find_step(turn, turn.pending["step"])
    if step is None:
        return turn.say("plan_is_a_map")
    return _offer_time(turn, step, "offer_time")


@answers(I.YES, DialogState.OFFER_TIME)
def take_time(turn: Turn) -> Response:
    pending = turn.pending
    step = find_step(turn, pending["step"])
    day = date.fromisoformat(pending["day"])
    step_id = turn.app.move_step(turn.ctx.person, pending["step"], day,
                                 part_of_day=pending.get("part"))
    turn.set_focus(step_id)
    return turn.say("move_done", title=turn.speech.activity(step.title) if step else "",
                    when=turn.speech.when(day, pending.get("part"), None, turn.ctx.today()))


@answers(I.NO, DialogState.OFFER_TIME)
def no_time(turn: Turn) -> Response:
    return turn.say("plan_is_a_map")
