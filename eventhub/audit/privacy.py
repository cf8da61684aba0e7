"""What the audit log keeps of a person (Decree 13/2023/ND-CP), and how erasure scrubs it.

An entry names people by number – its actor, its object, a `user_id` in its changes – and the log page
reads their name now, so an erased person reads as "an erased person" and such an entry needs no
scrubbing. Entries recorded before that stored an address (event roles, judges added, conflicts,
assignments) and some a name or a phone (a check-in undone, a registration's edits). Erasure scrubs
those values from `changes`: an address becomes the erased placeholder the account now carries (the
page still finds "an erased person" by it), a name or a phone becomes "erased". The entry itself stays –
who did what and when is the event's record – and an entry the person made keeps only their number.

The work is bounded: the entries that may name the person are found in SQL (their stored text contains
the address, or a name within the rows the caller allows), and rewritten in batches.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, cast, false, func, or_

from ..accounts.models import User
from ..accounts.privacy import erased_address, proven_address
from ..extensions import db
from .models import AuditEntry

ERASED = "erased"  # what a scrubbed name or phone reads as (audit.words shows "(erased)")
BATCH = 500
ADDRESS_KEYS = ("email", "emails", "judge")  # where an entry about a person stored their address
VALUE_KEYS = ("full_name", "phone")

Concerns = Callable[[AuditEntry], bool]


# --- a person's traces in the log ----------------------------------------------------------------

def _needles(texts: Iterable[str]) -> set[str]:
    """How a text can appear in the stored JSON (as typed, or escaped by json.dumps), lower case."""
    found = set()
    for text in texts:
        text = (text or "").strip()
        if len(text) >= 3:
            found |= {text.lower(), json.dumps(text)[1:-1].lower()}
    return found


def _contains_any(needles: set[str]):
    stored = func.lower(cast(AuditEntry.changes, Text))
    return or_(*[stored.contains(n, autoescape=True) for n in sorted(needles)]) if needles else false()


def _candidates(*, emails: Iterable[str], values: Iterable[str], where, about) -> Any:
    """The ids of the entries that may name the person: their text holds an address or a value (within
    `where`), or they are `about` the person whatever they hold."""
    found = _contains_any(_needles(emails) | _needles(values))
    if where is not None:
        found = and_(where, found)
    if about is not None:
        found = or_(found, about)
    return db.select(AuditEntry.id).where(found).order_by(AuditEntry.id)


def _batches(ids_query) -> Iterator[list[AuditEntry]]:
    ids = list(db.session.scalars(ids_query))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        yield list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.id.in_(chunk))
                                      .order_by(AuditEntry.id)))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


PHONE = re.compile(r"\+?[\d .()-]{8,20}")


def _same(value: str, values: Iterable[str]) -> bool:
    """Whether a stored value is one of the person's: equal as text, or the same phone written another
    way ("0912 345 678" / "0912345678")."""
    plain = value.strip().casefold()
    phone = _digits(value) if PHONE.fullmatch(value.strip()) else ""
    return any(other and (plain == other.strip().casefold() or (phone and phone == _digits(other)))
               for other in values)


def _holds(value: Any, emails: list[str]) -> bool:
    text = json.dumps(value, ensure_ascii=False).lower()
    return any(e.lower() in text for e in emails if e)


def _scrubbed(value: Any, *, emails: list[str], values: list[str], placeholder: str, mine: bool,
              key: str | None = None) -> Any:
    """`value` less the person: addresses become `placeholder`; in an entry about them (`mine`), a value
    equal to their name or phone becomes "erased", and an address under an address key the placeholder."""
    if isinstance(value, dict):
        return {k: _scrubbed(v, emails=emails, values=values, placeholder=placeholder, mine=mine, key=k)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, emails=emails, values=values, placeholder=placeholder, mine=mine, key=key)
                for v in value]
    if not isinstance(value, str):
        return value
    for address in emails:
        if address:
            value = re.sub(re.escape(address), placeholder, value, flags=re.IGNORECASE)
    if mine and _same(value, values):
        return ERASED
    if mine and key in ADDRESS_KEYS and key != "emails" and "@" in value:
        return placeholder  # an address the person had before this one
    if mine and key in VALUE_KEYS and value not in ("", ERASED, "changed", "—"):
        return ERASED  # a name or phone the person had before this one
    return value


def _what_names(value: Any, *, emails: list[str], values: list[str], placeholder: str,
                mine: bool) -> dict[str, Any]:
    """The stored values of one entry's changes that erasure would scrub, by key."""
    found = {}
    for key, item in (value or {}).items():
        scrubbed = _scrubbed(item, emails=emails, values=values, placeholder=placeholder, mine=mine, key=key)
        if scrubbed != item:
            found[key] = item
    return found


