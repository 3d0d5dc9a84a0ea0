"""What every benchmark shares: the settings they read, progress lines, a throwaway
PostgreSQL schema, the server's version.

The benchmarks read the environment here and nowhere else (the skill's own settings are
read by skill/settings.py):

- SMALL_STEPS_BENCH_PG, else SMALL_STEPS_TEST_PG, else the local test server: the
  PostgreSQL server the benchmarks use, each run in a fresh schema dropped at the end;
- HELLO_FLOOR_PG and HELLO_FLOOR_TABLE: set by bench/load.py for bench/hello.py's floors;
- bench/hello.py's server settings, as the skill's (SMALL_STEPS_*, skill/settings.py).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_URL = (os.environ.get("SMALL_STEPS_BENCH_PG") or os.environ.get("SMALL_STEPS_TEST_PG")
          or "postgresql://postgres@127.0.0.1:5432/small_steps_test")
HELLO_FLOOR_PG = "HELLO_FLOOR_PG"
HELLO_FLOOR_TABLE = "HELLO_FLOOR_TABLE"


def hello_environ() -> dict[str, str]:
    """What bench/hello.py reads the skill's settings from: the process environment,
    logging warnings only unless SMALL_STEPS_LOG_LEVEL says otherwise."""
    return {"SMALL_STEPS_LOG_LEVEL": "WARNING", **os.environ}


def hello_floor() -> tuple[str, str]:
    """(the floor's server URL, its table) as bench/load.py hands them to bench/hello.py."""
    return os.environ[HELLO_FLOOR_PG], os.environ.get(HELLO_FLOOR_TABLE, "")


def log(message: str) -> None:
    """A progress line (stderr, so stdout keeps only the figures)."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def postgres_store(url: str, prefix: str = "bench") -> Iterator[str]:
    """A SMALL_STEPS_STORE URL for a fresh schema on `url`'s server, dropped at the end."""
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        yield f"{url}?schema={schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]
