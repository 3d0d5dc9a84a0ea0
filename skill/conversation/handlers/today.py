"""Today's small step: what it is, something else, a smaller version, and taking an offer."""

from __future__ import annotations

from datetime import date

from ask_sdk_model import Response

from domain.clock import week_id
from domain.errors import CannotMakeSmaller, DailyCapReached
from domain.results import StepView, Suggestion, Today
from domain.vocabulary import LIFE_AREAS
from skill.conversation.base import OFFERED, IntentHandler, Turn, answers
from skill.conversation.states import DialogState
from skill.model import I


def step_fields(turn: Turn, step: StepView) -> dict:
    today = turn.ctx.today()
    return {"title": turn.speech.activity(step.title),
            "when": turn.speech.when(step.day, step.part_of_day, step.at_time, today),
            "after_today": turn.speech.when_after_today(step.day, step.part_of_day,
                                                        step.at_time, today),
            "minutes": turn.speech.minutes(step.minutes), "smaller": turn.speech.activity(step.smaller)}


def find_step(turn: Turn, step_id: str | None = None, activity: str | None = None,
              day: date | None = None) -> StepView | None:
    """A step by id (or today's for an activity): from today's steps, or from the week
    holding `day`."""
    steps = (turn.app.today(turn.ctx.profile()).steps if day in (None, turn.ctx.today())
             else turn.app.week(turn.ctx.profile(), week_id(day)).steps)
    return next((s for s in steps
                 if (s.step_id == step_id if step_id else s.activity_id == activity)), None)


def target_step(turn: Turn) -> str | None:
    """The step a request is about: the one under discussion, else today's small step."""
    if turn.focus:
        return turn.focus
    step = turn.app.today(turn.ctx.profile()).small_step
    return step.step_id if step else None


def today_card(turn: Turn, today: Today) -> None:
    lines = [f"{'✓' if s.status == 'done' else '•'} {s.title} "
             f"({turn.speech.when(s.day, s.part_of_day, s.at_time, today.day)})"
             for s in today.steps if s.status != "not_done"]
    if lines:
        turn.card("today_card_title", "\n".join(lines))


def offer(turn: Turn, key: str, activity_id: str, title: str, minutes: int,
          smaller: bool = False) -> Response:
    """Offer an activity (or its smaller version) for today; "yes" adds it."""
    offered = turn.session.setdefault(OFFERED, [])
    if activity_id not in offered:
        offered.append(activity_id)
    turn.expect(DialogState.OFFER, activity=activity_id, smaller=smaller)
    return turn.say(key, title=turn.speech.activity(title), minutes=turn.speech.minutes(minutes))


def offer_suggestion(turn: Turn, key: str, s: Suggestion, smaller: bool = False) -> Response:
    if smaller:
        return offer(turn, key, s.activity_id, s.smaller, s.smaller_minutes, smaller=True)
    return offer(turn, key, s.activity_id, s.title, s.minutes)


def present_today(turn: Turn, keys: dict[str, str], exclude: tuple[str, ...] = ()) -> Response:
    """Today's small step if one is waiting, else a suggestion, else a kind word."""
    today = turn.app.today(turn.ctx.profile())
    today_card(turn, today)
    if today.small_step is not None:
        turn.set_focus(today.small_step.step_id)
        turn.expect(DialogState.DOABLE, step=today.small_step.step_id)
        return turn.say(keys["step"], **step_fields(turn, today.small_step))
    if today.done:
        turn.expect(keys["all_done_state"])  # what the all-done turn asks about
        return turn.say(keys["all_done"], steps_done=turn.speech.steps(len(today.done)))
    suggestion = (turn.app.suggest(turn.ctx.profile(), exclude=exclude) if exclude
                  else today.suggestion)
    if suggestion is not None and sum(1 for s in today.steps if not s.unplanned) < 3:
        return offer_suggestion(turn, keys["suggest"], suggestion)
    return turn.say("today_full")


TODAY_KEYS = {"step": "today_step", "suggest": "today_suggest", "all_done": "today_all_done",
              "all_done_state": DialogState.WANT_STEP}


class GetSmallStepHandler(IntentHandler):
    intents = (I.GET_SMALL_STEP, I.START_OVER)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        area = turn.slot_choice(I.LIFE_AREA, LIFE_AREAS)
        if area is not None:
            other = tuple(a.key for a in turn.ctx.profile().repertoire() if a.area != area)
            suggestion = turn.app.suggest(turn.ctx.profile(), exclude=other)
            if suggestion is not None:
                return offer_suggestion(turn, "today_suggest", suggestion)
        return present_today(turn, TODAY_KEYS)


