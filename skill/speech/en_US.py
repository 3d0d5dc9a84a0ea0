"""American English: the British master with American spelling and date order.

A locale module declares only what differs from `en_GB`; `Speech` takes the rest from it.
`SPELLING` also respells the catalogue's spoken names ("your favorite song")."""

from __future__ import annotations

LOCALE = "en-US"
DATE_FORMAT = "{weekday}, {month} {day}"
SPELLING = {"favourite": "favorite", "Favourite": "Favorite", "colour": "color"}
