"""The read models, and how each domain event changes them.

- ``tables``: each view table declared once as data, and its DDL for both stores;
- ``batch``: a batch of events applied in memory, then written in a few statements;
- ``writer``: the handlers, registered on the domain's event classes;
- ``plan``: what a batch's handlers will read, loaded before they run.

Every batch of events is applied in one transaction together with the tracking
position of its last event, under a lock, so each event changes the views exactly
once however many processes catch up at the same time, and a crash leaves either
all or none of a batch. One event from a ProjectionRunner and thousands from a
catch-up or a rebuild go through the same handlers, so both produce the same rows.

This module is where the rest of the project takes the views' names from.
"""

from __future__ import annotations

from domain.projections.batch import Batch, Change, Cursor, DayMoods, Find, Rows, Sums, iso
from domain.projections.tables import (
    COLUMNS,
    COUNTERS,
    DEFAULTS,
    KEYS,
    TABLES,
    VIEW_TABLES,
    VIEWS,
    Column,
    Index,
    Table,
    postgres_ddl,
)
from domain.projections.writer import IGNORED, ROUTES, NoViewHandler, ViewWriter, on

__all__ = [
    "COLUMNS", "COUNTERS", "DEFAULTS", "IGNORED", "KEYS", "ROUTES",
    "TABLES", "VIEWS", "VIEW_TABLES", "Batch", "Change", "Column", "Cursor", "DayMoods",
    "Find", "Index", "NoViewHandler", "Rows", "Sums", "Table", "ViewWriter", "iso", "on",
    "postgres_ddl", "rows_snapshot",
]


def rows_snapshot(cur: Cursor) -> dict[str, list[tuple]]:
    """Every view row, in a stable order: for comparing incremental with rebuilt views."""
    out = {}
    for table in VIEW_TABLES:
        rows = cur.all(f"SELECT * FROM {table}")
        out[table] = sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)
    return out