def forget_person(*, emails: Iterable[str] = (), values: Iterable[str] = (), placeholder: str,
                  where=None, about=None, concerns: Concerns | None = None) -> int:
    """Scrubs a person from the `changes` of the audit entries (no commit; the erasure commits).

    `emails`: their addresses, replaced by `placeholder` wherever an entry's text holds them (any case);
    `values`: their name and phone, replaced by "erased" where a whole value equals one – only in the
    entries about them (`about`, an SQL clause, and `concerns(entry)`) or that hold their address, since
    a name is no one's alone. `where` (SQL) narrows the entries searched by text. Returns how many
    entries changed."""
    emails, values = [e for e in emails if e], [v for v in values if v]
    changed = 0
    for batch in _batches(_candidates(emails=emails, values=values, where=where, about=about)):
        for entry in batch:
            mine = _holds(entry.changes, emails) or (concerns is not None and concerns(entry))
            new = _scrubbed(dict(entry.changes or {}), emails=emails, values=values,
                            placeholder=placeholder, mine=mine)
            if new != entry.changes:
                entry.changes = new
                changed += 1
        db.session.flush()
    return changed


def entries_naming(*, emails: Iterable[str] = (), values: Iterable[str] = (), placeholder: str, where=None,
                   about=None, concerns: Concerns | None = None) -> list[tuple[AuditEntry, dict[str, Any]]]:
    """The entries `forget_person` (same arguments) would change, each with the values it would scrub."""
    emails, values = [e for e in emails if e], [v for v in values if v]
    found = []
    for batch in _batches(_candidates(emails=emails, values=values, where=where, about=about)):
        for entry in batch:
            mine = _holds(entry.changes, emails) or (concerns is not None and concerns(entry))
            named = _what_names(entry.changes, emails=emails, values=values, placeholder=placeholder,
                                mine=mine)
            if named:
                found.append((entry, named))
    return found


# --- an account's part of the export and the erasure (plugged in by accounts.plugs) ---------------

def _holds_address_since(user: User) -> datetime | None:
    """Since when the log may name the account's address: always once it is proven; else since it was
    the account's (its sign-up, or its last change of address) – an earlier entry named whoever had it."""
    if proven_address(user):
        return None
    changed = db.session.scalar(db.select(func.max(AuditEntry.created_at)).where(
        AuditEntry.action == "user.email_changed", AuditEntry.object_type == "user",
        AuditEntry.object_id == str(user.id)))
    return max(t for t in (user.created_at, changed) if t is not None)


def _account(user: User) -> dict[str, Any]:
    since = _holds_address_since(user)
    about = and_(AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id))
    return {"emails": [user.email], "values": [user.full_name, user.phone],
            "where": AuditEntry.created_at >= since if since is not None else None, "about": about,
            "concerns": lambda e: e.object_type == "user" and e.object_id == str(user.id)}


def export(user: User) -> list[dict[str, Any]]:
    """The audit entries that name the person by address, name or phone: the entry is kept (who did what
    and when), the values listed under `scrubbed_on_erasure` are what erasure removes from it."""
    return [{"entry": entry.id, "action": entry.action, "event": entry.event_id,
             "created_at": entry.created_at.isoformat(), "made_by_you": entry.actor_id == user.id,
             "scrubbed_on_erasure": named}
            for entry, named in entries_naming(placeholder=erased_address(user), **_account(user))]


def forget(user: User) -> None:
    """Scrubs the account's address, name and phone from the log's entries (no commit). Runs before the
    account forgets them; an address becomes the placeholder the account takes (accounts.privacy)."""
    forget_person(placeholder=erased_address(user), **_account(user))
