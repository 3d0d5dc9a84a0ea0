"""How the views talk to each database: named ``:params`` and dict rows, and the
batch's reads and writes of many rows at once (``Cursor.find`` / ``Cursor.write``).

SQLite runs in-process, so a statement per row costs nothing more; on PostgreSQL one
statement per table carries all of a batch's rows as one JSON parameter, the
statements of a batch go together in a pipeline, and many new rows go in by COPY.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from domain.projections.batch import Change, Find
from domain.projections.tables import COLUMNS, COUNTERS, KEYS

_NAMED = re.compile(r"(?<![:\w]):([a-z_]+)")
COPY_AT_LEAST = 200  # new rows of a table in one batch, from which COPY is used


class SQLiteCursor:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def control(self, sql: str) -> None:
        self.conn.execute(sql)

    def run(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self.conn.execute(sql, params or {})

    def one(self, sql: str, params: dict[str, Any] | None = None) -> dict | None:
        row = self.conn.execute(sql, params or {}).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: dict[str, Any] | None = None) -> list[dict]:
        return [dict(r) for r in self.conn.execute(sql, params or {}).fetchall()]

    # In-process: a query per key costs no round trip, and each uses the index.

    def find(self, requests: Sequence[Find]) -> list[list[dict]]:
        found = []
        for table, columns, keys in requests:
            sql = f"SELECT * FROM {table} WHERE " + " AND ".join(f"{c} = ?" for c in columns)
            execute = self.conn.execute
            found.append([dict(r) for key in keys for r in execute(sql, key).fetchall()])
        return found

    def write(self, changes: Sequence[Change]) -> None:
        for kind, table, rows in changes:
            key, columns = KEYS[table], COLUMNS[table]
            if kind == "insert":
                sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
                       f"VALUES ({', '.join(f':{c}' for c in columns)})")
            elif kind == "update":
                sql = (f"UPDATE {table} SET "
                       + ", ".join(f"{c} = :{c}" for c in columns if c not in key)
                       + " WHERE " + " AND ".join(f"{c} = :{c}" for c in key))
            elif kind == "add":
                sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
                       f"VALUES ({', '.join(f':{c}' for c in columns)}) "
                       f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
                       + ", ".join(f"{c} = {table}.{c} + excluded.{c}" if c in COUNTERS[table]
                                   else f"{c} = excluded.{c}" for c in columns if c not in key))
            else:  # prune
                sql = (f"DELETE FROM {table} WHERE " + " AND ".join(f"{c} = ?" for c in key)
                       + f" AND {COUNTERS[table][0]} = 0")
            self.conn.executemany(sql, rows)


_json = json.JSONEncoder(separators=(",", ":")).encode


@contextmanager
def savepoint(cur: Any) -> Iterator[None]:
    cur.control("SAVEPOINT ss_views")
    try:
        yield
    except BaseException:
        cur.control("ROLLBACK TO SAVEPOINT ss_views")
        raise
    cur.control("RELEASE SAVEPOINT ss_views")


@contextmanager
def no_savepoint(cur: Any) -> Iterator[None]:
    yield


@functools.lru_cache(maxsize=None)
def _pg_statement(kind: str, table: str, columns: tuple[str, ...] = ()) -> tuple[str, Any]:
    """The statement for a ``find`` (by ``columns``) or a ``write`` of many rows at
    once, and what turns the rows into its one parameter: a JSON array of arrays,
    encoded in C and taken apart by the server, which a pipeline can carry (COPY
    cannot)."""
    types, key = COLUMNS[table], KEYS[table]
    if kind in ("insert", "update", "add"):
        columns = tuple(types)
    elif kind == "prune":
        columns = key
    values = [f"x.value->>{i}" if types[c] == "TEXT" else f"(x.value->>{i})::{types[c].lower()}"
              for i, c in enumerate(columns)]
    # The LIMIT (the number of rows) is the planner's estimate of them: without it,
    # it takes a function for 100 rows and would rather scan a table than look
    # each of a few rows up in its index.
    rows = "(SELECT value FROM jsonb_array_elements(%s::jsonb) LIMIT %s) AS x"
    names = ", ".join(columns)
    if kind == "insert":
        sql = f"INSERT INTO {table} ({names}) SELECT {', '.join(values)} FROM {rows}"
    elif kind == "add":
        sql = (f"INSERT INTO {table} AS t ({names}) SELECT {', '.join(values)} FROM {rows} "
               f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
               + ", ".join(f"{c} = t.{c} + EXCLUDED.{c}" if c in COUNTERS[table]
                           else f"{c} = EXCLUDED.{c}" for c in columns if c not in key))
    elif kind == "update":
        named = ", ".join(f"{v} AS {c}" for v, c in zip(values, columns))
        sql = (f"UPDATE {table} AS t SET "
               + ", ".join(f"{c} = v.{c}" for c in columns if c not in key)
               + f" FROM (SELECT {named} FROM {rows}) AS v WHERE "
               + " AND ".join(f"t.{c} = v.{c}" for c in key))
    elif kind == "find":
        sql = f"SELECT * FROM {table} WHERE ({names}) IN (SELECT {', '.join(values)} FROM {rows})"
    else:  # prune
        sql = (f"DELETE FROM {table} WHERE ({names}) IN (SELECT {', '.join(values)} FROM {rows}) "
               f"AND {COUNTERS[table][0]} = 0")
    if kind in ("insert", "update", "add"):
        pick = operator.itemgetter(*columns)
        return sql, lambda rows: (_json([pick(r) for r in rows]), len(rows))
    return sql, lambda keys: (_json(keys), len(keys))


def pipeline(conn: Any) -> AbstractContextManager:
    """Send what follows together. Inside a pipeline already (a command's recording
    transaction) nothing more is needed: a nested one would wait for the server at
    its end, a round trip for nothing."""
    import psycopg
    from psycopg import pq

    if conn.pgconn.pipeline_status != pq.PipelineStatus.OFF or not psycopg.Pipeline.is_supported():
        return nullcontext()
    return conn.pipeline()


class PgCursor:
    def __init__(self, curs: Any):
        self.curs = curs

    @staticmethod
    def _sql(sql: str) -> str:
        return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))

    def run(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self.curs.execute(self._sql(sql), params or {}, prepare=True)

    def control(self, sql: str) -> None:
        """A statement with no parameters that is not worth preparing (SAVEPOINT …)."""
        self.curs.execute(sql, prepare=False)

    def one(self, sql: str, params: dict[str, Any] | None = None) -> dict | None:
        self.curs.execute(self._sql(sql), params or {}, prepare=True)
        row = self.curs.fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: dict[str, Any] | None = None) -> list[dict]:
        self.curs.execute(self._sql(sql), params or {}, prepare=True)
        return [dict(r) for r in self.curs.fetchall()]

    # One statement per table whatever the number of rows, and the statements of
    # a batch sent together in a pipeline: one round trip for all of them. Those
    # that look rows up are planned as they run (not prepared): a plan made while a
    # table was nearly empty (early in a rebuild) would scan it whole once it has
    # grown. Inserts have one plan whatever the sizes, so they are prepared.

    def find(self, requests: Sequence[Find]) -> list[list[dict]]:
        if len(requests) == 1:
            [(table, columns, keys)] = requests
            sql, encode = _pg_statement("find", table, tuple(columns))
            self.curs.execute(sql, encode(keys), prepare=False)
            return [self.curs.fetchall()]
        conn = self.curs.connection
        cursors = []
        with pipeline(conn):
            for table, columns, keys in requests:
                sql, encode = _pg_statement("find", table, tuple(columns))
                cursors.append(conn.cursor().execute(sql, encode(keys), prepare=False))
        found = [c.fetchall() for c in cursors]
        for c in cursors:
            c.close()
        return found

    def write(self, changes: Sequence[Change]) -> None:
        # Many new rows (a long catch-up, a rebuild) go in by COPY, which the server
        # takes several times faster than rows it must parse out of JSON; COPY
        # cannot run in a pipeline, so it goes first (new rows never share a key
        # with the rows the other statements change).
        rest = []
        for change in changes:
            kind, table, rows = change
            if kind == "insert" and len(rows) >= COPY_AT_LEAST:
                self._copy(table, rows)
            else:
                rest.append(change)
        if not rest:
            return
        with pipeline(self.curs.connection):
            for kind, table, rows in rest:
                sql, encode = _pg_statement(kind, table)
                self.curs.execute(sql, encode(rows), prepare=kind in ("insert", "add"))

    def _copy(self, table: str, rows: Sequence[dict]) -> None:
        columns = tuple(COLUMNS[table])
        pick = operator.itemgetter(*columns)
        with self.curs.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(pick(row))
