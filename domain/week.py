"""The Week aggregate: one person's ISO week of steps, moods, replans and review.

A week holds at most a few dozen events, so logging a step or reading a week costs
the same in a person's first week and their tenth year.

Each command method checks the week's own rules (a step done once, the daily cap,
a smaller version only once ...) and then records its event; a rule broken raises
the DomainError that names it, and nothing is recorded. The events are recorded by
the private ``@event`` methods below each command: their parameters are the stored
events' fields (they stay as they are), and their bodies only change state, so a
week loads from its events without checking rules again. Events with no rule to
keep (planned, reviewed, safety offered) are recorded by the public method itself.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime, time
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.activity import activity_fields, pick_activity_fields
from domain.catalogue import Activity
from domain.clock import week_days
from domain.errors import (
    CannotMakeSmaller,
    DailyCapReached,
    InvalidChoice,
    NoStepToLog,
    StepAlreadyDone,
    StepAlreadyLogged,
    UnknownStep,
)
from domain.vocabulary import ANYTIME, DAILY_CAP, PARTS_OF_DAY, slot_of

PENDING, DONE, NOT_DONE, MOVED_AWAY = "pending", "done", "not_done", "moved_away"

__all__ = ["DONE", "MOVED_AWAY", "NOT_DONE", "PENDING", "Step", "Week", "activity_fields",
           "slot_of", "step_order", "week_aggregate_id"]


def week_aggregate_id(person_id: UUID, week: str) -> UUID:
    return uuid5(person_id, f"week:{week}")


@dataclass
class Step:
    step_id: str
    activity_id: str
    title: str
    kind: str
    area: str
    value_linked: bool
    difficulty: int
    minutes: int
    smaller: str
    smaller_minutes: int
    day: date
    part_of_day: str
    at_time: time | None
    unplanned: bool
    status: str = PENDING
    is_smaller: bool = False
    paired_with: str | None = None
    done_at: datetime | None = None
    mastery: int | None = None
    enjoyment: int | None = None
    barrier: str | None = None

    def order_key(self) -> tuple:
        return step_order(self.day, self.part_of_day, self.at_time, self.step_id)


# What StepScheduled gives a new Step (the rest of a Step starts at its default).
SCHEDULED_FIELDS = tuple(f.name for f in fields(Step) if f.default is MISSING)


def step_order(day: date, part_of_day: str, at_time: time | None, step_id: str) -> tuple:
    """A day's steps in the order they come: part of the day, time, then as scheduled."""
    slots = (*PARTS_OF_DAY, ANYTIME)
    return (day, slots.index(slot_of(part_of_day, at_time)), at_time or time(23, 59),
            int(step_id.rsplit(".", 1)[1]))


