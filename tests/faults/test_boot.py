"""Starting on a store that cannot be used: a wrong database name, port, host, role,
password or scheme in SMALL_STEPS_STORE, or a database not created yet.

The commands run as systemd runs them (skill/devtools/stack.py), against the PostgreSQL
at SMALL_STEPS_TEST_PG. A server serves anyway: 503 on /healthz, the spoken apology on
/alexa, the database's own words for why in its log, once, and the store is used as
soon as it can be, without a restart. No password reaches any output or log.
"""

from __future__ import annotations

import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest

from skill.devtools import stack
from skill.devtools.envelopes import Device
from skill.speech import speech_for
from tests.conftest import PG_URL
from tests.replies import said

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

APOLOGY = speech_for("en-GB").turn("error").text
SECRET = "Zq7-never-SHOWN-91"
PG = urlparse(PG_URL)


def _url(*, scheme: str = "postgresql://", user: str = "postgres", host: str | None = None,
         port: int | None = None, database: str | None = None) -> str:
    return (f"{scheme}{user}:{SECRET}@{host or PG.hostname}:{port or PG.port or 5432}/"
            f"{database or PG.path.strip('/')}")


# Each common mistake, and the words of the database (or of the command) saying what it is.
MISTAKES = {
    "scheme": (lambda: _url(scheme="postgres//"), "SMALL_STEPS_STORE must be"),
    "host": (lambda: _url(host="no-such-host.invalid"), "failed to resolve host"),
    "port": (lambda: _url(port=stack.free_port()), "Connection refused"),
    "database": (lambda: _url(database="no_such_small_steps_db"),
                 'database "no_such_small_steps_db" does not exist'),
    "role": (lambda: _url(user="no_such_small_steps_role"),
             'role "no_such_small_steps_role" does not exist'),
    # The shared test server trusts 127.0.0.1: a wrong password is tried on a server of
    # the test's own that asks for one (`guarded`).
    "password": (None, 'password authentication failed for user "postgres"'),
}
# Commands that exit, and commands that serve or follow (the unit files restart those).
ONCE = (["migrate"], ["rebuild-views"], ["set-aside", "list"], ["set-aside", "retry"],
        ["reapply-erasures"])
RUNNING = (["serve", "--production", "--workers", "1", "--threads", "2"], ["serve"],
           ["projector"])


def _until_up_or_exit(process: subprocess.Popen, argv: list[str], port: int,
                      log: Path) -> None:
    """Wait until the command answers (serve: /healthz; projector: it has said why it
    cannot follow) or exits by itself."""

    def settled() -> bool:
        if process.poll() is not None:
            return True
        if argv[0] == "projector":
            return "projector lost the store" in _text(log)
        return stack.get_json(f"http://127.0.0.1:{port}/healthz", timeout=1)[0] == 503

    stack.wait_until(settled, 60, f"small-steps {' '.join(argv)}", pause=0.2)


def _run(argv: list[str], store: str, log: Path) -> tuple[int | None, str]:
    """Run a command with `store`; a command still running once it answers is stopped
    (SIGTERM, as systemd stops it). Its exit status (None: it kept running) and output."""
    port = stack.free_port()
    if argv[0] == "serve":
        argv = [*argv, "--host", "127.0.0.1", "--port", str(port)]
    env = stack.base_env(store, {"SMALL_STEPS_ERASURE_LEDGER": str(log.with_suffix(".jsonl"))})
    with open(log, "wb") as out:
        process = subprocess.Popen([stack.SMALL_STEPS, *argv], stdout=out, stderr=out,
                                   env=env, start_new_session=True)
    try:
        _until_up_or_exit(process, argv, port, log)
        status = process.poll()
        if status is None:
            assert argv[0] == "projector" or stack.get_json(
                f"http://127.0.0.1:{port}/healthz")[1] == {"error": "store unavailable"}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    return status, _text(log)


