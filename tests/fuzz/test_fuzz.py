"""A fuzzing campaign: whole conversations over HTTP, of random turns, to the real app.

A hypothesis state machine plays several people on several devices sharing one store:
launches, every intent of the interaction model (read from the generated models, so a
new intent is covered without touching this file) with slot values drawn from the
model's own values and from what no model would send (unicode, control characters,
SSML, very long text, impossible dates, times and numbers), confirmations, sessions
ended, the skill disabled, Connections.Response, and time passing. Each turn is a real
request envelope through the real Flask app (tests/skill/harness.py). After every turn:
no 5xx, the SSML parses under <speak>, no banned word, an open turn has a reprompt
(`check_response`); at the end of each conversation, the views equal a rebuild of them
from the events.

`make test` runs a bounded campaign (SMALL_STEPS_FUZZ_EXAMPLES conversations of up to
SMALL_STEPS_FUZZ_STEPS turns, on SQLite, and a quarter as many on PostgreSQL); set them
higher for a longer run. Failing examples are kept in .hypothesis/ and replayed first.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from domain.clock import FixedClock
from skill.devtools.envelopes import Device, SlotValue
from skill.model import model_path
from skill.speech import speech_for
from skill.voice.names import LOCALES
from tests.conftest import PG_URL
from tests.faults.test_faults import _views
from tests.replies import check_response, said
from tests.skill.harness import SKILL_ID, AlexaApiFake, post, serving

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("SMALL_STEPS_FUZZ_EXAMPLES", "40"))
STEPS = int(os.environ.get("SMALL_STEPS_FUZZ_STEPS", "25"))
STATS: Counter[str] = Counter()  # examples, turns, intent:<name> (for the README's figures)


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, stateful_step_count=STEPS, deadline=None,
                    database=DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "fuzz")),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- what people (and no model) might send --------------------------------------------

ODD_TEXT = st.one_of(
    st.text(max_size=40),  # any unicode but surrogates, control characters included
    st.sampled_from([
        "<speak>hello</speak>", "</speak><audio src='https://x/y.mp3'/>", "a & b < c > d",
        "]]><!--", '"quoted" \\back\\', "\x00", "tab\there\nnewline\r", "\u202eright-to-left",
        "🙂🚶‍♀️", "ＡＢＣ", "I want to die", "I wanted to die", "dead", "    ", "",
        "I failed again", "after I missed the bus",
    ]),
    st.integers(200, 4000).map(lambda n: ("a very long walk " * n)[:n]),
)
NUMBER = st.one_of(
    st.integers(-10**12, 10**12).map(str),
    st.sampled_from(["six", "about a five", "11", "-1", "1e309", "NaN", "Infinity", "٣",
                     "007", "3.5", "?", "10", "0"]),
    ODD_TEXT,
)
DATE = st.one_of(
    st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "2026-W48", "2026-W53",
                     "2026-W48-WE", "2026-11-XX", "XXXX-11-23", "PRESENT_REF", "2100-01-01",
                     "9999-12-31", "2026", "202X", "2026-11", "2026-11-26"]),
    ODD_TEXT,
)
TIME = st.one_of(
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.sampled_from(["MO", "AF", "EV", "NI", "25:61", "24:00", "99:99", "12", "noon"]),
    ODD_TEXT,
)
PIN = st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"),
                st.sampled_from(["12", "12345", "abcd", "-123"]), ODD_TEXT)
BUILT_IN = {"AMAZON.NUMBER": NUMBER, "AMAZON.DATE": DATE, "AMAZON.TIME": TIME,
            "AMAZON.FOUR_DIGIT_NUMBER": PIN, "AMAZON.SearchQuery": ODD_TEXT}


def _model(locale: str) -> dict[str, Any]:
    return json.loads(model_path(locale).read_text())["interactionModel"]["languageModel"]


def _custom_value(slot_type: dict[str, Any]) -> st.SearchStrategy[SlotValue]:
    """One of the type's values (its name or a synonym, resolved to its id), or words
    that resolve to nothing."""
    heard = [(v["name"]["value"], v.get("id")) for v in slot_type["values"]] + [
        (s, v.get("id")) for v in slot_type["values"] for s in v["name"].get("synonyms", [])]
    return st.one_of(st.sampled_from(heard).map(lambda h: SlotValue(h[0], h[1],
                                                                    slot_type["name"])),
                     ODD_TEXT.map(lambda t: SlotValue(t, None, slot_type["name"])))


def _slot_strategy(type_name: str, types: dict[str, Any]) -> st.SearchStrategy[Any]:
    value = (_custom_value(types[type_name]) if type_name in types
             else BUILT_IN.get(type_name, ODD_TEXT))
    return st.one_of(st.none(), value)


def _intents(locale: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Any intent of the locale's model, each slot empty or filled."""
    model = _model(locale)
    types = {t["name"]: t for t in model["types"]}
    choices = []
    for intent in model["intents"]:
        slots = {s["name"]: _slot_strategy(s["type"], types) for s in intent.get("slots", [])}
        choices.append(st.tuples(st.just(intent["name"]), st.fixed_dictionaries(slots)))
    return st.one_of(choices)


