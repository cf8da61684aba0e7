"""Tax codes, folded names and likely duplicates of organizations, on real-looking Vietnamese names."""

from __future__ import annotations

import random
import unicodedata

import pytest

from eventhub.organizations.matching import (
    WEAK_WORD_SCORE,
    fold_name,
    likely_duplicates,
    match_key,
    mst_check_digit,
    name_similarity,
    normalize_tax_code,
)

# --- tax codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "code"), [
    ("0314409058", "0314409058"),
    ("0100233488", "0100233488"),
    ("0100109106", "0100109106"),
    ("MST: 0314409058", "0314409058"),
    ("mst 0314409058", "0314409058"),
    ("Mã số thuế: 0314 409 058", "0314409058"),
    ("01.00.112.437", "0100112437"),
    ("0314-409-058", "0314409058"),
    ("  0314409058  ", "0314409058"),
    ("０３１４４０９０５８", "0314409058"),  # full-width digits
    # a branch (dependent unit): the parent's ten digits, then three
    ("0314409058-002", "0314409058-002"),
    ("0312 68 78 78 - 001", "0312687878-001"),
    ("0314409058002", "0314409058-002"),
    ("MST: 0314409058 - 002", "0314409058-002"),
])
def test_valid_tax_codes_are_normalized(typed, code):
    assert normalize_tax_code(typed) == code


@pytest.mark.parametrize("typed", [
    None, "", "   ", "MST:",
    "0100233480",      # wrong check digit (…488 is right)
    "0314409059",      # wrong check digit
    "0314409058-000",  # branch 000 does not exist
    "0314409058-02",   # 12 digits
    "031440905",       # 9 digits
    "03144090580",     # 11 digits
    "0100000006",      # serial 0000000
    "0314409058/002",  # not a separator
    "0314409058 abc",
    "MST 0314409058 Công ty ABC",
    "03144O9058",      # letter O for zero
])
def test_what_is_not_a_tax_code_is_none(typed):
    assert normalize_tax_code(typed) is None


def test_check_digit_by_hand():
    # 0·31 + 3·29 + 1·23 + 4·19 + 4·17 + 0·13 + 9·7 + 0·5 + 5·3 = 332; 332 mod 11 = 2; 10 − 2 = 8
    assert mst_check_digit("031440905") == 8
    # a sum ≡ 0 (mod 11) would need a check digit of 10: no code starts with these nine digits
    nine = next(f"{n:09d}" for n in range(100000000, 100001000)
                if sum(w * int(d) for w, d in zip((31, 29, 23, 19, 17, 13, 7, 5, 3), f"{n:09d}",
                                                  strict=True)) % 11 == 0)
    assert mst_check_digit(nine) is None
    assert all(normalize_tax_code(nine + str(d)) is None for d in range(10))


def test_every_mistyped_digit_is_caught():
    code = "0314409058"
    for position in range(10):
        for digit in "0123456789":
            if digit != code[position]:
                typo = code[:position] + digit + code[position + 1:]
                assert normalize_tax_code(typo) is None, typo


# --- folded names ------------------------------------------------------------------------------------

