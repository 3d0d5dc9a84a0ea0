"""Rebuilding every read model keeps up with reading the events it is built from.

The benchmark seeds a fresh PostgreSQL schema with about 1,000,000 domain events
(many people, each enrolled and then living day after day: moods, steps scheduled,
done with moods before and after, not done with a barrier, made smaller, swapped,
paired, moved within the week and into the next one, weeks planned and reviewed).
The events are made by the domain's own aggregates (``Person``, ``Week``) in
memory and stored with ``app.save(*aggregates)`` one simulated day at a time, so
people's histories interleave in the notification log as they would in use.
Seeding is not measured.

Then it measures, over the same notifications:

- raw:     reading every notification through the application recorder's
  ``select_notifications`` in batches of ``CATCH_UP_BATCH``, decoding and
  applying nothing (the best of two passes; the first also warms the caches);
- decoded: the same reading, each notification also turned into its domain event
  as ``catch_up`` does before applying it (for information: no rebuild can be
  faster than this);
- rebuild: ``app.rebuild_views()``, which empties the views and builds every read
  model again from the first event: the catch-up that queries run, reading pages of
  ``CATCH_UP_BATCH`` and applying ``LONG_CATCH_UP_BATCH`` events per transaction
  (new rows by COPY), as the projector does when it starts far behind.

It prints events, seconds and events/s for each, the machine (cores, Python,
PostgreSQL server), and last the line ``projection_ratio=X``: rebuild events/s
divided by raw events/s. The target is X >= 0.25. The exit status is 0 whether the
target is met or not.

Run it::

    .venv/bin/python bench/projections.py                  # 1,000,000 events
    .venv/bin/python bench/projections.py --events 100000

It uses the server named by SMALL_STEPS_BENCH_PG, else SMALL_STEPS_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/small_steps_test; bench/common.py) in a fresh schema
``bench_<random>`` that is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a plain script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PG_URL, log, postgres_store, server_version  # noqa: E402
from domain.activity import activity_fields  # noqa: E402
from domain.app import SmallSteps  # noqa: E402
from domain.catalogue import Activity, starter  # noqa: E402
from domain.clock import week_id  # noqa: E402
from domain.person import Person  # noqa: E402
from domain.projections.catchup import CATCH_UP_BATCH, LONG_CATCH_UP_BATCH  # noqa: E402
from domain.projections.views import VIEW_TABLES  # noqa: E402
from domain.vocabulary import ANYTIME, BARRIERS, PARTS_OF_DAY  # noqa: E402
from domain.week import PENDING, Week  # noqa: E402

TARGET = 0.25
FIRST_DAY = date(2026, 1, 5)  # a Monday
EVENTS_PER_PERSON = 600  # about four months of daily use each
PLACES = (("en-GB", "Europe/London"), ("en-US", "America/New_York"),
          ("en-AU", "Australia/Sydney"), ("en-IN", "Asia/Kolkata"))


# -- seeding: people living day after day --------------------------------------------


@dataclass
class Someone:
    person: Person
    weeks: dict[str, Week] = field(default_factory=dict)
    carried: list[tuple[Week, str]] = field(default_factory=list)  # moved to tomorrow


class Seeder:
    """Makes genuine domain events with the aggregates' own methods."""

    def __init__(self, people: int, rng: random.Random):
        self.rng = rng
        self.activities: list[Activity] = list(starter())
        self.people = [self._enrol(i) for i in range(people)]

    def _enrol(self, i: int) -> Someone:
        locale, time_zone = self.rng.choice(PLACES)
        at = datetime.combine(FIRST_DAY - timedelta(days=1), datetime.min.time(),
                              timezone.utc) + timedelta(minutes=i % 1000)
        person = Person(person_key=f"bench-{i}", locale=locale, time_zone=time_zone, at=at)
        if self.rng.random() < 0.2:
            person.set_relapse_plan(warning_signs=("staying in bed",),
                                    boosters=("walk-around-block",), at=at)
        return Someone(person)

    def week(self, someone: Someone, day: date) -> Week:
        wid = week_id(day)
        week = someone.weeks.get(wid)
        if week is None:
            week = Week(person_id=someone.person.id, week=wid)
            someone.weeks[wid] = week
            for old in sorted(someone.weeks)[:-2]:  # last week stays for late logging
                del someone.weeks[old]
        return week

    def schedule(self, someone: Someone, week: Week, day: date, at: datetime) -> str:
        rng = self.rng
        activity = rng.choice(self.activities)
        step_id = week.next_step_id()
        part = rng.choice((*PARTS_OF_DAY, ANYTIME)) if rng.random() < 0.9 else "morning"
        at_time = None
        if rng.random() < 0.15:
            at_time = datetime.min.replace(hour=rng.randint(7, 21), minute=30).time()
        week.schedule(step_id=step_id, day=day, part_of_day=part, at_time=at_time,
                      unplanned=rng.random() < 0.05, moved_from=None, at=at,
                      **activity_fields(activity, activity.kind != "routine"))
        return step_id

    def live(self, someone: Someone, day: date) -> list[object]:
        """One ordinary day; returns the aggregates it changed."""
        rng = self.rng
        at = datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(
            hours=7, minutes=rng.randint(0, 90))

        def later(minutes: int = 1) -> datetime:
            nonlocal at
            at += timedelta(minutes=minutes, seconds=rng.randint(0, 59))
            return at

        week = self.week(someone, day)
        changed: list[object] = [week]
        if rng.random() < 0.7:
            week.rate_mood(mood_id=week.next_mood_id(), value=rng.randint(2, 8), day=day,
                           at=later(), step_id=None, moment="standalone")
        steps = [(w, s) for w, s in someone.carried if w.steps[s].status == PENDING]
        for _ in range(min(2 if rng.random() < 0.6 else 1, week.room_on(day))):
            steps.append((week, self.schedule(someone, week, day, later())))
        if day.weekday() == 0 and rng.random() < 0.5:
            week.mark_planned(step_ids=tuple(s for _, s in steps), at=later())
        if rng.random() < 0.002:
            week.record_safety_offered(locale=someone.person.locale, at=later())

        later(9 * 60)
        someone.carried = []
        for w, step_id in steps:
            if w not in changed:
                changed.append(w)
            later(5)
            r = rng.random()
            if r < 0.03:
                w.pair(step_id=step_id, routine="after breakfast", at=later())
            if r < 0.05:  # not today: tomorrow, perhaps in next week
                self._move_to_tomorrow(someone, w, step_id, day, later(), changed)
                continue
            if r < 0.08:  # later today
                w.move(step_id=step_id, day=day, part_of_day="evening", at_time=None,
                       at=later())
            if 0.08 <= r < 0.10:
                other = rng.choice(self.activities)
                w.swap(step_id=step_id, at=later(),
                       **activity_fields(other, other.kind != "routine"))
            elif 0.10 <= r < 0.17:
                step = w.steps[step_id]
                if not step.is_smaller:
                    w.make_smaller(step_id=step_id, title=step.smaller,
                                   minutes=step.smaller_minutes, at=later())
            if r < 0.78:
                if rng.random() < 0.3:
                    w.rate_mood(mood_id=w.next_mood_id(), value=rng.randint(2, 7), day=day,
                                at=later(), step_id=step_id, moment="before")
                w.mark_done(step_id=step_id, day=day, at=later(), mastery=rng.randint(3, 9),
                            enjoyment=rng.randint(3, 9) if rng.random() < 0.8 else None)
                if rng.random() < 0.9:
                    w.rate_mood(mood_id=w.next_mood_id(), value=rng.randint(3, 9), day=day,
                                at=later(), step_id=step_id, moment="after")
                if rng.random() < 0.05:
                    w.rate_step(step_id=step_id, mastery=None, enjoyment=rng.randint(0, 10))
            elif r < 0.96:
                w.mark_not_done(step_id=step_id, day=day, at=later(),
                                barrier=rng.choice(BARRIERS) if rng.random() < 0.8 else None,
                                note=None)
            # else: left pending, as happens
        if day.weekday() == 6 and rng.random() < 0.4:
            week.record_review(helped=("mornings",), barriers=("tired",), adjustments=(),
                               at=later())
        return changed

    def _move_to_tomorrow(self, someone: Someone, week: Week, step_id: str, day: date,
                          at: datetime, changed: list[object]) -> None:
        tomorrow = day + timedelta(days=1)
        step = week.steps[step_id]
        if week_id(tomorrow) == week.week:
            week.move(step_id=step_id, day=tomorrow, part_of_day=step.part_of_day,
                      at_time=step.at_time, at=at)
            someone.carried.append((week, step_id))
            return
        target = self.week(someone, tomorrow)
        new_id = target.next_step_id()
        activity = next(a for a in self.activities if a.key == step.activity_id)
        fields = activity_fields(activity, step.value_linked)
        fields["title"], fields["minutes"] = step.title, step.minutes
        target.schedule(step_id=new_id, day=tomorrow, part_of_day=step.part_of_day,
                        at_time=step.at_time, unplanned=False, moved_from=step_id, at=at,
                        **fields)
        week.move_away(step_id=step_id, day=tomorrow, new_step_id=new_id, at=at)
        someone.carried.append((target, new_id))
        changed.append(target)


