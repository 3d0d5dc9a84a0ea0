"""What a command accepts: each value checked and normalised before any aggregate
is asked. A value outside the vocabulary raises the DomainError that names it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from domain.clock import week_days
from domain.errors import InvalidChoice, InvalidDate, InvalidDifficulty, InvalidRating, InvalidText
from domain.vocabulary import (
    ANYTIME,
    MAX_DIFFICULTY,
    MAX_NOTE_CHARS,
    MAX_SCALE,
    MAX_TITLE_CHARS,
    MIN_DIFFICULTY,
    MIN_SCALE,
    PARTS_OF_DAY,
    slot_of,
)

WEEK_ID = re.compile(r"\d{4}-W\d{2}")
# The days a plan, a log or a review can be about: far enough either way for anyone,
# near enough that every week and day arithmetic on them stays within the calendar.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
# Control characters and lone surrogates: nothing a person says, and what some stores
# cannot hold (PostgreSQL refuses NUL in text, UTF-8 has no lone surrogates). Format
# characters too (right-to-left overrides, zero-width spaces, byte-order marks), which
# make a text show other than it reads on a card; but not the zero-width joiners that
# scripts such as Devanagari (en-IN) and emoji are written with.
CONTROLS = frozenset({"Cc", "Cs", "Cf"})
JOINERS = frozenset({"\u200c", "\u200d"})
MAX_MINUTES = 240


def rating(value: Any, what: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCALE <= value <= MAX_SCALE:
        raise InvalidRating(f"{what} must be a whole number from {MIN_SCALE} to {MAX_SCALE}")
    return value


def difficulty(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
        MIN_DIFFICULTY <= value <= MAX_DIFFICULTY
    ):
        raise InvalidDifficulty(f"difficulty must be {MIN_DIFFICULTY} to {MAX_DIFFICULTY}")
    return value


def minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise InvalidChoice(f"minutes must be 1 to {MAX_MINUTES}")
    return value


def calendar_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise InvalidDate("a calendar date is needed, not an instant")
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError as e:
            raise InvalidDate(f"{value!r} is not a date that exists") from e
    if isinstance(value, date):
        if not is_sane_day(value):
            raise InvalidDate(f"{value} is outside {FIRST_DAY.year} to {LAST_DAY.year}")
        return value
    raise InvalidDate(f"{value!r} is not a date")


def is_sane_day(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def time_of_day(value: Any) -> time | None:
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError as e:
            raise InvalidDate(f"{value!r} is not a time of day") from e
        return parsed.replace(second=0, microsecond=0, tzinfo=None)
    raise InvalidDate(f"{value!r} is not a time of day")


def iso_week(value: Any) -> str:
    if not isinstance(value, str) or not WEEK_ID.fullmatch(value):
        raise InvalidDate(f"{value!r} is not an ISO week like 2026-W47")
    if not FIRST_DAY.year <= int(value[:4]) <= LAST_DAY.year:
        raise InvalidDate(f"{value!r} is outside {FIRST_DAY.year} to {LAST_DAY.year}")
    try:
        week_days(value)
    except ValueError as e:
        raise InvalidDate(f"{value!r} is not a week that exists") from e
    return value


def choice(value: Any, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise InvalidChoice(f"{what} must be one of {', '.join(allowed)}")
    return value


def slot(part_of_day: str | None, at_time: time | None) -> str:
    """morning / afternoon / evening / anytime: as given, or from the time of day."""
    if part_of_day is None:
        return slot_of(ANYTIME, at_time)
    return choice(part_of_day, (*PARTS_OF_DAY, ANYTIME), "part of day")


def is_control(character: str) -> bool:
    return unicodedata.category(character) in CONTROLS and character not in JOINERS


def without_controls(value: str) -> str:
    """`value` with its control characters taken out (white space among them becomes a
    space): what the voice layer makes of what it heard before a command sees it."""
    return "".join(" " if c.isspace() else c for c in value
                   if c.isspace() or not is_control(c))


def text(value: Any, what: str, limit: int = MAX_TITLE_CHARS) -> str:
    """Free text, its white space collapsed; refused if empty, too long, or holding a
    control character (the voice layer removes them: any left were sent on purpose)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidText(f"{what} is empty")
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise InvalidText(f"{what} is longer than {limit} characters")
    if any(map(is_control, cleaned)):
        raise InvalidText(f"{what} holds a control character")
    return cleaned


def texts(values: Iterable[Any], what: str) -> tuple[str, ...]:
    return tuple(text(v, what, MAX_NOTE_CHARS) for v in values)


def note(value: Any, what: str) -> str | None:
    """An optional short note: empty is none."""
    return text(value, what, MAX_NOTE_CHARS) if value else None
