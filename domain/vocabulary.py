"""The fixed words of Behavioral Activation that the domain speaks in.

Every value here is a stable key stored inside events: never rename one without an
upcast. Spoken forms live in the voice layer, not here.
"""

from __future__ import annotations

from datetime import time

KINDS = ("routine", "pleasure", "mastery", "social")

# Life areas of the BATD-R protocol.
LIFE_AREAS = (
    "relationships",
    "education_career",
    "recreation_interests",
    "mind_body_spirituality",
    "daily_responsibilities",
)

PARTS_OF_DAY = ("morning", "afternoon", "evening")
ANYTIME = "anytime"  # a step with neither a part of the day nor a time

BARRIERS = ("tired", "no_time", "forgot", "anxious", "weather", "other")

MOOD_MOMENTS = ("standalone", "before", "after")

MIN_SCALE, MAX_SCALE = 0, 10  # mood, mastery and enjoyment
MIN_DIFFICULTY, MAX_DIFFICULTY = 1, 5

# "Two or three manageable activities a day at most."
DAILY_CAP = 3

# Free text is limited to short activity names and barriers.
MAX_TITLE_CHARS = 80
MAX_NOTE_CHARS = 120


def part_of_day_for(at: time) -> str:
    """The part of the day a clock time falls in."""
    if at.hour < 12:
        return "morning"
    if at.hour < 17:
        return "afternoon"
    return "evening"


def slot_of(part_of_day: str, at_time: time | None) -> str:
    """morning / afternoon / evening (or anytime): from the time when one was given."""
    return part_of_day_for(at_time) if at_time is not None else part_of_day
