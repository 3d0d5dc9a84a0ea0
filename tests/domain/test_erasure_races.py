"""Delete my data while another process writes for the same person.

A command loads what it changes, then saves. If the person is erased in between
(by another process: two application objects on one store, as gunicorn workers
are), the save is refused with ``Erased`` and stores nothing: no lone event that
would stop that person's loads and everyone's views. The interleaving is made
deterministic by erasing from inside the writer's save, after its load.

A person who erased can enrol again at once and starts from nothing; a command that
began before the erasure stays refused even then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock, week_id
from domain.errors import Erased, NotEnrolled
from domain.person import person_id
from domain.store import eventsourcing_env
from domain.week import Week

MONDAY = date(2026, 11, 23)


@pytest.fixture
def pair(store: str, clock: FixedClock) -> Iterator[tuple[SmallSteps, SmallSteps]]:
    """Two applications on one store (for memory: one shared database)."""
    env = eventsourcing_env(store)
    writer, eraser = SmallSteps(env, clock), SmallSteps(env, clock)
    yield writer, eraser
    eraser.close()
    writer.close()


def between_load_and_save(app: SmallSteps, meanwhile: Callable[[], Any]) -> list[int]:
    """Run `meanwhile` once, inside `app`'s next save (after its command loaded what
    it changes); returns the number of saves attempted so far."""
    save, saves = app.save, []

    def hooked(*objs: Any, **kwargs: Any) -> Any:
        saves.append(1)
        if len(saves) == 1:
            meanwhile()
        return save(*objs, **kwargs)

    app.save = hooked  # type: ignore[method-assign]
    return saves


def stored_for(app: SmallSteps, person: str) -> int:
    """Events of the person and of any week of theirs around November 2026, by SQL."""
    pid = person_id(person)
    ids = [pid, *(Week.create_id(pid, f"2026-W{n:02d}") for n in range(40, 54))]
    table = app.recorder.events_table_name
    postgres = "postgres" in type(app.recorder).__module__
    with app.views.reading() as cur:
        return sum(cur.one(f"SELECT COUNT(*) AS n FROM {table} WHERE originator_id = :id",
                           {"id": i if postgres else i.hex})["n"] for i in ids)


def lives(app: SmallSteps) -> str:
    app.enrol("alice", "en-GB", "Europe/London")
    app.enrol("bob", "en-GB", "Europe/London")
    step = app.schedule_step("alice", "make-bed", MONDAY, "evening")
    app.rate_mood("alice", 4)
    app.rate_mood("bob", 6)
    return step


COMMANDS = {
    # a week at version 3 gets version 4
    "log done": lambda app, step: app.log_done("alice", step),
    # a week that does not exist yet gets its first event
    "new week": lambda app, step: app.schedule_step("alice", "make-bed", "2026-12-09"),
    # the person aggregate itself
    "name a value": lambda app, step: app.name_value("alice", "relationships", "my sister"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_write_racing_erasure_is_refused_and_stores_nothing(
        pair: tuple[SmallSteps, SmallSteps], command: str) -> None:
    writer, eraser = pair
    step = lives(writer)
    saves = between_load_and_save(writer, lambda: eraser.erase_person("alice"))

    with pytest.raises(Erased):
        COMMANDS[command](writer, step)

    assert saves == [1]  # refused, not retried on a person who is gone
    assert stored_for(writer, "alice") == 0
    # The views carry on for everyone, in both processes.
    assert writer.week("bob").mood_count == 1 and eraser.week("bob").mood_count == 1
    writer.rate_mood("bob", 7)
    assert eraser.week("bob").mood_count == 2
    assert writer.catch_up() == writer.recorder.max_notification_id()
    assert writer.views.set_aside() == 0
    # Nothing is left to erase, and alice is simply not enrolled.
    assert eraser.erase_person("alice") is False
    with pytest.raises(NotEnrolled):
        writer.today("alice")


def test_a_turn_opened_before_the_erasure_is_refused_at_its_commit(
        pair: tuple[SmallSteps, SmallSteps]) -> None:
    writer, eraser = pair
    lives(writer)
    with writer.unit("request-1", person_id("alice").hex) as unit:
        writer.rate_mood("alice", 8)
        with eraser.outside_unit():  # another process: not in this turn
            assert eraser.erase_person("alice") is True
        with pytest.raises(Erased):
            writer.commit(unit, '{"said": "thank you"}')
    assert stored_for(writer, "alice") == 0
    assert writer.replies.earlier("request-1", person_id("alice").hex) is None  # no reply kept for the refused turn
    assert writer.week("bob").mood_count == 1


def test_a_person_enrols_again_at_once_and_a_stale_command_stays_refused(
        pair: tuple[SmallSteps, SmallSteps]) -> None:
    writer, eraser = pair
    step = lives(writer)

    def erased_and_back() -> None:
        assert eraser.erase_person("alice") is True
        assert eraser.enrol("alice", "en-US", "America/New_York") is True

    between_load_and_save(writer, erased_and_back)
    with pytest.raises(Erased):
        writer.log_done("alice", step)

    # Alice starts from nothing: only her new enrolment is stored.
    assert stored_for(writer, "alice") == 1
    assert writer.profile("alice").version == 1 and writer.profile("alice").locale == "en-US"
    assert writer.today("alice", MONDAY).steps == ()
    assert writer.week("alice", week_id(MONDAY)).mood_count == 0
    # and carries on in both processes.
    writer.rate_mood("alice", 5)
    again = eraser.schedule_step("alice", "make-bed", MONDAY)
    assert again == f"{week_id(MONDAY)}.1"
    assert writer.week("alice", week_id(MONDAY)).mood_count == 1
    assert eraser.erase_person("alice") is True
    assert stored_for(writer, "alice") == 0
