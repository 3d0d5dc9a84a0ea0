"""What queries return: plain frozen values, enough for a spoken answer and a
therapist's table alike."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, time
from typing import Any


@dataclass(frozen=True)
class StepView:
    step_id: str
    activity_id: str
    title: str
    kind: str
    area: str
    day: date
    part_of_day: str
    at_time: time | None
    status: str  # pending, done, not_done
    value_linked: bool
    difficulty: int
    minutes: int
    smaller: str
    smaller_minutes: int
    is_smaller: bool
    unplanned: bool
    paired_with: str | None
    barrier: str | None
    mastery: int | None
    enjoyment: int | None
    mood_before: int | None
    mood_after: int | None

    @property
    def mood_lift(self) -> int | None:
        if self.mood_before is None or self.mood_after is None:
            return None
        return self.mood_after - self.mood_before

    @classmethod
    def of(cls, step: Any) -> StepView:
        """The view of a week's Step as it stands (its moods are the views' to pair)."""
        return cls(**{name: getattr(step, name) for name in _STEP_FIELDS},
                   mood_before=None, mood_after=None)

    @classmethod
    def from_row(cls, row: dict) -> StepView:
        """The view of a row of the steps view (ss_steps)."""
        view = {name: row[name] for name in _VIEW_FIELDS}
        view["day"] = date.fromisoformat(row["day"])
        view["at_time"] = time.fromisoformat(row["at_time"]) if row["at_time"] else None
        for flag in ("value_linked", "is_smaller", "unplanned"):
            view[flag] = bool(row[flag])
        return cls(**view)


_VIEW_FIELDS = tuple(f.name for f in fields(StepView))
_STEP_FIELDS = tuple(n for n in _VIEW_FIELDS if n not in ("mood_before", "mood_after"))


@dataclass(frozen=True)
class Suggestion:
    activity_id: str
    title: str
    kind: str
    area: str
    difficulty: int
    minutes: int
    smaller: str
    smaller_minutes: int
    value_linked: bool
    reason: str  # "starter", "evidence" (observed mood lift), "easiest"
    evidence_lift: float | None = None


@dataclass(frozen=True)
class Today:
    day: date
    steps: tuple[StepView, ...]
    small_step: StepView | None  # the earliest pending step
    suggestion: Suggestion | None  # offered when nothing is pending

    @property
    def done(self) -> tuple[StepView, ...]:
        return tuple(s for s in self.steps if s.status == "done")


@dataclass(frozen=True)
class Tally:
    planned: int = 0
    done: int = 0
    not_done: int = 0

    def add(self, status: str, unplanned: bool) -> Tally:
        return Tally(
            self.planned + (not unplanned),
            self.done + (status == "done"),
            self.not_done + (status == "not_done"),
        )


@dataclass(frozen=True)
class Lift:
    activity_id: str
    title: str
    mean: float
    times: int


@dataclass(frozen=True)
class Adjustment:
    """One practical change for next week (one of the replanning moves)."""

    code: str  # make_smaller, change_time, pair_with_routine, add_companion, swap, add_social, keep_going, plan_one
    activity_id: str | None = None
    title: str | None = None
    barrier: str | None = None


@dataclass(frozen=True)
class WeekSummary:
    week: str
    first_day: date
    last_day: date
    total: Tally
    by_kind: dict[str, Tally]
    by_day: dict[date, Tally]
    steps: tuple[StepView, ...]
    mood_average: float | None
    mood_count: int
    previous_mood_average: float | None
    mood_change: float | None
    best_lift: Lift | None
    barriers: tuple[tuple[str, int], ...]  # most common first
    adjustment: Adjustment
    planned_together: bool
    review: dict | None
    safety_offers: int


@dataclass(frozen=True)
class Stats:
    scheduled: int = 0
    done: int = 0
    not_done: int = 0
    lift_sum: int = 0
    lift_n: int = 0

    def __add__(self, other: Stats) -> Stats:
        return Stats(self.scheduled + other.scheduled, self.done + other.done,
                     self.not_done + other.not_done, self.lift_sum + other.lift_sum,
                     self.lift_n + other.lift_n)

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.scheduled if self.scheduled else None

    @property
    def mean_lift(self) -> float | None:
        return self.lift_sum / self.lift_n if self.lift_n else None


@dataclass(frozen=True)
class ActivityInsight:
    activity_id: str
    title: str
    kind: str
    total: Stats
    by_part: dict[str, Stats]


@dataclass(frozen=True)
class Insights:
    activities: tuple[ActivityInsight, ...]  # most done first
    kinds: dict[str, Stats]
    kinds_by_part: dict[str, dict[str, Stats]] = field(default_factory=dict)


@dataclass(frozen=True)
class Lapse:
    day: date
    days_since_last_done: int | None
    mood_last_7_days: float | None
    mood_previous_7_days: float | None
    mood_trend: float | None  # last 7 days minus the 7 before
    should_prompt: bool
    reasons: tuple[str, ...]  # no_steps_for_days, mood_falling, not_started
    boosters: tuple[str, ...]
    warning_signs: tuple[str, ...]