INTENTS = {locale: _intents(locale) for locale in LOCALES}


# -- the people --------------------------------------------------------------------

def _devices(api: str) -> list[Device]:
    """Two accounts; on each, a voice Alexa does not know and a recognised one; two
    speakers, one of them shared by both accounts' people; each in another locale."""
    account = ("amzn1.ask.account.FUZZ-ONE", "amzn1.ask.account.FUZZ-TWO")
    shared = "amzn1.ask.device.FUZZ-KITCHEN"
    return [
        Device(SKILL_ID, account[0], None, shared, "en-GB", api),
        Device(SKILL_ID, account[0], "amzn1.ask.person.FUZZ-ANNA", "amzn1.ask.device.FUZZ-HALL",
               "en-US", api),
        Device(SKILL_ID, account[1], None, shared, "en-AU", api),
        Device(SKILL_ID, account[1], "amzn1.ask.person.FUZZ-BEN", shared, "en-IN", api),
    ]


class Conversations(RuleBasedStateMachine):
    """One store, one server, four people talking in turn."""

    store_for: Callable[[], tuple[str, Callable[[], None]]]  # a fresh store and its cleanup
    api: AlexaApiFake

    def __init__(self) -> None:
        super().__init__()
        STATS["examples"] += 1
        self.stack = ExitStack()
        self.store, self.dispose = self.store_for()
        self.clock = FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))
        env = {"SMALL_STEPS_STORE": self.store, "SMALL_STEPS_SKILL_ID": SKILL_ID,
               "SMALL_STEPS_VERIFY_REQUESTS": "false",
               "SMALL_STEPS_IDENTITY_KEY": "fuzz-identity-key"}
        base, _ = self.stack.enter_context(serving(env, self.clock))
        self.url = base + "/alexa"
        self.devices = _devices(self.api.url)
        for device in self.devices:
            self.api.zones[device.device_id] = "Europe/London"

    # -- sending ----------------------------------------------------------------------

    def send(self, device: Device, envelope: dict[str, Any]) -> dict[str, Any]:
        status, body = post(self.url, json.dumps(envelope).encode())
        STATS["turns"] += 1
        request = envelope["request"]
        STATS[f"request:{request.get('intent', {}).get('name') or request['type']}"] += 1
        assert status < 500, (status, body)
        assert status == 200, (status, body)  # every envelope here is a valid one
        check_response(body)
        # The store is up throughout: the catch-all's apology means a handler failed.
        assert said(body) != speech_for(device.locale).turn("error").text, envelope
        device.after(body)
        return body

    def device(self, n: int) -> Device:
        return self.devices[n]

    # -- rules ------------------------------------------------------------------------

    @initialize(n=st.integers(0, 3))
    def open_the_skill(self, n: int) -> None:
        self.send(self.device(n), self.device(n).launch(self.clock.now()))

    @rule(n=st.integers(0, 3))
    def launch(self, n: int) -> None:
        self.send(self.device(n), self.device(n).launch(self.clock.now()))

    @rule(n=st.integers(0, 3), data=st.data(),
          confirmation=st.sampled_from(["NONE", "NONE", "CONFIRMED", "DENIED"]))
    def say(self, n: int, data: st.DataObject, confirmation: str) -> None:
        device = self.device(n)
        name, slots = data.draw(INTENTS[device.locale], label="intent")
        slots = {k: v for k, v in slots.items() if v is not None}
        self.send(device, device.intent(name, slots, self.clock.now(),
                                        confirmation=confirmation))

    @rule(n=st.integers(0, 3),
          reason=st.sampled_from(["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"]))
    def session_ends(self, n: int, reason: str) -> None:
        device = self.device(n)
        if device.session_id is not None:
            self.send(device, device.session_ended(reason, self.clock.now()))

    @rule(n=st.integers(0, 3))
    def walks_away(self, n: int) -> None:
        """The session times out on Alexa's side with no request: the next is new."""
        self.device(n).session_id = None

    @rule(n=st.integers(0, 3))
    def skill_disabled(self, n: int) -> None:
        device = self.device(n)
        event = device.envelope({"type": "AlexaSkillEvent.SkillDisabled",
                                 "body": {"userInformation": {"consentToken": None}}},
                                self.clock.now())
        event.pop("session")
        self.send(device, event)

    @rule(n=st.integers(0, 3), accepted=st.booleans(), code=st.sampled_from(["200", "400"]))
    def connections_response(self, n: int, accepted: bool, code: str) -> None:
        """A reminders permission answer (Alexa's AskFor), as a device sends it back."""
        device = self.device(n)
        self.send(device, device.envelope({
            "type": "Connections.Response", "name": "AskFor", "token": "",
            "status": {"code": code, "message": "OK"},
            "payload": {"permissionScope": "alexa::alerts:reminders:skill:readwrite",
                        "status": "ACCEPTED" if accepted else "DENIED"}}, self.clock.now()))

    @rule(hours=st.sampled_from([1, 3, 9, 24, 73, 24 * 7 + 2]))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    # -- the end of a conversation ----------------------------------------------------

    def teardown(self) -> None:
        self.stack.close()  # the server stops; the store stays until checked
        try:
            assert _views(self.store) == _views(self.store, rebuild=True)
        finally:
            self.dispose()


