"""Render the Small Steps interaction models and skill manifest from `intents.py`.

    .venv/bin/python interaction-models/build.py           # write the files
    .venv/bin/python interaction-models/build.py --check   # exit 1 if a file is stale

Writes `custom/<locale>.json` for every locale and `skill.json`, in the formats the ASK
CLI and the developer console accept. ActivityType is generated from
`domain/catalogue.json`, and the crisis numbers in the descriptions come from
`skill/crisis_lines.json`, so neither is written twice. Never edit the JSON files by
hand: change `intents.py` (or the catalogue) and run this script.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CATALOGUE = ROOT / "domain" / "catalogue.json"
CRISIS_LINES = ROOT / "skill" / "crisis_lines.json"


def load_intents():
    """intents.py as a module (its folder name has a hyphen, so it is no package)."""
    from skill.model import I as intents

    return intents


I = load_intents()

_SLOT_REF = re.compile(r"\{(\w+)\}")


# ---------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------


def localise(text: str, locale: str) -> str:
    """Swap the words this locale spells or says differently, keeping capitals."""
    words = I.SPELLING.get(locale, {})
    if not words:
        return text

    def swap(match: re.Match) -> str:
        word = match.group(0)
        other = words.get(word.lower())
        if other is None:
            return word
        return other[0].upper() + other[1:] if word[0].isupper() else other

    return re.sub(r"[A-Za-z]+", swap, text)


def spoken(text: str) -> str:
    """A catalogue phrase as an utterance: lower case, only letters, apostrophes, spaces."""
    text = text.lower().replace("’", "'").replace("-", " ")
    text = re.sub(r"[^a-z' ]+", " ", text)
    return " ".join(text.split())


def unique(items):
    seen, out = set(), []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ---------------------------------------------------------------------------------------
# Slot types
# ---------------------------------------------------------------------------------------


def catalogue() -> list[dict]:
    return json.loads(CATALOGUE.read_text("utf-8"))["activities"]


def _value(value_id: str, name: str, synonyms, locale: str, extra=()) -> dict:
    name = localise(name, locale)
    synonyms = [localise(spoken(s), locale) for s in [*synonyms, *extra]]
    synonyms = [s for s in unique(synonyms) if s and s != name]
    value = {"id": value_id, "name": {"value": name}}
    if synonyms:
        value["name"]["synonyms"] = synonyms
    return value


def _extra_synonyms(locale: str, type_name: str) -> dict:
    return I.EXTRA_SYNONYMS.get(locale, {}).get(type_name, {})


def activity_type(locale: str) -> dict:
    extra = _extra_synonyms(locale, I.ACTIVITY_TYPE)
    values = []
    for entry in catalogue():
        key = entry["key"]
        title = spoken(entry["title"])
        name = I.ACTIVITY_NAMES.get(key, title)
        synonyms = [*entry["synonyms"], title, *I.ACTIVITY_SYNONYMS.get(key, [])]
        values.append(_value(key, name, synonyms, locale, extra.get(key, ())))
    return {"name": I.ACTIVITY_TYPE, "values": values}


def slot_types(locale: str) -> list[dict]:
    types = [activity_type(locale)]
    for type_name, entries in I.SLOT_TYPES.items():
        extra = _extra_synonyms(locale, type_name)
        types.append({
            "name": type_name,
            "values": [_value(value_id, name, synonyms, locale, extra.get(value_id, ()))
                       for value_id, name, synonyms in entries],
        })
    return types


# ---------------------------------------------------------------------------------------
# Interaction model
# ---------------------------------------------------------------------------------------


def _prompt_id(kind: str, intent: str, slot: str | None = None, rule: str | None = None) -> str:
    return ".".join(part for part in (kind, intent, slot, rule) if part)


def _samples(intent: dict, locale: str) -> list[str]:
    extra = I.EXTRA_SAMPLES.get(locale, {}).get(intent["name"], [])
    return unique(localise(s, locale) for s in [*intent["samples"], *extra])


def language_model(locale: str) -> dict:
    intents = []
    for intent in I.INTENTS:
        dialog_slots = intent.get("dialog", {}).get("slots", {})
        rendered = {"name": intent["name"]}
        if intent["slots"] or not intent["name"].startswith("AMAZON."):
            slots = []
            for slot_name, slot_type in intent["slots"]:
                slot = {"name": slot_name, "type": slot_type}
                samples = dialog_slots.get(slot_name, {}).get("samples")
                if samples:
                    slot["samples"] = unique(localise(s, locale) for s in samples)
                slots.append(slot)
            rendered["slots"] = slots
        rendered["samples"] = _samples(intent, locale)
        intents.append(rendered)
    return {
        "invocationName": I.INVOCATION_NAME,
        "intents": intents,
        "types": slot_types(locale),
    }


def dialog_and_prompts(locale: str) -> tuple[dict, list[dict]]:
    dialog_intents, prompts = [], []

    def prompt(prompt_id: str, texts) -> str:
        prompts.append({
            "id": prompt_id,
            "variations": [{"type": "PlainText", "value": localise(t, locale)} for t in texts],
        })
        return prompt_id

    for intent in I.INTENTS:
        spec = intent.get("dialog")
        if spec is None:
            continue
        name = intent["name"]
        rendered = {"name": name, "delegationStrategy": "SKILL_RESPONSE"}
        confirmation = spec.get("confirmation")
        rendered["confirmationRequired"] = bool(confirmation)
        rendered["prompts"] = (
            {"confirmation": prompt(_prompt_id("Confirm.Intent", name), confirmation)}
            if confirmation else {}
        )
        slots = []
        for slot_name, slot_type in intent["slots"]:
            slot_spec = spec.get("slots", {}).get(slot_name, {})
            elicitation = slot_spec.get("elicitation")
            slot = {
                "name": slot_name,
                "type": slot_type,
                "confirmationRequired": False,
                "elicitationRequired": bool(elicitation),
                "prompts": (
                    {"elicitation": prompt(_prompt_id("Elicit.Slot", name, slot_name), elicitation)}
                    if elicitation else {}
                ),
            }
            validations = []
            for rule in slot_spec.get("validations", []):
                rule_id = _prompt_id("Slot.Validation", name, slot_name, rule["type"])
                validation = {"type": rule["type"], "prompt": prompt(rule_id, rule["prompts"])}
                if "values" in rule:
                    validation["values"] = list(rule["values"])
                validations.append(validation)
            if validations:
                slot["validations"] = validations
            slots.append(slot)
        rendered["slots"] = slots
        dialog_intents.append(rendered)
    return {"intents": dialog_intents, "delegationStrategy": "SKILL_RESPONSE"}, prompts


def interaction_model(locale: str) -> dict:
    dialog, prompts = dialog_and_prompts(locale)
    return {
        "interactionModel": {
            "languageModel": language_model(locale),
            "dialog": dialog,
            "prompts": prompts,
        }
    }


# ---------------------------------------------------------------------------------------
# Skill manifest
# ---------------------------------------------------------------------------------------


def crisis_lines() -> dict:
    return json.loads(CRISIS_LINES.read_text("utf-8"))["lines"]


def description(locale: str) -> str:
    line = crisis_lines()[locale]
    crisis = I.CRISIS_SENTENCE[line["how"]].format(number=line["number"], name=line["name"])
    return localise(I.DESCRIPTION, locale).format(crisis=crisis, emergency=line["emergency"])


def skill_manifest() -> dict:
    publishing_locales, privacy_locales = {}, {}
    for locale in I.LOCALES:
        publishing_locales[locale] = {
            "name": I.SKILL_NAME,
            "summary": localise(I.SUMMARY, locale),
            "description": description(locale),
            "examplePhrases": list(I.EXAMPLE_PHRASES),
            "keywords": unique(localise(k, locale) for k in I.KEYWORDS),
        }
        privacy_locales[locale] = {
            "privacyPolicyUrl": I.PRIVACY_POLICY_URL,
            "termsOfUseUrl": I.TERMS_OF_USE_URL,
        }
    return {
        "manifest": {
            "publishingInformation": {
                "locales": publishing_locales,
                "isAvailableWorldwide": False,
                "distributionCountries": list(I.DISTRIBUTION_COUNTRIES),
                "testingInstructions": I.TESTING_INSTRUCTIONS,
                "category": I.CATEGORY,
            },
            "apis": {
                "custom": {
                    "endpoint": {"uri": I.ENDPOINT, "sslCertificateType": "Trusted"},
                    "interfaces": [{"type": "ALEXA_PRESENTATION_APL"}],
                }
            },
            "manifestVersion": "1.0",
            "permissions": [{"name": name} for name in I.PERMISSIONS],
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


# ---------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file (relative to this folder) and its exact text."""
    files = {Path("skill.json"): dumps(skill_manifest())}
    for locale in I.LOCALES:
        files[Path("custom") / f"{locale}.json"] = dumps(interaction_model(locale))
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for relative, text in outputs().items():
        path = HERE / relative
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    for relative in stale:
        print(f"{'stale' if check else 'wrote'}: interaction-models/{relative}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
