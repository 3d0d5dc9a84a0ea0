"""How the application meets the eventsourcing library and the store.

`Wiring` is the part of the application (SmallSteps inherits it) that sets the
library up the way this domain needs it: settings only from what the caller passed
(never the process environment), how dates, times and snapshots' state are stored,
an aggregate loaded in one round trip, a command's events applied to the views in the
transaction that records them (and refused there if the person was erased meanwhile), and a snapshot that fails never failing a command.
"""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import Environment

from domain.catalogue import Activity
from domain.store.erasure import Fence
from domain.store.postgres import LeanRepository
from domain.transcodings import DataclassAsDict, DateAsISO, TimeAsISO, TupleAsList
from domain.unit import READING_SINCE
from domain.week import Step

log = logging.getLogger(__name__)


class Wiring:
    """Needs the application's ``views``, ``sync_views``, ``events`` and ``snapshots``."""

    views: Any
    sync_views: bool
    events: Any
    snapshots: Any
    env: Any
    is_snapshotting_enabled: bool
    snapshotting_intervals: Any

    def construct_env(self, name: str, env: Any = None) -> Environment:
        """The library's settings from `env` alone (the library would also read the
        process environment)."""
        cls = type(self)
        snapshots = cls.is_snapshotting_enabled or cls.snapshotting_intervals
        settings = {"IS_SNAPSHOTTING_ENABLED": "y"} if snapshots else {}
        return Environment(name, {**dict(cls.env), **settings, **(env or {})})

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)  # type: ignore[misc]
        transcoder.register(DateAsISO())
        transcoder.register(TimeAsISO())
        transcoder.register(TupleAsList())
        # Aggregate state that snapshots carry.
        transcoder.register(DataclassAsDict(Step, "week_step"))
        transcoder.register(DataclassAsDict(Activity, "activity"))

    def construct_repository(self) -> LeanRepository:
        # No aggregate cache: after "delete my data" another process's cached copy
        # would come back to life.
        return LeanRepository(event_store=self.events, snapshot_store=self.snapshots)

    def _record(self, processing_event: Any) -> Any:
        """Record a command's events and, in the same transaction, apply them to the
        views (``ViewsMixin.recording``): one commit for both, and the person's next
        query finds the views current without applying anyone's events.

        And the write's `Fence`: refused if its person was erased since the command
        (or the turn's unit) began reading (domain/store/erasure.py)."""
        kwargs = processing_event.saved_kwargs
        kwargs["views"] = self.views.recording(processing_event.events, apply=self.sync_views)
        since = kwargs.pop("since", None) or READING_SINCE.get()
        kwargs["fence"] = Fence.of(processing_event.aggregates.values(),
                                   processing_event.events, since)
        return super()._record(processing_event)  # type: ignore[misc]

    def _take_snapshots(self, processing_event: Any) -> None:
        # Events are already committed when snapshots are taken: a snapshot that
        # cannot be written must not make a stored command look failed (a caller
        # would retry it and store it twice). Loads simply replay a little more.
        try:
            super()._take_snapshots(processing_event)  # type: ignore[misc]
        except Exception:  # noqa: BLE001
            log.exception("snapshot not taken; events are stored")
