"""Real processes writing and catching up at once, on a SQLite file and on PostgreSQL.

(Over 400 lines: each race needs its own process set-up, and they share helpers.)

Two (or more) processes writing for the same person race on the same Week
aggregate: a lost race is detected as a version conflict and retried on fresh
state, so no event is lost or duplicated. Several processes catching the views up
at the same time apply each event exactly once.

Workers are top-level functions started with the "spawn" method, so each one is a
fresh interpreter with its own connections, exactly like separate skill instances.

Two more put the edges under load: four writers contending back to back (every
command must land), and processes opening one store at the same moment.
"""

from __future__ import annotations

import faulthandler
import multiprocessing as mp
import queue
import time
import traceback
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock, week_id
from domain.person import person_id
from domain.projections.views import rows_snapshot
from domain.week import DONE, Week

# Monday 23 November 2026, 08:00 in London.
START = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
MONDAY = date(2026, 11, 23)
WEEK = week_id(MONDAY)
PERSON = "alice"

KINDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
]

BARRIER_TIMEOUT = 60.0
RUN_TIMEOUT = 90.0

ACTIVITIES = ("walk-around-block", "make-bed", "message-friend", "cook-simple",
              "water-plants", "tidy-room", "favourite-song")
PARTS = ("morning", "afternoon", "evening")


# -- running workers ---------------------------------------------------------------


def _worker(job: str, url: str, index: int, params: dict, barrier: Any, opening: Any,
            results: Any) -> None:
    """Open an application of its own, wait for the others, then run one job.

    The applications are opened one at a time (``opening`` is a lock) unless the
    job is about opening at once: see test_processes_opening_one_store_at_once.
    A worker still running near the deadline dumps its stacks to stderr and exits.

    Counts the conflicts it retried: the ``retried`` decorator sleeps only after a
    lost race, so a counting ``sleep`` seen only by domain.app counts them."""
    faulthandler.dump_traceback_later(RUN_TIMEOUT - 15, exit=True)
    try:
        import domain.app as app_module
        import domain.projections.catchup as catchup_module

        conflicts = 0
        real_sleep = time.sleep

        def counting_sleep(seconds: float) -> None:
            nonlocal conflicts
            conflicts += 1
            real_sleep(seconds)

        app_module.time_module = SimpleNamespace(sleep=counting_sleep, monotonic=time.monotonic)
        if "catch_up_batch" in params:
            catchup_module.CATCH_UP_BATCH = params["catch_up_batch"]

        if params.get("open_at_once"):
            barrier.wait(timeout=BARRIER_TIMEOUT)
            app = SmallSteps.from_store(url, FixedClock(START))
        else:
            with opening:
                app = SmallSteps.from_store(url, FixedClock(START))
            barrier.wait(timeout=BARRIER_TIMEOUT)
        try:
            output = JOBS[job](app, index, params)
        finally:
            app.close()
        results.put((index, True, {"conflicts": conflicts, "output": output}))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        results.put((index, False, traceback.format_exc()))


