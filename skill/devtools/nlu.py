"""The labelled corpus of everyday utterances (`tests/nlu/corpus.jsonl`), measured against
the interaction model: through the chat resolver (`skill.devtools.console.Resolver`) and
through virtual-alexa's own matcher (`tests/nlu/virtual_alexa.js`), and written out as an
NLU annotation set the Alexa tools' NLU evaluation accepts.

A corpus line: {"utterance", "intent", "category", "slots"?}. "slots" holds what matters:
a custom slot as {"said": words heard, "id": the value id it must resolve to}; a number
as digits (what Alexa sends), a date as ISO (relative to REFERENCE_DAY, a Monday), a time
as "HH:MM", a free-text value as its words. An utterance is never a sample of the model.

virtual-alexa is given the words without filled pauses ("um", "er"), as a device's speech
recognition passes them on; it matches them literally against the samples.

A line agrees when it reaches the labelled intent and every labelled slot: a custom slot
by its value id, a number, date or time by its value. virtual-alexa knows no AMAZON.DATE,
AMAZON.TIME or AMAZON.SearchQuery (they match any words, unresolved), so there only
custom slots and numbers are checked.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from skill.devtools.console import FILLERS, Resolver, heard, normalise, number
from skill.model import model_path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "nlu" / "corpus.jsonl"
ANNOTATIONS_JSON = ROOT / "tests" / "nlu" / "annotations.en-GB.json"
ANNOTATIONS_CSV = ROOT / "tests" / "nlu" / "annotations.en-GB.csv"
VIRTUAL_ALEXA = ROOT / "tests" / "nlu" / "virtual_alexa.js"
LOCALE = "en-GB"
REFERENCE_DAY = date(2026, 11, 23)  # a Monday; the corpus's dates count from it
REFERENCE_TIMESTAMP = "2026-11-23T10:00:00.000Z"

# Intents that record a step done or not today. A feeling or a hesitation must never
# reach one of them.
LOGGING = ("LogDoneIntent", "LogNotDoneIntent")
# BarrierIntent is served by the same handler as LogNotDoneIntent: outside the question
# "what got in the way?" it too marks today's step as not today. Counted apart.
LOGS_TOO = ("BarrierIntent",)
GUARDED = ("feeling", "hesitation")
TARGET = 0.9
# Round two: 150 utterances written blind to the samples ("round": 2). The lines at odd
# positions were the development half (looked at, and the samples and the resolver
# improved against them); the lines at even positions were held out and only scored in
# aggregate, then entered the corpus. Their figures measured before they entered it
# (intent only; they carry no slot labels), on 2026-12-01: at first sight, with the model
# and resolver of round one, and after round two's work.
ROUND_2_HELD_OUT = {
    "lines": 75,
    "measured": "2026-12-01",
    "before": {"chat resolver": 52, "virtual-alexa": 29},
    "after": {"chat resolver": 62, "virtual-alexa": 30},
    # Nine of the 75 were quoted as misses in the brief that started round two, so they
    # were seen; on the other 66: chat resolver 52 -> 54, virtual-alexa 29 -> 29.
    "unseen": {"lines": 66, "before": {"chat resolver": 52, "virtual-alexa": 29},
               "after": {"chat resolver": 54, "virtual-alexa": 29}},
}


@dataclass
class Outcome:
    row: dict[str, Any]
    intent: str | None
    slots: dict[str, Any]
    slots_ok: bool
    note: str = ""

    @property
    def agrees(self) -> bool:
        return self.intent == self.row["intent"] and self.slots_ok


@dataclass
class Tally:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return sum(o.agrees for o in self.outcomes) / len(self.outcomes)

    def to_logging(self, intents=LOGGING) -> list[Outcome]:
        """Feelings and hesitations that reached a logging intent they are not labelled
        for ("um, I walked the dog" labelled LogDoneIntent is a log with a filled pause;
        "I feel hopeless" reaching LogDoneIntent is the harm this guards against)."""
        return [o for o in self.outcomes
                if o.row["category"] in GUARDED and o.intent in intents
                and o.intent != o.row["intent"]]


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    rows = []
    for number_, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row["line"] = number_
            rows.append(row)
    return rows


def load_model(locale: str = LOCALE) -> dict[str, Any]:
    return json.loads(model_path(locale).read_text("utf-8"))


def slot_types(model: dict[str, Any]) -> dict[str, dict[str, str]]:
    """intent -> slot -> slot type."""
    return {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
            for i in model["interactionModel"]["languageModel"]["intents"]}


def sample_texts(model: dict[str, Any]) -> set[str]:
    """Every sample of the model without slots, as heard (normalised, no filled pauses)."""
    texts = set()
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        samples = list(intent.get("samples", []))
        for slot in intent.get("slots", []):
            samples += slot.get("samples", [])
        texts |= {" ".join(heard(s)) for s in samples if "{" not in s}
    return texts


# ---------------------------------------------------------------------------------------
# The chat resolver
# ---------------------------------------------------------------------------------------


def through_resolver(rows: list[dict[str, Any]], model: dict[str, Any] | None = None) -> Tally:
    model = model or load_model()
    resolver = Resolver(model, today=REFERENCE_DAY)
    tally = Tally("chat resolver")
    for row in rows:
        resolved = resolver.resolve(row["utterance"])
        got = {name: (v.value_id if v.slot_type else v.heard) for name, v in resolved.slots.items()}
        ok = all(_expected(want) == got.get(name) for name, want in row.get("slots", {}).items())
        tally.outcomes.append(Outcome(row, resolved.intent, got, ok))
    return tally


def _expected(want: Any) -> str:
    return want["id"] if isinstance(want, dict) else want


# ---------------------------------------------------------------------------------------
# virtual-alexa
# ---------------------------------------------------------------------------------------


def through_virtual_alexa(rows: list[dict[str, Any]], model: dict[str, Any] | None = None,
                          locale: str = LOCALE) -> Tally:
    model = model or load_model(locale)
    request = {"model": str(model_path(locale)), "locale": locale,
               "utterances": [_recognised(r["utterance"]) for r in rows]}
    done = subprocess.run(["node", str(VIRTUAL_ALEXA)], input=json.dumps(request),
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"virtual_alexa.js failed: {done.stderr.strip()}")
    results = json.loads(done.stdout)
    types = slot_types(model)
    values = _type_values(model)
    tally = Tally("virtual-alexa")
    for row, result in zip(rows, results, strict=True):
        intent = result["intent"]
        got: dict[str, Any] = {}
        for name, words in result["slots"].items():
            slot_type = types.get(intent, {}).get(name, "")
            if slot_type in values:
                got[name] = values[slot_type].get(normalise(words))
            elif slot_type in ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER"):
                value = number(heard(words))  # as drive.js (and a device) sends it: digits
                got[name] = str(value) if value is not None else words
            else:
                got[name] = words  # untyped in virtual-alexa: not resolved
        ok = True
        for name, want in row.get("slots", {}).items():
            slot_type = types.get(row["intent"], {}).get(name, "")
            if slot_type in values or slot_type in ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER"):
                ok = ok and _expected(want) == got.get(name)
        tally.outcomes.append(Outcome(row, intent, got, ok,
                                      "utter() would launch" if result["launch"] else ""))
    return tally


def _recognised(utterance: str) -> str:
    """The words as speech recognition passes them on: without filled pauses."""
    return " ".join(w for w in normalise(utterance).split() if w not in FILLERS)


def _type_values(model: dict[str, Any]) -> dict[str, dict[str, str]]:
    out = {}
    for t in model["interactionModel"]["languageModel"].get("types", []):
        words = {}
        for v in t["values"]:
            for w in [v["name"]["value"], *v["name"].get("synonyms", [])]:
                words[normalise(w)] = v["id"]
        out[t["name"]] = words
    return out


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


# Round three: 120 lines written blind (by three personas, from the product brief alone),
# measured once as they came (chat resolver 43/120, virtual-alexa 21/120 with round one's
# model; 64/120 and 22/120 with round two's, on 2026-12-01) and kept out of the corpus:
# nobody tunes the model or the resolver against them, so their figure stays honest.
HELD_OUT = ROOT / "tests" / "nlu" / "held_out.jsonl"


def held_out_line(tallies: list[Tally]) -> str:
    """One line: the held-out set's figures (its misses are deliberately not printed)."""
    n = len(tallies[0].outcomes)
    return (f"held out ({n} lines written blind, never tuned against; misses not shown): "
            + ", ".join(f"{t.name} {t.agreement:.3f}" for t in tallies)
            + "; feelings/hesitations to a logging intent: "
            + ", ".join(str(len(t.to_logging())) for t in tallies) + "\n")


