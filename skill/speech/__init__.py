"""What the skill says, per locale: one module per locale (`en_GB` is the master).

`speech_for(locale)` gives a `Speech`: it fills a turn's template, gives spoken forms for
days, times, activities and barriers, and escapes the result for SSML. Handlers never
write words of their own. A catalogue activity's spoken forms come from its catalogue
entry (`domain.catalogue`), in the locale's spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from types import ModuleType
from xml.sax.saxutils import escape

from domain.catalogue import starter
from skill.conversation.safety import crisis_line
from skill.speech import en_AU, en_CA, en_GB, en_IN, en_US

# The words the skill never says (docs/conversation.md, "How it speaks"): of failure,
# missing out, falling behind, obligation, streaks. Its templates never hold them, and a
# person's own words holding one are not said back (`Speech.their_words`).
UNSAID = re.compile(r"\b(fail(s|ed|ing|ure)?|miss(ed|ing)?|behind|should|streaks?)\b", re.I)

MODULES: dict[str, ModuleType] = {m.LOCALE: m for m in (en_US, en_GB, en_CA, en_AU, en_IN)}
LOCALES = tuple(MODULES)
DEFAULT_LOCALE = "en-US"
CORE_TURN_WORDS = 35


@dataclass(frozen=True)
class Said:
    """A filled turn: plain text (for cards and checks) and, for open turns, a reprompt."""

    key: str
    text: str
    reprompt: str | None

    @property
    def ssml(self) -> str:
        return to_ssml(self.text)

    @property
    def reprompt_ssml(self) -> str | None:
        return to_ssml(self.reprompt) if self.reprompt is not None else None


def to_ssml(text: str) -> str:
    """Spoken text as the body of a <speak> element: every character of it is text."""
    return escape(text, {'"': "&quot;"})


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def an_before(value: object) -> bool:
    """Whether "an" goes before a number or word as it is said: "an 8", "an 11", "an
    18", "an 8.5", "an idea"; "a 7", "a 1"."""
    text = str(value).strip()
    whole = text.split(".")[0]
    if whole.isdigit():
        return whole.startswith("8") or whole in ("11", "18") or (
            len(whole) in (5, 6) and whole[:2] in ("11", "18"))
    return text[:1].lower() in "aeio" and text[:1] != ""


_ARTICLE = re.compile(r"\b([Aa]) \{(\w+)\}")


def with_articles(template: str, fields: dict[str, object]) -> str:
    """A template's "a {field}" as "an {field}" where the field's value needs it."""
    def article(m: re.Match) -> str:
        value = fields.get(m.group(2))
        needs_an = value is not None and an_before(value)
        return f"{m.group(1)}{'n' if needs_an else ''} {{{m.group(2)}}}"
    return _ARTICLE.sub(article, template)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;?!])", r"\1", text)


