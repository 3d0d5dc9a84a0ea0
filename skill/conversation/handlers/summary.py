"""The weekly summary: the numbers that matter, one true encouraging observation and one
adjustment, in under 30 seconds; last week on request. A card carries the steps (never a
mood: cards go to the account holder's Alexa app, whoever spoke)."""

from __future__ import annotations

from datetime import timedelta

from ask_sdk_model import Response

from domain.clock import week_id
from domain.results import WeekSummary
from skill.conversation.base import IntentHandler, Turn, answers
from skill.conversation.handlers.privacy import ask_pin, guarded, heard_pin, pin_unheard, try_pin
from skill.conversation.states import DialogState
from skill.model import I
from skill.speech import Speech

MOOD_CHANGE = 0.5  # smaller changes are "about the same"


class WeeklySummaryHandler(IntentHandler):
    intents = (I.WEEKLY_SUMMARY,)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        which = "last_week" if turn.slot_choice(I.WHICH_WEEK, ("this", "last")) == "last" \
            else "this_week"
        if guarded(turn):
            # the household guard (kindly paused after too many wrong tries, across sessions)
            return ask_pin(turn, DialogState.PIN, "pin_ask", which=which, tries=0)
        return speak_summary(turn, which)


def speak_summary(turn: Turn, which: str) -> Response:
    day = turn.ctx.today() - timedelta(days=7 if which == "last_week" else 0)
    summary = turn.app.week(turn.ctx.profile(), week_id(day))
    speech = turn.speech
    if not summary.steps:
        turn.expect(DialogState.PLAN_OFFER)
        return turn.say("summary_empty", which=speech.phrase(which))
    turn.card("summary_card_title", summary_card(speech, summary))
    return turn.say("summary", **summary_parts(speech, summary, which))


@answers(I.RATE_MOOD, DialogState.PIN)
@answers(I.SET_PIN, DialogState.PIN)
def pin_answer(turn: Turn) -> Response:
    pending = turn.pending
    if not heard_pin(turn):
        return pin_unheard(turn)  # no digits: not a try
    outcome = try_pin(turn)  # wrong tries are counted in the store, across sessions
    if outcome == "right":
        return speak_summary(turn, pending["which"])
    if outcome == "paused":
        return turn.say("pin_paused")
    if pending.get("tries", 0) >= 1:
        return turn.say("pin_locked")
    turn.expect(DialogState.PIN, which=pending["which"], tries=1)
    return turn.say("pin_wrong")


@answers(I.NO, DialogState.PIN)
def no_pin_given(turn: Turn) -> Response:
    return turn.say("pin_kept_private")


def summary_parts(speech: Speech, s: WeekSummary, which: str) -> dict[str, str]:
    which_cap = speech.capital(speech.phrase(which))
    total = s.total
    extra = sum(1 for st in s.steps if st.unplanned and st.status == "done")
    planned_done = total.done - extra
    if total.planned == 0:
        key = "summary_done_only_one" if total.done == 1 else "summary_done_only"
        opening = speech.phrase(key, which_cap=which_cap, done=total.done)
    elif total.done == 0:
        key = "summary_none_done_one" if total.planned == 1 else "summary_none_done"
        opening = speech.phrase(key, which_cap=which_cap, planned=total.planned)
    else:  # "your one planned step" when there was one and it was done; else "2 of 3"
        one = total.planned == 1 and planned_done == 1
        key = ("summary_done_one" if one else "summary_done_of") + ("_extra" if extra else "")
        opening = speech.phrase(key, which_cap=which_cap, done=planned_done,
                                planned=total.planned, extra=extra)
    return {"opening": opening, "mood": _mood(speech, s), "observation": _observe(speech, s),
            "adjustment": _adjust(speech, s)}


def _mood(speech: Speech, s: WeekSummary) -> str:
    if s.mood_average is None:
        return speech.phrase("summary_no_mood")
    mood = speech.number(s.mood_average)
    if s.previous_mood_average is None or s.mood_change is None:
        return speech.phrase("summary_mood", mood=mood)
    previous = speech.number(s.previous_mood_average)
    if s.mood_change >= MOOD_CHANGE:
        return speech.phrase("summary_mood_up", mood=mood, previous=previous)
    if s.mood_change > -MOOD_CHANGE:
        return speech.phrase("summary_mood_level", mood=mood)
    return speech.phrase("summary_mood_down", mood=mood, previous=previous)


def _observe(speech: Speech, s: WeekSummary) -> str:
    """One true, encouraging thing, in order of how much it says."""
    if s.best_lift is not None and s.best_lift.mean > 0:
        return speech.phrase("observe_lift", title=speech.capital(speech.activity(s.best_lift.title)),
                             lift=speech.number(s.best_lift.mean))
    social = s.by_kind.get("social")
    if social is not None and social.done:
        return speech.phrase("observe_social")
    if sum(1 for t in s.by_kind.values() if t.done) >= 2:
        return speech.phrase("observe_mix")
    if s.total.done:
        return speech.phrase("observe_done")
    if s.barriers:
        return speech.phrase("observe_barriers", barrier=speech.word(f"barrier_{s.barriers[0][0]}"))
    return speech.phrase("observe_start")


def _adjust(speech: Speech, s: WeekSummary) -> str:
    a = s.adjustment
    title = speech.activity(a.title) if a.title else ""
    return speech.phrase(f"adjust_{a.code}", title=title)


def summary_card(speech: Speech, s: WeekSummary) -> str:
    """The week's steps at a glance. The card goes to the account holder's Alexa app,
    which someone else may read, so it carries no mood, no lift and no trend: those
    are spoken only, behind the guard."""
    lines = [f"{s.first_day.isoformat()} – {s.last_day.isoformat()}",
             f"Steps: {s.total.done} done of {s.total.planned} planned; "
             f"{s.total.not_done} not today"]
    for kind, tally in sorted(s.by_kind.items()):
        if tally.planned or tally.done:
            lines.append(f"{kind}: {tally.done}/{tally.planned}")
    if s.barriers:
        lines.append("In the way: " + ", ".join(
            f"{speech.word(f'barrier_{b}')} ({n})" for b, n in s.barriers))
    return speech.spell("\n".join(lines))
