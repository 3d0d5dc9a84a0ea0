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

import logging
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing import postgres
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.utils import retry
import psycopg
from psycopg.pq import TransactionStatus

from domain.projections.tables import ERASED
from domain.unit import DuplicateDelivery

log = logging.getLogger(__name__)

ATTEMPTS = 3
PAUSE = 0.1


brief_method = retry((InterfaceError, OperationalError), max_attempts=ATTEMPTS, wait=PAUSE)


def brief(method: Callable[..., Any]) -> Callable[..., Any]:
    """The library's method with its retry replaced by a brief one."""
    return brief_method(method.__wrapped__)


class BriefAggregateRecorder(PostgresAggregateRecorder):
    insert_events = brief(PostgresAggregateRecorder.insert_events)
    select_events = brief(PostgresAggregateRecorder.select_events)


class _ViewsRefused(Exception):  # noqa: N818
    """The database refused a view's change at the commit: record without the views."""


class BriefApplicationRecorder(PostgresApplicationRecorder):
    _insert_plain = brief(PostgresApplicationRecorder.insert_events)

    def insert_events(self, stored_events: Sequence[StoredEvent], *, views: Any = None,
                      claim: Any = None, fence: Any = None,
                      **kwargs: Any) -> Sequence[int] | None:
        """Record events; with ``views`` (``ViewsMixin.recording``), also apply them to
        the views in the same transaction, and with ``claim`` (``Replies.recorded``)
        keep a delivery's key and reply there too: a command's events, their view
        changes and the reply commit together, once. With a ``fence``
        (domain/store/erasure.py), refused (Erased) if the person was erased meanwhile."""
        if (views is None and claim is None and fence is None) or not stored_events:
            return self._insert_plain(stored_events, **kwargs)
        try:
            return self._insert_together(stored_events, views, claim, fence)
        except _ViewsRefused:
            return self._insert_together(stored_events, None, claim, fence)

    @brief_method
    def _insert_together(self, stored_events: Sequence[StoredEvent], views: Any,
                         claim: Any, fence: Any = None) -> Sequence[int]:
        """One transaction in three round trips: (1) begin, keep the delivery's key,
        lock the events table (so commits come in notification order), notify,
        insert, and ask for the views' lock and position; (2) read the view rows the
        events change; (3) write them, the new position, and commit.

        A view that fails on an event in Python is set aside inside the transaction
        (``ViewsMixin``). One that fails in the database shows only at the commit: the
        events are then recorded again without the views, and the projector applies
        them (setting aside what fails): the person's command is never lost to a view.
        Another delivery's key in the way raises DuplicateDelivery. The fence is
        checked after the insert, which waited for the events table's lock (erasure
        holds it too), so it reads what erasure committed: Erased if it no longer holds."""
        recorded = False
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline() as pipeline:
                    conn.execute("BEGIN")
                    with conn.cursor() as curs:
                        for sql, params in claim.statements if claim else ():
                            curs.execute(sql, params, prepare=True)
                        self._insert_stored_events(curs, stored_events)
                        fenced = conn.cursor().execute(*fence.check(
                            *self._fenced_tables, postgres=True)) if fence else None
                        held = views.hold(conn) if views is not None else None
                        pipeline.sync()  # a lost race shows here, as an IntegrityError
                        ids = self._fetch_ids_after_insert_events(curs, stored_events)
                    if fenced is not None:
                        fence.settle(**fenced.fetchone())
                    recorded = True
                    if views is not None:
                        views.apply(conn, ids, held)
                    conn.execute("COMMIT")
                return ids
            except Exception as e:
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    conn.rollback()
                if claim is not None and isinstance(e, psycopg.IntegrityError) \
                        and claim.duplicate(e):
                    raise DuplicateDelivery(claim.key) from None
                if not recorded or views is None or isinstance(
                        e, (psycopg.OperationalError, psycopg.InterfaceError)):
                    raise
                # The class only: the message can quote the refused row (a person's words).
                log.error("the views could not take a command's events (%s); they are "
                          "recorded without them, for the projector", type(e).__name__)
        raise _ViewsRefused

    @property
    def _fenced_tables(self) -> tuple[str, str]:
        """The events and erasures tables, as a ``Fence`` names them."""
        schema = self.datastore.schema
        return f'"{schema}"."{self.events_table_name}"', f'"{schema}".{ERASED.name}'

    def select_latest(self, originator_id: Any,
                      snapshots_table: str) -> tuple[list[StoredEvent], list[StoredEvent]]:
        """An aggregate's latest snapshot (if any) and its events after it, in one
        statement: ([snapshot], events) in version order."""
        snapshots: list[StoredEvent] = []
        events: list[StoredEvent] = []
        for row in self._select_latest_rows(originator_id, snapshots_table):
            stored = StoredEvent(originator_id=originator_id,
                                 originator_version=row["originator_version"],
                                 topic=row["topic"], state=bytes(row["state"]))
            (snapshots if row["snapshot"] else events).append(stored)
        return snapshots, events

    @brief_method
    def _select_latest_rows(self, originator_id: Any, snapshots_table: str) -> list[dict]:
        schema, events = self.datastore.schema, self.events_table_name
        sql = (f'WITH s AS (SELECT originator_version, topic, state FROM "{schema}".'
               f'"{snapshots_table}" WHERE originator_id = %(id)s '
               "ORDER BY originator_version DESC LIMIT 1) "
               "SELECT true AS snapshot, originator_version, topic, state FROM s UNION ALL "
               f'SELECT false, originator_version, topic, state FROM "{schema}"."{events}" '
               "WHERE originator_id = %(id)s AND originator_version > "
               "COALESCE((SELECT originator_version FROM s), 0)")
        with self.datastore.get_connection() as conn:
            rows = conn.execute(sql, {"id": originator_id}, prepare=True).fetchall()
        return sorted(rows, key=lambda r: (not r["snapshot"], r["originator_version"]))

    select_events = brief(PostgresAggregateRecorder.select_events)
    select_notifications = brief(PostgresApplicationRecorder.select_notifications)
    max_notification_id = brief(PostgresApplicationRecorder.max_notification_id)


class BriefTrackingRecorder(PostgresTrackingRecorder):
    max_tracking_id = brief(PostgresTrackingRecorder.max_tracking_id)


class Factory(postgres.PostgresFactory):  # the one factory the library finds here
    aggregate_recorder_class = BriefAggregateRecorder
    application_recorder_class = BriefApplicationRecorder
    tracking_recorder_class = BriefTrackingRecorder


class LeanRepository(Repository):
    """The library's repository, loading an aggregate in one round trip on PostgreSQL:
    its latest snapshot and the events after it in a single statement (the library
    sends two, the second waiting for the first's answer)."""

    def _reconstruct_aggregate(self, aggregate_id: Any, version: int | None,
                               projector_func: Any) -> Any:
        recorder = self.event_store.recorder
        if (version is not None or self.snapshot_store is None
                or not isinstance(recorder, BriefApplicationRecorder)):
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        snapshots, events = recorder.select_latest(
            aggregate_id, self.snapshot_store.recorder.events_table_name)  # type: ignore[attr-defined]
        aggregate = projector_func(None, chain(
            map(self.snapshot_store.mapper.to_domain_event, snapshots),
            map(self.event_store.mapper.to_domain_event, events)))
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        return aggregate
