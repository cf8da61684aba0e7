"""The Vietnamese helpers: name order, collation, search folding, phones, money."""

import random
from itertools import pairwise

import pytest

from eventhub.vietnamese import (
    InvalidPhone,
    fold,
    format_phone,
    format_vnd,
    name_sort_key,
    name_sort_string,
    normalize_phone,
    normalize_text,
    sort_people,
    split_name,
)


def test_split_name_family_middle_given():
    assert split_name("Nguyễn Thị Quý Trúc") == ("Nguyễn", "Thị Quý", "Trúc")
    assert split_name("  Lê   Dung ") == ("Lê", "", "Dung")
    assert split_name("Madonna") == ("", "", "Madonna")
    assert split_name("") == ("", "", "")


def test_people_are_ordered_by_given_name_first():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Chí Cường"]
    assert sort_people(names) == ["Trần Thị An", "Nguyễn Văn Bình", "Lê Chí Cường"]


def test_same_given_name_falls_back_to_middle_then_family():
    names = ["Phạm Văn Hùng", "Đỗ Minh Hùng", "Bùi Minh Hùng", "Nguyễn Hùng"]
    # middle: "" < Minh < Văn; within "Minh": family Bùi < Đỗ.
    assert sort_people(names) == ["Nguyễn Hùng", "Bùi Minh Hùng", "Đỗ Minh Hùng", "Phạm Văn Hùng"]


def test_vietnamese_letter_order():
    given = ["Ân", "Ăn", "An", "Bảo", "Đạt", "Dũng", "Ê", "Em", "Ơn", "Ôn", "On", "Ưng", "Uyên"]
    ordered = [name.split()[-1] for name in sort_people([f"Lê {g}" for g in given])]
    assert ordered == ["An", "Ăn", "Ân", "Bảo", "Dũng", "Đạt", "Em", "Ê", "On", "Ôn", "Ơn", "Uyên",
                       "Ưng"]


def test_tones_only_break_ties_between_equal_letters():
    assert sort_people(["Lê Duyên", "Lê Dũng", "Lê Dung"]) == ["Lê Dung", "Lê Dũng", "Lê Duyên"]
    # none < huyền < hỏi < ngã < sắc < nặng
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    shuffled = tones[:]
    random.Random(1).shuffle(shuffled)
    assert sort_people(shuffled) == tones


def test_order_ignores_case_and_unicode_normalization():
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Tru\u0301c"  # NFD as some phones type it
    assert name_sort_key(decomposed) == name_sort_key("nguyễn thị trúc".title())
    assert normalize_text(decomposed) == "Nguyễn Thị Trúc"


def test_sort_people_with_key_function():
    people = [{"name": "Trần B"}, {"name": "Lê A"}]
    assert [p["name"] for p in sort_people(people, name=lambda p: p["name"])] == ["Lê A", "Trần B"]


def test_fold_removes_diacritics_and_case_for_search():
    assert fold("Nguyễn Thị Trúc") == "nguyen thi truc"
    assert fold("ĐẶNG Đức") == "dang duc"
    assert fold("Nguye\u0302\u0303n") == "nguyen"


@pytest.mark.parametrize("raw", ["0912 345 678", "+84 912 345 678", "0912.345.678", "84912345678",
                                 "(+84) 912-345-678"])
