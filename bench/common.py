"""What every benchmark shares: progress lines, a throwaway PostgreSQL schema, the server."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


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
