"""What a badge looks like: its text read back, its pages, the band's colour and the QR code's modules."""

from __future__ import annotations

import math
import unicodedata

import pytest
import segno

from eventhub.badges import services as badges
from eventhub.badges.fitting import MM, Box, fitting_size, lines_needed
from eventhub.registration.tickets import grouped_ticket_code
from tests.factories import register
from tests.support.pdf import badge_texts, page_image, pdf_pages

from .helpers import LONG_NAME, NFC_NAME

A6 = (105 * MM, 148 * MM)
A4 = (210 * MM, 297 * MM)
MARGIN = 7 * MM  # badge.css: texts keep 7 mm from the badge's sides
TICKET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _badge(full_name: str = NFC_NAME, *, colour: str = badges.PALETTE[0], type_name: str = "Khách tham quan",
           organization: str = "Công ty Sáng tạo Sài Gòn", ticket_code: str = TICKET) -> dict[str, str]:
    return badges.badge_data(full_name=full_name, organization=organization, type_name=type_name,
                             type_code="visitor", ticket_code=ticket_code, colour=colour,
                             event_name="Ngày hội Khởi nghiệp Sáng tạo 2026", event_dates="14/12/2026")


def _size(page) -> tuple[float, float]:
    return page["width"], page["height"]


def _assert_size(page, expected) -> None:
    assert _size(page) == pytest.approx(expected, abs=0.5)


# --- text ------------------------------------------------------------------------------------------

def test_the_badge_of_a_registration_reads_back_its_name_and_details(event, visitor_type):
    decomposed = unicodedata.normalize("NFD", NFC_NAME)
    assert decomposed != NFC_NAME
    reg, _token = register(event, visitor_type, full_name=decomposed, organization="Công ty Sáng tạo Sài Gòn",
                           notify=False)
    pages = pdf_pages(badges.registration_badge_pdf(reg))
    assert len(pages) == 1
    _assert_size(pages[0], A6)
    text = pages[0]["text"]
    assert NFC_NAME in text  # composed (NFC), exactly as typed
    for expected in ("Công ty Sáng tạo Sài Gòn", "Khách tham quan", "Ngày hội Khởi nghiệp Sáng tạo 2026",
                     "14/12/2026", grouped_ticket_code(reg.ticket_code)):
        assert expected in text, expected


def test_the_fonts_are_the_vendored_ones_embedded_by_font_face():
    pages = pdf_pages(badges.render_badges([_badge()], "a6"))
    fonts = {char["fontname"].split("+", 1)[-1] for char in pages[0]["chars"]}
    # "EventHub Sans" is the @font-face family of badge.css, loaded from static/vendor/fonts; had the
    # files been missing, fontconfig would have substituted a system font under its own name.
    assert fonts == {"EventHub-Sans", "EventHub-Sans-Bold"}