def _run(job: str, url: str, count: int, params: dict) -> list[dict]:
    """Start ``count`` spawned workers together; their results, in index order."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(count)
    opening = ctx.Lock()
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(job, url, i, params, barrier, opening, results),
                    daemon=True)
        for i in range(count)
    ]
    out: dict[int, tuple[bool, Any]] = {}
    try:
        for p in procs:
            p.start()
        deadline = time.monotonic() + RUN_TIMEOUT
        while len(out) < count:
            try:
                index, ok, payload = results.get(timeout=max(deadline - time.monotonic(), 0.1))
            except queue.Empty:
                codes = {i: p.exitcode for i, p in enumerate(procs)}
                pytest.fail(f"workers did not all report within {RUN_TIMEOUT}s "
                            f"(reported: {sorted(out)}, exit codes: {codes})")
            out[index] = (ok, payload)
        for p in procs:
            p.join(timeout=max(deadline - time.monotonic(), 5))
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join(5)
        results.close()
    failures = {i: payload for i, (ok, payload) in out.items() if not ok}
    assert not failures, "a worker failed:\n" + "\n".join(
        f"--- worker {i} ---\n{tb}" for i, tb in sorted(failures.items()))
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return [out[i][1] for i in range(count)]


# -- jobs (run inside the workers) -------------------------------------------------


def _job_moods(app: SmallSteps, index: int, params: dict) -> list[tuple[str, int]]:
    written = []
    for i in range(params["n"]):
        value = (index + i) % 11
        written.append((app.rate_mood(PERSON, value), value))
    return written


def _job_steps(app: SmallSteps, index: int, params: dict) -> list[dict]:
    """Three steps (the daily cap) on each of this worker's own days, each made
    smaller, paired with a routine, logged done and rated: all on the same Week."""
    steps = []
    for d in range(index, 7, params["workers"])[: params["days_each"]]:
        day = MONDAY + timedelta(days=d)
        for k in range(3):
            activity = ACTIVITIES[(d + k) % len(ACTIVITIES)]
            step_id = app.schedule_step(PERSON, activity, day, PARTS[k])
            app.make_smaller(PERSON, step_id)
            routine = f"after routine {d}.{k}"
            app.pair_step(PERSON, step_id, routine)
            done = app.log_done(PERSON, step_id=step_id)
            assert done.step_id == step_id and done.status == DONE
            mastery, enjoyment = (d + k) % 11, (2 * d + k) % 11
            app.rate_step(PERSON, step_id, mastery=mastery, enjoyment=enjoyment)
            steps.append({"step_id": step_id, "activity": activity, "day": day.isoformat(),
                          "part": PARTS[k], "routine": routine, "mastery": mastery,
                          "enjoyment": enjoyment})
    return steps


def _job_catch_up(app: SmallSteps, index: int, params: dict) -> dict:
    """Catch up, counting the events this process itself applied to the views."""
    applied = 0
    writer = app.views.writer
    apply = writer.apply

    def counting(cur: Any, events: Any) -> None:
        nonlocal applied
        events = list(events)
        apply(cur, events)
        applied += len(events)

    writer.apply = counting
    return {"position": app.catch_up(), "applied": applied}


def _job_open(app: SmallSteps, index: int, params: dict) -> list[bool]:
    """Opened already (at once with the others); open and use it a few times more."""
    enrolled = [app.is_enrolled(PERSON)]
    for _ in range(params["reopen"]):
        again = SmallSteps.from_store(params["url"], FixedClock(START))
        try:
            enrolled.append(again.is_enrolled(PERSON))
        finally:
            again.close()
    return enrolled


JOBS = {"moods": _job_moods, "steps": _job_steps, "catch_up": _job_catch_up,
        "open": _job_open}


# -- helpers -------------------------------------------------------------------------


def _enrol(url: str, *people: str) -> None:
    app = SmallSteps.from_store(url, FixedClock(START))
    try:
        for person in people or (PERSON,):
            app.enrol(person, "en-GB", "Europe/London")
    finally:
        app.close()


def _topics(app: SmallSteps) -> Counter:
    notifications = app.recorder.select_notifications(1, 100_000)
    return Counter(type(app.mapper.to_domain_event(n)).__qualname__ for n in notifications)


def _view_rows(app: SmallSteps, sql: str) -> list[dict]:
    with app.views.reading() as cur:
        return cur.all(sql)


# -- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_two_processes_logging_moods_for_one_person_lose_nothing(kind: str, store_url_for) -> None:
    url = store_url_for(kind)
    _enrol(url)
    _check_moods(url, workers=2, n=40)


def _check_moods(url: str, workers: int, n: int) -> None:
    reports = _run("moods", url, workers, {"n": n})

    conflicts = sum(r["conflicts"] for r in reports)
    written = [pair for r in reports for pair in r["output"]]
    app = SmallSteps.from_store(url, FixedClock(START))
    try:
        week = app.repository.get(Week.create_id(person_id(PERSON), WEEK))
        ids = [m["mood_id"] for m in week.moods]
        # Every mood recorded once, numbered without gaps, with the value its writer gave.
        assert len(week.moods) == workers * n
        assert len(set(ids)) == len(ids)
        assert set(ids) == {f"{WEEK}.m{i}" for i in range(1, workers * n + 1)}
        by_id = {m["mood_id"]: m["value"] for m in week.moods}
        assert sorted(mood_id for mood_id, _ in written) == sorted(ids)
        assert all(by_id[mood_id] == value for mood_id, value in written)
        expected = Counter((w + i) % 11 for w in range(workers) for i in range(n))
        assert Counter(m["value"] for m in week.moods) == expected
        # The log holds exactly one MoodRated per mood, and one week opened.
        topics = _topics(app)
        assert topics["Week.MoodRated"] == workers * n
        assert topics["Week.Opened"] == 1
        # The views agree.
        assert app.week(PERSON).mood_count == workers * n
        rows = _view_rows(app, "SELECT mood_id, value FROM ss_moods")
        assert sorted((r["mood_id"], r["value"]) for r in rows) == sorted(by_id.items())
    finally:
        app.close()
    # The races really happened, and were retried rather than lost.
    assert conflicts >= 1, "no conflict was provoked: the test proved nothing"


@pytest.mark.parametrize("kind", KINDS)
def test_processes_logging_done_and_scheduling_concurrently(kind: str, store_url_for) -> None:
    url = store_url_for(kind)
    _enrol(url)
    workers, days_each = 2, 2
    _check_steps(url, workers, days_each)


def _check_steps(url: str, workers: int, days_each: int) -> None:
    reports = _run("steps", url, workers, {"workers": workers, "days_each": days_each})

    conflicts = sum(r["conflicts"] for r in reports)
    steps = [s for r in reports for s in r["output"]]
    days = workers * days_each
    total = days * 3
    ids = [s["step_id"] for s in steps]
    assert len(set(ids)) == total
    assert set(ids) == {f"{WEEK}.{i}" for i in range(1, total + 1)}
    app = SmallSteps.from_store(url, FixedClock(START))
    try:
        # The aggregate: every step once, done, with every change that was made to it.
        week = app.repository.get(Week.create_id(person_id(PERSON), WEEK))
        assert set(week.steps) == set(ids)
        for s in steps:
            step = week.steps[s["step_id"]]
            assert (step.activity_id, step.day.isoformat(), step.part_of_day) == (
                s["activity"], s["day"], s["part"])
            assert step.status == DONE and step.is_smaller
            assert step.paired_with == s["routine"]
            assert (step.mastery, step.enjoyment) == (s["mastery"], s["enjoyment"])
        topics = _topics(app)
        for topic in ("StepScheduled", "StepMadeSmaller", "StepPairedWithRoutine",
                      "StepDone", "StepRated"):
            assert topics[f"Week.{topic}"] == total, topic
        assert topics["Week.Opened"] == 1
        # The week view.
        summary = app.week(PERSON, WEEK)
        assert sorted(v.step_id for v in summary.steps) == sorted(ids)
        assert all(v.status == DONE for v in summary.steps)
        assert (summary.total.planned, summary.total.done, summary.total.not_done) == (
            total, total, 0)
        by_view = {v.step_id: v for v in summary.steps}
        for s in steps:
            v = by_view[s["step_id"]]
            assert (v.activity_id, v.day.isoformat(), v.part_of_day) == (
                s["activity"], s["day"], s["part"])
            assert v.is_smaller and v.paired_with == s["routine"]
            assert (v.mastery, v.enjoyment) == (s["mastery"], s["enjoyment"])
        for d in range(7):
            assert summary.by_day[MONDAY + timedelta(days=d)].done == (3 if d < days else 0)
        # Insights count each step once.
        insights = app.insights(PERSON)
        per_activity = {a.activity_id: a.total for a in insights.activities}
        expected = Counter(s["activity"] for s in steps)
        assert {a: (t.scheduled, t.done, t.not_done) for a, t in per_activity.items()} == {
            a: (c, c, 0) for a, c in expected.items()}
        assert sum(k.scheduled for k in insights.kinds.values()) == total
        assert sum(k.done for k in insights.kinds.values()) == total
        assert app.lapse(PERSON, MONDAY).days_since_last_done == 0  # done "today"
        done_total = _view_rows(app, "SELECT done_total FROM ss_people")[0]["done_total"]
        assert done_total == total
    finally:
        app.close()
    assert conflicts >= 1, "no conflict was provoked: the test proved nothing"


def _write_history(url: str) -> tuple[int, int, int]:
    """About 300 events for several people, without a single query (so the views
    are still empty). Returns (events, steps scheduled, moods)."""
    clock = FixedClock(START)
    app = SmallSteps.from_store(url, clock, sync_views=False)  # the views stay empty
    scheduled = moods = 0
    try:
        people = [f"person-{i}" for i in range(6)]
        for person in people:
            app.enrol(person, "en-GB", "Europe/London")
        for p, person in enumerate(people):
            step_ids = []
            for d in range(7):
                for k in range(3):
                    activity = ACTIVITIES[(p + d + k) % len(ACTIVITIES)]
                    step_ids.append(app.schedule_step(person, activity, MONDAY + timedelta(days=d),
                                                      PARTS[k]))
                    scheduled += 1
            for i, step_id in enumerate(step_ids):
                if i % 3 == 0:
                    app.rate_mood(person, (p + i) % 11, step_id=step_id, moment="before")
                    app.log_done(person, step_id=step_id, mastery=i % 11, enjoyment=(i + p) % 11)
                    app.rate_mood(person, (p + 2 * i) % 11, step_id=step_id)
                    moods += 2
                elif i % 3 == 1:
                    app.log_not_done(person, step_id=step_id, barrier="tired")
            for m in range(4):
                app.rate_mood(person, (p * 3 + m) % 11)
                moods += 1
        events = app.recorder.max_notification_id()
        assert app.views.position() == 0  # nothing caught up yet
    finally:
        app.close()
    return events, scheduled, moods


@pytest.mark.parametrize("kind", KINDS)
def test_concurrent_catch_up_applies_each_event_once(kind: str, store_url_for) -> None:
    url = store_url_for(kind)
    events, scheduled, moods = _write_history(url)
    assert events >= 250

    # Small batches, so the processes really interleave batch by batch.
    reports = _run("catch_up", url, 3, {"catch_up_batch": 7})
    assert all(r["output"]["position"] == events for r in reports)
    # Between them the processes applied every event, and none twice.
    assert sum(r["output"]["applied"] for r in reports) == events, [
        r["output"]["applied"] for r in reports]

    app = SmallSteps.from_store(url, FixedClock(START))
    try:
        assert app.views.position() == events
        with app.views.reading() as cur:
            incremental = rows_snapshot(cur)
        insights = _view_rows(app, "SELECT scheduled, done, not_done FROM ss_insights")
        assert sum(r["scheduled"] for r in insights) == scheduled
        assert sum(r["done"] for r in insights) == scheduled // 3
        assert sum(r["not_done"] for r in insights) == scheduled // 3
        assert len(incremental["ss_steps"]) == scheduled
        assert len(incremental["ss_moods"]) == moods
        assert len(incremental["ss_people"]) == 6
        done_total = sum(r["done_total"] for r in _view_rows(app, "SELECT done_total FROM ss_people"))
        assert done_total == scheduled // 3

        assert app.rebuild_views() == events
        with app.views.reading() as cur:
            rebuilt = rows_snapshot(cur)
        for table in incremental:
            assert incremental[table] == rebuilt[table], table
    finally:
        app.close()


# -- heavier contention, and starting many processes at once --------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_sustained_contention_never_lets_a_conflict_escape(kind: str, store_url_for) -> None:
    """Four processes writing moods for one person back to back, and four
    scheduling and logging steps in one week: every command must land (a lost
    race is retried on fresh state until it goes through)."""
    url = store_url_for(kind)
    _enrol(url)
    _check_moods(url, workers=4, n=80)
    other = store_url_for(kind)
    _enrol(other)
    _check_steps(other, workers=4, days_each=1)


@pytest.mark.parametrize("kind", KINDS)
def test_processes_opening_one_store_at_once(kind: str, store_url_for) -> None:
    """Several processes starting against the same (existing) store at the same
    moment, e.g. skill instances scaling out, must all start (PostgreSQL refuses
    concurrent CREATE OR REPLACE FUNCTION, so table creation is serialised)."""
    url = store_url_for(kind)
    _enrol(url)
    reports = _run("open", url, 4, {"open_at_once": True, "url": url, "reopen": 3})
    assert all(r["output"] == [True] * 4 for r in reports)
