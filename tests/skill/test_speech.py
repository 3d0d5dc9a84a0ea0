"""Every response template in every locale, rendered with the longest realistic fields:
no banned words, core turns at most 35 spoken words, reprompts on open turns,
well-formed SSML that escapes user words."""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET

import pytest

from domain.catalogue import starter
from skill.conversation.safety import crisis_line
from skill.speech import CORE_TURN_WORDS, LOCALES, speech_for, to_ssml, word_count
from tests.replies import BANNED

ACTIVITIES = starter()
LONGEST_TITLE = max((a.title for a in ACTIVITIES), key=len)
LONGEST_SMALLER = max((a.smaller for a in ACTIVITIES), key=len)
USER_WORDS = 'Tom & Jerry <3 "quoted" words, about eighty characters long, as a value might be'


def longest(speech, keys):  # noqa: ANN001, ANN201
    return max((speech.phrase(k, **_fields(speech, speech.text[k])) for k in keys), key=len)


def _fields(speech, template) -> dict[str, str]:  # noqa: ANN001
    """The longest realistic value for every field a template names."""
    parts = template if isinstance(template, tuple) else (template,)
    template = parts[0]
    names = {name for part in parts for _, name, _, _ in string.Formatter().parse(part) if name}
    crisis = speech.crisis_fields()
    values = {
        "title": speech.activity(LONGEST_TITLE), "smaller": speech.activity(LONGEST_SMALLER),
        "when": "on Wednesday 30 December, in the afternoon",
        "after_today": ", on Wednesday 30 December, in the afternoon", "minutes": "45 minutes", "mood": "10",
        "before": "10", "count": "3", "steps_done": "3 steps", "day_name": "Wednesday", "value": USER_WORDS,
        "area": "work and learning", "routine": "getting ready for bed",
        "plan": speech.join([f"{speech.short(a.key, a.title)} on Wednesday afternoon"
                             for a in sorted(ACTIVITIES, key=lambda a: -len(a.title))[:3]]),
        "steps": speech.join([speech.activity(a.title) for a in sorted(
            ACTIVITIES, key=lambda a: -len(speech.activity(a.title)))[:3]], "or"),
        "done": "You had a shower and put on clean clothes", "which": "last week",
        "which_cap": "Last week", "planned": "3", "extra": "2", "previous": "7.5",
        "lift": "4.5", "barrier": "forgetting", "signs": "a few days pass without steps or "
        "your mood dips", "boosters": "a shower and clean clothes or a message to a friend",
        **crisis,
    }
    if "lift" in names and template.startswith("Thank you"):
        values["lift"] = longest(speech, ("lift_up", "lift_same", "lift_down", "lift_none"))
    if "rating_question" in names:
        values["rating_question"] = longest(speech, ("rate_enjoyment", "rate_mastery"))
    if "barrier_line" in names:
        values["barrier_line"] = longest(speech, [k for k in speech.text if k.startswith("barrier_")])
    if template.startswith("{opening}"):
        values.update(
            opening=longest(speech, [k for k in speech.text if k.startswith("summary_done")
                                     or k.startswith("summary_none_done")]),
            mood=longest(speech, [k for k in speech.text if k.startswith("summary_mood")]),
            observation=longest(speech, [k for k in speech.text if k.startswith("observe_")]),
            adjustment=longest(speech, [k for k in speech.text if k.startswith("adjust_")]))
    if "lines" in names:
        values["lines"] = "Steps: 3 done of 3 planned"
    return {n: values[n] for n in names}


CASES = [(locale, key) for locale in LOCALES for key in speech_for(locale).text]


