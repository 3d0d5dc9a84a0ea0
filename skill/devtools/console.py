"""`small-steps chat`: type what you would say to an Echo and hear (read) the reply.

Each line is resolved against the locale's interaction model (sample utterances, slot
types with their synonyms, and the built-in types the skill uses), turned into a real
request envelope and posted to the server; the spoken reply is printed. Without --url
it starts the server itself on a free loopback port (verification off, as only a
loopback server may), on the configured store.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from skill.devtools.envelopes import Device, SlotValue, spoken_text
from skill.model import model_path
from skill.settings import Settings

LAUNCH_WORDS = ("open small steps", "launch small steps", "start small steps", "open", "launch")
BUILT_IN_PHRASES = {
    "AMAZON.HelpIntent": ["help", "help me", "what can i say", "how does this work"],
    "AMAZON.StopIntent": ["stop", "quit", "exit", "that's all", "goodbye", "bye"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "yes please", "sure", "okay", "ok", "go on",
                         "please do", "alright"],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "no thank you", "not now", "not really"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "repeat that", "what did you say"],
    "AMAZON.StartOverIntent": ["start over", "start again", "restart"],
    "AMAZON.NavigateHomeIntent": ["go home", "home"],
}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME_WORDS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
              "tonight": "EV", "this evening": "EV", "this morning": "MO",
              "this afternoon": "AF"}


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' :]+", " ", text)
    return " ".join(text.split())


def sample_regex(sample: str) -> str:
    """A sample utterance as a regex: literal words, and a named group per {slot}."""
    parts = []
    for piece in re.split(r"(\{\w+\})", sample):
        if piece.startswith("{"):
            parts.append(f"(?P<{piece[1:-1]}>.+?)")
        elif normalise(piece):
            parts.append(re.escape(normalise(piece)))
    return r"\s".join(parts).replace(r"\ ", r"\s")


@dataclass(frozen=True)
class Resolved:
    intent: str | None  # None: a launch
    slots: dict[str, SlotValue]


class Resolver:
    """Utterance → intent and slots, from one locale's interaction model."""

    def __init__(self, model: dict[str, Any], today: date | None = None):
        lm = model["interactionModel"]["languageModel"]
        self.today = today
        self.types: dict[str, dict[str, str]] = {}
        for t in lm.get("types", []):
            words = {}
            for v in t["values"]:
                name = v["name"]
                for w in [name["value"], *name.get("synonyms", [])]:
                    words[normalise(w)] = v.get("id") or name["value"]
            self.types[t["name"]] = words
        self.patterns: list[tuple[int, str, re.Pattern, dict[str, str]]] = []
        for intent in lm["intents"]:
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            samples = list(intent.get("samples", [])) + BUILT_IN_PHRASES.get(intent["name"], [])
            for sample in samples:
                literal = len(re.sub(r"\{\w+\}", "", sample))
                regex = sample_regex(sample)
                self.patterns.append((literal, intent["name"], re.compile(f"^{regex}$"),
                                      slot_types))
        self.patterns.sort(key=lambda p: -p[0])

    def resolve(self, utterance: str) -> Resolved:
        said = normalise(utterance)
        if said in LAUNCH_WORDS:
            return Resolved(None, {})
        best: tuple[int, Resolved] | None = None
        for literal, intent, pattern, slot_types in self.patterns:
            match = pattern.match(said)
            if match is None:
                continue
            slots, score = {}, literal * 10
            for name, heard in match.groupdict().items():
                value = self._slot(slot_types[name], heard)
                if value is None:
                    break
                matched = value.value_id is not None or value.slot_type is None
                if not matched and literal == 0:
                    break  # a bare slot that matched no value: not this intent
                slots[name] = value
                score += 5 if matched else 0
            else:
                if best is None or score > best[0]:
                    best = (score, Resolved(intent, slots))
        return best[1] if best else Resolved("AMAZON.FallbackIntent", {})

    def _slot(self, slot_type: str, heard: str) -> SlotValue | None:
        if slot_type == "AMAZON.NUMBER":
            if heard.isdigit():
                return SlotValue(heard)
            if heard in NUMBER_WORDS:
                return SlotValue(str(NUMBER_WORDS[heard]))
            return None
        if slot_type == "AMAZON.DATE":
            day = self._date(heard)
            return SlotValue(day.isoformat()) if day else None
        if slot_type == "AMAZON.TIME":
            value = self._time(heard)
            return SlotValue(value) if value else None
        if slot_type == "AMAZON.SearchQuery":
            return SlotValue(heard)
        ids = self.types.get(slot_type, {})
        if heard in ids:
            return SlotValue(heard, ids[heard], slot_type)
        if len(heard.split()) > 6:
            return None
        return SlotValue(heard, None, slot_type)  # heard, but no value matched

    def _date(self, heard: str) -> date | None:
        today = self.today or date.today()
        words = heard.replace("on ", "").replace("next ", "").strip()
        if words == "today":
            return today
        if words == "tomorrow":
            return today + timedelta(days=1)
        if words in WEEKDAYS:
            ahead = (WEEKDAYS.index(words) - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        try:
            return date.fromisoformat(words)
        except ValueError:
            return None

    @staticmethod
    def _time(heard: str) -> str | None:
        if heard in TIME_WORDS:
            return TIME_WORDS[heard]
        match = re.match(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm|a m|p m)?$", heard)
        if not match:
            return None
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) and match.group(3).replace(" ", "") == "pm" and hour < 12:
            hour += 12
        return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def post(url: str, envelope: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps(envelope).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - loopback or given
        return json.loads(resp.read())


def reply_lines(response: dict[str, Any]) -> list[str]:
    lines = [spoken_text(response)]
    card = (response.get("response") or {}).get("card")
    if card:
        lines.append(f"  [card: {card.get('title')}] " + (card.get("content") or "").replace("\n", " | "))
    if (response.get("response") or {}).get("shouldEndSession", True) is not False:
        lines.append("  (session ended)")
    return lines


def start_local_server(settings: Settings) -> tuple[str, Any]:
    """The skill on a free loopback port, in this process; returns its /alexa URL."""
    from werkzeug.serving import make_server

    from skill.edge.web import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # keep the console readable
    web = create_app(settings=settings)
    server = make_server("127.0.0.1", 0, web, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/alexa", server


def chat(url: str, locale: str, application_id: str, user: str, person: str | None,
         lines: TextIO, out: TextIO, model_file: Path | None = None) -> int:
    model = json.loads((model_file or model_path(locale)).read_text("utf-8"))
    resolver = Resolver(model)
    device = Device(application_id, user_id=f"amzn1.ask.account.{user}", locale=locale,
                    person_id=f"amzn1.ask.person.{person}" if person else None,
                    api_access_token=None)
    out.write(f"Small Steps ({locale}). Say 'open small steps' to begin; Ctrl-D to leave.\n")
    for line in lines:
        if not line.strip():
            continue
        resolved = resolver.resolve(line)
        envelope = device.launch() if resolved.intent is None else device.intent(
            resolved.intent, resolved.slots)
        response = post(url, envelope)
        device.after(response)
        out.write("\n".join(f"< {t}" if i == 0 else t
                            for i, t in enumerate(reply_lines(response))) + "\n")
        out.flush()
    if device.session_id is not None:
        post(url, device.session_ended())
    return 0
