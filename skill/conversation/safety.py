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
    country: str | None = None  # ISO 3166 code of the country the line serves
    text: str | None = None  # a text line, as written on a card ("text SHOUT to 85258")
    text_spoken: str | None = None  # the same, said aloud
    sources: tuple[dict, ...] = ()  # each {"url", "checked", "what"}: what was verified where

    @property
    def known(self) -> bool:
        """Whether this is a country's own line (else: "your local emergency number")."""
        return self.number is not None


@lru_cache(maxsize=1)
def _table() -> dict:
    # One table, read by the conversation, the speech and the skill manifest's build.
    return json.loads(resources.files("skill.conversation").joinpath("crisis_lines.json")
                      .read_text("utf-8"))


def _line(locale: str | None, entry: dict) -> CrisisLine:
    fields = {k: v for k, v in entry.items() if k not in ("checked", "sources")}
    return CrisisLine(locale=locale, checked=date.fromisoformat(entry["checked"]),
                      sources=tuple(entry.get("sources", ())), **fields)


def crisis_lines() -> dict[str, CrisisLine]:
    return {locale: _line(locale, entry) for locale, entry in _table()["lines"].items()}


def _elsewhere() -> CrisisLine:
    return _line(None, _table()["elsewhere"])


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Time zone name -> ISO country code, from the IANA table tzdata ships (zone.tab:
    one country per zone), plus the old link names a device may still report."""
    countries = {"Eire": "IE", "GB": "GB", "GB-Eire": "GB", "Europe/Belfast": "GB",
                 "NZ": "NZ", "NZ-CHAT": "NZ", "Australia/ACT": "AU", "Australia/NSW": "AU",
                 "Australia/Canberra": "AU", "Australia/North": "AU",
                 "Australia/Queensland": "AU", "Australia/South": "AU",
                 "Australia/Tasmania": "AU", "Australia/Victoria": "AU",
                 "Australia/West": "AU", "Asia/Calcutta": "IN"}
    try:
        tab = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):  # pragma: no cover
        return countries
    for row in tab.splitlines():
        if row and not row.startswith("#"):
            code, _, zone, *_ = row.split("\t")
            countries.setdefault(zone, code)
    return countries


def country_of_zone(zone: str | None) -> str | None:
    """The country a device's time zone lies in (None: not known, or no country, as
    UTC)."""
    return _zone_countries().get(zone) if zone else None


# Countries a locale is also spoken in, beyond its own (the devices sold there use it).
_ALSO_SPANS = {"en-GB": ("IE",), "en-AU": ("NZ",)}


def zone_fits_locale(zone: str | None, locale: str | None) -> bool:
    """Whether a time zone remembered for a person (not the device's own, read now) lies
    in a country the request's locale is spoken in. A remembered zone may be a locale's
    default or another device's: it must never send an en-US request to Samaritans."""
    country = country_of_zone(zone)
    line = crisis_lines().get(locale or "")
    if country is None or line is None:
        return False
    return country == line.country or country in _ALSO_SPANS.get(locale or "", ())


def crisis_line(locale: str | None, zone: str | None = None) -> CrisisLine:
    """The line for where the person is. The device's time zone (from the Alexa settings
    API) tells the country where it can: a locale may span several countries (en-GB is
    also Ireland's, en-AU New Zealand's), and Australia's Lifeline is not New Zealand's.
    Without a zone, the request's locale decides. A country or locale the table has no
    line for hears "your local emergency number": never another country's number, which
    could be wrong or unreachable where the person is."""
    lines = crisis_lines()
    country = country_of_zone(zone)
    if country is not None:
        for line in lines.values():
            if line.country == country:
                return line
        return _elsewhere()
    if (locale or "") in lines:
        return lines[locale]
    # A locale without its own entry: its country's line where the table has one
    # (es-US hears 988, fr-CA 9-8-8), else "your local emergency number".
    region = (locale or "").rpartition("-")[2].upper()
    return next((line for line in lines.values() if line.country == region), None) \
        or _elsewhere()


# First-person crisis language. Broad on purpose: a false alarm costs a kind
# sentence; a miss could cost far more. Idioms that only look alike ("dying to",
# "kill time", "to die for") are excluded below. Measured on a labelled set of crisis
# phrases and everyday sentences: tests/skill/data/crisis_precision.json.
_PATTERNS = [
    # Past tenses too ("I wanted to die", "I was going to end it"): said of last night, it
    # is still what the crisis line is for.
    r"\b(want(ed|ing)?|wanna|wish(ed|ing)?|going|gonna|need(ed)?|ready|plan(ned|ning)?|thinking( about)?|thought about|tempted|felt like)\b.{0,20}\b(die|dying|be dead|end it( all)?|end (my|this) life|kill (my ?self|me)|not (be )?(here|alive|exist))\b",
    r"\bkill(ing)? my ?self\b",
    r"^(?:i (?:just )?(?:want|wanna) to )?(?:just )?end it\W*$",  # a whole answer: "end it"
    r"^(?:i'?m |i am )?(?:going to |gonna )?end it (?:all|now|tonight|today)\W*$",
    r"\b(hurt|harm|cut|cutting|hurting|harming) (my ?self|myself)\b",
    r"\bself[- ]?harm",
    r"\bsuicid",
    r"\bend(ing)? (it all|my life|things)\b",
    r"\btake my (own )?life\b",
    r"\b(no|not any|nothing left to) (reason|point) (to|in|of) (live|living|go on|going on|being alive|keep going|keep on going|carry on|carrying on)\b",
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
    r"\b(don'?t|do not|never|won'?t|wouldn'?t|not) wake up\b",
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
    # Issue 11: the words people use that the first list did not hear.
    r"\b(tired|sick) of (living|being alive|life)\b",
    r"\blife (isn'?t|is not|ain'?t|is no longer|isn'?t really) worth (it|living|anything)\b",
    r"\b(i'?ve|i have|i just|just) (just )?(taken|took|swallowed) "
    r"(some |a lot of |loads of |a load of |a bunch of |a handful of |all (of )?(my |the )?|the )?"
    r"(pills|tablets|meds|paracetamol)\W*$",
    r"\b(i'?ve|i have|i) (just )?(written|wrote|left) (a|my) (suicide |goodbye |last )?note"
    r"( for (my family|everyone|them|my kids|my children))?\W*$",
    r"\b(suicide|goodbye) (note|letter)s?\b",
    r"\b(want|wanna|going|gonna|ready) to (go to )?sleep (forever|and never wake)",
    r"\b(i'?d|i would) (like|love|prefer) to (die|be dead|not (be )?(here|alive)|not exist|end it)\b",
    r"\b(i'?d|i would) rather (be dead|not be here|not exist|not be alive)\b",
    r"\b(want|wanna|going|gonna|ready) to (disappear|vanish) (forever|for good|for ever)\b",
    r"\bno way out\b.{0,20}\b(but|except|other than) (to )?(die|dying|death|end)",
    r"\b(i'?ve|i have) (got )?(a|the) plan (to|for) (end|die|kill|do it)",
    # Round two: thinking about it, in the words people use ("i keep thinking about
    # ending it", "i've been having thoughts of taking my own life").
    r"\b(thinking|thought|thoughts|think) (about|of) (ending (it|it all|things|my life)|"
    r"taking my (own )?life|killing myself|suicide|not being (here|around|alive)|"
    r"not waking up|dying|doing myself in|topping myself|hurting myself|harming myself)\b",
    r"\b(don'?t|do not) want to be around( any ?more)?\W*$",
    r"\bnot (going to|gonna) be around (much|for much|for) (longer|long)\b",
    r"\bhad enough of (living|life|being alive)\b",
    r"\b(don'?t|do not) want to (carry on|go on) (living|any ?more)\b",
]
_NOT_CRISIS = [
    r"\bdying (to|for) (go|see|try|get|have|know|hear|meet|visit|tell|read|watch|eat|a)",
    r"\bkill(ing)? time\b",
    r"\b(keep )?go(ing)? on about\b",  # "no reason to keep going on about it"
    r"\bto die for\b",
    r"\bend(ing)? it early\b",  # "I was going to end it early and go to bed"
    r"\b(laughing|laughed) (so hard )?i (nearly |almost )?died\b",
]
_CRISIS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
_IDIOMS = re.compile("|".join(f"(?:{p})" for p in _NOT_CRISIS))


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"[^a-z0-9' -]+", " ", text)
    return " ".join(text.split())


