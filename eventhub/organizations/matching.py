"""Matching organizations across events: tax codes, folded names, likely duplicates. Pure (no Flask, no DB).

- normalize_tax_code: a Vietnamese tax code (mã số thuế, MST) as "0314409058" or, for a dependent unit
  (branch), "0314409058-002"; None when the text is not one. The tenth digit is checked with the
  General Department of Taxation's weights 31 29 23 19 17 13 7 5 3: check = 10 − (Σ mod 11), and a
  result of 10 means no valid number ends that way (python-stdnum's stdnum/vn/mst.py does the same).
- fold_name: the name key. Lower case without diacritics (vietnamese.fold), punctuation and spacing
  folded, legal-form words peeled off its ends ("Công ty TNHH", "CTCP", "JSC", "Co., Ltd", …).
- match_key: ("tax", code) when a valid tax code is given, else ("name", folded name).
- likely_duplicates: pairs of records with different keys that organizers should look at side by side.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache

from eventhub.vietnamese import fold

# --- tax codes ---------------------------------------------------------------------------------------

MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
# What people type before the number on forms and invoices: "MST: 0314409058", "Mã số thuế 0314…".
_TAX_PREFIX = re.compile(r"^\s*(?:m[aã]\s*s[oố]\s*thu[eế]|mst|tax\s*(?:code|id)?|tin)\s*[:.]?\s*",
                         re.IGNORECASE)
# Digits with single spaces, dots or dashes between groups ("0312 68 78 78 - 001", "01.00.112.437").
_TAX_BODY = re.compile(r"^\d+(?:\s*[-.\s]\s*\d+)*$")


def mst_check_digit(first_nine: str) -> int | None:
    """The tenth digit for nine digits, or None when the sum leaves 10 (no valid code starts so)."""
    check = 10 - sum(w * int(d) for w, d in zip(MST_WEIGHTS, first_nine, strict=True)) % 11
    return None if check == 10 else check


def normalize_tax_code(text: str | None) -> str | None:
    """'MST: 0314 409 058' → '0314409058', '0314409058 - 002' → '0314409058-002'; None if not an MST."""
    if not text:
        return None
    # NFKC: full-width digits typed with a Vietnamese/CJK IME are digits.
    value = _TAX_PREFIX.sub("", unicodedata.normalize("NFKC", text)).strip()
    if not _TAX_BODY.match(value):
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) not in (10, 13):
        return None
    # The seven-digit serial after the province code starts at 0000001; a branch number at 001.
    if digits[2:9] == "0000000" or digits[10:] == "000":
        return None
    if mst_check_digit(digits[:9]) != int(digits[9]):
        return None
    return digits if len(digits) == 10 else f"{digits[:10]}-{digits[10:]}"


# --- names -------------------------------------------------------------------------------------------

# Legal forms, as folded words. Vietnamese registered names put the form first ("Công ty TNHH Sao Khuê"),
# sometimes last ("Tập đoàn Vingroup - Công ty CP"), so they come off either end. English forms stand at
# the end ("Sao Khue Co., Ltd"); at the start the same words are ordinary words ("Co.opmart"), so those
# come off the end only.
_COMPANY = ("cong ty", "cong ti", "cty", "c ty")
_TNHH = ("tnhh", "trach nhiem huu han")
_MEMBERS = ("mtv", "1tv", "2tv", "mot thanh vien", "1 thanh vien", "hai thanh vien", "2 thanh vien",
            "hai thanh vien tro len", "2 thanh vien tro len")
_OTHER_TYPES = ("co phan", "cp", "hop danh")
_VIETNAMESE_FORMS = {
    *_COMPANY, *_TNHH, "ctcp", "ctycp", "dntn", "doanh nghiep tu nhan", "htx", "hop tac xa",
    *(f"{c} {t}" for c in _COMPANY for t in (*_TNHH, *_OTHER_TYPES)),
    *(f"{t} {m}" for t in _TNHH for m in _MEMBERS),
    *(f"{c} {t} {m}" for c in _COMPANY for t in _TNHH for m in _MEMBERS),
}
# A branch or representative office is registered as "Chi nhánh <company> tại <place>" or
# "<company> - Chi nhánh <place>": the organization people mean is the company, so the marker and the
# place go (only in those two shapes: "tại" inside a name, "Phát Tài", is kept).
_BRANCH_FORMS = {"chi nhanh", "van phong dai dien", "vpdd"}
_ENGLISH_FORMS = {
    "jsc", "jsco", "joint stock company", "joint stock co", "co ltd", "co limited", "company limited",
    "company ltd", "ltd", "limited", "llc", "limited liability company", "one member", "1 member",
    "one member limited liability company", "inc", "incorporated", "corp", "corporation", "pte",
    "pte ltd", "plc", "company", "co",
}
# "Tập đoàn" (group), like "Tổng công ty", is not a legal form: the Law on Enterprises has none such, a
# group of companies is not a legal person, and the words belong to the chosen name ("CTCP Tập đoàn Hòa
# Phát"). They stay in the key, so "Tập đoàn Sao Mai" and "Công ty TNHH Sao Mai" are not merged on
# their own; likely_duplicates shows such pairs (see _WEAK_WORDS).
_LONGEST_FORM = max(len(form.split()) for form in _VIETNAMESE_FORMS | _ENGLISH_FORMS | _BRANCH_FORMS)
_VIET_NAM = ("viet", "nam")
_APOSTROPHES = "'’ʼ`´"
# "F.P.T." and "A.I" are written with and without the dots: single characters joined by dots are one word.
_DOTTED_ACRONYM = re.compile(r"\b(\w)\.(?=\w\b)")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(as written in lower case, folded) for each word: letters, digits and their marks; the rest splits."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text or "")).lower()
    text = _DOTTED_ACRONYM.sub(r"\1", "".join(ch for ch in text if ch not in _APOSTROPHES))
    words, current = [], ""
    for ch in text:
        if ch.isalnum() or (current and unicodedata.category(ch).startswith("M")):
            current += ch
        else:
            if current:
                words.append(current)
            current = ""
    if current:
        words.append(current)
    out = []
    for word in words:
        folded = fold(word)
        # "Vietnam" and "Việt Nam" are the same two words written with and without the space.
        if folded == "vietnam":
            out += [(word[:4], "viet"), (word[4:], "nam")]
        else:
            out.append((word, folded))
    return out


def _form_at(tokens: list[tuple[str, str]], start: int, stop: int, forms: set[str], ascii_only: bool) -> bool:
    words = tokens[start:stop]
    # English forms must be typed as such: a folded "co" is just as often cô, cơ or cổ.
    if ascii_only and not all(raw.isascii() for raw, _f in words):
        return False
    return " ".join(f for _r, f in words) in forms


def _peel(tokens: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], bool, bool]:
    """Takes legal forms off both ends: (what is left, a form was taken, a branch marker was taken first)."""
    took_form = branch_first = False
    changed = True
    while changed and tokens:
        changed = False
        for size in range(min(_LONGEST_FORM, len(tokens)), 0, -1):
            if _form_at(tokens, 0, size, _VIETNAMESE_FORMS, False):
                tokens, took_form, changed = tokens[size:], True, True
                break
            if _form_at(tokens, 0, size, _BRANCH_FORMS, False):
                tokens, changed = tokens[size:], True
                branch_first = True
                break
        for size in range(min(_LONGEST_FORM, len(tokens)), 0, -1):
            start = len(tokens) - size
            if (_form_at(tokens, start, len(tokens), _VIETNAMESE_FORMS, False)
                    or _form_at(tokens, start, len(tokens), _ENGLISH_FORMS, True)):
                tokens, took_form, changed = tokens[:start], True, True
                break
    return tokens, took_form, branch_first


def _cut_branch(tokens: list[tuple[str, str]], branch_first: bool) -> list[tuple[str, str]]:
    """Drops the place of a branch: "… tại <place>" after a leading marker, "… - Chi nhánh <place>"."""
    folded = [f for _r, f in tokens]
    for marker in _BRANCH_FORMS:
        words = marker.split()
        for i in range(1, len(folded) - len(words) + 1):
            if folded[i:i + len(words)] == words:
                return tokens[:i]
    if branch_first:
        # "tại" (at) written as such, or "tai" typed without diacritics; never tài, tái, tải…
        at = [i for i, (raw, _f) in enumerate(tokens) if i > 0 and raw in ("tại", "tai")]
        if at:
            return tokens[:at[-1]]
    return tokens


def fold_name(text: str) -> str:
    """'CÔNG TY TNHH MTV Sao Khuê' and 'Sao Khue Co., Ltd' → 'sao khue'; never '' for a non-blank name."""
    tokens = _tokens(text)
    if not tokens:
        return fold(text)  # punctuation only: keep what was typed, folded
    kept, took_form, branch_first = _peel(tokens)
    kept = _cut_branch(kept, branch_first)
    kept, again, _ = _peel(kept)  # "Chi nhánh Công ty ABC Co., Ltd tại …": the form behind the place
    took_form = took_form or again
    # "ABC Vietnam Co., Ltd", "Công ty TNHH Bosch Việt Nam": a registered company's trailing "Việt Nam"
    # marks the Vietnamese arm of a brand, and every organization here is in Vietnam. Only with a legal
    # form: "Du lịch Việt Nam" or "Hội Tin học Việt Nam" alone keep it, and it is never all that is left.
    if took_form and len(kept) > 2 and tuple(f for _r, f in kept[-2:]) == _VIET_NAM:
        kept = kept[:-2]
    if not kept:  # only a legal form ("Công ty TNHH"): the whole name, folded, is the key
        kept = tokens
    return " ".join(f for _r, f in kept)


def name_without_form(text: str) -> str:
    """'Công ty CP Mekong Green' → 'mekong green', as written (lower case, diacritics kept): what a list
    of organizations is sorted by, so that 150 companies do not all stand under C."""
    tokens = _tokens(text)
    kept, _took, _branch = _peel(tokens)
    return " ".join(raw for raw, _f in (kept or tokens))


def match_key(tax_code: str | None, name: str) -> tuple[str, str]:
    """("tax", '0314409058') when `tax_code` is a valid MST, else ("name", fold_name(name))."""
    code = normalize_tax_code(tax_code)
    return ("tax", code) if code else ("name", fold_name(name))


@lru_cache(maxsize=8192)
def name_key(name: str) -> tuple[str, str]:
    """match_key(None, name), cached per process: folding a name costs ~0.15 ms, and the floor's judges and
    the series report fold the same few hundred names on every request."""
    return match_key(None, name)


# --- likely duplicates -------------------------------------------------------------------------------

# Words added to or dropped from a name without making another organization: "Sao Mai" / "Tập đoàn Sao
# Mai" / "Sao Mai Việt Nam" / "Sao Mai Group". A pair that differs only by these on ONE side (or by one
# written two ways: "Lab" / "Labs", "Tập đoàn" / "Group") is shown, at WEAK_WORD_SCORE × similarity of
# the rest. A pair with a different weak word on EACH side ("Mây Trắng Tech" / "Mây Trắng Labs") is
# mostly two startups of one founder or one incubator: WEAK_WORD_SCORE² of it, under the threshold. A
# pair that differs by any other word is not shown.
# weak word or phrase -> the word it is another way of writing
_WEAK_WORDS = {"tap doan": "group", "group": "group", "tong cong ty": "tong cong ty",
               "holding": "holding", "holdings": "holding", "viet nam": "viet nam", "vn": "viet nam",
               "lab": "lab", "labs": "lab", "tech": "tech", "technology": "tech", "technologies": "tech",
               "global": "global", "international": "international", "quoc te": "international"}
_WEAK_TOKENS = {word for phrase in _WEAK_WORDS for word in phrase.split()}
WEAK_WORD_SCORE = 0.9
# One word mistyped: one letter added or dropped (khue/khuee, ngoc/ngocc), two neighbours swapped
# (mekong/mekogn), one replaced (capital/capitol). Vietnamese syllables are short and folding the tones
# leaves many a letter apart that are other words (thành/thịnh → thanh/thinh, hải/thái → hai/thai,
# hà/hải, minh/linh), so a letter added or dropped needs a word of SHORT_WORD letters or more, a letter
# replaced one of LONG_WORD.
SHORT_WORD = 4
LONG_WORD = 6
# A word shared by more names than this (công, nghệ, việt, …) says nothing; such blocks are left to the
# sorted-neighbourhood passes, which still put "…sao khue" next to "…sao khuee".
MAX_BLOCK = 40
WINDOW = 8


_LONGEST_WEAK = max(len(phrase.split()) for phrase in _WEAK_WORDS)


def _split_weak(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """(`words` less the weak words and phrases among them, those weak ones as the word they stand for)."""
    out, weak, i = [], [], 0
    while i < len(words):
        size = next((n for n in range(_LONGEST_WEAK, 0, -1) if " ".join(words[i:i + n]) in _WEAK_WORDS
                     and i + n <= len(words)), 0)
        if size:
            weak.append(_WEAK_WORDS[" ".join(words[i:i + size])])
            i += size
        else:
            out.append(words[i])
            i += 1
    return out, weak


def _without_weak(words: Sequence[str]) -> list[str]:
    """`words` less the weak words and phrases ("tong cong ty", "viet nam") among them."""
    return _split_weak(words)[0]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def is_typo(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter added or dropped, two neighbours swapped, or one replaced."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long_ = sorted((a, b), key=len)
        return len(short) >= SHORT_WORD and any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return len(a) >= LONG_WORD
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def name_similarity(a: str, b: str) -> float:
    """0–1 for two folded names: 1 equal; high for a typo, a spacing or weak-word difference; else 0."""
    if a == b:
        return 1.0
    words_a, words_b = a.split(), b.split()
    if "".join(words_a) == "".join(words_b):
        return 0.99  # "hatngoc labs" / "hat ngoc labs"
    common = Counter(words_a) & Counter(words_b)
    rest_a = _unmatched(words_a, common)
    rest_b = _unmatched(words_b, common)
    matched_core = any(word not in _WEAK_TOKENS for word in common)
    if rest_a and rest_b and "".join(rest_a) == "".join(rest_b):
        rest_a, rest_b, matched_core = [], [], True  # "hatngoc" / "hat ngoc" among other words
    for word in list(rest_a):
        other = next((o for o in rest_b if is_typo(word, o)), None)
        if other is not None:
            rest_a.remove(word)
            rest_b.remove(other)
            matched_core = matched_core or word not in _WEAK_TOKENS
    core_a, weak_a = _split_weak(rest_a)
    core_b, weak_b = _split_weak(rest_b)
    if not matched_core or core_a or core_b:
        return 0.0  # nothing distinctive shared, or a word of one name that the other lacks
    extra_a, extra_b = Counter(rest_a), Counter(rest_b)
    # The rest compared letter by letter; weak words only one side has count as WEAK_WORD_SCORE, a
    # different one on each side as WEAK_WORD_SCORE twice.
    score = _ratio("".join(_unmatched(words_a, extra_a)), "".join(_unmatched(words_b, extra_b)))
    only_a, only_b = Counter(weak_a) - Counter(weak_b), Counter(weak_b) - Counter(weak_a)
    if only_a and only_b:
        return score * WEAK_WORD_SCORE ** 2
    return score * WEAK_WORD_SCORE if rest_a or rest_b else score


def _unmatched(words: Sequence[str], listed: Counter) -> list[str]:
    """`words` in order, less as many of each word as `listed` counts."""
    left = Counter(listed)
    out = []
    for word in words:
        if left[word] > 0:
            left[word] -= 1
        else:
            out.append(word)
    return out


def _candidate_pairs(folded: Sequence[str]) -> set[tuple[int, int]]:
    """Index pairs worth scoring: a shared uncommon word, the same letters, or close in sorted order."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(folded):
        words = name.split()
        keys = {f"w:{word}" for word in _without_weak(words)} | {"s:" + "".join(_without_weak(words))}
        for key in keys:
            blocks[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    # Typos: a mistyped letter keeps the start (sorted by name) or the end (sorted by reversed name).
    spaceless = ["".join(name.split()) for name in folded]
    for key in (lambda i: spaceless[i], lambda i: spaceless[i][::-1]):
        order = sorted(range(len(folded)), key=key)
        for position, a in enumerate(order):
            for b in order[position + 1:position + 1 + WINDOW]:
                pairs.add((min(a, b), max(a, b)))
    return pairs


def likely_duplicates(records: Iterable[tuple[Hashable, str, str | None]], *,
                      threshold: float = 0.85) -> list[tuple[Hashable, Hashable, float]]:
    """(id, id, score) for records (id, name, tax code or None) with different match keys that are
    probably one organization, highest score first (then in the order given).

    The same folded name where at most one has a valid tax code scores 1; otherwise name_similarity.
    Two different valid tax codes are two organizations whatever their names; the same key is already
    one organization (nothing to show)."""
    rows = [(record_id, fold_name(name), normalize_tax_code(tax)) for record_id, name, tax in records]
    folded = [row[1] for row in rows]
    found = []
    for a, b in _candidate_pairs(folded):
        (id_a, name_a, tax_a), (id_b, name_b, tax_b) = rows[a], rows[b]
        if tax_a and tax_b:
            continue  # equal: already one record; different: two organizations
        if not tax_a and not tax_b and name_a == name_b:
            continue  # the same name key
        if not name_a or not name_b:
            continue
        score = name_similarity(name_a, name_b)
        if score >= threshold:
            found.append((-score, a, b, id_a, id_b, score))
    found.sort(key=lambda row: row[:3])
    return [(id_a, id_b, score) for _s, _a, _b, id_a, id_b, score in found]
