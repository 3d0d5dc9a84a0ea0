"""The read models, and how each domain event changes them.

The tables are plain SQL that SQLite and PostgreSQL both accept. Every batch of
events is applied in one transaction together with the tracking position of its
last event, under a lock, so each event changes the views exactly once however many
processes catch up at the same time, and a crash leaves either all or none of a batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
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


class Cursor(Protocol):
    """What the writer needs of a transaction: named ``:params``, dict rows."""

    def run(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def one(self, sql: str, params: dict[str, Any] | None = None) -> dict | None: ...

    def all(self, sql: str, params: dict[str, Any] | None = None) -> list[dict]: ...


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


class ViewWriter:
    """Applies domain events to the view tables through a cursor."""

    def __init__(self) -> None:
        # A week aggregate belongs to one person and one week forever: safe to cache.
        self._weeks: dict[str, tuple[str, str]] = {}
        self.handlers: dict[str, Callable[[Cursor, Any], None]] = {
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
        for event in events:
            handler = self.handlers.get(topic_name(event))
            if handler is not None:
                handler(cur, event)

    # -- people ---------------------------------------------------------------

    def enrolled(self, cur: Cursor, e: Any) -> None:
        cur.run(
            "INSERT INTO ss_people (person_id, locale, time_zone, enrolled_day) "
            "VALUES (:p, :locale, :tz, :day)",
            {"p": e.originator_id.hex, "locale": e.locale, "tz": e.time_zone,
             "day": e.at.date().isoformat()},
        )

    def locale_changed(self, cur: Cursor, e: Any) -> None:
        cur.run("UPDATE ss_people SET locale = :v WHERE person_id = :p",
                {"v": e.locale, "p": e.originator_id.hex})

    def time_zone_changed(self, cur: Cursor, e: Any) -> None:
        cur.run("UPDATE ss_people SET time_zone = :v WHERE person_id = :p",
                {"v": e.time_zone, "p": e.originator_id.hex})

    def relapse_plan_set(self, cur: Cursor, e: Any) -> None:
        cur.run(
            "UPDATE ss_people SET warning_signs = :w, boosters = :b WHERE person_id = :p",
            {"w": json.dumps(list(e.warning_signs)), "b": json.dumps(list(e.boosters)),
             "p": e.originator_id.hex},
        )

    # -- weeks ----------------------------------------------------------------

    def forget_person(self, person_id: str) -> None:
        """Drop the cached owners of an erased person's weeks (call under the lock)."""
        for key in [k for k, (owner, _) in self._weeks.items() if owner == person_id]:
            del self._weeks[key]

    def week_opened(self, cur: Cursor, e: Any) -> None:
        self._weeks[e.originator_id.hex] = (e.person_id.hex, e.week)
        cur.run(
            "INSERT INTO ss_weeks (week_aggregate_id, person_id, week) VALUES (:w, :p, :week)",
            {"w": e.originator_id.hex, "p": e.person_id.hex, "week": e.week},
        )

    def _owner(self, cur: Cursor, e: Any) -> tuple[str, str]:
        key = e.originator_id.hex
        if key not in self._weeks:
            row = cur.one("SELECT person_id, week FROM ss_weeks WHERE week_aggregate_id = :w",
                          {"w": key})
            assert row is not None, f"week {key} was never opened"
            self._weeks[key] = (row["person_id"], row["week"])
        return self._weeks[key]

    def week_planned(self, cur: Cursor, e: Any) -> None:
        cur.run("UPDATE ss_weeks SET planned = 1 WHERE week_aggregate_id = :w",
                {"w": e.originator_id.hex})

    def week_reviewed(self, cur: Cursor, e: Any) -> None:
        review = {"helped": list(e.helped), "barriers": list(e.barriers),
                  "adjustments": list(e.adjustments), "at": iso(e.at)}
        cur.run("UPDATE ss_weeks SET review = :r WHERE week_aggregate_id = :w",
                {"r": json.dumps(review), "w": e.originator_id.hex})

    def safety_offered(self, cur: Cursor, e: Any) -> None:
        cur.run("UPDATE ss_weeks SET safety_offers = safety_offers + 1 "
                "WHERE week_aggregate_id = :w", {"w": e.originator_id.hex})

    # -- steps ----------------------------------------------------------------
    # Every change to a step goes through _change_step, which takes the step's old
    # contribution out of the insights and puts its new one in, so insights always
    # equal a sum over the current steps, however the step got there.

    def step_scheduled(self, cur: Cursor, e: Any) -> None:
        person, week = self._owner(cur, e)
        row = {
            "person_id": person, "step_id": e.step_id, "week": week,
            "day": iso(e.day), "part_of_day": e.part_of_day, "at_time": iso(e.at_time),
            "slot": slot_of(e.part_of_day, e.at_time),
            "seq": int(e.step_id.rsplit(".", 1)[1]),
            "activity_id": e.activity_id, "title": e.title, "kind": e.kind, "area": e.area,
            "value_linked": int(e.value_linked), "difficulty": e.difficulty,
            "minutes": e.minutes, "smaller": e.smaller, "smaller_minutes": e.smaller_minutes,
            "is_smaller": 0, "unplanned": int(e.unplanned), "paired_with": None,
            "moved_from": e.moved_from, "status": "pending", "done_at": None,
            "mastery": None, "enjoyment": None, "barrier": None,
            "mood_before": None, "mood_after": None,
        }
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        cur.run(f"INSERT INTO ss_steps ({columns}) VALUES ({values})", row)
        self._contribute(cur, row, +1)

    def _change_step(
        self,
        cur: Cursor,
        e: Any,
        step_id: str,
        derive: Callable[[dict], dict] | None = None,
        **changes: Any,
    ) -> dict:
        """Change one step row; ``derive`` computes further changes from the row as
        it stood, for changes that depend on it."""
        person, _ = self._owner(cur, e)
        row = cur.one("SELECT * FROM ss_steps WHERE person_id = :p AND step_id = :s",
                      {"p": person, "s": step_id})
        assert row is not None, f"unknown step {step_id}"
        self._contribute(cur, row, -1)
        row.update({**changes, **(derive(row) if derive else {})})
        if "at_time" in changes or "part_of_day" in changes:
            at_time = time.fromisoformat(row["at_time"]) if row["at_time"] else None
            row["slot"] = slot_of(row["part_of_day"], at_time)
        sets = ", ".join(f"{c} = :{c}" for c in row if c not in ("person_id", "step_id"))
        cur.run(f"UPDATE ss_steps SET {sets} WHERE person_id = :person_id AND step_id = :step_id",
                row)
        self._contribute(cur, row, +1)
        return row

    def _contribute(self, cur: Cursor, row: dict, sign: int) -> None:
        if row["status"] == "moved_away":
            return
        lifted = row["mood_before"] is not None and row["mood_after"] is not None
        params = {
            "p": row["person_id"], "a": row["activity_id"], "slot": row["slot"],
            "title": row["title"], "kind": row["kind"], "sc": sign,
            "d": sign * (row["status"] == "done"), "nd": sign * (row["status"] == "not_done"),
            "ls": sign * (row["mood_after"] - row["mood_before"]) if lifted else 0,
            "ln": sign * lifted,
        }
        cur.run(
            "INSERT INTO ss_insights (person_id, activity_id, slot, title, kind, scheduled, "
            "done, not_done, lift_sum, lift_n) VALUES (:p, :a, :slot, :title, :kind, :sc, :d, "
            ":nd, :ls, :ln) ON CONFLICT (person_id, activity_id, slot) DO UPDATE SET "
            "title = :title, kind = :kind, scheduled = ss_insights.scheduled + :sc, "
            "done = ss_insights.done + :d, not_done = ss_insights.not_done + :nd, "
            "lift_sum = ss_insights.lift_sum + :ls, lift_n = ss_insights.lift_n + :ln",
            params,
        )
        if sign < 0:
            cur.run("DELETE FROM ss_insights WHERE person_id = :p AND activity_id = :a "
                    "AND slot = :slot AND scheduled = 0", params)
        if lifted:
            cur.run(
                "INSERT INTO ss_lifts (person_id, activity_id, kind, lift_sum, lift_n) "
                "VALUES (:p, :a, :kind, :ls, :ln) ON CONFLICT (person_id, activity_id) "
                "DO UPDATE SET kind = :kind, lift_sum = ss_lifts.lift_sum + :ls, "
                "lift_n = ss_lifts.lift_n + :ln", params,
            )
            if sign < 0:
                cur.run("DELETE FROM ss_lifts WHERE person_id = :p AND activity_id = :a "
                        "AND lift_n = 0", params)

    def step_done(self, cur: Cursor, e: Any) -> None:
        row = self._change_step(cur, e, e.step_id, status="done", done_at=iso(e.at),
                                mastery=e.mastery, enjoyment=e.enjoyment)
        cur.run(
            "UPDATE ss_people SET done_total = done_total + 1, last_done_day = CASE "
            "WHEN last_done_day IS NULL OR last_done_day < :d THEN :d ELSE last_done_day END "
            "WHERE person_id = :p", {"d": iso(e.day), "p": row["person_id"]},
        )

    def step_rated(self, cur: Cursor, e: Any) -> None:
        changes = {k: getattr(e, k) for k in ("mastery", "enjoyment") if getattr(e, k) is not None}
        self._change_step(cur, e, e.step_id, **changes)

    # A barrier stays with its step after the step is replanned or done: the week's
    # review asks which barriers appeared, not only which are still in the way.

    def step_not_done(self, cur: Cursor, e: Any) -> None:
        self._change_step(cur, e, e.step_id, status="not_done", barrier=e.barrier)

    def step_moved(self, cur: Cursor, e: Any) -> None:
        self._change_step(cur, e, e.step_id, day=iso(e.day), part_of_day=e.part_of_day,
                          at_time=iso(e.at_time), status="pending")

    def step_moved_away(self, cur: Cursor, e: Any) -> None:
        self._change_step(cur, e, e.step_id, status="moved_away")

    def step_made_smaller(self, cur: Cursor, e: Any) -> None:
        def reopened(row: dict) -> dict:
            return {"status": "pending"} if row["status"] == "not_done" else {}

        self._change_step(cur, e, e.step_id, reopened, title=e.title, minutes=e.minutes,
                          is_smaller=1)

    def step_swapped(self, cur: Cursor, e: Any) -> None:
        self._change_step(
            cur, e, e.step_id, activity_id=e.activity_id, title=e.title, kind=e.kind,
            area=e.area, value_linked=int(e.value_linked), difficulty=e.difficulty,
            minutes=e.minutes, smaller=e.smaller, smaller_minutes=e.smaller_minutes,
            is_smaller=0, status="pending",
        )

    def step_paired(self, cur: Cursor, e: Any) -> None:
        self._change_step(cur, e, e.step_id, paired_with=e.routine)

    # -- moods ----------------------------------------------------------------

    def mood_rated(self, cur: Cursor, e: Any) -> None:
        person, _ = self._owner(cur, e)
        cur.run(
            "INSERT INTO ss_moods (person_id, mood_id, day, at, value, step_id, moment) "
            "VALUES (:p, :m, :day, :at, :v, :s, :moment)",
            {"p": person, "m": e.mood_id, "day": iso(e.day), "at": iso(e.at), "v": e.value,
             "s": e.step_id, "moment": e.moment},
        )
        if e.step_id is None:
            return
        if e.moment == "before":
            self._change_step(cur, e, e.step_id, mood_before=e.value)
            return
        if e.moment == "after":

            def lift(step: dict) -> dict:
                if step["mood_before"] is not None:
                    return {}
                # "That's up from four this morning": the latest mood earlier that day.
                earlier = cur.one(
                    "SELECT value FROM ss_moods WHERE person_id = :p AND day = :day AND at < :at "
                    "AND mood_id <> :m ORDER BY at DESC, mood_id DESC LIMIT 1",
                    {"p": person, "day": step["day"], "at": iso(e.at), "m": e.mood_id},
                )
                return {"mood_before": earlier["value"]} if earlier else {}

            self._change_step(cur, e, e.step_id, lift, mood_after=e.value)


def rows_snapshot(cur: Cursor) -> dict[str, list[tuple]]:
    """Every view row, in a stable order: for comparing incremental with rebuilt views."""
    out = {}
    for table in VIEW_TABLES:
        rows = cur.all(f"SELECT * FROM {table}")
        out[table] = sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)
    return out

