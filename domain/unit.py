"""A unit of work: what one turn of a conversation changes, committed once.

While a unit is open (``SmallSteps.unit(key, person)``), commands record nothing:
each aggregate they change waits in the unit, and a later command of the same unit
loads it from there, unsaved events and all. ``SmallSteps.commit(unit, reply)`` then
records every change, applies it to the views and keeps the reply under the
delivery's key (for the caller's retries: ``domain/store/replies.py``), in one
transaction. A query in the middle of a unit that has changes records them first
(queries read the views, which hold only what is recorded); the reply is then kept
on its own at the end.

If another delivery of the same key committed first, the commit is refused with
``DuplicateDelivery`` and nothing of this one is recorded; if another writer changed
the same aggregate first, with the library's IntegrityError, and the caller acts
again on fresh state. A unit that is dropped (``discard``) records nothing.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Unit:
    key: str | None = None  # the delivery's key in the reply ledger (None: keep no reply)
    person: str | None = None  # whose reply it is (erased with them), as a hex id
    pending: dict[Any, Any] = field(default_factory=dict)  # aggregate id -> aggregate
    loaded: dict[Any, Any] = field(default_factory=dict)  # read this turn, unchanged
    claimed: bool = False  # the ledger's row for the key is recorded
    must_answer: bool = False  # the turn's answer goes out even if recording fails
    opened_at: float = field(default_factory=time.time)  # before its first load (a Fence's since)


class DuplicateDelivery(Exception):  # noqa: N818 - a fact, not a failure
    """Another delivery of the same key has already been recorded."""

    def __init__(self, key: str):
        super().__init__("another delivery of this request was recorded first")
        self.key = key


CURRENT: ContextVar[Unit | None] = ContextVar("small_steps_unit", default=None)
# When the command now running began reading (wall-clock seconds, set by ``retried``
# for each attempt): a save outside a unit is refused if its person was erased since.
READING_SINCE: ContextVar[float | None] = ContextVar("small_steps_reading_since",
                                                     default=None)


class Units:
    """The part of the application (SmallSteps inherits it) that holds a turn's
    changes and commits them once. Needs the application's ``replies``."""

    replies: Any

    def unit(self, key: str | None = None, person: str | None = None) -> _Opened:
        """Open a unit for this thread (or task) until the block ends."""
        return _Opened(Unit(key, person))

    def outside_unit(self) -> _Opened:
        """Record at once, in the block, even inside a unit."""
        return _Opened(None)

    def save(self, *objs: Any, **kwargs: Any) -> list[Any]:
        unit = CURRENT.get()
        if unit is None or kwargs:
            return super().save(*objs, **kwargs)  # type: ignore[misc]
        for obj in objs:
            if obj is not None:
                unit.pending[obj.id] = obj
                unit.loaded.pop(obj.id, None)
        return []

    def _get(self, aggregate_id: Any) -> Any:
        """An aggregate as this unit has changed it, else as recorded: loaded once a
        turn (a command after the turn's own look at the person finds it loaded), and
        again if something changed it without saving (a command refused half-way)."""
        unit = CURRENT.get()
        if unit is None:
            return self.repository.get(aggregate_id)  # type: ignore[attr-defined]
        if aggregate_id in unit.pending:
            return unit.pending[aggregate_id]
        aggregate = unit.loaded.get(aggregate_id)
        if aggregate is None or aggregate.pending_events:
            aggregate = unit.loaded[aggregate_id] = self.repository.get(  # type: ignore[attr-defined]
                aggregate_id)
        return aggregate

    def _has(self, aggregate_id: Any) -> bool:
        unit = CURRENT.get()
        return (unit is not None and aggregate_id in unit.pending) or (
            aggregate_id in self.repository)  # type: ignore[attr-defined]

    def flush(self) -> None:
        """Record what the open unit has changed so far (before a query reads the
        views); its reply is kept at the end, on its own."""
        unit = CURRENT.get()
        if unit is not None and unit.pending:
            self._record_unit(unit, None)

    def commit(self, unit: Unit, reply: str | None) -> None:
        """Record the unit's changes, their views and the reply, once (see above)."""
        claimed_before = unit.claimed
        if unit.pending:
            self._record_unit(unit, reply)
        if claimed_before and unit.key is not None:
            self.replies.keep(unit.key, reply)

    def discard(self, unit: Unit) -> None:
        """Record nothing more of the unit; release its key if a query had made it
        record already, so a retried delivery can act."""
        unit.pending.clear()
        if unit.claimed and unit.key is not None:
            self.replies.release(unit.key)

    def _record_unit(self, unit: Unit, reply: str | None) -> None:
        aggregates = list(unit.pending.values())
        claim = None
        if unit.key is not None and not unit.claimed:
            claim = self.replies.recorded(unit.key, unit.person, reply)
        token = CURRENT.set(None)  # record for real
        try:
            super().save(*aggregates, claim=claim, since=unit.opened_at)  # type: ignore[misc]
        finally:
            CURRENT.reset(token)
        unit.pending.clear()
        unit.claimed = unit.claimed or claim is not None
        for aggregate in aggregates:  # recorded: as loaded, at their new versions
            unit.loaded[aggregate.id] = aggregate


class _Opened:
    def __init__(self, unit: Unit | None):
        self.unit = unit
        self._token: Any = None

    def __enter__(self) -> Unit:
        self._token = CURRENT.set(self.unit)
        return self.unit

    def __exit__(self, *_: object) -> None:
        CURRENT.reset(self._token)
