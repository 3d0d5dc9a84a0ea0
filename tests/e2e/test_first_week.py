"""End to end: a first week with Small Steps, spoken to the real server over HTTP.

`small-steps serve` runs as a subprocess (the `skill_server` fixture: loopback, request
verification off, a fresh SQLite store) and virtual-alexa (tests/e2e/drive.js) turns
what a person says into the request envelopes a device would send, resolved against
the skill's own interaction model. Every step is a spoken utterance from the model;
`slots` overrides are used only for AMAZON.DATE, which virtual-alexa cannot resolve
to the ISO date the real Alexa sends.

Each reply is checked for the dialog turn it must be (the exact sentence the speech
module gives for that turn and those details, so a copy edit in skill/speech does not
break this test but a wrong turn does), for the product facts that must be in it
(literal: the care line, the crisis numbers, the week's numbers), for
shouldEndSession, and every reply that keeps the session open must have a reprompt.

The server runs on the real system clock. virtual-alexa sends no device id and no
apiEndpoint (checked below), so the server cannot ask for the device's time zone and
uses the locale's (Europe/London for en-GB): "today" is today in London, and every
weekday-dependent expectation is worked out from it at run time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from skill.speech import Speech, speech_for
from tests.e2e.harness import REPO_ROOT, drive
from tests.replies import check_response, plain

LONDON = ZoneInfo("Europe/London")
MIDNIGHT_MARGIN_S = 90  # a conversation takes a few seconds; never let it straddle midnight
CATALOGUE = {
    a["key"]: a
    for a in json.loads((REPO_ROOT / "domain" / "catalogue.json").read_text())["activities"]
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
THURSDAY = 3


# -- the transcript ------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    """One step of the conversation: what was said, how it arrived, what came back."""

    said: str
    via: str
    request_type: str
    intent: str | None
    slots: dict[str, str]
    slot_ids: dict[str, str]
    session_new: bool | None
    text: str
    reprompt: str | None
    should_end: bool | None
    card: dict | None
    raw_request: dict

    @property
    def open(self) -> bool:
        return self.should_end is False

    def line(self) -> str:
        what = self.intent or self.request_type
        state = "open" if self.open else "ends"
        return f"{self.said!r:<58} -> {what:<22} -> {self.text[:60]!r} [{state}]"


def said_of(step: dict) -> str:
    if step.get("launch"):
        return "(open Small Steps)"
    return step.get("say") or step.get("intent") or json.dumps(step)


def talk(url: str, locale: str, steps: list[dict]) -> list[Reply]:
    transcript = drive(url, locale, steps, raw=True, unmatched="error")
    assert len(transcript) == len(steps)
    replies = []
    for record in transcript:
        request, response = record["request"], record["response"]
        check_response(record["rawResponse"])  # the reply as the server sent it
        replies.append(Reply(
            said=said_of(record["step"]), via=record["via"], request_type=request["type"],
            intent=request.get("intent"), slots=request.get("slots") or {},
            slot_ids=request.get("slotIds") or {}, session_new=request.get("sessionNew"),
            text=plain(response["speech"]) or "", reprompt=plain(response["reprompt"]),
            should_end=response["shouldEndSession"], card=response["card"],
            raw_request=record["rawRequest"],
        ))
    return replies


def transcript_text(replies: Iterable[Reply]) -> str:
    return "\n".join(r.line() for r in replies)


# -- checks ---------------------------------------------------------------------------------

def check_every_reply(replies: list[Reply]) -> None:
    """Nothing silent, nothing unmatched; an open session always has a reprompt."""
    for r in replies:
        assert r.via != "fallback", f"{r.said!r} matched nothing in the model"
        assert r.text, f"{r.said!r}: the skill said nothing"
        assert r.should_end in (True, False), f"{r.said!r}: shouldEndSession is {r.should_end}"
        if r.open:
            assert r.reprompt, f"{r.said!r}: the session stays open without a reprompt"
        else:
            assert r.reprompt is None, f"{r.said!r}: a closing reply with a reprompt"


def expect(r: Reply, speech: Speech, key: str, *, intent: str | None,
           contains: Iterable[str] = (), **fields: Any) -> None:
    """`r` is turn `key` of `speech` filled with `fields`, answering `intent`."""
    assert r.intent == intent, f"{r.said!r} arrived as {r.intent or r.request_type}, not {intent}"
    want = speech.turn(key, **fields)
    assert r.text == want.text, (
        f"{r.said!r}: expected turn {key!r}\n  want: {want.text}\n  got:  {r.text}")
    assert r.reprompt == want.reprompt, (
        f"{r.said!r}: reprompt of {key!r}\n  want: {want.reprompt}\n  got:  {r.reprompt}")
    assert r.should_end is (want.reprompt is None), (
        f"{r.said!r}: shouldEndSession {r.should_end} for turn {key!r}")
    for fact in contains:
        assert fact in r.text, f"{r.said!r}: {fact!r} not in {r.text!r}"


def title(key: str) -> str:
    """A catalogue title inside a sentence ("Make your bed" -> "making your bed")."""
    return speech_for("en-GB").activity(CATALOGUE[key]["title"])


def london_today() -> date:
    """Today in London, waiting past midnight if it is only moments away."""
    now = datetime.now(LONDON)
    midnight = datetime.combine(now.date() + timedelta(days=1), clock_time(), LONDON)
    left = (midnight - now).total_seconds()
    if left < MIDNIGHT_MARGIN_S:
        time.sleep(left + 2)
    return datetime.now(LONDON).date()


def same_day(before: date) -> None:
    after = datetime.now(LONDON).date()
    assert after == before, f"the conversation straddled midnight in London ({before} -> {after})"


def spoken_when(day: date, today: date, part: str) -> str:
    """How en-GB says a day and part of day from `today` ("on Thursday evening")."""
    days = (day - today).days
    if days == 1:
        return f"tomorrow {part}"
    if days < 7:
        return f"on {WEEKDAYS[day.weekday()]} {part}"
    return f"on {WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {part}"


def assert_no_device_time_zone(r: Reply) -> None:
    """The premise of every date here: the server cannot ask for the device's zone."""
    system = r.raw_request["context"]["System"]
    assert "apiEndpoint" not in system and "apiAccessToken" not in system, system
    assert "deviceId" not in system.get("device", {}), system


