"""Generated Vietnamese names and ICU's `vi` collator applied part by part: the oracle for name order.

domain.md's rule, with ICU doing each comparison: the given name (the last word), then the middle
name (the words between, compared as one column: a space sorts before every letter), then the family
name (the first word), each at ICU's secondary strength (letters, then tone marks); letter case, ICU's
tertiary strength on the same parts, only when all of that is equal. ICU normalizes, so NFD input is
given to it as it is.
"""

from __future__ import annotations

import random
import unicodedata

import icu

TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none, huyền, hỏi, ngã, sắc, nặng
# Few building blocks, so that many names share their letters and only tones, Đ/D, Ư/U, Ơ/Ô/O,
# Â/Ă/A, case or a later part decide.
INITIALS = ["", "d", "đ", "th", "t", "ng", "l"]
NUCLEI = ["u", "ư", "o", "ơ", "ô", "a", "ă", "â", "uy", "ươ", "e", "ê", "i"]
FINALS = ["", "ng", "n", "nh"]

_secondary = icu.Collator.createInstance(icu.Locale("vi"))
_secondary.setStrength(icu.Collator.SECONDARY)
_tertiary = icu.Collator.createInstance(icu.Locale("vi"))


def syllable(rng: random.Random) -> str:
    vowels = list(rng.choice(NUCLEI))
    at = rng.randrange(len(vowels))
    toned = unicodedata.normalize("NFD", vowels[at]) + rng.choice(TONE_MARKS)
    vowels[at] = unicodedata.normalize("NFC", toned)
    return rng.choice(INITIALS) + "".join(vowels) + rng.choice(FINALS)


def _cased(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.7:
        return word[:1].upper() + word[1:]
    if roll < 0.8:
        return word.upper()
    if roll < 0.9:
        return word
    return "".join(c.upper() if rng.random() < 0.3 else c for c in word)


def random_name(rng: random.Random) -> str:
    """One to five syllables, mostly title case; some NFD (as some phones type), some extra spaces."""
    words = [_cased(rng, syllable(rng)) for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5]))]
    text = " ".join(words)
    if rng.random() < 0.3:
        text = unicodedata.normalize("NFD", text)
    if rng.random() < 0.05:
        text = "  " + text.replace(" ", "   ") + " "
    return text


def icu_key(name: str) -> tuple:
    words = name.split()
    parts = (words[-1] if words else "", " ".join(words[1:-1]), words[0] if len(words) > 1 else "")
    return (tuple(_secondary.getSortKey(p) for p in parts), tuple(_tertiary.getSortKey(p) for p in parts))


def icu_order(names: list[str]) -> list[int]:
    """Indexes of `names` in ICU's order, ties (the same name) by index."""
    keys = [icu_key(n) for n in names]
    return sorted(range(len(names)), key=lambda i: (keys[i], i))
