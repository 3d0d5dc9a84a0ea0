"""The production commands refuse a wrong setup in one line (exit 2), never a traceback."""

from __future__ import annotations

import subprocess

import pytest

from tests import stack


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


def test_production_never_makes_a_new_identity_key(tmp_path) -> None:
    env = {"SMALL_STEPS_IDENTITY_KEY": "", "SMALL_STEPS_IDENTITY_KEY_FILE": str(tmp_path / "k")}
    _refused(_run("serve", "--production", "--store", "postgresql://x@127.0.0.1/db", env=env),
             "no identity key")
    assert not (tmp_path / "k").exists()
