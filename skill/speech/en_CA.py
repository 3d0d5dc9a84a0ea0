"""Canadian English: British spelling, American date order (the rest is `en_GB`)."""

from __future__ import annotations

LOCALE = "en-CA"
DATE_FORMAT = "{weekday}, {month} {day}"
