"""What a batch's handlers will read, noted from its events before any of them runs.

Each handler is registered with the ``Plan`` method that notes the rows it reads
(``on(Week.StepDone, plan=Plan.step_and_person)``); ``load`` then loads them with
one query per table for the whole batch. Only a shortcut: a handler loads what was
not loaded here when it reads it.
"""

from __future__ import annotations

from typing import Any

from domain.projections.batch import Batch
from domain.week import Week


class Plan:
    def __init__(self, batch: Batch, owners: dict[str, tuple[str, str]]):
        self.batch = batch
        self.owners = owners  # the writer's cache: week aggregate -> (person, week)
        self.opened: dict[str, tuple[str, str]] = {}  # weeks opened in the batch
        self.enrolled: set[str] = set()  # people enrolled in the batch
        self.people: list[tuple] = []
        self.weeks: list[tuple] = []
        self.steps: list[tuple] = []
        self.days: list[tuple] = []  # (person, day) of moods
        self.new_steps: set[tuple] = set()  # scheduled in the batch
        self.days_of: dict[tuple, str] = {}  # the day of steps scheduled or moved in the batch

    def owners_of(self, work: list[tuple[type, Any, Any, str]]) -> None:
        """First, the owners of the batch's weeks: from the weeks it opens, from the
        writer's cache, else from their rows (one query for all)."""
        owners, opened = self.owners, self.opened
        unknown = []
        for cls, _, e, oid in work:  # (event class, handler, event, originator)
            if cls is Week.Opened:
                opened[oid] = (e.person_id.hex, e.week)
            elif issubclass(cls, Week.Event) and oid not in owners and oid not in opened:
                unknown.append((oid,))
        if unknown:
            weeks = self.batch.weeks
            self.batch.load((weeks, unknown))
            for (oid,), row in weeks.current.items():
                if row is not None:
                    owners[oid] = (row["person_id"], row["week"])

    def load(self) -> None:
        b = self.batch
        b.load((b.people, self.people), (b.weeks, self.weeks), (b.steps, self.steps),
               (b.day_moods, self.days))

    def _person(self, w: str) -> str | None:
        owner = self.owners.get(w) or self.opened.get(w)
        return None if owner is None else owner[0]

    # -- what each event reads (its originator: p a person, w a week) ------------------

    def enrols(self, e: Any, p: str) -> None:
        self.enrolled.add(p)

    def person_row(self, e: Any, p: str) -> None:
        if p not in self.enrolled:
            self.people.append((p,))

    def week_row(self, e: Any, w: str) -> None:
        if w not in self.opened:
            self.weeks.append((w,))

    def new_step(self, e: Any, w: str) -> None:
        person = self._person(w)
        if person is not None:
            key = (person, e.step_id)
            self.new_steps.add(key)
            self.days_of[key] = e.day.isoformat()

    def _step(self, person: str, step_id: str) -> tuple[str, str]:
        key = (person, step_id)
        if key not in self.new_steps:
            self.steps.append(key)
        return key

    def step(self, e: Any, w: str) -> None:
        person = self._person(w)
        if person is not None:
            self._step(person, e.step_id)

    def step_and_person(self, e: Any, w: str) -> None:
        person = self._person(w)
        if person is not None:
            if person not in self.enrolled:
                self.people.append((person,))
            self._step(person, e.step_id)

    def step_moved(self, e: Any, w: str) -> None:
        person = self._person(w)
        if person is not None:
            self.days_of[self._step(person, e.step_id)] = e.day.isoformat()

    def mood(self, e: Any, w: str) -> None:
        person = self._person(w)
        if person is None or e.step_id is None:
            return
        key = self._step(person, e.step_id)
        if e.moment == "after":
            # The step's day as last seen in the batch, else most often the mood's
            # own (a day missed is loaded when it is read).
            self.days.append((person, self.days_of.get(key) or e.day.isoformat()))
