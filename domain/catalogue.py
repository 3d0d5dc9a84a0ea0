"""The starter catalogue: data in catalogue.json, validated when it is loaded.

One entry is the one place for an activity: what it is (title, kind, area, difficulty,
minutes, its smaller version) and how it is spoken of (the name people say for it, the
"did it" sentence, the short name in lists, the forms a sentence needs for the step
and its smaller version, and the synonyms people say, with any a
single locale adds). The skill's speech and the interaction models read them from here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from domain.vocabulary import (
    KINDS,
    LIFE_AREAS,
    MAX_DIFFICULTY,
    MAX_TITLE_CHARS,
    MIN_DIFFICULTY,
)


@dataclass(frozen=True)
class Activity:
    """Something a person can do: from the starter catalogue or their own."""

    key: str
    title: str
    kind: str
    area: str
    difficulty: int
    minutes: int
    smaller: str
    smaller_minutes: int
    value_id: str | None = None
    synonyms: tuple[str, ...] = field(default=(), compare=False)
    own: bool = False
    # How the voice speaks of a catalogue activity (a person's own ones have none):
    spoken_name: str = field(default="", compare=False)  # "make the bed": heard as its name
    done_sentence: str = field(default="", compare=False)  # "You made your bed"
    short_name: str = field(default="", compare=False)  # "making your bed", in lists
    # Inside a sentence ("Shall we start with making your bed?"), the step and its
    # smaller version ("pulling the covers up straight"), not read as commands:
    step_said: str = field(default="", compare=False)
    smaller_said: str = field(default="", compare=False)
    # Synonyms only some locales say: (("en-IN", ("called my mummy",)),).
    locale_synonyms: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), compare=False)

    def heard(self, locale: str) -> tuple[str, ...]:
        """Every synonym people in this locale say for it."""
        return self.synonyms + dict(self.locale_synonyms).get(locale, ())


class CatalogueError(ValueError):
    pass


def validate(entry: dict, where: str) -> Activity:
    required = {
        "key": str, "title": str, "kind": str, "area": str, "difficulty": int,
        "minutes": int, "smaller": str, "smaller_minutes": int, "spoken_name": str,
        "done_sentence": str, "short_name": str, "synonyms": list,
    }
    for name, kind in required.items():
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) or value in ("", []):
            raise CatalogueError(f"{where}: field {name!r} must be a non-empty {kind.__name__}")
    if entry["kind"] not in KINDS:
        raise CatalogueError(f"{where}: kind {entry['kind']!r} is not one of {KINDS}")
    if entry["area"] not in LIFE_AREAS:
        raise CatalogueError(f"{where}: area {entry['area']!r} is not one of {LIFE_AREAS}")
    if not MIN_DIFFICULTY <= entry["difficulty"] <= MAX_DIFFICULTY:
        raise CatalogueError(f"{where}: difficulty must be {MIN_DIFFICULTY}–{MAX_DIFFICULTY}")
    if not 1 <= entry["smaller_minutes"] < entry["minutes"] <= 240:
        raise CatalogueError(f"{where}: need 1 <= smaller_minutes < minutes <= 240")
    if len(entry["title"]) > MAX_TITLE_CHARS:
        raise CatalogueError(f"{where}: title longer than {MAX_TITLE_CHARS} characters")
    by_locale = entry.get("locale_synonyms", {})
    if not isinstance(by_locale, dict) or not all(isinstance(w, list) for w in by_locale.values()):
        raise CatalogueError(f"{where}: locale_synonyms must map a locale to a list")
    forms = entry.get("in_a_sentence")
    if not isinstance(forms, dict) or not all(
            isinstance(forms.get(k), str) and forms[k] for k in ("step", "smaller")):
        raise CatalogueError(f"{where}: in_a_sentence needs a non-empty step and smaller")
    said = [*entry["synonyms"], *(s for words in by_locale.values() for s in words)]
    if not all(isinstance(s, str) and s for s in said):
        raise CatalogueError(f"{where}: synonyms must be non-empty strings")
    return Activity(
        key=entry["key"],
        title=entry["title"],
        kind=entry["kind"],
        area=entry["area"],
        difficulty=entry["difficulty"],
        minutes=entry["minutes"],
        smaller=entry["smaller"],
        smaller_minutes=entry["smaller_minutes"],
        synonyms=tuple(entry["synonyms"]),
        spoken_name=entry["spoken_name"],
        done_sentence=entry["done_sentence"],
        short_name=entry["short_name"],
        step_said=forms["step"],
        smaller_said=forms["smaller"],
        locale_synonyms=tuple((locale, tuple(words)) for locale, words in by_locale.items()),
    )


def parse(document: dict) -> tuple[Activity, ...]:
    if document.get("version") != 1:
        raise CatalogueError("catalogue: unsupported version")
    entries = document.get("activities")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError("catalogue: no activities")
    activities = tuple(validate(e, f"activity #{i + 1}") for i, e in enumerate(entries))
    keys = [a.key for a in activities]
    if len(set(keys)) != len(keys):
        raise CatalogueError("catalogue: duplicate keys")
    spoken = [s for a in activities
              for s in {a.spoken_name, *a.synonyms, *(s for _, w in a.locale_synonyms for s in w)}]
    if len(set(spoken)) != len(spoken):
        raise CatalogueError("catalogue: a synonym names two activities")
    return activities


@lru_cache(maxsize=1)
def starter() -> tuple[Activity, ...]:
    """The starter catalogue, in the order of the source material."""
    text = resources.files("domain").joinpath("catalogue.json").read_text("utf-8")
    return parse(json.loads(text))


def by_key() -> dict[str, Activity]:
    return {a.key: a for a in starter()}
