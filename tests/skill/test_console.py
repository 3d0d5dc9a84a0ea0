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
    # Issue 11, point 10: everyday phrasings that fell back before.
    ("what's my step", "GetSmallStepIntent", {}),
    ("what should I do", "GetSmallStepIntent", {}),
    ("what's on today", "GetSmallStepIntent", {}),
    ("done it", "LogDoneIntent", {}),
    ("finished it", "LogDoneIntent", {}),
    ("yep did it", "LogDoneIntent", {}),
    ("add a walk today", "ScheduleStepIntent",
     {"activity": ("a walk", "walk-around-block"), "date": ("2026-11-23", None)}),
    ("add a shower tomorrow morning", "ScheduleStepIntent",
     {"activity": ("a shower", "shower-clean-clothes"), "date": ("2026-11-24", None),
      "partOfDay": ("morning", "morning")}),
    # Number words arrive as digits, as Alexa sends them.
    ("set my pin to four eight two one", "SetPinIntent", {"pin": ("4821", None)}),
    ("um, about a five", "RateMoodIntent", {"mood": ("5", None)}),
    ("a seven out of ten", "RateMoodIntent", {"mood": ("7", None)}),
    ("twenty one", "RateMoodIntent", {"mood": ("21", None)}),
    # Every split of the slots is tried, not the first a non-greedy match finds.
    ("schedule a walk at seven thirty pm on friday", "ScheduleStepIntent",
     {"activity": ("a walk", "walk-around-block"), "time": ("19:30", None),
      "date": ("2026-11-27", None)}),
])
def test_utterances_resolve_as_the_model_says(resolver: Resolver, said, intent, slots):
    resolved = resolver.resolve(said)
    assert resolved.intent == intent
    assert {k: (v.heard, v.value_id) for k, v in resolved.slots.items()} == slots


@pytest.mark.parametrize("said", ["I feel hopeless", "honestly, no idea", "I'm so tired today",
                                  "I had a bad day", "um", "I feel rubbish"])
def test_a_feeling_or_a_hesitation_is_never_a_log(resolver: Resolver, said):
    # DistressIntent, when the model has it, may take some of these; never a logging intent.
    assert resolver.resolve(said).intent not in ("LogDoneIntent", "LogNotDoneIntent",
                                                 "BarrierIntent")


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
    assert "[card: Useful numbers] Samaritans: 116 123" in result.stdout


def test_chat_says_when_the_server_refuses_and_carries_on():
    """A server that answers 500 (or is gone) is reported on a line; no traceback."""
    import http.server
    import io
    import threading

    from skill.devtools.console import chat

    class Refusing(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args):  # noqa: ANN002
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = io.StringIO()
        code = chat(f"http://127.0.0.1:{server.server_port}/alexa", "en-GB", "amzn1.ask.skill.x",
                    "someone", None, io.StringIO("open small steps\nI did it\n"), out)
    finally:
        server.shutdown()
    assert code == 0
    assert out.getvalue().count("! the server did not answer (HTTP 500)") == 2