def _run(store_for: Callable[[], tuple[str, Callable[[], None]]], examples: int) -> None:
    api = AlexaApiFake()
    try:
        machine = type("Fuzzed", (Conversations,), {"store_for": staticmethod(store_for),
                                                    "api": api})
        run_state_machine_as_test(machine, settings=_settings(examples))
    finally:
        api.close()
        intents = sorted(k for k in STATS if k.startswith("request:"))
        print(f"fuzz: {STATS['examples']} examples, {STATS['turns']} turns, "
              f"{len(intents)} kinds of request: {intents}")


def test_conversations_fuzzed_on_sqlite(tmp_path: Path) -> None:
    def store_for() -> tuple[str, Callable[[], None]]:
        path = tmp_path / f"fuzz-{uuid.uuid4().hex[:8]}.sqlite"
        return f"sqlite:///{path}", lambda: [p.unlink() for p in tmp_path.glob(path.name + "*")]

    _run(store_for, EXAMPLES)


@pytest.mark.postgres
def test_conversations_fuzzed_on_postgres(pg_available: None) -> None:
    def store_for() -> tuple[str, Callable[[], None]]:
        schema = f"fz_{uuid.uuid4().hex[:12]}"

        def drop() -> None:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

        return f"{PG_URL}?schema={schema}", drop

    _run(store_for, max(1, EXAMPLES // 4))
