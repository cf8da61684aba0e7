"""Certificates as PDFs: a sandboxed template over plain data, then WeasyPrint with a fetcher that
serves only this event's uploaded images (`asset:NAME`), `data:` URIs and the project's `static/`.

Pure of Flask and the database: a `Layout` carries the template and the bytes of its images, so
worker processes can render without either. A batch of certificates is laid out as one document,
one A4 landscape page each (page i is certificate i), written once as the print file of the batch
and split into one PDF per person.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

import segno
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from ..printing import BASE_URL, RefusedURL, StaticOnlyFetcher
from . import sandbox

log = logging.getLogger(__name__)
QR_SCALE = 6
MAX_ELEMENTS = 1_000  # HTML elements of one certificate (the default template has 17)
MAX_DEPTH = 64  # how deep they may nest (the default template: 3)
DEFAULT_BACKGROUND = "img/certificates/background.png"  # under static/

# The page and the fonts; an organizer's CSS comes after it and may restyle everything but the page.
BASE_CSS = """
@font-face { font-family: "EventHub Sans"; src: url("vendor/fonts/DejaVuSans.ttf"); font-weight: normal; }
@font-face { font-family: "EventHub Sans"; src: url("vendor/fonts/DejaVuSans-Bold.ttf"); font-weight: bold; }
@page { size: A4 landscape; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "EventHub Sans"; color: #1a1a1a; }
.eh-certificate { position: relative; width: 297mm; height: 210mm; overflow: hidden;
                  page-break-after: always; break-inside: avoid; }
.eh-certificate:last-child { page-break-after: auto; }
"""
_PAGE_LOCK = "\n@page { size: A4 landscape; margin: 0; }\n"


@dataclass(frozen=True)
class Asset:
    name: str
    mimetype: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Layout:
    """What a certificate is printed from: the template, its CSS and the event's images."""

    html: str
    css: str = ""
    locale: str = "vi"
    assets: tuple[Asset, ...] = ()
    background: str | None = None  # an asset name
    signatures: tuple[str, ...] = ()
    signer_name: str = ""  # who signs for the organizers, and their title (the template's fields)
    signer_title: str = ""

    @property
    def key(self) -> str:
        digest = hashlib.sha256()
        for part in (
            self.css,
            *(f"{a.name}:{a.mimetype}:{hashlib.sha256(a.data).hexdigest()}" for a in self.assets),
        ):
            digest.update(part.encode())
        return digest.hexdigest()


class CertificateFetcher(StaticOnlyFetcher):
    """`asset:NAME` from the layout's images, `data:` URIs, files under static/; nothing else.

    Every refused URL is remembered, so that the preview can say what was left out."""

    def __init__(self, assets: tuple[Asset, ...] = ()):
        super().__init__()
        self.assets = {a.name: a for a in assets}
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.split(":", 1)[0].lower() == "asset":
            asset = self.assets.get(unquote(url.split(":", 1)[1]).lstrip("/"))
            if asset is not None:
                return URLFetcherResponse(url, asset.data, {"Content-Type": asset.mimetype})
            self.refused.append(url[:200])
            raise RefusedURL(f"no such image of this event: {url[:200]}")
        try:
            return super().fetch(url, headers)
        except RefusedURL:
            self.refused.append(url[:200])
            raise

    def __call__(self, url, *args, **kwargs):  # older WeasyPrint calls the fetcher as a function
        return self.fetch(url)


def qr_data_uri(url: str) -> str:
    # make_qr, not make: phones' scanners cannot read the Micro QR that `make` may choose.
    return segno.make_qr(url, error="m").png_data_uri(scale=QR_SCALE, border=0)


def view(layout: Layout, data: dict) -> dict:
    """The placeholders of one certificate: its plain data, the QR of its verification page, the
    images' URLs. Missing optional values are empty, never undefined."""
    values = {name: "" for name in sandbox.PLACEHOLDERS}
    values.update(sessions=[], contests=[], signatures=[])
    values.update({k: v for k, v in data.items() if k in sandbox.PLACEHOLDERS})
    values["locale"] = layout.locale
    values["qr"] = qr_data_uri(data["verify_url"]) if data.get("verify_url") else ""
    values["background"] = f"asset:{layout.background}" if layout.background else DEFAULT_BACKGROUND
    values["signatures"] = [f"asset:{name}" for name in layout.signatures]
    values["signer_name"], values["signer_title"] = layout.signer_name, layout.signer_title
    return values


def certificate_html(layout: Layout, certificates: list[dict]) -> str:
    """One HTML document with a page per certificate (plain data each)."""
    pages = []
    for data in certificates:
        try:
            pages.append(sandbox.render(layout.html, view(layout, data)))
        except sandbox.TemplateRefused as exc:
            raise _of_holder(exc, data) from exc
    body = "".join(f'<section class="eh-certificate">{page}</section>' for page in pages)
    return (
        f'<!doctype html><html lang="{Markup.escape(layout.locale)}"><head><meta charset="utf-8">'
        f"</head><body>{body}</body></html>"
    )


class _Resources:
    """Per process (thread): the fonts, the base stylesheet, and per layout its parsed stylesheet with
    the fetcher it was parsed with (which then serves the document too, and collects its refusals)."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.base = CSS(
            string=BASE_CSS, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(), font_config=self.font_config
        )
        self.sheets: dict[str, tuple[CSS, CertificateFetcher, list[str]]] = {}

    def sheet(self, layout: Layout) -> tuple[CSS, CertificateFetcher]:
        found = self.sheets.get(layout.key)
        if found is None:
            if len(self.sheets) > 16:
                self.sheets.clear()
            fetcher = CertificateFetcher(layout.assets)
            css = CSS(
                string=layout.css + _PAGE_LOCK,
                base_url=BASE_URL,
                url_fetcher=fetcher,
                font_config=self.font_config,
            )
            self.sheets[layout.key] = (css, fetcher, list(fetcher.refused))  # what @import lost
            return css, fetcher
        css, fetcher, lost_when_parsed = found
        fetcher.refused = list(lost_when_parsed)
        return css, fetcher


_local = threading.local()


def _resources() -> _Resources:
    found = getattr(_local, "resources", None)
    if found is None:
        found = _local.resources = _Resources()
    return found


@dataclass
class Rendered:
    pdf: bytes  # every certificate of the batch
    one_page_each: bool  # page i is certificate i (else a template spilled over)
    refused: list[str]  # URLs the template asked for and did not get


def _of_holder(exc: sandbox.TemplateRefused, data: dict) -> sandbox.TemplateRefused:
    """The same refusal, saying whose certificate it was (a job prints many)."""
    holder = str(data.get("holder_name") or "")[:200] or None
    return sandbox.TemplateRefused([replace(p, holder=p.holder or holder) for p in exc.problems])


def check_tree(root, certificates: list[dict]) -> None:
    """Refuses, before WeasyPrint lays it out, a certificate of more than MAX_ELEMENTS elements or
    nested deeper than MAX_DEPTH: layout costs about 2 ms an element, and WeasyPrint recurses once
    per level (RecursionError from about 200 levels)."""
    body = root.find("body")
    sections = [child for child in body] if body is not None else []
    for index, section in enumerate(sections):
        count, stack = 0, [(section, 1)]
        while stack:
            element, depth = stack.pop()
            count += 1
            if depth > MAX_DEPTH or count > MAX_ELEMENTS:
                kind, message = (sandbox.TOO_DEEP, f"elements may be nested at most {MAX_DEPTH} deep")
                if depth <= MAX_DEPTH:
                    kind, message = (sandbox.TOO_MANY_ELEMENTS, f"at most {MAX_ELEMENTS} elements")
                data = certificates[index] if index < len(certificates) else {}
                raise _of_holder(sandbox.TemplateRefused([sandbox.Problem(message, kind=kind)]), data)
            stack.extend((child, depth + 1) for child in element)


def render_batch(layout: Layout, certificates: list[dict]) -> Rendered:
    """The PDF of these certificates; TemplateRefused for a template that cannot be rendered."""
    resources = _resources()
    html = certificate_html(layout, certificates)
    sheet, fetcher = resources.sheet(layout)
    parsed = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    check_tree(parsed.etree_element, certificates)
    document = parsed.render(stylesheets=[resources.base, sheet], font_config=resources.font_config)
    return Rendered(document.write_pdf(), len(document.pages) == len(certificates), fetcher.refused)


def first_page_text(pdf: bytes) -> str:
    """The text printed within the first page, white space collapsed (text placed off the page, and
    so clipped away, is left out). pypdf, a runtime dependency, reads it."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    box = page.mediabox
    left, bottom, right, top = float(box.left), float(box.bottom), float(box.right), float(box.top)
    parts: list[str] = []

    def visit(text, cm, tm, _font, _size):
        # Where the text starts on the page: its text matrix, then the current transformation.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        parts.append(text if left <= x <= right and bottom <= y <= top else " ")

    page.extract_text(visitor_text=visit)
    return " ".join("".join(parts).split())


def page_of(pdf: bytes, index: int) -> bytes:
    """Page `index` (0-based) of a PDF as a PDF of its own."""
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(pdf)).pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
