"""The starter catalogue: data in catalogue.json, validated when it is loaded."""

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


class CatalogueError(ValueError):
    pass


def validate(entry: dict, where: str) -> Activity:
    required = {
        "key": str, "title": str, "kind": str, "area": str, "difficulty": int,
        "minutes": int, "smaller": str, "smaller_minutes": int, "synonyms": list,
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
    spoken = [s for a in activities for s in a.synonyms]
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
