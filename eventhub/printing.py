"""The shared WeasyPrint set-up: templates, fonts, stylesheets, a locked-down URL fetcher, merging.

- One `FontConfiguration` and the parsed stylesheets are kept per process (per thread, strictly:
  Pango's font maps are not meant to be shared between threads), which removes a quarter to a
  third of each document's fixed cost (performance.md). The @font-face fonts are loaded once, when
  the stylesheet is parsed.
- Documents get only plain data and are rendered with a sandboxed Jinja environment of their own.
- `StaticOnlyFetcher` serves files under the project's `static/` and `data:` URIs, and refuses
  everything else: no network (a template must not make the server call out), no `file://`
  elsewhere (a template must not embed /etc/passwd or the config as an image or attachment).
- Bulk documents are rendered in chunks and appended into one PDF with pypdf, so memory stays
  bounded whatever the number of pages; each chunk is appended as it comes (`PdfAppender`).
"""

from __future__ import annotations

import io
import logging
import mimetypes
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = ROOT / "static"
TEMPLATE_DIR = ROOT / "templates" / "print"
BASE_URL = STATIC_ROOT.resolve().as_uri() + "/"  # relative URLs in templates name static files


class RefusedURL(ValueError):
    """A document asked for something outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `data:` URIs and files under `root` (static/ by default); refuses every other URL."""

    def __init__(self, root: Path = STATIC_ROOT):
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            with DataHandler().data_open(Request(url)) as response:  # decoding only, no I/O
                return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
        if scheme == "file":
            path = self.local_path(url)
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetype})
        log.warning("Refused to fetch %r for a document: only static files are served", url[:200])
        raise RefusedURL(f"only static files may be used in documents: {url[:200]}")

    def local_path(self, url: str) -> Path:
        """The file under `root` that a file: URL names; RefusedURL for anything else."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"not a local file: {url[:200]}")
        path = Path(unquote(parts.path)).resolve()  # follows ../ and symbolic links
        if not path.is_relative_to(self.root) or not path.is_file():
            log.warning("Refused to read %s for a document: not a static file", path)
            raise RefusedURL(f"not a static file: {url[:200]}")
        return path


FETCHER = StaticOnlyFetcher()


@cache
def _jinja() -> SandboxedEnvironment:
    """Templates of printed documents: sandboxed, autoescaped, given plain data only."""
    return SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                auto_reload=False)


def render_html(template: str, **context) -> str:
    return _jinja().get_template(template).render(**context)


class _Resources:
    """What documents share within one process (thread): the fonts and the parsed stylesheets."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, CSS] = {}

    def stylesheet(self, name: str) -> CSS:
        css = self.stylesheets.get(name)
        if css is None:
            css = CSS(string=(TEMPLATE_DIR / name).read_text(encoding="utf-8"), base_url=BASE_URL,
                      url_fetcher=FETCHER, font_config=self.font_config)
            self.stylesheets[name] = css
        return css


_local = threading.local()


def _resources() -> _Resources:
    resources = getattr(_local, "resources", None)
    if resources is None:
        resources = _local.resources = _Resources()
    return resources


def release_resources() -> None:
    """Drops this thread's fonts and stylesheets now (their temporary font files go with them): a process
    calls it before it ends, so that Pango's objects are not left to the interpreter's teardown."""
    _local.__dict__.pop("resources", None)


def render_pdf(html: str, stylesheets: Iterable[str] = ()) -> bytes:
    """One PDF from an HTML string and stylesheets of templates/print/ (by file name)."""
    resources = _resources()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER)
    return document.write_pdf(stylesheets=[resources.stylesheet(name) for name in stylesheets],
                              font_config=resources.font_config)


class PdfAppender:
    """Appends PDFs (the chunks of a bulk document) into one, each as it comes: while worker processes
    render the next chunks, the parent merges this one, so that only the last chunk and writing the
    file are left after the last render. One PDF alone is returned as it is. `outline=False` for
    documents without headings (badges): pypdf then skips looking for bookmarks, a third of its
    appending time."""

    def __init__(self, *, outline: bool = True):
        self._outline = outline
        self._only: bytes | None = None
        self._writer: PdfWriter | None = None

    def append(self, pdf: bytes) -> None:
        if self._only is None and self._writer is None:
            self._only = pdf
            return
        if self._writer is None:
            self._writer = PdfWriter()
            self._add(self._only)
            self._only = None
        self._add(pdf)

    def _add(self, pdf: bytes) -> None:
        self._writer.append(PdfReader(io.BytesIO(pdf)), import_outline=self._outline)

    def getvalue(self) -> bytes:
        if self._only is not None:
            return self._only
        out = io.BytesIO()
        (self._writer or PdfWriter()).write(out)
        return out.getvalue()
