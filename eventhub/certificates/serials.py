"""Certificate serials: short, unguessable, and readable over the phone.

Twelve symbols from an alphabet without the look-alikes 0/O and 1/I/L (nor U, which Crockford's
base32 leaves out too), grouped `XXXX-XXXX-XXXX`: 30**12 ≈ 5·10**17 (59 bits) from `secrets`, so
serials cannot be guessed or enumerated. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_SIZE = 3, 4
LENGTH = GROUPS * GROUP_SIZE + GROUPS - 1  # 14 with the hyphens
# White space, hyphens and the dashes a phone's keyboard puts in their place (‐ ‑ ‒ – — ― −), dots.
_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212]+")


def new_serial() -> str:
    """A fresh random serial, e.g. `7KQ4-MZ2H-XR9D`."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))


def normalize_serial(text: str | None) -> str | None:
    """The canonical serial for what someone typed or read out (any case, spaces, hyphens or dashes
    anywhere, full-width letters of an Asian keyboard), or None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    symbols = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if len(symbols) != GROUPS * GROUP_SIZE or any(ch not in ALPHABET for ch in symbols):
        return None
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))
