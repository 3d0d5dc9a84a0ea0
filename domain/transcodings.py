"""JSON transcodings for the value types our events carry."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class TimeAsISO(Transcoding):
    type = time
    name = "time_iso"

    def encode(self, obj: time) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> time:
        return time.fromisoformat(data)


class TupleAsList(Transcoding):
    """Tuples keep their type through a round trip (events are immutable)."""

    type = tuple
    name = "tuple"

    def encode(self, obj: tuple) -> list:
        return list(obj)

    def decode(self, data: list) -> tuple:
        return tuple(data)


class DataclassAsDict(Transcoding):
    """A flat dataclass held in aggregate state (for snapshots)."""

    def __init__(self, cls: type, name: str):
        self.type = cls
        self.name = name

    def encode(self, obj: object) -> dict:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict) -> object:
        return self.type(**data)
