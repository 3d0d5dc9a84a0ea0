"""Write the skill package (`interaction-models/`) from the source, or check it is fresh.

    python -m skill.voice.build           # write every file that differs
    python -m skill.voice.build --check   # write nothing; exit 1 if a file is stale

Writes `skill.json` and `interactionModels/custom/<locale>.json` for every locale, in the
formats the ASK CLI and the developer console accept, and removes any other file from the
package (the ASK CLI would upload it). Never edit the JSON by hand: change the source in
`skill.voice` (or the catalogue, `domain/catalogue.json`) and run this."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from skill.voice.manifest import skill_manifest
from skill.voice.names import LOCALES
from skill.voice.package import MANIFEST, SKILL_PACKAGE, model_file
from skill.voice.render import interaction_model


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    """Every file of the skill package (relative to it) and its exact text."""
    files = {MANIFEST: dumps(skill_manifest())}
    for locale in LOCALES:
        files[model_file(locale)] = dumps(interaction_model(locale))
    return files


def strays(package: Path = SKILL_PACKAGE) -> list[Path]:
    """Files in the package that the source does not generate."""
    expected = set(outputs())
    return sorted(p.relative_to(package) for p in package.rglob("*")
                  if p.is_file() and p.relative_to(package) not in expected)


def main(argv: list[str], package: Path = SKILL_PACKAGE) -> int:
    check = "--check" in argv
    stale = []
    for relative, text in outputs().items():
        path = package / relative
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    extra = strays(package)
    if not check:
        for relative in extra:
            (package / relative).unlink()
    for relative in stale:
        print(f"{'stale' if check else 'wrote'}: {package.name}/{relative}")
    for relative in extra:
        print(f"{'not generated' if check else 'removed'}: {package.name}/{relative}")
    return 1 if check and (stale or extra) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
