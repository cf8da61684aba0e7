"""Vietnamese local facts as pure functions: name order, collation, search folding, phones, VND.

Vietnamese names are written family – middle – given, and lists are ordered by the given name
first. Letters are ordered a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; the five
tone marks decide only between words whose letters are equal (dung < dũng < duyên).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import phonenumbers

# Combining marks that make a different letter (ă â ê ô ơ ư) versus tone marks.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}
# Tone order as in Vietnamese dictionaries and CLDR: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}


@cache
def _letter_and_tone(char: str) -> tuple[str, int]:
    """Splits one character into its Vietnamese letter (lower case) and its tone number."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, tone = decomposed[:1], 0
    for mark in decomposed[1:]:
        if mark in _LETTER_MARKS:
            base += mark
        elif mark in _TONES:
            tone = _TONES[mark]
    return unicodedata.normalize("NFC", base), tone


def collation_key(word: str) -> tuple[tuple[int | str, ...], tuple[int, ...]]:
    """(letters, tones) of a word: compare letters first, tones only to break a tie."""
    letters: list[int | str] = []
    tones: list[int] = []
    for char in word:
        letter, tone = _letter_and_tone(char)
        rank = _LETTER_RANK.get(letter)
        # Digits and foreign letters sort after the alphabet, by code point, as strings.
        letters.append(rank if rank is not None else 1000 + ord(letter[0]))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name; a single word is the given name."""
    parts = normalize_text(full_name).split()
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def name_sort_key(full_name: str) -> tuple:
    """Sort key ordering people by given name, then middle, then family name, Vietnamese style."""
    family, middle, given = split_name(full_name)
    keys = [collation_key(part) for part in (given, middle, family)]
    letters = tuple(k[0] for k in keys)
    tones = tuple(k[1] for k in keys)
    return letters, tones, normalize_text(full_name)


def sort_people(items, name=lambda item: item):
    """Returns `items` ordered the Vietnamese way by the name that `name(item)` gives."""
    return sorted(items, key=lambda item: name_sort_key(name(item) or ""))


def normalize_text(value: str) -> str:
    """NFC with collapsed white space: what we store for names and show everywhere."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def fold(value: str) -> str:
    """Lower case without diacritics, for search: 'Nguyễn Thị Trúc' → 'nguyen thi truc'."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, region: str = "VN") -> str:
    """E.164 form of a phone number (`0912 345 678` → `+84912345678`); raises InvalidPhone."""
    try:
        number = phonenumbers.parse((raw or "").strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """A stored number as people write it: Vietnamese numbers nationally (0912 345 678)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 84
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def format_vnd(amount: int | float | None) -> str:
    """Money in đồng, no decimals, dots between thousands: 1000000 → '1.000.000 ₫'."""
    if amount is None:
        return ""
    rounded = round(amount)
    digits = f"{abs(rounded):,}".replace(",", ".")
    return f"{'-' if rounded < 0 else ''}{digits} ₫"
