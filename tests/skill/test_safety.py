"""Crisis language is recognised in free text, and every locale has its line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from skill.conversation.safety import crisis_line, crisis_lines, is_crisis_language

CRISIS = [
    "I want to die", "i wanna die", "I just want to die tonight", "I want to hurt myself",
    "I want to kill myself", "I'm going to kill myself", "thinking about killing myself",
    "there's no reason to live", "there is no point in living", "no reason to go on",
    "I don't want to be alive anymore", "I dont want to live", "I do not want to wake up",
    "I'm going to end it all", "I want to end my life", "I'm planning to end it",
    "I can't go on", "I can’t do this anymore", "everyone would be better off without me",
    "I feel suicidal", "I've been having suicidal thoughts", "I've been cutting myself",
    "I keep harming myself", "self harm", "I wish I was dead", "I wish I were never born",
    "I want to take my own life", "I might overdose", "I want to not be here anymore",
    "I'm ready to die", "I wish I could die", "Thinking about suicide",
]
NOT_CRISIS = [
    "I'm dying to go for a walk", "I was killing time before lunch", "that cake was to die for",
    "I did the walk", "I was tired", "my mood is four", "make it smaller", "banana",
    "being a good friend", "I cut some bread for toast", "I finished the email", "",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_language_is_recognised(text: str) -> None:
    assert is_crisis_language(text)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_words_are_not_mistaken_for_crisis(text: str) -> None:
    assert not is_crisis_language(text)


def test_an_idiom_does_not_hide_crisis_language_beside_it() -> None:
    assert is_crisis_language("I'm dying to sleep, I want to die")


@pytest.mark.parametrize("locale, number, emergency", [
    ("en-US", "988", "911"), ("en-CA", "9-8-8", "911"), ("en-GB", "116 123", "999"),
    ("en-IE", "116 123", "112 or 999"), ("en-AU", "13 11 14", "000"), ("en-IN", "14416", "112"),
])
def test_every_locale_has_its_crisis_line(locale: str, number: str, emergency: str) -> None:
    line = crisis_line(locale)
    assert (line.number, line.emergency) == (number, emergency)
    assert line.spoken and line.how and line.name


def test_the_table_records_when_each_line_was_checked() -> None:
    for line in crisis_lines().values():
        assert isinstance(line.checked, date) and line.source


def test_an_unknown_locale_hears_its_local_emergency_number_never_another_countrys() -> None:
    for locale in ("de-DE", "fr-FR", "xx", None):
        line = crisis_line(locale)
        assert not line.known and line.name == "your local emergency number"
        assert line.number is None and line.emergency is None


@pytest.mark.parametrize("locale, heard, never", [
    ("en-IE", ["Samaritans", "one one six, one two three", "one one two"], ["nine one one"]),
    ("en-NZ", ["Need to Talk", "one seven three seven", "one one one"],
     ["thirteen, eleven", "triple zero", "988"]),
    ("de-DE", ["your local emergency number"], ["nine eight eight", "nine one one"]),
])
def test_the_crisis_answer_names_the_requests_own_country_or_none(locale, heard, never) -> None:
    from skill.speech import speech_for

    speech = speech_for(locale)
    for key in ("crisis", "crisis_stay", "crisis_leave"):
        first = key == "crisis"  # the emergency number is given with the first answer
        key, fields = speech.crisis(key)
        said = speech.turn(key, **fields).text
        for words in heard if first else heard[:2]:
            assert words in said, (locale, key, said)
        for words in never:
            assert words not in said, (locale, key, said)
    card = speech.crisis_card()
    assert not any(number in card for number in ("988", "911", "13 11 14", "000")) \
        or locale == "en-IE" and "116 123" in card


MODELS = Path(__file__).resolve().parents[2] / "interaction-models" / "interactionModels" / "custom"


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_every_crisis_sample_of_the_model_is_recognised_in_free_text(locale: str) -> None:
    """What the crisis intent hears must also be caught in a free-text slot or the
    fallback: the same words, whichever way they arrive."""
    model = json.loads((MODELS / f"{locale}.json").read_text())
    [crisis] = [i for i in model["interactionModel"]["languageModel"]["intents"]
                if i["name"] == "CrisisIntent"]
    missed = [s for s in crisis["samples"] if not is_crisis_language(s)]
    assert missed == []


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_no_everyday_sample_of_the_model_is_mistaken_for_crisis(locale: str) -> None:
    model = json.loads((MODELS / f"{locale}.json").read_text())
    everyday = [s for i in model["interactionModel"]["languageModel"]["intents"]
                if i["name"] != "CrisisIntent" for s in i.get("samples", [])]
    assert [s for s in everyday if is_crisis_language(s)] == []


# -- issue 11: the table's citations, the line by country, distress ------------------------

def test_every_entry_cites_the_pages_checked_and_when() -> None:
    """Each entry names the service's own page and, page by page, what was confirmed
    there (or that it could not be), with the date of the check."""
    for locale, line in crisis_lines().items():
        assert line.source.startswith("https://"), locale
        assert line.sources, locale
        for page in line.sources:
            assert page["url"].startswith("https://") and page["what"], (locale, page)
            assert date.fromisoformat(page["checked"]) <= line.checked, (locale, page)


def test_a_text_line_is_named_where_one_exists() -> None:
    lines = crisis_lines()
    assert lines["en-GB"].text == "text SHOUT to 85258"
    assert lines["en-IE"].text == "text TALK to 50808"
    assert lines["en-AU"].text == "text 0477 13 11 14"
    for locale in ("en-US", "en-CA", "en-NZ"):  # the line itself takes texts
        assert "text" in lines[locale].how


@pytest.mark.parametrize(("locale", "zone", "number"), [
    ("en-AU", "Pacific/Auckland", "1737"), ("en-AU", "Australia/Sydney", "13 11 14"),
    ("en-AU", "Australia/Perth", "13 11 14"), ("en-GB", "Europe/Dublin", "116 123"),
    ("en-GB", "Europe/London", "116 123"), ("en-US", "America/Toronto", "9-8-8"),
    ("en-US", "America/Chicago", "988"), ("en-IN", "Asia/Kolkata", "14416"),
    ("en-AU", None, "13 11 14"), ("en-AU", "UTC", "13 11 14"),  # no country: the locale
    ("en-GB", "Europe/Berlin", None), ("en-US", "Asia/Tokyo", None),  # no line: local
])
def test_the_line_follows_the_devices_country(locale, zone, number) -> None:
    assert crisis_line(locale, zone).number == number
    if zone == "Europe/Dublin":
        assert crisis_line(locale, zone).emergency == "112 or 999"


def test_new_zealand_never_hears_australias_number() -> None:
    from skill.speech import speech_for

    for locale in ("en-AU", "en-NZ", "en-GB"):
        speech = speech_for(locale)
        key, fields = speech.crisis("crisis", "Pacific/Auckland")
        said = speech.turn(key, **fields).text
        assert "one seven three seven" in said and "one one one" in said
        assert "thirteen, eleven" not in said and "triple zero" not in said
        card = speech.crisis_card("Pacific/Auckland")
        assert "1737" in card and "13 11 14" not in card and "000" not in card


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_every_distress_sample_is_heard_in_free_text_and_none_is_crisis(locale: str) -> None:
    from skill.conversation.safety import is_distress

    model = json.loads((MODELS / f"{locale}.json").read_text())
    [distress] = [i for i in model["interactionModel"]["languageModel"]["intents"]
                  if i["name"] == "DistressIntent"]
    assert len(distress["samples"]) >= 20
    assert [s for s in distress["samples"] if not is_distress(s)] == []
    assert [s for s in distress["samples"] if is_crisis_language(s)] == []


@pytest.mark.parametrize("locale, number", [("es-US", "988"), ("fr-CA", "9-8-8"),
                                            ("cy-GB", "116 123"), ("de-DE", None),
                                            ("en-ZA", None)])
def test_a_locale_without_its_own_entry_hears_its_countrys_line_where_known(locale, number):
    """Its country's line where the table has one; else "your local emergency number",
    never another country's."""
    line = crisis_line(locale)
    assert line.number == number
    assert line.known == (number is not None)
