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

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing import postgres
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.utils import retry

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
    insert_events = brief(PostgresApplicationRecorder.insert_events)
    select_events = brief(PostgresAggregateRecorder.select_events)
    select_notifications = brief(PostgresApplicationRecorder.select_notifications)
    max_notification_id = brief(PostgresApplicationRecorder.max_notification_id)


class BriefTrackingRecorder(PostgresTrackingRecorder):
    max_tracking_id = brief(PostgresTrackingRecorder.max_tracking_id)


class Factory(postgres.PostgresFactory):  # the one factory the library finds here
    aggregate_recorder_class = BriefAggregateRecorder
    application_recorder_class = BriefApplicationRecorder
    tracking_recorder_class = BriefTrackingRecorder
