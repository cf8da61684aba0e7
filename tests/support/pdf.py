"""Reading PDFs back as a person would see them: text per page, characters, images, rendered pages."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pdfplumber
from PIL import Image
from pypdf import PdfReader

from eventhub import assets
from eventhub.printing import STATIC_ROOT


def install_fonts() -> None:
    """The set-up step (`python -m eventhub.assets`) that puts the PDF fonts under static/, if not done."""
    if not (STATIC_ROOT / "vendor" / "fonts" / "DejaVuSans-Bold.ttf").is_file():
        assets.install()


def collapse(text: str) -> str:
    """White space collapsed to single spaces, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page, white space collapsed."""
    return [collapse(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


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


def pdf_images(pdf: bytes, page: int = 0) -> list:
    """The images embedded in page `page` (0-based)."""
    return list(PdfReader(io.BytesIO(pdf)).pages[page].images)


def page_image(pdf: bytes, tmp_path: Path, page: int = 1, dpi: int = 30) -> Image.Image:
    """Page `page` (1-based) rendered by poppler's pdftoppm."""
    source = tmp_path / f"doc-{page}.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / f"page-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(source), str(prefix)], check=True, capture_output=True, timeout=60)
    return Image.open(f"{prefix}.png").convert("RGB")


def png_bytes(size=(40, 30), colour=(20, 52, 107)) -> bytes:
    """A small PNG of one colour."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()
