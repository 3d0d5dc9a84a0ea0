"""Choosing "the small step" from a person's own evidence. Pure and deterministic:
the same history always gives the same answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from domain.activity import activity_fields
from domain.catalogue import Activity
from domain.results import Adjustment, Stats, StepView, Suggestion

RECENT_DONE_DAYS = 3  # an activity done this recently is not offered again
NOT_TODAY_DAYS = 2  # nor one that was "not today" this recently (unless made smaller)
MIN_EVIDENCE = 2  # measured lifts before evidence counts
# Evidence moves an activity by at most this many difficulty levels: its own
# measured lifts count most, its kind's a little.
ACTIVITY_LEAN, KIND_LEAN = 1.5, 0.5


def _lean(stats: Stats | None, limit: float) -> float | None:
    """Half a difficulty level per point of mean mood lift, within ±limit."""
    if stats is None or stats.lift_n < MIN_EVIDENCE:
        return None
    mean = stats.mean_lift or 0.0
    return max(-limit, min(limit, mean / 2))


def choose(
    repertoire: Sequence[Activity],
    *,
    today: date,
    recent: Iterable[StepView],
    by_activity: dict[str, Stats],
    by_kind: dict[str, Stats],
    is_value_linked: Callable[[Activity], bool],
    prefers_values: bool,
    exclude: Iterable[str] = (),
) -> Suggestion | None:
    """The easiest value-linked activity not done lately, leaning towards what has
    lifted this person's mood before."""
    blocked = set(exclude)
    for step in recent:
        age = (today - step.day).days
        if step.day == today and step.status != "not_done":
            blocked.add(step.activity_id)  # already on today's list
        if step.status == "done" and 0 <= age < RECENT_DONE_DAYS:
            blocked.add(step.activity_id)
        if step.status == "not_done" and 0 <= age < NOT_TODAY_DAYS and not step.is_smaller:
            blocked.add(step.activity_id)

    ranked = []
    for index, activity in enumerate(repertoire):
        if activity.key in blocked:
            continue
        linked = is_value_linked(activity)
        lean = _lean(by_activity.get(activity.key), ACTIVITY_LEAN)
        own_evidence = lean is not None
        if lean is None:
            lean = _lean(by_kind.get(activity.kind), KIND_LEAN)
        score = activity.difficulty - (lean or 0.0)
        values_first = 0 if (linked or not prefers_values) else 1
        key = (values_first, score, not own_evidence, activity.difficulty, index)
        ranked.append((key, activity, linked, lean))
    if not ranked:
        return None
    _, activity, linked, lean = min(ranked, key=lambda r: r[0])
    stats = by_activity.get(activity.key)
    if lean is not None and lean > 0:
        reason = "evidence"
    elif not by_activity:
        reason = "starter"
    else:
        reason = "easiest"
    return Suggestion(
        **activity_fields(activity, linked), reason=reason,
        evidence_lift=stats.mean_lift if stats and stats.lift_n >= MIN_EVIDENCE else None,
    )


# Barrier → the replanning move that answers it (the weekly review).
ADJUSTMENT_FOR_BARRIER = {
    "tired": "make_smaller",
    "no_time": "change_time",
    "forgot": "pair_with_routine",
    "anxious": "add_companion",
    "weather": "swap",
    "other": "make_smaller",
}


def adjustment(steps: Sequence[StepView], barriers: Sequence[tuple[str, int]]) -> Adjustment:
    """One practical suggestion for the coming week."""
    if not steps:
        return Adjustment("plan_one")
    not_done = [s for s in steps if s.status == "not_done"]
    if barriers:
        barrier = barriers[0][0]
        # Prefer a step still not done; a replanned one keeps its barrier too.
        hit = ([s for s in not_done if s.barrier == barrier]
               or [s for s in steps if s.barrier == barrier])
        step = hit[-1] if hit else (not_done[-1] if not_done else None)
        return Adjustment(ADJUSTMENT_FOR_BARRIER[barrier], step and step.activity_id,
                          step and step.title, barrier)
    if not_done:
        hardest = max(not_done, key=lambda s: (s.difficulty, s.day))
        return Adjustment("make_smaller", hardest.activity_id, hardest.title)
    done = [s for s in steps if s.status == "done"]
    if done and not any(s.kind == "social" for s in steps):
        return Adjustment("add_social")
    return Adjustment("keep_going")


def spread_days(first: date, last: date, count: int) -> list[date]:
    """Up to ``count`` days between first and last, spaced out, earliest first."""
    span = (last - first).days + 1
    if span <= 0 or count <= 0:
        return []
    count = min(count, span)
    step = span / count
    return [first + timedelta(days=int(i * step)) for i in range(count)]
