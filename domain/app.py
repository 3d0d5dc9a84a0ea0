"""SmallSteps: the commands and queries the voice layer calls.

Commands load the bounded aggregates they change (a Person, one or two Weeks),
validate, and save; a rejected command raises a DomainError and stores nothing.
A save that loses a race with another process is retried on fresh state.
Queries first bring the views up to the end of the log (read-your-writes), then
read a bounded number of view rows: never a person's whole history.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import random
import re
import secrets
import time as time_module
from contextlib import nullcontext
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    OperationalError,
    ProgrammingError,
    Tracking,
)

from domain import suggest
from domain.catalogue import Activity
from domain.clock import Clock, SystemClock, local_date, week_days, week_id, zone
from domain.erasure import PostgresLog, SQLiteLog, placeholder_maker
from domain.errors import (
    CannotMakeSmaller,
    DailyCapReached,
    InvalidChoice,
    InvalidDate,
    InvalidDifficulty,
    InvalidRating,
    InvalidText,
    NotEnrolled,
    NoStepToLog,
    PlanNeedsMeaningfulStep,
    StepAlreadyDone,
    StepAlreadyLogged,
    UnknownActivity,
    UnknownStep,
    ViewsCatchingUp,
)
from domain.person import Person, person_id
from domain.pgstore import LeanRepository
from domain.projections.stores import VIEWS_NAME, PostgresViews, SQLiteViews
from domain.projections.views import VIEW_TABLES
from domain.replies import Replies
from domain.results import (
    ActivityInsight,
    Insights,
    Lapse,
    Lift,
    Stats,
    StepView,
    Suggestion,
    Tally,
    Today,
    WeekSummary,
)
from domain.store import (
    creating_tables,
    StoreNotReady,
    eventsourcing_env,
    is_postgres,
    prepare,
    store_url,
    views_class,
)
from domain.transcodings import DataclassAsDict, DateAsISO, TimeAsISO, TupleAsList
from domain.vocabulary import (
    ANYTIME,
    BARRIERS,
    DAILY_CAP,
    KINDS,
    LIFE_AREAS,
    MAX_DIFFICULTY,
    MAX_NOTE_CHARS,
    MAX_SCALE,
    MAX_TITLE_CHARS,
    MIN_DIFFICULTY,
    MIN_SCALE,
    MOOD_MOMENTS,
    PARTS_OF_DAY,
)
from domain.week import (
    DONE,
    MOVED_AWAY,
    NOT_DONE,
    PENDING,
    Step,
    Week,
    activity_fields,
    slot_of,
    step_order,
    week_aggregate_id,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

CONFLICT_DEADLINE = 10.0  # seconds a command keeps retrying a lost race
CONFLICT_MAX_PAUSE = 0.05
CATCH_UP_BATCH = 500
LONG_CATCH_UP_BATCH = 20_000
# The most events a query helps to apply before it answers (read-your-writes). More
# than that behind (while the views are rebuilt) it is refused with ViewsCatchingUp
# instead of keeping the person waiting past Alexa's patience.
QUERY_CATCH_UP = 5_000
PROGRESS_EVERY = 50_000  # events between progress reports of a long catch-up
LAPSE_DAYS = 3  # days without a step before the gentle way back is offered
MOOD_FALL = 2.0  # a fall of the 7-day mood mean that counts as a warning sign
STEP_ID = re.compile(r"^(\d{4}-W\d{2})\.(\d+)$")


def retried(command: Callable[..., T]) -> Callable[..., T]:
    """Run a command again on fresh state when another writer got there first.

    Each lost race means someone else's events were stored, so progress is always
    made; full-jitter backoff keeps contending writers from colliding in step. The
    conflict reaches the caller only if it persists past CONFLICT_DEADLINE."""

    @functools.wraps(command)
    def wrapper(self: SmallSteps, *args: Any, **kwargs: Any) -> T:
        deadline = time_module.monotonic() + CONFLICT_DEADLINE
        attempt = 0
        while True:
            try:
                return command(self, *args, **kwargs)
            except IntegrityError:
                if time_module.monotonic() >= deadline:
                    raise
                attempt += 1
                time_module.sleep(random.uniform(0, min(CONFLICT_MAX_PAUSE,
                                                        0.002 * 2 ** min(attempt, 10))))

    return wrapper


# -- validation -----------------------------------------------------------------


def _rating(value: Any, what: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCALE <= value <= MAX_SCALE:
        raise InvalidRating(f"{what} must be a whole number from {MIN_SCALE} to {MAX_SCALE}")
    return value


def _difficulty(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
        MIN_DIFFICULTY <= value <= MAX_DIFFICULTY
    ):
        raise InvalidDifficulty(f"difficulty must be {MIN_DIFFICULTY} to {MAX_DIFFICULTY}")
    return value


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        raise InvalidDate("a calendar date is needed, not an instant")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as e:
            raise InvalidDate(f"{value!r} is not a date that exists") from e
    raise InvalidDate(f"{value!r} is not a date")


def _time(value: Any) -> time | None:
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError as e:
            raise InvalidDate(f"{value!r} is not a time of day") from e
        return parsed.replace(second=0, microsecond=0, tzinfo=None)
    raise InvalidDate(f"{value!r} is not a time of day")


def _choice(value: Any, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise InvalidChoice(f"{what} must be one of {', '.join(allowed)}")
    return value


def _text(value: Any, what: str, limit: int = MAX_TITLE_CHARS) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidText(f"{what} is empty")
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise InvalidText(f"{what} is longer than {limit} characters")
    return cleaned


def _texts(values: Iterable[Any], what: str) -> tuple[str, ...]:
    return tuple(_text(v, what, MAX_NOTE_CHARS) for v in values)


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:40] or "activity"


# -- the application ------------------------------------------------------------


class SmallSteps(Application):
    name = "SmallSteps"
    snapshotting_intervals = {Person: 50, Week: 50}  # noqa: RUF012

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None, *,
                 create_tables: bool = True, sync_views: bool = True):
        """`create_tables=False` for the long-running processes of a production
        store: they expect ``small-steps migrate`` to have created the tables (see
        `check_tables`), and never run DDL themselves."""
        settings = dict(env or {})
        if "PERSISTENCE_MODULE" not in settings:
            settings.update(eventsourcing_env(store_url(settings or None)))
        settings["CREATE_TABLE"] = "y" if create_tables else "n"
        if create_tables:
            prepare(settings)
        with creating_tables(settings) if create_tables else nullcontext():
            super().__init__(settings)
            self.views = self.factory.tracking_recorder(views_class(settings))
            self.attach_views(self.views)
            self.replies = Replies(self.views.datastore, postgres=is_postgres(settings))
            if create_tables:
                self.replies.create_table()
        self.clock: Clock = clock or SystemClock()
        # Whether commands apply their own events to the views as they record them
        # (off only where a test needs views that lag behind the log).
        self.sync_views = sync_views

    @classmethod
    def from_store(cls, url: str, clock: Clock | None = None, *,
                   create_tables: bool = True, sync_views: bool = True) -> SmallSteps:
        return cls(eventsourcing_env(url), clock, create_tables=create_tables,
                   sync_views=sync_views)

    @property
    def _events_table(self) -> str:
        return self.recorder.events_table_name  # type: ignore[attr-defined]

    @property
    def _tracking_table(self) -> str:
        return getattr(self.views, "tracking_table_name", "tracking")

    @classmethod
    def create_tables(cls, url: str) -> list[str]:
        """Create every table the store needs (events, snapshots, views, tracking,
        replies); safe to run again. Returns the names of the tables."""
        app = cls.from_store(url, create_tables=True)
        try:
            return app.table_names()
        finally:
            app.close()

    def table_names(self) -> list[str]:
        names = [self.recorder.events_table_name]
        if self.snapshots is not None:
            names.append(self.snapshots.recorder.events_table_name)  # type: ignore[attr-defined]
        names += [self._tracking_table, *VIEW_TABLES, "ss_replies"]
        return names

    def check_tables(self) -> None:
        """StoreNotReady if the store answers but its tables are missing.

        Connection failures pass through: a server may start while its database is
        still coming up, and answers "unavailable" until it is back."""
        try:
            self.recorder.max_notification_id()
            self.views.position()
            with self.views.reading() as cur:
                for table in (*VIEW_TABLES, "ss_replies"):
                    cur.all(f"SELECT 1 FROM {table} LIMIT 0")
        except (ProgrammingError, OperationalError) as e:
            if _is_missing_table(e):
                raise StoreNotReady(
                    "the store has no Small Steps tables yet: run `small-steps migrate` "
                    "with the same SMALL_STEPS_STORE") from None
            raise

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(TimeAsISO())
        transcoder.register(TupleAsList())
        # Aggregate state that snapshots carry.
        transcoder.register(DataclassAsDict(Step, "week_step"))
        transcoder.register(DataclassAsDict(Activity, "activity"))

    def construct_repository(self) -> LeanRepository:
        # No aggregate cache: after "delete my data" another process's cached copy
        # would come back to life.
        return LeanRepository(event_store=self.events, snapshot_store=self.snapshots)

    def _record(self, processing_event: Any) -> Any:
        """Record a command's events and, in the same transaction, apply them to the
        views (``ViewsMixin.apply_recorded``): one commit for both, and the person's
        next query finds its views current without applying anyone's events."""
        if not self.sync_views:
            return super()._record(processing_event)
        processing_event.saved_kwargs["views"] = self.views.recording(processing_event.events)
        return super()._record(processing_event)

    def _take_snapshots(self, processing_event: Any) -> None:
        # Events are already committed when snapshots are taken: a snapshot that
        # cannot be written must not make a stored command look failed (a caller
        # would retry it and store it twice). Loads simply replay a little more.
        try:
            super()._take_snapshots(processing_event)
        except Exception:  # noqa: BLE001
            log.exception("snapshot not taken; events are stored")

    # -- loading ----------------------------------------------------------------

    def _now(self) -> datetime:
        return self.clock.now().astimezone(timezone.utc)

    def _person(self, person: str) -> Person:
        try:
            return self.repository.get(person_id(person))
        except AggregateNotFoundError:
            raise NotEnrolled("this person has not enrolled yet") from None

    def _reader(self, person: str | Person) -> Person:
        """For queries: the person's profile, unless the caller already loaded it
        in this turn (``profile()``) and passes it in, saving a load."""
        return person if isinstance(person, Person) else self._person(person)

    def _week(self, person: Person | str, week: str) -> Week:
        pid = person.id if isinstance(person, Person) else person_id(person)
        try:
            return self.repository.get(Week.create_id(pid, week))
        except AggregateNotFoundError:
            return Week(person_id=pid, week=week)

    def _local_today(self, person: Person) -> date:
        return local_date(self._now(), person.time_zone)

    def _activity(self, person: Person, key: str) -> Activity:
        activity = person.activity(key) if isinstance(key, str) else None
        if activity is None:
            raise UnknownActivity(f"no activity {key!r} in this person's repertoire")
        return activity

    def _step(self, person: Person, step_id: str) -> tuple[Week, Step]:
        match = STEP_ID.match(step_id) if isinstance(step_id, str) else None
        if match is None:
            raise UnknownStep(f"no step {step_id!r}")
        week = self._week(person, match.group(1))
        step = week.steps.get(step_id)
        if step is None or step.status == MOVED_AWAY:
            raise UnknownStep(f"no step {step_id!r}")
        return week, step

    @staticmethod
    def _slot(part_of_day: str | None, at_time: time | None) -> str:
        if part_of_day is None:
            return slot_of(ANYTIME, at_time)
        return _choice(part_of_day, (*PARTS_OF_DAY, ANYTIME), "part of day")

    @staticmethod
    def _check_cap(week: Week, day: date, extra: int = 1) -> None:
        planned = [s for s in week.active_steps_on(day) if not s.unplanned]
        if len(planned) + extra > DAILY_CAP:
            raise DailyCapReached(f"{day} already has {len(planned)} steps; {DAILY_CAP} at most")

    # -- enrolment, values, repertoire -----------------------------------------

    @retried
    def enrol(self, person: str, locale: str, time_zone: str) -> bool:
        """Enrol a person, or bring their locale and time zone up to date.

        Returns True when the person is new."""
        _text(person, "person")
        _text(locale, "locale", 10)
        zone(time_zone)
        try:
            existing: Person = self.repository.get(person_id(person))
        except AggregateNotFoundError:
            self.save(Person(person_key=person, locale=locale, time_zone=time_zone, at=self._now()))
            return True
        if existing.locale != locale:
            existing.change_locale(locale)
        if existing.time_zone != time_zone:
            existing.change_time_zone(time_zone)
        self.save(existing)
        return False

    def is_enrolled(self, person: str) -> bool:
        return person_id(person) in self.repository

    def profile(self, person: str) -> Person:
        return self._person(person)

    @retried
    def name_value(self, person: str, area: str, text: str) -> str:
        p = self._person(person)
        area = _choice(area, LIFE_AREAS, "life area")
        text = _text(text, "value")
        for value_id, value in p.values.items():
            if value["area"] == area and value["text"].lower() == text.lower():
                return value_id
        value_id = f"value-{len(p.values) + 1}"
        p.name_value(value_id=value_id, area=area, text=text, at=self._now())
        self.save(p)
        return value_id

    @retried
    def add_activity(
        self,
        person: str,
        title: str,
        kind: str,
        area: str,
        difficulty: int,
        minutes: int,
        smaller: str | None = None,
        smaller_minutes: int | None = None,
        value_id: str | None = None,
    ) -> str:
        p = self._person(person)
        title = _text(title, "title")
        kind = _choice(kind, KINDS, "kind")
        area = _choice(area, LIFE_AREAS, "life area")
        difficulty = _difficulty(difficulty)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
            raise InvalidChoice("minutes must be 1 to 240")
        smaller = _text(smaller, "smaller version") if smaller else f"Just start: {title.lower()}"
        if smaller_minutes is None:
            smaller_minutes = max(1, min(2, minutes - 1))
        if not isinstance(smaller_minutes, int) or not 1 <= smaller_minutes <= minutes:
            raise InvalidChoice("a smaller version takes fewer minutes")
        if value_id is not None and value_id not in p.values:
            raise InvalidChoice(f"no value {value_id!r}")
        for activity in p.own.values():
            if activity.title.lower() == title.lower():
                return activity.key
        key = f"own-{_slug(title)}"
        if p.activity(key) is not None:
            key = f"{key}-{len(p.own) + 1}"
        p.add_activity(
            activity_id=key, title=title, kind=kind, area=area, value_id=value_id,
            difficulty=difficulty, minutes=minutes, smaller=smaller,
            smaller_minutes=smaller_minutes, at=self._now(),
        )
        self.save(p)
        return key

    @retried
    def set_relapse_plan(self, person: str, warning_signs: Sequence[str],
                         boosters: Sequence[str]) -> None:
        p = self._person(person)
        signs = _texts(warning_signs, "warning sign")
        for key in boosters:
            self._activity(p, key)
        p.set_relapse_plan(warning_signs=signs, boosters=tuple(boosters), at=self._now())
        self.save(p)

    # -- the household guard ---------------------------------------------------

    @retried
    def set_pin(self, person: str, pin: str | None) -> None:
        """Guard mood history and summaries with a 4-digit PIN (None removes it).
        Only a salted PBKDF2 hash is stored."""
        p = self._person(person)
        if pin is None:
            if p.pin_hash is not None:
                p.remove_pin(at=self._now())
                self.save(p)
            return
        if not isinstance(pin, str) or not PIN.fullmatch(pin):
            raise InvalidChoice("a PIN is four digits")
        salt = secrets.token_hex(8)
        p.set_pin(pin_hash=f"{salt}${_pin_digest(salt, pin)}", at=self._now())
        self.save(p)

    def has_pin(self, person: str | Person) -> bool:
        return self._reader(person).pin_hash is not None

    def check_pin(self, person: str | Person, pin: str) -> bool:
        stored = self._reader(person).pin_hash
        if stored is None or not isinstance(pin, str):
            return False
        salt, digest = stored.split("$", 1)
        return hmac.compare_digest(digest, _pin_digest(salt, pin))

    # -- scheduling -------------------------------------------------------------

    def _schedule(
        self,
        p: Person,
        week: Week,
        activity: Activity,
        day: date,
        part_of_day: str | None,
        at_time: time | None,
        *,
        unplanned: bool = False,
        moved_from: str | None = None,
        title: str | None = None,
        minutes: int | None = None,
    ) -> str:
        step_id = week.next_step_id()
        fields = activity_fields(activity, p.is_value_linked(activity))
        if title is not None:
            fields["title"], fields["minutes"] = title, minutes
        week.schedule(
            step_id=step_id, day=day, part_of_day=self._slot(part_of_day, at_time),
            at_time=at_time, unplanned=unplanned, moved_from=moved_from, at=self._now(),
            **fields,
        )
        return step_id

    @retried
    def schedule_step(
        self,
        person: str,
        activity: str,
        day: date | str,
        part_of_day: str | None = None,
        at_time: time | str | None = None,
    ) -> str:
        p = self._person(person)
        chosen = self._activity(p, activity)
        day, at_time = _date(day), _time(at_time)
        part_of_day = self._slot(part_of_day, at_time)
        week = self._week(p, week_id(day))
        self._check_cap(week, day)
        step_id = self._schedule(p, week, chosen, day, part_of_day, at_time)
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
            activity = self._activity(p, item.get("activity"))
            at_time = _time(item.get("at_time"))
            parsed.append((activity, _date(item.get("day")),
                           self._slot(item.get("part_of_day"), at_time), at_time))
        if not any(p.is_value_linked(a) for a, *_ in parsed):
            raise PlanNeedsMeaningfulStep("keep at least one step linked to what matters")
        weeks: dict[str, Week] = {}
        for day, count in Counter(d for _, d, _, _ in parsed).items():
            week = weeks.setdefault(week_id(day), self._week(p, week_id(day)))
            self._check_cap(week, day, count)
        step_ids = []
        for activity, day, part, at_time in parsed:
            week = weeks[week_id(day)]
            step_ids.append(self._schedule(p, week, activity, day, part, at_time))
        now = self._now()
        for week in weeks.values():
            mine = tuple(s for s in step_ids if s.startswith(week.week + "."))
            week.mark_planned(step_ids=mine, at=now)
        self.save(*weeks.values())
        return step_ids

    # -- monitoring -------------------------------------------------------------

    def _pick_step(self, p: Person, week: Week, today: date, step_id: str | None) -> tuple[Week, Step]:
        if step_id is not None:
            step = week.steps.get(step_id)
            if step is not None and step.status != MOVED_AWAY:
                return week, step  # this week, possibly with unsaved changes
            return self._step(p, step_id)
        pending = [s for s in week.active_steps_on(today) if s.status == PENDING]
        if not pending:
            raise NoStepToLog("nothing is waiting today")
        return week, pending[0]

    @retried
    def log_done(
        self,
        person: str,
        step_id: str | None = None,
        activity: str | None = None,
        mastery: int | None = None,
        enjoyment: int | None = None,
    ) -> StepView:
        """Mark a step done: a given step, today's step for an activity (scheduled
        on the spot if it was not planned), or today's earliest pending step."""
        p = self._person(person)
        mastery = _rating(mastery, "mastery", optional=True)
        enjoyment = _rating(enjoyment, "enjoyment", optional=True)
        now = self._now()
        today = local_date(now, p.time_zone)
        week = self._week(p, week_id(today))
        if step_id is None and activity is not None:
            chosen = self._activity(p, activity)
            mine = [s for s in week.active_steps_on(today)
                    if s.activity_id == chosen.key and s.status != DONE]
            if mine:
                step_id = mine[0].step_id
            else:
                step_id = self._schedule(p, week, chosen, today, ANYTIME, None, unplanned=True)
        week, step = self._pick_step(p, week, today, step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already logged as done")
        week.mark_done(step_id=step.step_id, day=today, at=now, mastery=mastery,
                       enjoyment=enjoyment)
        self.save(week)
        return self._step_view(week, step)

    @retried
    def rate_step(self, person: str, step_id: str, mastery: int | None = None,
                  enjoyment: int | None = None) -> None:
        p = self._person(person)
        mastery = _rating(mastery, "mastery", optional=True)
        enjoyment = _rating(enjoyment, "enjoyment", optional=True)
        week, step = self._step(p, step_id)
        if step.status != DONE:
            raise NoStepToLog("only a step that was done can be rated")
        week.rate_step(step_id=step_id, mastery=mastery, enjoyment=enjoyment)
        self.save(week)

    @retried
    def log_not_done(
        self,
        person: str,
        step_id: str | None = None,
        barrier: str | None = None,
        note: str | None = None,
    ) -> StepView:
        """Not today. The barrier is optional; a short note only with 'other'-like detail."""
        p = self._person(person)
        if barrier is not None:
            _choice(barrier, BARRIERS, "barrier")
        note = _text(note, "note", MAX_NOTE_CHARS) if note else None
        now = self._now()
        today = local_date(now, p.time_zone)
        week, step = self._pick_step(p, self._week(p, week_id(today)), today, step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already logged as done")
        if step.status == NOT_DONE:
            raise StepAlreadyLogged(f"{step.title} is already marked not today")
        week.mark_not_done(step_id=step.step_id, day=today, at=now, barrier=barrier, note=note)
        self.save(week)
        return self._step_view(week, step)

    @retried
    def rate_mood(self, person: str, value: int, step_id: str | None = None,
                  moment: str | None = None) -> str:
        p = self._person(person)
        value = _rating(value, "mood")
        moment = moment or ("after" if step_id else "standalone")
        _choice(moment, MOOD_MOMENTS, "moment")
        if (moment == "standalone") != (step_id is None):
            raise InvalidChoice("a mood before or after goes with a step")
        now = self._now()
        today = local_date(now, p.time_zone)
        week = self._step(p, step_id)[0] if step_id else self._week(p, week_id(today))
        mood_id = week.next_mood_id()
        week.rate_mood(mood_id=mood_id, value=value, day=today, at=now, step_id=step_id,
                       moment=moment)
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
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already done")
        day, at_time = _date(day), _time(at_time)
        part_of_day = self._slot(part_of_day or (None if at_time else step.part_of_day), at_time)
        if week.contains(day):
            if day != step.day:
                self._check_cap(week, day)
            week.move(step_id=step_id, day=day, part_of_day=part_of_day, at_time=at_time,
                      at=self._now())
            self.save(week)
            return step_id
        target = self._week(p, week_id(day))
        self._check_cap(target, day)
        new_id = self._schedule(p, target, self._activity(p, step.activity_id), day,
                                part_of_day, at_time, moved_from=step_id,
                                title=step.title, minutes=step.minutes)
        week.move_away(step_id=step_id, day=day, new_step_id=new_id, at=self._now())
        self.save(week, target)
        return new_id

    @retried
    def make_smaller(self, person: str, step_id: str) -> StepView:
        p = self._person(person)
        week, step = self._step(p, step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already done")
        if step.is_smaller:
            raise CannotMakeSmaller("this step is already its smallest version")
        week.make_smaller(step_id=step_id, title=step.smaller, minutes=step.smaller_minutes,
                          at=self._now())
        self.save(week)
        return self._step_view(week, step)

    @retried
    def swap_step(self, person: str, step_id: str, activity: str) -> StepView:
        p = self._person(person)
        week, step = self._step(p, step_id)
        if step.status == DONE:
            raise StepAlreadyDone(f"{step.title} is already done")
        chosen = self._activity(p, activity)
        week.swap(step_id=step_id, at=self._now(),
                  **activity_fields(chosen, p.is_value_linked(chosen)))
        self.save(week)
        return self._step_view(week, step)

    @retried
    def pair_step(self, person: str, step_id: str, routine: str) -> StepView:
        p = self._person(person)
        week, step = self._step(p, step_id)
        week.pair(step_id=step_id, routine=_text(routine, "routine"), at=self._now())
        self.save(week)
        return self._step_view(week, step)

    @retried
    def review_week(self, person: str, week: str, helped: Sequence[str] = (),
                    barriers: Sequence[str] = (), adjustments: Sequence[str] = ()) -> None:
        p = self._person(person)
        _week_id(week)
        w = self._week(p, week)
        w.record_review(helped=_texts(helped, "what helped"),
                        barriers=_texts(barriers, "barrier"),
                        adjustments=_texts(adjustments, "adjustment"), at=self._now())
        self.save(w)

    @retried
    def record_safety_offered(self, person: str, locale: str) -> None:
        """That crisis resources were offered — never what was said. Works before
        enrolment too: safety never waits for a profile."""
        now = self._now()
        try:
            day = local_date(now, self._person(person).time_zone)
        except NotEnrolled:
            day = now.date()
        week = self._week(person, week_id(day))
        week.record_safety_offered(locale=_text(locale, "locale", 10), at=now)
        self.save(week)

    # -- views: catching up -----------------------------------------------------

    def catch_up(self, progress: Callable[[int, int], None] | None = None, *,
                 batch: int | None = None) -> int:
        """Apply every event recorded so far to the views, exactly once.

        Safe to call from any number of threads and processes at once, and beside a
        ProjectionRunner: the views' own transaction decides what is new. `progress`,
        if given, hears (position, target) every PROGRESS_EVERY events. `batch`: the
        events applied per transaction; far behind (a rebuild, a projector starting),
        LONG_CATCH_UP_BATCH writes each row fewer times and new rows by COPY."""
        return self._catch_up(progress, batch=batch)[0]

    def _current(self) -> None:
        """Before a query reads the views: bring them to the end of the log, helping
        with at most QUERY_CATCH_UP events; further behind, refuse (ViewsCatchingUp)."""
        position, target = self._catch_up(most=QUERY_CATCH_UP)
        if position < target:
            raise ViewsCatchingUp(f"the views are {target - position} events behind")

    def _catch_up(self, progress: Callable[[int, int], None] | None = None, *,
                  batch: int | None = None, most: int | None = None) -> tuple[int, int]:
        """(position reached, the last event when it began)."""
        batch = batch or CATCH_UP_BATCH
        if most is not None:
            batch = min(batch, most)
        target, position = self.progress()
        told = began = position
        page = min(batch, CATCH_UP_BATCH)  # read in pages; larger ones read no faster
        while position < target:
            if most is not None and position - began >= most:
                break
            items: list[tuple[Any, Tracking]] = []
            start = position + 1
            while len(items) < batch:
                notifications = self.recorder.select_notifications(
                    start=start, limit=page, stop=target)
                if not notifications:
                    break
                items += self._tracked(notifications)
                start = notifications[-1].id + 1
                if len(notifications) < page:
                    break
            if not items:
                position = target  # nothing left to read: ids up to it were never used
                break
            position = max(self.views.apply(items), items[-1][1].notification_id)
            if progress is not None and position - told >= PROGRESS_EVERY:
                progress(position, target)
                told = position
        return position, target

    @functools.cached_property
    def _progress_sql(self) -> tuple[str, dict[str, Any]]:
        """The last event's notification id and the views' position (a row ``head``,
        ``position``): read with a query's views, in the same round trip."""
        column = "notification_id" if isinstance(self.views, PostgresViews) else "rowid"
        return (f"SELECT (SELECT max({column}) FROM {self._events_table}) AS head, "
                f"(SELECT max(notification_id) FROM {self._tracking_table} "
                "WHERE application_name = :views) AS position", {"views": VIEWS_NAME})

    def progress(self) -> tuple[int, int]:
        """(the last event's notification id, the views' position): on PostgreSQL one
        statement, no retries. Every query's catch-up asks it first, and so does the
        health check, which must answer or fail fast."""
        if not isinstance(self.views, PostgresViews):
            return self.recorder.max_notification_id() or 0, self.views.position()
        schema = self.views.datastore.schema
        with self.views.datastore.get_connection() as conn:
            row = conn.execute(
                f'SELECT (SELECT max(notification_id) FROM "{schema}".{self._events_table}) '
                f'AS head, (SELECT max(notification_id) FROM "{schema}".{self._tracking_table} '
                "WHERE application_name = %s) AS position", (VIEWS_NAME,), prepare=True,
            ).fetchone()
        return row["head"] or 0, row["position"] or 0

    def _events_log(self) -> SQLiteLog | PostgresLog:
        """The events and snapshots tables, read and changed through the views'
        own write transaction."""
        snapshots = self.snapshots.recorder if self.snapshots is not None else None
        if isinstance(self.views, SQLiteViews):
            return SQLiteLog(self.recorder, snapshots)
        if isinstance(self.views, PostgresViews):
            return PostgresLog(self.recorder, snapshots)
        raise TypeError(f"no events log for {type(self.recorder).__name__}")  # pragma: no cover

    def attach_views(self, views: SQLiteViews | PostgresViews) -> None:
        """Let `views` read this application's events through their own write
        transaction, for the events a batch given to them does not include
        (``ViewsMixin.fill``). The views of a ProjectionRunner are attached too."""
        events_log = self._events_log()

        def read_after(cur: Any, position: int, limit: int,
                       before: int | None) -> list[tuple[Any, Tracking]]:
            return self._tracked(events_log.notifications_after(cur, position, limit, before))

        views.read_after = read_after

    def _tracked(self, notifications: Iterable[Any]) -> list[tuple[Any, Tracking]]:
        """Notifications as the views take them: (domain event, tracking)."""
        decode = self.mapper.to_domain_event
        return [(decode(n), Tracking(VIEWS_NAME, n.id)) for n in notifications]

    def rebuild_views(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Empty the views and build them again from the whole event log."""
        self.views.reset()
        return self.catch_up(progress, batch=LONG_CATCH_UP_BATCH)

    # -- erasure ------------------------------------------------------------------

    def erase_person(self, person: str) -> bool:
        """Delete my data: every event and snapshot of the person and of each of
        their weeks, and every view row of theirs. Other people are untouched.

        Returns False when there was nothing to erase (never enrolled, or erased
        already). Nothing about the person is recorded, not even that they were
        erased; afterwards they can enrol again as someone new.

        One transaction, under the lock the views are written under. Inside it the
        views are first brought to the very end of the log, so every week the person
        has is listed in ss_weeks and the views' position is past every erased event
        (a catch-up elsewhere holding a stale batch skips them); and no event can be
        appended until it commits (SQLite's write lock, PostgreSQL's table lock)."""
        if not isinstance(person, str):
            raise InvalidText("person is not a text")
        pid = person_id(person)
        events_log = self._events_log()
        placeholder = placeholder_maker(self.mapper)
        self.catch_up()  # most of the way before taking the lock
        with self.views.writing() as (cur, position):
            events_log.lock(cur)
            self.views.fill(cur, position)
            params = {"p": pid.hex}
            weeks = {UUID(r["week_aggregate_id"]) for r in cur.all(
                "SELECT week_aggregate_id FROM ss_weeks WHERE person_id = :p", params)}
            weeks.update(week_aggregate_id(pid, r["week"]) for r in cur.all(
                "SELECT DISTINCT week FROM ss_steps WHERE person_id = :p", params))
            events = events_log.delete(cur, [pid, *sorted(weeks)], placeholder)
            rows = 0
            for table in VIEW_TABLES:
                rows += cur.one(f"SELECT COUNT(*) AS n FROM {table} WHERE person_id = :p",
                                params)["n"]
                cur.run(f"DELETE FROM {table} WHERE person_id = :p", params)
            self.views.writer.forget_person(pid.hex)
        self.replies.forget_person(pid.hex)  # replies kept for retries say what was spoken
        log.info("erased a person at their request: %d events, %d view rows", events, rows)
        return bool(events or rows)

    def _read(self, *statements: tuple[str, dict[str, Any]]) -> list[list[dict]]:
        """A query's view rows, read together (one round trip on PostgreSQL), from
        views that hold every event recorded so far: a command applies its own events
        in its own transaction, so they normally do; when they do not (a rebuild, a
        writer that left its events to the projector) this helps with the rest first,
        at most QUERY_CATCH_UP of them (ViewsCatchingUp further behind)."""
        [progress], *found = self.views.read_all([self._progress_sql, *statements])
        if (progress["head"] or 0) > (progress["position"] or 0):
            self._current()
            found = self.views.read_all(statements)
        return found

    # -- queries ----------------------------------------------------------------

    def today(self, person: str | Person, day: date | str | None = None) -> Today:
        p = self._reader(person)
        day = _date(day) if day is not None else self._local_today(p)
        steps, lifts = self._read(self._recent_sql(p, day), self._lifts_sql(p))
        views = [_step_view_from_row(r) for r in steps]
        todays = tuple(sorted((s for s in views if s.day == day), key=_view_order))
        pending = [s for s in todays if s.status == PENDING]
        suggestion = None if pending else self._suggest(p, day, views, stats=_stats(lifts))
        return Today(day=day, steps=todays, small_step=pending[0] if pending else None,
                     suggestion=suggestion)

    def suggest(self, person: str | Person, day: date | str | None = None,
                exclude: Iterable[str] = ()) -> Suggestion | None:
        """A small step to offer ("something else" passes what was offered already)."""
        p = self._reader(person)
        day = _date(day) if day is not None else self._local_today(p)
        steps, lifts = self._read(self._recent_sql(p, day), self._lifts_sql(p))
        return self._suggest(p, day, [_step_view_from_row(r) for r in steps], exclude,
                             _stats(lifts))

    @staticmethod
    def _recent_sql(p: Person, day: date) -> tuple[str, dict[str, Any]]:
        """Steps of the last few days up to ``day``: what the suggestion rules look at."""
        return ("SELECT * FROM ss_steps WHERE person_id = :p AND day >= :since AND day <= :day "
                "AND status <> 'moved_away'",
                {"p": p.id.hex,
                 "since": (day - timedelta(days=suggest.RECENT_DONE_DAYS)).isoformat(),
                 "day": day.isoformat()})

    @staticmethod
    def _lifts_sql(p: Person) -> tuple[str, dict[str, Any]]:
        """Measured mood lifts per activity: the only evidence suggestions read."""
        return "SELECT * FROM ss_lifts WHERE person_id = :p", {"p": p.id.hex}

    @staticmethod
    def _insights_sql(p: Person) -> tuple[str, dict[str, Any]]:
        return "SELECT * FROM ss_insights WHERE person_id = :p", {"p": p.id.hex}

    def _suggest(self, p: Person, day: date, recent: list[StepView],
                 exclude: Iterable[str] = (),
                 stats: tuple[dict[str, Stats], dict[str, Stats]] = ({}, {}),
                 ) -> Suggestion | None:
        by_activity, by_kind = stats
        return suggest.choose(
            p.repertoire(), today=day, recent=recent, by_activity=by_activity,
            by_kind=by_kind, is_value_linked=p.is_value_linked, prefers_values=bool(p.values),
            exclude=exclude,
        )


    def propose_week(self, person: str | Person, day: date | str | None = None,
                     count: int = 3) -> list[dict[str, Any]]:
        """A gentle plan for the rest of the week: up to ``count`` steps of different
        kinds, the first value-linked, spread over the days left. Nothing is stored
        until the person agrees and ``plan_week`` is called."""
        p = self._reader(person)
        day = _date(day) if day is not None else self._local_today(p)
        _, last = week_days(week_id(day))
        days = suggest.spread_days(day, last, count)
        steps, lifts, insights = self._read(self._recent_sql(p, day), self._lifts_sql(p),
                                            self._insights_sql(p))
        recent, stats = [_step_view_from_row(r) for r in steps], _stats(lifts)
        chosen: list[Suggestion] = []
        kinds: set[str] = set()
        for _ in days:
            taken = [s.activity_id for s in chosen]
            other_kinds = taken + [a.key for a in p.repertoire() if a.kind in kinds]
            pick = (self._suggest(p, day, recent, other_kinds, stats)
                    or self._suggest(p, day, recent, taken, stats))
            if pick is None:
                break
            chosen.append(pick)
            kinds.add(pick.kind)
        by_activity_slot = _best_slots(insights)
        return [
            {"activity": s.activity_id, "title": s.title, "kind": s.kind, "day": d,
             "part_of_day": by_activity_slot.get(s.activity_id,
                                                 "morning" if s.kind == "routine" else "afternoon")}
            for s, d in zip(chosen, days, strict=False)
        ]

    def week(self, person: str | Person, week: str | None = None) -> WeekSummary:
        p = self._reader(person)
        week = _week_id(week) if week is not None else week_id(self._local_today(p))
        pid = p.id.hex
        first, last = week_days(week)
        rows, moods, meta = self._read(
            ("SELECT * FROM ss_steps WHERE person_id = :p AND week = :w "
             "AND status <> 'moved_away'", {"p": pid, "w": week}),
            ("SELECT day, value FROM ss_moods WHERE person_id = :p AND day >= :a AND day <= :b",
             {"p": pid, "a": (first - timedelta(days=7)).isoformat(), "b": last.isoformat()}),
            ("SELECT * FROM ss_weeks WHERE person_id = :p AND week = :w", {"p": pid, "w": week}),
        )
        steps = tuple(sorted((_step_view_from_row(r) for r in rows), key=_view_order))
        this = [m["value"] for m in moods if m["day"] >= first.isoformat()]
        before = [m["value"] for m in moods if m["day"] < first.isoformat()]
        mood_average = _mean(this)
        previous = _mean(before)
        total = Tally()
        by_kind: dict[str, Tally] = {k: Tally() for k in KINDS}
        by_day: dict[date, Tally] = {first + timedelta(days=i): Tally() for i in range(7)}
        for s in steps:
            total = total.add(s.status, s.unplanned)
            by_kind[s.kind] = by_kind[s.kind].add(s.status, s.unplanned)
            by_day[s.day] = by_day[s.day].add(s.status, s.unplanned)
        barriers = tuple(sorted(Counter(s.barrier for s in steps if s.barrier).items(),
                                key=lambda kv: (-kv[1], BARRIERS.index(kv[0]))))
        return WeekSummary(
            week=week, first_day=first, last_day=last, total=total, by_kind=by_kind,
            by_day=by_day, steps=steps, mood_average=mood_average, mood_count=len(this),
            previous_mood_average=previous,
            mood_change=(round(mood_average - previous, 2)
                         if mood_average is not None and previous is not None else None),
            best_lift=_best_lift(steps), barriers=barriers,
            adjustment=suggest.adjustment(steps, barriers),
            planned_together=bool(meta and meta[0]["planned"]),
            review=json.loads(meta[0]["review"]) if meta and meta[0]["review"] else None,
            safety_offers=meta[0]["safety_offers"] if meta else 0,
        )

    def insights(self, person: str | Person) -> Insights:
        p = self._reader(person)
        [rows] = self._read(self._insights_sql(p))
        per_activity: dict[str, dict[str, Any]] = {}
        kinds: dict[str, Stats] = {k: Stats() for k in KINDS}
        kinds_by_part: dict[str, dict[str, Stats]] = {k: {} for k in KINDS}
        for r in rows:
            stats = _stats_from_row(r)
            entry = per_activity.setdefault(
                r["activity_id"], {"title": r["title"], "kind": r["kind"], "parts": {}})
            entry["parts"][r["slot"]] = stats
            kinds[r["kind"]] += stats
            parts = kinds_by_part[r["kind"]]
            parts[r["slot"]] = parts.get(r["slot"], Stats()) + stats
        activities = [
            ActivityInsight(activity_id=a, title=e["title"], kind=e["kind"],
                            total=sum(e["parts"].values(), Stats()), by_part=e["parts"])
            for a, e in per_activity.items()
        ]
        activities.sort(key=lambda i: (-i.total.done, -i.total.scheduled, i.activity_id))
        return Insights(activities=tuple(activities), kinds=kinds, kinds_by_part=kinds_by_part)

    def lapse(self, person: str | Person, day: date | str | None = None) -> Lapse:
        """Warning signs: days without a step, a falling mood. Whether to offer the
        relapse-prevention prompt and the way back."""
        p = self._reader(person)
        day = _date(day) if day is not None else self._local_today(p)
        pid = p.id.hex
        people, moods = self._read(
            ("SELECT * FROM ss_people WHERE person_id = :p", {"p": pid}),
            ("SELECT day, value FROM ss_moods WHERE person_id = :p AND day > :a AND day <= :b",
             {"p": pid, "a": (day - timedelta(days=14)).isoformat(), "b": day.isoformat()}),
        )
        row = people[0]
        last_done = date.fromisoformat(row["last_done_day"]) if row["last_done_day"] else None
        since = (day - last_done).days if last_done else None
        cut = (day - timedelta(days=7)).isoformat()
        recent = _mean([m["value"] for m in moods if m["day"] > cut])
        earlier = _mean([m["value"] for m in moods if m["day"] <= cut])
        trend = round(recent - earlier, 2) if recent is not None and earlier is not None else None
        reasons = []
        if since is not None and since >= LAPSE_DAYS:
            reasons.append("no_steps_for_days")
        if trend is not None and trend <= -MOOD_FALL:
            reasons.append("mood_falling")
        enrolled = date.fromisoformat(row["enrolled_day"])
        if last_done is None and (day - enrolled).days >= LAPSE_DAYS:
            reasons.append("not_started")
        return Lapse(
            day=day, days_since_last_done=since, mood_last_7_days=recent,
            mood_previous_7_days=earlier, mood_trend=trend, should_prompt=bool(reasons),
            reasons=tuple(reasons), boosters=tuple(json.loads(row["boosters"])),
            warning_signs=tuple(json.loads(row["warning_signs"])),
        )

    # -- helpers ------------------------------------------------------------------

    def _step_view(self, week: Week, step: Step) -> StepView:
        s = week.steps[step.step_id]
        return StepView(
            step_id=s.step_id, activity_id=s.activity_id, title=s.title, kind=s.kind,
            area=s.area, day=s.day, part_of_day=s.part_of_day, at_time=s.at_time,
            status=s.status, value_linked=s.value_linked, difficulty=s.difficulty,
            minutes=s.minutes, smaller=s.smaller, smaller_minutes=s.smaller_minutes,
            is_smaller=s.is_smaller, unplanned=s.unplanned, paired_with=s.paired_with,
            barrier=s.barrier, mastery=s.mastery, enjoyment=s.enjoyment,
            mood_before=None, mood_after=None,
        )


PIN = re.compile(r"\d{4}")


def _is_missing_table(error: Exception) -> bool:
    text = str(error).lower()
    return "does not exist" in text or "no such table" in text


def _pin_digest(salt: str, pin: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), 100_000).hex()


def _week_id(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-W\d{2}", value):
        raise InvalidDate(f"{value!r} is not an ISO week like 2026-W47")
    try:
        week_days(value)
    except ValueError as e:
        raise InvalidDate(f"{value!r} is not a week that exists") from e
    return value


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _view_order(s: StepView) -> tuple:
    return step_order(s.day, s.part_of_day, s.at_time, s.step_id)


def _step_view_from_row(r: dict) -> StepView:
    return StepView(
        step_id=r["step_id"], activity_id=r["activity_id"], title=r["title"], kind=r["kind"],
        area=r["area"], day=date.fromisoformat(r["day"]), part_of_day=r["part_of_day"],
        at_time=time.fromisoformat(r["at_time"]) if r["at_time"] else None,
        status=r["status"], value_linked=bool(r["value_linked"]), difficulty=r["difficulty"],
        minutes=r["minutes"], smaller=r["smaller"], smaller_minutes=r["smaller_minutes"],
        is_smaller=bool(r["is_smaller"]), unplanned=bool(r["unplanned"]),
        paired_with=r["paired_with"], barrier=r["barrier"], mastery=r["mastery"],
        enjoyment=r["enjoyment"], mood_before=r["mood_before"], mood_after=r["mood_after"],
    )


def _stats(lifts: Iterable[dict]) -> tuple[dict[str, Stats], dict[str, Stats]]:
    """Measured mood lifts per activity and per kind, from ss_lifts rows."""
    by_activity: dict[str, Stats] = {}
    by_kind: dict[str, Stats] = defaultdict(Stats)
    for r in lifts:
        stats = Stats(lift_sum=r["lift_sum"], lift_n=r["lift_n"])
        by_activity[r["activity_id"]] = stats
        by_kind[r["kind"]] += stats
    return by_activity, dict(by_kind)


def _best_slots(insights: Iterable[dict]) -> dict[str, str]:
    """Per activity, the part of the day it was most often done when planned."""
    best: dict[str, tuple[float, int, str]] = {}
    for r in insights:
        if r["slot"] == ANYTIME or not r["scheduled"]:
            continue
        key = (r["done"] / r["scheduled"], r["done"], r["slot"])
        if r["activity_id"] not in best or key > best[r["activity_id"]]:
            best[r["activity_id"]] = key
    return {a: k[2] for a, k in best.items()}


def _stats_from_row(r: dict) -> Stats:
    return Stats(r["scheduled"], r["done"], r["not_done"], r["lift_sum"], r["lift_n"])


def _best_lift(steps: Sequence[StepView]) -> Lift | None:
    lifts: dict[str, list[int]] = defaultdict(list)
    titles: dict[str, str] = {}
    for s in steps:
        if s.mood_lift is not None:
            lifts[s.activity_id].append(s.mood_lift)
            titles[s.activity_id] = s.title
    if not lifts:
        return None
    best = max(lifts, key=lambda a: (sum(lifts[a]) / len(lifts[a]), len(lifts[a]), a))
    values = lifts[best]
    return Lift(best, titles[best], round(sum(values) / len(values), 2), len(values))
