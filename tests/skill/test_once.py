"""Alexa's retries on the embedded store: a repeated request id is answered, not redone."""

from __future__ import annotations

import json

import pytest

from skill.devtools.envelopes import spoken_text
from skill.model import I
from skill.speech import speech_for
from tests.skill.harness import Speaker, activity, custom, post
from tests.skill.test_conversations import _key


def _count(app, table: str) -> int:  # noqa: ANN001
    with app.views.reading() as cur:
        return cur.one(f"SELECT count(*) AS n FROM {table}")["n"]


def _events(app) -> int:  # noqa: ANN001
    return app.recorder.max_notification_id() or 0


def test_a_repeated_request_gets_the_first_reply_and_stores_nothing(speaker: Speaker,
                                                                    server) -> None:
    url, app = server[0] + "/alexa", server[1]
    speaker.launch()
    speaker.say(I.NO)
    done = speaker.device.intent(I.LOG_DONE, {"activity": activity("went for a walk",
                                                                    "walk-around-block")})
    body = json.dumps(done).encode()
    first = post(url, body)
    stored = _events(app)
    again = post(url, body)
    assert first == again and first[0] == 200
    assert spoken_text(first[1]).startswith("You walked around the block.")
    assert _events(app) == stored
    done = [s for s in app.today(_key(server, speaker)).steps if s.status == "done"]
    assert len(done) == 1


def test_reading_todays_step_skips_the_ledger_and_a_dialog_answer_does_not(speaker: Speaker,
                                                                           server) -> None:
    app = server[1]
    speaker.launch()
    speaker.end()
    before = _count(app, "ss_replies")
    speaker.say(I.GET_SMALL_STEP)  # a new session: no dialog open
    assert _count(app, "ss_replies") == before and speaker.pending
    speaker.say(I.YES)  # an answer in a dialog: it may store, so it is kept
    assert _count(app, "ss_replies") == before + 1


def test_a_turn_that_loses_a_race_is_acted_again_on_fresh_state(speaker: Speaker, server,
                                                                 monkeypatch) -> None:
    """Another device of the same person records into the same week while a turn is
    being handled: the turn's commit loses on the week's version, nothing of it is
    recorded, and the edge acts the whole turn again, from the same dialog state."""
    app, person = server[1], _key(server, speaker)
    speaker.launch()
    speaker.say(I.NO)
    speaker.say(I.LOG_DONE, activity=activity("went for a walk", "walk-around-block"))
    assert speaker.pending == "mood_after"
    record, raced = app._record_unit, []

    def racing(unit, reply):  # noqa: ANN001, ANN202
        if not raced:
            raced.append(True)
            with app.outside_unit():
                app.rate_mood(person, 2)  # the other device, first
        return record(unit, reply)

    monkeypatch.setattr(app, "_record_unit", racing)
    said = speaker.say(I.RATE_MOOD, mood="7")
    assert raced and said.startswith("Thank you, that's a 7.")
    with app.views.reading() as cur:
        moods = sorted(r["value"] for r in cur.all("SELECT value FROM ss_moods"))
    assert moods == [2, 7]  # each recorded once



def test_a_turn_that_loses_a_race_at_its_commit_is_acted_again(speaker: Speaker, server,
                                                               monkeypatch) -> None:
    """The race lost at the very end, where the turn's events and its reply commit
    together: nothing of the first attempt is recorded, and the second is."""
    app, person = server[1], _key(server, speaker)
    speaker.launch()
    speaker.say(I.NO)
    record, raced = app._record_unit, []

    def racing(unit, reply):  # noqa: ANN001, ANN202
        if reply is not None and not raced:
            raced.append(True)
            with app.outside_unit():
                app.rate_mood(person, 2)  # the other device, first, into the same week
        return record(unit, reply)

    monkeypatch.setattr(app, "_record_unit", racing)
    said = speaker.say(I.LOG_DONE, activity=activity("went for a walk", "walk-around-block"))
    assert raced and said.startswith("You walked around the block.")
    assert speaker.pending == "mood_after"
    done = [s for s in app.today(person).steps if s.status == "done"]
    assert [s.activity_id for s in done] == ["walk-around-block"]  # once
    assert _count(app, "ss_replies") >= 1


def test_a_request_id_another_person_sends_never_gets_their_reply(speaker: Speaker,
                                                                  server, clock) -> None:
    url, app = server[0] + "/alexa", server[1]
    speaker.launch()
    speaker.say(I.NO)
    mine = speaker.device.intent(I.LOG_DONE, {"activity": activity("went for a walk",
                                                                    "walk-around-block")})
    first = post(url, json.dumps(mine).encode())
    assert spoken_text(first[1]).startswith("You walked around the block.")
    other = Speaker(server[0], clock, locale="en-GB", user_id="amzn1.ask.account.OTHER",
                    device_id="amzn1.ask.device.OTHER")
    theirs = other.device.intent(I.RATE_MOOD, {"mood": "four"})
    theirs["request"]["requestId"] = mine["request"]["requestId"]
    status, body = post(url, json.dumps(theirs).encode())
    assert status == 200 and body != first[1]
    assert "walked" not in spoken_text(body) and "4" in spoken_text(body)
    assert app.week(_key(server, other)).mood_count == 1
    # The first person's retry still gets their own reply.
    assert post(url, json.dumps(mine).encode()) == first


def _store_down(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    raise OSError("database is locked")


@pytest.mark.parametrize("where", ["replies.earlier", "commit"])
def test_the_apology_when_the_store_is_down_is_speech_alexa_accepts(speaker: Speaker, server,
                                                                   monkeypatch, where) -> None:
    """When the store cannot be reached (before the turn, or at its commit), the edge
    answers with the apology itself: it must be SSML under <speak> like every reply, or
    Alexa rejects it and the person hears Alexa's generic error instead (the harness's
    `post` parses every reply)."""
    app = server[1]
    speaker.launch()
    speaker.say(I.NO)
    monkeypatch.setattr(app.replies if where == "replies.earlier" else app,
                        where.rsplit(".", 1)[-1], _store_down)
    said = speaker.say(I.LOG_DONE, activity=activity("went for a walk", "walk-around-block"))
    assert said == speech_for("en-GB").turn("error").text
    assert speaker.last["response"]["shouldEndSession"] is True


def test_when_the_store_is_down_crisis_words_still_get_the_line(speaker: Speaker, server,
                                                                monkeypatch) -> None:
    """The crisis line never waits on the store: with the store unreachable, crisis
    words (the intent, or in any slot) get the line, "yes" says it again, "stop" leaves
    kindly; everything else hears the apology."""
    app = server[1]
    speaker.launch()
    monkeypatch.setattr(app.replies, "earlier", _store_down)
    said = speaker.say(I.CRISIS)
    assert "Samaritans on one one six, one two three" in said and speaker.open
    assert speaker.card["title"] == "Useful numbers"
    assert "Samaritans" in speaker.say(I.YES) and speaker.open
    assert speaker.say(I.STOP).startswith("Okay. The number is in your Alexa app")
    assert not speaker.open
    speaker.launch()
    said = speaker.say(I.BARRIER, barrier=custom("I wanted to die", None, "BarrierType"))
    assert "Samaritans" in said
    speaker.launch()
    assert speaker.say(I.RATE_MOOD, mood="6") == speech_for("en-GB").turn("error").text
