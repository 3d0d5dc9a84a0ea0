"""One command, one transaction: its events, their view changes and the views'
position commit together; a query answers its person without applying anyone else's
events; a view that cannot apply an event never costs the person their command."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import psycopg
import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.projections.runner import follow
from domain.projections.stores import SET_ASIDE
from domain.projections.views import ViewWriter, rows_snapshot
from domain.store import eventsourcing_env

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


def views_rows(app: SmallSteps) -> dict:
    with app.views.reading() as cur:
        return rows_snapshot(cur)


def counting_applies(app: SmallSteps) -> list[int]:
    """Every batch the views are asked to apply from the log (not a command's own)."""
    sizes: list[int] = []
    apply = app.views.apply
    app.views.apply = lambda items: sizes.append(len(items)) or apply(items)
    return sizes


def test_a_command_leaves_the_views_current(store: str, clock: FixedClock) -> None:
    app = SmallSteps.from_store(store, clock)
    try:
        applied = counting_applies(app)
        app.enrol("ana", "en-GB", "Europe/London")
        step = app.schedule_step("ana", "make-bed", "2026-11-23", "morning")
        app.log_done("ana", step_id=step)
        app.rate_mood("ana", 7, step_id=step)
        head, position = app.progress()
        assert position == head  # the commands moved the views along themselves
        today = app.today("ana")
        assert [s.status for s in today.steps] == ["done"]
        assert today.steps[0].mood_after == 7
        assert applied == []  # the query had nothing to apply
    finally:
        app.close()


def test_a_query_never_applies_other_peoples_events(store_url_for, clock) -> None:
    url = store_url_for("sqlite")
    writer, reader = SmallSteps.from_store(url, clock), SmallSteps.from_store(url, clock)
    try:
        reader.enrol("bo", "en-GB", "Europe/London")
        applied = counting_applies(reader)
        for i in range(20):
            writer.enrol(f"other-{i}", "en-GB", "Europe/London")
            writer.rate_mood(f"other-{i}", i % 11)
        reader.week("bo")
        reader.today("bo")
        assert applied == []
    finally:
        writer.close()
        reader.close()


class Broken(ViewWriter):
    """A view writer with a bug that shows on one kind of event only."""

    def apply(self, cur, events):  # noqa: ANN001, ANN201
        events = list(events)
        if any(type(e).__qualname__ == "Week.StepNotDone" for e in events):
            raise KeyError("a bug in the views")
        return super().apply(cur, events)


def test_a_view_that_fails_sets_the_event_aside_and_the_command_stands(store, clock) -> None:
    app = SmallSteps.from_store(store, clock)
    try:
        app.enrol("cy", "en-GB", "Europe/London")
        app.enrol("di", "en-GB", "Europe/London")
        walk = app.schedule_step("cy", "walk-around-block", "2026-11-23", "evening")
        app.views.writer = Broken()
        app.log_not_done("cy", step_id=walk, barrier="tired")  # stored, not lost
        assert app.views.set_aside() == 1
        with app.views.reading() as cur:
            [row] = cur.all(f"SELECT * FROM {SET_ASIDE}")
        # The error's class only: its message could quote a person's words.
        assert (row["topic"], row["error"]) == ("Week.StepNotDone", "KeyError")
        head, position = app.progress()
        assert position == head  # nobody waits for the set-aside event
        app.rate_mood("di", 6)  # another person's command and query go on
        assert app.lapse("di").mood_last_7_days == 6
        assert app.week("cy").total.not_done == 0  # the views lack only that event
        # Once the view is fixed, a rebuild applies it and clears the set-aside list.
        app.views.writer = ViewWriter()
        app.rebuild_views()
        assert app.views.set_aside() == 0
        assert app.week("cy").total.not_done == 1
    finally:
        app.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_catch_up_sets_aside_what_fails_and_goes_on(store_url_for, kind, clock) -> None:
    store = store_url_for(kind)  # two applications on one store
    writer = SmallSteps.from_store(store, clock, sync_views=False)
    reader = SmallSteps.from_store(store, clock)
    try:
        writer.enrol("ed", "en-GB", "Europe/London")
        walk = writer.schedule_step("ed", "walk-around-block", "2026-11-23", "evening")
        writer.log_not_done("ed", step_id=walk, barrier="tired")
        writer.rate_mood("ed", 5)
        reader.views.writer = Broken()
        reader.catch_up()
        head, position = reader.progress()
        assert position == head and reader.views.set_aside() == 1
        assert reader.lapse("ed").mood_last_7_days == 5  # the events after it are in
    finally:
        writer.close()
        reader.close()


@pytest.mark.postgres
def test_a_view_failing_in_the_database_never_costs_the_command(pg_schema_url, clock) -> None:
    """A view write the database refuses shows only at the commit: the events are
    recorded on their own, and catch-up sets aside the one the view cannot take."""

    class Refused(ViewWriter):
        def apply(self, cur, events):  # noqa: ANN001, ANN201
            events = list(events)
            super().apply(cur, events)
            if any(type(e).__qualname__ == "Week.MoodRated" for e in events):
                cur.write([("insert", "ss_people", [{
                    "person_id": None, "locale": "x", "time_zone": "UTC", "enrolled_day": "x",
                    "last_done_day": None, "done_total": 0, "warning_signs": "[]",
                    "boosters": "[]"}])])

    app = SmallSteps.from_store(pg_schema_url, clock)
    try:
        app.enrol("fi", "en-GB", "Europe/London")
        app.views.writer = Refused()
        mood = app.rate_mood("fi", 4)
        assert mood.endswith(".m1")  # recorded
        events = [n.topic for n in app.recorder.select_notifications(start=1, limit=10)]
        assert events[-1].endswith("Week.MoodRated")
        head, position = app.progress()
        assert position < head  # left for the projector
        app.catch_up()
        assert app.views.set_aside() == 1
        assert app.progress()[1] == app.progress()[0]
    finally:
        app.close()


@pytest.mark.postgres
def test_a_command_never_waits_for_a_projector_holding_the_views(pg_schema_url, clock) -> None:
    """While another writer holds the views' lock (a projector's long batch, a
    rebuild), a command records its events at once and leaves them to the projector,
    which applies them exactly once."""
    app = SmallSteps.from_store(pg_schema_url, clock)
    schema = pg_schema_url.rsplit("schema=", 1)[1]
    base = pg_schema_url.split("?", 1)[0]
    try:
        app.enrol("gu", "en-GB", "Europe/London")
        with psycopg.connect(base) as holder:
            holder.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                           (0x5353_5649, schema))
            done = threading.Event()

            def command() -> None:
                app.rate_mood("gu", 8)
                done.set()

            worker = threading.Thread(target=command)
            worker.start()
            assert done.wait(5), "the command waited for the views' lock"
            worker.join()
            holder.rollback()
        head, position = app.progress()
        assert position < head
        env = eventsourcing_env(pg_schema_url)
        with follow(env, create_tables=False):
            for _ in range(100):
                head, position = app.progress()
                if position == head:
                    break
                threading.Event().wait(0.05)
        assert position == head
        incremental = views_rows(app)
        app.rebuild_views()
        assert views_rows(app) == incremental
        assert app.lapse("gu").mood_last_7_days == 8
    finally:
        app.close()