# -- the first week --------------------------------------------------------------------------

def test_a_first_week_spoken_end_to_end(skill_server: str):
    gb = speech_for("en-GB")
    today = london_today()
    weekday = today.weekday()
    # "Thursday" as the real Alexa resolves it: the next Thursday after today (a week on
    # when today is Thursday), so it is always a day still to come.
    call_day = today + timedelta(days=(THURSDAY - weekday) % 7 or 7)
    tomorrow = today + timedelta(days=1)
    same_week = today.isocalendar()[:2]
    # Planned this week: the bed (done), the walk (moved to tomorrow) and the call,
    # each only if its day is still in this ISO week (Sunday's tomorrow is not).
    planned = 1 + (tomorrow.isocalendar()[:2] == same_week) \
        + (call_day.isocalendar()[:2] == same_week)

    steps = [
        {"launch": True},                                                        # 0
        {"say": "yes"},                                                          # 1
        {"say": "what's my small step today"},                                   # 2
        {"say": "I did it"},                                                     # 3
        {"say": "eleven"},                                                       # 4
        {"say": "six"},                                                          # 5
        {"say": "add a walk for today", "slots": {"date": today.isoformat()}},   # 6
        {"say": "I couldn't do it"},                                             # 7
        {"say": "I was too tired"},                                              # 8
        {"say": "no"},                                                           # 9
        {"say": "yes"},                                                          # 10
        {"say": "add a call with my sister on thursday in the evening",          # 11
         "slots": {"date": call_day.isoformat()}},
        {"say": "how did my week go"},                                           # 12
        {"say": "I want to die"},                                                # 13
        {"say": "stop"},                                                         # 14
    ]
    replies = talk(skill_server, "en-GB", steps)
    same_day(today)
    print(f"\ntoday in London: {today} ({WEEKDAYS[weekday]})\n{transcript_text(replies)}")
    try:
        _check_first_week(replies, gb, today, call_day, planned)
    except AssertionError as e:
        raise AssertionError(f"{e}\n\ntoday in London: {today} ({WEEKDAYS[weekday]})\n"
                             f"transcript:\n{transcript_text(replies)}") from None


