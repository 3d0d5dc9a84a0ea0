"""Reproducible installs: requirements.lock pins, with a hash, everything `make venv`
installs, and says so again whenever pyproject.toml asks for something new.

The checks read the lock, pyproject.toml and the distributions installed in the
interpreter running the tests (the project's .venv, built from the lock)."""

from __future__ import annotations

import re
import site
import tomllib
from importlib.metadata import distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
PROJECT = "small-steps"
# flask-ask-sdk needs ask-sdk-webservice-support for its verifier interface; that
# package's own verifier path is replaced by skill/edge/sdk_compat.py (README).
VERIFIER_PATH = "ask-sdk-webservice-support"


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes), one entry per requirement of the lock."""
    text = LOCK.read_text().replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        spec, *options = line.split()
        name, equals, version = spec.partition("==")
        assert equals and version, f"not pinned with ==: {line!r}"
        hashes = [o for o in options if re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", o)]
        assert hashes and len(hashes) == len(options), f"each option a sha256 hash: {line!r}"
        entries[canonicalize_name(name)] = (version, hashes)
    return entries


def _installed() -> dict[str, object]:
    """The distributions installed in this environment's site-packages. Not all of
    sys.path: importing setuptools (as a test before this one may) puts the copies it
    vendors on it, which are no installed distributions of ours."""
    return {canonicalize_name(d.metadata["Name"]): d
            for d in distributions(path=site.getsitepackages())}


def _pyproject_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    for extra in project["project"].get("optional-dependencies", {}).values():
        wanted += extra
    return [Requirement(r) for r in wanted]


def test_every_locked_distribution_is_pinned_with_a_hash() -> None:
    locked = _locked()
    assert len(locked) >= 40 and PROJECT not in locked


def test_the_lock_covers_every_installed_distribution_at_its_version() -> None:
    locked = _locked()
    installed = {name: d.version for name, d in _installed().items() if name != PROJECT}
    assert {n: v for n, v in installed.items() if locked.get(n, (None,))[0] != v} == {}, (
        "installed but not locked (run `make lock`, then `make clean venv`)")
    assert sorted(set(locked) - set(installed)) == [], "locked but not installed"


def test_what_pyproject_asks_for_is_locked_and_satisfied() -> None:
    """A dependency added to pyproject.toml without `make lock` fails here."""
    locked = _locked()
    for requirement in _pyproject_requirements():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(locked[name][0], prereleases=True), (
            f"{requirement}: the lock has {locked[name][0]}; run `make lock`")
        for extra in requirement.extras:  # e.g. eventsourcing[postgres]
            for needed in _requires(_installed()[name], extra):
                assert canonicalize_name(needed.name) in locked, (requirement, needed)


def _requires(dist: object, extra: str | None = None) -> list[Requirement]:
    """What `dist` requires here: its own requirements, or (`extra`) what that extra adds."""
    found = []
    for requirement in map(Requirement, dist.requires or []):
        marker = requirement.marker
        own = marker is None or marker.evaluate({"extra": ""})
        if (own if extra is None else not own and marker.evaluate({"extra": extra})):
            found.append(requirement)
    return found


def test_the_makefile_installs_the_lock_with_hashes_only() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(VENV\)/\.installed: .*\brequirements\.lock\b", makefile, re.M)
    assert "pip install --require-hashes -r requirements.lock" in makefile
    assert "pip install --no-deps --no-build-isolation -e ." in makefile


def test_every_pip_install_in_infra_installs_the_lock() -> None:
    """The server is installed as `make venv` installs: the lock with hashes, then the
    project alone."""
    commands = [line.strip() for path in sorted((ROOT / "infra").rglob("*"))
                if path.is_file() for line in path.read_text().splitlines()
                if re.search(r"\bpip install\b", line)]
    assert commands, "the runbook installs the server with pip"
    for command in commands:
        assert ("--require-hashes -r /opt/small-steps/requirements.lock" in command
                or "--no-deps" in command), command
    assert any("--require-hashes" in c for c in commands)


def test_the_readme_names_what_only_the_sdks_verifier_path_installs() -> None:
    """What is installed only because flask-ask-sdk needs ask-sdk-webservice-support,
    found in the installed dependency graph, is named in the README."""
    installed = _installed()

    def reachable(skip: str | None) -> set[str]:
        seen, todo = set(), [PROJECT]
        while todo:
            name = todo.pop()
            if name in seen or name == skip or name not in installed:
                continue
            seen.add(name)
            todo += [canonicalize_name(r.name) for r in _requires(installed[name])]
            if name == PROJECT:
                todo += [canonicalize_name(r.name) for r in _requires(installed[name], "test")]
        return seen

    only_there = reachable(None) - reachable(VERIFIER_PATH)
    assert {"certvalidator", "oscrypto", "asn1crypto"} <= only_there, only_there
    readme = (ROOT / "README.md").read_text()
    assert sorted(n for n in only_there if n not in readme) == []
