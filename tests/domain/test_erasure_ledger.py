"""The erasure ledger: each erasure is remembered outside the store (the person's id and
the time, nothing else), and re-applying it to a copy of the store taken before the
erasure leaves the person gone again and everyone else as they were.

A restore here is what it is for a SQLite store: a copy of its file, taken before the
erasure (SQLite's backup API), opened with the live store's ledger. The PostgreSQL
backup.sh / restore.sh round trip is tests/infra/test_backup_restore.py.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.person import person_id
from domain.projections.views import rows_snapshot
from domain.store.ledger import ENV_LEDGER, ErasureLedger, FileLedger, ledger_for


def live(app: SmallSteps, people: tuple[str, ...]) -> None:
    for person in people:
        app.enrol(person, "en-GB", "Europe/London")
        step = app.schedule_step(person, "make-bed", "2026-11-23", "evening")
        app.log_done(person, step, mastery=4, enjoyment=6)
        app.rate_mood(person, 5)


def copy_store(app: SmallSteps, source: Path, target: Path) -> None:
    """A consistent copy of the live SQLite file (what a backup of it holds)."""
    app.catch_up()
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def views_of(app: SmallSteps, person: str) -> dict:
    """Every view row of one person."""
    with app.views.reading() as cur:
        rows = rows_snapshot(cur)
    pid = person_id(person).hex
    return {table: [r for r in found if pid in repr(r)] for table, found in rows.items()}


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "small-steps.sqlite"


def test_an_erasure_is_recorded_beside_a_sqlite_store(sqlite_file: Path, clock: FixedClock):
    app = SmallSteps.from_store(f"sqlite:///{sqlite_file}", clock)
    try:
        live(app, ("alice", "bob"))
        assert not app.erase_person("nobody")  # nothing to erase: nothing recorded
        assert app.erase_person("alice")
        assert app.reapply_erasures() == 0  # the live store has nothing of them left
    finally:
        app.close()
    ledger = sqlite_file.with_name("small-steps-erasures.jsonl")
    assert stat.S_IMODE(ledger.stat().st_mode) == 0o600
    lines = ledger.read_text().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert sorted(entry) == ["erased_at", "person_id"]  # the id and the time, nothing else
    assert entry["person_id"] == person_id("alice").hex
    assert "alice" not in ledger.read_text()


def test_reapplying_the_ledger_to_a_restored_copy_erases_the_person_again(
        sqlite_file: Path, tmp_path: Path, clock: FixedClock):
    url = f"sqlite:///{sqlite_file}"
    app = SmallSteps.from_store(url, clock)
    try:
        live(app, ("alice", "bob", "cat"))
        copy_store(app, sqlite_file, tmp_path / "backup.sqlite")
        app.erase_person("alice")
        bob = views_of(app, "bob")
    finally:
        app.close()
    ledger = str(sqlite_file.with_name("small-steps-erasures.jsonl"))
    restored = SmallSteps.from_store(f"sqlite:///{tmp_path / 'backup.sqlite'}", clock,
                                     ledger=ledger)
    try:
        assert restored.is_enrolled("alice")  # the restore brought her back
        assert restored.reapply_erasures() == 1
        assert not restored.is_enrolled("alice")
        assert views_of(restored, "alice") == {t: [] for t in bob}
        assert restored.is_enrolled("bob") and restored.is_enrolled("cat")
        assert views_of(restored, "bob") == bob
        assert restored.reapply_erasures() == 0  # idempotent
        assert not restored.erase_person("alice")  # nothing of hers is left anywhere
    finally:
        restored.close()


def test_a_person_who_enrolled_again_after_their_erasure_is_left_alone(
        sqlite_file: Path, clock: FixedClock):
    app = SmallSteps.from_store(f"sqlite:///{sqlite_file}", clock)
    try:
        live(app, ("alice",))
        app.erase_person("alice")
        live(app, ("alice",))  # a new start, after the erasure
        assert app.reapply_erasures() == 0
        assert app.is_enrolled("alice") and views_of(app, "alice")["ss_moods"]
    finally:
        app.close()


def test_a_line_cut_short_by_a_crash_is_passed_over(tmp_path: Path):
    path = tmp_path / "ledger" / "erasures.jsonl"
    ledger = FileLedger(path)
    ledger.record(person_id("alice"), 10.0)
    with path.open("a") as f:
        f.write('{"person_id": "ab')  # the process died mid-write
    ledger.record(person_id("bob"), 20.0)
    ledger.record(person_id("alice"), 30.0)
    assert list(ledger.entries()) == [(person_id("alice"), 10.0), (person_id("bob"), 20.0),
                                      (person_id("alice"), 30.0)]
    assert ledger.latest() == {person_id("alice"): 30.0, person_id("bob"): 20.0}
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_where_the_ledger_is_kept(tmp_path: Path):
    assert isinstance(ledger_for({"SQLITE_DBNAME": "file:x?mode=memory"}), ErasureLedger)
    assert not isinstance(ledger_for({"SQLITE_DBNAME": "file:x?mode=memory"}), FileLedger)
    beside = ledger_for({"SQLITE_DBNAME": str(tmp_path / "store.sqlite")})
    assert beside.path == tmp_path / "store-erasures.jsonl"
    named = ledger_for({"POSTGRES_DBNAME": "d", ENV_LEDGER: str(tmp_path / "e.jsonl")})
    assert named.path == tmp_path / "e.jsonl"
    in_memory = ledger_for({"POSTGRES_DBNAME": "d"})  # production names one (skill/settings.py)
    assert not isinstance(in_memory, FileLedger)
