"""The views dispatch on the domain's event classes, and their tables are data.

Every event class of the domain has a view handler or an explicit reason to be
ignored: a class added without that decision fails here, and an event of such a
class reaching the views fails loudly instead of being skipped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking

from domain.app import SmallSteps
from domain.person import Person
from domain.projections.tables import KEPT_BESIDE, SET_ASIDE
from domain.projections.views import (
    IGNORED,
    ROUTES,
    TABLES,
    VIEW_TABLES,
    VIEWS,
    Column,
    NoViewHandler,
    Sums,
    Table,
    ViewWriter,
    on,
    postgres_ddl,
    rows_snapshot,
)
from domain.week import Week

AT = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)


def event_classes(*aggregates: type) -> set[type]:
    """Every event class defined on the aggregates (their own Event and Created
    classes too)."""
    return {value for aggregate in aggregates for name in dir(aggregate)
            if isinstance(value := getattr(aggregate, name), type)
            and issubclass(value, Aggregate.Event)}


def undecided(*aggregates: type) -> list[str]:
    return sorted(cls.__qualname__ for cls in event_classes(*aggregates)
                  if cls not in ROUTES and cls not in IGNORED)


class Garden(Aggregate):
    """An aggregate the views know nothing of, standing for an event class added to
    the domain without deciding what the views do with it."""

    @event("Planted")
    def __init__(self, name: str):
        self.name = name

    @event("Watered")
    def water(self) -> None:
        pass


def test_every_domain_event_class_is_handled_or_ignored() -> None:
    found = event_classes(Person, Week)
    assert {Person.Enrolled, Week.Opened, Week.MoodRated, Week.StepDone,
            Person.Created, Week.Created, Person.PinSet} <= found
    assert undecided(Person, Week) == []


def test_an_event_class_added_without_a_decision_is_found() -> None:
    assert undecided(Person, Week, Garden) == ["Garden.Created", "Garden.Event",
                                               "Garden.Planted", "Garden.Watered"]


def test_a_class_is_handled_or_ignored_never_both_nor_twice() -> None:
    assert not set(ROUTES) & set(IGNORED)
    assert set(ViewWriter().handlers) == set(ROUTES)
    for taken in (Week.StepDone, Person.PinSet):
        with pytest.raises(ValueError, match="already handled or ignored"):
            on(taken)(lambda self, b, e, oid: None)
    assert Garden.Watered not in ROUTES


def test_an_event_the_views_do_not_know_is_set_aside_loudly_and_changes_nothing(
        app: SmallSteps, alice: str, caplog: pytest.LogCaptureFixture) -> None:
    """Loud, not silent: an error in the log and a set-aside event with its error
    (counted by /healthz), and no view row changed; but it does not stop the events
    after it (nor anyone else's answers)."""
    app.schedule_step(alice, "make-bed", "2026-11-23")
    position = app.catch_up()
    with app.views.reading() as cur:
        before = rows_snapshot(cur)
    garden = Garden("roses")
    garden.water()
    events = garden.collect_events()
    assert [type(e) for e in events] == [Garden.Planted, Garden.Watered]
    with pytest.raises(NoViewHandler, match="Garden.Planted"):
        app.views.writer.apply(None, [events[0]])
    assert app.views.apply([(events[0], Tracking("SmallSteps", position + 1))]) == position + 1
    assert "NoViewHandler" in caplog.text and "set aside" in caplog.text
    with app.views.reading() as cur:
        [aside] = cur.all("SELECT * FROM ss_set_aside")
        assert rows_snapshot(cur) == before
    assert aside["topic"] == "Garden.Planted" and aside["error"].startswith("NoViewHandler")


def test_an_ignored_event_moves_the_position_and_nothing_else(
        app: SmallSteps, alice: str) -> None:
    position = app.catch_up()
    with app.views.reading() as cur:
        before = rows_snapshot(cur)
    pin = Person.PinSet(originator_id=uuid4(), originator_version=2, timestamp=AT,
                        pin_hash="salt$digest", at=AT, by_voice=False)
    assert app.views.apply([(pin, Tracking("SmallSteps", position + 1))]) == position + 1
    with app.views.reading() as cur:
        assert rows_snapshot(cur) == before


# -- the tables, declared as data --------------------------------------------------


def test_every_view_table_is_declared_once_and_created_from_its_declaration() -> None:
    assert VIEW_TABLES == tuple(t.name for t in VIEWS)
    assert len(set(VIEW_TABLES)) == len(VIEW_TABLES)
    creates = [s for s in TABLES if s.startswith("CREATE TABLE")]
    assert [s.split()[5] for s in creates] == [*VIEW_TABLES, *(t.name for t in KEPT_BESIDE)]
    assert all("IF NOT EXISTS" in s for s in TABLES)


def test_a_declaration_naming_a_column_it_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="no column day"):
        Table("ss_x", (Column("person_id", "TEXT"),), key=("person_id", "day"))


def test_postgres_ddl_is_qualified_with_the_schema_as_an_identifier() -> None:
    statements = [s.as_string(None) for s in postgres_ddl('odd "schema"')]
    assert len(statements) == len(TABLES)
    assert statements[0].startswith('CREATE TABLE IF NOT EXISTS "odd ""schema"""."ss_people" (')
    index = next(s for s in statements if "ss_weeks_person" in s)
    assert index == ('CREATE UNIQUE INDEX IF NOT EXISTS "ss_weeks_person" '
                     'ON "odd ""schema"""."ss_weeks" ("person_id", "week")')


def test_sums_add_counters_by_name_and_prune_only_rows_emptied_by_the_batch() -> None:
    lifts = Sums(next(t for t in VIEWS if t.name == "ss_lifts"))
    columns = {"person_id": "p", "activity_id": "a", "kind": "pleasure"}
    gone = lifts.row(("p", "a"), -1)
    gone["kind"] = "pleasure"
    gone["lift_n"] -= 1
    gone["lift_sum"] -= 3
    kept = lifts.row(("p", "b"), +1)
    kept["kind"] = "pleasure"
    kept["lift_n"] += 1
    kept["lift_sum"] += 2
    assert lifts.row(("p", "b"), +1) is kept
    assert lifts.changes() == [
        ("add", "ss_lifts", [{**columns, "lift_n": -1, "lift_sum": -3},
                             {**columns, "activity_id": "b", "lift_n": 1, "lift_sum": 2}]),
        ("prune", "ss_lifts", [("p", "a")]),
    ]
