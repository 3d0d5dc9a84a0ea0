"""The interaction model's names (intents, slots, locales), from its single source.

`interaction-models/intents.py` is plain data; its folder name has a hyphen, so it is
loaded by path. Handlers import names from here, so a renamed intent breaks loudly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction-models"
_NAME = "small_steps_interaction_intents"


def _load():  # noqa: ANN202
    if _NAME in sys.modules:
        return sys.modules[_NAME]
    spec = importlib.util.spec_from_file_location(_NAME, MODELS_DIR / "intents.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[_NAME] = module
    spec.loader.exec_module(module)
    return module


I = _load()


def model_path(locale: str) -> Path:
    return MODELS_DIR / "custom" / f"{locale}.json"
