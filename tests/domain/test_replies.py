"""The reply ledger for Alexa's retries: replies belong to their person, and old ones
are cleared out on a schedule of the application's clock, not by chance."""

from __future__ import annotations

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.store.replies import KEEP_SECONDS, PRUNE_EVERY, TABLE


def kept(app: SmallSteps) -> list[str]:
    with app.views.reading() as cur:
        return [r["reply_key"] for r in cur.all(f"SELECT reply_key FROM {TABLE} "
                                                "ORDER BY reply_key")]


def turn(app: SmallSteps, key: str, person: str) -> None:
    """A turn that changes something and keeps its reply."""
    app.enrol(person, "en-GB", "Europe/London")
    with app.unit(key, person) as unit:
        app.rate_mood(person, 5)
        app.commit(unit, f"reply {key}")


def test_a_reply_is_given_back_only_to_its_person(app: SmallSteps) -> None:
    turn(app, "k1", "ann")
    assert app.replies.earlier("k1", "ann") == "reply k1"
    assert app.replies.earlier("k1", "ben") is None
    assert app.replies.earlier("k1", None) is None
    assert app.replies.claim("k1", "ann").reply == "reply k1"


def test_old_replies_are_cleared_on_a_schedule_of_the_apps_clock(app: SmallSteps,
                                                                   clock: FixedClock) -> None:
    turn(app, "k1", "ann")
    clock.advance(seconds=KEEP_SECONDS - PRUNE_EVERY)
    turn(app, "k2", "ann")  # k1 is not old enough yet
    assert kept(app) == ["k1", "k2"]
    clock.advance(seconds=PRUNE_EVERY + 1)
    turn(app, "k3", "ann")  # the first write a minute after the last clearing clears k1
    assert kept(app) == ["k2", "k3"]
    clock.advance(seconds=KEEP_SECONDS + 1)
    turn(app, "k4", "ann")
    assert kept(app) == ["k4"]
    assert app.replies.earlier("k1", "ann") is None


def test_clearing_runs_at_most_once_a_minute(app: SmallSteps, clock: FixedClock) -> None:
    turn(app, "k1", "ann")  # the first write of this process clears
    clock.advance(seconds=PRUNE_EVERY)
    turn(app, "k2", "ann")  # clears (nothing is old yet)
    clock.advance(seconds=KEEP_SECONDS - 30)
    turn(app, "k3", "ann")  # a minute on: clears k1
    assert kept(app) == ["k2", "k3"]
    clock.advance(seconds=40)  # k2 is old now, but the last clearing was 40 s ago
    turn(app, "k4", "ann")
    assert kept(app) == ["k2", "k3", "k4"]
    clock.advance(seconds=20)
    turn(app, "k5", "ann")
    assert kept(app) == ["k3", "k4", "k5"]