@pytest.mark.parametrize("layout", badges.LAYOUTS)
@pytest.mark.parametrize("name", [NFC_NAME, LONG_NAME, "Hoàng" * 30], ids=["usual", "long", "one-long-word"])
def test_every_name_is_all_there_within_its_badge(layout, name):
    pdf = badges.render_badges([_badge(name)] * 4, layout)
    page = pdf_pages(pdf)[0]
    badge_width = page["width"] if layout == "a6" else page["width"] / 2
    cells = 1 if layout == "a6" else 4
    for cell in range(cells):
        left = (cell % 2) * badge_width
        top = (cell // 2) * 148.5 * MM if layout == "a4-4up" else 0
        chars = [c for c in page["chars"]
                 if top <= c["top"] < top + 148 * MM and left <= c["x0"] < left + badge_width]
        text = "".join(c["text"] for c in chars)
        assert "".join(name.split()) in "".join(text.split())  # every letter, in order
        # Every text of the badge, the name first of all, keeps within the badge's margins.
        assert min(c["x0"] for c in chars) >= left + MARGIN - 1
        assert max(c["x1"] for c in chars) <= left + badge_width - MARGIN + 1
        assert max(c["x1"] for c in page["chars"]) <= page["width"]
    if " " in name:  # wrapped between words only: with white space collapsed, it reads back as it is
        assert all(name in text for text in badge_texts(pdf, layout))


@pytest.mark.parametrize("name", ["Lê An", NFC_NAME, LONG_NAME])
def test_the_name_is_centred_in_its_box_and_the_label_in_the_band(name):
    page = pdf_pages(badges.render_badges([_badge(name, type_name="Nhà đầu tư")], "a6"))[0]
    person = [c for c in page["chars"] if c["top"] >= 25 * MM and c["bottom"] <= 75 * MM]
    assert "".join(name.split()) in "".join("".join(c["text"] for c in person).split())
    middle = (min(c["top"] for c in person) + max(c["bottom"] for c in person)) / 2
    assert middle == pytest.approx(50 * MM, abs=2 * MM)  # the box runs from 25 to 75 mm
    label = [c for c in page["chars"] if c["top"] >= 126 * MM]
    assert "".join("".join(c["text"] for c in label).split()) == "Nhàđầutư"
    middle = (min(c["top"] for c in label) + max(c["bottom"] for c in label)) / 2
    assert middle == pytest.approx(137 * MM, abs=1.5 * MM)  # the band runs from 126 to 148 mm


def test_a_long_name_shrinks_and_a_short_one_stays_large():
    short = badges.badge_view(_badge("Lê An"))["name_pt"]
    usual = badges.badge_view(_badge(NFC_NAME))["name_pt"]
    long = badges.badge_view(_badge(LONG_NAME))["name_pt"]
    assert short == badges.NAME_BOX.sizes[0]
    assert short >= usual > long


def test_fitting_counts_lines_with_the_fonts_widths():
    assert lines_needed("Lê An", badges.BOLD, 20, 200)[0] == 1
    lines, whole_words = lines_needed(LONG_NAME, badges.BOLD, 20, 200)
    assert lines >= 5 and whole_words
    assert lines_needed("W" * 40, badges.BOLD, 20, 200) == (pytest.approx(4, abs=1), False)
    box = Box(width=200, height=60, sizes=(30, 20, 10))
    assert fitting_size("Lê An", badges.BOLD, box) == 30
    assert fitting_size(LONG_NAME, badges.BOLD, box) == 10
    # "i" is narrow and "W" wide: as many letters, not as much room.
    assert fitting_size("i" * 20, badges.BOLD, box) > fitting_size("W" * 20, badges.BOLD, box)


# --- pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 4, 5, 9])
def test_a6_is_a_badge_a_page_and_a4_four_a_sheet(n):
    names = [f"Nguyễn Văn Số {i}" for i in range(n)]
    a6 = pdf_pages(badges.render_badges([_badge(name) for name in names], "a6"))
    assert len(a6) == n
    for page, name in zip(a6, names, strict=True):
        _assert_size(page, A6)
        assert name in page["text"]
    four_up = badges.render_badges([_badge(name) for name in names], "a4-4up")
    sheets = pdf_pages(four_up)
    assert len(sheets) == math.ceil(n / 4)
    for page in sheets:
        _assert_size(page, A4)
    texts = badge_texts(four_up, "a4-4up")  # left to right, then top to bottom
    assert len(texts) == n
    assert all(name in text for name, text in zip(names, texts, strict=True))


# --- the picture -----------------------------------------------------------------------------------

def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _region(image, left_mm, top_mm, right_mm, bottom_mm, dpi):
    box = (_px(left_mm, dpi), _px(top_mm, dpi), _px(right_mm, dpi), _px(bottom_mm, dpi))
    data = image.crop(box).tobytes()  # RGB
    return [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]


def _mean(pixels) -> tuple[float, float, float]:
    return tuple(sum(p[i] for p in pixels) / len(pixels) for i in range(3))


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _dark_share(pixels) -> float:
    return sum(1 for p in pixels if sum(p) < 3 * 100) / len(pixels)


def _check_badge_picture(image, left_mm, top_mm, colour, dpi=50):
    """The band (bottom 22 mm) has the type's colour; the QR code's square has dark modules."""
    band = _region(image, left_mm + 1, top_mm + 128, left_mm + 6, top_mm + 146, dpi)  # left of the label
    assert _mean(band) == pytest.approx(_rgb(colour), abs=12)
    qr = _region(image, left_mm + 34.5, top_mm + 78, left_mm + 70.5, top_mm + 114, dpi)
    assert 0.3 < _dark_share(qr) < 0.7
    beside_qr = _region(image, left_mm + 8, top_mm + 80, left_mm + 30, top_mm + 112, dpi)
    assert _dark_share(beside_qr) == 0
    above_band = _region(image, left_mm + 1, top_mm + 119, left_mm + 30, top_mm + 125, dpi)
    assert _mean(above_band) == pytest.approx((255, 255, 255), abs=3)


def test_an_a6_page_has_the_band_in_its_types_colour_and_the_qr_code(tmp_path):
    pdf = badges.render_badges([_badge(colour=badges.PALETTE[0]), _badge(colour=badges.PALETTE[2])], "a6")
    _check_badge_picture(page_image(pdf, tmp_path, page=1, dpi=50), 0, 0, badges.PALETTE[0])
    _check_badge_picture(page_image(pdf, tmp_path, page=2, dpi=50), 0, 0, badges.PALETTE[2])


def test_an_a4_sheet_has_four_badges_in_their_places_and_cut_marks(tmp_path):
    colours = badges.PALETTE[:4]
    pdf = badges.render_badges([_badge(colour=c) for c in colours], "a4-4up")
    image = page_image(pdf, tmp_path, page=1, dpi=50)
    for index, colour in enumerate(colours):
        _check_badge_picture(image, (index % 2) * 105, 0.5 + (index // 2) * 148, colour)
    fine = page_image(pdf, tmp_path, page=1, dpi=300).convert("L")
    x_cut, y_cut = _px(105, 300), _px(148.5, 300)
    # On the cut lines: at the top edge, the left edge, and the centre cross.
    for x, y in [(x_cut, _px(2, 300)), (_px(2, 300), y_cut), (x_cut, _px(150.5, 300))]:
        assert min(fine.getpixel((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 160, (x, y)
    # and nothing of the sort beside them.
    assert fine.getpixel((x_cut + 30, _px(2, 300))) > 240


def test_the_qr_code_on_the_badge_is_the_ticket_code(event, visitor_type, tmp_path):
    reg, _token = register(event, visitor_type, full_name=NFC_NAME, notify=False)
    dpi = 300
    image = page_image(badges.registration_badge_pdf(reg), tmp_path, page=1, dpi=dpi).convert("L")
    matrix = segno.make_qr(reg.ticket_code, error="m").matrix
    size = len(matrix)
    module = 38 / size  # mm: the QR code fills its 38 mm square, no border inside the image
    wrong = 0
    for row in range(size):
        for col in range(size):
            x = _px(33.5 + (col + 0.5) * module, dpi)
            y = _px(77 + (row + 0.5) * module, dpi)
            dark = image.getpixel((x, y)) < 128
            wrong += dark != bool(matrix[row][col])
    assert wrong == 0
    # Printed under the QR code in groups of four, to be read out (the QR code holds the code itself).
    assert grouped_ticket_code(reg.ticket_code) in pdf_pages(badges.registration_badge_pdf(reg))[0]["text"]
