"""Logs are JSON lines with a request id, and never hold Alexa ids, moods or activities."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from skill.edge.logs import REQUEST_ID_HEADER, JsonFormatter, scrub
from tests.skill.harness import Speaker, activity, post
from tests.skill.test_conversations import I


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # the most a server could ever be told to log
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_whole_conversation_logs_no_ids_moods_or_activities(
        speaker: Speaker, server, log_lines: io.StringIO) -> None:
    speaker.device.user_id = "amzn1.ask.account.AGEXAMPLEUSERIDTHATMUSTNOTAPPEAR"
    speaker.device.person_id = "amzn1.ask.person.AHEXAMPLEPERSONIDTHATMUSTNOTAPPEAR"
    speaker.launch()
    speaker.say(I.NO)
    speaker.say(I.LOG_DONE, activity=activity("played my favourite song", "favourite-song"))
    speaker.say(I.RATE_MOOD, mood="7")
    speaker.say(I.RATE_MOOD, mood="9")
    speaker.say(I.LOG_NOT_DONE)
    speaker.say(I.WEEKLY_SUMMARY)
    speaker.say(I.RATE_MOOD, mood="banana")  # refused kindly: the refusal is logged
    speaker.end()
    lines = _lines(log_lines)
    access = [line for line in lines if line.get("path") == "/alexa"]
    assert len(access) == 9
    assert all(line["status"] == 200 and line["request_id"] for line in access)
    assert len({line["request_id"] for line in access}) == 9
    assert [line.get("intent") for line in access][1:4] == [I.NO, I.LOG_DONE, I.RATE_MOOD]
    text = "\n".join(json.dumps(line) for line in lines).lower()
    assert "amzn1." not in text.replace("amzn1.…", "")
    for secret in ("agexampleuserid", "ahexampleperson", "local-console", "favourite song",
                   "favourite-song", "banana", speaker.device.session_id or "no session"):
        assert secret.lower() not in text, secret
    for line in lines:  # no mood value in any message
        assert not re.search(r"\b[79]\b", line["msg"]), line


def test_the_request_id_comes_from_the_proxy_or_is_made_fresh(server, log_lines) -> None:
    base, _ = server
    body = b'{"not": "an envelope"}'
    status, _ = post(base + "/alexa", body, {REQUEST_ID: "nginx-4f2a9c"})
    assert status == 400
    status, _ = post(base + "/alexa", body, {REQUEST_ID: "bad id; with spaces"})
    ids = [line["request_id"] for line in _lines(log_lines) if line.get("path") == "/alexa"]
    assert ids[0] == "nginx-4f2a9c"
    assert ids[1] != "bad id; with spaces" and re.fullmatch(r"[0-9a-f]{16}", ids[1])


REQUEST_ID = REQUEST_ID_HEADER


def test_scrub_removes_every_kind_of_alexa_id() -> None:
    message = ("user amzn1.ask.account.AF3X-Y_z device amzn1.ask.device.AE9 "
               "skill amzn1.ask.skill.5f0ce5a1-0000-4d6e person amzn1.ask.person.P1")
    assert scrub(message) == "user amzn1.… device amzn1.… skill amzn1.… person amzn1.…"


def test_no_log_line_carries_a_password(log_lines: io.StringIO) -> None:
    """Whatever quotes a store URL or a driver's connection string: a message, its
    arguments, a structured field."""
    log = logging.getLogger("small_steps.test")
    log.warning("could not reach %s", "postgres//app:Pa55-word@db/steps")
    log.warning("driver said: host=db user=app password=Pa55-word dbname=steps")
    log.warning("store down", extra={"error": "postgresql://app:Pa55-word@db/steps"})
    lines = _lines(log_lines)
    assert len(lines) == 3
    text = "\n".join(json.dumps(line) for line in lines)
    assert "Pa55" not in text and text.count("***") == 3
    assert "app:***@db/steps" in lines[0]["msg"]
