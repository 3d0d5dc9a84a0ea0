"""Values ("what matters to me is being a good friend") and the plan for harder days."""

from __future__ import annotations

import re

from ask_sdk_model import Response

from domain.vocabulary import LIFE_AREAS, MAX_TITLE_CHARS
from skill.conversation.base import IntentHandler, Turn, answers
from skill.conversation.states import DialogState
from skill.model import I

# Words that place a value in a life area (BATD-R). Unplaced values are asked about.
AREA_WORDS = {
    "relationships": r"friend|family|partner|mum|mom|mother|dad|father|parent|kid|child|son|"
                     r"daughter|sister|brother|husband|wife|people|community|neighbou?r|"
                     r"grand|love|kind|caring|there for",
    "education_career": r"work|job|career|study|studies|learn|school|college|universit|course|"
                        r"colleague|skill|business|degree",
    "recreation_interests": r"fun|hobb|music|art|creativ|play|garden|nature|sport|read|book|"
                            r"paint|draw|game|travel|outdoors",
    "mind_body_spirituality": r"health|body|faith|spirit|calm|fit|sleep|peace|mind|god|pray|"
                              r"church|mosque|temple|meditat|well|exercise|strong",
    "daily_responsibilities": r"home|house|tidy|bills|chores|organi[sz]ed|cook|clean|money|"
                              r"responsib|pets?\b|garden",
}
_AREAS = {area: re.compile(rf"\b({words})", re.IGNORECASE) for area, words in AREA_WORDS.items()}


def guess_area(text: str) -> str | None:
    hits = [area for area, pattern in _AREAS.items() if pattern.search(text)]
    return hits[0] if len(hits) == 1 else None


class NameValueHandler(IntentHandler):
    intents = (I.NAME_VALUE,)

    def respond(self, turn: Turn) -> Response:
        turn.ctx.profile()
        text = (turn.slot_value(I.VALUE) or "")[:MAX_TITLE_CHARS].strip()
        if not text:
            turn.expect(DialogState.VALUE)
            return turn.say("value_ask")
        area = guess_area(text)
        if area is None:
            turn.expect(DialogState.VALUE_AREA, text=text)
            return turn.say("value_which_area", value=turn.speech.their_words(text))
        return _name(turn, area, text)


def _name(turn: Turn, area: str, text: str) -> Response:
    turn.app.name_value(turn.ctx.person, area, text)
    return turn.say("value_named", value=turn.speech.capital(turn.speech.their_words(text)),
                    area=turn.speech.word(f"area_{area}"))


@answers(I.GET_SMALL_STEP, DialogState.VALUE_AREA)
def value_area(turn: Turn) -> Response:
    area = turn.slot_choice(I.LIFE_AREA, LIFE_AREAS)
    if area is None:
        return turn.say("value_which_area", value=turn.speech.their_words(turn.pending["text"]))
    return _name(turn, area, turn.pending["text"])


@answers(I.NAME_VALUE, DialogState.VALUE)
def value_said(turn: Turn) -> Response:
    return NameValueHandler().respond(turn)


@answers(I.NO, DialogState.VALUE, DialogState.VALUE_AREA)
def no_value(turn: Turn) -> Response:
    return turn.say("value_unsaid")


class RelapsePlanHandler(IntentHandler):
    intents = (I.RELAPSE_PLAN,)

    def respond(self, turn: Turn) -> Response:
        profile = turn.ctx.profile()
        speech = turn.speech
        lapse = turn.app.lapse(turn.ctx.profile())
        if lapse.boosters:
            names = [speech.short(b, profile.activity(b).title) for b in lapse.boosters
                     if profile.activity(b) is not None]
            signs = [speech.phrase(f"sign_{s}") if f"sign_{s}" in speech.text else s
                     for s in lapse.warning_signs] or [speech.phrase("sign_no_steps_for_days")]
            return turn.say("relapse_plan", signs=speech.join(signs, "or"), boosters=speech.join(names, "or"))
        first = turn.app.suggest(turn.ctx.profile())
        second = turn.app.suggest(turn.ctx.profile(), exclude=(first.activity_id,)) if first else None
        boosters = [s for s in (first, second) if s is not None]
        turn.expect(DialogState.RELAPSE, boosters=[s.activity_id for s in boosters])
        return turn.say("relapse_offer", boosters=speech.join(
            [speech.short(s.activity_id, s.title) for s in boosters], "or"))


@answers(I.YES, DialogState.RELAPSE)
def save_relapse_plan(turn: Turn) -> Response:
    turn.app.set_relapse_plan(turn.ctx.person, ["no_steps_for_days", "mood_falling"],
                              turn.pending["boosters"])
    return turn.say("relapse_saved")


@answers(I.NO, DialogState.RELAPSE)
def decline_relapse_plan(turn: Turn) -> Response:
    return turn.say("relapse_declined")
