"""The SQLite persistence module SMALL_STEPS_STORE=sqlite:///… (and memory:) selects.

The eventsourcing library's SQLite recorders, with one addition: a command's events
can be applied to the views inside the transaction that records them (see
``SmallSteps._record``), so events, view changes and the views' position commit
together, once, under SQLite's single write lock; and under that lock the write is
refused if its person was erased meanwhile (the ``Fence`` of domain/store/erasure.py).

The store's file is private to the user running the skill (0600: SQLite gives its
-wal and -shm files the database file's permissions), and every connection has
``secure_delete`` on, so what an erasure deletes is overwritten with zeros, not left
in free pages; erasure then checkpoints the write-ahead log (``checkpoint``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing import sqlite
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import Environment

from domain.projections.tables import ERASED
from domain.unit import DuplicateDelivery

log = logging.getLogger(__name__)


class ApplicationRecorder(SQLiteApplicationRecorder):
    def insert_events(self, stored_events: Sequence[StoredEvent], *, views: Any = None,
                      claim: Any = None, fence: Any = None,
                      **kwargs: Any) -> Sequence[int] | None:
        """Record events; with ``views`` (``ViewsMixin.recording``) apply them to the
        views, and with ``claim`` (``Replies.recorded``) keep a delivery's key and
        reply, in the same transaction. Another delivery's key in the way raises
        DuplicateDelivery; a ``fence`` (``Fence``) no longer holding, Erased. It is
        checked after the insert: the transaction then holds the write lock, so it
        reads what the last writer (or erasure) committed."""
        with self.datastore.transaction(commit=True) as c:
            conn = c.sqlite_cursor.connection
            try:
                for sql, params in claim.statements if claim else ():
                    conn.execute(sql, params)
            except sqlite3.IntegrityError as e:
                if claim.duplicate(e):
                    raise DuplicateDelivery(claim.key) from None
                raise
            ids = self._insert_events(c, stored_events, **kwargs)
            if fence is not None:
                fence.settle(*conn.execute(*fence.check(
                    self.events_table_name, ERASED.name, postgres=False)).fetchone())
            if views is not None and ids:
                views.apply(conn, ids, views.hold(conn))
            return ids


PRIVATE = 0o600  # the store's files: only the user running the skill reads them
SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_private(db_name: str) -> None:
    """Create the database file 0600 if it is missing, and make what exists of it and
    its companion files 0600 (a store made by an earlier version, or under a loose
    umask). Nothing to do for an in-memory database."""
    if not db_name or "mode=memory" in db_name or db_name.startswith(("file:", ":memory:")):
        return
    os.close(os.open(db_name, os.O_CREAT | os.O_RDWR, PRIVATE))
    for suffix in SUFFIXES:
        if os.path.exists(db_name + suffix):
            os.chmod(db_name + suffix, PRIVATE)


def _secure_delete(create: Callable[[], Any]) -> Callable[[], Any]:
    def connect() -> Any:
        connection = create()
        connection._sqlite_conn.execute("PRAGMA secure_delete=ON")  # noqa: SLF001
        return connection

    return connect


def checkpoint(datastore: Any) -> None:
    """Copy the write-ahead log into the database file and empty it (TRUNCATE), so
    erased rows no longer sit in the log's older frames. Best effort: a reader still
    holding an old snapshot leaves the log as it is, until the next checkpoint; and a
    database busy or locked at that moment (another connection mid-transaction) is
    left for the next erasure's checkpoint, not turned into a failed erasure."""
    try:
        with datastore.get_connection(commit=False) as connection:
            connection._sqlite_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # noqa: SLF001
    except sqlite3.OperationalError as e:
        log.warning("erasure: the write-ahead log was not emptied this time (%s)",
                    type(e).__name__)


class Factory(sqlite.SQLiteFactory):  # the one factory the library finds here
    application_recorder_class = ApplicationRecorder

    def __init__(self, env: Any):
        env = env if isinstance(env, Environment) else Environment(env=env)
        make_private((env.get(self.SQLITE_DBNAME) or "").strip())
        super().__init__(env)
        pool = self.datastore.pool
        pool._create_connection = _secure_delete(pool._create_connection)  # noqa: SLF001
