"""Render one locale's interaction model (languageModel, dialog, prompts) from the source:
the intents (`skill.voice.intents`), the slot types (`skill.voice.slot_types`) and, for
ActivityType, the catalogue (`domain.catalogue`): each activity's id, spoken name and the
synonyms people say come from its catalogue entry, so none of them is written twice."""

from __future__ import annotations

from collections.abc import Iterable

from domain.catalogue import starter
from skill.voice.intents import EXTRA_SAMPLES, INTENTS
from skill.voice.names import ACTIVITY_TYPE, INVOCATION_NAME
from skill.voice.slot_types import EXTRA_SYNONYMS, SLOT_TYPES
from skill.voice.wording import localise, spoken, unique

# ---------------------------------------------------------------------------------------
# Slot types
# ---------------------------------------------------------------------------------------


def _value(value_id: str, name: str, synonyms: Iterable[str], locale: str) -> dict:
    name = localise(name, locale)
    synonyms = [localise(spoken(s), locale) for s in synonyms]
    synonyms = [s for s in unique(synonyms) if s and s != name]
    value = {"id": value_id, "name": {"value": name}}
    if synonyms:
        value["name"]["synonyms"] = synonyms
    return value


def activity_type(locale: str) -> dict:
    """ActivityType: one value per catalogue activity, in catalogue order."""
    values = [_value(a.key, a.spoken_name, [*a.heard(locale), spoken(a.title)], locale)
              for a in starter()]
    return {"name": ACTIVITY_TYPE, "values": values}


def slot_types(locale: str) -> list[dict]:
    types = [activity_type(locale)]
    for type_name, entries in SLOT_TYPES.items():
        extra = EXTRA_SYNONYMS.get(locale, {}).get(type_name, {})
        types.append({
            "name": type_name,
            "values": [_value(value_id, name, [*synonyms, *extra.get(value_id, ())], locale)
                       for value_id, name, synonyms in entries],
        })
    return types


# ---------------------------------------------------------------------------------------
# Interaction model
# ---------------------------------------------------------------------------------------


def _prompt_id(kind: str, intent: str, slot: str | None = None, rule: str | None = None) -> str:
    return ".".join(part for part in (kind, intent, slot, rule) if part)


def _samples(intent: dict, locale: str) -> list[str]:
    extra = EXTRA_SAMPLES.get(locale, {}).get(intent["name"], [])
    return unique(localise(s, locale) for s in [*intent["samples"], *extra])


def language_model(locale: str) -> dict:
    intents = []
    for intent in INTENTS:
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
        "invocationName": INVOCATION_NAME,
        "intents": intents,
        "types": slot_types(locale),
    }


def dialog_and_prompts(locale: str) -> tuple[dict, list[dict]]:
    dialog_intents, prompts = [], []

    def prompt(prompt_id: str, texts: Iterable[str]) -> str:
        prompts.append({
            "id": prompt_id,
            "variations": [{"type": "PlainText", "value": localise(t, locale)} for t in texts],
        })
        return prompt_id

    for intent in INTENTS:
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
    """The whole interaction model of a locale, as `interactionModels/custom/<locale>.json`."""
    dialog, prompts = dialog_and_prompts(locale)
    return {
        "interactionModel": {
            "languageModel": language_model(locale),
            "dialog": dialog,
            "prompts": prompts,
        }
    }
