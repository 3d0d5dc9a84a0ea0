"""The SQLite persistence module SMALL_STEPS_STORE=sqlite:///… (and memory:) selects.

The eventsourcing library's SQLite recorders, with one addition: a command's events
can be applied to the views inside the transaction that records them (see
``SmallSteps._record``), so events, view changes and the views' position commit
together, once, under SQLite's single write lock; and under that lock the write is
refused if its person was erased meanwhile (the ``Fence`` of domain/store/erasure.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing import sqlite
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.projections.tables import ERASED
from domain.unit import DuplicateDelivery


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


class Factory(sqlite.SQLiteFactory):  # the one factory the library finds here
    application_recorder_class = ApplicationRecorder
