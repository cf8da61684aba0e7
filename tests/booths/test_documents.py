"""Printed booth documents read back: Vietnamese diacritics survive."""

from __future__ import annotations

import io

import pdfplumber
from pypdf import PdfReader

from eventhub.booths import queries
from eventhub.booths.allocation import assign_booths, place
from eventhub.booths.models import Booth
from eventhub.booths.services import review
from tests.booths.factories import apply, hall_event


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)


def test_booth_sign_is_one_a4_page_with_the_exhibitor(client, db):
    event = hall_event(name="Tuần lễ Đổi mới sáng tạo và Khởi nghiệp")
    exhibitor = apply(event, organization="Công ty CP Nguyễn Thị Quý Trúc Đồng Tháp", sector="agritech")
    review(exhibitor, "approve")
    place(event, db.session.scalar(db.select(Booth).filter_by(event_id=event.id, code="B1")), exhibitor)
    response = client.get(f"/events/{event.slug}/booths/B1/sign.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 portrait
    text = _text(response.data)
    assert "B1" in text and "Công ty CP Nguyễn Thị Quý Trúc Đồng Tháp" in text
    assert "Tuần lễ Đổi mới sáng tạo và Khởi nghiệp" in text
    assert client.get(f"/events/{event.slug}/booths/ZZ/sign.pdf").status_code == 404


def test_a_free_booth_sign_says_so(client, db):
    event = hall_event()
    assert client.get(f"/events/{event.slug}/booths/A1/sign.pdf").status_code == 200


def test_exhibitor_list_in_vietnamese_order_with_booths(client, db):
    event = hall_event()
    names = ["Công ty CP Đại Dương Tech", "Công ty CP Ánh Dương Edu", "Công ty CP Bình Minh Pay"]
    for name in names:
        review(apply(event, organization=name), "approve")
    apply(event, organization="Công ty CP Không Được Duyệt")  # submitted only: not listed
    assign_booths(event)
    response = client.get(f"/events/{event.slug}/exhibitors.pdf")
    assert response.status_code == 200
    text = _text(response.data)
    positions = [text.index(name) for name in
                 ["Công ty CP Ánh Dương Edu", "Công ty CP Bình Minh Pay", "Công ty CP Đại Dương Tech"]]
    assert positions == sorted(positions)  # a < b < … d < đ
    assert "Không Được Duyệt" not in text
    placed = queries.placements_by_exhibitor(event)
    for exhibitor in queries.directory(event):
        assert f"{placed[exhibitor.id][0].code} {exhibitor.organization}" in text  # a row: booth, name