def pending(aggregates: list[object]) -> int:
    return sum(len(a.pending_events) for a in aggregates)  # type: ignore[attr-defined]


def seed(app: SmallSteps, events: int) -> int:
    """Store at least ``events`` events (a few more: the last person's day is
    finished); returns how many."""
    people = max(1, round(events / EVENTS_PER_PERSON))
    seeder = Seeder(people, random.Random(7))
    enrolments = [s.person for s in seeder.people]
    stored = pending(enrolments)
    app.save(*enrolments)
    day = FIRST_DAY
    started = time.perf_counter()
    reported = 0
    while stored < events:
        changed: list[object] = []
        for someone in seeder.people:
            changed.extend(seeder.live(someone, day))
            if stored + pending(changed) >= events:
                break
        unique = list({id(a): a for a in changed}.values())
        stored += pending(unique)
        app.save(*unique)
        day += timedelta(days=1)
        if stored - reported >= 50_000 or stored >= events:
            reported = stored
            rate = stored / (time.perf_counter() - started)
            log(f"seeding: {stored:,} events ({people:,} people, {(day - FIRST_DAY).days} "
                f"days), {rate:,.0f} events/s")
    return stored


# -- measuring ------------------------------------------------------------------------


def read_raw(app: SmallSteps) -> tuple[int, float]:
    """Every notification, batch by batch as catch_up reads them, nothing decoded."""
    target = app.recorder.max_notification_id() or 0
    started = time.perf_counter()
    position, count = 0, 0
    while position < target:
        notifications = app.recorder.select_notifications(
            start=position + 1, limit=CATCH_UP_BATCH, stop=target)
        if not notifications:
            break
        count += len(notifications)
        position = notifications[-1].id
    return count, time.perf_counter() - started


