"""How each domain event changes the views: handlers registered on event classes.

``@on(Week.StepDone, plan=Plan.step_and_person)`` registers a handler for the
event class itself (not its name), together with what it will read, so the rows a
batch needs are loaded before its handlers run (see ``plan``). Every event class
of the domain has a handler here or a reason in ``IGNORED``; an event of any other
class reaching the writer is an error (``NoViewHandler``), never skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import time
from typing import Any

from domain.activity import ACTIVITY_FIELDS
from domain.store.erasure import LogPlaceholder
from domain.person import Person
from domain.projections.batch import Batch, Cursor, iso
from domain.projections.plan import Plan
from domain.week import Week, slot_of

Handler = Callable[[Batch, Any, str], None]  # (batch, event, originator id as hex)
Planner = Callable[[Plan, Any, str], None]  # (plan, event, originator id as hex)

# The event classes the views have nothing to do with, and why.
IGNORED: dict[type, str] = {
    Person.Event: "the base of a person's events, never recorded itself",
    Week.Event: "the base of a week's events, never recorded itself",
    Person.Created: "never recorded: Enrolled creates a person",
    Week.Created: "never recorded: Opened creates a week",
    Person.PinSet: "the PIN is checked on the person, never shown",
    Person.PinRemoved: "the PIN is checked on the person, never shown",
    Person.PinWrong: "wrong tries are counted on the person (the guard's limit)",
    Person.PinTriesExhausted: "the pause is kept on the person (the guard's limit)",
    Person.PinTriesCleared: "the count is kept on the person (the guard's limit)",
    Person.ValueNamed: "values are read from the person, not from a view",
    Person.ActivityAdded: "a person's own activities are read from the person",
    LogPlaceholder: "holds the place of an erased event in the log: nothing to show",
}

# event class -> (handler as a ViewWriter method, what it reads), filled by ``on``.
ROUTES: dict[type, tuple[Callable[..., None], Planner | None]] = {}


class NoViewHandler(TypeError):
    """An event of a class the views neither handle nor ignore."""


def on(event_class: type, plan: Planner | None = None) -> Callable:
    """Register the decorated ViewWriter method as the handler of ``event_class``;
    ``plan`` notes what it will read (a ``Plan`` method)."""

    def register(method: Callable[..., None]) -> Callable[..., None]:
        if event_class in ROUTES or event_class in IGNORED:
            raise ValueError(f"{event_class.__qualname__} is already handled or ignored")
        ROUTES[event_class] = (method, plan)
        return method

    return register


def activity_of(e: Any) -> dict[str, Any]:
    """The activity fields of a step event as ss_steps stores them."""
    fields = {name: getattr(e, name) for name in ACTIVITY_FIELDS}
    fields["value_linked"] = int(fields["value_linked"])
    return fields


def contribute(b: Batch, row: dict, sign: int) -> None:
    """Put a step's contribution to the insights and lifts in (+1) or take it out
    (-1): both are sums over the current steps."""
    status = row["status"]
    if status == "moved_away":
        return
    person, activity, kind = row["person_id"], row["activity_id"], row["kind"]
    insight = b.insights.row((person, activity, row["slot"]), sign)
    insight["title"], insight["kind"] = row["title"], kind
    insight["scheduled"] += sign
    if status == "done":
        insight["done"] += sign
    elif status == "not_done":
        insight["not_done"] += sign
    before, after = row["mood_before"], row["mood_after"]
    if before is not None and after is not None:
        lift = sign * (after - before)
        insight["lift_sum"] += lift
        insight["lift_n"] += sign
        lifts = b.lifts.row((person, activity), sign)
        lifts["kind"] = kind
        lifts["lift_n"] += sign
        lifts["lift_sum"] += lift


class ViewWriter:
    """Applies domain events to the view tables through a cursor.

    Every batch, one event (a ProjectionRunner following the store) or thousands (a
    catch-up or a rebuild), goes the same way: the rows it reads are loaded with a
    query or two for the whole batch, each event's handler changes them in memory,
    and the batch is written back with a statement or two per table."""

    def __init__(self) -> None:
        # A week aggregate belongs to one person and one week forever: safe to cache.
        self._weeks: dict[str, tuple[str, str]] = {}
        # event class -> this writer's handler of it
        self.handlers: dict[type, Handler] = {
            cls: method.__get__(self) for cls, (method, _) in ROUTES.items()}

    def apply(self, cur: Cursor, events: Iterable[object]) -> None:
        handlers = self.handlers
        work = []
        for event in events:
            cls = type(event)
            handler = handlers.get(cls)
            if handler is None:
                if cls in IGNORED:
                    continue
                raise NoViewHandler(f"no view handler for {cls.__module__}.{cls.__qualname__}, "
                                    "and the views do not ignore it")
            work.append((cls, handler, event, event.originator_id.hex))  # type: ignore[attr-defined]
        if not work:
            return
        batch = Batch(cur)
        self._prefetch(batch, work)
        for _, handler, event, oid in work:
            handler(batch, event, oid)
        batch.flush()

    def _prefetch(self, b: Batch, work: list[tuple[type, Handler, Any, str]]) -> None:
        """Load the rows the batch will read: the owners of weeks not seen before,
        then what each event's ``plan`` notes, each table's keys in one query."""
        plan = Plan(b, self._weeks)
        plan.owners_of(work)
        for cls, _, e, oid in work:
            note = ROUTES[cls][1]
            if note is not None:
                note(plan, e, oid)
        plan.load()

    def forget_person(self, person_id: str) -> None:
        """Drop the cached owners of an erased person's weeks (call under the lock)."""
        for key in [k for k, (owner, _) in self._weeks.items() if owner == person_id]:
            del self._weeks[key]

    # -- people ---------------------------------------------------------------

    @on(Person.Enrolled, plan=Plan.enrols)
    def enrolled(self, b: Batch, e: Any, p: str) -> None:
        b.people.insert((p,), {"person_id": p, "locale": e.locale, "time_zone": e.time_zone,
                               "enrolled_day": e.at.date().isoformat()})

    @on(Person.AccountLinked)
    def account_linked(self, b: Batch, e: Any, p: str) -> None:
        b.rows["ss_accounts"].insert((p,), {"person_id": p, "account": e.account,
                                            "person_key": e.person_key})

    @on(Person.LocaleChanged, plan=Plan.person_row)
    def locale_changed(self, b: Batch, e: Any, p: str) -> None:
        row = b.people.get((p,))
        if row is not None:
            row["locale"] = e.locale

    @on(Person.TimeZoneChanged, plan=Plan.person_row)
    def time_zone_changed(self, b: Batch, e: Any, p: str) -> None:
        row = b.people.get((p,))
        if row is not None:
            row["time_zone"] = e.time_zone

    @on(Person.RelapsePlanSet, plan=Plan.person_row)
    def relapse_plan_set(self, b: Batch, e: Any, p: str) -> None:
        row = b.people.get((p,))
        if row is not None:
            row["warning_signs"] = json.dumps(list(e.warning_signs))
            row["boosters"] = json.dumps(list(e.boosters))

    # -- weeks ----------------------------------------------------------------

    @on(Week.Opened)  # its owner is noted by Plan.owners_of
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

    @on(Week.WeekPlanned, plan=Plan.week_row)
    def week_planned(self, b: Batch, e: Any, w: str) -> None:
        row = b.weeks.get((w,))
        if row is not None:
            row["planned"] = 1

    @on(Week.WeekReviewed, plan=Plan.week_row)
    def week_reviewed(self, b: Batch, e: Any, w: str) -> None:
        review = {"helped": list(e.helped), "barriers": list(e.barriers),
                  "adjustments": list(e.adjustments), "at": iso(e.at)}
        row = b.weeks.get((w,))
        if row is not None:
            row["review"] = json.dumps(review)

    @on(Week.SafetyResourcesOffered, plan=Plan.week_row)
    def safety_offered(self, b: Batch, e: Any, w: str) -> None:
        row = b.weeks.get((w,))
        if row is not None:
            row["safety_offers"] += 1
        # The person's last offer, for the check-in after a crisis (ss_safety).
        person = self._owner(b, w)[0]
        safety = b.rows["ss_safety"]
        last = safety.get((person,))
        at = iso(e.at)
        if last is None:
            safety.insert((person,), {"person_id": person, "last_offered_at": at, "offers": 1})
        else:
            last["offers"] += 1
            if at > last["last_offered_at"]:
                last["last_offered_at"] = at

    # -- steps ----------------------------------------------------------------
    # Every change to a step goes through _change_step, which takes the step's old
    # contribution out of the insights and puts its new one in, so insights always
    # equal a sum over the current steps, however the step got there.

    @on(Week.StepScheduled, plan=Plan.new_step)
    def step_scheduled(self, b: Batch, e: Any, w: str) -> None:
        person, week = self._owner(b, w)
        step_id, at_time = e.step_id, e.at_time
        row = b.steps.insert((person, step_id), {
            "person_id": person, "step_id": step_id, "week": week,
            "day": e.day.isoformat(), "part_of_day": e.part_of_day, "at_time": iso(at_time),
            "slot": slot_of(e.part_of_day, at_time),
            "seq": int(step_id.rsplit(".", 1)[1]),
            **activity_of(e),
            "is_smaller": 0, "unplanned": int(e.unplanned), "paired_with": None,
            "moved_from": e.moved_from, "status": "pending", "done_at": None,
            "mastery": None, "enjoyment": None, "barrier": None,
            "mood_before": None, "mood_after": None,
        })
        contribute(b, row, +1)

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
        contribute(b, row, -1)
        row.update({**changes, **(derive(row) if derive else {})})
        if "at_time" in changes or "part_of_day" in changes:
            at_time = time.fromisoformat(row["at_time"]) if row["at_time"] else None
            row["slot"] = slot_of(row["part_of_day"], at_time)
        contribute(b, row, +1)
        return row

    @on(Week.StepDone, plan=Plan.step_and_person)
    def step_done(self, b: Batch, e: Any, w: str) -> None:
        row = self._change_step(b, w, e.step_id, status="done", done_at=iso(e.at),
                                mastery=e.mastery, enjoyment=e.enjoyment)
        person = b.people.get((row["person_id"],))
        if person is not None:
            person["done_total"] += 1
            day = e.day.isoformat()
            if person["last_done_day"] is None or person["last_done_day"] < day:
                person["last_done_day"] = day

    @on(Week.StepRated, plan=Plan.step)
    def step_rated(self, b: Batch, e: Any, w: str) -> None:
        changes = {k: getattr(e, k) for k in ("mastery", "enjoyment") if getattr(e, k) is not None}
        self._change_step(b, w, e.step_id, **changes)

    # A barrier stays with its step after the step is replanned or done: the week's
    # review asks which barriers appeared, not only which are still in the way.

    @on(Week.StepNotDone, plan=Plan.step)
    def step_not_done(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, status="not_done", barrier=e.barrier)

    @on(Week.StepMoved, plan=Plan.step_moved)
    def step_moved(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, day=e.day.isoformat(), part_of_day=e.part_of_day,
                          at_time=iso(e.at_time), status="pending")

    @on(Week.StepMovedToAnotherWeek, plan=Plan.step)
    def step_moved_away(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, status="moved_away")

    @on(Week.StepMadeSmaller, plan=Plan.step)
    def step_made_smaller(self, b: Batch, e: Any, w: str) -> None:
        def reopened(row: dict) -> dict:
            return {"status": "pending"} if row["status"] == "not_done" else {}

        self._change_step(b, w, e.step_id, reopened, title=e.title, minutes=e.minutes,
                          is_smaller=1)

    @on(Week.StepSwapped, plan=Plan.step)
    def step_swapped(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, **activity_of(e), is_smaller=0, status="pending")

    @on(Week.StepPairedWithRoutine, plan=Plan.step)
    def step_paired(self, b: Batch, e: Any, w: str) -> None:
        self._change_step(b, w, e.step_id, paired_with=e.routine)

    # -- moods ----------------------------------------------------------------

    @on(Week.MoodRated, plan=Plan.mood)
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
