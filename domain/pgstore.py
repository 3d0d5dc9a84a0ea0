"""The PostgreSQL persistence module SMALL_STEPS_STORE=postgresql://… selects.

The eventsourcing library's PostgreSQL recorders retry a failed statement ten times
with pauses, each attempt waiting for a pooled connection: about twenty seconds
before a caller hears of an outage. A person talking to an Echo cannot wait that
long (Alexa gives up after eight), so these recorders try three times with short
pauses: enough to get past pooled connections broken by a database restart (each
failed attempt discards one), not enough to keep a person waiting through an outage.
The projector has its own outer retry loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing import postgres
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.utils import retry
from psycopg.pq import TransactionStatus

ATTEMPTS = 3
PAUSE = 0.1


def brief(method: Callable[..., Any]) -> Callable[..., Any]:
    """The library's method with its retry replaced by a brief one."""
    return retry((InterfaceError, OperationalError), max_attempts=ATTEMPTS,
                 wait=PAUSE)(method.__wrapped__)


class BriefAggregateRecorder(PostgresAggregateRecorder):
    insert_events = brief(PostgresAggregateRecorder.insert_events)
    select_events = brief(PostgresAggregateRecorder.select_events)


class BriefApplicationRecorder(PostgresApplicationRecorder):
    _insert_plain = brief(PostgresApplicationRecorder.insert_events)

    def insert_events(self, stored_events: Sequence[StoredEvent], *,
                      views: Any = None, **kwargs: Any) -> Sequence[int] | None:
        """Record events; with ``views`` (see ``ViewsMixin.recording``), also apply them
        to the views in the same transaction, so a command's events and their view
        changes commit together, once."""
        if views is None or not stored_events:
            return self._insert_plain(stored_events, **kwargs)
        return self._insert_with_views(stored_events, views)

    @retry((InterfaceError, OperationalError), max_attempts=ATTEMPTS, wait=PAUSE)
    def _insert_with_views(self, stored_events: Sequence[StoredEvent], views: Any) -> Sequence[int]:
        """One transaction in two round trips: (1) begin, lock the events table (so
        commits come in notification order), notify, insert, and ask for the views'
        lock and position; (2) the view changes, the new position and the commit.
        The views read the rows they change in between (a third, usually)."""
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline() as pipeline:
                    conn.execute("BEGIN")
                    with conn.cursor() as curs:
                        self._insert_stored_events(curs, stored_events)
                        held = views.hold(conn)
                        pipeline.sync()  # a lost race shows here, as an IntegrityError
                        ids = self._fetch_ids_after_insert_events(curs, stored_events)
                    views.apply(conn, ids, held)
                    conn.execute("COMMIT")
            except BaseException:
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    conn.rollback()
                raise
        return ids
    select_events = brief(PostgresAggregateRecorder.select_events)
    select_notifications = brief(PostgresApplicationRecorder.select_notifications)
    max_notification_id = brief(PostgresApplicationRecorder.max_notification_id)


class BriefTrackingRecorder(PostgresTrackingRecorder):
    max_tracking_id = brief(PostgresTrackingRecorder.max_tracking_id)


class Factory(postgres.PostgresFactory):  # the one factory the library finds here
    aggregate_recorder_class = BriefAggregateRecorder
    application_recorder_class = BriefApplicationRecorder
    tracking_recorder_class = BriefTrackingRecorder
