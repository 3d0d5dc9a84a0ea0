"""The Week aggregate: one person's ISO week of steps, moods, replans and review.

A week holds at most a few dozen events, so logging a step or reading a week costs
the same in a person's first week and their tenth year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalogue import Activity
from domain.clock import week_days
from domain.vocabulary import ANYTIME, PARTS_OF_DAY, part_of_day_for

PENDING, DONE, NOT_DONE, MOVED_AWAY = "pending", "done", "not_done", "moved_away"


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


def slot_of(part_of_day: str, at_time: time | None) -> str:
    """morning / afternoon / evening (or anytime): from the time when one was given."""
    return part_of_day_for(at_time) if at_time is not None else part_of_day


def step_order(day: date, part_of_day: str, at_time: time | None, step_id: str) -> tuple:
    """A day's steps in the order they come: part of the day, time, then as scheduled."""
    slots = (*PARTS_OF_DAY, ANYTIME)
    return (day, slots.index(slot_of(part_of_day, at_time)), at_time or time(23, 59),
            int(step_id.rsplit(".", 1)[1]))


def activity_fields(activity: Activity, value_linked: bool) -> dict[str, Any]:
    return {
        "activity_id": activity.key,
        "title": activity.title,
        "kind": activity.kind,
        "area": activity.area,
        "value_linked": value_linked,
        "difficulty": activity.difficulty,
        "minutes": activity.minutes,
        "smaller": activity.smaller,
        "smaller_minutes": activity.smaller_minutes,
    }


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

    # -- scheduling -------------------------------------------------------------

    def next_step_id(self) -> str:
        return f"{self.week}.{self._step_count + 1}"

    @event("StepScheduled")
    def schedule(
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
        self._step_count += 1
        self.steps[step_id] = Step(
            step_id=step_id, activity_id=activity_id, title=title, kind=kind, area=area,
            value_linked=value_linked, difficulty=difficulty, minutes=minutes,
            smaller=smaller, smaller_minutes=smaller_minutes, day=day,
            part_of_day=part_of_day, at_time=at_time, unplanned=unplanned,
        )

    @event("WeekPlanned")
    def mark_planned(self, step_ids: tuple[str, ...], at: datetime) -> None:
        self.planned = True

    # -- monitoring -------------------------------------------------------------

    @event("StepDone")
    def mark_done(
        self, step_id: str, day: date, at: datetime, mastery: int | None, enjoyment: int | None
    ) -> None:
        step = self.steps[step_id]
        step.status, step.done_at = DONE, at
        step.mastery, step.enjoyment = mastery, enjoyment

    @event("StepRated")
    def rate_step(self, step_id: str, mastery: int | None, enjoyment: int | None) -> None:
        step = self.steps[step_id]
        if mastery is not None:
            step.mastery = mastery
        if enjoyment is not None:
            step.enjoyment = enjoyment

    @event("StepNotDone")
    def mark_not_done(
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

    @event(MoodRated)
    def rate_mood(
        self, mood_id: str, value: int, day: date, at: datetime, step_id: str | None, moment: str
    ) -> None:
        self.moods.append(
            {"mood_id": mood_id, "value": value, "day": day, "at": at,
             "step_id": step_id, "moment": moment}
        )

    def next_mood_id(self) -> str:
        return f"{self.week}.m{len(self.moods) + 1}"

    # -- replanning -------------------------------------------------------------

    @event("StepMoved")
    def move(self, step_id: str, day: date, part_of_day: str, at_time: time | None, at: datetime) -> None:
        step = self.steps[step_id]
        step.day, step.part_of_day, step.at_time = day, part_of_day, at_time
        step.status = PENDING  # the barrier stays: it appeared this week

    @event("StepMovedToAnotherWeek")
    def move_away(self, step_id: str, day: date, new_step_id: str, at: datetime) -> None:
        self.steps[step_id].status = MOVED_AWAY

    @event("StepMadeSmaller")
    def make_smaller(self, step_id: str, title: str, minutes: int, at: datetime) -> None:
        step = self.steps[step_id]
        step.title, step.minutes, step.is_smaller = title, minutes, True
        if step.status == NOT_DONE:
            step.status = PENDING  # the barrier stays: it appeared this week

    @event("StepSwapped")
    def swap(
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
        step.activity_id, step.title, step.kind, step.area = activity_id, title, kind, area
        step.value_linked, step.difficulty, step.minutes = value_linked, difficulty, minutes
        step.smaller, step.smaller_minutes, step.is_smaller = smaller, smaller_minutes, False
        step.status = PENDING  # the barrier stays: it appeared this week

    @event("StepPairedWithRoutine")
    def pair(self, step_id: str, routine: str, at: datetime) -> None:
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

    # -- reading ----------------------------------------------------------------

    def active_steps_on(self, day: date) -> list[Step]:
        return sorted(
            (s for s in self.steps.values() if s.day == day and s.status != MOVED_AWAY),
            key=Step.order_key,
        )

    def contains(self, day: date) -> bool:
        first, last = week_days(self.week)
        return first <= day <= last
