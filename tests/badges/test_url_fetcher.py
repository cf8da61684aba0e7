"""Documents may use the project's static files and data: URIs, nothing else: no network, no other file."""

from __future__ import annotations

import io
import socket

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from eventhub import printing as rendering
from eventhub.printing import BASE_URL, FETCHER, RefusedURL
from tests.support.pdf import page_image


@pytest.fixture
def no_network(monkeypatch):
    """Records every attempt to open a connection, and stops it."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the test forbids network access")

    monkeypatch.setattr(socket.socket, "connect", lambda self, *a, **k: refuse(*a, **k))
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def red_png(tmp_path):
    """A red image outside static/: what a template must not be able to pull in."""
    path = tmp_path / "secret-red.png"
    Image.new("RGB", (40, 40), (255, 0, 0)).save(path)
    return path


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.com/logo.png",
    "ftp://example.com/x",
    "file://example.com/etc/passwd",
    BASE_URL + "../eventhub/config.py",
    BASE_URL + "vendor/../../pyproject.toml",
    BASE_URL + "%2e%2e/pyproject.toml",
    BASE_URL + "vendor/fonts/no-such-font.ttf",
    "javascript:alert(1)",
])
def test_the_fetcher_refuses_anything_but_static_files(url, no_network):
    with pytest.raises(RefusedURL):
        FETCHER.fetch(url)
    assert no_network == []


def test_the_fetcher_serves_static_files_and_data_uris():
    font = FETCHER.fetch(BASE_URL + "vendor/fonts/DejaVuSans.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert FETCHER.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


def _hostile_html(red_png) -> str:
    return f"""<!doctype html><html><head>
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{red_png.as_uri()}">
      <link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
      <style>@import url("http://127.0.0.1:9/more.css");
             body {{ background: url("{red_png.as_uri()}") no-repeat; margin: 0 }}</style>
      </head><body>
      <p>Hello</p>
      <img src="{red_png.as_uri()}" style="width: 50mm; height: 50mm">
      <img src="http://127.0.0.1:9/tracker.png" style="width: 50mm; height: 50mm">
      <img src="file:///etc/passwd">
      </body></html>"""


def _red_share(image: Image.Image) -> float:
    data = image.tobytes()
    pixels = [data[i:i + 3] for i in range(0, len(data), 3)]
    return sum(1 for r, g, b in pixels if r > 200 and g < 80 and b < 80) / len(pixels)


def test_a_hostile_template_gets_none_of_what_it_asks_for(red_png, no_network, tmp_path):
    pdf = rendering.render_pdf(_hostile_html(red_png))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert all(not page.images for page in reader.pages)
    assert "Hello" in reader.pages[0].extract_text()
    assert _red_share(page_image(pdf, tmp_path, page=1, dpi=50)) == 0
    assert no_network == []


def test_without_the_fetcher_the_same_template_would_leak(red_png, tmp_path, no_network):
    """The control: WeasyPrint's own fetcher embeds the files, so the test above can see a leak."""
    pdf = HTML(string=_hostile_html(red_png), base_url=BASE_URL).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert "passwd" in reader.attachments
    assert any(page.images for page in reader.pages)
    assert _red_share(page_image(pdf, tmp_path, page=1, dpi=50)) > 0.01