# A whole free-text answer of one ambiguous word: not a crisis on its own ("my plants
# are dead" is not one), but enough to ask gently whether the person is safe.
_AMBIGUOUS = re.compile(
    r"^(?:(?:i'?m|i am|im|i feel|feel|feeling|just|so|all|totally|pretty much|already|"
    r"basically|want to be|wanna be|i want to be)\s+)*"
    r"(dead|gone|dead inside|asleep forever|sleep forever|"
    r"nothing matters|nothing matters to me|nothing matters any ?more|"
    r"disappear|no way out|done with (it all|everything|life))$")
# The same words inside a longer answer, said of oneself ("I feel dead inside", "I'd
# like to be gone"), and not in an everyday sense ("I'm dead tired", "I'm gone for the
# weekend", "my plants are dead"): a gentle check first.
_AMBIGUOUS_IN = re.compile(
    r"\b(i'?m|i am|im|i feel|i'?ve felt|feel|feeling|i'?d like to be|i want to be|"
    r"i wanna be|to be|be|i'll be|i will be)\s+(?:so |just |pretty much |totally |already |"
    r"kind of |kinda |basically |all )?"
    r"(dead(?! (tired|beat|on|set|serious|right|good|easy|funny|end|last|heat|weight|"
    r"zone|line|of|to|ringer|cert|keen|sure|certain|quiet|slow|busy|bored|hungry|cold|"
    r"sleepy|chuffed|lucky|proud|excited))|gone(?! (to|for|out|off|by|back|home|away|till|"
    r"until|in|at|on|now|all|shopping|swimming|quiet|cold|over|through|up|down|"
    r"into|round|around|past|mad|viral|a|the|with|and|but|since|already))|dead inside|"
    r"asleep forever)\b"
    r"|\bnothing matters( to me| any ?more)?\b|\bno way out\b|\basleep forever\b"
    r"|\b(want|wanna|wish i could|like)( to)? (just )?(disappear|vanish)\b(?! (into|in|for|off|to|from|with|under))"
    r"|\bdone with (it all|everything|life)\b")


