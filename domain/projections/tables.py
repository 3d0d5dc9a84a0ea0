"""The view tables, each declared once as data.

A ``Table`` names its columns (with SQL type, NOT NULL and default), its primary
key, its indexes and, for a view that sums over the current steps, its counters.
Everything else is derived from the declarations: the DDL for SQLite and for
PostgreSQL (qualified with the store's schema), and the lookups the batch and the
cursors use (``COLUMNS``, ``KEYS``, ``COUNTERS``, ``DEFAULTS``).

Adding a view is one ``Table`` in ``VIEWS`` plus its handlers in the writer. The
statements are all ``IF NOT EXISTS``: stores made by earlier versions keep their
tables and rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT, INTEGER, REAL = "TEXT", "INTEGER", "DOUBLE PRECISION"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # TEXT, INTEGER or REAL: both databases take them as they are
    not_null: bool = True
    default: str | int | None = None  # what INSERT puts where no value is given

    def ddl(self) -> str:
        parts = [self.name, self.type]
        if self.not_null:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {_literal(self.default)}")
        return " ".join(parts)


def text(name: str, **options: Any) -> Column:
    return Column(name, TEXT, **options)


def integer(name: str, **options: Any) -> Column:
    return Column(name, INTEGER, **options)


def real(name: str, **options: Any) -> Column:
    return Column(name, REAL, **options)


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class Table:
    """One view table.

    ``counters`` (summed views only): columns kept by adding signed changes to
    them; the first counts the contributions, so it is zero exactly when nothing
    is summed in the row, and then the row goes."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()
    counters: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = {c.name for c in self.columns}
        wanted = [*self.key, *self.counters, *(c for i in self.indexes for c in i.columns)]
        unknown = [c for c in wanted if c not in names]
        if unknown:
            raise ValueError(f"{self.name} has no column {unknown[0]}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def defaults(self) -> dict[str, Any]:
        return {c.name: c.default for c in self.columns if c.default is not None}

    def _columns_ddl(self) -> list[str]:
        """Each column's definition, then the primary key: inline when it is one
        column (as the tables were first created), a table constraint otherwise."""
        if len(self.key) == 1:
            return [c.ddl() + (" PRIMARY KEY" if c.name == self.key[0] else "")
                    for c in self.columns]
        return [*(c.ddl() for c in self.columns), f"PRIMARY KEY ({', '.join(self.key)})"]

    def sqlite_ddl(self) -> list[str]:
        """CREATE statements for SQLite: the table, then its indexes."""
        body = ",\n    ".join(self._columns_ddl())
        return [f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body}\n)",
                *(f"CREATE {'UNIQUE ' if i.unique else ''}INDEX IF NOT EXISTS {i.name} "
                  f"ON {self.name} ({', '.join(i.columns)})" for i in self.indexes)]

    def postgres_ddl(self, schema: str) -> list[Any]:
        """The same statements for PostgreSQL, as psycopg ``sql.Composed``: the
        table qualified with ``schema`` (its indexes go in the table's schema)."""
        from psycopg import sql

        table = sql.Identifier(schema, self.name)
        body = sql.SQL(", ").join(sql.SQL(d) for d in self._columns_ddl())
        statements = [sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(table, body)]
        for i in self.indexes:
            statements.append(
                sql.SQL("CREATE {}INDEX IF NOT EXISTS {} ON {} ({})").format(
                    sql.SQL("UNIQUE " if i.unique else ""), sql.Identifier(i.name), table,
                    sql.SQL(", ").join(map(sql.Identifier, i.columns))))
        return statements


    def added_columns(self, present: set[str]) -> list[str]:
        """ALTER statements adding the columns a table made by an earlier version lacks
        (nullable ones only: rows it already has get none)."""
        return [f"ALTER TABLE {self.name} ADD COLUMN {c.ddl()}" for c in self.columns
                if c.name not in present and not c.not_null]