@answers(I.YES, DialogState.WANT_STEP)
def want_step(turn: Turn) -> Response:
    """"Yes" to a step: today's step waiting, else one more step offered, never the same
    question again. (A low mood offers the smallest version itself: handlers/mood.py.)"""
    profile = turn.ctx.profile()
    today = turn.app.today(profile)
    step = today.small_step
    if step is not None:
        return present_today(turn, TODAY_KEYS)
    if sum(1 for s in today.steps if not s.unplanned) >= 3:
        return turn.say("today_full")
    exclude = {*turn.session.get(OFFERED, ()), *(s.activity_id for s in today.steps)}
    suggestion = turn.app.suggest(profile, exclude=tuple(sorted(exclude)))
    if suggestion is None:
        return turn.say("nothing_else")
    return offer_suggestion(turn, "today_suggest", suggestion)


class SomethingElseHandler(IntentHandler):
    intents = (I.SOMETHING_ELSE,)

    def respond(self, turn: Turn) -> Response:
        profile = turn.ctx.profile()
        exclude = set(turn.session.get(OFFERED, ()))
        if turn.focus:
            today = turn.app.today(turn.ctx.profile())
            exclude |= {s.activity_id for s in today.steps if s.step_id == turn.focus}
        kind = turn.slot_choice(I.KIND, ("routine", "pleasure", "mastery", "social"))
        if kind is not None:
            exclude |= {a.key for a in profile.repertoire() if a.kind != kind}
        suggestion = turn.app.suggest(turn.ctx.profile(), exclude=tuple(sorted(exclude)))
        if suggestion is None:
            return turn.say("nothing_else")
        return offer_suggestion(turn, "something_else", suggestion)


@answers(I.NO, DialogState.DOABLE)
@answers(I.SOMETHING_ELSE, DialogState.OFFER)
def not_this_one(turn: Turn) -> Response:
    return SomethingElseHandler().respond(turn)


@answers(I.YES, DialogState.DOABLE)
def doable(turn: Turn) -> Response:
    return turn.say("step_doable")


@answers(I.YES, DialogState.OFFER)
def take_offer(turn: Turn) -> Response:
    """Schedule the offered activity for today (its smaller version if that was offered)."""
    pending = turn.pending
    person = turn.ctx.person
    today = turn.ctx.today()
    try:
        step_id = turn.app.schedule_step(person, pending["activity"], today)
    except DailyCapReached:
        return turn.say("today_full")
    step = turn.app.make_smaller(person, step_id) if pending.get("smaller") else None
    turn.set_focus(step_id)
    return turn.say("step_added", **step_fields(turn, step or find_step(turn, step_id)))


@answers(I.NO, DialogState.OFFER, DialogState.WANT_STEP, DialogState.WANT_OTHER)
def decline_offer(turn: Turn) -> Response:
    return turn.say("no_nothing")


@answers(I.BARRIER, DialogState.OFFER, DialogState.WANT_STEP, DialogState.WANT_OTHER,
         DialogState.PLAN, DialogState.PLAN_OFFER)
@answers(I.LOG_NOT_DONE, DialogState.OFFER, DialogState.WANT_STEP, DialogState.WANT_OTHER,
         DialogState.PLAN, DialogState.PLAN_OFFER)
def barrier_instead(turn: Turn) -> Response:
    """"I'm too tired" or "I can't" to an offer of a new step: nothing added, nothing
    recorded (no step was under discussion to be not today)."""
    return turn.say("barrier_instead")


class MakeItSmallerHandler(IntentHandler):
    intents = (I.MAKE_IT_SMALLER,)

    def respond(self, turn: Turn) -> Response:
        person = turn.ctx.person
        turn.ctx.profile()
        if turn.pending.get("what") == DialogState.OFFER and not turn.pending.get("smaller"):
            a = turn.ctx.profile().activity(turn.pending["activity"])
            if a is not None:
                return offer(turn, "today_suggest", a.key, a.smaller, a.smaller_minutes, True)
        step_id = target_step(turn)
        if step_id is None:
            suggestion = turn.app.suggest(turn.ctx.profile())
            if suggestion is None:
                return turn.say("nothing_else")
            return offer_suggestion(turn, "today_suggest", suggestion, smaller=True)
        try:
            step = turn.app.make_smaller(person, step_id)
        except CannotMakeSmaller:
            turn.expect(DialogState.WANT_OTHER)
            return turn.say("already_smallest")
        turn.set_focus(step.step_id)
        fields = step_fields(turn, step)
        return turn.say("made_smaller", smaller=fields["title"], minutes=fields["minutes"],
                        when=fields["when"])


@answers(I.MAKE_IT_SMALLER, DialogState.OFFER)
def smaller_offer(turn: Turn) -> Response:
    """"Make it smaller" to a step just offered: its smaller version offered instead."""
    return MakeItSmallerHandler().respond(turn)


@answers(I.YES, DialogState.WANT_OTHER)
def want_other(turn: Turn) -> Response:
    return SomethingElseHandler().respond(turn)
