"""SMALL_STEPS_STORE: one setting chooses where events and views live.

- ``sqlite:///var/small-steps.sqlite`` (the default): a SQLite file, created on first use;
  ``sqlite:////abs/path.sqlite`` for an absolute path.
- ``postgresql://user:password@host:5432/dbname`` (production); ``?schema=name``
  keeps the tables in a schema of their own.
- ``memory:`` an in-memory store (a private in-memory SQLite database) for unit tests.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


DEFAULT_STORE = "sqlite:///var/small-steps.sqlite"
POSTGRES_MODULE = "domain.store.postgres"  # the library's PostgreSQL recorders, failing fast
SQLITE_MODULE = "domain.store.sqlite"  # the library's SQLite recorders, applying views too


class StoreNotReady(RuntimeError):
    """The store answers but has not been set up (``small-steps migrate``)."""


class StoreSettingError(ValueError):
    pass


class StoreUnavailable(RuntimeError):
    """The store cannot be reached (yet); the message says why, credentials masked."""


# user:password@ in a URL, typed right or not (postgres//u:p@h, postgresql:/u:p@h); the
# password runs to the last @ of its word (an unencoded @ in a password is a typo too).
_USERINFO = re.compile(r"""((?:^|[\s'"=(,])(?:[A-Za-z][A-Za-z0-9+.-]*:?//?)?[^\s:/@'"]*):"""
                       r"""(?!/)[^\s'"]*@""")
# password=… in a libpq connection string or a URL's query.
_PASSWORD = re.compile(r"""(password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s&'",]+)""", re.IGNORECASE)


def mask(text: str) -> str:
    """`text` (a store URL, or a driver's message that may quote one) with every password
    replaced by ***: whatever reaches a log line or stderr goes through here first."""
    return _PASSWORD.sub(r"\1***", _USERINFO.sub(r"\1:***@", text))


def failure(error: BaseException) -> str:
    """An error in one line for a log or stderr: its class and message, passwords masked."""
    text = " ".join(str(error).split())
    return mask(f"{type(error).__name__}: {text}" if text else type(error).__name__)


def store_url(settings: Mapping[str, str] | None = None) -> str:
    """The SMALL_STEPS_STORE of the given settings (never the process environment:
    the caller passes what it read), or the default."""
    return ((settings or {}).get("SMALL_STEPS_STORE") or DEFAULT_STORE).strip()


def eventsourcing_env(url: str) -> dict[str, str]:
    """The eventsourcing library's settings for a SMALL_STEPS_STORE value."""
    common = {"IS_SNAPSHOTTING_ENABLED": "y"}
    if url == "memory:" or url.startswith("memory:"):
        name = f"file:small-steps-{uuid.uuid4().hex}?mode=memory&cache=shared"
        return {**common, "PERSISTENCE_MODULE": SQLITE_MODULE, "SQLITE_DBNAME": name}
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw = unquote(parsed.path)
        if not raw or raw == "/":
            raise StoreSettingError("SMALL_STEPS_STORE: a sqlite:/// URL needs a file path")
        path = Path(raw[1:])  # sqlite:///rel/path or sqlite:////abs/path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # only if new: private
        return {**common, "PERSISTENCE_MODULE": SQLITE_MODULE,
                "SQLITE_DBNAME": str(path), "SQLITE_LOCK_TIMEOUT": "10"}
    if parsed.scheme in ("postgresql", "postgres"):
        if not parsed.hostname or not parsed.path.strip("/"):
            raise StoreSettingError("SMALL_STEPS_STORE: a postgresql:// URL needs host and database")
        query = parse_qs(parsed.query)
        env = {
            **common,
            "PERSISTENCE_MODULE": POSTGRES_MODULE,
            "POSTGRES_DBNAME": unquote(parsed.path.strip("/")),
            "POSTGRES_HOST": parsed.hostname,
            "POSTGRES_PORT": str(parsed.port or 5432),
            "POSTGRES_USER": unquote(parsed.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parsed.password or ""),
            # Also how long a request waits for a pooled connection: short, so an outage
            # is answered within seconds instead of hanging.
            "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", ["2"])[0],
            "POSTGRES_POOL_SIZE": query.get("pool_size", ["2"])[0],
            "POSTGRES_MAX_OVERFLOW": query.get("max_overflow", ["8"])[0],
            # No ping before each use (a round trip each time a connection is taken
            # from the pool): a connection broken by a database restart fails its
            # statement, is discarded by the pool, and the brief retry of
            # domain/store/postgres.py takes another.
            "POSTGRES_PRE_PING": "n",
        }
        if "schema" in query:
            env["POSTGRES_SCHEMA"] = query["schema"][0]
        return env
    raise StoreSettingError(
        f"SMALL_STEPS_STORE must be sqlite:///path, postgresql://… or memory: "
        f"(got {mask(url)!r})"
    )


def is_postgres(env: dict[str, str]) -> bool:
    return env["PERSISTENCE_MODULE"] in (POSTGRES_MODULE, "eventsourcing.postgres")
