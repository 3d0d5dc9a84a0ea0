"""`small-steps chat`: type what you would say to an Echo and hear (read) the reply.

Each line is resolved against the locale's interaction model (sample utterances, slot
types with their synonyms, and the built-in types the skill uses) by `Resolver`, the one
resolver the tests and `make nlu-report` use too, turned into a real request envelope and
posted to the server; the spoken reply is printed. Without --url
it starts the server itself on a free loopback port (verification off, as only a
loopback server may), on the configured store.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, TextIO

from skill.devtools.envelopes import Device, SlotValue, spoken_text
from skill.settings import Settings
from skill.voice.render import interaction_model

LAUNCH_WORDS = ("open small steps", "launch small steps", "start small steps", "open", "launch")
# What Alexa's built-in intents hear besides the model's own samples for them: the common
# phrasings of Amazon's built-in intents, kept short (a device hears a few more).
BUILT_IN_PHRASES = {
    "AMAZON.HelpIntent": ["help", "help me", "what can i say", "how does this work",
                          "what do i do"],
    "AMAZON.StopIntent": ["stop", "quit", "exit", "off", "shut up", "that's all", "goodbye",
                          "bye", "be quiet"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it", "cancel it"],
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "yup", "yes please", "sure", "okay", "ok",
                         "go on", "please do", "alright", "of course", "ok then"],
    "AMAZON.NoIntent": ["no", "nope", "nah", "no thanks", "no thank you", "not now",
                        "not really"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "repeat that", "what did you say",
                            "can you repeat that", "say it again"],
    "AMAZON.StartOverIntent": ["start over", "start again", "restart", "begin again"],
    "AMAZON.NavigateHomeIntent": ["go home", "home"],
}
FALLBACK = "AMAZON.FallbackIntent"
UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
UNITS.update({"oh": 0, "nought": 0, "a": 1})
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME_WORDS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
              "tonight": "EV", "this evening": "EV", "this morning": "MO",
              "this afternoon": "AF", "noon": "12:00", "midday": "12:00",
              "lunchtime": "12:00", "midnight": "00:00"}
# Filled pauses: speech recognition leaves them out of what it hears.
FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ehm", "hmm", "hm", "mm"})
# Alexa's language understanding is statistical: it hears "so, what's my step", "done it
# yeah" or "weekly summary please" as the sample without the word at the edge. When no
# sample takes the words as said, the resolver tries again without such words: a
# discourse word or two in front, a courtesy or time word or two behind.
LEADING = frozenset({"so", "okay", "ok", "well", "oh", "right", "actually", "alright", "and",
                     "but", "wait", "sorry", "hey", "no", "yeah", "yes", "yep", "look",
                     "anyway", "thanks", "i mean", "go on", "then", "er right"})
TRAILING = frozenset({"please", "thanks", "then", "now", "again", "actually", "really",
                      "sorry", "yeah", "though", "for me", "thank you", "i think", "i reckon",
                      "maybe", "no", "today", "already", "earlier", "this morning",
                      "i guess", "anyway", "first thing", "earlier on", "at the moment",
                      "right now", "for now", "this afternoon", "this evening", "finally",
                      "love", "ta", "mate", "in the end", "to be honest", "if i'm honest",
                      "then", "cheers", "thank you"})
MAX_SLOT_WORDS = 8
# The last resort, when no sample takes the words as said: the nearest sample by TF-IDF
# cosine over words (see `Resolver.nearest`). Words heard as another ("give us" is "give
# me", "owt" is "anything"), for the comparison only.
EQUIVALENT = {"could": "can", "would": "will", "might": "can", "ok": "okay", "us": "me",
              "owt": "something", "nowt": "nothing", "summat": "something", "aye": "yes",
              "ta": "thanks", "cheers": "thanks", "bout": "about", "cos": "because",
              "cause": "because", "gonna": "going", "wanna": "want", "gotta": "got",
              "ya": "you", "yer": "you", "yeh": "yes", "yeah": "yes", "yep": "yes", "yup": "yes",
              "nah": "no", "nope": "no", "reckon": "think",
              "anything": "something", "like": "want", "i'd": "i", "got": "have",
              "little": "small", "tiny": "small", "bit": "small", "tell": "give",
              "whats": "what's"}
# Guard words: never passed over. A sample is near only if it holds every guard word
# said, and the words said hold every guard word of the sample: a "not", a feeling or
# crisis words change what is meant, whatever else matches.
NEGATIONS = frozenset({"not", "no", "never", "don't", "didn't", "couldn't", "can't",
                       "cannot", "won't", "wasn't", "haven't", "hasn't", "nothing", "nope",
                       "nobody", "isn't", "aren't", "wouldn't", "shouldn't", "without"})
FEELING_WORDS = frozenset({"feel", "feeling", "felt", "feels", "hopeless", "helpless",
                           "worthless", "pointless", "point", "cope", "coping", "depressed",
                           "overwhelmed", "empty", "lonely", "struggling", "confused",
                           "lost", "awful", "terrible", "miserable", "sad", "low", "down",
                           "rubbish", "upset", "anxious", "scared", "brighter", "better",
                           "worse", "dunno", "know", "sure"})
CRISIS_WORDS = frozenset({"die", "dying", "dead", "death", "kill", "killing", "hurt",
                          "hurting", "harm", "harming", "end", "ending", "life", "live",
                          "living", "alive", "myself", "suicide", "suicidal", "overdose",
                          "pills", "hang", "cut", "cutting", "burden", "exist", "existing",
                          "wake", "safe"})
# "yes" and its kin: a yes is not a no, and neither is a word that is neither.
AFFIRMATIONS = frozenset({"yes", "yeah", "yep", "yup"})
GUARDS = NEGATIONS | FEELING_WORDS | CRISIS_WORDS | AFFIRMATIONS
GUARD_STEMS = {"ending": "end", "killing": "kill", "hurting": "hurt", "harming": "harm",
               "cutting": "cut", "dying": "die", "living": "live", "feeling": "feel",
               "feels": "feel", "felt": "feel", "coping": "cope", "suicidal": "suicide",
               "existing": "exist"}
# Intents the nearest sample reaches only when one of these words was said: erasing a
# person's data needs the data named ("remove my pin" is near "remove my data", and
# means something else).
AS_SAID_ONLY = {"DeleteMyDataIntent": frozenset({"data", "everything", "information",
                                                 "history", "records", "details"})}
# Intents that record something on the person's behalf: the nearest sample never takes a
# feeling or crisis word to one of them.
CRISIS_STEMS = frozenset(GUARD_STEMS.get(w, w) for w in CRISIS_WORDS)


def polar(guards) -> tuple[str, ...]:
    """The negations and affirmations among guard words, in order."""
    return tuple(w for w in guards if w in NEGATIONS or w in AFFIRMATIONS)


NUMBERS = ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER")
REPLACED = (*NUMBERS, "AMAZON.DATE", "AMAZON.TIME")
RECORDING = frozenset({"LogDoneIntent", "LogNotDoneIntent", "BarrierIntent"})
# Words a recording intent's nearest sample may pass over: they cannot name a step ("I
# actually did manage it", "finished it just now"); any other word may ("actually I did
# go for a walk in the end" is not the bed waiting today), so the log is not near.
SOFT_WORDS = frozenset(
    "i i'm im me my it that this a an the and but so well oh yeah yep nah no not sorry "
    "meant actually really just still already finally all at now then today tonight "
    "earlier morning afternoon evening in end afraid too very bit round to get got go "
    "went did do done managed manage finished finish yet again anyway for small step steps "
    "one thing whole".split())
NEAR_ENOUGH = 0.55  # cosine below which the words are not near any sample: fallback
NEAR_ENOUGH_CRISIS = 0.45  # safety errs towards offering help
# A mood correction: "five, no, make that a six" is six; the words after the last
# correction marker that follows a number are resolved on their own.
CORRECTION = ("no", "sorry", "actually", "i mean", "wait", "or", "make that", "no wait")
_RESOLVED_TYPES = ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER", "AMAZON.DATE", "AMAZON.TIME")


def _canonical(word: str) -> str:
    return EQUIVALENT.get(word, word)


def _stem(word: str) -> str:
    """A light stem for the nearest-sample comparison: "thinking" is "think", "walked"
    "walk"; guard words stay as said."""
    if word in GUARDS:
        return GUARD_STEMS.get(word, word)
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and "'" not in word:
            return word[:-len(suffix)]
    return word


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' :]+", " ", text)
    text = re.sub(r"(?<![a-z0-9])'|'(?![a-z])", " ", text)  # quotes, not apostrophes
    return " ".join(text.split())


# Speech recognition writes "what is" or "what's" as it pleases; both are heard as one.
CONTRACTIONS = {
    ("what", "is"): "what's", ("that", "is"): "that's", ("it", "is"): "it's",
    ("there", "is"): "there's", ("i", "am"): "i'm", ("i", "have"): "i've",
    ("i", "would"): "i'd", ("i", "will"): "i'll", ("do", "not"): "don't",
    ("did", "not"): "didn't", ("could", "not"): "couldn't", ("can", "not"): "can't",
    ("was", "not"): "wasn't", ("have", "not"): "haven't", ("let", "us"): "let's",
    ("how", "is"): "how's", ("where", "is"): "where's", ("you", "are"): "you're",
}


def heard(text: str) -> list[str]:
    """The words of an utterance as speech recognition gives them: normalised, without
    filled pauses ("um, about a five" is heard "about a five"), with the usual
    contractions ("what is" is heard "what's")."""
    words = [w for w in normalise(text).split() if w not in FILLERS]
    out: list[str] = []
    for word in words:
        if out and (out[-1], word) in CONTRACTIONS:
            out[-1] = CONTRACTIONS[out[-1], word]
        else:
            out.append(word)
    return out


def sample_tokens(sample: str) -> tuple[tuple[str, str], ...]:
    """A sample utterance as tokens: ("word", w) for a literal word, ("slot", name)."""
    tokens = []
    for piece in re.split(r"(\{\w+\})", sample):
        if piece.startswith("{"):
            tokens.append(("slot", piece[1:-1]))
        else:
            tokens.extend(("word", w) for w in heard(piece))
    return tuple(tokens)


def splits(tokens, words, ti: int = 0, wi: int = 0):
    """Every way the words fill the sample: each slot takes one or more words, literal
    words must be said as written. Yields {slot: (start, end)}."""
    if ti == len(tokens):
        if wi == len(words):
            yield {}
        return
    kind, text = tokens[ti]
    if kind == "word":
        if wi < len(words) and words[wi] == text:
            yield from splits(tokens, words, ti + 1, wi + 1)
        return
    # Words the rest of the sample still needs (at least one a slot, each literal word).
    rest = len(tokens) - ti - 1
    for end in range(wi + 1, len(words) - rest + 1):
        for tail in splits(tokens, words, ti + 1, end):
            yield {text: (wi, end), **tail}


def number(words: list[str]) -> int | None:
    """Digits, or a number said in words as Alexa hears it: "six", "twenty one",
    "four eight two one" (said digit by digit), "forty eight twenty one" (in pairs),
    "minus one" (negative, as Alexa's number slot sends it: "-1")."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if len(words) > 1 and words[0] in ("minus", "negative"):
        rest = number(words[1:])
        return -rest if rest is not None else None
    if not words or any(w not in UNITS and w not in TENS and w not in ("hundred", "and")
                        for w in words):
        return None
    if words == ["a"] or words == ["oh"]:
        return None
    if "hundred" in words:
        i = words.index("hundred")
        head = number(words[:i]) if i and words[:i] != ["a"] else 1
        tail = number([w for w in words[i + 1:] if w != "and"]) if words[i + 1:] else 0
        return None if head is None or tail is None or head > 9 or tail > 99 else head * 100 + tail
    if "and" in words or "a" in words:
        return None
    groups = []  # each group: a number below a hundred
    i = 0
    while i < len(words):
        w = words[i]
        if w in TENS:
            value = TENS[w]
            if i + 1 < len(words) and words[i + 1] in UNITS and 0 < UNITS[words[i + 1]] < 10 \
                    and words[i + 1] not in ("oh",):
                value += UNITS[words[i + 1]]
                i += 1
            groups.append(f"{value:02d}" if groups else str(value))
        else:
            groups.append(str(UNITS[w]) if not groups or UNITS[w] < 10 else f"{UNITS[w]:02d}")
        i += 1
    if len(groups) == 1:
        return int(groups[0])
    if any(len(g) > 2 for g in groups):
        return None
    return int("".join(groups))


@dataclass(frozen=True)
class Resolved:
    intent: str | None  # None: a launch
    slots: dict[str, SlotValue]


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str
    tokens: tuple[tuple[str, str], ...]
    literal: frozenset[str]
    slot_types: dict[str, str]
    order: int


class Resolver:
    """Utterance → intent and slots, from one locale's interaction model.

    Every sample is tried in every way the sentence can fill it (each slot one or more
    words, every split, not only the first a regex finds); each filling is scored and the
    best wins: words said as the sample writes them count most, then words that a slot
    recognised (a custom value or synonym, a number, a date, a time), and words a custom
    slot passed through without a value (as Alexa does, ER_SUCCESS_NO_MATCH) count least.
    A sample of a slot alone takes only a recognised value. Numbers arrive as digits, as
    Alexa sends them: "four eight two one" is 4821, "about a five" fills {mood} with 5."""

    def __init__(self, model: dict[str, Any], today: date | None = None):
        lm = model["interactionModel"]["languageModel"]
        self.today = today
        self.types: dict[str, dict[str, str]] = {}
        for t in lm.get("types", []):
            words = {}
            for v in t["values"]:
                name = v["name"]
                for w in [name["value"], *name.get("synonyms", [])]:
                    words[normalise(w)] = v.get("id") or name["value"]
            self.types[t["name"]] = words
        self.samples: list[_Sample] = []
        for intent in lm["intents"]:
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            phrases = list(intent.get("samples", [])) + BUILT_IN_PHRASES.get(intent["name"], [])
            for sample in phrases:
                tokens = sample_tokens(sample)
                self.samples.append(_Sample(
                    intent["name"], sample, tokens,
                    frozenset(t for k, t in tokens if k == "word"), slot_types,
                    len(self.samples)))
        self._index()

    def resolve(self, utterance: str) -> Resolved:
        said = normalise(utterance)
        if said in LAUNCH_WORDS:
            return Resolved(None, {})
        loose = None
        for words in self._variants(heard(said)):
            best = self.candidates(" ".join(words), limit=1)
            if best and best[0][0][0][2] == 0:
                return best[0][1]  # every slot recognised what it heard
            if best and loose is None:
                loose = best[0][1]
        words = heard(said)
        corrected = self._corrected(words)
        if corrected is not None:
            return corrected
        near = self.nearest(words)
        if near is not None:
            return near
        return loose if loose is not None else Resolved(FALLBACK, {})

    def _corrected(self, words: list[str]) -> Resolved | None:
        """A number corrected as it is said ("five, no, make that a six"): the words from
        the last correction marker after a number are resolved on their own, so the last
        number said is the one taken."""
        for i in range(len(words) - 1, 0, -1):
            for marker in CORRECTION:
                size = len(marker.split())
                if words[i:i + size] != marker.split() or i + size >= len(words):
                    continue
                if not any(number(words[j:i]) is not None for j in range(max(0, i - 3), i)):
                    continue
                resolved = self.resolve(" ".join(words[i:]))
                if resolved.intent == "RateMoodIntent":
                    return resolved
        return None

    def nearest(self, words: list[str]) -> Resolved | None:
        """The sample nearest the words, when none takes them as said: an approximation
        of Alexa's statistical understanding, not Alexa's model.

        Each sample is a TF-IDF vector (inverse document frequency over all samples) of
        its literal words, lightly stemmed and with everyday equivalents ("give us" is
        "give me"), and one token per slot type; the words said are the same, with a
        token for each slot type that recognises some of them (a custom value or synonym,
        a number, a date, a time). The sample with the highest cosine wins if it reaches
        NEAR_ENOUGH (NEAR_ENOUGH_CRISIS for crisis language), holds every guard word said
        and says none the words lack (a "not", a feeling, crisis words), can fill each of
        its slots from what a slot recognised (a number: the last one said), and is not a
        recording intent when a feeling or crisis word was said."""
        if not words:
            return None
        ranked = []
        for variant in self._variants(words):  # discourse words at the edges set aside
            ranked += self._near(variant)
        for _, _, sample, spans in sorted(ranked, key=lambda r: r[:2], reverse=True):
            slots = self._fill(sample, spans)
            if slots is not None:
                return Resolved(sample.intent, slots)
        return None

    def _near(self, words: list[str]) -> list[tuple[float, int, _Sample, list]]:
        """The samples near enough the words: (cosine, -order, sample, recognised runs)."""
        spans = self._recognised_spans(words)
        in_slot = {i for t, start, end, _ in spans for i in range(start, end)
                   if t not in NUMBERS}
        # A number, a date or a time said is its slot; a custom value is its words too.
        replaced = {i for t, start, end, _ in spans for i in range(start, end)
                    if t in REPLACED and words[start:end] != ["one"]}
        canon = [_canonical(w) for w in words]
        said_guards = tuple(_stem(w) for i, w in enumerate(canon)
                            if w in GUARDS and i not in in_slot
                            and not (w == "end" and (words[i - 1:i] == ["the"]
                                                     or words[i + 1:i + 2] == ["of"])))
        # "in the end" and "the end of the day" are not crisis language
        said = {_stem(w) for w in canon}
        # The words said that a sample must hold (those a slot recognised aside).
        free = [_stem(w) for i, w in enumerate(canon) if i not in in_slot and i not in replaced]
        vector = Counter(_stem(_canonical(w)) for i, w in enumerate(words) if i not in replaced)
        for slot_type in {t for t, *_ in spans}:
            vector["@" + slot_type] += 1
        query = self._weigh(vector)
        feeling = any(w in FEELING_WORDS or w in CRISIS_WORDS or w in GUARD_STEMS.values()
                      for w in said_guards)
        ranked = []
        for sample, weights, guards, literal in self._vectors:
            if guards != said_guards and not (
                    sample.intent == "CrisisIntent" and polar(guards) == polar(said_guards)
                    and set(guards) & set(said_guards) & CRISIS_STEMS):
                # Guard words as said, in order. Crisis language errs towards help: a
                # crisis word in common is enough, so long as a "not" or a "yes" is the
                # same ("i don't want to die" is not "i want to die").
                continue
            if sum(w in said for w in literal) * 2 < len(literal):
                continue  # at least half its words said
            if free and sum(w in literal for w in free) * 2 <= len(free):
                continue  # and more than half the words said are its words
            if feeling and sample.intent in RECORDING:
                continue
            if sample.intent in RECORDING and any(
                    w not in literal and w not in SOFT_WORDS
                    for w in (free if "{" in sample.text else [_stem(w) for w in canon])):
                continue  # a log is near only over small words: others may name the step
            if sample.intent in AS_SAID_ONLY and not (said & AS_SAID_ONLY[sample.intent]):
                continue  # near "delete my data" is not enough: the data must be named
            cosine = sum(query.get(t, 0.0) * w for t, w in weights.items())
            threshold = NEAR_ENOUGH_CRISIS if sample.intent == "CrisisIntent" else NEAR_ENOUGH
            if cosine >= threshold:
                ranked.append((cosine, -sample.order, sample, spans))
        return ranked

    def _weigh(self, counts: Counter) -> dict[str, float]:
        """A TF-IDF vector of unit length."""
        weights = {t: n * self._idf.get(t, self._idf_unseen) for t, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def _index(self) -> None:
        """The samples as TF-IDF vectors, for `nearest`."""
        documents = []
        for sample in self.samples:
            counts = Counter(_stem(_canonical(t)) if k == "word" else "@" + sample.slot_types[t]
                             for k, t in sample.tokens)
            literal = [_canonical(t) for k, t in sample.tokens if k == "word"]
            guards = tuple(_stem(t) for i, t in enumerate(literal) if t in GUARDS
                           and not (t == "end" and literal[i - 1:i] == ["the"]))
            documents.append((sample, counts, guards, [_stem(t) for t in literal]))
        frequency = Counter(t for _, counts, _, _ in documents for t in counts)
        total = len(documents)
        self._idf = {t: math.log((1 + total) / (1 + n)) + 1 for t, n in frequency.items()}
        self._idf_unseen = math.log(1 + total) + 1
        self._vectors = [(sample, self._weigh(counts), guards, literal)
                         for sample, counts, guards, literal in documents]

    def _recognised_spans(self, words: list[str]) -> list[tuple[str, int, int, SlotValue]]:
        """(slot type, start, end, value) for every run of words a slot type recognises:
        a custom value or synonym, a number, a date, a time. The longest run wins at each
        start."""
        types = sorted({t for s in self.samples for t in s.slot_types.values()}
                       - {"AMAZON.SearchQuery"})
        spans = []
        for slot_type in types:
            i = 0
            while i < len(words):
                found = None
                for end in range(min(len(words), i + 5), i, -1):
                    value = self._slot(slot_type, words[i:end])
                    if value is None or (value.slot_type is not None and value.value_id is None):
                        continue
                    if slot_type in ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER") and \
                            words[i] in ("a", "oh"):
                        continue
                    found = (slot_type, i, end, value)
                    break
                if found:
                    spans.append(found)
                    i = found[2]
                else:
                    i += 1
        return spans

    @staticmethod
    def _fill(sample: _Sample, spans) -> dict[str, SlotValue] | None:
        """The sample's slots from the recognised runs of words: each slot needs one of
        its type (a number takes the last said, a correction's), or the sample is not
        near."""
        slots = {}
        for name, slot_type in sample.slot_types.items():
            if ("slot", name) not in sample.tokens:
                continue
            runs = [s for s in spans if s[0] == slot_type]
            if not runs:
                return None
            slots[name] = runs[-1][3] if slot_type == "AMAZON.NUMBER" else max(
                runs, key=lambda r: r[2] - r[1])[3]
        return slots

    @staticmethod
    def _variants(words: list[str]):
        """The words as said, then without up to two discourse words in front, then also
        without up to two courtesy or time words behind (each a phrase of one or two
        words)."""
        def strip(ws, edge, front):
            out, cut = [ws], ws
            for _ in range(2):
                for size in (2, 1):
                    part = cut[:size] if front else cut[-size:]
                    if len(cut) > size and " ".join(part) in edge:
                        cut = cut[size:] if front else cut[:-size]
                        out.append(cut)
                        break
                else:
                    break
            return out

        seen = []
        for fronts in strip(words, LEADING, True):
            for variant in strip(fronts, TRAILING, False):
                if variant not in seen:
                    seen.append(variant)
                    yield variant

    def candidates(self, said: str, limit: int = 5) -> list[tuple[tuple, Resolved, str]]:
        """The best fillings of the samples, best first: (score, resolved, sample)."""
        words = heard(said)
        if not words:
            return []
        vocabulary = set(words)
        best: dict[str, tuple[tuple, Resolved, str]] = {}
        for sample in self.samples:
            if not sample.literal <= vocabulary:
                continue
            literal = sum(1 for k, _ in sample.tokens if k == "word")
            for split in splits(sample.tokens, words):
                scored = self._score(sample, literal, words, split)
                if scored is None:
                    continue
                score, slots = scored
                key = (score, -sample.order)
                if sample.intent not in best or key > best[sample.intent][0]:
                    best[sample.intent] = (key, Resolved(sample.intent, slots), sample.text)
        ranked = sorted(best.values(), key=lambda c: c[0], reverse=True)
        return ranked[:limit]

    def _score(self, sample: _Sample, literal: int, words: list[str],
               split: dict[str, tuple[int, int]]) -> tuple[tuple, dict] | None:
        slots, recognised, passed, loose = {}, 0, 0, 0
        for name, (start, end) in split.items():
            heard = words[start:end]
            value = self._slot(sample.slot_types[name], heard)
            if value is None:
                return None
            if value.slot_type is not None and value.value_id is None:
                if literal < 2:
                    return None  # a slot with at most one word beside it takes only a value
                passed += len(heard)
                loose += 1
            else:
                recognised += len(heard)
            slots[name] = value
        # Most words said as written or recognised by a slot; then most said as written;
        # fewest slots that recognised nothing; most slots filled.
        return (literal + recognised, literal, -loose, -passed, len(split)), slots

    def _slot(self, slot_type: str, words: list[str]) -> SlotValue | None:
        heard = " ".join(words)
        if slot_type in ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER"):
            value = number(words)
            if value is None or (slot_type == "AMAZON.FOUR_DIGIT_NUMBER" and value > 9999):
                return None
            return SlotValue(str(value))
        if slot_type == "AMAZON.DATE":
            day = self._date(heard)
            return SlotValue(day) if day else None
        if slot_type == "AMAZON.TIME":
            value = self._time(heard)
            return SlotValue(value) if value else None
        if slot_type == "AMAZON.SearchQuery":
            return SlotValue(heard)
        ids = self.types.get(slot_type, {})
        if heard in ids:
            return SlotValue(heard, ids[heard], slot_type)
        if len(words) > MAX_SLOT_WORDS:
            return None
        return SlotValue(heard, None, slot_type)  # heard, but no value matched

    def _date(self, heard: str) -> str | None:
        """AMAZON.DATE as Alexa resolves it: a day (ISO), a week ("2026-W49"), a weekend
        ("2026-W48-WE")."""
        today = self.today or date.today()
        words = re.sub(r"^(on|for|this coming|this|next|coming|the)\s+", "", heard).strip()
        words = re.sub(r"^(on|the)\s+", "", words)
        if heard == "today":
            return today.isoformat()
        if words == "tomorrow":
            return (today + timedelta(days=1)).isoformat()
        if words in ("day after tomorrow", "day after"):
            return (today + timedelta(days=2)).isoformat()
        if words in WEEKDAYS:
            ahead = (WEEKDAYS.index(words) - today.weekday()) % 7 or 7
            return (today + timedelta(days=ahead)).isoformat()
        if words == "weekend":
            year, week, _ = today.isocalendar()
            if heard.startswith("next"):
                year, week, _ = (today + timedelta(days=7)).isocalendar()
            return f"{year}-W{week:02d}-WE"
        if words == "week" and heard.startswith("next"):
            year, week, _ = (today + timedelta(days=7)).isocalendar()
            return f"{year}-W{week:02d}"
        try:
            return date.fromisoformat(words).isoformat()
        except ValueError:
            return None

    @staticmethod
    def _time(heard: str) -> str | None:
        heard = re.sub(r"\s*o'?clock$", "", heard)
        if heard in TIME_WORDS:
            return TIME_WORDS[heard]
        words = heard.split()
        pm = words[-1:] in (["pm"], ["p"]) or words[-2:] in (["p", "m"], ["in", "evening"])
        am = words[-1:] in (["am"],) or words[-2:] == ["a", "m"]
        while words and words[-1] in ("am", "pm", "a", "p", "m"):
            words = words[:-1]
        minute = 0
        if len(words) >= 3 and words[0] in ("half", "quarter") and words[1] in ("past", "to"):
            minute = 30 if words[0] == "half" else 15
            if words[1] == "to":
                minute = -15
            words = words[2:]
        if len(words) == 1 and ":" in words[0]:
            hour_text, _, minute_text = words[0].partition(":")
            hour, minute = (int(hour_text), int(minute_text)) if (
                hour_text.isdigit() and minute_text.isdigit()) else (None, 0)
        elif words and (number(words[:1]) is not None):
            hour = number(words[:1])
            if len(words) > 1:
                rest = number(words[1:])
                if rest is None or rest >= 60:
                    return None
                minute = rest
        else:
            return None
        if hour is None:
            return None
        if minute < 0:
            hour, minute = hour - 1, 45
        if pm and hour < 12:
            hour += 12
        if am and hour == 12:
            hour = 0
        return f"{hour:02d}:{minute:02d}" if 0 <= hour < 24 and 0 <= minute < 60 else None


def post(url: str, envelope: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps(envelope).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - loopback or given
        return json.loads(resp.read())


def reply_lines(response: dict[str, Any]) -> list[str]:
    lines = [spoken_text(response)]
    card = (response.get("response") or {}).get("card")
    if card:
        lines.append(f"  [card: {card.get('title')}] " + (card.get("content") or "").replace("\n", " | "))
    if (response.get("response") or {}).get("shouldEndSession", True) is not False:
        lines.append("  (session ended)")
    return lines


def start_local_server(settings: Settings) -> tuple[str, Any]:
    """The skill on a free loopback port, in this process; returns its /alexa URL."""
    from werkzeug.serving import make_server

    from skill.edge.web import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # keep the console readable
    server = make_server("127.0.0.1", 0, None, threaded=True)  # the port first, then the app
    # that logs it ("Small Steps ready: … port=<this one>")
    server.app = create_app(settings=replace(settings, host="127.0.0.1",
                                             port=server.server_port))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/alexa", server


def chat(url: str, locale: str, application_id: str, user: str, person: str | None,
         lines: TextIO, out: TextIO) -> int:
    # Rendered from the source, as `interaction-models/` is: an installed package has no
    # repository beside it (`python -m skill.voice.build --check` keeps the two equal).
    resolver = Resolver(interaction_model(locale))
    device = Device(application_id, user_id=f"amzn1.ask.account.{user}", locale=locale,
                    person_id=f"amzn1.ask.person.{person}" if person else None,
                    api_access_token=None)
    out.write(f"Small Steps ({locale}). Say 'open small steps' to begin; Ctrl-D to leave.\n")
    for line in lines:
        if not line.strip():
            continue
        resolved = resolver.resolve(line)
        envelope = device.launch() if resolved.intent is None else device.intent(
            resolved.intent, resolved.slots)
        try:
            response = post(url, envelope)
        except (urllib.error.URLError, OSError, ValueError) as e:
            # the server refused or is unreachable: say so, and keep the console open
            why = f"HTTP {e.code}" if isinstance(e, urllib.error.HTTPError) else str(e)
            out.write(f"! the server did not answer ({why}); nothing was said back\n")
            out.flush()
            continue
        device.after(response)
        out.write("\n".join(f"< {t}" if i == 0 else t
                            for i, t in enumerate(reply_lines(response))) + "\n")
        out.flush()
    if device.session_id is not None:
        try:
            post(url, device.session_ended())
        except (urllib.error.URLError, OSError, ValueError):
            pass  # leaving: a server that is gone has no session to end
    return 0