SAME = [
    ["CTCP Hạt Ngọc Labs", "Công ty Cổ phần Hạt Ngọc Labs", "Hat Ngoc Labs JSC", "HẠT NGỌC LABS",
     "Cty CP Hạt Ngọc Labs", "Hạt Ngọc Labs Joint Stock Company", "hat ngoc labs",
     "Công ty CP Hạt  Ngọc Labs"],
    ["Công ty TNHH MTV Sao Khuê", "Sao Khue Co., Ltd", "Sao Khuê Company Limited", "Công ty TNHH Sao Khuê",
     "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN SAO KHUÊ", "Sao Khuê Co.,Ltd.", "Sao Khue LLC",
     "C.ty TNHH Sao Khuê", "Công ti TNHH 1 thành viên Sao Khuê", "Sao Khuê TNHH",
     "Sao Khue One Member Limited Liability Company", "SAO KHUE CO. LTD"],
    ["Công ty TNHH Hai Thành Viên Trở Lên Bình Minh", "Công ty TNHH Bình Minh", "Binh Minh Ltd"],
    ["Doanh nghiệp tư nhân Đức Phát", "DNTN Đức Phát", "Duc Phat", "Ðức Phát"],  # Ð: eth for Đ
    ["Hợp tác xã Nông nghiệp Tân Phú", "HTX Nông nghiệp Tân Phú", "Nông nghiệp Tân Phú"],
    ["Tập đoàn Vingroup - Công ty CP", "Tập đoàn Vingroup", "TẬP ĐOÀN VINGROUP JSC"],
    ["ABC Vietnam Co., Ltd", "Công ty TNHH ABC Việt Nam", "ABC Viet Nam Company Limited", "ABC Co., Ltd"],
    ["Chi nhánh Công ty TNHH Phát Tài tại TP. Hồ Chí Minh", "Công ty TNHH Phát Tài - Chi nhánh Hà Nội",
     "Phát Tài Co., Ltd"],
    ["Văn phòng đại diện Quỹ Đầu tư Mekong tại TP.HCM", "Quỹ Đầu tư Mekong"],
    ["F.P.T. Software", "FPT Software", "fpt  software"],
    ["O’Reilly Media, Inc.", "O'Reilly Media", "OReilly Media Corp"],
    ["Công ty TNHH Công nghệ 4.0", "Công nghệ 4.0 Co., Ltd"],
]


@pytest.mark.parametrize("names", SAME, ids=[names[0] for names in SAME])
def test_spellings_of_one_organization_fold_to_one_key(names):
    keys = {fold_name(name) for name in names}
    assert len(keys) == 1, keys


def test_what_the_keys_look_like():
    assert fold_name("Công ty TNHH MTV Sao Khuê") == "sao khue"
    assert fold_name("CTCP Hạt Ngọc Labs") == "hat ngoc labs"
    assert fold_name("ABC Vietnam Co., Ltd") == "abc"
    assert fold_name("Tập đoàn Vingroup - Công ty CP") == "tap doan vingroup"
    assert fold_name("Chi nhánh Công ty TNHH Phát Tài tại TP.HCM") == "phat tai"  # tài kept, tại cut


@pytest.mark.parametrize(("a", "b"), [
    # a translation is another name, not the same key
    ("Công ty TNHH Giải pháp Công nghệ Ánh Dương", "ANH DUONG TECH SOLUTIONS"),
    # "Tập đoàn" (group) and "Tổng công ty" are no legal form: part of the name
    ("Tập đoàn Sao Mai", "Công ty TNHH Sao Mai"),
    ("Tổng công ty Sài Gòn", "Công ty TNHH Sài Gòn"),
    # "Việt Nam" goes only after a registered company's name, never alone
    ("Du lịch Việt Nam", "Du lịch"),
    ("Hội Tin học Việt Nam", "Hội Tin học"),
    ("Vietnam Airlines", "Airlines JSC"),
    # English forms come off the end only, and only when typed as such
    ("Co.opmart", "opmart"),
    ("Company of Heroes", "of Heroes"),
    ("Bánh mì Cô", "Bánh mì"),  # cô is not "Co."
    # "tại" ends a branch's name only after "Chi nhánh"
    ("Nhà hàng Tại Gia", "Nhà hàng"),
    ("Phát Tài", "Phát"),
    # tones fold, letters do not: ư is u, ơ is o, but a different word is a different name
    ("Sao Khuê", "Sao Khuyên"),
])
def test_different_names_keep_different_keys(a, b):
    assert fold_name(a) != fold_name(b)


@pytest.mark.parametrize("name", ["Công ty TNHH", "CTCP", "Co., Ltd", "JSC", "Công ty Cổ phần",
                                  "Chi nhánh", "Công ty TNHH Việt Nam", "Vietnam Co., Ltd"])
def test_a_name_that_is_only_a_legal_form_keeps_its_words(name):
    key = fold_name(name)
    assert key and key == " ".join(fold_name_words(name))


