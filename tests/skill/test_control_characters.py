"""Free text with control characters, over HTTP with real envelopes, on SQLite and
PostgreSQL (which refuses NUL in text): cleaned at the edge (and bounded in length),
refused by the domain, and never able to stop anyone's views.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.errors import InvalidText
from tests.skill.harness import Speaker, custom, health, person_key, take_first_step

I_PAIR = "PairWithRoutineIntent"
I_VALUE = "NameValueIntent"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def skill_env(request: pytest.FixtureRequest, skill_env: dict[str, str],
              store_url_for: Any) -> dict[str, str]:
    return {**skill_env, "SMALL_STEPS_STORE": store_url_for(request.param)}


def test_a_routine_with_a_nul_is_cleaned_and_everyone_is_still_served(
        speaker: Speaker, server: tuple[str, SmallSteps], clock: FixedClock) -> None:
    url, app = server
    take_first_step(speaker)
    speaker.say("GetSmallStepIntent")
    said = speaker.say(I_PAIR, routine=custom("after tea\x00\x07", None, "RoutineType"))
    assert said == "Good idea. Making your bed now comes after after tea."
    [step] = app.today(person_key(speaker)).steps
    assert step.paired_with == "after tea"
    assert "\x00" not in speaker.ssml
    # Someone else, on another Echo, is served as before; the views are whole.
    other = Speaker(url, clock, locale="en-GB", user_id="amzn1.ask.account.OTHER",
                    device_id="amzn1.ask.device.OTHER")
    assert other.launch().startswith("Welcome to Small Steps.")
    assert health(url)["set_aside"] == 0 and health(url, app)["status"] == "ok"
    assert app.today(person_key(speaker)).steps[0].paired_with == "after tea"


def test_format_characters_are_cleaned_but_joiners_kept(
        speaker: Speaker, server: tuple[str, SmallSteps]) -> None:
    """A right-to-left override or a zero-width space makes a card show other than the
    words read; the joiners Devanagari and emoji are written with are kept."""
    app = server[1]
    take_first_step(speaker)
    speaker.say("GetSmallStepIntent")
    said = speaker.say(I_PAIR, routine=custom("\ufeffafter\u200b \u202etea", None,
                                              "RoutineType"))
    assert said == "Good idea. Making your bed now comes after after tea."
    assert app.today(person_key(speaker)).steps[0].paired_with == "after tea"
    speaker.say(I_PAIR, routine=custom("after chai \u0915\u094d\u200d\u0937", None,
                                       "RoutineType"))
    assert app.today(person_key(speaker)).steps[0].paired_with == \
        "after chai \u0915\u094d\u200d\u0937"


def test_text_of_nothing_but_control_characters_gets_a_gentle_question(
        speaker: Speaker, server: tuple[str, SmallSteps]) -> None:
    url, app = server
    take_first_step(speaker)
    speaker.say("GetSmallStepIntent")
    said = speaker.say(I_PAIR, routine=custom("\x00\x1b\x7f", None, "RoutineType"))
    assert said.startswith("Which routine") and speaker.open  # asked again, as for silence
    assert app.today(person_key(speaker)).steps[0].paired_with is None
    assert health(url)["set_aside"] == 0


@pytest.mark.parametrize("bad", ["after tea\x00", "after\x1btea", "tea\ud800", "tea\x9b",
                                 "\u202eaet retfa", "after\u200btea", "\ufeffafter tea"])
def test_the_domain_refuses_control_characters(bad: str, server: tuple[str, SmallSteps],
                                               speaker: Speaker) -> None:
    app = server[1]
    take_first_step(speaker)
    person = person_key(speaker)
    step = app.today(person).steps[0].step_id
    events = app.recorder.max_notification_id()
    for command in (lambda: app.pair_step(person, step, bad),
                    lambda: app.name_value(person, "relationships", bad),
                    lambda: app.review_week(person, step.split(".")[0], helped=[bad])):
        with pytest.raises(InvalidText):
            command()
    assert app.recorder.max_notification_id() == events