@pytest.mark.parametrize(("locale", "key"), CASES)
def test_every_template_keeps_the_language_rules(locale: str, key: str):
    speech = speech_for(locale)
    said = speech.turn(key, **_fields(speech, speech.text[key]))
    for text in (said.text, said.reprompt or ""):
        assert not BANNED.search(text), (key, text)
        root = ET.fromstring(f"<speak>{to_ssml(text)}</speak>")
        assert "".join(root.itertext()) == text  # escaped, and nothing else changed
    limit = speech.long_turns.get(key, CORE_TURN_WORDS)
    assert word_count(said.text) <= limit, (key, word_count(said.text), said.text)
    if said.reprompt is not None:
        assert 0 < word_count(said.reprompt) <= CORE_TURN_WORDS
        assert said.text.count("?") <= 1 or key in speech.long_turns, said.text
    # A closed turn never leaves a question hanging; an open one asks, or says what to say.
    if key in speech.fragments or (key.startswith(speech.fragment_prefixes)
                                   and key != "summary_empty"):
        assert "?" not in said.text or key.startswith("rate_"), (key, said.text)
    elif said.reprompt is None:
        assert "?" not in said.text, (key, said.text)
    else:
        assert "?" in said.text or "You can" in said.text or "or say" in said.text, said.text


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_every_turn_and_its_own_crisis_number(locale: str):
    speech = speech_for(locale)
    assert set(speech.text) == set(speech_for("en-GB").text)
    said = speech.turn("crisis", **speech.crisis_fields())
    line = crisis_line(locale)
    assert line.spoken in said.text and line.emergency_spoken in said.text
    card = speech.crisis_card()
    assert line.number in card and line.emergency in card


def test_help_and_first_run_say_self_help_not_care_and_how_to_reach_help():
    for locale in LOCALES:
        speech = speech_for(locale)
        for key in ("help", "intro"):
            text = speech.phrase(key, title="make your bed")
            assert "self-help tool" in text and ("not a substitute for professional care" in text
                                                 or "not professional care" in text)
            assert "I need support now" in text


def test_spoken_names_cover_the_catalogue_and_use_the_locales_spelling():
    keys = {a.key for a in ACTIVITIES}
    for locale in LOCALES:
        speech = speech_for(locale)
        assert set(speech.done_names) == keys and set(speech.short_names) == keys
        for text in [*speech.done_names.values(), *speech.short_names.values(),
                     *(a.title for a in ACTIVITIES), *(a.smaller for a in ACTIVITIES)]:
            assert not BANNED.search(text)
    assert "favorite" in speech_for("en-US").done_names["favourite-song"]
    assert "favourite" in speech_for("en-GB").done_names["favourite-song"]


def test_the_banned_word_check_catches_what_it_must():
    for text in ("You failed", "you missed it", "falling behind", "you should", "your streak"):
        assert BANNED.search(text)
    assert not BANNED.search("Shall I add it? Not today is fine.")


def test_days_and_times_are_said_naturally():
    from datetime import date, time

    gb, us = speech_for("en-GB"), speech_for("en-US")
    monday = date(2026, 11, 23)
    assert gb.when(monday, "evening", None, monday) == "this evening"
    assert gb.when(date(2026, 11, 24), "morning", None, monday) == "tomorrow morning"
    assert gb.when(date(2026, 11, 26), None, time(19, 30), monday) == "on Thursday at 7:30 pm"
    assert gb.when(date(2026, 12, 3), "anytime", None, monday) == "on Thursday 3 December"
    assert gb.when(date(2026, 12, 3), "evening", None, monday) == "on Thursday 3 December, in the evening"
    assert gb.minutes(1) == "1 minute" and gb.minutes(3) == "3 minutes"
    assert us.when(date(2026, 12, 3), "anytime", None, monday) == "on Thursday, December 3"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_question_asked_again_keeps_the_word_limits(locale: str):
    """Help and "sorry, I didn't quite follow" in an open state come before the state's
    own question (its reprompt): help within help's bound, the other a core turn."""
    speech = speech_for(locale)
    help_here = speech.phrase("help_here")
    assert "self-help tool" in help_here and "I need support now" in help_here
    assert "?" not in help_here and "?" not in speech.phrase("reask")
    for key, template in speech.text.items():
        if isinstance(template, tuple):
            reprompt = speech.turn(key, **_fields(speech, template)).reprompt
            assert word_count(f"{help_here} {reprompt}") <= speech.long_turns["help"], key
            assert word_count(f"{speech.phrase('reask')} {reprompt}") <= CORE_TURN_WORDS, key
