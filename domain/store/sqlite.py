"""The SQLite persistence module SMALL_STEPS_STORE=sqlite:///… (and memory:) selects.

The eventsourcing library's SQLite recorders, with one addition: a command's events
can be applied to the views inside the transaction that records them (see
``SmallSteps._record``), so events, view changes and the views' position commit
together, once, under SQLite's single write lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing import sqlite
from eventsourcing.sqlite import SQLiteApplicationRecorder


class ApplicationRecorder(SQLiteApplicationRecorder):
    def insert_events(self, stored_events: Sequence[StoredEvent], *, views: Any = None,
                      **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.transaction(commit=True) as c:
            ids = self._insert_events(c, stored_events, **kwargs)
            if views is not None and ids:
                conn = c.sqlite_cursor.connection
                views.apply(conn, ids, views.hold(conn))
            return ids


class Factory(sqlite.SQLiteFactory):  # the one factory the library finds here
    application_recorder_class = ApplicationRecorder
