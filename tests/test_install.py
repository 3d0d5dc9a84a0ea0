"""The documented install and upgrade, for real: the RUNBOOK's own line that installs
the project (`pip install … /opt/small-steps`), run on a clean copy of the repository
into a fresh virtualenv, then again after a new release as the upgrade runs it; then,
from a folder away from any source tree, as the systemd units run it: `migrate`,
`serve --production` answering a signed request, and the console on SQLite.

The rest of the suite runs on an editable install, which reads every file from the
repository, so it cannot see a file that the wheel leaves out, nor one it keeps.

The locked dependencies are not downloaded again (the suite runs offline): the fresh
virtualenv is given the test virtualenv's site-packages (the lock, with the build
backend) after its own, by a `.pth` file, and the test checks that Small Steps itself
is imported from the fresh virtualenv's own site-packages and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from skill.devtools import stack
from skill.devtools.envelopes import Device
from skill.speech import speech_for
from tests.replies import said

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]
RUNBOOK = ROOT / "infra" / "RUNBOOK.md"
WELCOME = speech_for("en-GB").text["intro"][0].split(".")[0]  # "Welcome to Small Steps"


def _run(args: list[str | Path], **options: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=300, **options)
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def _checkout(dest: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored) as a clone would have
    them: nothing built, cached or generated in the working tree reaches the wheel."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                  cwd=ROOT).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is not listed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _runbook_install(checkout: Path, venv: Path) -> None:
    """The RUNBOOK's line that installs the project, the same at install and upgrade,
    with its paths pointing at the copy and the fresh virtualenv."""
    lines = [line for line in RUNBOOK.read_text().splitlines()
             if "pip install --no-deps" in line]
    assert len(lines) == 2 and lines[0] == lines[1], lines  # First install, Upgrade
    pip = f"{sys.executable} -m pip --python {venv / 'bin' / 'python'}"
    command = lines[0].replace("/opt/small-steps/.venv/bin/pip", pip)
    _run(["bash", "-euc", command.replace("/opt/small-steps", str(checkout))])


def test_the_documented_install_and_upgrade_serve_away_from_the_source(
        pg_schema_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checkout, venv = _checkout(tmp_path / "checkout"), tmp_path / "venv"
    removed = checkout / "skill" / "removed_by_the_next_release.py"
    removed.write_text('"""A module of the installed release that the next one drops."""\n')
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "locked-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _runbook_install(checkout, venv)
    assert (site / "skill" / removed.name).exists()
    removed.unlink()  # the next release, pulled into the same checkout
    _runbook_install(checkout, venv)
    assert not (site / "skill" / removed.name).exists()  # not kept by a build left behind
    shutil.rmtree(checkout)  # what the server needs is in the package, or nowhere

    home = tmp_path / "var-lib-small-steps"  # the units' WorkingDirectory
    home.mkdir()
    monkeypatch.chdir(home)
    python, small_steps = (str(venv / "bin" / name) for name in ("python", "small-steps"))
    imported = _run([python, "-c", "import domain, skill; print(domain.__file__); "
                                   "print(skill.__file__)"]).stdout.split()
    assert [Path(p).resolve().parents[1] for p in imported] == [site.resolve()] * 2, imported

    env = stack.base_env(pg_schema_url)
    _run([small_steps, "migrate"], env=env)
    signer = stack.Signer(tmp_path / "alexa")
    with stack.production_server(pg_schema_url, tmp_path / "web.log", workers=1, threads=2,
                                 env=signer.env, command=[small_steps, "serve", "--production"],
                                 ) as base:
        client = stack.Client(base, signer)
        try:
            status, body = client.post(Device(application_id=stack.SKILL_ID,
                                              user_id="amzn1.ask.account.WHEEL",
                                              locale="en-GB").launch())
        finally:
            client.close()
    assert status == 200, (body, (tmp_path / "web.log").read_text()[-3000:])
    assert said(body).startswith(WELCOME), body

    console = _run([small_steps, "chat"], input="open small steps\n",
                   env=stack.base_env(f"sqlite:///{home}/chat.sqlite"))
    assert f"< {WELCOME}." in console.stdout, console
    assert "Traceback" not in console.stderr, console.stderr
