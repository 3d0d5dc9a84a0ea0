"""The documented install, for real: the project built as a wheel from a clean checkout
(what `pip install /opt/small-steps` builds), installed into a fresh virtualenv, then
run from a folder away from any source tree as the systemd units run it: `migrate`,
`serve --production` answering a signed request, and the console on SQLite.

The rest of the suite runs on an editable install, which reads every file from the
repository, so it cannot see a file that the wheel leaves out.

The locked dependencies are not downloaded again (the suite runs offline): the fresh
virtualenv is given the test virtualenv's site-packages after its own, by a `.pth`
file written once the wheel is in, and the test checks that Small Steps itself is
imported from the fresh virtualenv's own site-packages and nowhere else.
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


def _fresh_venv(wheel: Path, venv: Path) -> Path:
    """A new virtualenv holding the wheel, then the locked dependencies; its site-packages."""
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
          "--no-deps", "--no-index", wheel])
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "locked-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return site


def test_the_built_wheel_serves_a_signed_request_away_from_the_source(
        pg_schema_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = _checkout(tmp_path / "checkout")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--wheel-dir", tmp_path / "dist", checkout])
    (wheel,) = (tmp_path / "dist").glob("small_steps-*.whl")
    site = _fresh_venv(wheel, tmp_path / "venv")
    shutil.rmtree(checkout)  # what the server needs is in the wheel, or nowhere

    home = tmp_path / "var-lib-small-steps"  # the units' WorkingDirectory
    home.mkdir()
    monkeypatch.chdir(home)
    python, small_steps = (str(tmp_path / "venv" / "bin" / name)
                           for name in ("python", "small-steps"))
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
