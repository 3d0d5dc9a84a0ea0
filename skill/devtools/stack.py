"""The production shape, run for real on loopback: for the fault tests and bench/load.py.

`production_server` starts `small-steps serve --production` (gunicorn workers) on a
PostgreSQL store set up by `small-steps migrate`; `projector` starts `small-steps
projector`. Both are separate processes, exactly as systemd runs them. `Signer` makes
the server verify every request as Alexa's would be verified: a certificate chain made
here (skill/devtools/certs.py) is put in the verifier's cache and its root is the only
trusted one, and every body is signed with the chain's key.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skill.devtools import certs
from skill.settings import (
    ENV_CERT_CACHE_DIR,
    ENV_IDENTITY_KEY,
    ENV_SKILL_ID,
    ENV_STORE,
    ENV_TRUST_ROOTS,
    ENV_VERIFY,
)

BIN = Path(sys.executable).parent
SMALL_STEPS = str(BIN / "small-steps")
SKILL_ID = certs.SKILL_ID


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate(store: str) -> None:
    subprocess.run([SMALL_STEPS, "migrate", "--store", store], check=True,
                   capture_output=True, timeout=60)


class Signer:
    """Verification on, against a trust root made for the run."""

    def __init__(self, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.chain = certs.chain()
        certs.write_cert_cache(workdir / "certs", signing=self.chain)
        self.env = {
            ENV_VERIFY: "true",
            ENV_TRUST_ROOTS: str(certs.write_trust_roots(workdir / "roots.pem")),
            ENV_CERT_CACHE_DIR: str(workdir / "certs"),
        }

    def headers(self, body: bytes) -> dict[str, str]:
        return certs.headers(body, self.chain)


class Client:
    """Keep-alive HTTP to one server; one per thread."""

    def __init__(self, base_url: str, signer: Signer | None = None, timeout: float = 10.0):
        host, port = base_url.removeprefix("http://").split(":")
        self.host, self.port, self.timeout = host, int(port), timeout
        self.signer = signer
        self.conn: http.client.HTTPConnection | None = None

    def post(self, envelope: dict[str, Any] | bytes, path: str = "/alexa",
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        body = envelope if isinstance(envelope, bytes) else json.dumps(envelope).encode()
        sent = {"Content-Type": "application/json"}
        if self.signer is not None:
            sent.update(self.signer.headers(body))
        sent.update(headers or {})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("POST", path, body=body, headers=sent)
                response = self.conn.getresponse()
                raw = response.read()
            except (ConnectionError, http.client.RemoteDisconnected, BrokenPipeError):
                self.close()  # a keep-alive connection the server closed: once more
                if attempt == 2:
                    raise
                continue
            try:
                return response.status, json.loads(raw)
            except ValueError:
                return response.status, {"raw": raw.decode("utf-8", "replace")}
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def get_json(url: str, timeout: float = 3.0) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_until(check: Any, timeout: float, what: str, pause: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(pause)


def _stop(process: subprocess.Popen, timeout: float = 15.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def base_env(store: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMALL_STEPS_")}
    env.update({
        ENV_STORE: store,
        ENV_SKILL_ID: SKILL_ID,
        ENV_IDENTITY_KEY: "stack-identity-key",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


@contextmanager
def production_server(store: str, log_path: Path, *, workers: int = 2, threads: int = 4,
                      env: dict[str, str] | None = None,
                      command: list[str] | None = None) -> Iterator[str]:
    """`small-steps serve --production` on a free loopback port; yields its base URL
    once it answers and (for Small Steps itself) every worker has its app ready, so
    that what a test does next meets the whole server, not one still booting.
    Production always verifies requests: pass a `Signer`'s env and sign with it."""
    port = free_port()
    argv = command or [SMALL_STEPS, "serve", "--production"]
    argv = [*argv, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--threads", str(threads)]
    start = log_path.stat().st_size if log_path.exists() else 0
    with open(log_path, "ab") as log:
        process = subprocess.Popen(argv, env=base_env(store, env), stdout=log, stderr=log,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def ready_workers() -> int:
            with open(log_path, "rb") as log:
                log.seek(start)
                return log.read().count(b"Small Steps ready")

        def up() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode}); see {log_path}")
            if command is None and ready_workers() < workers:
                return False
            return get_json(base + "/healthz", timeout=1)[0] in (200, 503)

        wait_until(up, 60, "the production server")
        yield base
    finally:
        _stop(process)


@contextmanager
def projector(store: str, log_path: Path, env: dict[str, str] | None = None,
              ) -> Iterator[subprocess.Popen]:
    with open(log_path, "ab") as log:
        process = subprocess.Popen([SMALL_STEPS, "projector", "--store", store],
                                   env=base_env(store, env), stdout=log, stderr=log,
                                   start_new_session=True)
    try:
        yield process
    finally:
        _stop(process)


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (scripts/ensure-postgres.sh)")
    return found[-1].parent


class PrivateCluster:
    """A PostgreSQL server of the test's own, so it can be stopped and started while
    the shared one keeps serving everything else. Runs as the postgres user when the
    tests run as root (PostgreSQL refuses to run as root). With a `password`, it asks
    for it (scram-sha-256), as a production server does; else it trusts loopback."""

    def __init__(self, password: str | None = None) -> None:
        import pwd
        import tempfile

        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="small-steps-pg-", dir="/tmp"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        auth = ["--auth=trust"]
        if password is not None:
            (self.dir / "pw").write_text(password)
            if self.as_user:
                os.chown(self.dir / "pw", owner.pw_uid, owner.pw_gid)
            auth = ["--auth=scram-sha-256", f"--pwfile={self.dir / 'pw'}"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", *auth,
                  "--no-sync", "-E", "UTF8")
        credentials = f"postgres:{password}" if password is not None else "postgres"
        self.url = f"postgresql://{credentials}@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       capture_output=True, timeout=60)

    def start(self) -> None:
        # fsync and synchronous_commit on, as in production: a commit the server
        # acknowledged is on disk, so a test can hold the store to what it acknowledged.
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=on -c synchronous_commit=on -c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.dir / "server.log"), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def close(self) -> None:
        import shutil

        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
