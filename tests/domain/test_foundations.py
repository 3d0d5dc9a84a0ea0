"""The ground the domain stands on: the catalogue, the store setting, event
versions, and the rule that the domain knows nothing of the voice layer."""

from __future__ import annotations

import ast
import functools
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent

from domain.app import SmallSteps
from domain.catalogue import CatalogueError, parse, starter
from domain.clock import FixedClock
from domain.person import person_id
from domain.store import DEFAULT_STORE, StoreSettingError, eventsourcing_env, mask, store_url
from domain.vocabulary import KINDS, LIFE_AREAS
from domain.week import Week

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
STARTER_TITLES = [
    "Make your bed", "Step outside for a few minutes", "Send one message to a friend",
    "Take a shower and put on clean clothes", "Take a short walk around the block",
    "Play your favourite song and really listen", "Cook something simple, even toast",
    "Write down three thoughts in a journal", "Water your plants",
    "Do something creative for a few minutes", "A brief check-in call", "Share a meal",
    "Coffee with a supportive friend", "Tidy a single room", "Draft one email",
    "A small home repair", "Look into a course",
]


def test_the_starter_catalogue_is_complete_and_valid() -> None:
    catalogue = starter()
    assert [a.title for a in catalogue] == STARTER_TITLES
    assert {a.kind for a in catalogue} == set(KINDS)
    assert {a.area for a in catalogue} == set(LIFE_AREAS)
    for a in catalogue:
        assert a.smaller and 1 <= a.smaller_minutes < a.minutes and a.synonyms


@pytest.mark.parametrize("change, message", [
    ({"difficulty": 6}, "difficulty"),
    ({"kind": "hobby"}, "kind"),
    ({"area": "money"}, "area"),
    ({"smaller": ""}, "smaller"),
    ({"smaller_minutes": 99}, "smaller_minutes"),
    ({"minutes": "ten"}, "minutes"),
])
def test_a_bad_catalogue_entry_is_refused_at_load(change: dict, message: str) -> None:
    document = json.loads((DOMAIN / "catalogue.json").read_text())
    document["activities"][3].update(change)
    with pytest.raises(CatalogueError, match=message):
        parse(document)


def test_duplicate_catalogue_keys_are_refused() -> None:
    document = json.loads((DOMAIN / "catalogue.json").read_text())
    document["activities"].append(dict(document["activities"][0]))
    with pytest.raises(CatalogueError, match="duplicate"):
        parse(document)


def test_each_catalogue_entry_says_how_it_is_spoken_of() -> None:
    """The entry is the one place for an activity: its spoken forms live beside its title."""
    for a in starter():
        assert a.spoken_name and a.done_sentence.startswith("You ") and a.short_name
    bed = {a.key: a for a in starter()}["make-bed"]
    assert (bed.spoken_name, bed.done_sentence, bed.short_name) == (
        "make the bed", "You made your bed", "making your bed")
    call = {a.key: a for a in starter()}["check-in-call"]
    assert "called my mummy" in call.heard("en-IN") and "called my mummy" not in call.heard("en-GB")
    assert set(call.synonyms) <= set(call.heard("en-GB"))


@pytest.mark.parametrize("change, message", [
    ({"done_sentence": ""}, "done_sentence"),
    ({"short_name": 3}, "short_name"),
    ({"spoken_name": None}, "spoken_name"),
    ({"locale_synonyms": {"en-IN": "called my mummy"}}, "locale_synonyms"),
    ({"locale_synonyms": {"en-IN": [""]}}, "synonyms"),
])
def test_a_catalogue_entry_without_its_spoken_forms_is_refused(change: dict, message: str) -> None:
    document = json.loads((DOMAIN / "catalogue.json").read_text())
    document["activities"][3].update(change)
    with pytest.raises(CatalogueError, match=message):
        parse(document)


def test_a_spoken_name_or_synonym_names_one_activity_only() -> None:
    document = json.loads((DOMAIN / "catalogue.json").read_text())
    document["activities"][1]["synonyms"].append(document["activities"][0]["spoken_name"])
    with pytest.raises(CatalogueError, match="names two activities"):
        parse(document)


