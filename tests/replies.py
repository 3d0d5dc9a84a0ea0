"""What every reply of the skill must be, whichever test drove it: speech (and reprompt)
that is well-formed SSML under a <speak> root, as Alexa requires (it rejects anything
else and the person hears Alexa's generic error), and the product's language rules
(docs/conversation.md, "How it speaks").

The skill tests (tests/skill/harness.py), the fault tests, and the end-to-end test all
check their replies here, so a reply no test parses cannot slip through.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from skill.speech import UNSAID as BANNED  # the language rules' words, one list

MAX_WORDS = 75  # the longest turn (the weekly summary) stays under 30 seconds


def plain(ssml: str | None) -> str | None:
    """The words of an SSML <speak> element; AssertionError if it is not well-formed or
    its root is not <speak>."""
    if ssml is None:
        return None
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError as e:
        raise AssertionError(f"the SSML is not well-formed ({e}): {ssml!r}") from e
    assert root.tag == "speak", f"the SSML's root is <{root.tag}>, not <speak>: {ssml!r}"
    return " ".join("".join(root.itertext()).split())


def _ssml(speech: dict[str, Any] | None) -> str | None:
    if speech is None:
        return None
    assert speech.get("type") in (None, "SSML"), f"speech that is not SSML: {speech!r}"
    return speech["ssml"]


def check_response(body: dict[str, Any]) -> None:
    """The rules every response must keep."""
    response = body["response"]
    texts = []
    speech = plain(_ssml(response.get("outputSpeech")))
    if speech is not None:
        texts.append(speech)
    reprompt = plain(_ssml((response.get("reprompt") or {}).get("outputSpeech")))
    if reprompt is not None:
        texts.append(reprompt)
    card = response.get("card")
    if card is not None:
        texts += [card.get("title") or "", card.get("content") or ""]
    for text in texts:
        assert not BANNED.search(text), f"banned word in {text!r}"
    if texts:
        assert len(re.findall(r"[\w'-]+", texts[0])) <= MAX_WORDS, texts[0]
    if response.get("shouldEndSession") is False:
        assert reprompt is not None, f"open session without a reprompt: {texts}"


def said(body: dict[str, Any]) -> str:
    """The words a checked reply speaks ("" when it speaks none)."""
    check_response(body)
    return plain(_ssml(body["response"].get("outputSpeech"))) or ""


def check_if_reply(body: dict[str, Any]) -> dict[str, Any]:
    """`body`, checked if it is a skill reply (an HTTP error's body is not)."""
    if "response" in body:
        check_response(body)
    return body
