"""How a locale words the model: the source text is British English, and `SPELLING` lists
the words each locale says or spells differently ("favourite"/"favorite", "mum"/"mom").
Also the small text helpers every rendered part shares."""

from __future__ import annotations

import re
from collections.abc import Iterable

SPELLING = {
    "en-US": {
        "favourite": "favorite", "favourites": "favorites", "behavioural": "behavioral",
        "organise": "organize", "journalling": "journaling", "skilful": "skillful",
        "mum": "mom", "mums": "moms", "colour": "color",
    },
    "en-CA": {"mum": "mom", "mums": "moms", "organise": "organize"},
    "en-GB": {},
    "en-AU": {},
    "en-IN": {},
}


def localise(text: str, locale: str) -> str:
    """Swap the words this locale spells or says differently, keeping capitals."""
    words = SPELLING.get(locale, {})
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


def unique(items: Iterable[str]) -> list[str]:
    """The items in order, without a repeat (ignoring case)."""
    seen, out = set(), []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
