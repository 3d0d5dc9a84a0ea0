"""Catching the views up with the events, and building them again.

`CatchUp` is the part of the application (SmallSteps inherits it) that applies
recorded events to the views, exactly once: from any number of threads and
processes at once, and beside a ProjectionRunner, because the views' own
transaction decides what is new. A command applies its own events as it records
them (``SmallSteps._record``), so catching up is the projector's work, and a
query's only when the views lack events (then a bounded number: read-your-writes);
a rebuild empties the views and catches up from the start in long batches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from eventsourcing.persistence import Tracking

from domain.errors import ViewsCatchingUp
from domain.projections.stores import VIEWS_NAME, PostgresViews, SQLiteViews, lost_connection
from domain.projections.tables import PROJECTOR, SET_ASIDE
from domain.store.erasure import PostgresLog, SQLiteLog
from domain.store.tables import tracking_table

CATCH_UP_BATCH = 500
LONG_CATCH_UP_BATCH = 20_000
# The most events a query helps to apply before it answers (read-your-writes). More
# than that behind (while the views are rebuilt) it is refused with ViewsCatchingUp
# instead of keeping the person waiting past Alexa's patience.
QUERY_CATCH_UP = 5_000
PROGRESS_EVERY = 50_000  # events between progress reports of a long catch-up


class CatchUp:
    """Needs the application's ``recorder``, ``snapshots``, ``mapper`` and ``views``."""

    recorder: Any
    snapshots: Any
    mapper: Any
    views: SQLiteViews | PostgresViews

    def catch_up(self, progress: Callable[[int, int], None] | None = None, *,
                 batch: int | None = None) -> int:
        """Apply every event recorded so far to the views, exactly once.

        Safe to call from any number of threads and processes at once, and beside a
        ProjectionRunner: the views' own transaction decides what is new. `progress`,
        if given, hears (position, target) every PROGRESS_EVERY events. `batch`: the
        events applied per transaction; far behind (a rebuild, a projector starting),
        LONG_CATCH_UP_BATCH writes each row fewer times and new rows by COPY."""
        return self._catch_up(progress, batch=batch)[0]

    def _current(self) -> None:
        """Before a query reads the views: bring them to the end of the log, helping
        with at most QUERY_CATCH_UP events; further behind, refuse (ViewsCatchingUp)."""
        position, target = self._catch_up(most=QUERY_CATCH_UP)
        if position < target:
            raise ViewsCatchingUp(f"the views are {target - position} events behind")

    def _catch_up(self, progress: Callable[[int, int], None] | None = None, *,
                  batch: int | None = None, most: int | None = None) -> tuple[int, int]:
        """(position reached, the last event when it began)."""
        batch = batch or CATCH_UP_BATCH
        if most is not None:
            batch = min(batch, most)
        target, position = self.progress()
        told = began = position
        page = min(batch, CATCH_UP_BATCH)  # read in pages; larger ones read no faster
        while position < target:
            if most is not None and position - began >= most:
                break
            items: list[tuple[Any, Tracking]] = []
            start = position + 1
            while len(items) < batch:
                notifications = self.recorder.select_notifications(
                    start=start, limit=page, stop=target)
                if not notifications:
                    break
                items += self._tracked(notifications)
                start = notifications[-1].id + 1
                if len(notifications) < page:
                    break
            if not items:
                position = target  # nothing left to read: ids up to it were never used
                break
            position = max(self.views.apply(items), items[-1][1].notification_id)
            if progress is not None and position - told >= PROGRESS_EVERY:
                progress(position, target)
                told = position
        return position, target

    @functools.cached_property
    def _progress_sql(self) -> tuple[str, dict[str, Any]]:
        """The last event's notification id and the views' position, as one row
        (``head``, ``position``): what a query reads with its views, in one go."""
        column = "notification_id" if isinstance(self.views, PostgresViews) else "rowid"
        return (f"SELECT (SELECT max({column}) FROM {self.recorder.events_table_name}) "
                f"AS head, (SELECT max(notification_id) FROM {tracking_table(self.views)} "
                "WHERE application_name = :views) AS position", {"views": VIEWS_NAME})

    def progress(self) -> tuple[int, int]:
        """(the last event's notification id, the views' position): on PostgreSQL one
        round trip, no retries. Catch-up asks it first."""
        if not isinstance(self.views, PostgresViews):
            return self.recorder.max_notification_id() or 0, self.views.position()
        [[row]] = self.views.read_all([self._progress_sql])
        return row["head"] or 0, row["position"] or 0

    def status(self) -> dict[str, Any]:
        """The last event's notification id (``head``), the views' ``position``, how
        many events they have ``set_aside`` and, on PostgreSQL, the ``projector``'s
        own word ({position, heartbeat_age_s}, both None if it never ran; None on
        SQLite, which has no projector): for the health check, which must answer or
        fail fast. On PostgreSQL one round trip; if the connection it took was broken
        (the database restarted since), the pool checks its idle connections, and
        one more round trip tells the truth."""
        if not isinstance(self.views, PostgresViews):
            head, position = self.progress()
            return {"head": head, "position": position, "set_aside": self.views.set_aside(),
                    "projector": None}
        try:
            return self._pg_status()
        except Exception as e:
            if not lost_connection(e):
                raise
            self.views.datastore.pool.check()  # drops the broken ones, connects anew
            return self._pg_status()

    def _pg_status(self) -> dict[str, Any]:
        [row], [aside], beat = self.views.read_all([
            self._progress_sql, (f"SELECT count(*) AS n FROM {SET_ASIDE.name}", {}),
            (f"SELECT position, extract(epoch FROM now()) - beat_at AS age "
             f"FROM {PROJECTOR.name} WHERE name = 'projector'", {})])
        projector = {"position": beat[0]["position"] if beat else None,
                     "heartbeat_age_s": round(float(beat[0]["age"]), 1) if beat else None}
        return {"head": row["head"] or 0, "position": row["position"] or 0,
                "set_aside": aside["n"], "projector": projector}

    def _events_log(self) -> SQLiteLog | PostgresLog:
        """The events and snapshots tables, read and changed through the views'
        own write transaction."""
        snapshots = self.snapshots.recorder if self.snapshots is not None else None
        if isinstance(self.views, SQLiteViews):
            return SQLiteLog(self.recorder, snapshots)
        if isinstance(self.views, PostgresViews):
            return PostgresLog(self.recorder, snapshots)
        raise TypeError(f"no events log for {type(self.recorder).__name__}")  # pragma: no cover

    def attach_views(self, views: SQLiteViews | PostgresViews) -> None:
        """Let `views` read this application's events through their own write
        transaction, for the events a batch given to them does not include
        (``ViewsMixin.fill``). The views of a ProjectionRunner are attached too."""
        events_log = self._events_log()

        def read_after(cur: Any, position: int, limit: int,
                       before: int | None) -> list[tuple[Any, Tracking]]:
            return self._tracked(events_log.notifications_after(cur, position, limit, before))

        views.read_after = read_after

    def _tracked(self, notifications: Iterable[Any]) -> list[tuple[Any, Tracking]]:
        """Notifications as the views take them: (domain event, tracking)."""
        decode = self.mapper.to_domain_event
        return [(decode(n), Tracking(VIEWS_NAME, n.id)) for n in notifications]

    def rebuild_views(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Empty the views and build them again from the whole event log."""
        self.views.reset()
        return self.catch_up(progress, batch=LONG_CATCH_UP_BATCH)
