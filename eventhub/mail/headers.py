"""Header folding that keeps every space of a Vietnamese subject or display name.

The standard library's default policy (Python 3.11–3.12 at least) folds a long non-ASCII header at a
space and leaves that space *between* two RFC 2047 encoded words, where RFC 2047 §6.2 tells every mail
program to drop it: "…sáng tạo và Khởi nghiệp…" arrives as "…sáng tạo vàKhởi nghiệp…". `MAIL_POLICY` is
the default policy with one change: a header that needs encoded words is written as a run of UTF-8
encoded words that carry the spaces inside them, folded only between words (where nothing is lost).
Everything else – ASCII headers, MIME parameters, parsing – is the default policy's own.
"""

from __future__ import annotations

import base64
import unicodedata
from email.headerregistry import AddressHeader, UnstructuredHeader
from email.policy import EmailPolicy

LINE = 76            # RFC 2047 §2: a line holding an encoded word is at most 76 characters
WORD = 75            # … and an encoded word is at most 75
PREFIX, SUFFIX = "=?utf-8?b?", "?="
ATEXT = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/^_`{|}~")  # no = ?


def _needs_words(text: str) -> bool:
    """True when a text cannot travel as plain ASCII header text and come back identical."""
    return (not text.isascii() or "=?" in text or text != " ".join(text.split())
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in text))


def _encoded_len(data: bytes) -> int:
    return len(PREFIX) + 4 * ((len(data) + 2) // 3) + len(SUFFIX)


def _clusters(text: str) -> list[str]:
    """Letters with their combining marks (NFD input): a mark never starts the next encoded word."""
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _encoded_words(text: str, first_room: int) -> list[str]:
    """`text` as base64 encoded words, each a whole number of characters; the first fits `first_room`."""
    words: list[str] = []
    room = first_room
    chunk = b""
    for cluster in _clusters(text):
        piece = cluster.encode("utf-8")
        if chunk and _encoded_len(chunk + piece) > min(room, WORD):
            words.append(PREFIX + base64.b64encode(chunk).decode("ascii") + SUFFIX)
            room, chunk = LINE - 1, b""  # the next word starts a continuation line after one space
        chunk += piece
    if chunk or not words:
        words.append(PREFIX + base64.b64encode(chunk).decode("ascii") + SUFFIX)
    return words


def _fold_tokens(name: str, tokens: list[str], linesep: str) -> str:
    """Joins tokens with single spaces, starting a new line wherever the next would pass LINE."""
    lines = [f"{name}:"]
    for token in tokens:
        if len(lines[-1]) + 1 + len(token) > LINE and lines[-1] != f"{name}:":
            lines.append("")
        lines[-1] += " " + token
    return linesep.join(lines) + linesep


def _plain_word(word: str) -> bool:
    return bool(word) and word.isascii() and "=?" not in word and all(ch in ATEXT for ch in word)


def _phrase_tokens(text: str, first_room: int) -> list[str]:
    """A display name as encoded words (spaces inside them, as RFC 2047 wants) and plain ASCII words.

    A name that fits one encoded word (every person's name, up to ~45 bytes) is one word. A longer
    one is cut at its plain ASCII words ("Ban", "TP.HCM" stay as they are): there both RFC 2047 mail
    programs and the standard library's parser keep the space. Only a run of accented words longer
    than one encoded word is cut inside: mail programs join the pieces exactly; Python 3.11's phrase
    parser (unlike its subject parser) then shows a space there – its own deviation from RFC 2047.
    """
    words = _encoded_words(text, first_room)
    if len(words) == 1 or text != " ".join(text.split()):
        return words
    tokens: list[str] = []
    run: list[str] = []
    for word in [*text.split(" "), None]:
        if word is not None and not _plain_word(word):
            run.append(word)
            continue
        if run:
            room = first_room if not tokens else LINE - 1
            tokens.extend(_encoded_words(" ".join(run), room))
            run = []
        if word is not None:
            tokens.append(word)
    return tokens


def _address_tokens(name: str, header: AddressHeader) -> list[str] | None:
    """Tokens of an address list whose display names need encoded words; None to leave it as it is."""
    if any(group.display_name is not None for group in header.groups):
        return None  # named groups ("Undisclosed recipients:;"): the default folding is right
    addresses = header.addresses
    if not any(a.display_name and _needs_words(a.display_name) for a in addresses):
        return None
    if not all(a.addr_spec.isascii() for a in addresses):
        return None  # an internationalized mailbox needs SMTPUTF8: the default policy's utf8 mode
    tokens: list[str] = []
    for index, address in enumerate(addresses):
        comma = "," if index < len(addresses) - 1 else ""
        if not address.display_name:
            tokens.append(address.addr_spec + comma)
            continue
        if _needs_words(address.display_name):
            room = LINE - len(name) - 2 if not tokens else LINE - 1
            tokens.extend(_phrase_tokens(address.display_name, room))
        else:
            tokens.append(str(address).rsplit(" <", 1)[0])
        tokens.append(f"<{address.addr_spec}>{comma}")
    return tokens


class MailPolicy(EmailPolicy):
    """The default policy, writing non-ASCII subjects and display names so that no space is lost."""

    def _spaced(self, name: str, value) -> str | None:
        if self.utf8 or not hasattr(value, "name"):
            return None  # raw UTF-8 headers (SMTPUTF8) or text read from elsewhere: the default way
        if isinstance(value, UnstructuredHeader) and _needs_words(str(value)):
            return _fold_tokens(name, _encoded_words(str(value), LINE - len(name) - 2), self.linesep)
        if isinstance(value, AddressHeader):
            tokens = _address_tokens(name, value)
            if tokens is not None:
                return _fold_tokens(name, tokens, self.linesep)
        return None

    def fold(self, name, value):
        return self._spaced(name, value) or super().fold(name, value)

    def fold_binary(self, name, value):
        spaced = self._spaced(name, value)
        return spaced.encode("ascii") if spaced else super().fold_binary(name, value)


MAIL_POLICY = MailPolicy()
