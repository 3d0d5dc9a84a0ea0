"""The views: exactly once, surviving restarts, rebuildable to an identical result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.app import SmallSteps
from domain.catalogue import starter
from domain.clock import FixedClock
from domain.errors import DomainError
from domain.projections.runner import follow
from domain.projections.views import rows_snapshot
from domain.store import eventsourcing_env
from domain.vocabulary import BARRIERS, PARTS_OF_DAY

START = datetime(2026, 12, 24, 7, 0, tzinfo=timezone.utc)  # a history that crosses New Year
KEYS = [a.key for a in starter()]


def snapshot(app: SmallSteps) -> dict:
    with app.views.reading() as cur:
        return rows_snapshot(cur)


def catch_up_and_compare_with_rebuild(app: SmallSteps) -> dict:
    app.catch_up()
    incremental = snapshot(app)
    app.rebuild_views()
    rebuilt = snapshot(app)
    assert incremental == rebuilt
    return rebuilt


# -- histories made up by hypothesis ----------------------------------------------

step_pick = st.integers(min_value=0, max_value=30)
actions = st.one_of(
    st.tuples(st.just("schedule"), st.sampled_from(KEYS), st.integers(0, 12),
              st.sampled_from([*PARTS_OF_DAY, None])),
    st.tuples(st.just("done"), step_pick, st.one_of(st.none(), st.integers(0, 10))),
    st.tuples(st.just("done_activity"), st.sampled_from(KEYS)),
    st.tuples(st.just("not_done"), step_pick, st.sampled_from([*BARRIERS, None])),
    st.tuples(st.just("mood"), st.integers(0, 10), st.one_of(st.none(), step_pick),
              st.sampled_from(["before", "after"])),
    st.tuples(st.just("move"), step_pick, st.integers(0, 12), st.sampled_from(PARTS_OF_DAY)),
    st.tuples(st.just("smaller"), step_pick),
    st.tuples(st.just("swap"), step_pick, st.sampled_from(KEYS)),
    st.tuples(st.just("pair"), step_pick),
    st.tuples(st.just("rate"), step_pick, st.integers(0, 10)),
    st.tuples(st.just("advance"), st.integers(1, 40)),
    st.tuples(st.just("catch_up")),
    st.tuples(st.just("review")),
    st.tuples(st.just("safety")),
    st.tuples(st.just("value"), st.sampled_from(["relationships", "recreation_interests"])),
)


def run_history(app: SmallSteps, clock: FixedClock, person: str, history: list[tuple]) -> None:
    app.enrol(person, "en-AU", "Australia/Sydney")
    steps: list[str] = []

    def pick(i: int) -> str | None:
        return steps[i % len(steps)] if steps else None

    def day(offset: int) -> date:
        return START.date() + timedelta(days=offset)

    for action in history:
        kind, *args = action
        try:
            if kind == "schedule":
                steps.append(app.schedule_step(person, args[0], day(args[1]), args[2]))
            elif kind == "done":
                app.log_done(person, pick(args[0]), mastery=args[1])
            elif kind == "done_activity":
                steps.append(app.log_done(person, activity=args[0]).step_id)
            elif kind == "not_done":
                app.log_not_done(person, pick(args[0]), barrier=args[1])
            elif kind == "mood":
                step = pick(args[1]) if args[1] is not None else None
                app.rate_mood(person, args[0], step_id=step, moment=args[2] if step else None)
            elif kind == "move" and steps:
                new = app.move_step(person, pick(args[0]), day(args[1]), args[2])
                steps.append(new)
            elif kind == "smaller" and steps:
                app.make_smaller(person, pick(args[0]))
            elif kind == "swap" and steps:
                app.swap_step(person, pick(args[0]), args[1])
            elif kind == "pair" and steps:
                app.pair_step(person, pick(args[0]), "after breakfast")
            elif kind == "rate" and steps:
                app.rate_step(person, pick(args[0]), enjoyment=args[1])
            elif kind == "advance":
                clock.advance(hours=args[0])
            elif kind == "catch_up":
                app.catch_up()
            elif kind == "review":
                app.review_week(person, "2026-W52", helped=["mornings"])
            elif kind == "safety":
                app.record_safety_offered(person, "en-AU")
            elif kind == "value":
                app.name_value(person, args[0], "what matters")
        except DomainError:
            pass  # refused commands are part of real histories too


class TestIncrementalEqualsRebuild:
    @pytest.mark.parametrize("kind", ["memory", "sqlite"])
    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(history=st.lists(actions, min_size=1, max_size=40))
    def test_embedded_stores(self, store_url_for, kind: str, history: list[tuple]) -> None:
        clock = FixedClock(START)
        app = SmallSteps.from_store(store_url_for(kind), clock)
        try:
            run_history(app, clock, "hypo", history)
            catch_up_and_compare_with_rebuild(app)
        finally:
            app.close()

    @pytest.mark.postgres
    def test_postgres(self, pg_schema_url: str) -> None:
        clock = FixedClock(START)
        app = SmallSteps.from_store(pg_schema_url, clock)
        counter = iter(range(10_000))

        @settings(max_examples=15, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(history=st.lists(actions, min_size=1, max_size=30))
        def check(history: list[tuple]) -> None:
            run_history(app, clock, f"hypo-{next(counter)}", history)
            catch_up_and_compare_with_rebuild(app)

        try:
            check()
        finally:
            app.close()


def test_a_rich_history_rebuilds_identically(app: SmallSteps, clock: FixedClock) -> None:
    history = [
        ("value", "relationships"), ("schedule", "message-friend", 0, "morning"),
        ("schedule", "walk-around-block", 0, "evening"), ("mood", 3, None, "before"),
        ("mood", 2, 0, "before"), ("advance", 2), ("done", 0, 6), ("mood", 7, 0, "after"),
        ("not_done", 1, "tired"), ("smaller", 1), ("done", 1, None), ("mood", 5, 1, "after"),
        ("schedule", "tidy-room", 8, "afternoon"), ("move", 2, 9, "evening"),
        ("swap", 3, "water-plants"), ("pair", 3), ("advance", 30), ("done_activity", "cook-simple"),
        ("review",), ("safety",), ("rate", 0, 9),
    ]
    run_history(app, clock, "rich", history)
    views = catch_up_and_compare_with_rebuild(app)
    assert len(views["ss_steps"]) == 4 and len(views["ss_moods"]) == 4
    assert sum(1 for r in views["ss_insights"]) >= 4


def test_each_event_is_applied_exactly_once(app: SmallSteps, alice: str) -> None:
    app.schedule_step(alice, "make-bed", "2026-11-23")
    app.log_done(alice)
    app.rate_mood(alice, 6)
    position = app.catch_up()
    before = snapshot(app)
    notifications = app.recorder.select_notifications(1, 100)
    from eventsourcing.persistence import Tracking

    items = [(app.mapper.to_domain_event(n), Tracking("SmallSteps", n.id)) for n in notifications]
    assert app.views.apply(items) == position  # all already applied: nothing changes
    assert app.views.apply(items[-2:]) == position
    assert snapshot(app) == before
    assert app.views.position() == position


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_views_survive_a_restart_and_carry_on(store_url_for, kind: str) -> None:
    url = store_url_for(kind)
    clock = FixedClock(datetime(2026, 11, 23, 8, tzinfo=timezone.utc))
    first = SmallSteps.from_store(url, clock)
    first.enrol("fay", "en-IE", "Europe/Dublin")
    first.schedule_step("fay", "make-bed", "2026-11-23")
    position = first.catch_up()
    first.close()

    second = SmallSteps.from_store(url, clock, sync_views=False)  # writes, never reads
    second.log_done("fay")
    second.rate_mood("fay", 7)
    second.close()

    third = SmallSteps.from_store(url, clock)
    assert third.views.position() == position  # remembered across the restart
    assert third.today("fay").steps[0].status == "done"  # caught up on read
    assert third.views.position() == third.recorder.max_notification_id()
    catch_up_and_compare_with_rebuild(third)
    third.close()


def test_read_your_writes_across_application_instances(store_url_for) -> None:
    url = store_url_for("sqlite")
    clock = FixedClock(datetime(2026, 11, 23, 8, tzinfo=timezone.utc))
    writer, reader = SmallSteps.from_store(url, clock), SmallSteps.from_store(url, clock)
    writer.enrol("gus", "en-IN", "Asia/Kolkata")
    for value in range(5):
        writer.rate_mood("gus", value)
        assert reader.week("gus").mood_count == value + 1
    writer.close()
    reader.close()


@contextmanager
def following(pg_schema_url: str) -> Iterator[tuple[SmallSteps, FixedClock, Any]]:
    """An application on a fresh PostgreSQL store and a runner following it; when the
    block ends, the runner stops and the views must equal a rebuild."""
    from domain.store.tables import prepare

    env = eventsourcing_env(pg_schema_url)
    prepare(env)
    clock = FixedClock(datetime(2026, 11, 23, 8, tzinfo=timezone.utc))
    app = SmallSteps(env, clock)
    try:
        with follow(env) as runner:
            yield app, clock, runner
        catch_up_and_compare_with_rebuild(app)
    finally:
        app.close()


@pytest.mark.postgres
def test_a_runner_follows_the_postgres_store(pg_schema_url: str) -> None:
    with following(pg_schema_url) as (app, clock, runner):
        app.enrol("hal", "en-CA", "America/Toronto")
        clock.advance(hours=6)
        step = app.schedule_step("hal", "step-outside", "2026-11-23", "afternoon")
        app.log_done("hal", step)
        app.rate_mood("hal", 8, step_id=step)
        last = app.recorder.max_notification_id()
        runner.wait(last, timeout=10)
        # The runner, not a catch-up, brought the views here.
        assert app.views.position() == last
        with app.views.reading() as cur:
            [row] = cur.all("SELECT status, mood_after FROM ss_steps")
        assert row == {"status": "done", "mood_after": 8}
        # Queries still catch up themselves (nothing left to do) and agree.
        assert app.today("hal").steps[0].status == "done"


def test_a_batch_read_before_a_rebuild_began_skips_nothing(app: SmallSteps, alice: str) -> None:
    """Whoever catches up (a request, the projector) may hold a batch read before the
    views were emptied for a rebuild. Applied afterwards, it must not move the
    position past the events before it: they are applied first."""
    from eventsourcing.persistence import Tracking

    app.schedule_step(alice, "make-bed", "2026-11-23")
    app.log_done(alice)
    app.rate_mood(alice, 6)
    last = app.catch_up()
    expected = snapshot(app)
    [n] = app.recorder.select_notifications(last, 1)
    stale = [(app.mapper.to_domain_event(n), Tracking("SmallSteps", n.id))]
    app.views.reset()  # a rebuild begins
    assert app.views.apply(stale) == last
    assert snapshot(app) == expected
    assert app.views.position() == last


@pytest.mark.postgres
def test_a_runner_delivering_during_a_rebuild_skips_nothing(pg_schema_url: str) -> None:
    with following(pg_schema_url) as (app, _, runner):
        app.enrol("ivy", "en-GB", "Europe/London")
        step = app.schedule_step("ivy", "make-bed", "2026-11-23")
        runner.wait(app.recorder.max_notification_id(), timeout=10)
        app.views.reset()  # a rebuild begins; the runner delivers the next event first
        app.log_done("ivy", step)
        last = app.recorder.max_notification_id()
        runner.wait(last, timeout=10)
        assert app.views.position() == last
        with app.views.reading() as cur:
            assert cur.one("SELECT COUNT(*) AS n FROM ss_people")["n"] == 1
            [row] = cur.all("SELECT status FROM ss_steps")
        assert row == {"status": "done"}


def test_a_rebuild_writing_new_rows_by_copy_gives_the_same_rows(
        app: SmallSteps, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL a batch's many new rows go in by COPY: with every new row sent
    that way, a rebuild equals the views built a few events at a time (text with
    quotes, backslashes and accents, NULLs, numbers)."""
    from domain.projections import cursors

    run_history(app, clock, "rich", [
        ("value", "relationships"), ("schedule", "message-friend", 0, "morning"),
        ("mood", 2, 0, "before"), ("done", 0, 6), ("mood", 7, 0, "after"),
        ("schedule", "walk-around-block", 1, None), ("not_done", 1, "tired"), ("smaller", 1),
        ("review",), ("safety",)])
    odd = app.add_activity("rich", "Call Mum's \\ friend, café \"then\" tea", "pleasure",
                           "relationships", 2, 10)
    step = app.schedule_step("rich", odd, clock.now().date(), "evening")
    app.log_done("rich", step)
    app.catch_up()
    incremental = snapshot(app)
    monkeypatch.setattr(cursors, "COPY_AT_LEAST", 1)
    app.rebuild_views()
    assert snapshot(app) == incremental
    with app.views.reading() as cur:
        titles = {r["title"] for r in cur.all("SELECT title FROM ss_steps")}
    assert "Call Mum's \\ friend, café \"then\" tea" in titles