def test_the_store_setting(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SMALL_STEPS_STORE", raising=False)
    assert store_url() == DEFAULT_STORE == "sqlite:///var/small-steps.sqlite"
    sqlite = eventsourcing_env(f"sqlite:///{tmp_path}/data/s.sqlite")
    assert sqlite["PERSISTENCE_MODULE"] == "domain.store.sqlite"  # the library's, + views
    assert sqlite["SQLITE_DBNAME"] == f"{tmp_path}/data/s.sqlite"
    assert (tmp_path / "data").is_dir()  # created on first use
    pg = eventsourcing_env("postgresql://ss:secret@db.internal:6543/steps?schema=clinic")
    assert (pg["POSTGRES_HOST"], pg["POSTGRES_PORT"], pg["POSTGRES_DBNAME"]) == (
        "db.internal", "6543", "steps")
    assert (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_SCHEMA"]) == (
        "ss", "secret", "clinic")
    memory = eventsourcing_env("memory:")
    assert "mode=memory" in memory["SQLITE_DBNAME"]
    assert memory["SQLITE_DBNAME"] != eventsourcing_env("memory:")["SQLITE_DBNAME"]
    for bad in ("mysql://x/y", "sqlite://", "postgresql:///nodb", "redis://localhost"):
        with pytest.raises(StoreSettingError):
            eventsourcing_env(bad)


@pytest.mark.parametrize("text", [
    "postgresql://ss:S3cr3t@db:5432/steps",  # right
    "postgres//ss:S3cr3t@db/steps",  # the scheme's colon missing
    "postgresql:/ss:S3cr3t@db/steps",  # a slash missing
    "postgresql://ss:S3c@r3t@db/steps",  # an @ in the password, not percent-encoded
    "got 'postgres//ss:S3cr3t@db/steps'",  # quoted in a message
    "host=db user=ss password=S3cr3t dbname=steps",  # a libpq connection string
    "host=db password='S3 cr3t' dbname=steps",
    "postgresql://ss@db/steps?password=S3cr3t&sslmode=require",
])
def test_no_password_survives_masking(text: str) -> None:
    masked = mask(text)
    assert "S3" not in masked and "cr3t" not in masked and "***" in masked
    assert "db" in masked and "ss" in masked  # where and who stay readable


def test_masking_leaves_what_has_no_password() -> None:
    for text in ("postgresql://ss@db:5432/steps", "sqlite:///var/small-steps.sqlite",
                 "memory:", 'connection to server at "127.0.0.1", port 5433 failed'):
        assert mask(text) == text
    with pytest.raises(StoreSettingError) as refused:
        eventsourcing_env("postgres//ss:S3cr3t@db/steps")
    assert "S3cr3t" not in str(refused.value) and "ss:***@db" in str(refused.value)


def test_a_sqlite_file_is_created_on_first_use(tmp_path) -> None:
    path = tmp_path / "fresh" / "small-steps.sqlite"
    app = SmallSteps.from_store(f"sqlite:///{path}")
    app.enrol("ida", "en-GB", "Europe/London")
    app.close()
    assert path.exists()
    again = SmallSteps.from_store(f"sqlite:///{path}")
    assert again.is_enrolled("ida")
    again.close()


def test_a_version_1_mood_is_read_through_its_upcast(app: SmallSteps, alice: str) -> None:
    """MoodRated v1 had no ``moment``: moods tied to a step were always 'after'."""
    step = app.schedule_step(alice, "make-bed", "2026-11-23")
    app.log_done(alice)
    week_key = Week.create_id(person_id(alice), "2026-W48")
    version = app.repository.get(week_key).version
    v1_state = {
        "originator_id": {"_type_": "uuid_hex", "_data_": week_key.hex},
        "originator_version": version + 1,
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-23T09:00:00+00:00"},
        "mood_id": "2026-W48.m1", "value": 7,
        "day": {"_type_": "date_iso", "_data_": "2026-11-23"},
        "at": {"_type_": "datetime_iso", "_data_": "2026-11-23T09:00:00+00:00"},
        "step_id": step,
    }
    app.recorder.insert_events([StoredEvent(
        originator_id=week_key, originator_version=version + 1,
        topic="domain.week:Week.MoodRated", state=json.dumps(v1_state).encode(),
    )])
    week = app.repository.get(week_key)
    assert week.moods[-1]["moment"] == "after" and week.moods[-1]["value"] == 7
    [view] = app.today(alice, date(2026, 11, 23)).steps
    assert view.mood_after == 7
    # New moods are written as version 2 and read back unchanged.
    app.rate_mood(alice, 5)
    last = app.recorder.select_notifications(1, 100)[-1]
    assert json.loads(last.state)["class_version"] == 2
    assert app.repository.get(week_key).moods[-1]["moment"] == "standalone"


def test_a_version_1_pin_is_read_as_set_by_no_known_voice(app: SmallSteps, alice: str) -> None:
    """PinSet v1 did not record who set the PIN: it is then asked of everyone, the
    recognised voice too; v2 records it, and a PIN set by a recognised voice is asked
    of anyone but that voice."""
    app.set_pin(alice, "4821", by_voice=True)
    assert not app.guards(alice, recognised_voice=True) and app.guards(alice, False)
    key = person_id(alice)
    version = app.repository.get(key).version
    v1_state = {
        "originator_id": {"_type_": "uuid_hex", "_data_": key.hex},
        "originator_version": version + 1,
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-23T09:00:00+00:00"},
        "pin_hash": app.profile(alice).pin_hash,
        "at": {"_type_": "datetime_iso", "_data_": "2026-11-23T09:00:00+00:00"},
    }
    app.recorder.insert_events([StoredEvent(
        originator_id=key, originator_version=version + 1,
        topic="domain.person:Person.PinSet", state=json.dumps(v1_state).encode(),
    )])
    assert app.guards(alice, recognised_voice=True) and app.check_pin(alice, "4821")
    app.set_pin(alice, "1357", by_voice=True)
    last = app.recorder.select_notifications(1, 100)[-1]
    assert json.loads(last.state)["class_version"] == 2
    assert not app.guards(alice, recognised_voice=True)


def test_the_domain_imports_nothing_of_alexa_flask_or_http() -> None:
    forbidden = ("ask_sdk", "ask_sdk_core", "ask_sdk_model", "flask", "flask_ask_sdk",
                 "werkzeug", "requests", "http", "urllib.request", "skill")
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_snapshots_keep_aggregate_loads_short(store_url_for, kind: str) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 7, tzinfo=timezone.utc))
    app = SmallSteps.from_store(store_url_for(kind), clock)
    app.enrol("jo", "en-GB", "Europe/London")
    steps = [app.schedule_step("jo", key, f"2026-11-{23 + i // 3}", at_time=f"{9 + i % 3:02d}:00")
             for i, key in enumerate(["make-bed", "step-outside", "favourite-song"] * 2)]
    app.log_done("jo", steps[0], mastery=3)
    app.log_not_done("jo", steps[1], barrier="tired")
    app.make_smaller("jo", steps[1])
    for i in range(120):  # each command returns normally, snapshots included
        app.rate_mood("jo", i % 11)
    for i in range(60):
        app.add_activity("jo", f"Own thing {i}", "pleasure", "recreation_interests", 2, 10)
    week_key = Week.create_id(person_id("jo"), "2026-W48")
    person_key = person_id("jo")
    assert list(app.snapshots.get(week_key))[-1].originator_version >= 100
    assert list(app.snapshots.get(person_key))[-1].originator_version >= 50
    # Loaded from the latest snapshot: the same state as a full replay.
    week = app.repository.get(week_key)
    replayed = functools.reduce(lambda agg, e: e.mutate(agg), app.events.get(week_key), None)
    assert (week.steps, week.moods, week.version) == (replayed.steps, replayed.moods,
                                                      replayed.version)
    assert len(week.moods) == 120 and week.steps[steps[0]].mastery == 3
    assert week.steps[steps[1]].is_smaller and week.steps[steps[1]].status == "pending"
    assert week.steps[steps[0]].day == date(2026, 11, 23)
    assert len(app.profile("jo").own) == 60
    app.close()


def test_a_failing_snapshot_never_fails_a_stored_command(monkeypatch, caplog) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 7, tzinfo=timezone.utc))
    app = SmallSteps.from_store("memory:", clock)
    app.enrol("kim", "en-GB", "Europe/London")

    def broken(*args, **kwargs):
        raise RuntimeError("snapshot store unavailable")

    monkeypatch.setattr(app, "take_snapshot", broken)
    for i in range(60):
        app.rate_mood("kim", i % 11)  # passes the snapshot interval without raising
    assert app.week("kim").mood_count == 60
    assert "snapshot not taken" in caplog.text
    app.close()


def test_the_domain_reads_no_environment_of_its_own(monkeypatch) -> None:
    monkeypatch.setenv("SMALL_STEPS_STORE", "memory:")
    monkeypatch.setenv("COMPRESSOR_TOPIC", "eventsourcing.compressor:ZlibCompressor")
    assert store_url() == DEFAULT_STORE  # the caller passes what it read
    assert store_url({"SMALL_STEPS_STORE": " memory: "}) == "memory:"
    app = SmallSteps.from_store("memory:")
    try:
        assert app.mapper.compressor is None  # the library's settings: only those given
    finally:
        app.close()
