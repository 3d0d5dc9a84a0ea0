"""SmallSteps: the commands the voice layer calls.

Each command checks what it was given (domain/validation.py), loads the bounded
aggregates it changes (a Person, one or two Weeks), calls the aggregate method
that keeps its rule and records the event, and saves. A rejected command raises a
DomainError and stores nothing; a save that loses a race with another process is
retried on fresh state (`retried`).

The rest of the application is inherited, each part beside what it works with:
loading a person and their weeks (domain/loading.py), the queries
(domain/queries.py), catching the views up and rebuilding them
(domain/projections/catchup.py), table setup (domain/store/tables.py), a turn's unit
of work (domain/unit.py) and how the library is set up (domain/store/wiring.py).
"""

from __future__ import annotations

import functools
import logging
import random
import time as time_module
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from datetime import date, time
from time import time as wall_clock
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain import validation as valid
from domain.activity import activity_fields
from domain.clock import Clock, SystemClock, local_date, week_id, zone
from domain.errors import InvalidChoice, InvalidText, NotEnrolled
from domain.person import Person, person_id
from domain.projections.catchup import CatchUp
from domain.projections.stores import PostgresViews, SQLiteViews
from domain.queries import Queries
from domain.results import StepView
from domain.store.erasure import erase_person
from domain.store.ledger import ENV_LEDGER, ErasureLedger, ledger_for
from domain.store.replies import Replies
from domain.store.settings import eventsourcing_env, is_postgres, store_url
from domain.store.tables import Tables, creating_tables, prepare
from domain.store.wiring import Wiring
from domain.unit import CURRENT, READING_SINCE, Units
from domain.vocabulary import ANYTIME, BARRIERS, KINDS, LIFE_AREAS, MOOD_MOMENTS
from domain.week import Week

T = TypeVar("T")
log = logging.getLogger(__name__)

CONFLICT_DEADLINE = 10.0  # seconds a command keeps retrying a lost race
CONFLICT_MAX_PAUSE = 0.05


def retried(command: Callable[..., T]) -> Callable[..., T]:
    """Run a command again on fresh state when another writer got there first.

    Each lost race means someone else's events were stored, so progress is always
    made; full-jitter backoff keeps contending writers from colliding in step. The
    conflict reaches the caller only if it persists past CONFLICT_DEADLINE. Each
    attempt notes when it began reading, so its save is refused (``Erased``, never
    retried) if the person was erased meanwhile (domain/store/erasure.py)."""

    @functools.wraps(command)
    def wrapper(self: SmallSteps, *args: Any, **kwargs: Any) -> T:
        deadline = time_module.monotonic() + CONFLICT_DEADLINE
        attempt = 0
        while True:
            token = READING_SINCE.set(wall_clock())
            try:
                return command(self, *args, **kwargs)
            except IntegrityError:
                if time_module.monotonic() >= deadline:
                    raise
                attempt += 1
                time_module.sleep(random.uniform(0, min(CONFLICT_MAX_PAUSE,
                                                        0.002 * 2 ** min(attempt, 10))))
            finally:
                READING_SINCE.reset(token)

    return wrapper


