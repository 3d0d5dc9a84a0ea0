"""A batch of events applied in memory, then written in a few statements.

The rows a batch reads are loaded with a query per table for the whole batch, each
event's handler changes them as dicts, and the batch is written back with a
statement or two per table. Which tables there are, their keys, columns, defaults
and counters all come from the declarations in ``tables``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any, Protocol

from domain.projections.tables import VIEWS, Table

# A batch's reads and writes, for Cursor.find and Cursor.write.
Find = tuple[str, tuple[str, ...], Sequence[tuple]]  # table, columns, values to match
Change = tuple[str, str, Sequence[Any]]  # kind, table, row dicts or keys (Cursor.write)


class Cursor(Protocol):
    """What the writer needs of a transaction: named ``:params`` and dict rows, and
    reads and writes of many rows of several tables at once (a round trip for all of
    them where the database is a server)."""

    def run(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def one(self, sql: str, params: dict[str, Any] | None = None) -> dict | None: ...

    def all(self, sql: str, params: dict[str, Any] | None = None) -> list[dict]: ...

    def find(self, requests: Sequence[Find]) -> list[list[dict]]:
        """For each (table, columns, values): the rows whose ``columns`` equal one of
        the ``values`` tuples."""
        ...

    def write(self, changes: Sequence[Change]) -> None:
        """In order: ("insert", table, rows) adds rows (dicts of every column),
        ("update", table, rows) sets every column of the rows with those primary
        keys, ("add", table, rows) adds each row's COUNTERS to the row with its key
        and sets its other columns, or inserts it where there is none, and ("prune",
        table, keys) deletes those of the rows with those primary keys whose first
        counter is zero."""
        ...


def iso(value: date | datetime | time | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        # One fixed width, so stored instants sort as text.
        return value.isoformat(timespec="microseconds")
    return value.isoformat()


class Rows:
    """The rows of one view table that a batch reads or changes, by primary key.

    Each is loaded at most once (the keys of a batch together), changed in memory
    as a dict, and written back by ``changes``: a statement for the rows changed and
    one for the new ones, however often each changed."""

    def __init__(self, batch: Batch, table: Table):
        self.batch = batch
        self.table = table.name
        self.key = table.key
        self.columns = table.column_names
        self.defaults = table.defaults
        self.stored: dict[tuple, dict | None] = {}  # as the batch found them (None: no row)
        self.current: dict[tuple, dict | None] = {}  # as they are now

    def missing(self, keys: Iterable[tuple]) -> list[tuple]:
        """The keys not loaded yet, now taken for absent until ``loaded`` says otherwise."""
        current = self.current
        new = [k for k in set(keys) if k not in current]
        for k in new:
            current[k] = self.stored[k] = None
        return new

    def loaded(self, rows: list[dict]) -> None:
        if len(self.key) == 1:
            name = self.key[0]
            for row in rows:
                k = (row[name],)
                self.stored[k], self.current[k] = row, dict(row)
        else:
            for row in rows:
                k = tuple([row[c] for c in self.key])
                self.stored[k], self.current[k] = row, dict(row)

    def get(self, key: tuple) -> dict | None:
        if key not in self.current:
            self.batch.load((self, (key,)))
        return self.current[key]

    def insert(self, key: tuple, row: dict) -> dict:
        """A new row, as INSERT makes it: the columns not given take their defaults.

        A key that is already there is an error, here if the row was loaded,
        otherwise when the batch is written (nothing is read to find out)."""
        if self.current.get(key) is not None:
            raise ValueError(f"{self.table} already has a row {key}")
        self.stored.setdefault(key, None)
        if len(row) != len(self.columns):
            row = {**dict.fromkeys(self.columns), **self.defaults, **row}
        self.current[key] = row
        return row

    def changes(self) -> list[Change]:
        inserts, updates = [], []
        stored = self.stored
        for key, row in self.current.items():
            if row is None:
                continue
            before = stored[key]
            if before is None:
                inserts.append(row)
            elif row != before:
                updates.append(row)
        return [change for change in (("update", self.table, updates),
                                      ("insert", self.table, inserts)) if change[2]]


class Sums:
    """What a batch adds to the rows of a summed view (one with counters).

    Per row key: a row of every column, its counters holding the signed changes to
    add to the stored ones, its other columns as the last contribution set them.
    The stored rows are never read: the totals are added to them when the batch is
    written, and a row that had a contribution taken out goes if nothing is left
    in it (only a row whose first counter the batch did not raise can have nothing
    left: stored counters are never negative)."""

    def __init__(self, table: Table):
        self.table = table.name
        self.key = table.key
        self.count = table.counters[0]  # zero exactly when nothing is summed in a row
        # A new row: its key's columns, the others unset, the counters at zero.
        self.blank = {**dict.fromkeys(table.column_names), **dict.fromkeys(table.counters, 0)}
        self.rows: dict[tuple, dict] = {}
        self.taken_out: set[tuple] = set()

    def row(self, key: tuple, sign: int) -> dict:
        """The changes to the row of ``key``, for a contribution put in (``sign``
        +1) or taken out (-1); the caller sets the columns neither key nor counter."""
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = {**self.blank, **dict(zip(self.key, key))}
        if sign < 0:
            self.taken_out.add(key)
        return row

    def changes(self) -> list[Change]:
        if not self.rows:
            return []
        count, taken_out = self.count, self.taken_out
        changes: list[Change] = [("add", self.table, list(self.rows.values()))]
        pruned = [key for key, row in self.rows.items() if key in taken_out and row[count] <= 0]
        if pruned:
            changes.append(("prune", self.table, pruned))
        return changes


class DayMoods:
    """Each (person, day)'s moods as stored when the batch began, and as the batch
    added them since: [(at, mood_id, value)], for 'the latest mood earlier that day'."""

    table, key = "ss_moods", ("person_id", "day")

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], list[tuple]] = {}
        self.new: dict[tuple[str, str], list[tuple]] = {}

    def missing(self, keys: Iterable[tuple]) -> list[tuple]:
        new = [k for k in set(keys) if k not in self.stored]
        for k in new:
            self.stored[k] = []
        return new

    def loaded(self, rows: list[dict]) -> None:
        for r in rows:
            self.stored[(r["person_id"], r["day"])].append((r["at"], r["mood_id"], r["value"]))

    def add(self, person: str, day: str, at: str, mood_id: str, value: int) -> None:
        self.new.setdefault((person, day), []).append((at, mood_id, value))


class Batch:
    """One batch of events applied in memory, then written in a few statements.

    Every view table has its ``Rows`` (in ``rows``) or, if it is summed, its
    ``Sums`` (in ``sums``); the tables the handlers use most are attributes too."""

    def __init__(self, cur: Cursor):
        self.cur = cur
        self.rows = {t.name: Rows(self, t) for t in VIEWS if not t.counters}
        self.sums = {t.name: Sums(t) for t in VIEWS if t.counters}
        self.people = self.rows["ss_people"]
        self.weeks = self.rows["ss_weeks"]
        self.steps = self.rows["ss_steps"]
        self.moods = self.rows["ss_moods"]
        self.insights = self.sums["ss_insights"]
        self.lifts = self.sums["ss_lifts"]
        self.day_moods = DayMoods()

    def load(self, *wanted: tuple[Rows | DayMoods, Iterable[tuple]]) -> None:
        """Load what is missing of each (rows, keys) with one ``find`` for all."""
        requests, targets = [], []
        for target, keys in wanted:
            missing = target.missing(keys)
            if missing:
                requests.append((target.table, target.key, missing))
                targets.append(target)
        if requests:
            for target, rows in zip(targets, self.cur.find(requests)):
                target.loaded(rows)

    def add_mood(self, row: dict) -> None:
        self.moods.insert((row["person_id"], row["mood_id"]), row)
        self.day_moods.add(row["person_id"], row["day"], row["at"], row["mood_id"], row["value"])

    def latest_mood(self, person: str, day: str, before: str, other_than: str) -> int | None:
        """The value of the latest mood of ``day`` rated before the instant ``before``
        (ties: the greatest mood id), stored or added by this batch so far."""
        key = (person, day)
        moods = self.day_moods
        if key not in moods.stored:
            self.load((moods, (key,)))
        best = None
        for mood in (*moods.stored[key], *moods.new.get(key, ())):
            if mood[0] < before and mood[1] != other_than and (best is None or mood[:2] > best[:2]):
                best = mood
        return None if best is None else best[2]

    def flush(self) -> None:
        """Write the batch: every change of every table in one ``write``."""
        changes: list[Change] = []
        for rows in self.rows.values():
            changes += rows.changes()
        for sums in self.sums.values():
            changes += sums.changes()
        if changes:
            self.cur.write(changes)
