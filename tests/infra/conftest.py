"""Fixtures for the deployment files in infra/: provisioned databases with roles of
their own (unique names, dropped afterwards), and the scripts run as an operator would.

The scripts reach the server named by SMALL_STEPS_TEST_PG as its user (a superuser),
through the usual PG* variables.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import psycopg
import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
SMALL_STEPS = str(Path(sys.executable).parent / "small-steps")
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def script_env(**extra: str) -> dict[str, str]:
    """The environment an operator's shell would have: PG* naming the test server."""
    url = urlparse(PG_URL)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PG", "SS_", "SMALL_STEPS_"))}
    env.update(PGHOST=url.hostname or "127.0.0.1", PGPORT=str(url.port or 5432),
               PGUSER=unquote(url.username or "postgres"),
               PGDATABASE=unquote(url.path.strip("/") or "postgres"))
    if url.password:
        env["PGPASSWORD"] = unquote(url.password)
    if shutil.which("psql") is None and PG_BIN.is_dir():
        env["PATH"] = f"{PG_BIN}:{env.get('PATH', '')}"
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], *, check: bool = True,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}\nstdout:\n{done.stdout}\n"
                             f"stderr:\n{done.stderr}")
    return done


def superuser(dbname: str | None = None) -> psycopg.Connection:
    url = urlparse(PG_URL)
    return psycopg.connect(host=url.hostname, port=url.port or 5432,
                           user=unquote(url.username or "postgres"),
                           password=unquote(url.password) if url.password else None,
                           dbname=dbname or unquote(url.path.strip("/")), autocommit=True,
                           connect_timeout=5)


@dataclass
class Provisioned:
    """One provisioned database: names, the URLs provision.sh printed, and helpers."""

    db: str
    owner: str
    app: str
    schema: str
    owner_url: str = ""
    app_url: str = ""
    extra_dbs: list[str] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        names = {"SS_DB": self.db, "SS_OWNER": self.owner, "SS_APP": self.app,
                 "SS_SCHEMA": self.schema}
        return script_env(**{**names, **extra})

    def provision(self, **extra: str) -> subprocess.CompletedProcess[str]:
        return run([str(INFRA / "postgres" / "provision.sh")], self.env(**extra))

    def migrate(self) -> None:
        run([SMALL_STEPS, "migrate", "--store", self.owner_url], script_env())

    def url_for(self, db: str, role: str = "app") -> str:
        """The same role's URL on another database of the same server."""
        url = self.app_url if role == "app" else self.owner_url
        return url.replace(f"/{self.db}?", f"/{db}?")


STORE_LINE = re.compile(r"SMALL_STEPS_STORE=(postgresql://(\w+):\S+)")


@pytest.fixture
def provisioned(pg_available: None) -> Iterator[Provisioned]:
    """provision.sh run once with unique names and generated passwords (the URLs are
    read from what it printed); everything it made is dropped afterwards."""
    name = f"ssi_{uuid.uuid4().hex[:10]}"
    p = Provisioned(db=name, owner=f"{name}_owner", app=f"{name}_app", schema="ss_data")
    try:
        out = p.provision().stdout
        urls = {m.group(2): m.group(1) for m in STORE_LINE.finditer(out)}
        assert set(urls) == {p.owner, p.app}, out
        p.owner_url, p.app_url = urls[p.owner], urls[p.app]
        yield p
    finally:
        with superuser() as conn:
            for db in [*p.extra_dbs, p.db]:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            for role in (p.app, p.owner):
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