def fold_name_words(name: str) -> list[str]:
    """The words of a name folded by hand: what a legal form alone must fold to."""
    simple = {"Công ty TNHH": "cong ty tnhh", "CTCP": "ctcp", "Co., Ltd": "co ltd", "JSC": "jsc",
              "Công ty Cổ phần": "cong ty co phan", "Chi nhánh": "chi nhanh",
              "Công ty TNHH Việt Nam": "viet nam", "Vietnam Co., Ltd": "viet nam"}
    return simple[name].split()


def test_blank_and_punctuation_only_names():
    assert fold_name("") == ""
    assert fold_name("   ") == ""
    assert fold_name("***") == "***"


def test_spacing_case_and_unicode_forms():
    nfd = unicodedata.normalize("NFD", "Công ty TNHH Ánh Dương")
    assert fold_name(nfd) == fold_name("CÔNG  TY\tTNHH  ánh   dương") == "anh duong"
    assert fold_name("Ánh Dương Vietnam Co., Ltd") == fold_name("Ánh Dương Việt Nam Co., Ltd") == "anh duong"
    assert fold_name("Sao-Khuê") == fold_name("Sao Khuê") == "sao khue"


def test_match_key_prefers_a_valid_tax_code():
    assert match_key("MST: 0314409058", "Công ty TNHH MTV Sao Khuê") == ("tax", "0314409058")
    assert match_key("0314409058-002", "Sao Khuê - Chi nhánh Hà Nội") == ("tax", "0314409058-002")
    assert match_key("0314409059", "Sao Khue Co., Ltd") == ("name", "sao khue")  # wrong check digit
    assert match_key(None, "Sao Khue Co., Ltd") == ("name", "sao khue")
    assert match_key("", "CTCP Hạt Ngọc Labs") == ("name", "hat ngoc labs")


# --- likely duplicates -------------------------------------------------------------------------------

RECORDS = [
    (1, "Công ty TNHH MTV Sao Khuê", "0314409058"),
    (2, "Sao Khue Co., Ltd", None),                       # same name, no tax code → 1 with 1
    (3, "Công ty Cổ phần Hạt Ngọc Labs", None),
    (4, "Hat Ngoc Lab JSC", None),                        # lab/labs
    (5, "CTCP Hạt Ngoc Labss", None),                     # typo
    (6, "Công ty TNHH Công nghệ Việt Nam", None),
    (7, "Công ty TNHH Du lịch Việt Nam", None),           # shares "Việt Nam" only: not 6
    (8, "Công ty TNHH Giải pháp Công nghệ Ánh Dương", None),
    (9, "ANH DUONG TECH SOLUTIONS", None),                # a translation: not 8
    (10, "Tập đoàn Sao Mai", None),
    (11, "Công ty TNHH Sao Mai", None),                   # differs by "Tập đoàn" only
    (12, "Công ty TNHH Sao Việt", "0100233488"),
    (13, "Sao Viet Co., Ltd", "0100109106"),              # two valid tax codes: never
    (14, "Quỹ Đầu tư Mekong Capital", None),
    (15, "Quy Dau tu Mekong Capitol", None),              # typo
    (16, "Công ty TNHH Giải pháp Công nghệ Thông tin Sao Việt", None),
    (17, "Công ty TNHH Giải pháp Công nghệ Thông tin Sao Mai", None),  # long shared words, other name
    (18, "HatNgoc Labs", "0100112437"),                    # spacing
    (19, "Công ty TNHH MTV Sao Khuê", "0314409058"),      # same key as 1: already one
]


def _pairs(found):
    return {frozenset((a, b)) for a, b, _score in found}


def test_likely_duplicates_on_a_hand_made_list():
    found = likely_duplicates(RECORDS)
    pairs = _pairs(found)
    for a, b in [(1, 2), (2, 19), (3, 4), (3, 5), (10, 11), (14, 15), (3, 18)]:
        assert frozenset((a, b)) in pairs, (a, b)
    # 4 and 5: lab / labss are two letters apart; the others are other organizations
    for a, b in [(4, 5), (6, 7), (8, 9), (12, 13), (16, 17), (1, 19), (12, 16), (11, 17), (1, 12)]:
        assert frozenset((a, b)) not in pairs, (a, b)
    scores = [score for _a, _b, score in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.85 <= score <= 1 for score in scores)
    assert dict(((a, b), s) for a, b, s in found)[(1, 2)] == 1.0


