"""The interaction model's names (intents, slots, locales), from its single source.

`I` is `skill.voice.names`, an ordinary module of the installed package: handlers import
names from here, so a renamed intent breaks loudly. `model_path(locale)` is where the
generated model of a locale lies in the skill package (`interaction-models/`)."""

from __future__ import annotations

from pathlib import Path

from skill.voice import names as I  # noqa: N812 (the short name the handlers read)
from skill.voice.package import SKILL_PACKAGE, model_file

__all__ = ["I", "model_path"]


def model_path(locale: str) -> Path:
    return SKILL_PACKAGE / model_file(locale)