def _breakdown(w, rows: list[dict[str, Any]], tallies: list[Tally], key: str,
               header: str) -> None:
    """One table: the rows counted by `key` (intent or category), each tally's hits."""
    counts = Counter(r[key] for r in rows)
    w(f"{header:32} {'n':>4}  " + "  ".join(f"{t.name:>15}" for t in tallies) + "\n")
    for value in sorted(counts):
        cells = []
        for t in tallies:
            hits = sum(o.agrees for o in t.outcomes if o.row[key] == value)
            cells.append(f"{hits:>4}/{counts[value]:<4} {hits / counts[value]:5.0%}")
        w(f"{value:32} {counts[value]:>4}  " + "  ".join(f"{c:>15}" for c in cells) + "\n")


def report(rows: list[dict[str, Any]], tallies: list[Tally], out,
           held_out: list[Tally] | None = None) -> float:
    """Print the figures; returns nlu_agreement, the lower of the tallies' agreement."""
    w = out.write
    by_intent = Counter(r["intent"] for r in rows)
    w(f"corpus: {len(rows)} utterances, {len(by_intent)} intents, locale {LOCALE}, "
      f"dates from {REFERENCE_DAY.isoformat()}\n\n")
    _breakdown(w, rows, tallies, "intent", "labelled intent")
    w("\n")
    _breakdown(w, rows, tallies, "category", "category")
    w("\n")
    for t in tallies:
        logged = t.to_logging()
        barrier = t.to_logging(LOGS_TOO)
        w(f"{t.name}: agreement {t.agreement:.3f}; feelings/hesitations to a logging intent "
          f"(LogDone/LogNotDone): {len(logged)}; to BarrierIntent: {len(barrier)}\n")
        for o in logged + barrier:
            w(f"    {o.row['utterance']!r} -> {o.intent}\n")
        launches = sum(1 for o in t.outcomes if o.note)
        if launches:
            w(f"  ({launches} utterances hold ask/open/launch/tell/'talk to': utter() would send "
              "a LaunchRequest; resolved here as tests/e2e/drive.js does)\n")
    fresh = [r for r in rows if r.get("fresh")]
    if fresh:
        w(f"\nwritten after the model was last tuned against the corpus ({len(fresh)} lines, "
          '"fresh": true): ' + ", ".join(
              f"{t.name} {sum(o.agrees for o in t.outcomes if o.row.get('fresh')) / len(fresh):.3f}"
              for t in tallies) + "\n")
    second = [r for r in rows if r.get("round") == 2]
    if second:
        w(f"round 2 ({len(second)} lines written blind to the samples, \"round\": 2): " + ", ".join(
            f"{t.name} {sum(o.agrees for o in t.outcomes if o.row.get('round') == 2) / len(second):.3f}"
            for t in tallies) + "\n")
        held = ROUND_2_HELD_OUT
        w(f"  its held-out half ({held['lines']} lines) as measured before it entered the corpus "
          f"({held['measured']}): " + ", ".join(
              f"{name} {held['before'][name] / held['lines']:.3f} -> "
              f"{held['after'][name] / held['lines']:.3f}" for name in held["after"])
          + " (round one's model -> round two's)\n")
        unseen = held["unseen"]
        w(f"  of which the {unseen['lines']} lines not quoted in round two's brief: " + ", ".join(
            f"{name} {unseen['before'][name] / unseen['lines']:.3f} -> "
            f"{unseen['after'][name] / unseen['lines']:.3f}" for name in unseen["after"]) + "\n")
    w("\nmisses (labelled -> reached):\n")
    for t in tallies:
        misses = defaultdict(list)
        for o in t.outcomes:
            if not o.agrees:
                misses[o.row["intent"]].append(o)
        w(f"  {t.name}: {sum(len(v) for v in misses.values())}\n")
        for intent in sorted(misses):
            for o in misses[intent]:
                slots = "" if o.slots_ok else f" slots {o.slots}"
                w(f"    {o.row['utterance']!r}: {intent} -> {o.intent}{slots}\n")
    if held_out:
        w("\n" + held_out_line(held_out))
    figure = min(t.agreement for t in tallies)
    w("\nnlu_agreement is the lower of: " + ", ".join(f"{t.name} {t.agreement:.3f}" for t in tallies)
      + f" (target {TARGET})\n")
    w(f"nlu_agreement={figure:.3f}\n")
    return figure


