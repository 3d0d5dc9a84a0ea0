"""The rules the Alexa tools enforce on samples, and the house's own, on every locale's
generated model: no sample shared by two intents (after normalising case, punctuation,
filled pauses and slot names), few and deliberate samples of a slot alone, no shape where
a feeling can fill the activity of a logging intent, Alexa's sample limits, and enough
samples written from how people talk for each core intent."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from skill.devtools.console import Resolver, heard

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "interaction-models" / "interactionModels" / "custom"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
SLOT = re.compile(r"\{(\w+)\}")

CORE = ("GetSmallStepIntent", "SomethingElseIntent", "MakeItSmallerIntent", "LogDoneIntent",
        "LogNotDoneIntent", "BarrierIntent", "RateMoodIntent", "ScheduleStepIntent",
        "WeeklySummaryIntent", "SetPinIntent")
MIN_CORE = 60
# The only samples that are a slot alone, each for a reason: an answer to the skill's own
# question (a mood, what got in the way, a life area when asked for one), or the elicited
# slot of the scheduling dialog. A custom slot alone takes only a value of its type.
SLOT_ONLY = {("RateMoodIntent", None, "{mood}"), ("BarrierIntent", None, "{barrier}"),
             ("GetSmallStepIntent", None, "{lifeArea}"),
             ("ScheduleStepIntent", "activity", "{activity}"),
             ("ScheduleStepIntent", "date", "{date}")}
LOGGING = ("LogDoneIntent", "LogNotDoneIntent")
# Words before the activity slot of a logging intent that a feeling or a state could
# follow ("i {activity}" took "I feel hopeless" for a step done).
OPEN_CARRIERS = {"i", "i'm", "i've", "i was", "i am", "i just", "today i", "i had", "i feel",
                 "i've been", "i got", "yes i", "so i", "and i", "i've had", "i really"}
FEELINGS = ("feel hopeless", "feel rubbish", "am so tired", "hopeless", "don't know",
            "can't cope", "feel like giving up", "had a bad day", "was awful", "feel low")


@pytest.fixture(scope="module", params=LOCALES)
def model(request) -> dict:
    return json.loads((MODELS / f"{request.param}.json").read_text("utf-8"))


def samples(model: dict):
    """(intent, slot or None, sample, slot types of the intent) for every sample."""
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            yield intent["name"], None, sample, types
        for slot in intent.get("slots", []):
            for sample in slot.get("samples", []):
                yield intent["name"], slot["name"], sample, types


def shape(sample: str, types: dict[str, str]) -> str:
    """A sample as Alexa compares them: words as heard, each slot as its type."""
    text = SLOT.sub(lambda m: f" SLOT{types[m.group(1)]} ", sample)
    return " ".join(w if w.startswith("SLOT") else " ".join(heard(w)) for w in text.split())


def test_no_sample_is_shared_by_two_intents(model) -> None:
    seen: dict[str, str] = {}
    for intent, _, sample, types in samples(model):
        key = shape(sample, types)
        if key in seen:
            assert seen[key] == intent, f"{sample!r} in {intent} and in {seen[key]}"
        seen[key] = intent


def test_slot_only_samples_are_few_and_deliberate(model) -> None:
    alone = {(intent, slot, sample) for intent, slot, sample, _ in samples(model)
             if SLOT.fullmatch(sample.strip())}
    assert alone <= SLOT_ONLY, f"slot-only samples not on the list: {alone - SLOT_ONLY}"


def test_no_logging_sample_lets_a_feeling_fill_the_activity(model) -> None:
    for intent, _, sample, _ in samples(model):
        if intent not in LOGGING or "{activity}" not in sample:
            continue
        before, _, after = (part.strip() for part in sample.partition("{activity}"))
        closed = after not in ("", "today", "this morning", "earlier", "already")
        assert closed or before not in OPEN_CARRIERS, f"{intent}: {sample!r}"
        assert before or closed, f"{intent}: {sample!r} is the activity alone"


def test_feelings_in_a_logging_shape_are_not_logged(model) -> None:
    resolver = Resolver(model, today=date(2026, 11, 23))
    for feeling in FEELINGS:
        for said in (f"i {feeling}", f"i {feeling} today", f"today i {feeling}", feeling,
                     f"honestly i {feeling}", f"um i {feeling}"):
            assert resolver.resolve(said).intent not in LOGGING, said


def test_samples_keep_alexas_limits(model) -> None:
    for intent, _, sample, types in samples(model):
        assert len(sample) <= 255, f"{intent}: {sample!r}"
        assert not re.search(r"[0-9]", sample), f"{intent}: spell numbers out: {sample!r}"
        assert re.fullmatch(r"[a-z' .{}A-Z]+", sample), f"{intent}: {sample!r}"
        assert set(SLOT.findall(sample)) <= set(types), f"{intent}: {sample!r}"
        assert "  " not in sample and sample == sample.strip(), f"{intent}: {sample!r}"


def test_core_intents_have_samples_written_from_how_people_talk(model) -> None:
    intents = {i["name"]: i["samples"] for i in model["interactionModel"]["languageModel"]["intents"]}
    for name in CORE:
        assert len(intents[name]) >= MIN_CORE, f"{name}: {len(intents[name])} samples"
    everything = [s for name in CORE for s in intents[name]]
    assert sum("'" in s for s in everything) >= 150, "people say 'what's', 'didn't', 'i'd'"
    assert sum(s.split()[0] in ("um", "er", "erm") for s in everything) >= 5, "and 'um'"
