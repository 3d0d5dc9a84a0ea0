"""Shared fixtures: every store a test asks for is a real one.

PostgreSQL tests use the server named by SMALL_STEPS_TEST_PG, each test in a schema
of its own that is dropped afterwards. Under CI=true an unreachable server is an
error, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import psycopg
import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock

PG_URL = os.environ.get(
    "SMALL_STEPS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/small_steps_test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
STORES = ("memory", "sqlite", "postgres")


def _pg_reachable() -> str | None:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as e:
        return str(e)
    return None


@pytest.fixture(scope="session")
def pg_available() -> None:
    problem = _pg_reachable()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL at {PG_URL} is required under CI=true: {problem}")
    pytest.skip(f"PostgreSQL not reachable outside CI (run `make postgres`): {problem}")


@pytest.fixture
def pg_schema_url(pg_available: None) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{PG_URL}?schema={schema}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def store_url_for(request: pytest.FixtureRequest, tmp_path) -> callable:
    """Returns a function giving a fresh store URL of the named kind."""

    def make(kind: str) -> str:
        if kind == "memory":
            return "memory:"
        if kind == "sqlite":
            return f"sqlite:///{tmp_path}/small-steps-{uuid.uuid4().hex[:6]}.sqlite"
        if kind == "postgres":
            return request.getfixturevalue("pg_schema_url")
        raise ValueError(kind)

    return make


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, store_url_for) -> str:
    """A fresh, empty store of each kind in turn."""
    return store_url_for(request.param)


@pytest.fixture
def clock() -> FixedClock:
    # Monday 23 November 2026, 08:00 in London.
    return FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))


@pytest.fixture
def app(store: str, clock: FixedClock) -> Iterator[SmallSteps]:
    application = SmallSteps.from_store(store, clock)
    yield application
    application.close()


@pytest.fixture
def alice(app: SmallSteps) -> str:
    app.enrol("alice", "en-GB", "Europe/London")
    return "alice"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every PostgreSQL run so `-m "not postgres"` can leave them out locally."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("store") == "postgres" or "pg_schema_url" in item.fixturenames:
            item.add_marker(pytest.mark.postgres)
