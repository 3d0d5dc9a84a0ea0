"""Time for the domain: an injected clock, and the person's local calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidChoice


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock tests can set and move."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at = self.at + timedelta(**delta)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise InvalidChoice(f"unknown time zone {name!r}") from e


def local_date(at: datetime, time_zone: str) -> date:
    return at.astimezone(zone(time_zone)).date()


def week_id(day: date) -> str:
    """The ISO week a local date belongs to, e.g. '2026-W53' for 1 January 2027."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(week: str) -> tuple[date, date]:
    """First (Monday) and last (Sunday) local dates of an ISO week id."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + timedelta(days=6)


def previous_week(week: str) -> str:
    monday, _ = week_days(week)
    return week_id(monday - timedelta(days=7))