def test_concurrent_commands_commit_in_order_and_views_equal_a_rebuild(store, clock) -> None:
    """Writers racing in threads: every event is in the views once, in notification
    order, and never skipped (the events table's lock orders their commits)."""
    app = SmallSteps.from_store(store, clock)
    try:
        people = [f"p{i}" for i in range(4)]
        for person in people:
            app.enrol(person, "en-GB", "Europe/London")

        def live(person: str) -> None:
            for i in range(15):
                app.rate_mood(person, i % 11)

        threads = [threading.Thread(target=live, args=(p,)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        head, position = app.progress()
        assert position == head
        incremental = views_rows(app)
        assert len(incremental["ss_moods"]) == 60
        app.rebuild_views()
        assert views_rows(app) == incremental
    finally:
        app.close()


# -- a unit of work: one turn, one transaction ------------------------------------------


def ledger(app: SmallSteps, key: str) -> dict | None:
    with app.views.reading() as cur:
        return cur.one("SELECT reply_key, reply FROM ss_replies WHERE reply_key = :k", {"k": key})


def test_a_unit_records_its_changes_with_the_reply_at_the_end(store, clock) -> None:
    app = SmallSteps.from_store(store, clock)
    try:
        app.enrol("hal", "en-GB", "Europe/London")
        head = app.progress()[0]
        with app.unit("delivery-1", "hal-id") as unit:
            step = app.schedule_step("hal", "make-bed", "2026-11-23", "morning")
            app.log_done("hal", step_id=step)  # finds the step the unit scheduled
            assert app.progress()[0] == head  # nothing recorded yet
            assert ledger(app, "delivery-1") is None
            app.commit(unit, "You made your bed.")
        assert app.progress()[0] > head and app.progress()[1] == app.progress()[0]
        assert ledger(app, "delivery-1")["reply"] == "You made your bed."
        assert [s.status for s in app.today("hal").steps] == ["done"]
    finally:
        app.close()


def test_a_unit_dropped_records_nothing(store, clock) -> None:
    app = SmallSteps.from_store(store, clock)
    try:
        app.enrol("ivy", "en-GB", "Europe/London")
        head = app.progress()[0]
        with app.unit("delivery-2", None) as unit:
            app.rate_mood("ivy", 5)
            app.discard(unit)
        assert app.progress()[0] == head and ledger(app, "delivery-2") is None
        assert app.lapse("ivy").mood_last_7_days is None
    finally:
        app.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_second_delivery_of_the_same_key_records_nothing(store_url_for, kind, clock) -> None:
    from domain.unit import DuplicateDelivery

    store = store_url_for(kind)
    first, second = SmallSteps.from_store(store, clock), SmallSteps.from_store(store, clock)
    try:
        first.enrol("jo", "en-GB", "Europe/London")
        with first.unit("delivery-3", None) as a:
            first.rate_mood("jo", 6)
            with second.unit("delivery-3", None) as b:
                second.rate_mood("jo", 6)
                second.commit(b, "Thank you, that's a 6.")
            with pytest.raises(DuplicateDelivery):
                first.commit(a, "Thank you, that's a 6.")
        assert first.lapse("jo").mood_last_7_days == 6
        with first.views.reading() as cur:
            assert cur.one("SELECT COUNT(*) AS n FROM ss_moods")["n"] == 1  # once
    finally:
        first.close()
        second.close()


def test_a_query_in_a_unit_records_what_came_before_it_and_the_reply_after(store, clock) -> None:
    app = SmallSteps.from_store(store, clock)
    try:
        app.enrol("kai", "en-GB", "Europe/London")
        with app.unit("delivery-4", None) as unit:
            app.rate_mood("kai", 3)
            assert app.lapse("kai").mood_last_7_days == 3  # the query sees the change
            assert ledger(app, "delivery-4")["reply"] is None  # claimed, reply to come
            app.commit(unit, "Thank you, that's a 3.")
        assert ledger(app, "delivery-4")["reply"] == "Thank you, that's a 3."
    finally:
        app.close()


def test_safety_offered_is_recorded_at_once_even_in_a_unit(store, clock) -> None:
    app = SmallSteps.from_store(store, clock)
    try:
        head = app.progress()[0]
        with app.unit("delivery-5", None) as unit:
            app.record_safety_offered("lee", "en-GB")
            assert app.progress()[0] > head and unit.must_answer
            app.discard(unit)
        assert app.progress()[0] > head
    finally:
        app.close()
