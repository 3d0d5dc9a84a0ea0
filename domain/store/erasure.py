"""Erasing stored events: a person's "delete my data", one backend at a time.

The event store is append-only by design, so the library has no way to delete;
this module does it with each recorder's own tables (or, for the in-memory POPO
recorder, its own structures). ``SmallSteps.erase_person`` drives it inside the
views' write transaction, so views, events and snapshots go together.

The notification log must stay consistent for whoever tracks it. Deleting rows
leaves gaps in the notification ids, which readers skip. But SQLite issues the
next id as ``MAX(rowid) + 1``: were the newest rows deleted, the next events would
reuse ids that a tracking position already counts as applied, and catching up
would silently pass them over. So when the newest row goes, a placeholder with no
content takes its id (a fixed originator id, not the person's; no timestamp). The
POPO recorder numbers notifications by list position, so there each erased event
is replaced by such a placeholder in place. PostgreSQL takes ids from a sequence
that never goes back, so it needs none.

Erasure and writes exclude each other, per person, across processes. A command
loads what it changes and saves later; were the person erased in between, its save
would store a lone event (version 5 of a week with no version 1) that no load and no
view can make sense of. So every write carries a `Fence`, checked in its own
transaction once it holds the lock erasure takes too: each aggregate's new events
must follow a version still stored, and none of the people they belong to may have
been erased since the writer began reading (a tombstone in ss_erased, the person's
id and the time only, kept TOMBSTONE_SECONDS). A write that fails either is refused
with ``Erased`` and stores nothing. A person who enrols again after the erasure
began reading after it, so they start afresh at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.utils import register_topic

from domain.errors import Erased
from domain.projections.tables import ERASED, VIEW_TABLES
from domain.week import week_aggregate_id

PLACEHOLDER_ID = uuid5(NAMESPACE_URL, "https://small-steps.example/erased")
# How long a tombstone is kept: far longer than any command runs between its load and
# its save (a turn is answered within seconds, a lost race retried within ten).
TOMBSTONE_SECONDS = 15 * 60


def _upto(before: int | None) -> int:
    """The bound of ``notifications_after(..., before)``: none is the largest id."""
    return 2**63 - 1 if before is None else before


@dataclass(frozen=True)
class LogPlaceholder:
    """Holds a notification id in the log after the event there was erased.

    Carries nothing but the id it holds (as its version); views ignore it. Its
    topic is stored in the log: keep it importable under this name (the old one is
    registered below)."""

    originator_id: UUID
    originator_version: int


# Placeholders stored before this module moved into domain/store/ name it by its old path.
register_topic("domain.erasure:LogPlaceholder", LogPlaceholder)

Placeholder = Callable[[int], StoredEvent]  # notification id -> the stored placeholder


def placeholder_maker(mapper: Any) -> Placeholder:
    """Stored placeholders encoded by the application's own mapper (so a cipher or
    compressor configured for the store applies to them too)."""

    def make(notification_id: int) -> StoredEvent:
        return mapper.to_stored_event(LogPlaceholder(PLACEHOLDER_ID, notification_id))

    return make


@dataclass(frozen=True)
class Fence:
    """What a write must still find true in its own transaction (see above).

    ``follows``: (aggregate id, the version its new events follow) for each aggregate
    that was already stored; ``people``: the hex ids of the people whose data the
    events are; ``since``: when the writer began reading (wall-clock seconds), None
    when unknown (then only ``follows`` is checked)."""

    follows: tuple[tuple[UUID, int], ...]
    people: tuple[str, ...]
    since: float | None

    @classmethod
    def of(cls, aggregates: Iterable[Any], events: Iterable[Any],
           since: float | None) -> Fence:
        first: dict[UUID, int] = {}
        for e in events:
            first[e.originator_id] = min(e.originator_version,
                                         first.get(e.originator_id, e.originator_version))
        people = {getattr(a, "person_id", a.id).hex for a in aggregates}
        return cls(tuple((i, v - 1) for i, v in first.items() if v > 1),
                   tuple(sorted(people)), since)

    def check(self, events_table: str, erased_table: str, *,
              postgres: bool) -> tuple[str, tuple]:
        """One statement answering (erased, found): how many of the people were erased
        since, and how many of the followed versions are stored. The tables are named
        as the recorder's connection finds them."""
        mark, params = ("%s" if postgres else "?"), []
        erased = "0"
        if self.people and self.since is not None:
            erased = (f"(SELECT COUNT(*) FROM {erased_table} WHERE person_id IN "
                      f"({', '.join([mark] * len(self.people))}) AND erased_at >= {mark})")
            params += [*self.people, self.since]
        found = "0"
        if self.follows:
            found = (f"(SELECT COUNT(*) FROM {events_table} WHERE " + " OR ".join(
                [f"(originator_id = {mark} AND originator_version = {mark})"] * len(self.follows))
                + ")")
            for i, v in self.follows:
                params += [i if postgres else i.hex, v]
        return f"SELECT {erased} AS erased, {found} AS found", tuple(params)

    def settle(self, erased: int, found: int) -> None:
        """Refuse the write (Erased) unless it still holds."""
        if erased or found < len(self.follows):
            raise Erased("this person's data was erased while the command was under way")


