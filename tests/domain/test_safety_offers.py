"""When crisis resources were last offered to a person: a one-row view (ss_safety), so
the opening turn's check-in reads one row and never replays the person's history."""

from __future__ import annotations

from datetime import timedelta

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.person import person_id


def _safety_rows(app: SmallSteps, person: str) -> list[dict]:
    [rows] = app.views.read_all([("SELECT * FROM ss_safety WHERE person_id = :p",
                                  {"p": person_id(person).hex})])
    return rows


def test_the_last_offer_is_one_row_per_person_kept_up_to_date(app: SmallSteps,
                                                             clock: FixedClock) -> None:
    assert app.last_safety_offer("alice") is None
    app.record_safety_offered("alice", "en-GB")  # before enrolment: still recorded
    first = clock.now()
    assert app.last_safety_offer("alice") == first
    app.enrol("alice", "en-GB", "Europe/London")
    clock.advance(days=9)  # another week aggregate: the row is the person's, not the week's
    app.record_safety_offered("alice", "en-GB")
    assert app.last_safety_offer("alice") == first + timedelta(days=9)
    assert [(r["offers"], r["last_offered_at"][:10]) for r in _safety_rows(app, "alice")] \
        == [(2, (first + timedelta(days=9)).date().isoformat())]
    assert app.last_safety_offer("bob") is None


def test_a_rebuild_gives_the_same_row_and_erasure_removes_it(app: SmallSteps,
                                                            clock: FixedClock) -> None:
    app.record_safety_offered("cal", "en-AU")
    clock.advance(hours=5)
    app.record_safety_offered("cal", "en-AU")
    before = _safety_rows(app, "cal")
    app.rebuild_views()
    assert _safety_rows(app, "cal") == before
    assert app.erase_person("cal") is True
    assert _safety_rows(app, "cal") == [] and app.last_safety_offer("cal") is None
