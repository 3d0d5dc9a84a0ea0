"""American English: the British master with American spelling and date order."""

from __future__ import annotations

from skill.speech import en_GB

LOCALE = "en-US"
LONG_TURNS = en_GB.LONG_TURNS
FRAGMENTS, FRAGMENT_PREFIXES = en_GB.FRAGMENTS, en_GB.FRAGMENT_PREFIXES
TEXT = dict(en_GB.TEXT)
DONE = {**en_GB.DONE, "favourite-song": "You played your favorite song"}
DONE_OTHER, DONE_SMALLER = en_GB.DONE_OTHER, en_GB.DONE_SMALLER
SHORT = {**en_GB.SHORT, "favourite-song": "your favorite song"}
WORDS = dict(en_GB.WORDS)
DATE_FORMAT = "{weekday}, {month} {day}"
SPELLING = {"favourite": "favorite", "Favourite": "Favorite", "colour": "color"}
