"""Badges: reading PDFs back (text, pages, images) and the people who act on them."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from eventhub import assets
from eventhub.printing import STATIC_ROOT
from tests.factories import make_type, make_user, open_event, register

NFC_NAME = "Nguyễn Thị Quý Trúc"
# 19 words, 93 characters: a name that must shrink and wrap to stay on its badge.
LONG_NAME = ("Công Tằng Tôn Nữ Thị Hoàng Yến Phương Thảo Nguyễn Ngọc Bảo Châu Trần Lê Khánh Huyền "
             "Đặng Thùy Dương")


@pytest.fixture(scope="session", autouse=True)
def _vendored_fonts():
    """The set-up step (`python -m eventhub.assets`) that puts the PDF fonts under static/."""
    if not (STATIC_ROOT / "vendor" / "fonts" / "DejaVuSans-Bold.ttf").is_file():
        assets.install()


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(pdf: bytes) -> list[dict]:
    """Per page: its size in pt, its text (white space collapsed) and its characters."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [{"width": float(page.width), "height": float(page.height),
                 "text": collapse(page.extract_text() or ""), "chars": list(page.chars)}
                for page in document.pages]


def badge_texts(pdf: bytes, layout: str) -> list[str]:
    """The text of every badge (white space collapsed), in order; only characters wholly inside it."""
    mm = 72 / 25.4
    texts = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            if layout == "a6":
                cells = [(0, 0, float(page.width), float(page.height))]
            else:
                cells = [(x * 105 * mm, (0.5 + y * 148) * mm, (x + 1) * 105 * mm, (0.5 + (y + 1) * 148) * mm)
                         for y in (0, 1) for x in (0, 1)]
            for cell in cells:
                text = collapse(page.within_bbox(cell).extract_text() or "")
                if text:
                    texts.append(text)
    return texts


def page_image(pdf: bytes, page: int, tmp_path: Path, dpi: int = 50) -> Image.Image:
    """Page `page` (1-based) rendered by poppler's pdftoppm."""
    source = tmp_path / f"doc-{page}.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / f"page-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(source), str(prefix)], check=True, capture_output=True, timeout=60)
    return Image.open(f"{prefix}.png").convert("RGB")


@pytest.fixture
def event(db):
    return open_event(slug="badge-day", name="Ngày hội Khởi nghiệp Sáng tạo 2026")


@pytest.fixture
def visitor_type(event):
    return make_type(event, code="visitor", name="Khách tham quan")


@pytest.fixture
def investor_type(event):
    return make_type(event, code="investor", name="Nhà đầu tư")


@pytest.fixture
def confirmed(event, visitor_type):
    """A confirmed registration and its manage token."""
    return register(event, visitor_type, full_name=NFC_NAME, organization="Công ty Sáng tạo Sài Gòn",
                    notify=False)


@pytest.fixture
def organizer(db):
    return make_user("organizer")


@pytest.fixture
def staff(db):
    return make_user("staff")
