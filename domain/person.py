"""The Person aggregate: enrolment, named values, repertoire, relapse plan.

Bounded: it grows only when the person names a value, adds an activity or changes
their relapse plan, so loading it never replays daily history (that lives in weeks).
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalogue import Activity, by_key, starter

NAMESPACE = uuid5(NAMESPACE_URL, "https://small-steps.example/person")


def person_id(person_key: str) -> UUID:
    return uuid5(NAMESPACE, person_key)


class Person(Aggregate):
    @staticmethod
    def create_id(person_key: str) -> UUID:
        return person_id(person_key)

    @event("Enrolled")
    def __init__(self, person_key: str, locale: str, time_zone: str, at: datetime):
        self.person_key = person_key
        self.locale = locale
        self.time_zone = time_zone
        self.enrolled_at = at
        self.values: dict[str, dict] = {}  # value id -> {"area", "text"}
        self.own: dict[str, Activity] = {}
        self.warning_signs: tuple[str, ...] = ()
        self.boosters: tuple[str, ...] = ()
        self.pin_hash: str | None = None  # "salt$digest", PBKDF2-SHA256; never the PIN

    @event("PinSet")
    def set_pin(self, pin_hash: str, at: datetime) -> None:
        self.pin_hash = pin_hash

    @event("PinRemoved")
    def remove_pin(self, at: datetime) -> None:
        self.pin_hash = None

    @event("LocaleChanged")
    def change_locale(self, locale: str) -> None:
        self.locale = locale

    @event("TimeZoneChanged")
    def change_time_zone(self, time_zone: str) -> None:
        self.time_zone = time_zone

    @event("ValueNamed")
    def name_value(self, value_id: str, area: str, text: str, at: datetime) -> None:
        self.values[value_id] = {"area": area, "text": text}

    @event("ActivityAdded")
    def add_activity(
        self,
        activity_id: str,
        title: str,
        kind: str,
        area: str,
        value_id: str | None,
        difficulty: int,
        minutes: int,
        smaller: str,
        smaller_minutes: int,
        at: datetime,
    ) -> None:
        self.own[activity_id] = Activity(
            key=activity_id, title=title, kind=kind, area=area, difficulty=difficulty,
            minutes=minutes, smaller=smaller, smaller_minutes=smaller_minutes,
            value_id=value_id, own=True,
        )

    @event("RelapsePlanSet")
    def set_relapse_plan(
        self, warning_signs: tuple[str, ...], boosters: tuple[str, ...], at: datetime
    ) -> None:
        self.warning_signs = tuple(warning_signs)
        self.boosters = tuple(boosters)

    # Derived, never stored.

    @property
    def valued_areas(self) -> set[str]:
        return {v["area"] for v in self.values.values()}

    def repertoire(self) -> list[Activity]:
        """The starter catalogue followed by the person's own activities, in order."""
        return [*starter(), *self.own.values()]

    def activity(self, key: str) -> Activity | None:
        return self.own.get(key) or by_key().get(key)

    def is_value_linked(self, activity: Activity) -> bool:
        """Linked to a value the person named: directly, or through its life area.

        Before any value is named, activities that bring pleasure, mastery or
        contact count as meaningful; routines alone do not.
        """
        if activity.value_id and activity.value_id in self.values:
            return True
        if self.values:
            return activity.area in self.valued_areas
        return activity.kind != "routine"
