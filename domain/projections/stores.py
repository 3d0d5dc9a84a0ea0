"""Where the views live: beside the events, in the same SQLite file or PostgreSQL
database, as tracking recorders of the eventsourcing library (so its
``ProjectionRunner`` can drive them on PostgreSQL)."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from domain.projections.cursors import (
    PgCursor,
    SQLiteCursor,
    no_savepoint,
    pipeline,
    savepoint,
)
from domain.projections.tables import PROJECTOR
from domain.projections.tables import SET_ASIDE as SET_ASIDE_TABLE
from domain.projections.tables import TABLES, VIEW_TABLES, postgres_ddl
from domain.projections.writer import ViewWriter

log = logging.getLogger(__name__)

SET_ASIDE = SET_ASIDE_TABLE.name

VIEWS_NAME = "SmallSteps"  # positions are kept under the name of the application followed
_PG_LOCK_KEY = 0x5353_5649  # "SSVI": serialises view writers across processes
FILL_BATCH = 500
# A command applies its own events to the views in its own transaction when the views
# are at most this many notification ids behind its first event (ids never used, or a
# few events of a writer that could not apply its own); further behind (a rebuild, a
# projector starting) it leaves them to the projector and to catch-up.
SYNC_GAP_MAX = 500
RETAKE_PAUSES = (0.0, 0.002, 0.01)  # seconds before asking again for the views' lock


# (cursor of an open writing() transaction, position, limit, before) -> the next
# (event, tracking) pairs after position (and before `before`, if not None), read
# through that same transaction.
ReadAfter = Callable[[Any, int, int, "int | None"], Sequence[tuple[object, Tracking]]]


class ViewsMixin:
    """Shared by both stores: apply batches exactly once, read, reset."""

    writer: ViewWriter
    # Set by the application that owns the events (SmallSteps.attach_views): how
    # the views read events they have not been given (see ``fill``).
    read_after: ReadAfter | None = None

    def apply(self, items: Sequence[tuple[object, Tracking]]) -> int:
        """Apply (event, tracking) pairs in order, skipping any already applied.

        Returns the tracking position after the batch.
        """
        known = self.position()  # no lock: commands apply their own events, so the
        if items and items[-1][1].notification_id <= known:  # projector mostly finds
            return known  # them applied already, and need not queue for the lock
        try:
            # No savepoint on the way: rows written inside one cost PostgreSQL more
            # (a rebuild writes hundreds of thousands).
            with self.writing() as (cur, position):
                return self.apply_within(cur, position, items, savepoints=False)
        except Exception as e:
            if lost_connection(e):
                raise
            # A view the database refused (Python failures are set aside above):
            # again, an event a transaction, each under a savepoint.
            log.warning("views: a batch failed (%s); applying it an event at a time",
                        type(e).__name__)
            position = known
            for item in items:
                with self.writing() as (cur, at):
                    position = self.apply_within(cur, at, [item])
            return position

    def apply_within(self, cur: Any, position: int,
                     items: Sequence[tuple[object, Tracking]], *, savepoints: bool = True) -> int:
        """``apply`` inside a ``writing()`` transaction that is already open."""
        fresh = [(e, t) for e, t in items if t.notification_id > position]
        if not fresh:
            return position
        first = fresh[0][1].notification_id
        if first > position + 1:
            # Events between the position and this batch that whoever read the batch
            # did not give: the views were emptied for a rebuild after it was read,
            # or an id was never used. Apply what there is of them first, so the
            # position never moves past an event that is not in the views.
            position = self.fill(cur, position, before=first, record=False)
        self._apply_guarded(cur, fresh, savepoints=savepoints)
        last = fresh[-1][1]
        self._record_position(cur, last)
        return last.notification_id

    def _apply_guarded(self, cur: Any, items: Sequence[tuple[object, Tracking]], *,
                       savepoints: bool = True) -> set[int]:
        """Apply a batch; if it fails, apply its events one at a time and set aside each
        one that fails, with its error: a view that cannot apply an event never stops
        the events after it, nor the person's command that recorded it.

        A view that fails in Python has written nothing (a batch's rows change in
        memory and are written at its end). One the database refuses is undone by a
        savepoint; in a command's own transaction (``savepoints=False``: a pipeline,
        where psycopg cannot keep its prepared statements across ROLLBACK TO
        SAVEPOINT) it shows at the commit, and the recorder records the events
        without the views.

        Returns the notification ids set aside. Only the error's class is kept and
        logged: its message can quote the refused row, a person's words."""
        guard = savepoint if savepoints else no_savepoint
        failed: set[int] = set()
        try:
            with guard(cur):
                self.writer.apply(cur, (e for e, _ in items))
        except Exception:  # noqa: BLE001 - find the event(s) at fault, one at a time
            self.writer = type(self.writer)()  # forget what the failed batch cached
            for event, tracking in items:
                try:
                    with guard(cur):
                        self.writer.apply(cur, (event,))
                except Exception as e:  # noqa: BLE001
                    n, error = tracking.notification_id, type(e).__name__
                    log.error("views: event %d set aside (%s)", n, error,
                              extra={"notification_id": n, "error": error})
                    cur.run(f"INSERT INTO {SET_ASIDE} (notification_id, topic, error, "
                            "set_aside_at) VALUES (:n, :t, :e, :at) ON CONFLICT "
                            "(notification_id) DO UPDATE SET topic = excluded.topic, "
                            "error = excluded.error, set_aside_at = excluded.set_aside_at",
                            {"n": n, "t": type(event).__qualname__, "e": error,
                             "at": time.time()})
                    failed.add(n)
        return failed

    def recording(self, events: Sequence[object], *, apply: bool = True) -> Recording:
        """What a recorder needs to apply a command's ``events`` to these views inside
        the transaction that records them (``insert_events(..., views=...)``);
        ``apply=False`` leaves them to the projector and catch-up."""
        return Recording(self, events, apply)

    def apply_recorded(self, raw: Any, items: Sequence[tuple[object, Tracking]],
                       position: int | None) -> bool:
        """Inside the transaction that has just recorded these (event, tracking) pairs
        (and holds the events table's lock, so every earlier event is committed): apply
        them to the views, so the command's events, their view changes and the new
        position commit together. ``position`` is the views' position read once their
        lock was held (``hold``), None when another writer holds them (a projector's
        batch, a rebuild: a person's command waits for neither). Skipped (False) then,
        or when the views are far behind; the projector and catch-up apply the events
        later, exactly once."""
        if position is None or items[0][1].notification_id - position - 1 > SYNC_GAP_MAX:
            return False
        self.apply_within(self._cursor(raw), position, items, savepoints=False)
        return True

    def set_aside(self) -> int:
        """How many events the views could not apply."""
        with self.reading() as cur:
            return cur.one(f"SELECT COUNT(*) AS n FROM {SET_ASIDE}")["n"]

    def set_aside_events(self) -> list[dict[str, Any]]:
        """The events the views could not apply, oldest first: notification_id, topic,
        error (its class) and set_aside_at (wall-clock seconds, None if unknown)."""
        with self.reading() as cur:
            return cur.all(f"SELECT notification_id, topic, error, set_aside_at FROM "
                           f"{SET_ASIDE} ORDER BY notification_id")

    def retry_set_aside(self, notification_id: int | None = None) -> tuple[int, int]:
        """Apply the set-aside events (or the one named) again, after a fix to a view's
        code: each that applies now leaves the list, as does one whose event is gone
        (its person was erased); one that fails again stays, with its new error.
        Returns (cleared, still set aside).

        They are applied late, after the events that followed them: a fix that
        changes what a view holds for them is better served by a rebuild."""
        read_after = self.read_after
        if read_after is None:
            raise RuntimeError("these views were not attached to an application's events")
        where = "" if notification_id is None else " WHERE notification_id = :n"
        with self.writing() as (cur, _):
            ids = [r["notification_id"] for r in cur.all(
                f"SELECT notification_id FROM {SET_ASIDE}{where} ORDER BY notification_id",
                {"n": notification_id})]
            items = [item for n in ids for item in read_after(cur, n - 1, 1, n + 1)]
            failed = self._apply_guarded(cur, items) if items else set()
            for n in ids:
                if n not in failed:
                    cur.run(f"DELETE FROM {SET_ASIDE} WHERE notification_id = :n", {"n": n})
        return len(ids) - len(failed), len(failed)

    def add_missing_columns(self) -> None:
        """Give a set-aside table made by an earlier version the columns added since."""
        with self.writing() as (cur, _):
            present = {r["name"] for r in cur.all(self._columns_sql, {"t": SET_ASIDE})}
            for statement in SET_ASIDE_TABLE.added_columns(present):
                cur.run(statement)

    def fill(self, cur: Any, position: int, *, before: int | None = None,
             record: bool = True) -> int:
        """Inside an open ``writing()`` transaction: apply every event after
        ``position`` (and before ``before``), read through the same transaction, and
        record the new position. Returns it."""
        read_after = self.read_after
        if read_after is None:
            raise RuntimeError("these views were not attached to an application's events")
        last = None
        while batch := read_after(cur, position, FILL_BATCH, before):
            self._apply_guarded(cur, batch)
            last = batch[-1][1]
            position = last.notification_id
        if record and last is not None:
            self._record_position(cur, last)
        return position

    def position(self) -> int:
        return self.max_tracking_id(VIEWS_NAME) or 0  # type: ignore[attr-defined]

    def reset(self) -> None:
        """Empty every view and forget the position: the next catch-up rebuilds."""
        with self.writing() as (cur, _):
            for table in (*VIEW_TABLES, SET_ASIDE):
                cur.run(f"DELETE FROM {table}")
            self._forget_position(cur)
        self.writer = ViewWriter()


