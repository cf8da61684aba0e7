"""The Vietnamese helpers: name order, collation, search folding, phones, money."""

import random

import pytest

from eventhub.vietnamese import (
    InvalidPhone,
    fold,
    format_phone,
    format_vnd,
    name_sort_key,
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
