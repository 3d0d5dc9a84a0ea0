"""`small-steps chat`: utterances resolved against the interaction model, posted to a server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from skill.devtools.console import Resolver
from skill.model import model_path


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(json.loads(model_path("en-GB").read_text()), today=date(2026, 11, 23))


@pytest.mark.parametrize(("said", "intent", "slots"), [
    ("open small steps", None, {}),
    ("what's my small step today", "GetSmallStepIntent", {}),
    ("I went for a walk", "LogDoneIntent", {"activity": ("a walk", "walk-around-block")}),
    ("six", "RateMoodIntent", {"mood": ("6", None)}),
    ("eleven", "RateMoodIntent", {"mood": ("11", None)}),
    ("banana", "AMAZON.FallbackIntent", {}),
    ("I was too tired", "BarrierIntent", {"barrier": ("tired", "tired")}),
    ("add a call with my sister on Thursday evening", "ScheduleStepIntent",
     {"activity": ("a call with my sister", "check-in-call"), "date": ("2026-11-26", None),
      "partOfDay": ("evening", "evening")}),
    ("how did last week go", "WeeklySummaryIntent", {"whichWeek": ("last", "last")}),
    ("what matters to me is being a good friend", "NameValueIntent",
     {"value": ("being a good friend", None)}),
    ("I want to die", "CrisisIntent", {}),
    ("yes please", "AMAZON.YesIntent", {}),
    ("stop", "AMAZON.StopIntent", {}),
])
def test_utterances_resolve_as_the_model_says(resolver: Resolver, said, intent, slots):
    resolved = resolver.resolve(said)
    assert resolved.intent == intent
    assert {k: (v.heard, v.value_id) for k, v in resolved.slots.items()} == slots


def test_chat_talks_to_a_local_server_and_prints_the_replies(tmp_path):
    lines = "\n".join(["open small steps", "yes", "I did it", "eleven", "six",
                       "how did my week go", "I want to die", "no"]) + "\n"
    env = {**os.environ, "SMALL_STEPS_STORE": f"sqlite:///{tmp_path}/chat.sqlite",
           "SMALL_STEPS_IDENTITY_KEY_FILE": str(tmp_path / "identity.key"),
           "SMALL_STEPS_LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-m", "skill.cli", "chat", "--locale", "en-GB"],
                            input=lines, env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    replies = [line for line in result.stdout.splitlines() if line.startswith("< ")]
    assert len(replies) == 8
    assert replies[0].startswith("< Welcome to Small Steps.")
    assert replies[2] == "< You made your bed. How do you feel now, from zero to ten?"
    assert replies[3].startswith("< Any number from zero to ten is fine.")
    assert replies[4].startswith("< Thank you, that's a 6.")
    assert "you did your one planned step" in replies[5]
    assert "Samaritans on one one six, one two three" in replies[6]
    assert "[card: Help is available] Samaritans: 116 123" in result.stdout