def _text(log: Path) -> str:
    """The log as read by a person: JSON lines' quotes unescaped."""
    return log.read_text().replace('\\"', '"')


@pytest.fixture(scope="module")
def guarded() -> Iterator[stack.PrivateCluster]:
    """A PostgreSQL server that asks for its password (which is not SECRET)."""
    pg = stack.PrivateCluster(password="the-right-one")
    pg.start()
    try:
        yield pg
    finally:
        pg.close()


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistaken_store_url_never_shows_its_password(mistake: str, tmp_path: Path,
                                                       request: pytest.FixtureRequest) -> None:
    """Each command with each mistake: one clean line and exit 2, or (a server, the
    projector) running on and saying why; the password in no output and no log."""
    make, why = MISTAKES[mistake]
    if make is None:
        pg = request.getfixturevalue("guarded")
        store = _url(host="127.0.0.1", port=pg.port, database="postgres")
    else:
        store = make()
    for argv in (*ONCE, *RUNNING):
        status, output = _run(argv, store, tmp_path / f"{argv[0]}.log")
        what = f"{mistake}: small-steps {' '.join(argv)} (exit {status}):\n{output}"
        assert SECRET not in output, what
        assert "Traceback" not in output, what
        assert why in output, what
        if mistake == "scheme" or argv in ONCE:
            assert status == 2, what
            assert len(output.strip().splitlines()) == 1, what
        else:
            assert status is None, what  # it serves, or follows, until the store is right


# -- a server started before its store can be used ---------------------------------------


@pytest.fixture
def missing_database() -> Iterator[str]:
    """The name of a database that does not exist yet; dropped afterwards."""
    name = f"small_steps_boot_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ask(base: str, signer: stack.Signer) -> tuple[int, str]:
    device = Device(application_id=stack.SKILL_ID, user_id="amzn1.ask.account.BOOT",
                    locale="en-GB")
    status, body = stack.Client(base, signer).post(device.launch())
    return status, said(body) if status == 200 else str(body)


def _lines(log: Path, words: str) -> int:
    return sum(words in line for line in _text(log).splitlines())


@pytest.mark.parametrize("mistake", ["database", "port"])
def test_the_server_serves_unavailable_until_its_store_can_be_used(
        mistake: str, missing_database: str, tmp_path: Path) -> None:
    workers = 2
    if mistake == "database":
        store, why = _url(database=missing_database), f'database "{missing_database}" does not exist'
    else:
        store, why = _url(port=stack.free_port()), "Connection refused"
    signer, log = stack.Signer(tmp_path / "trust"), tmp_path / "web.log"
    with stack.production_server(store, log, workers=workers, threads=2,
                                 env=signer.env) as base:
        for _ in range(6):
            assert stack.get_json(base + "/healthz") == (503, {"error": "store unavailable"})
            # Alexa speaks only what comes with a 200: the apology, as valid SSML.
            assert _ask(base, signer) == (200, APOLOGY)
        # Why, in the database's words: once by the command, once by each worker (each
        # opens its own store), never once per request.
        assert 1 <= _lines(log, why) <= 1 + workers, _text(log)
        assert SECRET not in _text(log) and "Traceback" not in _text(log)
        if mistake == "port":
            return

        # The operator creates the database and migrates: no restart.
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{missing_database}"')
        stack.migrate(store)

        def served() -> bool:
            return all(stack.get_json(base + "/healthz")[0] == 200 for _ in range(2 * workers))

        stack.wait_until(served, 30, "the server to use the new database", pause=0.3)
        status, words = _ask(base, signer)
        assert status == 200 and words.startswith("Welcome to Small Steps"), words
        assert _lines(log, "Booting worker") == workers, "a worker was restarted"
        assert _lines(log, "the store can be used now") >= 1
        assert _lines(log, why) <= 1 + workers
        assert SECRET not in _text(log) and "Traceback" not in _text(log)
