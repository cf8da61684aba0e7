"""A message's subject as organizers read it on their pages: each placeholder ({{ name }}) shown as a short
label of what it becomes ("‹recipient's name›"), not as template code. The compose page's PLACEHOLDER_LABELS
explain each placeholder in a sentence; these are short enough to stand inside a subject line."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

CHIP_LABELS = {
    "name": _l("recipient's name"),
    "event": _l("event name"),
    "event_dates": _l("event dates"),
    "venue": _l("event venue"),
    "manage_link": _l("link to their registration"),
    "ticket": _l("ticket code"),
    "booth": _l("booth code"),
    "meetings": _l("their meetings"),
    "lost_link": _l("lost-link form"),
}
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


def _label(match: re.Match) -> str | None:
    label = CHIP_LABELS.get(match.group(1))
    return f"‹{label}›" if label is not None else None


def placeholder_words(text: str | None) -> str:
    """Plain text (a page's <title>, a breadcrumb): "Cảm ơn ‹tên người nhận› đã chấm thi"."""
    return _PLACEHOLDER.sub(lambda m: _label(m) or m.group(0), text or "")


def placeholder_chips(text: str | None) -> Markup:
    """HTML: the same words, each placeholder a chip (escaped; an unknown name is left as written)."""
    parts, last = [], 0
    text = text or ""
    for match in _PLACEHOLDER.finditer(text):
        label = _label(match)
        if label is None:
            continue
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup('<span class="placeholder-chip">{}</span>').format(label))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
