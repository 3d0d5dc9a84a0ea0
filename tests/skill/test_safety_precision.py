"""Issue 11, point 11: the precision of the free-text safety checks, measured on a
labelled set (tests/skill/data/crisis_precision.json) and asserted both ways: every
crisis phrase caught, every ambiguous word checked gently, and not one everyday sentence
put into the crisis state or asked whether the person is safe. The counts are printed
(pytest -s) and asserted; the set is also sent through the running skill over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.conversation.safety import is_ambiguous_risk, is_crisis_language, is_distress
from skill.model import I
from tests.skill.harness import Speaker

DATA = json.loads((Path(__file__).parent / "data" / "crisis_precision.json").read_text())
SAMARITANS = "one one six, one two three"


def counts() -> dict[str, tuple[int, int]]:
    crisis, ambiguous, distress, everyday = (DATA[k] for k in
                                             ("crisis", "ambiguous", "distress", "everyday"))
    return {
        "crisis caught": (sum(map(is_crisis_language, crisis)), len(crisis)),
        "ambiguous checked, not crisis": (
            sum(is_ambiguous_risk(t) and not is_crisis_language(t) for t in ambiguous),
            len(ambiguous)),
        "distress heard, not crisis": (
            sum(is_distress(t) and not is_crisis_language(t) and not is_ambiguous_risk(t)
                for t in distress), len(distress)),
        "everyday not put into crisis": (
            sum(not is_crisis_language(t) for t in everyday), len(everyday)),
        "everyday not even checked": (
            sum(not is_crisis_language(t) and not is_ambiguous_risk(t) for t in everyday),
            len(everyday)),
        "everyday not taken for distress": (sum(not is_distress(t) for t in everyday),
                                            len(everyday)),
    }


def test_the_labelled_set_is_big_enough() -> None:
    assert len(DATA["everyday"]) >= 50 and len(DATA["crisis"]) >= 40
    everyday = " | ".join(DATA["everyday"]).lower()
    for word in ("dead", "killing", "dying", "gone", "kill", "pills", "note", "end", "asleep"):
        assert word in everyday  # the crisis words, in their ordinary senses


def test_precision_both_ways(capsys: pytest.CaptureFixture) -> None:
    found = counts()
    with capsys.disabled():
        print()
        for name, (hit, of) in found.items():
            print(f"  {name}: {hit}/{of}")
    for name, (hit, of) in found.items():
        assert hit == of, (name, hit, of)


@pytest.mark.parametrize("text", DATA["crisis"])
def test_each_crisis_phrase_is_caught(text: str) -> None:
    assert is_crisis_language(text)


@pytest.mark.parametrize("text", DATA["everyday"])
def test_each_everyday_sentence_is_neither_crisis_nor_a_check(text: str) -> None:
    assert not is_crisis_language(text) and not is_ambiguous_risk(text)


def _fresh(speaker: Speaker) -> None:
    speaker.device.session_id = None


def test_the_whole_set_through_the_skill_over_http(speaker: Speaker) -> None:
    """Each sentence as a value answer ("what matters to me is …"), in a session of its
    own: crisis → the line and the crisis state; ambiguous → the gentle check; distress
    → the heavy-heart answer; everyday → none of them."""
    speaker.launch()
    outcome: dict[str, list[str]] = {"crisis": [], "safety_check": [], "distress": [],
                                     "other": []}
    for label in ("crisis", "ambiguous", "distress", "everyday"):
        for text in DATA[label]:
            _fresh(speaker)
            said = speaker.say(I.NAME_VALUE, value=text)
            state = speaker.pending if speaker.pending in outcome else "other"
            if state == "crisis":
                assert SAMARITANS in said
            outcome[state].append(text)
    assert sorted(outcome["crisis"]) == sorted(DATA["crisis"])
    assert sorted(outcome["safety_check"]) == sorted(DATA["ambiguous"])
    assert sorted(outcome["distress"]) == sorted(DATA["distress"])
    assert sorted(outcome["other"]) == sorted(DATA["everyday"])
