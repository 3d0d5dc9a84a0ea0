"""Alexa's retries on the embedded store: a repeated request id is answered, not redone."""

from __future__ import annotations

import json

from skill.devtools.envelopes import spoken_text
from skill.model import I
from tests.skill.harness import Speaker, activity, post
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
