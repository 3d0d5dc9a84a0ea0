"""Loading what a command or query works on: the person, and one week at a time.

`Loading` is the part of the application (SmallSteps and its queries inherit it)
that finds a person's Person and the Week a step or a day falls in: bounded loads,
never a person's whole history.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.clock import Clock, local_date
from domain.errors import NotEnrolled, UnknownStep
from domain.person import Person, person_id
from domain.week import Step, Week

STEP_ID = re.compile(r"^(\d{4}-W\d{2})\.(\d+)$")


class Loading:
    """Needs the application's ``clock`` and ``_get`` (an aggregate, as the open
    unit of work has changed it or else as recorded: domain/unit.py)."""

    clock: Clock
    _get: Any

    def _now(self) -> datetime:
        return self.clock.now().astimezone(timezone.utc)

    def _person(self, person: str) -> Person:
        try:
            return self._get(person_id(person))
        except AggregateNotFoundError:
            raise NotEnrolled("this person has not enrolled yet") from None

    def _reader(self, person: str | Person) -> Person:
        """For queries: the person's profile, unless the caller already loaded it
        in this turn (``profile()``) and passes it in, saving a load."""
        return person if isinstance(person, Person) else self._person(person)

    def _week(self, person: Person | str, week: str) -> Week:
        pid = person.id if isinstance(person, Person) else person_id(person)
        try:
            return self._get(Week.create_id(pid, week))
        except AggregateNotFoundError:
            return Week(person_id=pid, week=week)

    def _local_today(self, person: Person) -> date:
        return local_date(self._now(), person.time_zone)

    def _step(self, person: Person, step_id: str) -> tuple[Week, Step]:
        """The week a step id names, loaded, and the step (UnknownStep if none)."""
        match = STEP_ID.match(step_id) if isinstance(step_id, str) else None
        if match is None:
            raise UnknownStep(f"no step {step_id!r}")
        week = self._week(person, match.group(1))
        return week, week.step(step_id)

    def _pick_step(self, p: Person, week: Week, today: date,
                   step_id: str | None) -> tuple[Week, Step]:
        """The step named (in `week`, possibly with unsaved changes, or in its own
        week), or today's earliest pending step."""
        if step_id is None:
            return week, week.first_pending(today)
        if step_id in week.steps:
            return week, week.step(step_id)
        return self._step(p, step_id)