def read_decoded(app: SmallSteps) -> float:
    """As ``read_raw``, also turning each notification into its domain event the
    way catch_up does before applying it: the floor under any rebuild."""
    target = app.recorder.max_notification_id() or 0
    started = time.perf_counter()
    position = 0
    while position < target:
        notifications = app.recorder.select_notifications(
            start=position + 1, limit=CATCH_UP_BATCH, stop=target)
        if not notifications:
            break
        for n in notifications:
            app.mapper.to_domain_event(n)
        position = notifications[-1].id
    return time.perf_counter() - started


def rebuild(app: SmallSteps) -> float:
    started = time.perf_counter()
    app.rebuild_views()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000,
                        help="how many events to seed (default 1,000,000)")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")

    with postgres_store(PG_URL) as url:
        app = SmallSteps.from_store(url, sync_views=False)  # seeded bare: rebuilt below
        try:
            log(f"seeding about {args.events:,} events...")
            started = time.perf_counter()
            seeded = seed(app, args.events)
            seed_seconds = time.perf_counter() - started
            log(f"seeded {seeded:,} events in {seed_seconds:.1f}s; reading them raw...")
            raw = [read_raw(app) for _ in range(2)]
            raw_events, raw_seconds = min(raw, key=lambda r: r[1])
            log(f"raw read: {raw_events:,} in {raw_seconds:.2f}s; reading and decoding...")
            decoded_seconds = read_decoded(app)
            log(f"read and decoded in {decoded_seconds:.2f}s; rebuilding the views...")
            rebuild_seconds = rebuild(app)
            if app.views.position() != app.recorder.max_notification_id():
                raise SystemExit("the rebuild did not reach the end of the log")
            with app.views.reading() as cur:
                rows = {t: cur.one(f"SELECT COUNT(*) AS n FROM {t}")["n"] for t in VIEW_TABLES}
        finally:
            app.close()

    raw_rate = raw_events / raw_seconds
    rebuild_rate = raw_events / rebuild_seconds
    ratio = rebuild_rate / raw_rate
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PostgreSQL {server_version(PG_URL)}")
    print(f"catch_up_batch={CATCH_UP_BATCH} long_catch_up_batch={LONG_CATCH_UP_BATCH}")
    print(f"events={raw_events}")
    print(f"seed_s={seed_seconds:.1f}")
    print(f"raw_s={raw_seconds:.2f}")
    print(f"raw_events_per_s={raw_rate:.0f}")
    print(f"decoded_s={decoded_seconds:.2f}")
    print(f"decoded_events_per_s={raw_events / decoded_seconds:.0f}")
    print(f"rebuild_s={rebuild_seconds:.2f}")
    print(f"rebuild_events_per_s={rebuild_rate:.0f}")
    print("view_rows: " + ", ".join(f"{t}={n}" for t, n in rows.items()))
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"target projection_ratio>={TARGET}: {verdict}")
    print(f"projection_ratio={ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