# ---------------------------------------------------------------------------------------
# The NLU annotation set (Alexa NLU evaluation: SMAPI nluAnnotationSets, ASK CLI)
# ---------------------------------------------------------------------------------------


def annotations(rows: list[dict[str, Any]]) -> tuple[str, str]:
    """The corpus as an NLU annotation set, in the two bodies the annotation-set API takes:
    application/json ({"data": [{"inputs": {utterance, referenceTimestamp}, "expected":
    [{"intent": {name, slots: {slot: {value}}}}]}]}) and text/csv (utterance,
    referenceTimestamp, intent, slot[name]...). Custom slots are given as said, numbers as
    digits, dates as resolved against the reference timestamp."""
    data, slot_names = [], []
    for row in rows:
        slots = {name: {"value": want["said"] if isinstance(want, dict) else want}
                 for name, want in row.get("slots", {}).items()}
        for name in slots:
            if name not in slot_names:
                slot_names.append(name)
        intent = {"name": row["intent"]}
        if slots:
            intent["slots"] = slots
        data.append({"inputs": {"utterance": row["utterance"],
                                "referenceTimestamp": REFERENCE_TIMESTAMP},
                     "expected": [{"intent": intent}]})
    body = json.dumps({"data": data}, indent=1, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["utterance", "referenceTimestamp", "intent",
                     *(f"slot[{n}]" for n in slot_names)])
    for row, item in zip(rows, data):
        slots = item["expected"][0]["intent"].get("slots", {})
        writer.writerow([row["utterance"], REFERENCE_TIMESTAMP, row["intent"],
                         *(slots.get(n, {}).get("value", "") for n in slot_names)])
    return body, buffer.getvalue()


def write_annotations(rows: list[dict[str, Any]], check: bool = False) -> list[Path]:
    """Write the annotation set files (or, with check, only say which are stale)."""
    body, table = annotations(rows)
    stale = []
    for path, text in ((ANNOTATIONS_JSON, body), (ANNOTATIONS_CSV, table)):
        current = path.read_text("utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                path.write_text(text, "utf-8")
    return stale