def lost_connection(error: Exception) -> bool:
    """The store went away (the caller retries the whole thing), as opposed to a view's
    change the store refused."""
    from eventsourcing.persistence import InterfaceError, OperationalError

    names = {type(e).__name__ for e in (error, error.__cause__) if e is not None}
    return isinstance(error, (InterfaceError, OperationalError)) or bool(
        names & {"OperationalError", "InterfaceError"})


class Recording:
    """A command's events on their way into the store, to be applied to the views in
    the same transaction: ``hold(connection)`` asks for the views' lock and position
    (sent with the insert), ``apply(connection, notification_ids, held)`` applies."""

    def __init__(self, views: ViewsMixin, events: Sequence[object], apply: bool = True):
        self.views, self.events, self.enabled = views, events, apply

    def hold(self, raw: Any) -> Callable[[], int | None]:
        if not self.enabled:
            return lambda: None  # as if the views were busy: left for later
        return self.views._hold(raw)  # noqa: SLF001

    def apply(self, raw: Any, notification_ids: Sequence[int],
              held: Callable[[], int | None]) -> bool:
        items = [(e, Tracking(VIEWS_NAME, n))
                 for e, n in zip(self.events, notification_ids, strict=True)]
        return self.views.apply_recorded(raw, items, held())


class SQLiteViews(ViewsMixin, SQLiteTrackingRecorder):
    _columns_sql = "SELECT name FROM pragma_table_info(:t)"

    def __init__(self, datastore: Any, **kwargs: Any):
        super().__init__(datastore, **kwargs)
        self.writer = ViewWriter()

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *TABLES]

    @staticmethod
    def _cursor(raw: sqlite3.Connection) -> SQLiteCursor:
        return SQLiteCursor(raw)

    def _hold(self, raw: sqlite3.Connection) -> Callable[[], int | None]:
        # The recording transaction already holds SQLite's one write lock.
        row = raw.execute("SELECT notification_id FROM tracking WHERE application_name = ?",
                          (VIEWS_NAME,)).fetchone()
        return lambda: row[0] if row else 0

    def read_all(self, statements: Sequence[tuple[str, dict[str, Any]]]) -> list[list[dict]]:
        """Several reads from one consistent snapshot."""
        with self.reading() as cur:
            return [cur.all(sql, params) for sql, params in statements]

    @contextmanager
    def writing(self) -> Iterator[tuple[SQLiteCursor, int]]:
        with self.datastore.get_connection(commit=True) as connection:
            conn: sqlite3.Connection = connection._sqlite_conn  # noqa: SLF001
            # IMMEDIATE takes the write lock before reading the position, so two
            # processes catching up at once cannot both apply the same events.
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT notification_id FROM tracking "
                                   "WHERE application_name = ?", (VIEWS_NAME,)).fetchone()
                yield SQLiteCursor(conn), (row[0] if row else 0)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    @contextmanager
    def reading(self) -> Iterator[SQLiteCursor]:
        with self.datastore.get_connection(commit=False) as connection:
            conn: sqlite3.Connection = connection._sqlite_conn  # noqa: SLF001
            conn.execute("BEGIN")  # one consistent snapshot for the whole read
            try:
                yield SQLiteCursor(conn)
            finally:
                conn.rollback()

    def _record_position(self, cur: SQLiteCursor, tracking: Tracking) -> None:
        cur.run("INSERT INTO tracking VALUES (:a, :n) ON CONFLICT (application_name) "
                "DO UPDATE SET notification_id = :n", {"a": VIEWS_NAME,
                                                         "n": tracking.notification_id})

    def _forget_position(self, cur: SQLiteCursor) -> None:
        cur.run("DELETE FROM tracking WHERE application_name = :a", {"a": VIEWS_NAME})