def _literal(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


VIEWS = (
    Table("ss_people", (
        text("person_id", not_null=False),
        text("locale"),
        text("time_zone"),
        text("enrolled_day"),
        text("last_done_day", not_null=False),
        integer("done_total", default=0),
        text("warning_signs", default="[]"),
        text("boosters", default="[]"),
    ), key=("person_id",)),
    Table("ss_weeks", (
        text("week_aggregate_id", not_null=False),
        text("person_id"),
        text("week"),
        integer("planned", default=0),
        text("review", not_null=False),
        integer("safety_offers", default=0),
    ), key=("week_aggregate_id",),
        indexes=(Index("ss_weeks_person", ("person_id", "week"), unique=True),)),
    Table("ss_steps", (
        text("person_id"),
        text("step_id"),
        text("week"),
        text("day"),
        text("part_of_day"),
        text("at_time", not_null=False),
        text("slot"),
        integer("seq"),
        text("activity_id"),
        text("title"),
        text("kind"),
        text("area"),
        integer("value_linked"),
        integer("difficulty"),
        integer("minutes"),
        text("smaller"),
        integer("smaller_minutes"),
        integer("is_smaller", default=0),
        integer("unplanned", default=0),
        text("paired_with", not_null=False),
        text("moved_from", not_null=False),
        text("status"),
        text("done_at", not_null=False),
        integer("mastery", not_null=False),
        integer("enjoyment", not_null=False),
        text("barrier", not_null=False),
        integer("mood_before", not_null=False),
        integer("mood_after", not_null=False),
    ), key=("person_id", "step_id"),
        indexes=(Index("ss_steps_day", ("person_id", "day")),
                 Index("ss_steps_week", ("person_id", "week")))),
    Table("ss_moods", (
        text("person_id"),
        text("mood_id"),
        text("day"),
        text("at"),
        integer("value"),
        text("step_id", not_null=False),
        text("moment"),
    ), key=("person_id", "mood_id"), indexes=(Index("ss_moods_day", ("person_id", "day")),)),
    # When crisis resources were last offered to a person: one row each, so the opening
    # turn's check-in reads one row, never the person's history. Only that they were
    # offered, and when; never what was said. A table of its own: an existing store
    # gets it from CREATE TABLE IF NOT EXISTS (a new column would not reach one).
    Table("ss_safety", (
        text("person_id"),
        text("last_offered_at"),
        integer("offers", default=0),
    ), key=("person_id",)),
    # Which Alexa account each person speaks through (keyed hashes both), so that
    # disabling the skill reaches the account's own person and its voice profiles.
    Table("ss_accounts", (
        text("person_id"),
        text("account"),
        text("person_key"),
    ), key=("person_id",), indexes=(Index("ss_accounts_account", ("account",)),)),
    # Sums over the current steps, per activity and part of the day.
    Table("ss_insights", (
        text("person_id"),
        text("activity_id"),
        text("slot"),
        text("title"),
        text("kind"),
        integer("scheduled"),
        integer("done"),
        integer("not_done"),
        integer("lift_sum"),
        integer("lift_n"),
    ), key=("person_id", "activity_id", "slot"),
        counters=("scheduled", "done", "not_done", "lift_sum", "lift_n")),
    # Measured mood lifts per activity: the only evidence suggestions read, so a
    # suggestion reads a handful of rows however long the person's history.
    Table("ss_lifts", (
        text("person_id"),
        text("activity_id"),
        text("kind"),
        integer("lift_sum"),
        integer("lift_n"),
    ), key=("person_id", "activity_id"), counters=("lift_n", "lift_sum")),
)

# Events the views could not apply, with the error: kept out of the views so that one
# odd event never stops anyone else's answers, and counted by /healthz until a fixed
# version's rebuild applies them. Nobody's data (no person), so not one of VIEWS.
# Only the event's id and class, the error's class and when: never the error's message,
# which can quote the row the database refused (a person's words).
SET_ASIDE = Table("ss_set_aside", (
    integer("notification_id"),
    text("topic"),
    text("error"),
    real("set_aside_at", not_null=False),  # wall-clock seconds; added after the others
), key=("notification_id",))

# Who was erased in the last TOMBSTONE_SECONDS (domain/store/erasure.py), and when
# (wall-clock seconds): a write that began reading before then is refused. Only the
# person's id, never anything they said; pruned as it ages. Not a view: rebuilds keep it.
ERASED = Table("ss_erased", (
    text("person_id", not_null=False),
    real("erased_at"),
), key=("person_id",))

# The projector's own word (PostgreSQL): the views' position it last saw and when it
# last said so (the database's clock, seconds), written every few seconds even when
# idle. Requests catch the views up too, so only this row shows a projector that died.
# One row; nobody's data. Not a view: rebuilds keep it.
PROJECTOR = Table("ss_projector", (
    text("name", not_null=False),
    integer("position"),
    real("beat_at"),
), key=("name",))

# The tables kept beside the views, created with them.
KEPT_BESIDE = (SET_ASIDE, ERASED, PROJECTOR)

BY_NAME = {t.name: t for t in VIEWS}
VIEW_TABLES = tuple(BY_NAME)
COLUMNS = {t.name: {c.name: c.type for c in t.columns} for t in VIEWS}  # in order
KEYS = {t.name: t.key for t in VIEWS}
DEFAULTS = {t.name: t.defaults for t in VIEWS}
COUNTERS = {t.name: t.counters for t in VIEWS if t.counters}
# Every CREATE statement for SQLite, tables before their indexes.
TABLES = tuple(s for t in (*VIEWS, *KEPT_BESIDE) for s in t.sqlite_ddl())


def postgres_ddl(schema: str) -> list[Any]:
    """Every CREATE statement for PostgreSQL, in ``schema``."""
    return [s for t in (*VIEWS, *KEPT_BESIDE) for s in t.postgres_ddl(schema)]
