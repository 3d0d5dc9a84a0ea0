"""Setting up a store: the tables every process needs, created once and checked.

``small-steps migrate`` runs `Tables.create_tables`; long-running processes of a
production store only check for the tables (`Tables.check_tables`), never run DDL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import OperationalError, ProgrammingError

from domain.projections.tables import KEPT_BESIDE, VIEW_TABLES
from domain.store.replies import TABLE as REPLIES_TABLE
from domain.store.settings import StoreNotReady, StoreUnavailable, failure, is_postgres


class Tables:
    """Table setup for the application (SmallSteps inherits it): it has a
    ``recorder``, ``snapshots``, ``views`` and the ``from_store`` constructor."""

    recorder: Any
    snapshots: Any
    views: Any

    @classmethod
    def create_tables(cls, url: str) -> list[str]:
        """Create every table the store needs (events, snapshots, views, tracking,
        set-aside events, erasures, replies); safe to run again. Returns the names of the tables."""
        app = cls.from_store(url, create_tables=True)  # type: ignore[attr-defined]
        try:
            return app.table_names()
        finally:
            app.close()

    def table_names(self) -> list[str]:
        names = [self.recorder.events_table_name]
        if self.snapshots is not None:
            names.append(self.snapshots.recorder.events_table_name)
        names += [tracking_table(self.views), *VIEW_TABLES, *(t.name for t in KEPT_BESIDE),
                  REPLIES_TABLE]
        return names

    def check_tables(self) -> None:
        """StoreNotReady if the store answers but its tables are missing.

        Connection failures pass through: a server may start while its database is
        still coming up, and answers "unavailable" until it is back."""
        try:
            self.recorder.max_notification_id()
            self.views.position()
            with self.views.reading() as cur:
                for table in (*VIEW_TABLES, *(t.name for t in KEPT_BESIDE), REPLIES_TABLE):
                    cur.all(f"SELECT 1 FROM {table} LIMIT 0")
        except (ProgrammingError, OperationalError) as e:
            if _is_missing_table(e):
                raise StoreNotReady(
                    "the store has no Small Steps tables yet: run `small-steps migrate` "
                    "with the same SMALL_STEPS_STORE") from None
            raise


def tracking_table(views: Any) -> str:
    return getattr(views, "tracking_table_name", "tracking")


def _is_missing_table(error: Exception) -> bool:
    text = str(error).lower()
    return "does not exist" in text or "no such table" in text


def _connect(env: dict[str, str]):  # noqa: ANN202
    import psycopg

    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
        connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT", "5")), autocommit=True,
    )


def reach(env: dict[str, str]) -> None:
    """StoreUnavailable, saying why, if a PostgreSQL store cannot be connected to.

    One connection of its own, closed at once: the library's pool, asked instead, only
    says that it timed out ("couldn't get a connection"), and keeps trying in the
    background long after. The cause ("database … does not exist", "connection
    refused", "role … does not exist") is what an operator needs, passwords masked."""
    if not is_postgres(env):
        return
    try:
        _connect(env).close()
    except Exception as e:  # noqa: BLE001 - whatever it is, it is why
        raise StoreUnavailable(failure(e)) from None


def prepare(env: dict[str, str]) -> None:
    """Create the PostgreSQL schema named by ``?schema=`` if it is missing."""
    schema = env.get("POSTGRES_SCHEMA")
    if not is_postgres(env) or not schema:
        return
    from psycopg import sql

    with _connect(env) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


_DDL_LOCK_KEY = 0x5353_4444  # "SSDD"


@contextmanager
def creating_tables(env: dict[str, str]) -> Iterator[None]:
    """Serialise table creation across processes.

    PostgreSQL refuses concurrent ``CREATE OR REPLACE FUNCTION`` ("tuple concurrently
    updated"), which the library runs when it creates its tables; a session-level
    advisory lock lets web workers and the projector start at the same moment."""
    if not is_postgres(env):
        yield
        return
    with _connect(env) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_DDL_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_DDL_LOCK_KEY,))