class PostgresViews(ViewsMixin, PostgresTrackingRecorder):
    _columns_sql = ("SELECT column_name AS name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = :t")

    def __init__(self, datastore: Any, **kwargs: Any):
        # One table whoever constructs the views (the application or a runner).
        kwargs["tracking_table_name"] = "smallsteps_views_tracking"
        super().__init__(datastore, **kwargs)
        self.sql_create_statements += postgres_ddl(self.datastore.schema)
        self._tracking = f'"{self.datastore.schema}"."{self.tracking_table_name}"'
        self._search_path = f'SET LOCAL search_path TO "{self.datastore.schema}"'
        self.writer = ViewWriter()

    @contextmanager
    def writing(self) -> Iterator[tuple[PgCursor, int]]:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._search_path)
            # Per schema: the views of other stores on the same server do not wait.
            curs.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                         (_PG_LOCK_KEY, self.datastore.schema))
            curs.execute(f"SELECT notification_id FROM {self._tracking} "
                         "WHERE application_name = %s", (VIEWS_NAME,))
            row = curs.fetchone()
            yield PgCursor(curs), (row["notification_id"] if row else 0)

    @contextmanager
    def reading(self) -> Iterator[PgCursor]:
        # Committed, not rolled back: psycopg forgets every prepared statement of a
        # connection at a ROLLBACK (DEALLOCATE ALL, and each one prepared again).
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._search_path)
            yield PgCursor(curs)

    def read_all(self, statements: Sequence[tuple[str, dict[str, Any]]]) -> list[list[dict]]:
        """Several reads from one consistent snapshot, in one round trip: the
        transaction's start, its reads and its end sent together in a pipeline (the
        pool's connections are in autocommit; psycopg's own transaction block would
        wait for the server twice more)."""
        with self.datastore.get_connection() as conn:
            cursors = []
            with pipeline(conn):
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                conn.execute(self._search_path, prepare=True)
                for sql, params in statements:
                    cursors.append(conn.cursor().execute(PgCursor._sql(sql), params or {},
                                                         prepare=True))
                conn.execute("COMMIT")
            found = [[dict(r) for r in c.fetchall()] for c in cursors]
            for c in cursors:
                c.close()
            return found

    @staticmethod
    def _cursor(raw: Any) -> PgCursor:
        return PgCursor(raw.cursor())

    def _hold(self, conn: Any) -> Callable[[], int | None]:
        # Try, never wait: a projector's long batch or a rebuild holds the lock for
        # seconds, which a person's command must not spend waiting. The position is
        # read by a statement of its own, after the lock is held (a snapshot taken
        # before could miss a position its last holder committed). Both are sent in
        # the recorder's pipeline, with the insert; their answers are read after it.
        args = (_PG_LOCK_KEY, self.datastore.schema)
        lock_sql = "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s)) AS free"
        position_sql = (f"SELECT notification_id FROM {self._tracking} "
                        "WHERE application_name = %s")
        lock = conn.cursor().execute(lock_sql, args, prepare=True)
        position = conn.cursor().execute(position_sql, (VIEWS_NAME,), prepare=True)
        conn.execute(self._search_path, prepare=True)

        def held() -> int | None:
            free, row = lock.fetchone()["free"], position.fetchone()
            # The command before this one may still be letting go: PostgreSQL frees
            # a transaction's table locks (which let this one in) just before its
            # advisory locks. Ask again, briefly.
            for pause in RETAKE_PAUSES:
                if free:
                    break
                time.sleep(pause)
                free = conn.execute(lock_sql, args, prepare=True).fetchone()["free"]
                if free:
                    row = conn.execute(position_sql, (VIEWS_NAME,), prepare=True).fetchone()
            lock.close()
            position.close()
            return (row["notification_id"] if row else 0) if free else None

        return held

    def _record_position(self, cur: PgCursor, tracking: Tracking) -> None:
        cur.curs.execute(
            f"INSERT INTO {self._tracking} VALUES (%(a)s, %(n)s) ON CONFLICT (application_name) "
            "DO UPDATE SET notification_id = %(n)s", {"a": VIEWS_NAME, "n": tracking.notification_id},
        )

    def _forget_position(self, cur: PgCursor) -> None:
        cur.curs.execute(f"DELETE FROM {self._tracking} WHERE application_name = %s", (VIEWS_NAME,))

    def beat(self) -> None:
        """The projector's heartbeat: the views' position now, at the database's time
        (so the health check's age needs no two clocks to agree). Its own short
        transaction, never the views' lock, which a long batch may hold for seconds."""
        with self.reading() as cur:
            cur.run(f"INSERT INTO {PROJECTOR.name} (name, position, beat_at) SELECT "
                    f"'projector', coalesce((SELECT notification_id FROM {self._tracking} "
                    "WHERE application_name = :views), 0), extract(epoch FROM now()) "
                    "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
                    "beat_at = excluded.beat_at", {"views": VIEWS_NAME})
