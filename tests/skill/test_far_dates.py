"""Dates out of any sane range (the year 2100, 9999, a week that does not exist),
over HTTP with real envelopes: a kind question, never an apology or an error, and
nothing stored. The domain refuses them too."""

from __future__ import annotations

import pytest

from domain.app import SmallSteps
from domain.errors import InvalidDate
from tests.skill.harness import Speaker, activity, person_key, take_first_step

FAR = ["2100-01-05", "9999-12-31", "9999-W52", "9999-W52-WE", "XXXX-W99", "2100-W01"]


@pytest.mark.parametrize("heard", FAR)
def test_a_far_date_gets_a_kind_question_and_stores_nothing(
        speaker: Speaker, server: tuple[str, SmallSteps], heard: str) -> None:
    app = server[1]
    take_first_step(speaker)
    events = app.recorder.max_notification_id()
    said = speaker.say("ScheduleStepIntent", activity=activity("make my bed", "make-bed"),
                       date=heard)
    assert said.startswith("I didn't catch the day.") and speaker.open
    speaker.end()
    speaker.say("GetSmallStepIntent")
    said = speaker.say("MoveStepIntent", date=heard)
    assert said.startswith("When would suit better?") and speaker.open
    assert app.recorder.max_notification_id() == events
    assert [s.day.year for s in app.today(person_key(speaker)).steps] == [2026]


@pytest.mark.parametrize("day", ["2100-01-05", "9999-12-31", "1999-12-31"])
def test_the_domain_refuses_far_dates(server: tuple[str, SmallSteps], speaker: Speaker,
                                      day: str) -> None:
    app = server[1]
    take_first_step(speaker)
    person = person_key(speaker)
    step = app.today(person).steps[0].step_id
    for command in (lambda: app.schedule_step(person, "make-bed", day),
                    lambda: app.move_step(person, step, day),
                    lambda: app.review_week(person, f"{day[:4]}-W01")):
        with pytest.raises(InvalidDate):
            command()
