"""Indian English: the British master as it is (`en_GB`)."""

from __future__ import annotations

LOCALE = "en-IN"
