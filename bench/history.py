"""Reads and writes do not replay a person's whole history.

Two people share one store: a *veteran* with ten years of daily use (about
20,000 domain events, written through the real ``SmallSteps`` application with a
``FixedClock`` moved day by day) and a *newcomer* who enrolled on the veteran's
last day and has one scheduled step. On each following day both get the same
fresh step, and the benchmark times, for each of them, in alternating order:

- today: ``app.today(person)``: reading today's step (the step is pending);
- log:   ``app.log_done(person)`` followed by ``app.catch_up()``: logging the
  step, which applies it to the views in the same transaction (the catch-up finds
  nothing left; it stays, so that a command leaving its events to catch-up would
  show here);
- suggest: ``app.today(person)`` once the step is done: nothing is pending, so the
  small step is chosen from the repertoire and the person's measured mood lifts.

Scheduling the step is done outside the timed region. Building the history is
not measured. For each store it prints the median wall time (milliseconds) of
each operation for each person and ``<store>_history_ratio``, the worst of the
ratios veteran median / newcomer median. The last line is
``history_ratio=X``, the worst ratio across the stores measured; the target is
X <= 1.3. The exit status is 0 whether the target is met or not.

Run it (``make bench`` does the first)::

    .venv/bin/python bench/history.py                      # SQLite and PostgreSQL
    .venv/bin/python bench/history.py --store sqlite --repeats 50 --years 2

SQLite uses a fresh file in a temporary directory. PostgreSQL uses the server
named by SMALL_STEPS_BENCH_PG, else SMALL_STEPS_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/small_steps_test; bench/common.py) in a fresh schema
``bench_<random>`` that is dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):  # run as a plain script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PG_URL, log, postgres_store  # noqa: E402
from domain.app import SmallSteps  # noqa: E402
from domain.catalogue import starter  # noqa: E402
from domain.clock import FixedClock  # noqa: E402
from domain.errors import DomainError  # noqa: E402
from domain.vocabulary import BARRIERS, PARTS_OF_DAY  # noqa: E402

TARGET = 1.3
WARM_UP = 20
VETERAN, NEWCOMER = "veteran", "newcomer"
OPERATIONS = ("today", "log", "suggest")
LAST_DAY = date(2026, 11, 23)  # the veteran's last day of history; the newcomer enrols
MORNING = 8  # hour (UTC) of a day's first command; Europe/London stays on the same date
TIME_ZONE, LOCALE = "Europe/London", "en-GB"
T = TypeVar("T")


def set_clock(clock: FixedClock, day: date, hour: int = MORNING, minute: int = 0) -> None:
    clock.at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


# -- building ten years of history ----------------------------------------------------


def attempt(command: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run one command of the simulated day; None when the rules refuse a random
    choice (the daily cap, a step that was moved)."""
    try:
        return command(*args, **kwargs)
    except DomainError:
        return None


def live_one_day(app: SmallSteps, clock: FixedClock, day: date, rng: random.Random,
                 carried: list[str]) -> list[str]:
    """One ordinary day of the veteran: a morning mood now and then, one step (often
    two), logged done (with moods around it) or not today, sometimes made smaller or
    moved to tomorrow. ``carried`` are steps moved here yesterday; returns the steps
    moved to tomorrow."""
    keys = [a.key for a in starter()]
    set_clock(clock, day)
    if rng.random() < 0.7:
        attempt(app.rate_mood, VETERAN, rng.randint(2, 8))
    steps = list(carried)
    for _ in range(2 if rng.random() < 0.6 else 1):
        clock.advance(minutes=1)
        step_id = attempt(app.schedule_step, VETERAN, rng.choice(keys), day,
                          part_of_day=rng.choice(PARTS_OF_DAY))
        if step_id is not None:
            steps.append(step_id)

    set_clock(clock, day, 17, 30)
    moved: list[str] = []
    for step_id in steps:
        clock.advance(minutes=5)
        r = rng.random()
        if r < 0.05:
            new_id = attempt(app.move_step, VETERAN, step_id, day + timedelta(days=1))
            if new_id is not None:
                moved.append(new_id)
            continue
        if r < 0.12:
            attempt(app.make_smaller, VETERAN, step_id)
            clock.advance(minutes=1)
        if r < 0.78:
            if rng.random() < 0.3:
                attempt(app.rate_mood, VETERAN, rng.randint(2, 7), step_id=step_id,
                        moment="before")
                clock.advance(minutes=1)
            attempt(app.log_done, VETERAN, step_id=step_id, mastery=rng.randint(3, 9),
                    enjoyment=rng.randint(3, 9))
            if rng.random() < 0.9:
                clock.advance(minutes=1)
                attempt(app.rate_mood, VETERAN, rng.randint(3, 9), step_id=step_id)
        elif r < 0.96:
            attempt(app.log_not_done, VETERAN, step_id=step_id, barrier=rng.choice(BARRIERS))
        # else: left pending, as happens
    return moved