def erase_person(app: Any, pid: UUID, *, record: bool = True) -> tuple[int, int]:
    """Delete every event and snapshot of the person `pid` and of each of their
    weeks, and every view row and kept reply of theirs (see
    ``SmallSteps.erase_person``). Returns how many events and view rows went.

    `record`: whether the application's erasure ledger (domain/store/ledger.py) is
    told, just before the transaction commits, once something was found to erase:
    should the commit fail, the person still asked to be erased; should the process
    die after it, the erasure is already on disk. Off when the ledger is being
    re-applied.

    One transaction, under the lock the views are written under. Inside it the
    views are first brought to the very end of the log, so every week the person
    has is listed in ss_weeks and the views' position is past every erased event
    (a catch-up elsewhere holding a stale batch skips them); and no event can be
    appended until it commits (SQLite's write lock, PostgreSQL's table lock)."""
    events_log = app._events_log()
    placeholder = placeholder_maker(app.mapper)
    app.catch_up()  # most of the way before taking the lock
    with app.views.writing() as (cur, position):
        events_log.lock(cur)
        app.views.fill(cur, position)
        params = {"p": pid.hex}
        weeks = {UUID(r["week_aggregate_id"]) for r in cur.all(
            "SELECT week_aggregate_id FROM ss_weeks WHERE person_id = :p", params)}
        weeks.update(week_aggregate_id(pid, r["week"]) for r in cur.all(
            "SELECT DISTINCT week FROM ss_steps WHERE person_id = :p", params))
        events = events_log.delete(cur, [pid, *sorted(weeks)], placeholder)
        rows = 0
        for table in VIEW_TABLES:
            rows += cur.one(f"SELECT COUNT(*) AS n FROM {table} WHERE person_id = :p",
                            params)["n"]
            cur.run(f"DELETE FROM {table} WHERE person_id = :p", params)
        app.views.writer.forget_person(pid.hex)
        at = leave_tombstone(cur, pid.hex)
        if record and (events or rows):
            app.ledger.record(pid, at)
    app.replies.forget_person(pid.hex)  # replies kept for retries say what was spoken
    events_log.after_erasure(app.views.datastore)
    return events, rows


def leave_tombstone(cur: Any, person: str) -> float:
    """Last in the erasure's transaction, so its time (returned) is after every load
    that saw the person (see `Fence`); tombstones past TOMBSTONE_SECONDS go."""
    now = time.time()
    cur.run(f"DELETE FROM {ERASED.name} WHERE erased_at < :old", {"old": now - TOMBSTONE_SECONDS})
    cur.run(f"INSERT INTO {ERASED.name} (person_id, erased_at) VALUES (:p, :t) "
            "ON CONFLICT (person_id) DO UPDATE SET erased_at = excluded.erased_at",
            {"p": person, "t": now})
    return now


# -- SQLite ---------------------------------------------------------------------


class SQLiteLog:
    """The events and snapshots tables of a SQLite store, through the views' open
    write transaction (``BEGIN IMMEDIATE`` already keeps other writers
    out, so no event can be appended while it runs)."""

    def __init__(self, recorder: Any, snapshots_recorder: Any | None):
        self.recorder = recorder
        self.events = recorder.events_table_name
        self.snapshots = snapshots_recorder.events_table_name if snapshots_recorder else None

    def lock(self, cur: Any) -> None:
        """Nothing to do: the transaction holds SQLite's write lock already."""

    @staticmethod
    def after_erasure(datastore: Any) -> None:
        """Deleted rows were overwritten (secure_delete); their older copies are in the
        write-ahead log's frames until it is checkpointed and emptied."""
        from domain.store.sqlite import checkpoint

        checkpoint(datastore)

    def notifications_after(self, cur: Any, position: int, limit: int,
                            before: int | None = None) -> list[Notification]:
        rows = cur.conn.execute(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events} "
            "WHERE rowid > ? AND rowid < ? ORDER BY rowid LIMIT ?",
            (position, _upto(before), limit),
        ).fetchall()
        return [Notification(id=r[0], originator_id=self.recorder.convert_originator_id(r[1]),
                             originator_version=r[2], topic=r[3], state=r[4]) for r in rows]

    def delete(self, cur: Any, ids: Sequence[UUID], placeholder: Placeholder) -> int:
        """Delete every event and snapshot of ``ids``; returns how many events."""
        conn = cur.conn
        keys = [(i.hex,) for i in ids]
        top = self._max_rowid(conn)
        deleted = 0
        for key in keys:
            deleted += conn.execute(f"DELETE FROM {self.events} WHERE originator_id = ?",
                                    key).rowcount
        if self.snapshots:
            conn.executemany(f"DELETE FROM {self.snapshots} WHERE originator_id = ?", keys)
        if deleted and top is not None:
            # Older placeholders are no longer needed: ids below the top are never reused.
            conn.execute(f"DELETE FROM {self.events} WHERE originator_id = ? AND rowid < ?",
                         (PLACEHOLDER_ID.hex, top))
            if (self._max_rowid(conn) or 0) < top:
                s = placeholder(top)
                conn.execute(f"INSERT INTO {self.events} (rowid, originator_id, "
                             "originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
                             (top, s.originator_id.hex, s.originator_version, s.topic, s.state))
        return deleted

    def _max_rowid(self, conn: Any) -> int | None:
        return conn.execute(f"SELECT MAX(rowid) FROM {self.events}").fetchone()[0]


