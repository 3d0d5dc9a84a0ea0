"""American English: the British master with American spelling and date order.

A locale module declares only what differs from `en_GB`; `Speech` takes the rest from it."""

from __future__ import annotations

from skill.speech import en_GB

LOCALE = "en-US"
DONE = {**en_GB.DONE, "favourite-song": "You played your favorite song"}
SHORT = {**en_GB.SHORT, "favourite-song": "your favorite song"}
DATE_FORMAT = "{weekday}, {month} {day}"
SPELLING = {"favourite": "favorite", "Favourite": "Favorite", "colour": "color"}
