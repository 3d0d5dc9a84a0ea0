"""A real Small Steps server on a loopback port, a fake Alexa API, and a talking device.

`serving(env, clock)` runs the Flask app from `create_app` under werkzeug's threaded
server; `Speaker` posts real request envelopes to it over HTTP (`post`), which checks
every reply's SSML and the product's language rules (tests/replies.py) before a test
sees it.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.projections.stores import PostgresViews
from skill.devtools.envelopes import Device, SlotValue, spoken_text
from skill.edge.web import SERVICES, create_app
from tests.replies import check_if_reply

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


class AlexaApiFake:
    """The Alexa settings API on loopback: device time zones, with a call count."""

    def __init__(self) -> None:
        self.zones: dict[str, str] = {}
        self.calls = 0
        self.failing = False
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                fake.calls += 1
                match = re.match(r"^/v2/devices/([^/]+)/settings/System\.timeZone$", self.path)
                auth = self.headers.get("Authorization", "")
                if fake.failing or not match or not auth.startswith("Bearer "):
                    self.send_response(500 if fake.failing else 404)
                    self.end_headers()
                    return
                body = json.dumps(fake.zones.get(match.group(1), "America/New_York")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serving(env: dict[str, str], clock: FixedClock | None = None,
            **kwargs: Any) -> Iterator[tuple[str, SmallSteps]]:
    """The app on a free loopback port: yields (base URL, its domain app)."""
    web = create_app(env, clock=clock, **kwargs)
    server = make_server("127.0.0.1", 0, web, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", web.extensions[SERVICES].app
    finally:
        server.shutdown()
        server.server_close()
        web.extensions[SERVICES].app.close()


def health(base_url: str, app: SmallSteps | None = None) -> dict[str, Any]:
    """/healthz's answer, which must be a 200. With `app` on PostgreSQL, the projector's
    heartbeat is written first, as a running projector's is: these servers run none,
    and a projector that never beat makes the status "degraded"."""
    if app is not None and isinstance(app.views, PostgresViews):
        app.views.beat()
    with urllib.request.urlopen(base_url + "/healthz", timeout=10) as resp:
        assert resp.status == 200
        return json.loads(resp.read())


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    """POST `body`: (status, JSON body), every skill reply checked (tests/replies.py)."""
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers=headers or {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, check_if_reply(json.loads(resp.read() or b"{}"))
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, check_if_reply(json.loads(raw))
        except ValueError:
            return e.code, {"raw": raw.decode("utf-8", "replace")}


class Speaker:
    """One Echo and one person talking to the server, session by session."""

    def __init__(self, base_url: str, clock: FixedClock | None = None, **device: Any):
        device.setdefault("application_id", SKILL_ID)
        self.url = base_url + "/alexa"
        self.clock = clock
        self.device = Device(**device)
        self.last: dict[str, Any] = {}

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        status, body = post(self.url, json.dumps(envelope).encode())
        assert status == 200, body
        self.device.after(body)
        self.last = body
        return body

    def launch(self) -> str:
        return spoken_text(self.send(self.device.launch(self._now())))

    def say(self, intent: str, confirmation: str = "NONE", **slots: SlotValue | str | None) -> str:
        return spoken_text(self.send(self.device.intent(intent, slots, self._now(),
                                                        confirmation=confirmation)))

    def set_pin(self, pin: str) -> str:
        """"Set my PIN to ..." and the digits once more, as the skill asks: what it says
        at the end (AssertionError if it asked for more than that)."""
        said = self.say("SetPinIntent", pin=pin)
        assert said.startswith("Could you say those four digits once more"), said
        return self.say("SetPinIntent", pin=pin)

    def end(self) -> dict[str, Any]:
        return self.send(self.device.session_ended(now=self._now()))

    def _now(self):  # noqa: ANN202
        return self.clock.now() if self.clock is not None else None

    @property
    def open(self) -> bool:
        return self.last.get("response", {}).get("shouldEndSession") is False

    @property
    def pending(self) -> str | None:
        return ((self.last.get("sessionAttributes") or {}).get("pending") or {}).get("what")

    @property
    def card(self) -> dict[str, Any] | None:
        return self.last.get("response", {}).get("card")

    @property
    def ssml(self) -> str:
        return self.last["response"]["outputSpeech"]["ssml"]


def take_first_step(speaker: Speaker) -> None:
    """A first run, taking the first small step offered (make your bed, today)."""
    speaker.launch()
    speaker.say("AMAZON.YesIntent")


def person_key(speaker: Speaker) -> str:
    """The speaker's stored person key (the keyed hash the test servers use)."""
    from skill.conversation.identity import IdentityHasher

    d = speaker.device
    return IdentityHasher(b"test-identity-key").identify(d.person_id, d.user_id).key


def activity(heard: str, value_id: str | None) -> SlotValue:
    return SlotValue(heard, value_id, "ActivityType")


def custom(heard: str, value_id: str | None, slot_type: str) -> SlotValue:
    return SlotValue(heard, value_id, slot_type)
