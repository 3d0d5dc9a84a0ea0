"""The queries: what a person's views say, for the loaded Person.

`Queries` is the reading half of the application (SmallSteps inherits it). Each
query takes the person (their key, or the Person already loaded this turn) and reads
a bounded number of their view rows, never their whole history, all in one go (one
round trip on PostgreSQL) together with the views' position: a command applies its
own events to the views as it records them, so they are normally current; when they
are not, the query helps bring them up to the end of the log first (bounded: see
``CatchUp._current``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from domain import suggest, validation
from domain.clock import week_days, week_id
from domain.loading import Loading
from domain.person import Person, person_id
from domain.results import (
    ActivityInsight,
    Insights,
    Lapse,
    Lift,
    Stats,
    StepView,
    Suggestion,
    Tally,
    Today,
    WeekSummary,
)
from domain.vocabulary import ANYTIME, BARRIERS, KINDS
from domain.week import PENDING, step_order

LAPSE_DAYS = 3  # days without a step before the gentle way back is offered
MOOD_FALL = 2.0  # a fall of the 7-day mood mean that counts as a warning sign


class Queries(Loading):
    """Needs the application's ``views``, ``_current`` (the bounded catch-up) and
    ``_progress_sql`` (the last event's id and the views' position, as one row)."""

    views: Any
    flush: Callable[[], None]
    _current: Callable[[], None]
    _progress_sql: tuple[str, dict[str, Any]]

    def _day(self, p: Person, day: date | str | None) -> date:
        return validation.calendar_date(day) if day is not None else self._local_today(p)

    def _read(self, *statements: tuple[str, dict[str, Any]]) -> list[list[dict]]:
        """A query's view rows, read together from one snapshot, with the views'
        position; if the views lack events (a rebuild, a command that left its events
        to the projector), help with those first and read again. What the open unit
        of work has changed is recorded first (domain/unit.py)."""
        self.flush()
        [progress], *found = self.views.read_all([self._progress_sql, *statements])
        if (progress["head"] or 0) > (progress["position"] or 0):
            self._current()
            found = self.views.read_all(statements)
        return found

    # -- today and the small step -------------------------------------------------

    def today(self, person: str | Person, day: date | str | None = None) -> Today:
        p = self._reader(person)
        day = self._day(p, day)
        steps, lifts = self._read(_recent_sql(p, day), _lifts_sql(p))
        views = [StepView.from_row(r) for r in steps]
        todays = tuple(sorted((s for s in views if s.day == day), key=_view_order))
        pending = [s for s in todays if s.status == PENDING]
        suggestion = None if pending else self._suggest(p, day, views, stats=_stats(lifts))
        return Today(day=day, steps=todays, small_step=pending[0] if pending else None,
                     suggestion=suggestion)

    def suggest(self, person: str | Person, day: date | str | None = None,
                exclude: Iterable[str] = ()) -> Suggestion | None:
        """A small step to offer ("something else" passes what was offered already)."""
        p = self._reader(person)
        day = self._day(p, day)
        steps, lifts = self._read(_recent_sql(p, day), _lifts_sql(p))
        return self._suggest(p, day, [StepView.from_row(r) for r in steps], exclude,
                             _stats(lifts))

    def _suggest(self, p: Person, day: date, recent: list[StepView],
                 exclude: Iterable[str] = (),
                 stats: tuple[dict[str, Stats], dict[str, Stats]] = ({}, {}),
                 ) -> Suggestion | None:
        by_activity, by_kind = stats
        return suggest.choose(
            p.repertoire(), today=day, recent=recent, by_activity=by_activity,
            by_kind=by_kind, is_value_linked=p.is_value_linked, prefers_values=bool(p.values),
            exclude=exclude,
        )

    # -- planning ahead -------------------------------------------------------------

    def propose_week(self, person: str | Person, day: date | str | None = None,
                     count: int = 3) -> list[dict[str, Any]]:
        """A gentle plan for the rest of the week: up to ``count`` steps of different
        kinds, the first value-linked, spread over the days left. Nothing is stored
        until the person agrees and ``plan_week`` is called."""
        p = self._reader(person)
        day = self._day(p, day)
        _, last = week_days(week_id(day))
        days = suggest.spread_days(day, last, count)
        steps, lifts, insights = self._read(_recent_sql(p, day), _lifts_sql(p),
                                            _insights_sql(p))
        recent, stats = [StepView.from_row(r) for r in steps], _stats(lifts)
        chosen: list[Suggestion] = []
        kinds: set[str] = set()
        for _ in days:
            taken = [s.activity_id for s in chosen]
            other_kinds = taken + [a.key for a in p.repertoire() if a.kind in kinds]
            pick = (self._suggest(p, day, recent, other_kinds, stats)
                    or self._suggest(p, day, recent, taken, stats))
            if pick is None:
                break
            chosen.append(pick)
            kinds.add(pick.kind)
        by_activity_slot = _best_slots(insights)
        return [
            {"activity": s.activity_id, "title": s.title, "kind": s.kind, "day": d,
             "part_of_day": by_activity_slot.get(s.activity_id,
                                                 "morning" if s.kind == "routine" else "afternoon")}
            for s, d in zip(chosen, days, strict=False)
        ]

    # -- looking back ---------------------------------------------------------------

    def week(self, person: str | Person, week: str | None = None) -> WeekSummary:
        p = self._reader(person)
        week = validation.iso_week(week) if week is not None else week_id(self._local_today(p))
        pid = p.id.hex
        first, last = week_days(week)
        rows, moods, meta = self._read(
            ("SELECT * FROM ss_steps WHERE person_id = :p AND week = :w "
             "AND status <> 'moved_away'", {"p": pid, "w": week}),
            ("SELECT day, value FROM ss_moods WHERE person_id = :p AND day >= :a AND day <= :b",
             {"p": pid, "a": (first - timedelta(days=7)).isoformat(), "b": last.isoformat()}),
            ("SELECT * FROM ss_weeks WHERE person_id = :p AND week = :w", {"p": pid, "w": week}),
        )
        steps = tuple(sorted((StepView.from_row(r) for r in rows), key=_view_order))
        this = [m["value"] for m in moods if m["day"] >= first.isoformat()]
        before = [m["value"] for m in moods if m["day"] < first.isoformat()]
        mood_average = _mean(this)
        previous = _mean(before)
        total = Tally()
        by_kind: dict[str, Tally] = {k: Tally() for k in KINDS}
        by_day: dict[date, Tally] = {first + timedelta(days=i): Tally() for i in range(7)}
        for s in steps:
            total = total.add(s.status, s.unplanned)
            by_kind[s.kind] = by_kind[s.kind].add(s.status, s.unplanned)
            by_day[s.day] = by_day[s.day].add(s.status, s.unplanned)
        barriers = tuple(sorted(Counter(s.barrier for s in steps if s.barrier).items(),
                                key=lambda kv: (-kv[1], BARRIERS.index(kv[0]))))
        return WeekSummary(
            week=week, first_day=first, last_day=last, total=total, by_kind=by_kind,
            by_day=by_day, steps=steps, mood_average=mood_average, mood_count=len(this),
            previous_mood_average=previous,
            mood_change=(round(mood_average - previous, 2)
                         if mood_average is not None and previous is not None else None),
            best_lift=_best_lift(steps), barriers=barriers,
            adjustment=suggest.adjustment(steps, barriers),
            planned_together=bool(meta and meta[0]["planned"]),
            review=json.loads(meta[0]["review"]) if meta and meta[0]["review"] else None,
            safety_offers=meta[0]["safety_offers"] if meta else 0,
        )

    def insights(self, person: str | Person) -> Insights:
        p = self._reader(person)
        [rows] = self._read(_insights_sql(p))
        per_activity: dict[str, dict[str, Any]] = {}
        kinds: dict[str, Stats] = {k: Stats() for k in KINDS}
        kinds_by_part: dict[str, dict[str, Stats]] = {k: {} for k in KINDS}
        for r in rows:
            stats = _stats_from_row(r)
            entry = per_activity.setdefault(
                r["activity_id"], {"title": r["title"], "kind": r["kind"], "parts": {}})
            entry["parts"][r["slot"]] = stats
            kinds[r["kind"]] += stats
            parts = kinds_by_part[r["kind"]]
            parts[r["slot"]] = parts.get(r["slot"], Stats()) + stats
        activities = [
            ActivityInsight(activity_id=a, title=e["title"], kind=e["kind"],
                            total=sum(e["parts"].values(), Stats()), by_part=e["parts"])
            for a, e in per_activity.items()
        ]
        activities.sort(key=lambda i: (-i.total.done, -i.total.scheduled, i.activity_id))
        return Insights(activities=tuple(activities), kinds=kinds, kinds_by_part=kinds_by_part)

    def last_safety_offer(self, person: str | Person) -> datetime | None:
        """When crisis resources were last offered to the person (None: never), from
        one view row (ss_safety), never from their history. Works before enrolment
        too, as the offer itself does."""
        pid = person.id.hex if isinstance(person, Person) else person_id(person).hex
        [rows] = self._read(("SELECT last_offered_at FROM ss_safety WHERE person_id = :p",
                             {"p": pid}))
        return datetime.fromisoformat(rows[0]["last_offered_at"]) if rows else None

    def persons_of(self, account: str) -> list[str]:
        """The person keys linked to an Alexa account (its keyed hash): the account's
        own person and its voice profiles, as far as each has spoken since the link
        was recorded (ss_accounts). For erasing them all when the skill is disabled."""
        [rows] = self._read(("SELECT person_key FROM ss_accounts WHERE account = :a "
                             "ORDER BY person_key", {"a": account}))
        return [r["person_key"] for r in rows]

    def lapse(self, person: str | Person, day: date | str | None = None) -> Lapse:
        """Warning signs: days without a step, a falling mood. Whether to offer the
        relapse-prevention prompt and the way back."""
        p = self._reader(person)
        day = self._day(p, day)
        pid = p.id.hex
        people, moods = self._read(
            ("SELECT * FROM ss_people WHERE person_id = :p", {"p": pid}),
            ("SELECT day, value FROM ss_moods WHERE person_id = :p AND day > :a AND day <= :b",
             {"p": pid, "a": (day - timedelta(days=14)).isoformat(), "b": day.isoformat()}),
        )
        row = people[0]
        last_done = date.fromisoformat(row["last_done_day"]) if row["last_done_day"] else None
        since = (day - last_done).days if last_done else None
        cut = (day - timedelta(days=7)).isoformat()
        recent = _mean([m["value"] for m in moods if m["day"] > cut])
        earlier = _mean([m["value"] for m in moods if m["day"] <= cut])
        trend = round(recent - earlier, 2) if recent is not None and earlier is not None else None
        reasons = []
        if since is not None and since >= LAPSE_DAYS:
            reasons.append("no_steps_for_days")
        if trend is not None and trend <= -MOOD_FALL:
            reasons.append("mood_falling")
        enrolled = date.fromisoformat(row["enrolled_day"])
        if last_done is None and (day - enrolled).days >= LAPSE_DAYS:
            reasons.append("not_started")
        return Lapse(
            day=day, days_since_last_done=since, mood_last_7_days=recent,
            mood_previous_7_days=earlier, mood_trend=trend, should_prompt=bool(reasons),
            reasons=tuple(reasons), boosters=tuple(json.loads(row["boosters"])),
            warning_signs=tuple(json.loads(row["warning_signs"])),
        )


def _recent_sql(p: Person, day: date) -> tuple[str, dict[str, Any]]:
    """Steps of the last few days up to ``day``: what the suggestion rules look at."""
    return ("SELECT * FROM ss_steps WHERE person_id = :p AND day >= :since AND day <= :day "
            "AND status <> 'moved_away'",
            {"p": p.id.hex, "since": (day - timedelta(days=suggest.RECENT_DONE_DAYS)).isoformat(),
             "day": day.isoformat()})


def _lifts_sql(p: Person) -> tuple[str, dict[str, Any]]:
    """Measured mood lifts per activity: the only evidence suggestions read."""
    return "SELECT * FROM ss_lifts WHERE person_id = :p", {"p": p.id.hex}


def _insights_sql(p: Person) -> tuple[str, dict[str, Any]]:
    return "SELECT * FROM ss_insights WHERE person_id = :p", {"p": p.id.hex}


def _stats(lifts: Iterable[dict]) -> tuple[dict[str, Stats], dict[str, Stats]]:
    """Measured mood lifts per activity and per kind, from ss_lifts rows."""
    by_activity: dict[str, Stats] = {}
    by_kind: dict[str, Stats] = defaultdict(Stats)
    for r in lifts:
        stats = Stats(lift_sum=r["lift_sum"], lift_n=r["lift_n"])
        by_activity[r["activity_id"]] = stats
        by_kind[r["kind"]] += stats
    return by_activity, dict(by_kind)


def _best_slots(insights: Iterable[dict]) -> dict[str, str]:
    """Per activity, the part of the day it was most often done when planned."""
    best: dict[str, tuple[float, int, str]] = {}
    for r in insights:
        if r["slot"] == ANYTIME or not r["scheduled"]:
            continue
        key = (r["done"] / r["scheduled"], r["done"], r["slot"])
        if r["activity_id"] not in best or key > best[r["activity_id"]]:
            best[r["activity_id"]] = key
    return {a: k[2] for a, k in best.items()}


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _view_order(s: StepView) -> tuple:
    return step_order(s.day, s.part_of_day, s.at_time, s.step_id)


def _stats_from_row(r: dict) -> Stats:
    return Stats(r["scheduled"], r["done"], r["not_done"], r["lift_sum"], r["lift_n"])


def _best_lift(steps: Sequence[StepView]) -> Lift | None:
    lifts: dict[str, list[int]] = defaultdict(list)
    titles: dict[str, str] = {}
    for s in steps:
        if s.mood_lift is not None:
            lifts[s.activity_id].append(s.mood_lift)
            titles[s.activity_id] = s.title
    if not lifts:
        return None
    best = max(lifts, key=lambda a: (sum(lifts[a]) / len(lifts[a]), len(lifts[a]), a))
    values = lifts[best]
    return Lift(best, titles[best], round(sum(values) / len(values), 2), len(values))
