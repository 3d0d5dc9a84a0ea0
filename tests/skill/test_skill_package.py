"""`interaction-models/` is an ASK CLI skill package that `ask deploy` takes unchanged:
`ask-resources.json` at the root points at it, it holds exactly the manifest and one
interaction model per locale, and the freshness check catches a hand edit or a stray file.
The interaction models' content is checked in test_interaction_models.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from domain.catalogue import starter
from skill.model import I, model_path
from skill.voice import build
from skill.voice.package import ASK_RESOURCES, CUSTOM_MODELS, MANIFEST, SKILL_PACKAGE

ROOT = Path(__file__).resolve().parents[2]
# Words an invocation name may not contain (Alexa's invocation name rules).
WAKE_WORDS = {"alexa", "amazon", "echo", "computer"}
LAUNCH_WORDS = {"ask", "tell", "open", "launch", "load", "begin", "enable", "start", "play",
                "resume", "run", "use"}
CONNECTING_WORDS = {"to", "from", "in", "using", "with", "about", "for", "that", "by", "if",
                    "and", "whether"}
NOT_IN_A_NAME = {"skill", "app"}
SSL_TYPES = {"Trusted", "Wildcard", "SelfSigned"}


def manifest() -> dict:
    return json.loads((SKILL_PACKAGE / MANIFEST).read_text("utf-8"))["manifest"]


def models() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text("utf-8"))
            for path in sorted((SKILL_PACKAGE / CUSTOM_MODELS).glob("*.json"))}


def test_ask_resources_points_the_ask_cli_at_the_skill_package() -> None:
    assert ASK_RESOURCES == ROOT / "ask-resources.json"
    assert SKILL_PACKAGE == ROOT / "interaction-models"
    resources = json.loads(ASK_RESOURCES.read_text("utf-8"))
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    profile = resources["profiles"]["default"]
    assert profile["skillMetadata"]["src"] == "./interaction-models"
    assert (ROOT / profile["skillMetadata"]["src"]).resolve() == SKILL_PACKAGE
    # The endpoint is our own HTTPS server: `ask deploy` uploads the skill package only.
    assert set(profile) == {"skillMetadata"}


def test_the_package_holds_exactly_the_manifest_and_one_model_per_locale() -> None:
    on_disk = {p.relative_to(SKILL_PACKAGE) for p in SKILL_PACKAGE.rglob("*") if p.is_file()}
    assert on_disk == {MANIFEST, *(CUSTOM_MODELS / f"{locale}.json" for locale in I.LOCALES)}
    assert build.strays() == []
    assert {model_path(locale) for locale in I.LOCALES} == {
        SKILL_PACKAGE / relative for relative in on_disk if relative != MANIFEST}


def test_the_manifest_locales_are_the_model_files() -> None:
    m = manifest()
    published = set(m["publishingInformation"]["locales"])
    assert published == set(models()) == set(m["privacyAndCompliance"]["locales"]) == set(I.LOCALES)
    for locale in published:
        assert re.fullmatch(r"[a-z]{2}-[A-Z]{2}", locale), locale


def test_the_manifest_has_what_the_ask_cli_requires() -> None:
    m = manifest()
    assert m["manifestVersion"] == "1.0"
    publishing = m["publishingInformation"]
    assert publishing["category"] and publishing["testingInstructions"]
    assert publishing["distributionCountries"] and publishing["isAvailableWorldwide"] is False
    for locale, info in publishing["locales"].items():
        assert {"name", "summary", "description", "examplePhrases", "keywords"} <= set(info), locale
        assert 2 <= len(info["name"]) <= 50 and 1 <= len(info["examplePhrases"]) <= 3
    endpoint = m["apis"]["custom"]["endpoint"]
    assert endpoint["uri"].startswith("https://") and endpoint["sslCertificateType"] in SSL_TYPES


@pytest.mark.parametrize("locale", I.LOCALES)
def test_the_invocation_name_follows_the_alexa_rules(locale: str) -> None:
    name = models()[locale]["interactionModel"]["languageModel"]["invocationName"]
    assert name == I.INVOCATION_NAME and 2 <= len(name) <= 50
    assert re.fullmatch(r"[a-z]+( [a-z]+)+", name), "two or more lower-case words, no digits"
    words = set(name.split())
    for forbidden in (WAKE_WORDS, LAUNCH_WORDS, CONNECTING_WORDS, NOT_IN_A_NAME):
        assert not words & forbidden, words & forbidden


@pytest.mark.parametrize("locale", I.LOCALES)
def test_the_activity_slot_is_the_catalogue(locale: str) -> None:
    """Ids, spoken names and synonyms of ActivityType all come from the catalogue entry."""
    [activity_type] = [t for t in models()[locale]["interactionModel"]["languageModel"]["types"]
                       if t["name"] == I.ACTIVITY_TYPE]
    values = {v["id"]: v["name"] for v in activity_type["values"]}
    assert list(values) == [a.key for a in starter()]
    for a in starter():
        heard = {values[a.key]["value"], *values[a.key].get("synonyms", [])}
        said = values[a.key]["value"]
        assert said in (a.spoken_name, a.spoken_name.replace("favourite", "favorite"))
        assert all(s in heard for s in dict(a.locale_synonyms).get(locale, ()))
    everywhere = {s for v in values.values() for s in v.get("synonyms", [])}
    assert ("called my mummy" in everywhere) == (locale == "en-IN")


def test_the_freshness_check_catches_a_hand_edit_and_a_stray_file(tmp_path: Path) -> None:
    package = tmp_path / "interaction-models"
    shutil.copytree(SKILL_PACKAGE, package)
    assert build.main(["--check"], package) == 0
    edited = package / CUSTOM_MODELS / "en-GB.json"
    edited.write_text(edited.read_text("utf-8").replace("make the bed", "make my bed"), "utf-8")
    (package / "README.md").write_text("not part of a skill package")
    assert build.main(["--check"], package) == 1
    assert build.main([], package) == 0  # rewrites the edit, removes the stray
    assert not (package / "README.md").exists()
    assert build.main(["--check"], package) == 0


def test_the_names_are_an_ordinary_module_of_the_installed_package() -> None:
    """No loading by file path: a built wheel has everything the handlers need."""
    import tomllib

    from setuptools import find_packages

    assert I.__name__ == "skill.voice.names"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = find_packages(str(ROOT), include=include)
    assert {"skill.voice", "skill.voice.intents"} <= set(packages)