def test_vietnamese_mobile_numbers_normalize_to_e164(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["", "12", "abc", "0912 345", "+84 000 000 000", "0" * 40])
def test_invalid_phones_are_refused(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_foreign_investors_keep_their_numbers():
    assert normalize_phone("+65 6123 4567") == "+6561234567"
    assert format_phone("+6561234567") == "+65 6123 4567"


def test_format_phone_national_for_vietnam():
    assert format_phone("+84912345678") == "0912 345 678"
    assert format_phone(None) == ""


def test_vnd_has_no_decimals_and_dots_between_thousands():
    assert format_vnd(1_000_000) == "1.000.000 ₫"
    assert format_vnd(0) == "0 ₫"
    assert format_vnd(999.6) == "1.000 ₫"
    assert format_vnd(-25_000) == "-25.000 ₫"
    assert format_vnd(None) == ""


# --- issue 14.2: part by part, as ICU's `vi` collator compares each part --------------------------

def test_every_dung_comes_before_any_dung_with_a_tone_whatever_the_family_name():
    names = ["Nguyễn Dũng", "Trần Dung", "Bùi Dũng", "Lê Dung", "Âu Dụng", "Đỗ Văn Dung"]
    assert sort_people(names) == ["Lê Dung", "Trần Dung", "Đỗ Văn Dung", "Bùi Dũng", "Nguyễn Dũng",
                                  "Âu Dụng"]


def test_a_middle_name_is_compared_word_by_word():
    # The space inside "Thu Thảo" ranks before every letter: Thu < Thu Thảo < Thuỳ.
    assert sort_people(["Trần Thuỳ Linh", "Nguyễn Thu Thảo Linh"]) == [
        "Nguyễn Thu Thảo Linh", "Trần Thuỳ Linh"]
    assert sort_people(["Lê Thuỳ Linh", "Lê Thu Thảo Linh", "Lê Thu Linh"]) == [
        "Lê Thu Linh", "Lê Thu Thảo Linh", "Lê Thuỳ Linh"]


def test_tones_of_the_middle_name_decide_before_the_family_name():
    assert sort_people(["An Thị Hà", "Bùi Thi Hà"]) == ["Bùi Thi Hà", "An Thị Hà"]


def test_letter_case_decides_last():
    # Case only after every part: the family name decides here, not the lower-case "an".
    assert sort_people(["Trần Văn an", "nguyễn văn An"]) == ["nguyễn văn An", "Trần Văn an"]
    assert sort_people(["Lê An", "Lê an"]) == ["Lê an", "Lê An"]


def test_the_stored_key_fits_its_column_for_any_name_the_form_accepts():
    from eventhub.vietnamese import SORT_KEY_LENGTH, name_sort_string

    rng = random.Random(2)
    words = ["Nguyễn", "Thị", "Quý", "Trúc", "Đặng", "Hoàng", "Ưng", "Ngọc", "Ư", "A"]
    for _case in range(200):
        name = " ".join(rng.choice(words) for _ in range(60))[:200].strip()
        assert len(name_sort_string(name)) < SORT_KEY_LENGTH  # never cut for a 200-character name


def test_name_order_agrees_with_icu_vi_applied_part_by_part():
    """3,000 generated names (every tone, Đ/D, Ư/U, Ơ/Ô/O, Â/Ă/A, case, NFD, extra spaces): the tuple
    key and the stored string key both order them exactly as ICU's `vi` collator part by part."""
    from eventhub.vietnamese import name_sort_string
    from tests.support.icu_names import icu_key, icu_order, random_name

    rng = random.Random(1402)
    names = [random_name(rng) for _ in range(3000)]
    names += ["Nguyễn Dũng", "Trần Dung", "Bùi Dũng", "Lê Dung", "Trần Thuỳ Linh", "Nguyễn Thu Thảo Linh"]
    expected = icu_order(names)
    tuples = [name_sort_key(n)[:-1] for n in names]  # without the final tie-break by the text itself
    strings = [name_sort_string(n) for n in names]
    assert sorted(range(len(names)), key=lambda i: (tuples[i], i)) == expected
    assert sorted(range(len(names)), key=lambda i: (strings[i], i)) == expected
    # ...and tie exactly where ICU does (the same name, however typed), not more and not less.
    oracle = [icu_key(n) for n in names]
    for i, j in pairwise(expected):
        assert (oracle[i] == oracle[j]) == (tuples[i] == tuples[j]) == (strings[i] == strings[j]), (
            names[i], names[j])


# --- the Icelandic eth (ð/Ð) of text converted from old Vietnamese encodings is đ/Đ --------------------

ETH_NAME, D_NAME = "\u00d0\u1eb7ng V\u0103n \u00d0\u1ee9c", "\u0110\u1eb7ng V\u0103n \u0110\u1ee9c"


def test_a_name_written_with_eth_sorts_exactly_where_the_same_name_with_d_stroke_does():
    assert ETH_NAME != D_NAME and "Đ" not in ETH_NAME  # "Ðặng Văn Ðức" as an old converter wrote it
    assert name_sort_string(ETH_NAME) == name_sort_string(D_NAME)  # the stored key
    assert name_sort_key(ETH_NAME)[:-1] == name_sort_key(D_NAME)[:-1]  # all but the final tie-break
    assert name_sort_string(ETH_NAME.lower()) == name_sort_string(D_NAME.lower())
    # among the same neighbours, in the same place: given name Đức after every D, then middle, then family
    others = ["Lê Dung", "Trần Văn Dức", "Phạm Đức", "Lê Văn Đức", "Vũ Em", "Ngô Thị Đào", "Hồ Văn Duy"]
    for name in (ETH_NAME, D_NAME):
        assert sort_people([*others, name]) == ["Lê Dung", "Hồ Văn Duy", "Trần Văn Dức", "Ngô Thị Đào",
                                                "Phạm Đức", name, "Lê Văn Đức", "Vũ Em"]
    by_stored_key = sorted([*others, ETH_NAME], key=name_sort_string)
    assert by_stored_key == [ETH_NAME if n == D_NAME else n
                             for n in sorted([*others, D_NAME], key=name_sort_string)]


def test_search_folds_eth_as_d():
    assert fold(ETH_NAME) == fold(D_NAME) == "dang van duc"
    assert fold("ðức") == fold("đức") == "duc"