class Speech:
    """One locale's speech: each part from the locale's module, else from `en_GB`."""

    def __init__(self, module: ModuleType, request_locale: str | None = None):
        def part(name: str):  # noqa: ANN202
            return getattr(module, name, getattr(en_GB, name))

        self.locale: str = module.LOCALE
        # The request's own locale: whose crisis line to give (the speech module's
        # locale where none is given).
        self.request_locale: str | None = request_locale or module.LOCALE
        self.text: dict[str, str | tuple[str, str]] = part("TEXT")
        self.words: dict = part("WORDS")
        self.spelling: dict[str, str] = part("SPELLING")
        self.done_names: dict[str, str] = {a.key: self.spell(a.done_sentence) for a in starter()}
        self.short_names: dict[str, str] = {a.key: self.spell(a.short_name) for a in starter()}
        # A title inside a sentence: a catalogue step's or its smaller version's own form
        # ("making your bed", "pulling the covers up straight"), never read as a command.
        self.in_a_sentence: dict[str, str] = {
            **{a.smaller: self.spell(a.smaller_said) for a in starter()},
            **{a.title: self.spell(a.step_said) for a in starter()}}
        self.own_step: str = part("OWN_STEP")
        self.done_other: str = part("DONE_OTHER")
        self.done_smaller: str = part("DONE_SMALLER")
        self.date_format: str = part("DATE_FORMAT")
        self.long_turns: dict[str, int] = part("LONG_TURNS")
        self.fragments: set[str] = part("FRAGMENTS")
        self.fragment_prefixes: tuple[str, ...] = part("FRAGMENT_PREFIXES")

    # -- turns ------------------------------------------------------------------------

    def turn(self, key: str, **fields: object) -> Said:
        template = self.text[key]
        if isinstance(template, tuple):
            speech, reprompt = template
            return Said(key, self.fill(speech, fields), self.fill(reprompt, fields))
        return Said(key, self.fill(template, fields), None)

    def phrase(self, key: str, **fields: object) -> str:
        template = self.text[key]
        return self.fill(template[0] if isinstance(template, tuple) else template, fields)

    def fill(self, template: str, fields: dict[str, object]) -> str:
        return self.spell(_tidy(with_articles(template, fields).format(**fields)))

    def spell(self, text: str) -> str:
        for written, local in self.spelling.items():
            text = text.replace(written, local)
        return text

    def is_open(self, key: str) -> bool:
        return isinstance(self.text[key], tuple)

    # -- spoken forms -----------------------------------------------------------------

    def word(self, key: str) -> str:
        return self.words[key]

    @staticmethod
    def capital(text: str) -> str:
        """The first letter upper case, the rest as it is ("Call Mum", not "Call mum")."""
        return text[:1].upper() + text[1:]

    def their_words(self, text: str) -> str:
        """A person's own words to say back ("being a good friend"), or "that" when they
        hold a word the skill never says ("I failed again"): the person may say it, the
        skill does not repeat it to them."""
        return self.words["their_words"] if UNSAID.search(text) else text

    def activity(self, title: str) -> str:
        """A step's title inside a sentence: a catalogue step's own form ("Make your bed" →
        "making your bed"); a person's own step as "your step: call Mum"."""
        if title in self.in_a_sentence:
            return self.in_a_sentence[title]
        return self.own_step.format(title=self.lower_first(self.their_words(title)))

    @staticmethod
    def lower_first(title: str) -> str:
        """"Call Mum" → "call Mum" (an acronym stays as it is)."""
        if len(title) > 1 and title[0].isupper() and not title[1].isupper():
            return title[0].lower() + title[1:]
        return title

    def short(self, activity_id: str, title: str) -> str:
        return self.short_names.get(activity_id) or self.activity(title)

    def done(self, activity_id: str, title: str, is_smaller: bool) -> str:
        if is_smaller:
            return self.done_smaller.format(title=self.activity(title))
        return self.done_names.get(activity_id) or self.done_other.format(
            title=self.lower_first(title))

    def join(self, items: list[str], word: str = "and") -> str:
        """"a, b and c" ("or" with word="or")."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.words[word]} {items[-1]}"

    def steps(self, n: int) -> str:
        """"1 step", "2 steps"."""
        return f"{n} {self.words['step' if n == 1 else 'steps']}"

    def minutes(self, n: int) -> str:
        return f"{n} {self.words['minute' if n == 1 else 'minutes']}"

    def clock(self, at: time) -> str:
        hour = at.hour % 12 or 12
        suffix = self.words["am"] if at.hour < 12 else self.words["pm"]
        return f"{hour}:{at.minute:02d} {suffix}" if at.minute else f"{hour} {suffix}"

    def day_name(self, day: date, today: date) -> str:
        if day == today:
            return self.words["today"]
        if (day - today).days == 1:
            return self.words["tomorrow"]
        weekday = self.words["weekdays"][day.weekday()]
        if 1 < (day - today).days < 7:
            return weekday
        return self.date_format.format(
            weekday=weekday, day=day.day, month=self.words["months"][day.month - 1])

    def when(self, day: date, part_of_day: str | None, at_time: time | None, today: date) -> str:
        """"this evening", "tomorrow morning", "on Thursday at 7 pm", "today"."""
        w = self.words
        if day == today:
            if at_time is not None:
                return f"{w['today']} {w['at']} {self.clock(at_time)}"
            if part_of_day in ("morning", "afternoon", "evening"):
                return f"{w['this']} {w[part_of_day]}"
            return w["today"]
        name = self.day_name(day, today)
        prefix = "" if (day - today).days == 1 else f"{w['on']} "
        if at_time is not None:
            return f"{prefix}{name} {w['at']} {self.clock(at_time)}"
        if part_of_day in ("morning", "afternoon", "evening"):
            if (day - today).days >= 7:  # "on Thursday 3 December, in the evening"
                return f"{prefix}{name}, {w['in_the']} {w[part_of_day]}"
            return f"{prefix}{name} {w[part_of_day]}"
        return f"{prefix}{name}"

    def when_after_today(self, day: date, part_of_day: str | None, at_time: time | None,
                         today: date) -> str:
        """What follows a step's name in a sentence that already says "today": nothing
        for a plain today (never "today, today"), ", this evening", " at 7 pm", or
        ", on Thursday" for another day."""
        if day != today:
            return ", " + self.when(day, part_of_day, at_time, today)
        if at_time is not None:
            return f" {self.words['at']} {self.clock(at_time)}"
        if part_of_day in ("morning", "afternoon", "evening"):
            return ", " + self.when(day, part_of_day, None, today)
        return ""

    @staticmethod
    def number(value: float) -> str:
        rounded = round(value, 1)
        return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"

    def crisis(self, key: str, zone: str | None = None) -> tuple[str, dict[str, str]]:
        """A crisis turn's key and fields, with the line of the person's country (by the
        device's time zone where known, else the request's locale), or the turn that
        names "your local emergency number" where the country's line is not known
        (``<key>_local``)."""
        line = crisis_line(self.request_locale, zone)
        if not line.known:
            return f"{key}_local", {}
        return key, {"line": line.name, "number": line.spoken, "how": line.how,
                     "emergency": line.emergency_spoken,
                     "text_line": self.phrase("crisis_text", text=line.text_spoken)
                     if line.text_spoken else "",
                     "text": line.text_spoken or "", "reach": self.reach(zone)}

    def reach(self, zone: str | None = None) -> str:
        """Where help is, in a few words, for turns that are not the crisis answer
        (distress, a low mood, the check-in): the line of the person's country, or
        their local emergency number."""
        line = crisis_line(self.request_locale, zone)
        if not line.known:
            return self.phrase("reach_local")
        return self.phrase("reach", how=line.how, line=line.name, number=line.spoken)

    def crisis_card(self, zone: str | None = None) -> str:
        """The crisis card's text, the numbers as written: nothing of what was said."""
        line = crisis_line(self.request_locale, zone)
        if not line.known:
            return self.phrase("crisis_card_local")
        text = self.phrase("crisis_card_text", text=line.text) if line.text else ""
        name = line.name[:1].upper() + line.name[1:]  # a card's line starts with a capital
        return self.phrase("crisis_card", line=name, number=line.number, how=line.how,
                           emergency=line.emergency, text_line=text)

    def crisis_fields(self, zone: str | None = None) -> dict[str, str]:
        """The fields of a crisis turn with a known line (see ``crisis``)."""
        return self.crisis("crisis", zone)[1]


# English locales without speech of their own, spoken as their nearest neighbour's
# (spelling, dates): their crisis lines still come from their own country, or none.
NEIGHBOURS = {"en-IE": "en-GB", "en-NZ": "en-AU"}


@cache
def speech_for(locale: str | None) -> Speech:
    """The speech of a request's locale; an unknown one speaks American English (and
    names the local emergency number, not an American line)."""
    module = MODULES.get(NEIGHBOURS.get(locale or "", locale or ""), MODULES[DEFAULT_LOCALE])
    return Speech(module, request_locale=locale)
