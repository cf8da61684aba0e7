"""Vietnamese local facts as pure functions: name order, collation, search folding, phones, VND.

Vietnamese names are written family – middle – given, and lists are ordered by the given name
first. Letters are ordered a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; the five
tone marks decide only between words whose letters are equal (dung < dũng < duyên).

Names are ordered part by part, as a spreadsheet sorting the columns "Tên", "Họ đệm", "Họ" with
Vietnamese collation would (domain.md; ICU's `vi` collator compares each part the same way): the
given name's letters, then its tones; then the middle name's letters (a space before any letter, so
Thu < Thu Thảo < Thuỳ), then its tones; then the family name's; letter case only after all of that.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import phonenumbers

# Combining marks that make a different letter (ă â ê ô ơ ư) versus tone marks.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}
# Tone order as in Vietnamese dictionaries and CLDR: none, huyền, hỏi, ngã, sắc, nặng.
# Text converted from old Vietnamese encodings (TCVN3, VNI, VISCII through Windows-1252 and the like)
# often has the Icelandic eth ð/Ð (U+00F0/U+00D0), which looks the same, where đ/Đ (U+0111/U+0110) is
# meant: it is ordered and searched as đ. Stored text keeps what was typed.
_ETH, _D_STROKE = "ð", "đ"
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
# Ranks of one character's letter. 0 ends a part in the stored key; then, as ICU orders them, the
# space between two words of a middle name, other punctuation, digits, the alphabet; a foreign letter
# is FOREIGN + its code point, after the alphabet.
_SPACE, _PUNCTUATION, _FIRST_DIGIT = 1, 2, 3
_LETTER_RANK = {letter: 13 + index for index, letter in enumerate(_ALPHABET)}
FOREIGN = 1000


@cache
def _letter_and_tone(char: str) -> tuple[str, int]:
    """Splits one character into its Vietnamese letter (lower case) and its tone number."""
    decomposed = unicodedata.normalize("NFD", char.lower().replace(_ETH, _D_STROKE))
    base, tone = decomposed[:1], 0
    for mark in decomposed[1:]:
        if mark in _LETTER_MARKS:
            base += mark
        elif mark in _TONES:
            tone = _TONES[mark]
    return unicodedata.normalize("NFC", base), tone


@cache
def _rank(letter: str) -> int:
    rank = _LETTER_RANK.get(letter)
    if rank is not None:
        return rank
    if letter.isspace():
        return _SPACE
    if "0" <= letter <= "9":
        return _FIRST_DIGIT + ord(letter) - ord("0")
    if not letter[:1].isalnum():
        return _PUNCTUATION
    return FOREIGN + ord(letter[0])


def _characters(text: str) -> list[tuple[int, int, int]]:
    """(letter rank, tone, 1 if upper case) of each character of NFC `text`."""
    out = []
    for char in text:
        if unicodedata.combining(char):  # a mark NFC could not compose: it belongs to the letter before
            continue
        letter, tone = _letter_and_tone(char)
        out.append((_rank(letter), tone, int(char != char.lower())))
    return out


def collation_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(letters, tones) of a word or a part: compare letters first, tones only to break a tie."""
    chars = _characters(unicodedata.normalize("NFC", word))
    return tuple(c[0] for c in chars), tuple(c[1] for c in chars)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name; a single word is the given name."""
    parts = normalize_text(full_name).split()
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def _name_parts(full_name: str) -> list[list[tuple[int, int, int]]]:
    family, middle, given = split_name(full_name)
    return [_characters(part) for part in (given, middle, family)]


def name_sort_key(full_name: str) -> tuple:
    """Sort key ordering people by given name, then middle, then family name, Vietnamese style.

    (given letters, given tones, middle letters, middle tones, family letters, family tones, case of
    every letter, the name): tones break a tie within a part only, case only a tie of whole names.
    """
    parts = _name_parts(full_name)
    key: list[tuple[int, ...]] = []
    for chars in parts:
        key += [tuple(c[0] for c in chars), tuple(c[1] for c in chars)]
    key.append(tuple(c[2] for chars in parts for c in chars))
    return (*key, normalize_text(full_name))


# The stored key (Registration.sort_key) in ASCII symbols whose byte order is their order here:
# SQLite's BINARY and PostgreSQL's "C" collation compare it exactly as name_sort_key compares.
_SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SORT_KEY_LENGTH = 400


def _code_point(number: int) -> str:
    """A foreign letter: the symbol after the alphabet's, then its code point in four base-62 digits."""
    digits = ""
    for _position in range(4):
        number, rest = divmod(number, 62)
        digits = _SYMBOLS[rest] + digits
    return _SYMBOLS[_LETTER_RANK["z"] + 1] + digits


def name_sort_string(full_name: str) -> str:
    """name_sort_key as a string (without the final tie-break: the database adds the id).

    Per part: one symbol per letter and a terminator "0" (lower than any letter, so a part that is the
    beginning of another sorts first), then its tones two to a symbol (6 × 6 < 62); at the end the case
    bits five to a symbol. A tone or case section is only reached when the letters before it are equal,
    so the sections compared have the same length. A 200-character Vietnamese name needs fewer than 350
    symbols (the column holds SORT_KEY_LENGTH); only a name of many foreign letters (five symbols each)
    can be longer, and is cut: the id then decides between names whose keys agree that far.
    """
    parts = _name_parts(full_name)
    out: list[str] = []
    for chars in parts:
        out += [_SYMBOLS[rank] if rank < FOREIGN else _code_point(rank - FOREIGN) for rank, _t, _c in chars]
        out.append(_SYMBOLS[0])
        tones = [tone for _r, tone, _c in chars] + [0]
        out += [_SYMBOLS[6 * tones[i] + tones[i + 1]] for i in range(0, len(chars), 2)]
    cases = [upper for chars in parts for _r, _t, upper in chars] + [0] * 4
    for i in range(0, len(cases) - 4, 5):
        out.append(_SYMBOLS[int("".join(map(str, cases[i:i + 5])), 2)])
    return "".join(out)[:SORT_KEY_LENGTH]


def sort_people(items, name=lambda item: item):
    """Returns `items` ordered the Vietnamese way by the name that `name(item)` gives."""
    return sorted(items, key=lambda item: name_sort_key(name(item) or ""))


def normalize_text(value: str) -> str:
    """NFC with collapsed white space: what we store for names and show everywhere."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def fold(value: str) -> str:
    """Lower case without diacritics, for search: 'Nguyễn Thị Trúc' → 'nguyen thi truc', 'Ðức' (eth) →
    'duc' as 'Đức' is."""
    lowered = normalize_text(value).lower()
    decomposed = unicodedata.normalize("NFD", lowered.replace(_D_STROKE, "d").replace(_ETH, "d"))
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
