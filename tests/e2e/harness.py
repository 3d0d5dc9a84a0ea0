"""End-to-end harness: a real skill server over HTTP, driven by virtual-alexa.

- ``ensure_node_deps()`` runs scripts/ensure-node-deps.sh (Node, npm and
  tests/e2e/node_modules); a failure raises, it never skips.
- ``drive(url, locale, steps, model=None)`` sends a conversation through
  tests/e2e/drive.js and returns its transcript (see the comment at the top of
  drive.js for the step format, the record format and virtual-alexa's limits).
- ``SkillServer`` starts ``small-steps serve`` on a free port with a fresh SQLite
  store; the ``skill_server`` fixture in conftest.py wraps it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from skill.devtools.stack import free_port

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
DRIVE_JS = E2E_DIR / "drive.js"
ENSURE_SCRIPT = REPO_ROOT / "scripts" / "ensure-node-deps.sh"
MODELS_DIR = REPO_ROOT / "interaction-models" / "interactionModels" / "custom"

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000e2e"
IDENTITY_KEY = "e2e-key"
USER_ID = "amzn1.ask.account.E2E-TEST-USER"

DRIVE_TIMEOUT_S = 120
HEALTH_TIMEOUT_S = 30
STOP_GRACE_S = 10


class HarnessError(RuntimeError):
    """The end-to-end machinery itself failed (not the skill's behaviour)."""


_node_deps_ready = False


def ensure_node_deps() -> None:
    """Install Node/npm if missing and the npm packages of tests/e2e; once per process."""
    global _node_deps_ready
    if _node_deps_ready:
        return
    proc = subprocess.run(
        ["bash", str(ENSURE_SCRIPT)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise HarnessError(
            f"{ENSURE_SCRIPT.relative_to(REPO_ROOT)} failed with exit code {proc.returncode}\n"
            f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"
        )
    sys.stderr.write(proc.stdout)
    _node_deps_ready = True


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"


def _alexa_url(url: str) -> str:
    # A bare base URL (as the skill_server fixture yields) means its /alexa endpoint.
    return url.rstrip("/") + "/alexa" if urlsplit(url).path in ("", "/") else url


def drive(
    url: str,
    locale: str,
    steps: list[dict],
    model: str | Path | None = None,
    *,
    application_id: str = SKILL_ID,
    user_id: str = USER_ID,
    timeout: float = DRIVE_TIMEOUT_S,
    **options,
) -> list[dict]:
    """Run one conversation (one device, one user) and return drive.js's transcript.

    ``url`` is the skill endpoint, or the server's base URL (then /alexa is added).
    ``model`` defaults to interaction-models/interactionModels/custom/<locale>.json. Extra keyword
    options go into drive.js's input as they are (e.g. ``fixups=False``,
    ``unmatched="error"``, ``raw=True``, ``deviceId="..."``).
    """
    ensure_node_deps()
    node = shutil.which("node")
    if node is None:
        raise HarnessError("node is not on PATH after ensure-node-deps.sh")
    payload = {
        "url": _alexa_url(url),
        "model": str(
            Path(model).resolve() if model is not None else model_path(locale)
        ),
        "locale": locale,
        "applicationId": application_id,
        "userId": user_id,
        "steps": steps,
        **options,
    }
    try:
        proc = subprocess.run(
            [node, str(DRIVE_JS)],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        raise HarnessError(
            f"drive.js took longer than {timeout} s\n--- stderr\n{stderr}"
        ) from e
    if proc.returncode != 0:
        raise HarnessError(
            f"drive.js exited with code {proc.returncode}\n--- stderr\n{proc.stderr}"
        )
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise HarnessError(
            f"drive.js printed no JSON ({e})\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        ) from e


def server_executable() -> Path:
    """The project's ``small-steps`` console script: .venv first, then beside this Python."""
    for candidate in (
        REPO_ROOT / ".venv" / "bin" / "small-steps",
        Path(sys.executable).parent / "small-steps",
    ):
        if candidate.exists():
            return candidate
    found = shutil.which("small-steps")
    if found:
        return Path(found)
    raise HarnessError(
        "no small-steps executable: looked in .venv/bin, beside "
        f"{sys.executable} and on PATH (run `make venv`)"
    )


class SkillServer:
    """``small-steps serve`` as a subprocess on 127.0.0.1, with logs in ``workdir``."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.store = f"sqlite:///{self.workdir / 'e2e.sqlite'}"
        self.stdout_path = self.workdir / "server.stdout.log"
        self.stderr_path = self.workdir / "server.stderr.log"
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SMALL_STEPS_STORE": self.store,
            "SMALL_STEPS_VERIFY_REQUESTS": "false",
            "SMALL_STEPS_IDENTITY_KEY": IDENTITY_KEY,
            "SMALL_STEPS_SKILL_ID": SKILL_ID,
            "PYTHONUNBUFFERED": "1",
        }

    def command(self) -> list[str]:
        return [
            str(server_executable()),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def start(self, health_timeout: float = HEALTH_TIMEOUT_S) -> str:
        self.workdir.mkdir(parents=True, exist_ok=True)
        cmd = self.command()
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            # A session of its own, so that stop() reaches any worker it forks.
            self.proc = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        deadline = time.monotonic() + health_timeout
        last_problem = "no answer yet"
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise HarnessError(
                    f"skill server exited with code {code} before /healthz answered\n"
                    f"command: {' '.join(cmd)}\n{self.logs()}"
                )
            try:
                with urllib.request.urlopen(
                    f"{self.base_url}/healthz", timeout=2
                ) as resp:
                    if resp.status == 200:
                        return self.base_url
                    last_problem = f"HTTP {resp.status}"
            except urllib.error.HTTPError as e:
                last_problem = f"HTTP {e.code}"
            except (urllib.error.URLError, OSError) as e:
                last_problem = str(e)
            time.sleep(0.2)
        self.stop()
        raise HarnessError(
            f"skill server did not answer 200 on /healthz within {health_timeout} s "
            f"(last: {last_problem})\ncommand: {' '.join(cmd)}\n{self.logs()}"
        )

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after a grace period; returns the exit code."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                proc.wait(timeout=STOP_GRACE_S)
        return proc.returncode

    def _signal(self, sig: int) -> None:
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, sig)  # the group we created at start()
        except ProcessLookupError:
            pass

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def logs(self) -> str:
        parts = []
        for label, path in (("stderr", self.stderr_path), ("stdout", self.stdout_path)):
            try:
                text = path.read_text(errors="replace")
            except FileNotFoundError:
                text = ""
            parts.append(f"--- skill server {label}\n{text}")
        return "\n".join(parts)
