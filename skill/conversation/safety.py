"""Safety first: crisis lines per locale, and recognising crisis language in free text.

The crisis intent catches what the interaction model can; this module checks every
free-text slot value and every fallback utterance as well, so a person in crisis is
answered with the crisis line at once wherever they speak. Nothing here stores or
logs what was said.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CrisisLine:
    locale: str | None  # None: a locale the table has no line for
    name: str
    how: str  # "call or text", "call"
    checked: date
    source: str
    number: str | None = None  # as written on a card; None where the country is unknown
    spoken: str | None = None  # as said aloud
    emergency: str | None = None
    emergency_spoken: str | None = None

    @property
    def known(self) -> bool:
        """Whether this is a country's own line (else: "your local emergency number")."""
        return self.number is not None


@lru_cache(maxsize=1)
def _table() -> dict:
    # One table, read by the conversation, the speech and the skill manifest's build.
    return json.loads(resources.files("skill.conversation").joinpath("crisis_lines.json")
                      .read_text("utf-8"))


def crisis_lines() -> dict[str, CrisisLine]:
    lines = {}
    for locale, entry in _table()["lines"].items():
        lines[locale] = CrisisLine(locale=locale, checked=date.fromisoformat(entry["checked"]),
                                   **{k: v for k, v in entry.items() if k != "checked"})
    return lines


def crisis_line(locale: str | None) -> CrisisLine:
    """The line for a request's locale. A locale the table has no line for hears "your
    local emergency number": never another country's number, which could be wrong or
    unreachable where the person is."""
    line = crisis_lines().get(locale or "")
    if line is not None:
        return line
    entry = _table()["elsewhere"]
    return CrisisLine(locale=None, checked=date.fromisoformat(entry["checked"]),
                      **{k: v for k, v in entry.items() if k != "checked"})


# First-person crisis language. Broad on purpose: a false alarm costs a kind
# sentence; a miss could cost far more. Idioms that only look alike ("dying to",
# "kill time", "to die for") are excluded below.
_PATTERNS = [
    r"\b(want|wanna|wish|going|gonna|need|ready|plan(ning)?|thinking( about)?|tempted)\b.{0,20}\b(die|dying|be dead|end it( all)?|end (my|this) life|kill (my ?self|me)|not (be )?(here|alive|exist))\b",
    r"\bkill(ing)? my ?self\b",
    r"^(?:i (?:just )?(?:want|wanna) to )?(?:just )?end it\W*$",  # a whole answer: "end it"
    r"\b(hurt|harm|cut|cutting|hurting|harming) (my ?self|myself)\b",
    r"\bself[- ]?harm",
    r"\bsuicid",
    r"\bend(ing)? (it all|my life|things)\b",
    r"\btake my (own )?life\b",
    r"\b(no|not any|nothing left to) (reason|point) (to|in|of) (live|living|go on|going on|being alive)\b",
    r"\bno (reason|point) (to|in) (be|being) (here|alive)\b",
    r"\bneed (urgent |immediate )?(help|support) (right )?now\b",
    r"\bneed (urgent|immediate) (help|support)\b",
    r"\b(do ?n[o']?t|don't|do not|never) want to (live|be alive|wake up|be here|exist)( anymore| any more)?\b",
    r"\bcan'?t (go on|do this anymore|do this any more|take it anymore|take it any more|keep going)\b",
    r"\bcannot (go on|keep going)\b",
    r"\b(better off|happier) without me\b",
    r"\bwish i (was|were) (dead|never born|gone)\b",
    r"\bi'?m (better off dead|going to die by my own hand)\b",
    r"\b(overdose|hang my ?self|jump off)\b",
    r"\bwish i (was|were|wasn'?t|weren'?t|was not|were not) (dead|gone|never born|alive|born)\b",
    r"\bwish i'?d never been born\b",
    r"\bfeel like (dying|ending it|i want to die)\b",
    r"\b(nothing|anything|nobody|no one) (left )?to live for\b",
    r"\b(don'?t|do not|never|won'?t|wouldn'?t) wake up\b",
    r"\bstop (existing|being alive|living)\b",
    r"\bend(ing)? it (tonight|today|now)\b",
    r"\bbetter (off )?without me\b",
    r"\b(i'?m|i am|i feel like) (a|such a|just a) burden\b",
    r"\b(no ?one|nobody) would (miss me|care if i (died|was gone|were gone|disappeared))\b",
    r"\b(took|take|taken|taking|swallow(ed)?) (too many|all (of )?my|a lot of|loads of) "
    r"(pills|tablets|meds|medication)\b",
    r"\b(top|finish|end|do away with) my ?self\b",
    r"\bdo my ?self in\b",
    r"\b(isn'?t|is not|not) worth living\b",
    r"\bpoint (of|in) (living|going on|being alive|carrying on)\b",
    r"\bno point (in )?(going on|living|carrying on|being here)\b",
    r"\bbetter off dead\b",
    r"\bwant (everything|it all|my life) to (end|stop|be over)\b",
    r"\b(i'?m|i am) not safe\b",
    r"\bdon'?t feel safe\b",
    r"\b(don'?t|do not) feel like (living|being alive|going on)\b",
]
_NOT_CRISIS = [
    r"\bdying (to|for) (go|see|try|get|have|know|hear)",
    r"\bkill(ing)? time\b",
    r"\bto die for\b",
]
_CRISIS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
_IDIOMS = re.compile("|".join(f"(?:{p})" for p in _NOT_CRISIS))


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"[^a-z0-9' -]+", " ", text)
    return " ".join(text.split())


# A whole free-text answer of one ambiguous word: not a crisis on its own ("my plants
# are dead" is not one), but enough to ask gently whether the person is safe.
_AMBIGUOUS = re.compile(r"^(?:(?:i'?m|i am|im|feel|feeling|just|so|all|totally|pretty much)\s+)*"
                        r"(dead|gone|dead inside)$")


def is_ambiguous_risk(text: str | None) -> bool:
    """True when a free-text answer is, as a whole, a single word that may mean risk."""
    return bool(text) and bool(_AMBIGUOUS.match(normalise(text).strip(" .!?")))


def is_crisis_language(text: str | None) -> bool:
    """True when free text sounds like a person may be at risk."""
    if not text:
        return False
    said = normalise(text)
    if not _CRISIS.search(said):
        return False
    # An idiom alone is not a crisis; crisis language beside it still is.
    return bool(_CRISIS.search(_IDIOMS.sub(" ", said)))