def build_history(app: SmallSteps, clock: FixedClock, years: int) -> None:
    rng = random.Random(7)
    days = 365 * years
    first = LAST_DAY - timedelta(days=days - 1)
    set_clock(clock, first)
    app.enrol(VETERAN, LOCALE, TIME_ZONE)
    carried: list[str] = []
    for i in range(days):
        carried = live_one_day(app, clock, first + timedelta(days=i), rng, carried)
        if (i + 1) % 365 == 0:
            app.catch_up()
            events = app.recorder.max_notification_id() or 0
            log(f"building history: year {(i + 1) // 365}/{years}, {events} events")
    set_clock(clock, LAST_DAY, 20)
    app.enrol(NEWCOMER, LOCALE, TIME_ZONE)
    app.schedule_step(NEWCOMER, "make-bed", LAST_DAY, part_of_day="evening")
    app.catch_up()


# -- measuring ------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(app: SmallSteps, clock: FixedClock, repeats: int) -> dict[str, list[float]]:
    """Interleaved timings (seconds); the first WARM_UP days are thrown away."""
    rng = random.Random(11)
    keys = [a.key for a in starter()]
    times: dict[str, list[float]] = {f"{op}_{who}": [] for op in OPERATIONS
                                     for who in (VETERAN, NEWCOMER)}
    gc.collect()
    gc.disable()
    try:
        for i in range(WARM_UP + repeats):
            day = LAST_DAY + timedelta(days=i + 1)
            set_clock(clock, day)
            order = (VETERAN, NEWCOMER) if i % 2 == 0 else (NEWCOMER, VETERAN)
            activity, part = rng.choice(keys), rng.choice(PARTS_OF_DAY)
            for who in order:
                app.schedule_step(who, activity, day, part_of_day=part)
            app.catch_up()
            clock.advance(hours=9)
            sample = {}
            for who in order:
                sample[f"today_{who}"] = timed(lambda who=who: app.today(who))
            for who in order:
                sample[f"log_{who}"] = timed(
                    lambda who=who: (app.log_done(who), app.catch_up()))
            for who in order:
                sample[f"suggest_{who}"] = timed(lambda who=who: app.today(who))
            if i >= WARM_UP:
                for name, seconds in sample.items():
                    times[name].append(seconds)
            gc.collect()
    finally:
        gc.enable()
    return times


# -- stores ---------------------------------------------------------------------------


@contextmanager
def sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="small-steps-bench-") as tmp:
        yield f"sqlite:///{tmp}/bench.sqlite"


STORES = {"sqlite": sqlite_store, "postgres": lambda: postgres_store(PG_URL)}


def run_store(name: str, repeats: int, years: int) -> float:
    with STORES[name]() as url:
        clock = FixedClock(datetime(2000, 1, 1, tzinfo=timezone.utc))
        app = SmallSteps.from_store(url, clock)
        try:
            log(f"{name}: building {years} years of history for {VETERAN}...")
            started = time.perf_counter()
            build_history(app, clock, years)
            build_seconds = time.perf_counter() - started
            events = app.recorder.max_notification_id() or 0
            log(f"{name}: built {events} events in {build_seconds:.1f}s; measuring "
                f"{repeats} repeats after {WARM_UP} warm-up...")
            times = measure(app, clock, repeats)
        finally:
            app.close()

    medians = {k: statistics.median(v) for k, v in times.items()}
    ratio = max(medians[f"{op}_{VETERAN}"] / medians[f"{op}_{NEWCOMER}"]
                for op in OPERATIONS)
    print(f"{name}_events={events}")
    print(f"{name}_build_s={build_seconds:.1f}")
    for op in OPERATIONS:
        for who in (VETERAN, NEWCOMER):
            print(f"{name}_{op}_{who}_ms={medians[f'{op}_{who}'] * 1000:.3f}")
    print(f"{name}_history_ratio={ratio:.2f}", flush=True)
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.years < 1:
        parser.error("--repeats and --years must be at least 1")

    names = ("sqlite", "postgres") if args.store == "both" else (args.store,)
    worst = max(run_store(name, args.repeats, args.years) for name in names)
    verdict = "met" if worst <= TARGET else "NOT met"
    print(f"target history_ratio<={TARGET}: {verdict}")
    print(f"history_ratio={worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