def is_ambiguous_risk(text: str | None) -> bool:
    """True when a free-text answer, as a whole or in part, has a word that may mean
    risk ("dead", "gone", "asleep forever", "nothing matters") said of oneself, and
    no explicit crisis language: the gentle "are you safe right now?" comes first."""
    if not text:
        return False
    said = normalise(text).strip(" .!?")
    return bool(_AMBIGUOUS.match(said) or _AMBIGUOUS_IN.search(_IDIOMS.sub(" ", said)))


def is_crisis_language(text: str | None) -> bool:
    """True when free text sounds like a person may be at risk."""
    if not text:
        return False
    said = normalise(text)
    if not _CRISIS.search(said):
        return False
    # An idiom alone is not a crisis; crisis language beside it still is.
    return bool(_CRISIS.search(_IDIOMS.sub(" ", said)))


# Distress that is not crisis: hopelessness, not coping. It lifts the step off and
# names where help is; it is not the crisis state. Crisis language is checked first.
_DISTRESS = re.compile(
    r"\b(hopeless|helpless|worthless|despair(ing)?|desperate)\b"
    r"|\b(so |really |just )?tired of (everything|it all|all of it|life)\b"
    r"|\bwhat'?s the point\b|\bwhat is the point\b|\bwhats the point\b"
    r"|\b(there'?s|there is|i see) no point\b|\bno point (in )?(anything|trying|doing anything)\b"
    r"|\b(everything|it all|life|it) (feels|is|seems|all feels|all seems) (so |totally |completely )?"
    r"(pointless|meaningless|hopeless|too much|unbearable)\b"
    r"|\bcan'?t cope\b|\bcannot cope\b|\bnot coping\b|\bunable to cope\b"
    r"|\b(too|so|really|very) (depressed|low to|overwhelmed)\b|\bi'?m depressed\b"
    r"|\b(i feel|i'?m|i am|feeling) (so |really |very |completely |totally )?"
    r"(hopeless|helpless|worthless|broken|overwhelmed|numb|empty|useless|alone)\b"
    r"|\bgive up on (everything|life|myself)\b|\bgiving up on (everything|life|myself)\b"
    r"|\b(i )?(can'?t|cannot) (do anything|face anything|get out of bed|stop crying)\b"
    r"|\bfalling apart\b|\bat (the|my) end of my (tether|rope)\b|\bi hate myself\b"
    r"|\bno hope\b|\blost (all )?hope\b|\bnothing (ever )?(helps|works|gets better)\b"
    # Round two: the everyday words of being overwhelmed.
    r"|\bgetting on top of me\b|\b(all|everything'?s|everything is) getting too much\b"
    r"|\b(it'?s|it is) all too much\b|\b(i'?m|i am) (really |so |just )?struggling\b"
    r"|\bnever gets? (any )?better\b|\bnothing'?s (ever )?getting (any )?better\b"
    r"|\brock bottom\b|\bin a (really |very )?(bad|dark) place\b|\blike i'?m drowning\b"
    r"|\bbarely coping\b")


def is_distress(text: str | None) -> bool:
    """True when free text tells of distress that is not crisis language ("I feel
    hopeless", "what's the point", "I can't cope")."""
    return bool(text) and bool(_DISTRESS.search(normalise(text)))
