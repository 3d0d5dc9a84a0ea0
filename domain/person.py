"""The Person aggregate: enrolment, the account, named values, repertoire, relapse plan, PIN.

Bounded: it grows only when the person names a value, adds an activity or changes
their relapse plan, so loading it never replays daily history (that lives in weeks).

As in Week, a command method keeps the person's rules and then records its event
through the private ``@event`` method below it (whose parameters are the stored
event's fields); events with no rule to keep are recorded by the public method.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalogue import Activity, by_key, starter
from domain.errors import InvalidChoice, PlanNeedsMeaningfulStep, UnknownActivity
from domain.guard import pin_hash, pin_matches

PIN_TRIES = 3  # wrong PINs in a row, across sessions, before the guard pauses
PIN_PAUSE = timedelta(minutes=15)  # how long it then stays closed, even for the right PIN

NAMESPACE = uuid5(NAMESPACE_URL, "https://small-steps.example/person")


def person_id(person_key: str) -> UUID:
    return uuid5(NAMESPACE, person_key)


class Person(Aggregate):
    # Defaults for people (and snapshots) from before the guard counted wrong tries,
    # before it recorded who set the PIN, and before a person knew its account.
    pin_wrong_tries = 0
    pin_paused_until: datetime | None = None
    pin_by_voice = False
    account: str | None = None

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
        self.pin_wrong_tries = 0  # wrong PINs since the last right one or the last pause
        self.pin_paused_until: datetime | None = None  # no PIN is taken before then

    # -- the household guard ---------------------------------------------------

    def set_pin(self, pin: str | None, at: datetime, by_voice: bool = False) -> None:
        """Guard mood history and summaries with a 4-digit PIN (None removes it).
        `by_voice`: set by a voice Alexa recognised (see `guards`)."""
        if pin is None:
            if self.pin_hash is not None:
                self._pin_removed(at=at)
            return
        self._pin_set(pin_hash=pin_hash(pin), at=at, by_voice=bool(by_voice))

    @property
    def has_pin(self) -> bool:
        return self.pin_hash is not None

    def guards(self, recognised_voice: bool) -> bool:
        """Whether the PIN stands before this person's mood history for a speaker: a
        PIN set by a recognised voice is asked of anyone but that voice; one set
        otherwise (or before this was recorded) is asked of everyone."""
        return self.has_pin and not (recognised_voice and self.pin_by_voice)

    def check_pin(self, pin: str) -> bool:
        return pin_matches(self.pin_hash, pin)

    def pin_paused(self, now: datetime) -> bool:
        """After PIN_TRIES wrong PINs the guard stays closed, even for the right one."""
        return self.pin_paused_until is not None and now < self.pin_paused_until

    def try_pin(self, pin: str, at: datetime) -> str:
        """The guard: "right", "wrong", or "paused" (too many wrong tries, across
        sessions: PIN_TRIES, then PIN_PAUSE in which no PIN is taken). A right PIN
        clears the count."""
        if self.pin_paused(at):
            return "paused"
        if pin_matches(self.pin_hash, pin):
            if self.pin_wrong_tries:
                self._pin_tries_cleared(at=at)
            return "right"
        if self.pin_wrong_tries + 1 >= PIN_TRIES:
            self._pin_tries_exhausted(until=at + PIN_PAUSE, at=at)
            return "paused"
        self._pin_wrong(at=at)
        return "wrong"

    @event("PinWrong")
    def _pin_wrong(self, at: datetime) -> None:
        self.pin_wrong_tries += 1

    @event("PinTriesExhausted")
    def _pin_tries_exhausted(self, until: datetime, at: datetime) -> None:
        self.pin_wrong_tries = 0
        self.pin_paused_until = until

    @event("PinTriesCleared")
    def _pin_tries_cleared(self, at: datetime) -> None:
        self.pin_wrong_tries = 0

    class PinSet(Aggregate.Event):
        """A PIN's salted hash. Version 2 added ``by_voice``: set by a recognised voice."""

        class_version = 2
        pin_hash: str
        at: datetime
        by_voice: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Who set an earlier PIN is not known: it is asked of everyone.
            state["by_voice"] = False

    @event(PinSet)
    def _pin_set(self, pin_hash: str, at: datetime, by_voice: bool) -> None:
        self.pin_hash = pin_hash
        self.pin_by_voice = by_voice
        self.pin_wrong_tries = 0

    @event("PinRemoved")
    def _pin_removed(self, at: datetime) -> None:
        self.pin_hash = None

    # -- the account ----------------------------------------------------------------

    def link_account(self, account: str, at: datetime) -> None:
        """The Alexa account this person speaks through (its keyed hash), so that
        disabling the skill erases every person of the account. Recorded once: a
        voice profile belongs to one account."""
        if self.account is None:
            self._account_linked(account=account, person_key=self.person_key, at=at)

    @event("AccountLinked")
    def _account_linked(self, account: str, person_key: str, at: datetime) -> None:
        # The person's own key rides along: erasing by account needs it from a view.
        self.account = account

    # -- where and how ------------------------------------------------------------

    def settle(self, locale: str, time_zone: str) -> None:
        """Bring the locale and time zone up to date (nothing recorded if unchanged)."""
        if self.locale != locale:
            self.change_locale(locale)
        if self.time_zone != time_zone:
            self.change_time_zone(time_zone)

    @event("LocaleChanged")
    def change_locale(self, locale: str) -> None:
        self.locale = locale

    @event("TimeZoneChanged")
    def change_time_zone(self, time_zone: str) -> None:
        self.time_zone = time_zone

    # -- values and repertoire ---------------------------------------------------

    def name_value(self, area: str, text: str, at: datetime) -> str:
        """A value in a life area; naming one again (any case) gives its id back."""
        for value_id, value in self.values.items():
            if value["area"] == area and value["text"].lower() == text.lower():
                return value_id
        value_id = f"value-{len(self.values) + 1}"
        self._value_named(value_id=value_id, area=area, text=text, at=at)
        return value_id

    @event("ValueNamed")
    def _value_named(self, value_id: str, area: str, text: str, at: datetime) -> None:
        self.values[value_id] = {"area": area, "text": text}

    def add_activity(self, title: str, kind: str, area: str, difficulty: int, minutes: int,
                     at: datetime, smaller: str | None = None,
                     smaller_minutes: int | None = None, value_id: str | None = None) -> str:
        """An activity of the person's own; one with the same title (any case) gives
        its key back. Its smaller version defaults to just starting, in fewer minutes;
        a value it serves must be one the person named. Returns its key."""
        smaller = smaller or f"Just start: {title.lower()}"
        if smaller_minutes is None:
            smaller_minutes = max(1, min(2, minutes - 1))
        if not isinstance(smaller_minutes, int) or not 1 <= smaller_minutes <= minutes:
            raise InvalidChoice("a smaller version takes fewer minutes")
        if value_id is not None and value_id not in self.values:
            raise InvalidChoice(f"no value {value_id!r}")
        for activity in self.own.values():
            if activity.title.lower() == title.lower():
                return activity.key
        key = f"own-{_slug(title)}"
        if self.activity(key) is not None:
            key = f"{key}-{len(self.own) + 1}"
        self._activity_added(
            activity_id=key, title=title, kind=kind, area=area, value_id=value_id,
            difficulty=difficulty, minutes=minutes, smaller=smaller,
            smaller_minutes=smaller_minutes, at=at,
        )
        return key

    @event("ActivityAdded")
    def _activity_added(
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

    def set_relapse_plan(self, warning_signs: tuple[str, ...], boosters: Sequence[str],
                         at: datetime) -> None:
        """Warning signs and boosters: each booster an activity of the repertoire."""
        for key in boosters:
            self.known_activity(key)
        self._relapse_plan_set(warning_signs=tuple(warning_signs), boosters=tuple(boosters),
                               at=at)

    @event("RelapsePlanSet")
    def _relapse_plan_set(
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

    def known_activity(self, key: str) -> Activity:
        """The activity of the repertoire named `key`; UnknownActivity otherwise."""
        activity = self.activity(key) if isinstance(key, str) else None
        if activity is None:
            raise UnknownActivity(f"no activity {key!r} in this person's repertoire")
        return activity

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

    def check_plan(self, activities: Iterable[Activity]) -> None:
        """A plan keeps at least one step linked to what matters, so urgent chores
        cannot crowd out every value-linked one."""
        if not any(self.is_value_linked(a) for a in activities):
            raise PlanNeedsMeaningfulStep("keep at least one step linked to what matters")


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:40] or "activity"