class SmallSteps(Queries, CatchUp, Tables, Units, Wiring, Application):
    name = "SmallSteps"
    snapshotting_intervals = {Person: 50, Week: 50}  # noqa: RUF012

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None, *,
                 create_tables: bool = True, sync_views: bool = True):
        """`env`: the eventsourcing library's settings (`eventsourcing_env`), or
        settings naming a SMALL_STEPS_STORE (none: the default store), and where the
        erasure ledger is kept (SMALL_STEPS_ERASURE_LEDGER, see `ledger_for`). Nothing
        is read from the process environment: callers pass what they read.

        `create_tables=False` for the long-running processes of a production
        store: they expect ``small-steps migrate`` to have created the tables (see
        `check_tables`), and never run DDL themselves.

        `sync_views`: whether a command applies its own events to the views in the
        transaction that records them (see `_record`); off only where the views must
        lag behind the log (a test of catch-up, a benchmark's seeding)."""
        settings = dict(env or {})
        if "PERSISTENCE_MODULE" not in settings:
            settings.update(eventsourcing_env(store_url(settings)))
        settings["CREATE_TABLE"] = "y" if create_tables else "n"
        if create_tables:
            prepare(settings)
        with creating_tables(settings) if create_tables else nullcontext():
            super().__init__(settings)
            self.views = self.factory.tracking_recorder(
                PostgresViews if is_postgres(settings) else SQLiteViews)
            self.attach_views(self.views)
            self.replies = Replies(self.views.datastore, postgres=is_postgres(settings),
                                   clock=lambda: self.clock.now().timestamp())
            if create_tables:
                self.replies.create_table()
                self.views.add_missing_columns()
        self.clock: Clock = clock or SystemClock()
        self.sync_views = sync_views
        self.ledger: ErasureLedger = ledger_for(settings)

    @classmethod
    def from_store(cls, url: str, clock: Clock | None = None, *,
                   create_tables: bool = True, sync_views: bool = True,
                   ledger: str | None = None) -> SmallSteps:
        """`ledger`: the erasure ledger's path (SMALL_STEPS_ERASURE_LEDGER), if set."""
        env = {**eventsourcing_env(url), **({ENV_LEDGER: ledger} if ledger else {})}
        return cls(env, clock, create_tables=create_tables, sync_views=sync_views)

    # -- enrolment, values, repertoire -----------------------------------------

    @retried
    def enrol(self, person: str, locale: str, time_zone: str, account: str | None = None) -> bool:
        """Enrol a person, or bring their locale and time zone up to date; `account`
        (the keyed hash of the Alexa account they speak through) is linked to them
        once, for erasing every person of an account (`persons_of`).

        Returns True when the person is new."""
        valid.text(person, "person")
        valid.text(locale, "locale", 10)
        zone(time_zone)
        if account is not None:
            valid.text(account, "account")
        try:
            existing: Person = self._get(person_id(person))
        except AggregateNotFoundError:
            existing, new = Person(person_key=person, locale=locale, time_zone=time_zone,
                                   at=self._now()), True
        else:
            existing.settle(locale, time_zone)
            new = False
        if account is not None:
            existing.link_account(account, at=self._now())
        self.save(existing)
        return new

    @retried
    def name_value(self, person: str, area: str, text: str) -> str:
        p = self._person(person)
        value_id = p.name_value(valid.choice(area, LIFE_AREAS, "life area"),
                                valid.text(text, "value"), at=self._now())
        self.save(p)
        return value_id

    @retried
    def add_activity(self, person: str, title: str, kind: str, area: str, difficulty: int,
                     minutes: int, smaller: str | None = None,
                     smaller_minutes: int | None = None, value_id: str | None = None) -> str:
        p = self._person(person)
        key = p.add_activity(
            title=valid.text(title, "title"), kind=valid.choice(kind, KINDS, "kind"),
            area=valid.choice(area, LIFE_AREAS, "life area"),
            difficulty=valid.difficulty(difficulty), minutes=valid.minutes(minutes),
            smaller=valid.text(smaller, "smaller version") if smaller else None,
            smaller_minutes=smaller_minutes, value_id=value_id, at=self._now(),
        )
        self.save(p)
        return key

    @retried
    def set_relapse_plan(self, person: str, warning_signs: Sequence[str],
                         boosters: Sequence[str]) -> None:
        p = self._person(person)
        p.set_relapse_plan(warning_signs=valid.texts(warning_signs, "warning sign"),
                           boosters=tuple(boosters), at=self._now())
        self.save(p)

    def is_enrolled(self, person: str) -> bool:
        return self._has(person_id(person))

    def profile(self, person: str) -> Person:
        return self._person(person)

    # -- the household guard ---------------------------------------------------

    @retried
    def set_pin(self, person: str, pin: str | None, by_voice: bool = False) -> None:
        """Guard mood history and summaries with a 4-digit PIN (None removes it);
        `by_voice`: set by a voice Alexa recognised (`Person.guards`). Only a salted
        PBKDF2 hash is stored (domain/guard.py)."""
        p = self._person(person)
        p.set_pin(pin, at=self._now(), by_voice=by_voice)
        self.save(p)

    def has_pin(self, person: str | Person) -> bool:
        return self._reader(person).has_pin

    def guards(self, person: str | Person, recognised_voice: bool) -> bool:
        """Whether the PIN stands before the person's mood history for this speaker."""
        return self._reader(person).guards(recognised_voice)

    def check_pin(self, person: str | Person, pin: str) -> bool:
        return self._reader(person).check_pin(pin)

    @retried
    def try_pin(self, person: str, pin: str) -> str:
        """The guard with its limit: "right", "wrong" or "paused". Wrong tries are
        counted on the person, across sessions: after 3 the guard stays closed for 15
        minutes of the app's clock, even for the right PIN; a right PIN clears the
        count. Only the count and the time are stored, never a PIN tried."""
        p = self._person(person)
        outcome = p.try_pin(pin, at=self._now())
        if p.pending_events:
            self.save(p)
        return outcome

    def pin_paused(self, person: str | Person) -> bool:
        return self._reader(person).pin_paused(self._now())

    # -- scheduling -------------------------------------------------------------

    @retried
    def schedule_step(self, person: str, activity: str, day: date | str,
                      part_of_day: str | None = None, at_time: time | str | None = None) -> str:
        p = self._person(person)
        chosen = p.known_activity(activity)
        day, at_time = valid.calendar_date(day), valid.time_of_day(at_time)
        week = self._week(p, week_id(day))
        step_id = week.add_step(chosen, p.is_value_linked(chosen), day,
                                valid.slot(part_of_day, at_time), at_time, self._now())
        self.save(week)
        return step_id

    @retried
    def plan_week(self, person: str, steps: Sequence[dict[str, Any]]) -> list[str]:
        """Schedule several steps as one plan: at most the daily cap on any day, and
        at least one value-linked step so chores cannot crowd out what matters."""
        p = self._person(person)
        if not steps:
            raise InvalidChoice("a plan needs at least one step")
        parsed = []
        for item in steps:
            activity = p.known_activity(item.get("activity"))
            at_time = valid.time_of_day(item.get("at_time"))
            parsed.append((activity, valid.calendar_date(item.get("day")),
                           valid.slot(item.get("part_of_day"), at_time), at_time))
        p.check_plan(a for a, *_ in parsed)
        weeks: dict[str, Week] = {}
        for day, count in Counter(d for _, d, _, _ in parsed).items():
            week = weeks.setdefault(week_id(day), self._week(p, week_id(day)))
            week.check_room(day, count)
        now = self._now()
        step_ids = [weeks[week_id(day)].add_step(activity, p.is_value_linked(activity), day,
                                                 part, at_time, now)
                    for activity, day, part, at_time in parsed]
        for week in weeks.values():
            mine = tuple(s for s in step_ids if s.startswith(week.week + "."))
            week.mark_planned(step_ids=mine, at=now)
        self.save(*weeks.values())
        return step_ids

    # -- monitoring -------------------------------------------------------------

    @retried
    def log_done(self, person: str, step_id: str | None = None, activity: str | None = None,
                 mastery: int | None = None, enjoyment: int | None = None) -> StepView:
        """Mark a step done: a given step, today's step for an activity (scheduled
        on the spot if it was not planned), or today's earliest pending step."""
        p = self._person(person)
        mastery = valid.rating(mastery, "mastery", optional=True)
        enjoyment = valid.rating(enjoyment, "enjoyment", optional=True)
        now = self._now()
        today = local_date(now, p.time_zone)
        week = self._week(p, week_id(today))
        if step_id is None and activity is not None:
            chosen = p.known_activity(activity)
            open_step = week.open_step_for(chosen.key, today)
            step_id = open_step.step_id if open_step else week.add_step(
                chosen, p.is_value_linked(chosen), today, ANYTIME, None, now, unplanned=True)
        week, step = self._pick_step(p, week, today, step_id)
        week.mark_done(step.step_id, today, now, mastery, enjoyment)
        self.save(week)
        return StepView.of(step)

    @retried
    def rate_step(self, person: str, step_id: str, mastery: int | None = None,
                  enjoyment: int | None = None) -> None:
        p = self._person(person)
        mastery = valid.rating(mastery, "mastery", optional=True)
        enjoyment = valid.rating(enjoyment, "enjoyment", optional=True)
        week, _ = self._step(p, step_id)
        week.rate_step(step_id=step_id, mastery=mastery, enjoyment=enjoyment)
        self.save(week)

    @retried
    def log_not_done(self, person: str, step_id: str | None = None,
                     barrier: str | None = None, note: str | None = None) -> StepView:
        """Not today. The barrier is optional; a short note only with 'other'-like detail."""
        p = self._person(person)
        if barrier is not None:
            valid.choice(barrier, BARRIERS, "barrier")
        note = valid.note(note, "note")
        now = self._now()
        today = local_date(now, p.time_zone)
        week, step = self._pick_step(p, self._week(p, week_id(today)), today, step_id)
        week.mark_not_done(step.step_id, today, now, barrier=barrier, note=note)
        self.save(week)
        return StepView.of(step)

    @retried
    def rate_mood(self, person: str, value: int, step_id: str | None = None,
                  moment: str | None = None) -> str:
        p = self._person(person)
        value = valid.rating(value, "mood")
        moment = valid.choice(moment or ("after" if step_id else "standalone"),
                              MOOD_MOMENTS, "moment")
        now = self._now()
        today = local_date(now, p.time_zone)
        with_step = step_id is not None and moment != "standalone"
        week = self._step(p, step_id)[0] if with_step else self._week(p, week_id(today))
        mood_id = week.rate_mood(value, today, now, step_id=step_id, moment=moment)
        self.save(week)
        return mood_id

    # -- replanning -------------------------------------------------------------

    @retried
    def move_step(self, person: str, step_id: str, day: date | str,
                  part_of_day: str | None = None, at_time: time | str | None = None) -> str:
        """Move a step to another day or time. Returns its id, which changes when
        the step moves into another week."""
        p = self._person(person)
        week, step = self._step(p, step_id)
        day, at_time = valid.calendar_date(day), valid.time_of_day(at_time)
        part_of_day = valid.slot(part_of_day or (None if at_time else step.part_of_day), at_time)
        now = self._now()
        if week.contains(day):
            week.move(step_id=step_id, day=day, part_of_day=part_of_day, at_time=at_time, at=now)
            self.save(week)
            return step_id
        target = self._week(p, week_id(day))
        week.move_away(step_id=step_id, day=day, new_step_id=target.next_step_id(), at=now)
        activity = p.known_activity(step.activity_id)
        new_id = target.add_step(activity, p.is_value_linked(activity), day, part_of_day,
                                 at_time, now, moved_from=step_id, title=step.title,
                                 minutes=step.minutes)
        self.save(week, target)
        return new_id

    @retried
    def make_smaller(self, person: str, step_id: str) -> StepView:
        p = self._person(person)
        week, _ = self._step(p, step_id)
        step = week.make_smaller(step_id=step_id, at=self._now())
        self.save(week)
        return StepView.of(step)

    @retried
    def swap_step(self, person: str, step_id: str, activity: str) -> StepView:
        p = self._person(person)
        week, _ = self._step(p, step_id)
        chosen = p.known_activity(activity)
        step = week.swap(step_id=step_id, at=self._now(),
                         **activity_fields(chosen, p.is_value_linked(chosen)))
        self.save(week)
        return StepView.of(step)

    @retried
    def pair_step(self, person: str, step_id: str, routine: str) -> StepView:
        p = self._person(person)
        week, _ = self._step(p, step_id)
        step = week.pair(step_id=step_id, routine=valid.text(routine, "routine"), at=self._now())
        self.save(week)
        return StepView.of(step)

    @retried
    def review_week(self, person: str, week: str, helped: Sequence[str] = (),
                    barriers: Sequence[str] = (), adjustments: Sequence[str] = ()) -> None:
        p = self._person(person)
        w = self._week(p, valid.iso_week(week))
        w.record_review(helped=valid.texts(helped, "what helped"),
                        barriers=valid.texts(barriers, "barrier"),
                        adjustments=valid.texts(adjustments, "adjustment"), at=self._now())
        self.save(w)

    @retried
    def record_safety_offered(self, person: str, locale: str) -> None:
        """That crisis resources were offered — never what was said. Works before
        enrolment too: safety never waits for a profile. Recorded at once, even in a
        unit of work, and the unit's answer is given whatever becomes of the rest of
        the turn (``Unit.must_answer``)."""
        unit = CURRENT.get()
        if unit is not None:
            unit.must_answer = True
            with self.outside_unit():
                return self.record_safety_offered(person, locale)
        now = self._now()
        try:
            day = local_date(now, self._person(person).time_zone)
        except NotEnrolled:
            day = now.date()
        week = self._week(person, week_id(day))
        week.record_safety_offered(locale=valid.text(locale, "locale", 10), at=now)
        self.save(week)

    # -- erasure ------------------------------------------------------------------

    def erase_person(self, person: str) -> bool:
        """Delete my data: every event and snapshot of the person and of each of
        their weeks, and every view row of theirs. Other people are untouched.

        Returns False when there was nothing to erase (never enrolled, or erased
        already). Nothing about the person is kept in the store; the erasure ledger,
        outside it, keeps their id and the time, so that `reapply_erasures` can erase
        them again from a restored backup. Afterwards they can enrol again as
        someone new. How, in one transaction: domain/store/erasure.py."""
        if not isinstance(person, str):
            raise InvalidText("person is not a text")
        unit = CURRENT.get()
        if unit is not None:
            unit.pending.clear()  # what this turn changed of them goes with the rest
        events, rows = erase_person(self, person_id(person))
        log.info("erased a person at their request: %d events, %d view rows", events, rows)
        return bool(events or rows)

    def reapply_erasures(self) -> int:
        """Erase again everyone the ledger says was erased whose data is stored (after
        restoring a backup taken before their erasure). Returns how many were.

        Idempotent. A person who enrolled again after their latest erasure is left
        alone: what is stored of them began afterwards (a Person is created once per
        enrolment, so its creation time tells)."""
        erased = 0
        for pid, at in self.ledger.latest().items():
            try:
                since = self.repository.get(pid).created_on.timestamp()
            except AggregateNotFoundError:
                since = None
            if since is not None and since >= at:
                continue
            events, rows = erase_person(self, pid, record=False)
            erased += bool(events or rows)
        if erased:
            log.info("erased again after a restore: %d people", erased)
        return erased