def test_the_threshold_decides():
    everything = _pairs(likely_duplicates(RECORDS, threshold=0.0))
    strict = _pairs(likely_duplicates(RECORDS, threshold=0.99))
    assert strict < _pairs(likely_duplicates(RECORDS)) <= everything
    assert frozenset((1, 2)) in strict and frozenset((3, 5)) not in strict


def test_two_different_valid_tax_codes_are_never_duplicates():
    found = likely_duplicates([("a", "Công ty TNHH Sao Khuê", "0314409058"),
                               ("b", "Công ty TNHH Sao Khuê", "0100233488"),
                               ("c", "Công ty TNHH Sao Khuê", "0314409058-001")])
    assert found == []


def test_an_invalid_tax_code_counts_as_none():
    found = likely_duplicates([("a", "Sao Khue Co., Ltd", "0314409058"),
                               ("b", "Công ty TNHH Sao Khuê", "0314409059")])
    assert found == [("a", "b", 1.0)]


def test_name_similarity():
    assert name_similarity("sao khue", "sao khue") == 1.0
    assert name_similarity("hatngoc labs", "hat ngoc labs") == 0.99
    assert name_similarity("sao khue", "sao khuee") > 0.9
    assert name_similarity("sao mai", "tap doan sao mai") == pytest.approx(0.9)
    assert name_similarity("sao mai viet nam", "sao mai") == pytest.approx(0.9)
    assert name_similarity("tong cong ty sai gon", "sai gon") == pytest.approx(0.9)
    assert name_similarity("sao viet", "sao viet nam") == 0.0  # "nam" alone is a word like any other
    assert name_similarity("mekong capital", "mekong capitol") > 0.9  # a letter replaced in a long word
    assert name_similarity("thanh cong", "thinh cong") == 0.0  # …in a syllable it is another word
    assert name_similarity("hai phong", "thai phong") == 0.0
    assert name_similarity("vingroup", "vingruop") > 0.85  # two letters swapped
    assert name_similarity("cong nghe viet nam", "du lich viet nam") == 0.0
    assert name_similarity("sao viet", "sao mai") == 0.0
    assert name_similarity("viet nam", "tap doan") == 0.0  # nothing but weak words


def test_a_different_weak_word_on_each_side_is_under_the_threshold():
    """"Mây Trắng Tech" and "Mây Trắng Labs" are mostly two startups (one founder's, one incubator's);
    a weak word on one side only, or one written two ways, is still shown."""
    def similarity(a: str, b: str) -> float:
        return name_similarity(fold_name(a), fold_name(b))

    assert similarity("Mây Trắng Tech", "Mây Trắng Labs") == pytest.approx(WEAK_WORD_SCORE ** 2)
    assert similarity("Sao Mai Việt Nam", "Sao Mai Group") < 0.85
    assert similarity("Hạt Ngọc Tech", "Hat Ngoc Global") < 0.85
    for a, b in [("Sao Mai", "Sao Mai Group"), ("Mây Trắng", "Mây Trắng Labs"),
                 ("Hạt Ngọc Lab", "Hạt Ngọc Labs"), ("Tập đoàn Sao Mai", "Sao Mai Group"),
                 ("Mây Trắng Tech", "Mây Trắng Technology"), ("Sao Mai Quốc tế", "Sao Mai International"),
                 ("Sao Mai Tech Group", "Sao Mai Group")]:
        assert similarity(a, b) == pytest.approx(WEAK_WORD_SCORE), (a, b)
    found = likely_duplicates([(1, "Mây Trắng Tech", None), (2, "Công ty CP Mây Trắng Labs", None),
                               (3, "Sao Mai", None), (4, "Sao Mai Group", None)])
    assert _pairs(found) == {frozenset((3, 4))}


