"""Replies: each delivery of a command is acted on once, however often it arrives.

A caller that may deliver the same request twice (a voice platform retrying after a
timeout) names each delivery with an opaque key. The first delivery claims the key,
acts, and keeps its reply here; a later delivery of the same key gets that reply
back instead of acting again; a delivery that arrives while the first is still being
handled waits for its reply. A claim whose handling failed is released, so a retry
can act. A reply is given back only to a delivery for the same person (the caller
names whose each delivery is). Replies are kept for KEEP_SECONDS (long enough for any
retry the caller would still accept), cleared out on a schedule (by the first claim
recorded PRUNE_EVERY seconds after the last clearing, by the application's clock), and
are erased with the person they belong to.

The table lives beside the views (same SQLite file or PostgreSQL schema) and is
created by ``SmallSteps.create_tables`` (``small-steps migrate``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

TABLE = "ss_replies"
KEEP_SECONDS = 15 * 60
ABANDONED_SECONDS = 30.0  # a claim this old with no reply was cut off (a worker died)
PRUNE_EVERY = 60.0  # seconds between clearings of replies past KEEP_SECONDS

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


@dataclass(frozen=True)
class Recorded:
    """A delivery's key and reply, written by the transaction recording its changes."""

    key: str
    statements: tuple[tuple[str, tuple], ...]

    @staticmethod
    def duplicate(error: BaseException) -> bool:
        """Whether `error` (the driver's own) is another delivery's key in the way."""
        text = str(error)
        return TABLE in text and ("UNIQUE" in text or "unique" in text)


class StillHandling(RuntimeError):
    """Another delivery of the same key is still being handled."""


class Replies:
    def __init__(self, datastore: Any, *, postgres: bool,
                 clock: Callable[[], float] = time.time):
        """`clock`: seconds, the application's clock (claims' times and their clearing)."""
        self.datastore = datastore
        self.postgres = postgres
        self.clock = clock
        self.pruned_at: float | None = None  # when this process last cleared old replies
        self.table = (f'"{datastore.schema}".{TABLE}' if postgres else TABLE)
        self.mark = "%s" if postgres else "?"  # the driver's parameter placeholder

    # -- schema ---------------------------------------------------------------

    def create_table(self) -> None:
        with self._cursor() as run:
            for statement in DDL:
                run(statement.format(table=self.table))

    # -- claims ---------------------------------------------------------------

    def claim(self, key: str, person_id: str | None, *, wait: float = 4.0) -> Claim:
        """Claim `key` on its own, or return the reply of whoever claimed it first
        (waiting as ``earlier`` does). The skill records its claim with its changes
        instead (``recorded``); this is for a caller with nothing else to record."""
        while True:
            with self._cursor(relaxed=True) as run:
                claimed = run(
                    f"INSERT INTO {self.table} (reply_key, person_id, claimed_at) "
                    f"VALUES ({self.mark}, {self.mark}, {self.mark}) "
                    "ON CONFLICT (reply_key) DO NOTHING", (key, person_id, self.clock()))
            if claimed:
                return Claim(fresh=True)
            reply = self.earlier(key, person_id, wait=wait)
            if reply is not None:
                return Claim(fresh=False, reply=reply)
            # released after a failure, or abandoned: claim it now

    def earlier(self, key: str, person_id: str | None, *, wait: float = 4.0) -> str | None:
        """The reply an earlier delivery of `key` for the same person was answered with,
        or None when there was none (act on it); never another person's. Waits up to
        `wait` seconds for a reply still being made; StillHandling if none arrives in
        time (the caller answers "busy" and the platform retries). A claim left without
        a reply for ABANDONED_SECONDS was cut off (a worker died): it is dropped, and
        None says to act."""
        deadline = time.monotonic() + wait
        pause = 0.02
        while True:
            with self._cursor() as run:
                row = run(f"SELECT reply, claimed_at, person_id FROM {self.table} "
                          f"WHERE reply_key = {self.mark}", (key,), fetch=True)
                if row is not None and row[2] != person_id:
                    return None  # someone else's: not theirs to hear
                if row is not None and row[0] is None and \
                        row[1] < self.clock() - ABANDONED_SECONDS:
                    run(f"DELETE FROM {self.table} WHERE reply_key = {self.mark} "
                        f"AND claimed_at = {self.mark} AND reply IS NULL", (key, row[1]))
                    return None
            if row is None:
                return None
            if row[0] is not None:
                return row[0]
            if time.monotonic() >= deadline:
                raise StillHandling(key)
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def recorded(self, key: str, person_id: str | None, reply: str | None) -> Recorded:
        """What a recorder runs, inside the transaction that records a delivery's
        changes, to keep its key (and its reply, when known) with them: a second
        delivery of the same key fails there, on the key (``Recorded.duplicate``)."""
        now = self.clock()
        statements = [(f"INSERT INTO {self.table} (reply_key, person_id, claimed_at, reply) "
                       f"VALUES ({self.mark}, {self.mark}, {self.mark}, {self.mark})",
                       (key, person_id, now, reply))]
        if self.pruned_at is None or now - self.pruned_at >= PRUNE_EVERY:
            self.pruned_at = now  # at worst a clearing is skipped: the next one catches up
            statements.insert(0, (f"DELETE FROM {self.table} WHERE claimed_at < {self.mark}",
                                  (now - KEEP_SECONDS,)))
        return Recorded(key, tuple(statements))

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
