"""Replies: each delivery of a command is acted on once, however often it arrives.

A caller that may deliver the same request twice (a voice platform retrying after a
timeout) names each delivery with an opaque key. The first delivery claims the key,
acts, and keeps its reply here; a later delivery of the same key gets that reply
back instead of acting again; a delivery that arrives while the first is still being
handled waits for its reply. A claim whose handling failed is released, so a retry
can act. Replies are kept for KEEP_SECONDS (long enough for any retry the caller
would still accept), and are erased with the person they belong to.

The table lives beside the views (same SQLite file or PostgreSQL schema) and is
created by ``SmallSteps.create_tables`` (``small-steps migrate``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

TABLE = "ss_replies"
KEEP_SECONDS = 15 * 60
ABANDONED_SECONDS = 30.0  # a claim this old with no reply was cut off (a worker died)
PRUNE_CHANCE = 0.02  # a claim in fifty also clears out replies past KEEP_SECONDS

DDL = ("""CREATE TABLE IF NOT EXISTS {table} (
        reply_key TEXT PRIMARY KEY,
        person_id TEXT,
        claimed_at DOUBLE PRECISION NOT NULL,
        reply TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS ss_replies_claimed ON {table} (claimed_at)",
    "CREATE INDEX IF NOT EXISTS ss_replies_person ON {table} (person_id)")


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a key: ours to act on, or someone's reply."""

    fresh: bool
    reply: str | None = None


class StillHandling(RuntimeError):
    """Another delivery of the same key is still being handled."""


class Replies:
    def __init__(self, datastore: Any, *, postgres: bool):
        self.datastore = datastore
        self.postgres = postgres
        self.table = (f'"{datastore.schema}".{TABLE}' if postgres else TABLE)
        self.mark = "%s" if postgres else "?"  # the driver's parameter placeholder

    # -- schema ---------------------------------------------------------------

    def create_table(self) -> None:
        with self._cursor() as run:
            for statement in DDL:
                run(statement.format(table=self.table))

    # -- claims ---------------------------------------------------------------

    def claim(self, key: str, person_id: str | None, *, wait: float = 4.0) -> Claim:
        """Claim `key`, or return the reply of whoever claimed it first.

        Waits up to `wait` seconds for a reply still being made; StillHandling if none
        arrives in time (the caller answers "busy" and the platform retries)."""
        now = time.time()
        with self._cursor(relaxed=True) as run:
            if random.random() < PRUNE_CHANCE:
                run(f"DELETE FROM {self.table} WHERE claimed_at < {self.mark}",
                    (now - KEEP_SECONDS,))
            claimed = run(
                f"INSERT INTO {self.table} (reply_key, person_id, claimed_at) "
                f"VALUES ({self.mark}, {self.mark}, {self.mark}) "
                "ON CONFLICT (reply_key) DO NOTHING", (key, person_id, now))
        if claimed:
            return Claim(fresh=True)
        deadline = time.monotonic() + wait
        pause = 0.02
        while True:
            with self._cursor() as run:
                row = run(f"SELECT reply, claimed_at FROM {self.table} "
                          f"WHERE reply_key = {self.mark}", (key,), fetch=True)
                if row is not None and row[0] is None and row[1] < time.time() - ABANDONED_SECONDS:
                    # Whoever claimed it never finished: take the claim over.
                    taken = run(f"UPDATE {self.table} SET claimed_at = {self.mark} "
                                f"WHERE reply_key = {self.mark} AND claimed_at = {self.mark} "
                                "AND reply IS NULL", (time.time(), key, row[1]))
                    if taken:
                        return Claim(fresh=True)
            if row is None:  # released after a failure: act on it now
                return self.claim(key, person_id, wait=max(0.0, deadline - time.monotonic()))
            if row[0] is not None:
                return Claim(fresh=False, reply=row[0])
            if time.monotonic() >= deadline:
                raise StillHandling(key)
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def keep(self, key: str, reply: str) -> None:
        with self._cursor(relaxed=True) as run:
            run(f"UPDATE {self.table} SET reply = {self.mark} WHERE reply_key = {self.mark}",
                (reply, key))

    def release(self, key: str) -> None:
        with self._cursor() as run:
            run(f"DELETE FROM {self.table} WHERE reply_key = {self.mark} AND reply IS NULL",
                (key,))

    def forget_person(self, person_id: str) -> int:
        with self._cursor() as run:
            return run(f"DELETE FROM {self.table} WHERE person_id = {self.mark}", (person_id,))

    # -- plumbing -------------------------------------------------------------

    @contextmanager
    def _cursor(self, *, relaxed: bool = False) -> Iterator[Any]:
        """A function running statements, each committed on its own: returns the
        first row with fetch=True, else the number of rows changed. On PostgreSQL
        each is a single round trip (the pool's connections are in autocommit).

        ``relaxed``: committed without waiting for the disk (synchronous_commit off,
        sent with the statement in the same round trip). For claims and replies that
        costs nothing in safety: the log is written in order, so the command's own
        commit, which waits for the disk, makes the claim before it durable too; a
        reply lost in a crash makes a retry wait and hear "try again"."""
        if self.postgres:
            with self.datastore.get_connection() as conn:
                curs = conn.cursor()

                def run_pg(sql: str, params: tuple = (), *, fetch: bool = False) -> Any:
                    if relaxed:
                        with conn.pipeline():
                            conn.execute("BEGIN")
                            conn.execute("SET LOCAL synchronous_commit TO OFF", prepare=True)
                            curs.execute(sql, params, prepare=True)
                            conn.execute("COMMIT")
                    else:
                        curs.execute(sql, params, prepare=True)
                    if fetch:
                        row = curs.fetchone()
                        return None if row is None else tuple(row.values())
                    return curs.rowcount

                yield run_pg
            return
        with self.datastore.transaction(commit=True) as curs:

            def run(sql: str, params: tuple = (), *, fetch: bool = False) -> Any:
                curs.execute(sql, params)
                if fetch:
                    row = curs.fetchone()
                    if row is None:
                        return None
                    return tuple(row.values()) if isinstance(row, dict) else tuple(row)
                raw = getattr(curs, "sqlite_cursor", curs)
                return raw.rowcount

            yield run
