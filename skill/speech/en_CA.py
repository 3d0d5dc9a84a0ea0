"""Canadian English: British spelling, American date order."""

from __future__ import annotations

from skill.speech import en_GB

LOCALE = "en-CA"
LONG_TURNS = en_GB.LONG_TURNS
FRAGMENTS, FRAGMENT_PREFIXES = en_GB.FRAGMENTS, en_GB.FRAGMENT_PREFIXES
TEXT = dict(en_GB.TEXT)
DONE, DONE_OTHER, DONE_SMALLER = en_GB.DONE, en_GB.DONE_OTHER, en_GB.DONE_SMALLER
SHORT = en_GB.SHORT
WORDS = dict(en_GB.WORDS)
DATE_FORMAT = "{weekday}, {month} {day}"
SPELLING: dict[str, str] = {}
