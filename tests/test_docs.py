"""The docs stay true to the tree: the README's picture of the house names every
folder there is, and every repository path the docs name exists."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "infra" / "RUNBOOK.md"]


def tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:  # not a git checkout (an unpacked archive): read the tree
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
                and ".venv" not in p.parts and "node_modules" not in p.parts]
    return out.stdout.split()


def house() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The house", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```\n(.*?)```", section, re.S))


def test_the_picture_of_the_house_names_every_folder() -> None:
    picture = house()
    every = {str(p) for f in tracked() for p in Path(f).parents if str(p) != "."}
    # Every top-level folder, and every folder of the code's two packages.
    wanted = {f for f in every if "/" not in f or (
        f.startswith(("skill/", "domain/")) and f.count("/") == 1)}
    named = {f.rstrip("/") for f in re.findall(r"^\s*([\w.\-]+/)", picture, re.M)}
    missing = sorted(f for f in wanted if f.split("/")[-1] not in named)
    assert missing == [], f"the README's house does not show {missing}"
    names = {f.split("/")[-1] for f in every}
    shown = sorted(n for n in named if n not in names)
    assert shown == [], f"the README's house shows folders that are not there: {shown}"


def test_every_path_the_docs_name_exists() -> None:
    files = set(tracked())
    folders = {str(Path(f).parent) for f in files} | {
        str(p) for f in files for p in Path(f).parents}
    missing = []
    for doc in DOCS:
        for path in re.findall(r"`((?:skill|domain|tests|bench|infra|scripts|docs|"
                               r"interaction-models)/[\w./<>\-]*)`", doc.read_text()):
            if "<" in path or "*" in path:
                continue
            path = path.rstrip("/")
            if path not in files and path not in folders:
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
    assert missing == []