class Week(Aggregate):
    @staticmethod
    def create_id(person_id: UUID, week: str) -> UUID:
        return week_aggregate_id(person_id, week)

    @event("Opened")
    def __init__(self, person_id: UUID, week: str):
        self.person_id = person_id
        self.week = week
        self.steps: dict[str, Step] = {}
        self.moods: list[dict] = []
        self.planned = False
        self.review: dict | None = None
        self._step_count = 0

    # -- reading ----------------------------------------------------------------

    def next_step_id(self) -> str:
        return f"{self.week}.{self._step_count + 1}"

    def next_mood_id(self) -> str:
        return f"{self.week}.m{len(self.moods) + 1}"

    def step(self, step_id: str) -> Step:
        """A step of this week that has not moved away; UnknownStep otherwise."""
        step = self.steps.get(step_id)
        if step is None or step.status == MOVED_AWAY:
            raise UnknownStep(f"no step {step_id!r}")
        return step

    def active_steps_on(self, day: date) -> list[Step]:
        return sorted(
            (s for s in self.steps.values() if s.day == day and s.status != MOVED_AWAY),
            key=Step.order_key,
        )

    def first_pending(self, day: date) -> Step:
        """The day's earliest step still waiting; NoStepToLog when there is none."""
        for step in self.active_steps_on(day):
            if step.status == PENDING:
                return step
        raise NoStepToLog("nothing is waiting today")

    def open_step_for(self, activity_id: str, day: date) -> Step | None:
        """The day's first step of an activity that is not done yet, if any."""
        for step in self.active_steps_on(day):
            if step.activity_id == activity_id and step.status != DONE:
                return step
        return None

    def contains(self, day: date) -> bool:
        first, last = week_days(self.week)
        return first <= day <= last

    # -- rules --------------------------------------------------------------------

    def room_on(self, day: date) -> int:
        """The daily cap: at most DAILY_CAP planned steps on a day (steps logged on
        the spot, unplanned, do not count). How many more fit."""
        return DAILY_CAP - sum(1 for s in self.active_steps_on(day) if not s.unplanned)

    def check_room(self, day: date, extra: int = 1) -> None:
        """DailyCapReached unless `extra` more planned steps fit on `day`."""
        room = self.room_on(day)
        if extra > room:
            raise DailyCapReached(f"{day} already has {DAILY_CAP - room} steps; "
                                  f"{DAILY_CAP} at most")

    def _not_done(self, step_id: str) -> Step:
        """A step that can still change; StepAlreadyDone once it is done."""
        step = self.step(step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already done")
        return step

    # -- scheduling -------------------------------------------------------------

    def schedule(self, *, day: date, unplanned: bool, **recorded: Any) -> None:
        """Record a step as StepScheduled gives it (the keyword arguments are the
        event's fields), within the daily cap unless it is unplanned."""
        if not unplanned:
            self.check_room(day)
        self._scheduled(day=day, unplanned=unplanned, **recorded)

    def add_step(self, activity: Activity, value_linked: bool, day: date, part_of_day: str,
                 at_time: time | None, at: datetime, *, unplanned: bool = False,
                 moved_from: str | None = None, title: str | None = None,
                 minutes: int | None = None) -> str:
        """Schedule `activity` (``title`` and ``minutes`` keep a step's own when it
        moves in from another week). Returns the new step's id."""
        step_id = self.next_step_id()
        given = activity_fields(activity, value_linked)
        if title is not None:
            given["title"], given["minutes"] = title, minutes
        self.schedule(step_id=step_id, day=day, part_of_day=part_of_day, at_time=at_time,
                      unplanned=unplanned, moved_from=moved_from, at=at, **given)
        return step_id

    @event("StepScheduled")
    def _scheduled(
        self,
        step_id: str,
        activity_id: str,
        title: str,
        kind: str,
        area: str,
        value_linked: bool,
        difficulty: int,
        minutes: int,
        smaller: str,
        smaller_minutes: int,
        day: date,
        part_of_day: str,
        at_time: time | None,
        unplanned: bool,
        moved_from: str | None,
        at: datetime,
    ) -> None:
        given = locals()
        self._step_count += 1
        self.steps[step_id] = Step(**{name: given[name] for name in SCHEDULED_FIELDS})

    @event("WeekPlanned")
    def mark_planned(self, step_ids: tuple[str, ...], at: datetime) -> None:
        self.planned = True

    # -- monitoring -------------------------------------------------------------

    def mark_done(self, step_id: str, day: date, at: datetime, mastery: int | None = None,
                  enjoyment: int | None = None) -> Step:
        """A step done, once. Returns the step."""
        step = self.step(step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already logged as done")
        self._done(step_id=step_id, day=day, at=at, mastery=mastery, enjoyment=enjoyment)
        return step

    @event("StepDone")
    def _done(
        self, step_id: str, day: date, at: datetime, mastery: int | None, enjoyment: int | None
    ) -> None:
        step = self.steps[step_id]
        step.status, step.done_at = DONE, at
        step.mastery, step.enjoyment = mastery, enjoyment

    def rate_step(self, step_id: str, mastery: int | None, enjoyment: int | None) -> None:
        """Mastery and enjoyment: only of a step that was done."""
        if self.step(step_id).status != DONE:
            raise NoStepToLog("only a step that was done can be rated")
        self._rated(step_id=step_id, mastery=mastery, enjoyment=enjoyment)

    @event("StepRated")
    def _rated(self, step_id: str, mastery: int | None, enjoyment: int | None) -> None:
        step = self.steps[step_id]
        if mastery is not None:
            step.mastery = mastery
        if enjoyment is not None:
            step.enjoyment = enjoyment

    def mark_not_done(self, step_id: str, day: date, at: datetime, barrier: str | None = None,
                      note: str | None = None) -> Step:
        """Not today: once, and never for a step that was done. Returns the step."""
        step = self.step(step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already logged as done")
        if step.status == NOT_DONE:
            raise StepAlreadyLogged(f"{step.title} is already marked not today")
        self._not_today(step_id=step_id, day=day, at=at, barrier=barrier, note=note)
        return step

    @event("StepNotDone")
    def _not_today(
        self, step_id: str, day: date, at: datetime, barrier: str | None, note: str | None
    ) -> None:
        step = self.steps[step_id]
        step.status, step.barrier = NOT_DONE, barrier

    class MoodRated(Aggregate.Event):
        """A mood 0–10. Version 2 added ``moment`` (standalone, before or after a step)."""

        class_version = 2
        mood_id: str
        value: int
        day: date
        at: datetime
        step_id: str | None
        moment: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 only stored moods given right after logging a step.
            state["moment"] = "after" if state.get("step_id") else "standalone"

    def rate_mood(self, value: int, day: date, at: datetime, step_id: str | None = None,
                  moment: str = "standalone", mood_id: str | None = None) -> str:
        """A mood on its own, or just before or after a step of this week (a mood
        before or after goes with a step; one on its own with none). Returns its id."""
        if (moment == "standalone") != (step_id is None):
            raise InvalidChoice("a mood before or after goes with a step")
        if step_id is not None:
            self.step(step_id)
        mood_id = mood_id or self.next_mood_id()
        self._mood_rated(mood_id=mood_id, value=value, day=day, at=at, step_id=step_id,
                         moment=moment)
        return mood_id

    @event(MoodRated)
    def _mood_rated(
        self, mood_id: str, value: int, day: date, at: datetime, step_id: str | None, moment: str
    ) -> None:
        self.moods.append(
            {"mood_id": mood_id, "value": value, "day": day, "at": at,
             "step_id": step_id, "moment": moment}
        )

    # -- replanning -------------------------------------------------------------

    def move(self, step_id: str, day: date, part_of_day: str, at_time: time | None,
             at: datetime) -> None:
        """To another day or time of this week: not once done, and within the
        daily cap of a new day."""
        step = self._not_done(step_id)
        if day != step.day:
            self.check_room(day)
        self._moved(step_id=step_id, day=day, part_of_day=part_of_day, at_time=at_time, at=at)

    @event("StepMoved")
    def _moved(self, step_id: str, day: date, part_of_day: str, at_time: time | None,
               at: datetime) -> None:
        step = self.steps[step_id]
        step.day, step.part_of_day, step.at_time = day, part_of_day, at_time
        step.status = PENDING  # the barrier stays: it appeared this week

    def move_away(self, step_id: str, day: date, new_step_id: str, at: datetime) -> None:
        """To another week, where it is scheduled as ``new_step_id``: not once done."""
        self._not_done(step_id)
        self._moved_away(step_id=step_id, day=day, new_step_id=new_step_id, at=at)

    @event("StepMovedToAnotherWeek")
    def _moved_away(self, step_id: str, day: date, new_step_id: str, at: datetime) -> None:
        self.steps[step_id].status = MOVED_AWAY

    def make_smaller(self, step_id: str, at: datetime, title: str | None = None,
                     minutes: int | None = None) -> Step:
        """Its smaller version instead (by default the activity's own): once, and
        not once done. Returns the step."""
        step = self._not_done(step_id)
        if step.is_smaller:
            raise CannotMakeSmaller("this step is already its smallest version")
        self._made_smaller(step_id=step_id, at=at, title=title or step.smaller,
                           minutes=minutes or step.smaller_minutes)
        return step

    @event("StepMadeSmaller")
    def _made_smaller(self, step_id: str, title: str, minutes: int, at: datetime) -> None:
        step = self.steps[step_id]
        step.title, step.minutes, step.is_smaller = title, minutes, True
        if step.status == NOT_DONE:
            step.status = PENDING  # the barrier stays: it appeared this week

    def swap(self, step_id: str, at: datetime, **activity: Any) -> Step:
        """Another activity instead (``activity``: its fields, as `activity_fields`
        gives them): not once done. Returns the step."""
        step = self._not_done(step_id)
        self._swapped(step_id=step_id, at=at, **activity)
        return step

    @event("StepSwapped")
    def _swapped(
        self,
        step_id: str,
        activity_id: str,
        title: str,
        kind: str,
        area: str,
        value_linked: bool,
        difficulty: int,
        minutes: int,
        smaller: str,
        smaller_minutes: int,
        at: datetime,
    ) -> None:
        step = self.steps[step_id]
        for name, value in pick_activity_fields(locals()).items():
            setattr(step, name, value)
        step.is_smaller = False
        step.status = PENDING  # the barrier stays: it appeared this week

    def pair(self, step_id: str, routine: str, at: datetime) -> Step:
        """Tied to a daily routine ("after breakfast"). Returns the step."""
        step = self.step(step_id)
        self._paired(step_id=step_id, routine=routine, at=at)
        return step

    @event("StepPairedWithRoutine")
    def _paired(self, step_id: str, routine: str, at: datetime) -> None:
        self.steps[step_id].paired_with = routine

    # -- review and safety ------------------------------------------------------

    @event("WeekReviewed")
    def record_review(
        self,
        helped: tuple[str, ...],
        barriers: tuple[str, ...],
        adjustments: tuple[str, ...],
        at: datetime,
    ) -> None:
        self.review = {"helped": helped, "barriers": barriers, "adjustments": adjustments}

    @event("SafetyResourcesOffered")
    def record_safety_offered(self, locale: str, at: datetime) -> None:
        """Only that resources were offered: never what was said."""
