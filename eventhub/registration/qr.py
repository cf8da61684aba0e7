"""QR codes of ticket codes, as SVG for pages and PNG for e-mails."""

from __future__ import annotations

import io

import segno


def _qr(data: str) -> segno.QRCode:
    # make_qr, not make: phones' scanners cannot read the Micro QR that `make` may choose.
    return segno.make_qr(data, error="m")


def qr_svg_data_uri(data: str, scale: int = 6) -> str:
    return _qr(data).svg_data_uri(scale=scale, border=2)


def qr_png(data: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    _qr(data).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
