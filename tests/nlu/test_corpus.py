"""The labelled corpus of everyday utterances (tests/nlu/corpus.jsonl), through the chat
resolver: feelings and hesitations never reach a logging intent, and at least 90% of the
corpus reaches its labelled intent and slots. `make nlu-report` prints the same figures,
with virtual-alexa beside them, and every miss."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from skill.devtools import nlu
from skill.model import model_path

CATEGORIES = {"request", "question", "log", "answer", "feeling", "hesitation", "correction",
              "off-topic"}
# Round two's lines were written blind to the samples; these 31 came out word for word as
# samples that were already in the model before round two (checked against the model of
# commit a7a9c34). They stay in the corpus as said; no other line may be a sample, and no
# sample may be added that is one of these or any other corpus line.
ROUND_2_SAMPLES = frozenset({
    "nah something else",
    "can I have a different one",
    "swap it for something else",
    "is there an easier version",
    "smaller please",
    "I did the step",
    "I didn't do it today",
    "I haven't done it",
    "I skipped it today",
    "how's my week been",
    "what did I get done this week",
    "I want to set a PIN",
    "delete all my data",
    "everything feels hopeless",
    "I'm at the end of my tether",
    "I want to kill myself",
    "I don't want to be alive anymore",
    "I want to hurt myself",
    "yeah go on",
    "yes please",
    "yep",
    "sure why not",
    "mm yeah okay",
    "no thanks",
    "nope",
    "I'd rather not",
    "how does this work",
    "what can I say to you",
    "say that again",
    "sorry what was that",
    "can you repeat that please",
})


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return nlu.load_corpus()


@pytest.fixture(scope="module")
def model() -> dict:
    return nlu.load_model()


@pytest.fixture(scope="module")
def tally(rows, model) -> nlu.Tally:
    return nlu.through_resolver(rows, model)


def test_the_corpus_is_large_labelled_and_varied(rows, model) -> None:
    assert len(rows) >= 400
    intents = {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}
    types = nlu.slot_types(model)
    for row in rows:
        assert set(row) <= {"utterance", "intent", "category", "slots", "fresh", "round",
                            "line"}, row
        assert row.get("fresh", True) is True, row
        assert row.get("round", 2) == 2, row
        assert row["category"] in CATEGORIES, row
        assert row["intent"] in intents, row
        for name, want in row.get("slots", {}).items():
            assert name in types.get(row["intent"], {}), row
            if isinstance(want, dict):
                assert set(want) == {"said", "id"}, row
    counts = Counter(r["category"] for r in rows)
    assert counts["feeling"] >= 40 and counts["hesitation"] >= 20, counts
    assert counts["correction"] >= 15 and counts["off-topic"] >= 15, counts
    for round_ in (1, 2):
        utterances = [nlu.normalise(r["utterance"]) for r in rows if r.get("round", 1) == round_]
        assert len(utterances) == len(set(utterances)), f"an utterance is in round {round_} twice"
    # Round two may say again what round one said (it was written blind), with the same label.
    labels = {}
    for row in rows:
        key = nlu.normalise(row["utterance"])
        assert labels.setdefault(key, row["intent"]) == row["intent"], row


def test_no_corpus_utterance_is_a_sample(rows, model) -> None:
    samples = nlu.sample_texts(model)
    same = [r["utterance"] for r in rows if " ".join(nlu.heard(r["utterance"])) in samples
            and not (r.get("round") == 2 and r["utterance"] in ROUND_2_SAMPLES)]
    assert not same, f"these are samples of the model, not held-out utterances: {same}"


def test_feelings_and_hesitations_never_reach_a_logging_intent(tally) -> None:
    logged = tally.to_logging(nlu.LOGGING + nlu.LOGS_TOO)
    assert not logged, [(o.row["utterance"], o.intent) for o in logged]


def test_the_resolver_reaches_the_labelled_intent_for_nine_in_ten(tally) -> None:
    misses = [(o.row["utterance"], o.row["intent"], o.intent) for o in tally.outcomes
              if not o.agrees]
    assert tally.agreement >= nlu.TARGET, (
        f"agreement {tally.agreement:.3f} < {nlu.TARGET}; misses: {misses}")


def test_the_annotation_set_is_up_to_date(rows) -> None:
    assert nlu.write_annotations(rows, check=True) == [], (
        "tests/nlu/annotations.en-GB.* are stale: run `make nlu-report` "
        "(or .venv/bin/python bench/nlu_report.py)")


def test_the_annotation_set_has_the_shape_the_nlu_evaluation_takes(rows) -> None:
    body = json.loads(nlu.ANNOTATIONS_JSON.read_text("utf-8"))
    assert set(body) == {"data"} and len(body["data"]) == len(rows)
    for item, row in zip(body["data"], rows):
        assert set(item) == {"inputs", "expected"}
        assert item["inputs"] == {"utterance": row["utterance"],
                                  "referenceTimestamp": nlu.REFERENCE_TIMESTAMP}
        (expected,) = item["expected"]
        assert expected["intent"]["name"] == row["intent"]
        for name, slot in expected["intent"].get("slots", {}).items():
            assert set(slot) == {"value"} and slot["value"], (row, name)
    header, *lines = nlu.ANNOTATIONS_CSV.read_text("utf-8").splitlines()
    columns = header.split(",")
    assert columns[:3] == ["utterance", "referenceTimestamp", "intent"]
    assert all(re.fullmatch(r"slot\[\w+\]", c) for c in columns[3:]), columns
    assert len(lines) == len(rows)


@pytest.mark.parametrize("said", ["four eight two one", "forty eight twenty one"])
def test_a_pin_in_words_arrives_as_digits(said) -> None:
    resolver = nlu.Resolver(json.loads(model_path("en-GB").read_text()))
    resolved = resolver.resolve(f"set my pin to {said}")
    assert resolved.intent == "SetPinIntent" and resolved.slots["pin"].heard == "4821"


def test_the_held_out_set_never_logs_a_feeling_and_hears_every_crisis():
    """Round three (tests/nlu/held_out.jsonl), written blind and never tuned against: its
    figure is only printed by the report, but safety holds on it as on the corpus."""
    rows = nlu.load_corpus(nlu.HELD_OUT)
    assert len(rows) >= 100 and {r["category"] for r in rows} <= CATEGORIES
    tally = nlu.through_resolver(rows)
    assert tally.to_logging() == []
    crisis = [o for o in tally.outcomes if o.row["intent"] == "CrisisIntent"]
    assert crisis and all(o.intent == "CrisisIntent" for o in crisis)
    # no ordinary line is taken for a crisis
    assert not [o for o in tally.outcomes
                if o.intent == "CrisisIntent" and o.row["intent"] != "CrisisIntent"]


@pytest.mark.parametrize("said", ["remove my pin", "take off my pin", "get rid of my pin please",
                                  "remove my step", "delete the walk"])
def test_near_delete_my_data_is_not_delete_my_data(said: str):
    """Erasing everything is never reached on a near guess: the data must be named."""
    from skill.devtools.console import Resolver

    assert Resolver(nlu.load_model()).resolve(said).intent != "DeleteMyDataIntent"


@pytest.mark.parametrize("said", ["actually I did go for a walk in the end",
                                  "actually I did go outside in the end",
                                  "I did the washing up in the end"])
def test_a_log_is_never_near_over_words_that_may_name_the_step(said: str):
    """A fresh tester's "actually I did go for a walk in the end", with only the bed
    waiting, was logged as the bed: the nearest sample passed over "walk". A recording
    intent is near only over small words; otherwise the words stay in its slot (and the
    skill asks which step) or it falls back."""
    from skill.devtools.console import Resolver

    resolved = Resolver(nlu.load_model()).resolve(said)
    assert resolved.intent not in ("LogDoneIntent", "LogNotDoneIntent", "BarrierIntent") \
        or resolved.slots, (resolved.intent, resolved.slots)