def _check_first_week(replies: list[Reply], gb: Speech, today: date, call_day: date,
                      planned: int) -> None:
    check_every_reply(replies)
    (launch, take_first, todays, did_it, eleven, six, add_walk, couldnt, tired, no_smaller,
     yes_later, add_call, week, crisis, stop) = replies
    assert_no_device_time_zone(launch)
    bed, walk, call = title("make-bed"), title("walk-around-block"), title("check-in-call")

    # First run: what this is, that it is not care, how to reach help, one first step.
    assert launch.request_type == "LaunchRequest" and launch.session_new is True
    expect(launch, gb, "intro", intent=None, title=bed,
           contains=("not a substitute for professional care", "I need support now",
                     f"{bed}?"))
    expect(take_first, gb, "step_added", intent="AMAZON.YesIntent", title=bed, when="today",
           contains=(f"Added: {bed}",))

    # Later that day (a new session, as "Alexa, ask Small Steps ..." would open).
    assert todays.session_new is True
    expect(todays, gb, "today_step", intent="GetSmallStepIntent", title=bed, after_today="",
           minutes=gb.minutes(CATALOGUE["make-bed"]["minutes"]), contains=(bed, "doable"))
    assert todays.card and todays.card["title"] == gb.phrase("today_card_title")
    expect(did_it, gb, "done_ask_mood", intent="LogDoneIntent", done="You made your bed",
           contains=("zero to ten",))
    # Out of range: asked again, kindly, and nothing is stored.
    assert eleven.slots == {"mood": "11"}
    expect(eleven, gb, "mood_invalid", intent="RateMoodIntent", contains=("zero to ten",))
    assert six.slots == {"mood": "6"}
    expect(six, gb, "mood_after", intent="RateMoodIntent", mood=6,
           lift=gb.phrase("lift_none"), contains=("Thank you", "6"))

    # A second step, not done today: what got in the way, smaller?, another time.
    assert add_walk.slot_ids == {"activity": "walk-around-block"}
    assert add_walk.slots["date"] == today.isoformat()
    expect(add_walk, gb, "schedule_done", intent="ScheduleStepIntent", title=walk, when="today")
    assert couldnt.session_new is True
    expect(couldnt, gb, "not_done_ask_barrier", intent="LogNotDoneIntent",
           contains=("not today", "What got in the way?"))
    assert tired.slot_ids == {"barrier": "tired"}
    expect(tired, gb, "not_done_offer_smaller", intent="BarrierIntent",
           barrier_line=gb.phrase("barrier_tired"),
           smaller=speech_for("en-GB").activity(CATALOGUE["walk-around-block"]["smaller"]),
           contains=("smaller version",))
    expect(no_smaller, gb, "offer_time", intent="AMAZON.NoIntent", when="tomorrow",
           contains=("another time",))
    expect(yes_later, gb, "move_done", intent="AMAZON.YesIntent", title=walk, when="tomorrow",
           contains=(f"Moved: {walk}",))

    # Scheduling by voice, with a day and a part of the day.
    assert add_call.slot_ids == {"activity": "check-in-call", "partOfDay": "evening"}
    expect(add_call, gb, "schedule_done", intent="ScheduleStepIntent", title=call,
           when=spoken_when(call_day, today, "evening"), contains=("Added:", "evening"))

    # The week in numbers: one step done, of those planned this week; mood 6.
    assert week.intent == "WeeklySummaryIntent" and not week.open
    key = "summary_done_one" if planned == 1 else "summary_done_of"  # "your one planned step"
    opening = gb.phrase(key, which_cap="This week", done=1, planned=planned)
    assert week.text.startswith(opening), week.text
    assert (f"you did 1 of {planned} planned steps" if planned > 1
            else "you did your one planned step") in week.text, week.text
    assert gb.phrase("summary_mood", mood="6") in week.text, week.text
    assert week.card and week.card["title"] == gb.phrase("summary_card_title")
    assert f"Steps: 1 done of {planned} planned" in week.card["content"], week.card

    # Crisis language: answered at once with Samaritans and 999, and the session stays
    # open with the offer to stay.
    assert crisis.session_new is True
    expect(crisis, gb, "crisis", intent="CrisisIntent", **gb.crisis_fields(),
           contains=("Samaritans", "one one six, one two three", "nine nine nine"))
    assert crisis.open and "one one six, one two three" in crisis.reprompt
    assert crisis.card and "116 123" in crisis.card["content"] and "999" in crisis.card["content"]
    # "stop" in the same session: it ends, and the number is said once more.
    assert stop.session_new is False
    expect(stop, gb, "crisis_leave", intent="AMAZON.StopIntent", **gb.crisis_fields(),
           contains=("one one six, one two three",))
    assert stop.card and "116 123" in stop.card["content"]


# -- the crisis line in other locales --------------------------------------------------------

@pytest.mark.parametrize(("locale", "spoken", "emergency", "written"), [
    ("en-US", "nine eight eight", "nine one one", "988"),
    ("en-AU", "thirteen, eleven, fourteen", "triple zero", "13 11 14"),
])
def test_crisis_in_another_locale_gives_that_locales_line(skill_server: str, locale: str,
                                                           spoken: str, emergency: str,
                                                           written: str):
    speech = speech_for(locale)
    fields = speech.crisis_fields()
    # The very first thing this person ever says: nobody is enrolled yet.
    replies = talk(skill_server, locale,
                   [{"say": "I want to die"}, {"say": "yes"}, {"say": "stop"}])
    print(f"\n{locale}\n{transcript_text(replies)}")
    try:
        check_every_reply(replies)
        crisis, stay, stop = replies
        assert crisis.raw_request["request"]["locale"] == locale
        expect(crisis, speech, "crisis", intent="CrisisIntent", **fields,
               contains=(spoken, emergency))
        assert "one one six" not in crisis.text  # not the British line
        assert crisis.card and written in crisis.card["content"]
        expect(stay, speech, "crisis_stay", intent="AMAZON.YesIntent", **fields,
               contains=(spoken,))
        assert stop.session_new is False
        expect(stop, speech, "crisis_leave", intent="AMAZON.StopIntent", **fields,
               contains=(spoken,))
    except AssertionError as e:
        raise AssertionError(f"{e}\n\ntranscript ({locale}):\n{transcript_text(replies)}") \
            from None
