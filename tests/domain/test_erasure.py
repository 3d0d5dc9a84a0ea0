"""Delete my data: erasing a person leaves nothing of them and touches no one else.

Every test here runs on the in-memory store, a SQLite file and PostgreSQL; what
is left is checked in the store's own tables by SQL, not only through the domain.

Over 400 lines: one scenario per way a person's data could survive (each aggregate,
snapshots, every view, kept replies, ids reused), kept side by side so a new table
is checked beside the others.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking

from domain.app import SmallSteps
from domain.clock import FixedClock, week_id
from domain.store.erasure import PLACEHOLDER_ID, LogPlaceholder, erase_popo, placeholder_maker
from domain.errors import InvalidText, NotEnrolled
from domain.person import Person, person_id
from domain.projections.stores import VIEWS_NAME
from domain.projections.views import VIEW_TABLES, rows_snapshot
from domain.store import eventsourcing_env
from domain.week import Week

MONDAY = date(2026, 11, 23)
SECRETS = {"alice": "Zephyrine", "bob": "Quillon"}  # words only that person's data holds


# -- a shared history ------------------------------------------------------------


def snapshot_often(app: SmallSteps) -> None:
    # Snapshots every few events, so erasing them is put to the test.
    app.snapshotting_intervals = {Person: 3, Week: 4}


def live_two_weeks(app: SmallSteps, clock: FixedClock, people: tuple[str, ...]) -> None:
    """Several weeks of steps, moods and values for each person, interleaved in the log."""
    own = {}
    for person in people:
        secret = SECRETS[person]
        app.enrol(person, "en-GB", "Europe/London", account="household")
        value = app.name_value(person, "relationships", f"{secret} friendship")
        own[person] = app.add_activity(person, f"{secret} garden", "pleasure",
                                       "recreation_interests", 2, 20, value_id=value)
        app.set_relapse_plan(person, [f"{secret} stays in bed"], ["step-outside"])
    for day in range(10):  # Monday of 2026-W48 to Wednesday of 2026-W49
        today = MONDAY + timedelta(days=day)
        for person in people:
            step = app.schedule_step(person, own[person], today, "evening")
            app.rate_mood(person, 3 + day % 5, step_id=step, moment="before")
            if day % 3:
                app.log_done(person, step, mastery=5, enjoyment=6)
                app.rate_mood(person, 7, step_id=step)
            else:
                app.log_not_done(person, step, barrier="tired")
            app.rate_mood(person, 4 + day % 3)
        clock.advance(days=1)
    for person in people:
        later = app.schedule_step(person, "make-bed", MONDAY + timedelta(days=9), "morning")
        app.move_step(person, later, MONDAY + timedelta(days=22))  # into 2026-W51
        app.schedule_step(person, "walk-around-block", MONDAY + timedelta(days=15))  # W50
        app.review_week(person, "2026-W48", helped=[f"{SECRETS[person]} walks"])
        app.record_safety_offered(person, "en-GB")


# -- looking in the store's own tables --------------------------------------------


def aggregate_ids(person: str) -> list[UUID]:
    """The person's aggregate and every week they could have, worked out independently
    of the views: each ISO week from October 2026 to March 2027."""
    pid = person_id(person)
    weeks = sorted({week_id(date(2026, 10, 1) + timedelta(days=d)) for d in range(180)})
    return [pid, *(Week.create_id(pid, w) for w in weeks)]


def tables(app: SmallSteps) -> list[str]:
    return [app.recorder.events_table_name, app.snapshots.recorder.events_table_name]


def key(app: SmallSteps, originator_id: UUID) -> Any:
    return originator_id if "postgres" in type(app.recorder).__module__ else originator_id.hex


def count_stored(app: SmallSteps, table: str, ids: list[UUID]) -> int:
    """Rows of the events or snapshots table that belong to these aggregates, by SQL."""
    with app.views.reading() as cur:
        return sum(cur.one(f"SELECT COUNT(*) AS n FROM {table} WHERE originator_id = :id",
                           {"id": key(app, i)})["n"] for i in ids)


def stored_rows(app: SmallSteps, table: str) -> list[tuple[UUID, int, bytes]]:
    with app.views.reading() as cur:
        rows = cur.all(f"SELECT originator_id, originator_version, state FROM {table}")
    return sorted((UUID(str(r["originator_id"])), r["originator_version"], bytes(r["state"]))
                  for r in rows)


def view_rows(app: SmallSteps, person: str) -> dict[str, int]:
    with app.views.reading() as cur:
        return {t: cur.one(f"SELECT COUNT(*) AS n FROM {t} WHERE person_id = :p",
                           {"p": person_id(person).hex})["n"] for t in VIEW_TABLES}


def views(app: SmallSteps) -> dict:
    with app.views.reading() as cur:
        return rows_snapshot(cur)


def views_of(app: SmallSteps, person: str) -> dict:
    pid = person_id(person).hex
    return {t: [r for r in rows if ("person_id", pid) in r] for t, rows in views(app).items()}


def queries(app: SmallSteps, person: str) -> dict:
    """What a person can ask, over every day of their history and beyond."""
    answers: dict[str, Any] = {"insights": app.insights(person)}
    for day in range(0, 28, 3):
        on = MONDAY + timedelta(days=day)
        answers[f"today {on}"] = app.today(person, on)
        answers[f"lapse {on}"] = app.lapse(person, on)
        answers[f"week {on}"] = app.week(person, week_id(on))
    profile = app.profile(person)
    answers["profile"] = (profile.version, profile.values, profile.own, profile.boosters,
                          profile.warning_signs)
    return answers


def assert_nothing_left_of(app: SmallSteps, person: str) -> None:
    ids = aggregate_ids(person)
    for table in tables(app):
        assert count_stored(app, table, ids) == 0, table
        for originator_id, _, state in stored_rows(app, table):
            assert originator_id not in ids
            assert person.encode() not in state and SECRETS[person].encode() not in state
    for originator_id in ids:
        assert list(app.events.get(originator_id)) == []
        assert app.snapshots.recorder.select_events(originator_id) == []
    assert view_rows(app, person) == dict.fromkeys(VIEW_TABLES, 0)
    assert SECRETS[person] not in str(views(app))
    assert not app.is_enrolled(person)
    for query in (app.today, app.week, app.insights, app.lapse, app.profile, app.suggest,
                  app.propose_week):
        with pytest.raises(NotEnrolled):
            query(person)


# -- the tests ----------------------------------------------------------------------


def test_erasing_a_person_leaves_nothing_of_them(app: SmallSteps, clock: FixedClock,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    snapshot_often(app)
    live_two_weeks(app, clock, ("alice", "bob"))
    app.catch_up()
    ids = aggregate_ids("alice")
    # There is plenty to erase: events and snapshots of the person and four weeks.
    events, snapshots = tables(app)
    assert count_stored(app, events, ids) > 50
    assert count_stored(app, snapshots, ids[:1]) > 0
    assert count_stored(app, snapshots, ids[1:]) > 0
    assert sum(1 for i in ids[1:] if count_stored(app, events, [i])) == 4
    assert all(view_rows(app, "alice").values())

    with caplog.at_level(logging.INFO, logger="domain.app"):
        assert app.erase_person("alice") is True

    assert_nothing_left_of(app, "alice")
    assert "erased a person" in caplog.text
    assert "alice" not in caplog.text.lower() and person_id("alice").hex not in caplog.text
    # Catching up again finds nothing to bring back.
    app.catch_up()
    assert_nothing_left_of(app, "alice")


def test_other_people_are_untouched(app: SmallSteps, clock: FixedClock) -> None:
    snapshot_often(app)
    live_two_weeks(app, clock, ("alice", "bob"))
    before = queries(app, "bob")
    bob_views = views_of(app, "bob")
    bob_ids = aggregate_ids("bob")
    bob_stored = {t: [r for r in stored_rows(app, t) if r[0] in bob_ids] for t in tables(app)}
    assert all(bob_stored.values()) and all(bob_views.values())

    assert app.erase_person("alice") is True

    assert queries(app, "bob") == before
    assert views_of(app, "bob") == bob_views
    assert {t: [r for r in stored_rows(app, t) if r[0] in bob_ids]
            for t in tables(app)} == bob_stored
    # Bob carries on as before.
    app.rate_mood("bob", 9)
    assert app.week("bob").mood_count == before[f"week {MONDAY + timedelta(days=9)}"].mood_count + 1


def test_erasure_is_idempotent_and_an_unknown_person_has_nothing(app: SmallSteps,
                                                                  clock: FixedClock) -> None:
    live_two_weeks(app, clock, ("alice", "bob"))
    assert app.erase_person("nobody") is False
    assert app.erase_person("alice") is True
    log = [(n.id, n.originator_id, n.originator_version)
           for n in app.recorder.select_notifications(1, 10_000)]
    after_first = views(app)
    assert app.erase_person("alice") is False
    assert app.erase_person("alice") is False
    assert [(n.id, n.originator_id, n.originator_version)
            for n in app.recorder.select_notifications(1, 10_000)] == log
    assert views(app) == after_first
    assert_nothing_left_of(app, "alice")
    with pytest.raises(InvalidText):
        app.erase_person(None)  # type: ignore[arg-type]


def test_safety_offers_before_enrolment_are_erased_too(app: SmallSteps) -> None:
    app.record_safety_offered("cal", "en-GB")  # a week, but never a profile
    assert app.erase_person("cal") is True
    assert count_stored(app, tables(app)[0], aggregate_ids("cal")) == 0
    assert view_rows(app, "cal") == dict.fromkeys(VIEW_TABLES, 0)
    assert app.erase_person("cal") is False


def test_a_person_can_enrol_again_from_nothing(app: SmallSteps, clock: FixedClock) -> None:
    snapshot_often(app)
    live_two_weeks(app, clock, ("alice",))
    assert app.erase_person("alice") is True

    assert app.enrol("alice", "en-US", "America/New_York") is True
    assert app.enrol("alice", "en-US", "America/New_York") is False
    today = app.today("alice", MONDAY + timedelta(days=9))
    assert today.steps == () and today.small_step is None
    for day in (0, 9, 15, 22):
        week = app.week("alice", week_id(MONDAY + timedelta(days=day)))
        assert week.steps == () and week.mood_count == 0 and week.review is None
        assert week.safety_offers == 0 and not week.planned_together
    profile = app.profile("alice")
    assert profile.version == 1 and profile.values == {} and profile.own == {}
    assert profile.locale == "en-US" and profile.warning_signs == ()
    assert app.insights("alice").activities == ()
    assert app.lapse("alice").boosters == ()
    # Step and mood ids start again in a week that had them.
    step = app.schedule_step("alice", "make-bed", MONDAY + timedelta(days=9))
    assert step == f"{week_id(MONDAY + timedelta(days=9))}.1"
    assert app.rate_mood("alice", 5).endswith(".m1")
    first = next(iter(app.events.get(Week.create_id(person_id("alice"), step.split(".")[0]))))
    assert first.originator_version == 1


def test_views_rebuild_to_the_same_rows_after_erasure(app: SmallSteps,
                                                      clock: FixedClock) -> None:
    live_two_weeks(app, clock, ("alice", "bob"))
    assert app.erase_person("alice") is True
    app.rate_mood("bob", 8)
    app.log_done("bob", activity="make-bed")
    app.catch_up()
    incremental = views(app)
    assert incremental["ss_steps"] and incremental["ss_moods"]
    app.rebuild_views()
    assert views(app) == incremental
    assert app.views.position() == app.recorder.max_notification_id()
    assert_nothing_left_of(app, "alice")


def test_a_restarted_application_sees_no_trace(store: str, clock: FixedClock) -> None:
    env = eventsourcing_env(store)  # one store (for memory: one shared database)
    first = SmallSteps(env, clock)
    snapshot_often(first)
    live_two_weeks(first, clock, ("alice", "bob"))
    bob = queries(first, "bob")
    assert first.erase_person("alice") is True
    second = SmallSteps(env, clock)
    try:
        assert_nothing_left_of(second, "alice")
        assert queries(second, "bob") == bob
        second.rate_mood("bob", 2)  # a new event after the erased ones: not skipped
        assert first.week("bob").mood_count == bob[f"week {MONDAY + timedelta(days=9)}"] \
            .mood_count + 1
        incremental = views(second)
        second.rebuild_views()
        assert views(second) == incremental
    finally:
        second.close()
        first.close()


def test_events_after_the_erased_newest_ones_are_not_skipped(app: SmallSteps,
                                                              clock: FixedClock) -> None:
    # Alice's events are the newest in the log when she is erased. On SQLite the
    # next id would be reused were the newest row simply deleted, and a catch-up,
    # already past that id, would pass the new event over.
    app.enrol("bob", "en-GB", "Europe/London")
    app.enrol("alice", "en-GB", "Europe/London")
    for value in range(5):
        app.rate_mood("alice", value)
    position = app.catch_up()
    assert app.erase_person("alice") is True
    assert app.views.position() == position
    # SQLite keeps the newest id taken (by a placeholder); PostgreSQL's sequence
    # never goes back, whatever the highest id left.
    assert (app.recorder.max_notification_id() or 0) <= position
    app.rate_mood("bob", 6)
    app.rate_mood("bob", 7)
    assert app.week("bob").mood_count == 2
    assert app.views.position() == app.recorder.max_notification_id() > position
    # Whatever holds the newest id is no one's event: only a placeholder.
    for n in app.recorder.select_notifications(1, 1000):
        if n.originator_id == PLACEHOLDER_ID:
            assert isinstance(app.mapper.to_domain_event(n), LogPlaceholder)
    assert_nothing_left_of(app, "alice")


def test_weeks_the_views_have_not_seen_yet_are_found(app: SmallSteps, clock: FixedClock,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    live_two_weeks(app, clock, ("alice", "bob"))
    app.catch_up()
    app.schedule_step("alice", "make-bed", MONDAY + timedelta(days=40))  # a new week
    app.rate_mood("alice", 3)
    # Not caught up before the erasure: it must bring the views up itself.
    monkeypatch.setattr(app, "catch_up", lambda: 0)
    assert app.erase_person("alice") is True
    monkeypatch.undo()
    assert_nothing_left_of(app, "alice")
    assert count_stored(app, tables(app)[0],
                        [Week.create_id(person_id("alice"), week_id(MONDAY + timedelta(40)))]) == 0


def test_a_stale_batch_cannot_bring_erased_rows_back(app: SmallSteps,
                                                      clock: FixedClock) -> None:
    live_two_weeks(app, clock, ("alice", "bob"))
    # Another process read these notifications before the erasure and applies them after.
    stale = [(app.mapper.to_domain_event(n), Tracking(VIEWS_NAME, n.id))
             for n in app.recorder.select_notifications(1, 10_000)]
    assert app.erase_person("alice") is True
    after = views(app)
    app.views.apply(stale)
    assert views(app) == after
    assert_nothing_left_of(app, "alice")


def test_erasing_while_someone_else_writes_and_catches_up(app: SmallSteps,
                                                          clock: FixedClock) -> None:
    live_two_weeks(app, clock, ("alice", "bob"))
    moods = app.week("bob").mood_count
    started, problems = threading.Event(), []

    def bob_carries_on() -> None:
        try:
            for i in range(30):
                app.rate_mood("bob", i % 11)
                app.catch_up()
                started.set()
        except Exception as e:  # noqa: BLE001
            problems.append(e)
        finally:
            started.set()

    thread = threading.Thread(target=bob_carries_on)
    thread.start()
    started.wait(30)
    assert app.erase_person("alice") is True
    thread.join(60)
    assert not thread.is_alive() and problems == []
    assert app.week("bob").mood_count == moods + 30
    assert_nothing_left_of(app, "alice")
    incremental = views(app)
    app.rebuild_views()
    assert views(app) == incremental


# -- the in-memory POPO recorder ----------------------------------------------------
# SmallSteps keeps its views in SQL, so it never runs on POPO; the library's
# in-memory recorders are erased from directly.


class Thing(Aggregate):
    @event("Made")
    def __init__(self, name: str):
        self.name = name

    @event("Renamed")
    def rename(self, name: str) -> None:
        self.name = name


def test_erasing_from_the_popo_recorders() -> None:
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo",
                           "IS_SNAPSHOTTING_ENABLED": "y"})
    gone, kept = Thing("Zephyrine"), Thing("Quillon")
    for i in range(3):
        gone.rename(f"Zephyrine {i}")
        kept.rename(f"Quillon {i}")
        app.save(gone, kept)
    app.take_snapshot(gone.id)
    app.take_snapshot(kept.id)
    before = {n.id: n for n in app.recorder.select_notifications(1, 100)}
    assert len(before) == 8

    assert erase_popo(app.recorder, app.snapshots.recorder, [gone.id],
                      placeholder_maker(app.mapper)) == 4

    with pytest.raises(AggregateNotFoundError):
        app.repository.get(gone.id)
    assert app.snapshots.recorder.select_events(gone.id) == []
    assert app.repository.get(kept.id).name == "Quillon 2"
    assert len(app.snapshots.recorder.select_events(kept.id)) == 1
    after = {n.id: n for n in app.recorder.select_notifications(1, 100)}
    assert after.keys() == before.keys()  # every id still there: no one's is reused
    for nid, n in after.items():
        if before[nid].originator_id == gone.id:
            assert n.originator_id == PLACEHOLDER_ID and b"Zephyrine" not in n.state
            assert isinstance(app.mapper.to_domain_event(n), LogPlaceholder)
        else:
            assert n == before[nid]
    kept.rename("Quillon 3")
    app.save(kept)
    assert app.recorder.max_notification_id() == 9
    assert erase_popo(app.recorder, app.snapshots.recorder, [gone.id],
                      placeholder_maker(app.mapper)) == 0


def test_placeholders_stored_under_the_old_module_path_still_load() -> None:
    from eventsourcing.utils import resolve_topic

    assert resolve_topic("domain.erasure:LogPlaceholder") is LogPlaceholder
