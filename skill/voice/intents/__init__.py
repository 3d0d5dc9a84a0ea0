"""Every intent of the interaction model, with its slots, samples and dialog, in the order
the rendered models list them.

An intent is a dict: "name", "slots" [(slot name, slot type)], "samples", and an optional
"dialog" ({"slots": {slot: {"elicitation", "samples", "validations"}}, "confirmation"}).
Samples are what people may say, written once in British English; `EXTRA_SAMPLES` adds the
phrasings only one locale uses ("prepone", "arvo")."""

from __future__ import annotations

from skill.voice.intents import care, plan, steps
from skill.voice.intents.families import FAMILIES
from skill.voice.names import (
    GET_SMALL_STEP, LOG_DONE, LOG_NOT_DONE, RATE_MOOD, MOVE_STEP, CRISIS,
)

INTENTS = [*steps.INTENTS, *plan.INTENTS, *care.INTENTS]
# Round two's families join each intent's own samples (a sample already there is not
# written twice).
for _intent in INTENTS:
    _intent["samples"] += [s for s in FAMILIES.get(_intent["name"], [])
                           if s not in _intent["samples"]]

# Phrasings only some locales use, added to that locale's samples.
EXTRA_SAMPLES = {
    "en-IN": {
        GET_SMALL_STEP: ["kindly tell me my small step", "what is my small step for today"],
        LOG_DONE: ["i did the needful", "i have completed it"],
        LOG_NOT_DONE: ["i was not able to do it", "i could not do it"],
        MOVE_STEP: ["prepone it to {date}", "can we prepone it to {date} {partOfDay}"],
        RATE_MOOD: ["today i am feeling {mood}"],
        CRISIS: ["i am going to commit suicide", "i don't feel like living"],
    },
    "en-GB": {
        LOG_NOT_DONE: ["i couldn't face it"],
        CRISIS: ["i'm going to do myself in"],
    },
    "en-AU": {
        GET_SMALL_STEP: ["what's my small step for the arvo"],
        CRISIS: ["i'm going to do myself in"],
    },
}
