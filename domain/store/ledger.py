"""The erasure ledger: who was erased and when, kept outside what a restore rewinds.

"Delete my data" leaves nothing of the person in the store (domain/store/erasure.py),
so a backup taken before it still holds them, and restoring it would bring them
back. The ledger remembers each erasure (the person's id, already a keyed hash of the
Alexa id turned into a UUID, and the time; nothing else) somewhere a restore of the
database does not touch, and ``SmallSteps.reapply_erasures`` erases them again after
one (``small-steps reapply-erasures``).

The application only records and reads entries (`ErasureLedger`); `FileLedger`
keeps them in an append-only JSON-lines file, each line written with fsync before
the erasure commits. Its path is the SMALL_STEPS_ERASURE_LEDGER setting (production:
in the systemd units' StateDirectory, see skill/settings.py); without it, a SQLite file
store keeps it beside its file, and an in-memory or PostgreSQL store in memory.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from uuid import UUID

ENV_LEDGER = "SMALL_STEPS_ERASURE_LEDGER"


class ErasureLedger:
    """Erasures remembered in memory: for stores that no restore brings back."""

    def __init__(self) -> None:
        self._entries: list[tuple[UUID, float]] = []

    def record(self, pid: UUID, at: float) -> None:
        """Remember that the person `pid` was erased at `at` (wall-clock seconds)."""
        self._entries.append((pid, at))

    def entries(self) -> Iterator[tuple[UUID, float]]:
        """Every erasure recorded, oldest first: (person id, when)."""
        yield from list(self._entries)

    def latest(self) -> dict[UUID, float]:
        """Each erased person's latest erasure (they may have enrolled again since)."""
        latest: dict[UUID, float] = {}
        for pid, at in self.entries():
            latest[pid] = max(at, latest.get(pid, at))
        return latest


class FileLedger(ErasureLedger):
    """One JSON object a line, ``{"person_id": hex, "erased_at": seconds}``, appended
    and flushed to disk (fsync) by each erasure; the file is the owner's alone (0600)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, pid: UUID, at: float) -> None:
        line = json.dumps({"person_id": pid.hex, "erased_at": at}) + "\n"
        with self._lock:
            new = not self.path.exists()
            if new:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = "\n" + line  # after a line a crash cut short
                os.write(fd, line.encode("ascii"))
                os.fsync(fd)
            finally:
                os.close(fd)
            if new:  # the file's name too must survive a crash
                directory = os.open(self.path.parent, os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)

    def entries(self) -> Iterator[tuple[UUID, float]]:
        """A line cut short by a crash mid-write is passed over (its erasure had not
        committed: the line is written first)."""
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            return
        for line in text.splitlines():
            try:
                entry = json.loads(line)
                yield UUID(hex=entry["person_id"]), float(entry["erased_at"])
            except (ValueError, KeyError, TypeError):
                continue


def ledger_for(settings: Mapping[str, str]) -> ErasureLedger:
    """The ledger for the eventsourcing settings of a store (see the module's docstring)."""
    path = settings.get(ENV_LEDGER, "").strip()
    if path:
        return FileLedger(path)
    dbname = settings.get("SQLITE_DBNAME", "")
    if dbname and not dbname.startswith("file:") and dbname != ":memory:":
        db = Path(dbname)
        return FileLedger(db.with_name(f"{db.stem}-erasures.jsonl"))
    return ErasureLedger()
