"""The read models, and how each domain event changes them.

The tables are plain SQL that SQLite and PostgreSQL both accept. Every batch of
events is applied in one transaction together with the tracking position of its
last event, under a lock, so each event changes the views exactly once however many
processes catch up at the same time, and a crash leaves either all or none of a batch.

A batch is applied in memory (``Batch``): the rows its events read are loaded with a
query per table for the whole batch, each event's handler changes them as dicts, and
the batch is written back with a statement or two per table. One event from a
ProjectionRunner and thousands from a catch-up or a rebuild go through the same
handlers, so both produce the same rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from typing import Any, Protocol

from domain.week import slot_of

TABLES = (
    """CREATE TABLE IF NOT EXISTS ss_people (
        person_id TEXT PRIMARY KEY,
        locale TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        enrolled_day TEXT NOT NULL,
        last_done_day TEXT,
        done_total INTEGER NOT NULL DEFAULT 0,
        warning_signs TEXT NOT NULL DEFAULT '[]',
        boosters TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE IF NOT EXISTS ss_weeks (
        week_aggregate_id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        week TEXT NOT NULL,
        planned INTEGER NOT NULL DEFAULT 0,
        review TEXT,
        safety_offers INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ss_weeks_person ON ss_weeks (person_id, week)",
    """CREATE TABLE IF NOT EXISTS ss_steps (
        person_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        week TEXT NOT NULL,
        day TEXT NOT NULL,
        part_of_day TEXT NOT NULL,
        at_time TEXT,
        slot TEXT NOT NULL,
        seq INTEGER NOT NULL,
        activity_id TEXT NOT NULL,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        area TEXT NOT NULL,
        value_linked INTEGER NOT NULL,
        difficulty INTEGER NOT NULL,
        minutes INTEGER NOT NULL,
        smaller TEXT NOT NULL,
        smaller_minutes INTEGER NOT NULL,
        is_smaller INTEGER NOT NULL DEFAULT 0,
        unplanned INTEGER NOT NULL DEFAULT 0,
        paired_with TEXT,
        moved_from TEXT,
        status TEXT NOT NULL,
        done_at TEXT,
        mastery INTEGER,
        enjoyment INTEGER,
        barrier TEXT,
        mood_before INTEGER,
        mood_after INTEGER,
        PRIMARY KEY (person_id, step_id)
    )""",
    "CREATE INDEX IF NOT EXISTS ss_steps_day ON ss_steps (person_id, day)",
    "CREATE INDEX IF NOT EXISTS ss_steps_week ON ss_steps (person_id, week)",
    """CREATE TABLE IF NOT EXISTS ss_moods (
        person_id TEXT NOT NULL,
        mood_id TEXT NOT NULL,
        day TEXT NOT NULL,
        at TEXT NOT NULL,
        value INTEGER NOT NULL,
        step_id TEXT,
        moment TEXT NOT NULL,
        PRIMARY KEY (person_id, mood_id)
    )""",
    "CREATE INDEX IF NOT EXISTS ss_moods_day ON ss_moods (person_id, day)",
    """CREATE TABLE IF NOT EXISTS ss_insights (
        person_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        slot TEXT NOT NULL,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        scheduled INTEGER NOT NULL,
        done INTEGER NOT NULL,
        not_done INTEGER NOT NULL,
        lift_sum INTEGER NOT NULL,
        lift_n INTEGER NOT NULL,
        PRIMARY KEY (person_id, activity_id, slot)
    )""",
    # Measured mood lifts per activity: the only evidence suggestions read, so a
    # suggestion reads a handful of rows however long the person's history.
    """CREATE TABLE IF NOT EXISTS ss_lifts (
        person_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        lift_sum INTEGER NOT NULL,
        lift_n INTEGER NOT NULL,
        PRIMARY KEY (person_id, activity_id)
    )""",
)

VIEW_TABLES = ("ss_people", "ss_weeks", "ss_steps", "ss_moods", "ss_insights", "ss_lifts")


def _schema(ddl: Iterable[str]) -> tuple[dict, dict, dict]:
    """Each table's columns (name -> SQL type, in order), defaults and primary key,
    read from the DDL above, so the tables are declared once."""
    columns: dict[str, dict[str, str]] = {}
    defaults: dict[str, dict[str, Any]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for statement in ddl:
        table = re.match(r"CREATE TABLE IF NOT EXISTS (\w+) \(", statement)
        if table is None:
            continue
        name = table.group(1)
        columns[name], defaults[name] = {}, {}
        for line in statement[table.end():].splitlines():
            line = line.strip().rstrip(",)").strip()
            key = re.fullmatch(r"PRIMARY KEY \(([\w, ]+)", line)
            if key:
                keys[name] = tuple(c.strip() for c in key.group(1).split(","))
                continue
            column = re.match(r"(\w+) (TEXT|INTEGER)\b(.*)", line)
            if column is None:
                continue
            columns[name][column.group(1)] = column.group(2)
            if "PRIMARY KEY" in column.group(3):
                keys[name] = (column.group(1),)
            default = re.search(r"DEFAULT ('[^']*'|-?\d+)", column.group(3))
            if default:
                value = default.group(1)
                defaults[name][column.group(1)] = value[1:-1] if value[0] == "'" else int(value)
    return columns, defaults, keys


COLUMNS, DEFAULTS, KEYS = _schema(TABLES)
# Sums over the current steps, kept by adding signed changes to them; the first
# counter is zero exactly when nothing is summed, and then the row goes.
COUNTERS = {
    "ss_insights": ("scheduled", "done", "not_done", "lift_sum", "lift_n"),
    "ss_lifts": ("lift_n", "lift_sum"),
}

# A batch's reads and writes, for Cursor.find and Cursor.write.
Find = tuple[str, tuple[str, ...], Sequence[tuple]]  # table, columns, values to match
Change = tuple[str, str, Sequence[Any]]  # kind, table, row dicts or keys (Cursor.write)


class Cursor(Protocol):
    """What the writer needs of a transaction: named ``:params`` and dict rows, and
    reads and writes of many rows of several tables at once (a round trip for all of
    them where the database is a server)."""

    def run(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def one(self, sql: str, params: dict[str, Any] | None = None) -> dict | None: ...

    def all(self, sql: str, params: dict[str, Any] | None = None) -> list[dict]: ...

    def find(self, requests: Sequence[Find]) -> list[list[dict]]:
        """For each (table, columns, values): the rows whose ``columns`` equal one of
        the ``values`` tuples."""
        ...

    def write(self, changes: Sequence[Change]) -> None:
        """In order: ("insert", table, rows) adds rows (dicts of every column),
        ("update", table, rows) sets every column of the rows with those primary
        keys, ("add", table, rows) adds each row's COUNTERS to the row with its key
        and sets its other columns, or inserts it where there is none, and ("prune",
        table, keys) deletes those of the rows with those primary keys whose first
        counter is zero."""
        ...


def iso(value: date | datetime | time | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        # One fixed width, so stored instants sort as text.
        return value.isoformat(timespec="microseconds")
    return value.isoformat()


def topic_name(event: object) -> str:
    return type(event).__qualname__


# -- a batch's rows, in memory ------------------------------------------------------


class Rows:
    """The rows of one view table that a batch reads or changes, by primary key.

    Each is loaded at most once (the keys of a batch together), changed in memory
    as a dict, and written back by ``changes``: a statement for the rows changed and
    one for the new ones, however often each changed."""

    def __init__(self, batch: Batch, table: str):
        self.batch = batch
        self.table = table
        self.key = KEYS[table]
        self.columns = tuple(COLUMNS[table])
        self.defaults = DEFAULTS[table]
        self.stored: dict[tuple, dict | None] = {}  # as the batch found them (None: no row)
        self.current: dict[tuple, dict | None] = {}  # as they are now

    def missing(self, keys: Iterable[tuple]) -> list[tuple]:
        """The keys not loaded yet, now taken for absent until ``loaded`` says otherwise."""
        current = self.current
        new = [k for k in set(keys) if k not in current]
        for k in new:
            current[k] = self.stored[k] = None
        return new

    def loaded(self, rows: list[dict]) -> None:
        if len(self.key) == 1:
            name = self.key[0]
            for row in rows:
                k = (row[name],)
                self.stored[k], self.current[k] = row, dict(row)
        else:
            for row in rows:
                k = tuple([row[c] for c in self.key])
                self.stored[k], self.current[k] = row, dict(row)

    def get(self, key: tuple) -> dict | None:
        if key not in self.current:
            self.batch.load((self, (key,)))
        return self.current[key]

    def insert(self, key: tuple, row: dict) -> dict:
        """A new row, as INSERT makes it: the columns not given take their defaults.

        A key that is already there is an error, here if the row was loaded,
        otherwise when the batch is written (nothing is read to find out)."""
        if self.current.get(key) is not None:
            raise ValueError(f"{self.table} already has a row {key}")
        self.stored.setdefault(key, None)
        if len(row) != len(self.columns):
            row = {**dict.fromkeys(self.columns), **self.defaults, **row}
        self.current[key] = row
        return row

    def changes(self) -> list[Change]:
        inserts, updates = [], []
        stored = self.stored
        for key, row in self.current.items():
            if row is None:
                continue
            before = stored[key]
            if before is None:
                inserts.append(row)
            elif row != before:
                updates.append(row)
        return [change for change in (("update", self.table, updates),
                                      ("insert", self.table, inserts)) if change[2]]


class DayMoods:
    """Each (person, day)'s moods as stored when the batch began, and as the batch
    added them since: [(at, mood_id, value)], for 'the latest mood earlier that day'."""

    table, key = "ss_moods", ("person_id", "day")

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], list[tuple]] = {}
        self.new: dict[tuple[str, str], list[tuple]] = {}

    def missing(self, keys: Iterable[tuple]) -> list[tuple]:
        new = [k for k in set(keys) if k not in self.stored]
        for k in new:
            self.stored[k] = []
        return new

    def loaded(self, rows: list[dict]) -> None:
        for r in rows:
            self.stored[(r["person_id"], r["day"])].append((r["at"], r["mood_id"], r["value"]))

    def add(self, person: str, day: str, at: str, mood_id: str, value: int) -> None:
        self.new.setdefault((person, day), []).append((at, mood_id, value))


class Batch:
    """One batch of events applied in memory, then written in a few statements.

    Insights and lifts are sums over the current steps: each change to a step takes
    the step's old contribution out (-1) and puts its new one in (+1). A batch adds
    up those contributions per row and adds the totals to the stored rows without
    reading them, setting title and kind as the last contribution had them; a row
    that had a contribution taken out goes if nothing is left in it (only a row
    whose first counter the batch did not raise can have nothing left: stored
    counters are never negative)."""

    def __init__(self, cur: Cursor):
        self.cur = cur
        self.people = Rows(self, "ss_people")
        self.weeks = Rows(self, "ss_weeks")
        self.steps = Rows(self, "ss_steps")
        self.moods = Rows(self, "ss_moods")
        self.day_moods = DayMoods()
        # key -> [title, kind, scheduled, done, not_done, lift_sum, lift_n, taken out]
        self.insights: dict[tuple, list] = {}
        # key -> [kind, lift_n, lift_sum, taken out]
        self.lifts: dict[tuple, list] = {}

    def load(self, *wanted: tuple[Rows | DayMoods, Iterable[tuple]]) -> None:
        """Load what is missing of each (rows, keys) with one ``find`` for all."""
        requests, targets = [], []
        for target, keys in wanted:
            missing = target.missing(keys)
            if missing:
                requests.append((target.table, target.key, missing))
                targets.append(target)
        if requests:
            for target, rows in zip(targets, self.cur.find(requests)):
                target.loaded(rows)

    # -- moods ----------------------------------------------------------------------

    def add_mood(self, row: dict) -> None:
        self.moods.insert((row["person_id"], row["mood_id"]), row)
        self.day_moods.add(row["person_id"], row["day"], row["at"], row["mood_id"], row["value"])

    def latest_mood(self, person: str, day: str, before: str, other_than: str) -> int | None:
        """The value of the latest mood of ``day`` rated before the instant ``before``
        (ties: the greatest mood id), stored or added by this batch so far."""
        key = (person, day)
        moods = self.day_moods
        if key not in moods.stored:
            self.load((moods, (key,)))
        best = None
        for mood in (*moods.stored[key], *moods.new.get(key, ())):
            if mood[0] < before and mood[1] != other_than and (best is None or mood[:2] > best[:2]):
                best = mood
        return None if best is None else best[2]

    # -- insights and lifts -----------------------------------------------------------

    def contribute(self, row: dict, sign: int) -> None:
        status = row["status"]
        if status == "moved_away":
            return
        before, after = row["mood_before"], row["mood_after"]
        lifted = before is not None and after is not None
        lift = sign * (after - before) if lifted else 0
        key = (row["person_id"], row["activity_id"], row["slot"])
        total = self.insights.get(key)
        if total is None:
            total = self.insights[key] = [None, None, 0, 0, 0, 0, 0, False]
        total[0], total[1] = row["title"], row["kind"]
        total[2] += sign
        if status == "done":
            total[3] += sign
        elif status == "not_done":
            total[4] += sign
        if sign < 0:
            total[7] = True
        if lifted:
            total[5] += lift
            total[6] += sign
            key = key[:2]
            total = self.lifts.get(key)
            if total is None:
                total = self.lifts[key] = [None, 0, 0, False]
            total[0] = row["kind"]
            total[1] += sign
            total[2] += lift
            if sign < 0:
                total[3] = True

    def flush(self) -> None:
        """Write the batch: every change of every table in one ``write``."""
        changes: list[Change] = []
        for rows in (self.people, self.weeks, self.steps, self.moods):
            changes += rows.changes()
        if self.insights:
            changes.append(("add", "ss_insights", [
                {"person_id": p, "activity_id": a, "slot": slot, "title": t[0], "kind": t[1],
                 "scheduled": t[2], "done": t[3], "not_done": t[4], "lift_sum": t[5],
                 "lift_n": t[6]} for (p, a, slot), t in self.insights.items()]))
            pruned = [key for key, t in self.insights.items() if t[7] and t[2] <= 0]
            if pruned:
                changes.append(("prune", "ss_insights", pruned))
        if self.lifts:
            changes.append(("add", "ss_lifts", [
                {"person_id": p, "activity_id": a, "kind": t[0], "lift_sum": t[2],
                 "lift_n": t[1]} for (p, a), t in self.lifts.items()]))
            pruned = [key for key, t in self.lifts.items() if t[3] and t[1] <= 0]
            if pruned:
                changes.append(("prune", "ss_lifts", pruned))
        if changes:
            self.cur.write(changes)


# -- the writer ---------------------------------------------------------------------

# Events that change their person's or week's own row (for prefetching only).
_PERSON_ROW = frozenset({"Person.LocaleChanged", "Person.TimeZoneChanged",
                         "Person.RelapsePlanSet"})
_WEEK_ROW = frozenset({"Week.WeekPlanned", "Week.WeekReviewed", "Week.SafetyResourcesOffered"})

Handler = Callable[[Batch, Any, str], None]  # (batch, event, originator id as hex)


class ViewWriter:
    """Applies domain events to the view tables through a cursor.

    Every batch, one event (a ProjectionRunner following the store) or thousands (a
    catch-up or a rebuild), goes the same way: the rows it reads are loaded with a
    query or two for the whole batch, each event's handler changes them in memory,
    and the batch is written back with a statement or two per table."""

    def __init__(self) -> None:
        # A week aggregate belongs to one person and one week forever: safe to cache.
        self._weeks: dict[str, tuple[str, str]] = {}
        self.handlers: dict[str, Handler] = {
            "Person.Enrolled": self.enrolled,
            "Person.LocaleChanged": self.locale_changed,
            "Person.TimeZoneChanged": self.time_zone_changed,
            "Person.RelapsePlanSet": self.relapse_plan_set,
            "Week.Opened": self.week_opened,
            "Week.WeekPlanned": self.week_planned,
            "Week.StepScheduled": self.step_scheduled,
            "Week.StepDone": self.step_done,
            "Week.StepRated": self.step_rated,
            "Week.StepNotDone": self.step_not_done,
            "Week.MoodRated": self.mood_rated,
            "Week.StepMoved": self.step_moved,
            "Week.StepMovedToAnotherWeek": self.step_moved_away,
            "Week.StepMadeSmaller": self.step_made_smaller,
            "Week.StepSwapped": self.step_swapped,
            "Week.StepPairedWithRoutine": self.step_paired,
            "Week.WeekReviewed": self.week_reviewed,
            "Week.SafetyResourcesOffered": self.safety_offered,
        }

    def apply(self, cur: Cursor, events: Iterable[object]) -> None:
        handlers = self.handlers
        work = []
        for event in events:
            name = topic_name(event)
            handler = handlers.get(name)
            if handler is not None:
                work.append((name, handler, event, event.originator_id.hex))  # type: ignore[attr-defined]
        if not work:
            return
        batch = Batch(cur)
        self._prefetch(batch, work)
        for _, handler, event, oid in work:
            handler(batch, event, oid)
        batch.flush()

    def _prefetch(self, b: Batch, work: list[tuple[str, Handler, Any, str]]) -> None:
        """Load the rows the batch will read: the owners of weeks not seen before,
        then people, steps, weeks and the moods of days, each table's keys in one
        query. Only a shortcut: a handler loads what was not loaded here when it
        reads it."""
        owners = self._weeks
        opened: dict[str, tuple[str, str]] = {}
        unknown = []
        for name, _, e, oid in work:
            if name == "Week.Opened":
                opened[oid] = (e.person_id.hex, e.week)
            elif name[:5] == "Week." and oid not in owners and oid not in opened:
                unknown.append((oid,))
        if unknown:
            b.load((b.weeks, unknown))
            for (oid,), row in b.weeks.current.items():
                if row is not None:
                    owners[oid] = (row["person_id"], row["week"])

        enrolled = set()
        people, weeks, steps = [], [], []
        days_of: dict[tuple[str, str], str] = {}  # steps scheduled or moved in the batch
        new_steps = set()
        days = []
        for name, _, e, oid in work:
            if name[:5] != "Week.":
                if name == "Person.Enrolled":
                    enrolled.add(oid)
                elif name in _PERSON_ROW and oid not in enrolled:
                    people.append((oid,))
                continue
            if name in _WEEK_ROW:
                if oid not in opened:
                    weeks.append((oid,))
                continue
            owner = owners.get(oid) or opened.get(oid)
            if owner is None:
                continue
            person = owner[0]
            if name == "Week.StepScheduled":
                key = (person, e.step_id)
                new_steps.add(key)
                days_of[key] = e.day.isoformat()
                continue
            step_id = getattr(e, "step_id", None)
            if step_id is None:
                continue
            key = (person, step_id)
            if name == "Week.StepDone":
                if person not in enrolled:
                    people.append((person,))
            elif name == "Week.StepMoved":
                days_of[key] = e.day.isoformat()
            elif name == "Week.MoodRated" and e.moment == "after":
                # The step's day as last seen in the batch, else most often the mood's
                # own (a day missed is loaded when it is read).
                days.append((person, days_of.get(key) or e.day.isoformat()))
            if key not in new_steps:
                steps.append(key)
        b.load((b.people, people), (b.weeks, weeks), (b.steps, steps), (b.day_moods, days))

    # -- people ---------------------------------------------------------------

    def enrolled(self, b: Batch, e: Any, p: str) -> None:
        b.people.insert((p,), {"person_id": p, "locale": e.locale, "time_zone": e.time_zone,
                               "enrolled_day": e.at.date().isoformat()})

    def locale_changed(self, b: Batch, e: Any, p: str) -> None:
        row = b.people.get((p,))
        if row is not None:
            row["locale"] = e.locale

    def time_zone_changed(self, b: Batch, e: Any, p: str) -> None:
        row = b.people.get((p,))
        if row is not None:
            row["time_zone"] = e.time_zone

    def relapse_plan_set(self, b: Batch, e: Any, p: str) -> None:
        row = b.people.get((p,))
        if row is not None:
            row["warning_signs"] = json.dumps(list(e.warning_signs))
            row["boosters"] = json.dumps(list(e.boosters))

    # -- weeks ----------------------------------------------------------------

    def forget_person(self, person_id: str) -> None:
        """Drop the cached owners of an erased person's weeks (call under the lock)."""
        for key in [k for k, (owner, _) in self._weeks.items() if owner == person_id]:
            del self._weeks[key]

    def week_opened(self, b: Batch, e: Any, w: str) -> None:
        person = e.person_id.hex
        self._weeks[w] = (person, e.week)
        b.weeks.insert((w,), {"week_aggregate_id": w, "person_id": person, "week": e.week})

    def _owner(self, b: Batch, w: str) -> tuple[str, str]:
        owner = self._weeks.get(w)
        if owner is None:
            row = b.weeks.get((w,))
            assert row is not None, f"week {w} was never opened"
            owner = self._weeks[w] = (row["person_id"], row["week"])
        return owner

    def week_planned(self, b: Batch, e: Any, w: str) -> None:
        row = b.weeks.get((w,))
        if row is not None:
            row["planned"] = 1

    def week_reviewed(self, b: Batch, e: Any, w: str) -> None:
        review = {"helped": list(e.helped), "barriers": list(e.barriers),
                  "adjustments": list(e.adjustments), "at": iso(e.at)}
        row = b.weeks.get((w,))
        if row is not None:
            row["review"] = json.dumps(review)

    def safety_offered(self, b: Batch, e: Any, w: str) -> None:
        row = b.weeks.get((w,))
        if row is not None:
            row["safety_offers"] += 1

    # -- steps ----------------------------------------------------------------
    # Every change to a step goes through _change_step, which takes the step's old
    # contribution out of the insights and puts its new one in, so insights always
    # equal a sum over the current steps, however the step got there.

    def step_scheduled(self, b: Batch, e: Any, w: str) -> None:
        person, week = self._owner(b, w)
        step_id, at_time = e.step_id, e.at_time
        row = b.steps.insert((person, step_id), {
            "person_id": person, "step_id": step_id, "week": week,
            "day": e.day.isoformat(), "part_of_day": e.part_of_day, "at_time": iso(at_time),
            "slot": slot_of(e.part_of_day, at_time),
            "seq": int(step_id.rsplit(".", 1)[1]),
            "activity_id": e.activity_id, "title": e.title, "kind": e.kind, "area": e.area,
            "value_linked": int(e.value_linked), "difficulty": e.difficulty,
            "minutes": e.minutes, "smaller": e.smaller, "smaller_minutes": e.smaller_minutes,
            "is_smaller": 0, "unplanned": int(e.unplanned), "paired_with": None,
            "moved_from": e.moved_from, "status": "pending", "done_at": None,
            "mastery": None, "enjoyment": None, "barrier": None,
            "mood_before": None, "mood_after": None,
        })
        b.contribute(row, +1)

    def _change_step(
        self,
        b: Batch,
        w: str,
        step_id: str,
        derive: Callable[[dict], dict] | None = None,
        **changes: Any,
    ) -> dict:
        """Change one step row; ``derive`` computes further changes from the row as
        it stood, for changes that depend on it."""
        person = self._owner(b, w)[0]
        row = b.steps.get((person, step_id))
        assert row is not None, f"unknown step {step_id}"
        b.contribute(row, -1)
        row.update({**changes, **(derive(row) if derive else {})})
        if "at_time" in changes or "part_of_day" in changes:
            at_time = time.fromisoformat(row["at_time"]) if row["at_time"] else None
            row["slot"] = slot_of(row["part_of_day"], at_time)
        b.contribute(row, +1)
        return row

    def step_done(self, b: Batch, e: Any, w: str) -> None:
        row = self._change_step(b, w, e.step_id, status="done", done_at=iso(e.at),
                                mastery=e.mastery, enjoyment=e.enjoyment)
        person = b.people.get((row["person_id"],))
        if person is not None:
            person["done_total"] += 1
            day = e.day.isoformat()
            if person["last_done_day"] is None or person["last_done_day"] < day:
                person["last_done_day"] = day

    def step_rated(self, b: Batch, e: Any, w: str) -> None:
        changes = {k: getattr(e, k) for k in ("mastery", "enjoyment") if getattr(e, k) is not None}
        self._change_step(b, w, e.step_id, **changes)

    # A barrier stays with its step after the step is replanned or done: the week's
    # review asks which barriers appeared, not only which are still in the way.

    def step_not_done(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, status="not_done", barrier=e.barrier)

    def step_moved(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, day=e.day.isoformat(), part_of_day=e.part_of_day,
                          at_time=iso(e.at_time), status="pending")

    def step_moved_away(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, status="moved_away")

    def step_made_smaller(self, b: Batch, e: Any, w: str) -> None:
        def reopened(row: dict) -> dict:
            return {"status": "pending"} if row["status"] == "not_done" else {}

        self._change_step(b, w, e.step_id, reopened, title=e.title, minutes=e.minutes,
                          is_smaller=1)

    def step_swapped(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(
            b, w, e.step_id, activity_id=e.activity_id, title=e.title, kind=e.kind,
            area=e.area, value_linked=int(e.value_linked), difficulty=e.difficulty,
            minutes=e.minutes, smaller=e.smaller, smaller_minutes=e.smaller_minutes,
            is_smaller=0, status="pending",
        )

    def step_paired(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, paired_with=e.routine)

    # -- moods ----------------------------------------------------------------

    def mood_rated(self, b: Batch, e: Any, w: str) -> None:
        person = self._owner(b, w)[0]
        at, step_id = iso(e.at), e.step_id
        b.add_mood({"person_id": person, "mood_id": e.mood_id, "day": e.day.isoformat(),
                    "at": at, "value": e.value, "step_id": step_id, "moment": e.moment})
        if step_id is None:
            return
        if e.moment == "before":
            self._change_step(b, w, step_id, mood_before=e.value)
            return
        if e.moment == "after":

            def lift(step: dict) -> dict:
                if step["mood_before"] is not None:
                    return {}
                # "That's up from four this morning": the latest mood earlier that day.
                earlier = b.latest_mood(person, step["day"], at, e.mood_id)
                return {"mood_before": earlier} if earlier is not None else {}

            self._change_step(b, w, step_id, lift, mood_after=e.value)


def rows_snapshot(cur: Cursor) -> dict[str, list[tuple]]:
    """Every view row, in a stable order: for comparing incremental with rebuilt views."""
    out = {}
    for table in VIEW_TABLES:
        rows = cur.all(f"SELECT * FROM {table}")
        out[table] = sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)
    return out

