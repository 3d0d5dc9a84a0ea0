"""The skill manifest (`skill.json`): publishing text, endpoint, permissions, privacy.

Written once in British English and worded per locale; `{crisis}` and `{emergency}` in
the description are filled from each locale's crisis line (`skill.conversation.safety.crisis_line`),
so no number is written twice."""

from __future__ import annotations

from skill.conversation.safety import crisis_line
from skill.voice.names import LOCALES, SKILL_NAME
from skill.voice.wording import localise, unique

ENDPOINT = "https://small-steps.example.org/alexa"
PRIVACY_POLICY_URL = "https://small-steps.example.org/privacy"
TERMS_OF_USE_URL = "https://small-steps.example.org/terms"
CATEGORY = "HEALTH_AND_FITNESS"
DISTRIBUTION_COUNTRIES = ["US", "GB", "CA", "AU", "IN"]
PERMISSIONS = ["alexa::alerts:reminders:skill:readwrite"]

SUMMARY = (
    "One small step at a time: a gentle voice companion for Behavioural Activation. "
    "A self-help tool, not a substitute for professional care."
)

DESCRIPTION = (
    "Small Steps is a gentle voice companion for Behavioural Activation, an evidence-based "
    "approach for low mood in which action comes before motivation. Each day it offers one "
    "small, manageable step, like making your bed, stepping outside or sending a message to a "
    "friend. You can make any step smaller, swap it, move it to another time, or pair it with "
    "something you already do.\n\n"
    "Tell Small Steps when you have done a step and how you feel from zero to ten. Over the "
    "weeks it helps you notice which activities lift your mood. You can also plan your week, "
    "name what matters to you, hear a short weekly summary, and set up a plan for hard times. "
    "A step not done is simply \"not today\".\n\n"
    "Small Steps is a self-help tool. It is not a substitute for professional care, and it "
    "does not diagnose or give medical advice. If you see a therapist, you can review your "
    "week together.\n\n"
    "If you are in crisis or thinking about ending your life, {crisis} If you are in "
    "immediate danger, call your local emergency number, {emergency}. You can also tell Small "
    "Steps at any time, and it will give you these numbers.\n\n"
    "Small Steps stores no recordings or transcripts. Say \"delete my data\" at any time to "
    "remove everything it has stored about you."
)

# How each locale's crisis sentence reads, filled from its crisis line.
CRISIS_SENTENCE = {
    "call or text": "call or text {number}, any time.",
    "call": "call {name} on {number}, any time.",
}

KEYWORDS = [
    "behavioural activation", "low mood", "mood tracker", "mood diary", "small steps",
    "self help", "wellbeing", "daily habits", "planner", "motivation",
]

# The first phrase launches the skill; the others are sample utterances of the model.
EXAMPLE_PHRASES = [
    "Alexa, open small steps",
    "Alexa, ask small steps what's my small step today",
    "Alexa, ask small steps how my week went",
]

TESTING_INSTRUCTIONS = (
    "No account linking. Say \"Alexa, open small steps\", then \"what's my small step today\", "
    "\"make it smaller\", \"I did it\" and a number from zero to ten for mood. Try \"add a walk "
    "around the block on Thursday evening\", \"how did my week go\" and \"delete my data\" (it "
    "asks for confirmation). Crisis language such as \"I want to die\" is answered at once with "
    "the crisis line for the locale. Reminders permission is optional."
)


def description(locale: str) -> str:
    line = crisis_line(locale)
    crisis = CRISIS_SENTENCE[line.how].format(number=line.number, name=line.name)
    return localise(DESCRIPTION, locale).format(crisis=crisis, emergency=line.emergency)


def skill_manifest() -> dict:
    publishing_locales, privacy_locales = {}, {}
    for locale in LOCALES:
        publishing_locales[locale] = {
            "name": SKILL_NAME,
            "summary": localise(SUMMARY, locale),
            "description": description(locale),
            "examplePhrases": list(EXAMPLE_PHRASES),
            "keywords": unique(localise(k, locale) for k in KEYWORDS),
        }
        privacy_locales[locale] = {
            "privacyPolicyUrl": PRIVACY_POLICY_URL,
            "termsOfUseUrl": TERMS_OF_USE_URL,
        }
    return {
        "manifest": {
            "publishingInformation": {
                "locales": publishing_locales,
                "isAvailableWorldwide": False,
                "distributionCountries": list(DISTRIBUTION_COUNTRIES),
                "testingInstructions": TESTING_INSTRUCTIONS,
                "category": CATEGORY,
            },
            "apis": {
                "custom": {
                    "endpoint": {"uri": ENDPOINT, "sslCertificateType": "Trusted"},
                    "interfaces": [{"type": "ALEXA_PRESENTATION_APL"}],
                }
            },
            "manifestVersion": "1.0",
            "permissions": [{"name": name} for name in PERMISSIONS],
            "privacyAndCompliance": {
                "allowsPurchases": False,
                "usesPersonalInfo": False,
                "isChildDirected": False,
                "isExportCompliant": True,
                "containsAds": False,
                "locales": privacy_locales,
            },
        }
    }