def test_an_activity_no_step_has_any_more_leaves_the_insights(app: SmallSteps, alice: str) -> None:
    first = app.schedule_step(alice, "make-bed", "2026-11-23")
    app.schedule_step(alice, "make-bed", "2026-11-24")
    app.catch_up()
    app.swap_step(alice, first, "water-plants")
    app.catch_up()  # one step of make-bed is left: its row stays, counting one

    def insights() -> dict[str, int]:
        with app.views.reading() as cur:
            return {r["activity_id"]: r["scheduled"] for r in cur.all(
                "SELECT activity_id, scheduled FROM ss_insights")}

    assert insights() == {"make-bed": 1, "water-plants": 1}
    second = app.today(alice, "2026-11-24").steps[0].step_id
    app.swap_step(alice, second, "water-plants")
    app.catch_up()
    assert insights() == {"water-plants": 2}  # no row of zeros is left behind
    catch_up_and_compare_with_rebuild(app)


def test_a_query_far_behind_helps_a_little_then_asks_to_be_asked_again(
        app: SmallSteps, alice: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the views are rebuilt, a query applies at most QUERY_CATCH_UP events and,
    still behind, is refused (ViewsCatchingUp), instead of rebuilding in a request."""
    import domain.projections.catchup as app_module
    from domain.errors import ViewsCatchingUp

    for day in range(23, 28):
        app.schedule_step(alice, "make-bed", f"2026-11-{day}")
    app.log_done(alice)
    head = app.recorder.max_notification_id()
    expected = catch_up_and_compare_with_rebuild(app)
    app.views.reset()  # a rebuild has begun
    monkeypatch.setattr(app_module, "QUERY_CATCH_UP", 3)
    refusals = 0
    while True:
        before = app.views.position()
        try:
            today = app.today(alice, "2026-11-23")
            break
        except ViewsCatchingUp as e:
            assert e.code == "views_catching_up"
            refusals += 1
            assert before < app.views.position() < head  # it helped, within its share
    assert refusals >= 2
    assert [s.status for s in today.steps] == ["done"]
    assert snapshot(app) == expected


def test_a_rebuild_applies_long_batches_and_a_query_short_ones(store_url_for) -> None:
    from domain.projections.catchup import CATCH_UP_BATCH, LONG_CATCH_UP_BATCH

    clock = FixedClock(datetime(2026, 11, 23, 8, tzinfo=timezone.utc))
    app = SmallSteps.from_store(store_url_for("memory"), clock, sync_views=False)
    try:
        app.enrol("kit", "en-GB", "Europe/London")
        for i in range(2 * CATCH_UP_BATCH + 10):
            app.rate_mood("kit", i % 11)
        sizes: list[int] = []
        apply = app.views.apply
        app.views.apply = lambda items: sizes.append(len(items)) or apply(items)
        head = app.recorder.max_notification_id()
        app.week("kit")
        assert sizes == [CATCH_UP_BATCH, CATCH_UP_BATCH, head - 2 * CATCH_UP_BATCH]
        sizes.clear()
        assert app.rebuild_views() == head
        assert sizes == [head] and LONG_CATCH_UP_BATCH > head
    finally:
        app.close()