# -- PostgreSQL -----------------------------------------------------------------


class PostgresLog:
    """The events and snapshots tables of a PostgreSQL store (in the store's
    schema), through the views' open write transaction."""

    def __init__(self, recorder: Any, snapshots_recorder: Any | None):
        from psycopg.sql import Identifier

        schema = Identifier(recorder.datastore.schema)
        self.events = (schema, Identifier(recorder.events_table_name))
        self.snapshots = ((Identifier(snapshots_recorder.datastore.schema),
                           Identifier(snapshots_recorder.events_table_name))
                          if snapshots_recorder else None)

    def lock(self, cur: Any) -> None:
        """Keep writers out until commit: the lock the recorder takes to append.

        It does not block readers. Taken after the views' advisory lock, which no
        writer ever asks for while holding this one, so the two cannot deadlock."""
        from psycopg.sql import SQL

        cur.curs.execute(SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(*self.events))

    @staticmethod
    def after_erasure(datastore: Any) -> None:
        """Nothing to do here: PostgreSQL's dead rows go at its vacuum."""

    def notifications_after(self, cur: Any, position: int, limit: int,
                            before: int | None = None) -> list[Notification]:
        from psycopg.sql import SQL

        curs = cur.curs
        curs.execute(SQL("SELECT notification_id, originator_id, originator_version, topic, "
                         "state FROM {}.{} WHERE notification_id > %s AND notification_id < %s "
                         "ORDER BY notification_id LIMIT %s").format(*self.events),
                     (position, _upto(before), limit))
        return [Notification(id=r["notification_id"], originator_id=r["originator_id"],
                             originator_version=r["originator_version"], topic=r["topic"],
                             state=bytes(r["state"])) for r in curs.fetchall()]

    def delete(self, cur: Any, ids: Sequence[UUID], placeholder: Placeholder) -> int:
        """Delete every event and snapshot of ``ids``; returns how many events.

        Notification ids come from a sequence, which never issues an id twice:
        no placeholder is needed."""
        from psycopg.sql import SQL

        curs = cur.curs
        statement = SQL("DELETE FROM {}.{} WHERE originator_id = ANY(%s)")
        curs.execute(statement.format(*self.events), (list(ids),))
        deleted = curs.rowcount
        if self.snapshots:
            curs.execute(statement.format(*self.snapshots), (list(ids),))
        return deleted


# -- POPO (plain Python objects, in memory) ------------------------------------------


def erase_popo(recorder: Any, snapshots_recorder: Any | None, ids: Sequence[UUID],
               placeholder: Placeholder) -> int:
    """Erase ``ids`` from the in-memory recorders, under their own locks.

    A POPO notification id is a position in ``_stored_events``, so each erased
    event is replaced by a placeholder where it stood; the snapshots recorder has
    no notification ids, so its list is simply rebuilt without them."""
    keys = {str(i) for i in ids}
    deleted = 0
    with recorder._database_lock:
        events = recorder._stored_events
        index = recorder._stored_events_index
        for key in keys:
            for position in index.pop(key, {}).values():
                events[position] = placeholder(position + 1)
                deleted += 1
    if snapshots_recorder is not None:
        with snapshots_recorder._database_lock:
            kept = [s for s in snapshots_recorder._stored_events
                    if str(s.originator_id) not in keys]
            snapshots_recorder._stored_events[:] = kept
            rebuilt = snapshots_recorder._stored_events_index
            rebuilt.clear()
            for position, s in enumerate(kept):
                rebuilt[str(s.originator_id)][s.originator_version] = position
    return deleted
