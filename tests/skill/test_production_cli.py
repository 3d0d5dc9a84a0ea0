"""The production commands refuse a wrong setup in one line (exit 2), never a traceback."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from skill.devtools import stack

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "infra" / "small-steps.env.example"
EXAMPLE_SKILL_ID = re.search(r"^SMALL_STEPS_SKILL_ID=(.*)$", ENV_EXAMPLE.read_text(),
                             re.MULTILINE).group(1)


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([stack.SMALL_STEPS, *args], capture_output=True, text=True,
                          timeout=60, env=stack.base_env("sqlite:///unused.sqlite", env))


def _refused(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2, result
    assert words in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_production_serves_postgresql_only(tmp_path) -> None:
    _refused(_run("serve", "--production", "--store", f"sqlite:///{tmp_path}/x.sqlite"),
             "--production serves a PostgreSQL store")


@pytest.mark.postgres
def test_production_needs_the_tables_made_by_migrate(pg_schema_url: str) -> None:
    _refused(_run("serve", "--production", "--store", pg_schema_url),
             "run `small-steps migrate`")
    _refused(_run("projector", "--store", pg_schema_url), "")
    for _ in range(2):  # repeatable
        done = _run("migrate", "--store", pg_schema_url)
        assert done.returncode == 0 and "the store is ready" in done.stdout, done


@pytest.mark.parametrize("off", ["false", "0", "no", "OFF"])
def test_production_never_runs_without_verifying_requests(tmp_path, off: str) -> None:
    """Behind nginx it binds loopback, where a local server may run unverified; production
    refuses that outright, before anything else, in one line."""
    result = _run("serve", "--production", "--host", "127.0.0.1",
                  "--store", f"sqlite:///{tmp_path}/x.sqlite",
                  env={"SMALL_STEPS_VERIFY_REQUESTS": off})
    _refused(result, "SMALL_STEPS_VERIFY_REQUESTS=false is refused in production")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_production_server_itself_refuses_to_run_unverified() -> None:
    """Whatever starts it (the CLI, the load benchmark's baseline)."""
    from skill.edge.production import ProductionServer
    from skill.settings import Settings, SettingsError

    unverified = Settings.from_env({"SMALL_STEPS_VERIFY_REQUESTS": "false",
                                    "SMALL_STEPS_IDENTITY_KEY": "k"}, host="127.0.0.1")
    with pytest.raises(SettingsError, match="refused in production"):
        ProductionServer(unverified)


@pytest.mark.parametrize(("skill_ids", "words"), [
    (EXAMPLE_SKILL_ID, "still the example's placeholder"),
    (f"{stack.SKILL_ID},amzn1.ask.skill.change-me", "still the example's placeholder"),
    ("amzn1.ask.skill.test", "is not an Alexa skill id (1 of 1 given)"),
    (stack.SKILL_ID.upper(), "is not an Alexa skill id (1 of 1 given)"),
    (f"{stack.SKILL_ID}, amzn1.ask.skill.{stack.SKILL_ID}",
     "is not an Alexa skill id (1 of 2 given)"),
    ("", "SMALL_STEPS_SKILL_ID is not set"),
])
def test_production_refuses_a_skill_id_alexa_never_sends(skill_ids: str, words: str) -> None:
    """The example env file's placeholder (or a mistyped id) would start a server whose
    /healthz is ok while it refuses every request of the real skill: refused at start,
    in one line, before the store is even looked at."""
    result = _run("serve", "--production", "--store", "postgresql://x@127.0.0.1:1/db",
                  env={"SMALL_STEPS_SKILL_ID": skill_ids})
    _refused(result, words)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert stack.SKILL_ID not in result.stderr.lower()  # ids are never repeated


def test_the_production_server_itself_refuses_the_placeholder_skill_id() -> None:
    from skill.edge.production import ProductionServer
    from skill.settings import Settings, SettingsError

    placeholder = Settings.from_env({"SMALL_STEPS_SKILL_ID": EXAMPLE_SKILL_ID,
                                     "SMALL_STEPS_IDENTITY_KEY": "k"}, host="127.0.0.1")
    with pytest.raises(SettingsError, match="placeholder"):
        ProductionServer(placeholder)
    real = Settings.from_env({"SMALL_STEPS_SKILL_ID": stack.SKILL_ID,
                              "SMALL_STEPS_IDENTITY_KEY": "k"}, host="127.0.0.1")
    real.check_production()  # the shape the developer console gives passes


def test_production_never_makes_a_new_identity_key(tmp_path) -> None:
    env = {"SMALL_STEPS_IDENTITY_KEY": "", "SMALL_STEPS_IDENTITY_KEY_FILE": str(tmp_path / "k")}
    _refused(_run("serve", "--production", "--store", "postgresql://x@127.0.0.1/db", env=env),
             "no identity key")
    assert not (tmp_path / "k").exists()


@pytest.mark.postgres
def test_rebuild_views_restores_the_views_from_the_events(pg_schema_url: str) -> None:
    from datetime import datetime, timezone

    from domain.app import SmallSteps
    from domain.clock import FixedClock
    from domain.projections.views import rows_snapshot

    _refused(_run("rebuild-views", "--store", pg_schema_url), "run `small-steps migrate`")
    assert _run("migrate", "--store", pg_schema_url).returncode == 0
    app = SmallSteps.from_store(pg_schema_url, FixedClock(datetime(2026, 11, 23, 8,
                                                                   tzinfo=timezone.utc)))
    try:
        app.enrol("jo", "en-GB", "Europe/London")
        app.schedule_step("jo", "make-bed", "2026-11-23")
        app.log_done("jo")
        app.rate_mood("jo", 6)
        last = app.catch_up()
        with app.views.reading() as cur:
            expected = rows_snapshot(cur)
        with app.views.writing() as (cur, _):  # views gone wrong
            cur.run("UPDATE ss_people SET done_total = 99")
            cur.run("DELETE FROM ss_moods")
        done = _run("rebuild-views", "--store", pg_schema_url)
        assert done.returncode == 0, done
        assert f"applying {last} events again" in done.stdout
        assert f"rebuilt up to event {last}" in done.stdout
        with app.views.reading() as cur:
            assert rows_snapshot(cur) == expected
    finally:
        app.close()


def test_reapply_erasures_refuses_a_postgresql_store_without_its_ledger() -> None:
    """Without the ledger the server writes it would find no one and say so, leaving
    a restore's erased people in it: refused in one line instead."""
    _refused(_run("reapply-erasures", "--store", "postgresql://x@127.0.0.1:1/db"),
             "SMALL_STEPS_ERASURE_LEDGER is not set")


def test_production_keeps_the_erasure_ledger_in_the_units_state_directory() -> None:
    """systemd names the units' StateDirectory in STATE_DIRECTORY: the ledger goes there
    unless SMALL_STEPS_ERASURE_LEDGER names another file; elsewhere, the store's default."""
    from skill.settings import Settings

    key = {"SMALL_STEPS_IDENTITY_KEY": "k"}
    state = {**key, "STATE_DIRECTORY": "/var/lib/small-steps"}
    assert Settings.from_env(state).erasure_ledger == "/var/lib/small-steps/erasures.jsonl"
    named = {**state, "SMALL_STEPS_ERASURE_LEDGER": "/srv/erasures.jsonl"}
    assert Settings.from_env(named).erasure_ledger == "/srv/erasures.jsonl"
    assert Settings.from_env(key).erasure_ledger == ""


def test_production_without_an_erasure_ledger_says_a_restore_would_bring_people_back(
        caplog: pytest.LogCaptureFixture) -> None:
    from skill.settings import Settings

    settings = {"SMALL_STEPS_SKILL_ID": stack.SKILL_ID, "SMALL_STEPS_IDENTITY_KEY": "k"}
    with caplog.at_level("WARNING", logger="skill.settings"):
        Settings.from_env(settings, host="127.0.0.1").check_production()
    assert "SMALL_STEPS_ERASURE_LEDGER is not set" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="skill.settings"):
        Settings.from_env({**settings, "SMALL_STEPS_ERASURE_LEDGER": "/srv/e.jsonl"},
                          host="127.0.0.1").check_production()
    assert caplog.text == ""