# --- property-style: random variants of one name fold alike -----------------------------------------

NAMES = ["Sao Khuê", "Hạt Ngọc Labs", "Ánh Dương", "Đức Phát", "Nguyễn Thị Quý Trúc", "Phương Đông",
         "Trường Thịnh", "Ưu Việt", "Bình Minh", "Hồng Lĩnh", "Quỹ Đầu tư Mekong", "Thiên Ân", "Gỗ Ốc Chó"]
FORMS_BEFORE = ["", "Công ty TNHH ", "CÔNG TY TNHH MTV ", "Cty TNHH ", "CTCP ", "Công ty Cổ phần ",
                "Công ty CP ", "DNTN ", "Doanh nghiệp tư nhân ", "C.ty TNHH "]
FORMS_AFTER = ["", " Co., Ltd", " JSC", " Company Limited", " LLC", " Joint Stock Company", " CO.,LTD."]


def _vary(name: str, rng: random.Random) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", name):
        base = unicodedata.normalize("NFD", ch)
        roll = rng.random()
        if roll < 0.2:  # the diacritics dropped, as typed on a keyboard without Vietnamese input
            ch = "d" if ch == "đ" else "D" if ch == "Đ" else base[0]
        elif roll < 0.3:
            ch = base  # decomposed (NFD), as some Mac and old Windows input gives
        elif roll < 0.35 and ch in "đĐ":
            ch = {"đ": "ð", "Đ": "Ð"}[ch]  # eth from an old-encoding conversion
        ch = ch.upper() if rng.random() < 0.3 else ch.lower() if rng.random() < 0.5 else ch
        if ch == " ":
            ch = rng.choice([" ", "  ", " \t ", " - ", ", "])
        out.append(ch)
    text = "".join(out)
    before, after = rng.choice(FORMS_BEFORE), rng.choice(FORMS_AFTER)
    return rng.choice(["", " ", "\n"]) + before + text + after + rng.choice(["", " ", "."])


def test_random_variants_fold_to_the_same_key():
    rng = random.Random(20201207)
    for name in NAMES:
        key = fold_name(name)
        for _ in range(200):
            variant = _vary(name, rng)
            assert fold_name(variant) == key, (name, variant)


def test_random_variants_are_not_shown_as_duplicates_of_each_other():
    rng = random.Random(19)
    records = [(i, _vary(NAMES[i % len(NAMES)], rng), None) for i in range(len(NAMES) * 4)]
    assert likely_duplicates(records) == []  # one key per name: nothing to merge by hand


def test_among_thousands_of_records_the_typo_is_found_and_few_false_pairs():
    rng = random.Random(5000)
    syllables = ["an", "bình", "cường", "dũng", "đức", "gia", "hải", "hoàng", "khang", "lâm", "long", "minh",
                 "nam", "ngọc", "phát", "phúc", "quang", "sơn", "tài", "thành", "thịnh", "trí", "trung",
                 "tuấn", "việt", "vinh", "xuân", "hưng", "thái", "tín", "đạt", "hà", "kim", "lộc"]
    words = ["Công nghệ", "Giải pháp", "Thương mại", "Dịch vụ", "Đầu tư", "Phần mềm", "Việt Nam", "Tech"]
    names = set()
    while len(names) < 5000:
        names.add(" ".join([rng.choice(words), *rng.sample(syllables, 3)]))
    records = [(i, f"Công ty TNHH {name}", None) for i, name in enumerate(sorted(names))]
    # one letter doubled in the longest word, diacritics and case lost
    words_1234 = fold_name(records[1234][1]).split()
    longest = max(range(len(words_1234)), key=lambda i: len(words_1234[i]))
    words_1234[longest] += words_1234[longest][-1]
    records.append(("typo", "CONG TY TNHH " + " ".join(words_1234).upper(), None))
    found = likely_duplicates(records)
    assert frozenset((1234, "typo")) in _pairs(found)
    # names a syllable apart (hải/thái, thành/thịnh) are other companies, not typos
    assert len(found) < 100, found[:20]
