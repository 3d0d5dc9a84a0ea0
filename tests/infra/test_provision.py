"""infra/postgres/provision.sh: the owner runs `small-steps migrate`, the app role runs
everything else, and the app role cannot create, alter or drop anything."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from importlib.metadata import version

import psycopg
import pytest
from psycopg import errors

from domain.app import SmallSteps
from domain.clock import FixedClock
from skill.devtools.stack import SKILL_ID, free_port, wait_until
from tests.infra.conftest import SMALL_STEPS, Provisioned, run, script_env, superuser

pytestmark = pytest.mark.postgres

MONDAY = "2026-11-23"


def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))


def connect(url: str) -> psycopg.Connection:
    """A plain connection for a SMALL_STEPS_STORE URL (without ?schema=)."""
    return psycopg.connect(url.split("?", 1)[0], autocommit=True, connect_timeout=5)


def tables(p: Provisioned) -> dict[str, str]:
    with superuser(p.db) as conn:
        return dict(conn.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = %s",
            (p.schema,)).fetchall())


def test_the_app_role_runs_the_skill_after_the_owner_migrates(provisioned: Provisioned):
    p = provisioned
    p.migrate()
    owned = tables(p)
    assert {"smallsteps_events", "smallsteps_snapshots", "ss_people", "ss_replies"} <= set(owned)
    assert set(owned.values()) == {p.owner}

    app = SmallSteps.from_store(p.app_url, clock(), create_tables=False)
    try:
        app.check_tables()
        assert app.enrol("alice", "en-GB", "Europe/London")
        app.enrol("bob", "en-GB", "Europe/London")
        walk = app.schedule_step("alice", "walk-around-block", MONDAY, "morning")
        assert app.log_done("alice", walk, mastery=6, enjoyment=7).status == "done"
        for value in range(55):  # past the snapshotting interval (50) of a Week
            app.rate_mood("bob", value % 11)
        assert app.catch_up() == app.recorder.max_notification_id()
        assert app.today("alice").steps[0].status == "done"
        assert app.replies.claim("delivery-1", None).fresh
        app.replies.keep("delivery-1", "said once")
        assert app.replies.claim("delivery-1", None).reply == "said once"
        assert app.erase_person("alice")
        assert not app.is_enrolled("alice") and app.is_enrolled("bob")
        assert app.rebuild_views() == app.recorder.max_notification_id()
    finally:
        app.close()
    with superuser(p.db) as conn:  # snapshot failures are only logged: look for them
        snapshots = conn.execute(
            f'SELECT count(*) FROM "{p.schema}".smallsteps_snapshots').fetchone()[0]
    assert snapshots >= 1


DDL = (
    "CREATE TABLE {schema}.intruder (a int)",
    "CREATE TABLE public.intruder (a int)",
    "CREATE TEMPORARY TABLE intruder (a int)",
    "CREATE SCHEMA intruder",
    "DROP TABLE {schema}.ss_people",
    "TRUNCATE {schema}.smallsteps_events",
    "ALTER TABLE {schema}.ss_people ADD COLUMN intruder int",
    "CREATE INDEX intruder ON {schema}.ss_people (person_id)",
)


def test_the_app_role_cannot_change_the_schema(provisioned: Provisioned):
    provisioned.migrate()
    before = tables(provisioned)
    allowed = []
    for statement in DDL:
        with connect(provisioned.app_url) as conn:
            try:
                conn.execute(statement.format(schema=provisioned.schema))
            except errors.InsufficientPrivilege:
                continue
            allowed.append(statement)
    assert allowed == []
    assert tables(provisioned) == before


def test_migrate_as_the_app_role_is_refused(provisioned: Provisioned):
    done = run([SMALL_STEPS, "migrate", "--store", provisioned.app_url], script_env(),
               check=False)
    assert done.returncode == 2
    assert "permission denied" in done.stderr
    assert tables(provisioned) == {}


def test_provisioning_again_is_harmless(provisioned: Provisioned):
    p = provisioned
    p.migrate()
    app = SmallSteps.from_store(p.app_url, clock(), create_tables=False)
    app.enrol("carol", "en-GB", "Europe/London")
    app.close()
    with superuser() as conn:
        hashes = dict(conn.execute("SELECT rolname, rolpassword FROM pg_authid "
                                   "WHERE rolname IN (%s, %s)", (p.owner, p.app)).fetchall())

    again = p.provision()
    assert "SMALL_STEPS_STORE" not in again.stdout  # no new passwords: nothing to show
    with superuser() as conn:
        assert dict(conn.execute("SELECT rolname, rolpassword FROM pg_authid "
                                 "WHERE rolname IN (%s, %s)", (p.owner, p.app)).fetchall()) == hashes
    p.migrate()  # and migrate again, as after an upgrade
    app = SmallSteps.from_store(p.app_url, clock(), create_tables=False)
    try:
        assert app.is_enrolled("carol")
        app.enrol("dave", "en-GB", "Europe/London")
    finally:
        app.close()

    p.provision(SS_APP_PASSWORD="a n'ew \\ pass%word")  # a given password is applied
    with superuser() as conn:
        row = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                           (p.app,)).fetchone()
    assert row[0] != hashes[p.app] and row[0].startswith("SCRAM-SHA-256$")


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def app_env(p: Provisioned, tmp_path) -> dict[str, str]:
    """The units' environment, with the app role's URL only."""
    return script_env(SMALL_STEPS_STORE=p.app_url, SMALL_STEPS_SKILL_ID=SKILL_ID,
                      SMALL_STEPS_IDENTITY_KEY="infra-test-key", SMALL_STEPS_LOG_LEVEL="INFO",
                      SMALL_STEPS_IDENTITY_KEY_FILE=str(tmp_path / "unused" / "identity.key"),
                      SMALL_STEPS_ERASURE_LEDGER=str(tmp_path / "state" / "erasures.jsonl"))


def problems(log: str) -> list[str]:
    return [line for line in log.splitlines()
            if '"level": "error"' in line or '"level": "warning"' in line
            or "permission denied" in line]


def test_the_server_runs_as_the_app_role(provisioned: Provisioned, tmp_path):
    p = provisioned
    p.migrate()
    port = free_port()
    web = subprocess.Popen([SMALL_STEPS, "serve", "--production", "--workers", "1",
                            "--threads", "2", "--port", str(port)], env=app_env(p, tmp_path),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # A writer that leaves its events to the projector, so the lag shows.
    app = SmallSteps.from_store(p.app_url, clock(), create_tables=False, sync_views=False)
    try:
        def health() -> dict | None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return json.load(r)

        first = wait_until(health, 60, "the server")  # readiness, not speed
        # No projector runs here: degraded (200), its heartbeat never written.
        assert first == {"status": "degraded", "store": "postgresql",
                         "version": version("small-steps"), "events": 0, "views_position": 0,
                         "projector": {"position": None, "heartbeat_age_s": None},
                         "set_aside": 0}
        app.enrol("erin", "en-GB", "Europe/London")
        head = app.recorder.max_notification_id()
        assert health() == {**first, "events": head}  # nothing caught up yet
    finally:
        app.close()
        code = stop(web)
    assert code == 0
    assert problems(web.stderr.read()) == []


def test_the_projector_follows_as_the_app_role(provisioned: Provisioned, tmp_path):
    p = provisioned
    p.migrate()
    app = SmallSteps.from_store(p.app_url, clock(), create_tables=False)
    app.enrol("erin", "en-GB", "Europe/London")
    projector = subprocess.Popen([SMALL_STEPS, "projector"], env=app_env(p, tmp_path),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: app.views.position() == app.recorder.max_notification_id(), 15,
                   "the views")
        app.enrol("finn", "en-GB", "Europe/London")  # applied by the runner, not a catch-up
        wait_until(lambda: app.views.position() == app.recorder.max_notification_id(), 15,
                   "the views")
        time.sleep(1.0)  # long enough for a failing runner to have said so
    finally:
        app.close()
        code = stop(projector)
    assert code == 0
    log = projector.stderr.read()
    assert "following" in log
    assert problems(log) == []
