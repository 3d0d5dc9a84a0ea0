"""The SQLite store's files are private, and "delete my data" leaves no copy of a
person's words in them: not in free pages (secure_delete), not in the write-ahead
log's older frames (checkpointed and emptied after the erasure)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock

SECRET = "Zephyrine"
OTHER = "Quillon"


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """A umask that would leave files readable by everyone: the store must not rely on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def raw(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in files(db))


def live(app: SmallSteps, person: str, words: str) -> None:
    app.enrol(person, "en-GB", "Europe/London")
    value = app.name_value(person, "relationships", f"{words} friendship")
    own = app.add_activity(person, f"{words} garden", "pleasure", "recreation_interests", 2,
                           20, value_id=value)
    for _ in range(3):
        step = app.schedule_step(person, own, "2026-11-23", "evening")
        app.pair_step(person, step, f"after {words} tea")
        app.log_done(person, step)
    app.set_relapse_plan(person, [f"{words} stays in bed"], ["step-outside"])


def test_a_new_store_is_private(tmp_path: Path, clock: FixedClock, loose_umask: None) -> None:
    db = tmp_path / "var" / "new" / "small-steps.sqlite"
    app = SmallSteps.from_store(f"sqlite:///{db}", clock)
    try:
        live(app, "alice", SECRET)
        assert {p.name: mode(p) for p in files(db)} == {p.name: 0o600 for p in files(db)}
        assert Path(f"{db}-wal").exists()
        assert mode(db.parent) == 0o700
        with app.views.reading() as cur:
            assert cur.one("PRAGMA secure_delete")["secure_delete"] == 1
    finally:
        app.close()


def test_an_existing_store_is_made_private(tmp_path: Path, clock: FixedClock,
                                           loose_umask: None) -> None:
    db = tmp_path / "small-steps.sqlite"
    SmallSteps.from_store(f"sqlite:///{db}", clock).close()
    db.chmod(0o644)
    app = SmallSteps.from_store(f"sqlite:///{db}", clock)
    try:
        assert mode(db) == 0o600
    finally:
        app.close()


def test_erased_words_are_not_in_the_files(tmp_path: Path, clock: FixedClock) -> None:
    db = tmp_path / "small-steps.sqlite"
    app = SmallSteps.from_store(f"sqlite:///{db}", clock)
    try:
        live(app, "alice", SECRET)
        live(app, "bob", OTHER)
        assert SECRET.encode() in raw(db)
        assert app.erase_person("alice") is True
        data = raw(db)
        assert SECRET.encode() not in data
        assert OTHER.encode() in data  # bob's are still there: the files were read
        assert app.profile("bob").values
    finally:
        app.close()
    assert SECRET.encode() not in raw(db)
