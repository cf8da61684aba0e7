"""Exhibitor logos: checked to be a real image by its content (Pillow), re-encoded as PNG, stored."""

from __future__ import annotations

import io
import secrets

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from .. import storage
from ..errors import ValidationError

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4096 * 4096
FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
LOGO_SIDE = 512


def clean_logo(data: bytes) -> bytes:
    """PNG bytes of the logo, at most 512 px a side; ValidationError on `logo` for anything else."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError({"logo": [_("The logo may be at most %(n)d MB.", n=MAX_LOGO_BYTES // 2**20)]})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise ValueError(probe.format)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
            image.thumbnail((LOGO_SIDE, LOGO_SIDE))
            out = io.BytesIO()
            image.save(out, "PNG")
    except (UnidentifiedImageError, ValueError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"logo": [_("The logo must be a PNG, JPEG, GIF or WebP image.")]}) from exc
    return out.getvalue()


def store(event_id: int, exhibitor_id: int, png: bytes) -> str:
    return storage.put(f"booths/logos/{event_id}/{exhibitor_id}-{secrets.token_hex(6)}.png", png)


def load(key: str | None) -> bytes | None:
    if not key or not storage.exists(key):
        return None
    return storage.get(key)
