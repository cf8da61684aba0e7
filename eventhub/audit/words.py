"""How the audit log reads: a sentence for each action, and the changes as labelled fields with values a
person reads ("Có", "08/12/2026 09:00", a workshop's title), never codes.

The audit sits below the features, so it cannot know their words. Each feature builds a `Words` (its
sentences, its field labels, and a loader that names its objects) in its own `audit_words.py` and
registers it in its `plugs.py` with `hooks.add_audit_words(prefix, words)`. `describe_page` asks every
feature's loader once for the whole page (one query per kind of object, never one per entry), then
writes each entry's line. An entry whose object is gone reads from what the entry stored; a person
who was erased is said to be, and nothing of them shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from .. import hooks
from ..accounts.models import User
from ..extensions import db
from ..i18n import format_date, format_datetime, format_number
from ..vietnamese import format_vnd
from .models import AuditEntry

EMPTY = "—"
ERASED_NAME = "—"  # what an erased account or registration keeps as its name


@dataclass(frozen=True)
class Change:
    """One labelled change: `old` is None when the entry stored one value, not a before and after."""

    label: str
    new: str
    old: str | None = None


@dataclass(frozen=True)
class Line:
    """One audit entry as a person reads it."""

    entry: AuditEntry
    sentence: str
    changes: list[Change]

    @property
    def created_at(self) -> datetime:
        return self.entry.created_at


@dataclass
class Context:
    """What the lines of one page share: the event (its time zone) and the names loaded for the page."""

    event: Any = None
    names: dict[tuple[str, Any], str] = field(default_factory=dict)

    @property
    def tz(self):
        return getattr(self.event, "timezone", None)

    def name(self, kind: str, key: Any, fallback: Any = None) -> str:
        """The loaded name of one object, else what the entry stored, else "a <kind> no longer here"."""
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        found = self.names.get((kind, key))
        if found:
            return found
        if fallback not in (None, ""):
            return str(fallback)
        return _("(deleted)")


Show = Callable[[Any, Context], str]


@dataclass(frozen=True)
class Field:
    label: Any
    show: Show | None = None


@dataclass(frozen=True)
class Sentence:
    text: Any  # a lazy string with %(actor)s, %(object)s and the keys `params` returns
    params: Callable[[AuditEntry, Context], Mapping[str, Any]] | None = None
    diff: tuple[str, ...] | bool = ()  # fields stored as [old, new]; True: all of them
    hide: tuple[str, ...] = ()  # fields the sentence already says, or that must not show
    alone: Any = None  # the sentence when nobody did it (the system, or someone not signed in)


class Words:
    """One feature's words for its actions."""

    def __init__(self, area: Any, *, name: Callable[[AuditEntry, Context], str] | None = None,
                 load: Callable[[list[AuditEntry], Context], None] | None = None) -> None:
        self.area = area  # the filter's label for this feature's entries
        self.sentences: dict[str, Sentence] = {}
        self.fields: dict[str, Field] = {}
        self._name = name
        self._load = load

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(self.sentences)

    def say(self, action: str, text: Any, *, params=None, diff: tuple[str, ...] | bool = (),
            hide: tuple[str, ...] = (), alone: Any = None) -> None:
        self.sentences[action] = Sentence(text, params, diff, hide, alone)

    def field(self, key: str, label: Any, show: Show | None = None) -> None:
        self.fields[key] = Field(label, show)

    def load(self, entries: list[AuditEntry], context: Context) -> None:
        if self._load is not None and entries:
            self._load(entries, context)

    def object_name(self, entry: AuditEntry, context: Context) -> str:
        if self._name is None:
            return ""
        return self._name(entry, context)

    def describe(self, entry: AuditEntry, context: Context) -> Line:
        sentence = self.sentences.get(entry.action)
        if sentence is None:
            return _fallback(entry)
        values = {"actor": actor_name(entry), "object": self.object_name(entry, context)}
        if sentence.params is not None:
            values.update({k: str(v) for k, v in sentence.params(entry, context).items()})
        changes = []
        for key, value in (entry.changes or {}).items():
            spec = self.fields.get(key)
            if key in sentence.hide or spec is None:
                continue
            pair = sentence.diff is True or key in (sentence.diff or ())
            if pair and isinstance(value, list) and len(value) == 2:
                changes.append(Change(str(spec.label), self._show(spec, value[1], context),
                                      self._show(spec, value[0], context)))
            elif value is not None or spec.show is not None:  # None says nothing, unless its field reads it
                changes.append(Change(str(spec.label), self._show(spec, value, context)))
        text = sentence.alone if sentence.alone is not None and entry.actor_id is None else sentence.text
        return Line(entry, capitalized(str(text) % values), changes)

    @staticmethod
    def _show(spec: Field, value: Any, context: Context) -> str:
        if spec.show is not None:
            return spec.show(value, context) or EMPTY
        return plain(value, context)


# --- values a person reads ---------------------------------------------------------------------

def plain(value: Any, context: Context | None = None) -> str:
    """Booleans as Có/Không, nothing as "—", numbers with the language's separators, lists joined."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(plain(v, context) for v in value)
    if value == "erased":
        return _("(erased)")
    return str(value)


def number(value: Any, context: Context | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return plain(value, context)
    return format_number(value)


def money(value: Any, context: Context | None = None) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_vnd(value)
    return plain(value)


def labelled(labels: Mapping[Any, Any]) -> Show:
    """Shows a stored code by its label in the reader's language (the code itself if it has none)."""
    def show(value: Any, context: Context) -> str:
        if isinstance(value, list):
            return ", ".join(show(v, context) for v in value) or EMPTY
        if value in (None, ""):
            return EMPTY
        label = labels.get(value) or labels.get(str(value))
        return str(label) if label is not None else plain(value, context)
    return show


def when(value: Any, context: Context) -> str:
    """A stored ISO date or time, in the event's time zone."""
    if value in (None, ""):
        return EMPTY
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    # A date alone is a calendar day, a naive time already the wall clock: neither moves between zones.
    if len(str(value)) == 10:
        return format_date(parsed, context.tz)
    return format_datetime(parsed, context.tz)


def day(value: Any, context: Context) -> str:
    if value in (None, ""):
        return EMPTY
    try:
        return format_date(datetime.fromisoformat(str(value)), context.tz)
    except ValueError:
        return str(value)


def names_of(kind: str) -> Show:
    """Ids shown as the names the page loaded for them (a workshop's title, a booth's code…)."""
    def show(value: Any, context: Context) -> str:
        if isinstance(value, list):
            return ", ".join(context.name(kind, v) for v in value) or EMPTY
        if value in (None, ""):
            return EMPTY
        return context.name(kind, value)
    return show


def actor_name(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is None:
        return _("The system") if entry.actor_id is None else _("An erased account")
    return person(actor.full_name)


def person(name: str | None) -> str:
    """A person's name, or that they were erased: never a trace of who they were."""
    if not name or name == ERASED_NAME:
        return _("an erased person")
    return name


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fallback(entry: AuditEntry) -> Line:
    return Line(entry, _("%(actor)s made a change.", actor=actor_name(entry)), [])


# --- a page of lines ---------------------------------------------------------------------------

def words_for(action: str):
    """The feature's words for an action: the longest registered prefix (or the action itself)."""
    return hooks.registry().audit_words_for(action)


def describe_page(entries: Iterable[AuditEntry], event=None) -> list[Line]:
    """The lines of one page: each feature loads the names its entries need, once for the page."""
    entries = list(entries)
    context = Context(event=event)
    by_words: dict[int, tuple[Any, list[AuditEntry]]] = {}
    for entry in entries:
        words = words_for(entry.action)
        if words is not None:
            by_words.setdefault(id(words), (words, []))[1].append(entry)
    for words, mine in by_words.values():
        words.load(mine, context)
    lines = []
    for entry in entries:
        words = words_for(entry.action)
        lines.append(words.describe(entry, context) if words is not None else _fallback(entry))
    return lines


# --- loading names for a page: one query per kind of object ------------------------------------

def ids_of(entries: Iterable[AuditEntry], *, object_type: str | None = None, key: str | None = None,
           actions: Iterable[str] | None = None) -> set[int]:
    """The ids a page's entries name: their objects' (of one type), or those stored under a change key."""
    wanted = set(actions) if actions is not None else None
    found: set[int] = set()
    for entry in entries:
        if wanted is not None and entry.action not in wanted:
            continue
        if key is None:
            if (object_type is None or entry.object_type == object_type) and entry.object_id:
                found.update(ints([entry.object_id]))
            continue
        value = (entry.changes or {}).get(key)
        found.update(ints(value if isinstance(value, list) else [value]))
    return found


def ints(values: Iterable[Any]) -> set[int]:
    found = set()
    for value in values:
        if isinstance(value, list):
            found.update(ints(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
        elif isinstance(value, str) and value.isdigit() and len(value) < 12:
            found.add(int(value))
    return found


def load_names(context: Context, kind: str, column, ids: Iterable[int], *,
               show: Callable[[Any], str] | None = None, id_column=None) -> None:
    """One query: the names of the given ids, kept in the page's context as (kind, id)."""
    ids = {i for i in ids if (kind, i) not in context.names}
    if not ids:
        return
    id_column = id_column if id_column is not None else column.class_.id
    for key, name in db.session.execute(db.select(id_column, column).where(id_column.in_(ids))):
        context.names[(kind, key)] = show(name) if show is not None else name


def load_rows(context: Context, kind: str, statement, show: Callable[[Any], str]) -> None:
    """One query of rows (a statement selecting the id first), each named by `show(row)`."""
    for row in db.session.execute(statement):
        context.names[(kind, row[0])] = show(row)


def load_users(context: Context, ids: Iterable[int] = (), emails: Iterable[str] = ()) -> None:
    """People by number and by the address an entry stored (one query); an erased one says so."""
    ids = {i for i in ids if ("user", i) not in context.names}
    emails = {e.lower() for e in emails
              if isinstance(e, str) and ("user_email", e.lower()) not in context.names}
    if not ids and not emails:
        return
    rows = db.session.execute(db.select(User.id, User.email, User.full_name).where(
        db.or_(User.id.in_(ids), db.func.lower(User.email).in_(emails))))
    for user_id, email, name in rows:
        context.names[("user", user_id)] = person(name)
        context.names[("user_email", email.lower())] = person(name)


def user_by_email(context: Context, email: Any) -> str:
    """The person an entry named by address: their name now, never the stored address."""
    if isinstance(email, str) and ("user_email", email.lower()) in context.names:
        return context.names[("user_email", email.lower())]
    return _("a person no longer here")


def emails_of(entries: Iterable[AuditEntry], key: str) -> set[str]:
    found = set()
    for entry in entries:
        value = (entry.changes or {}).get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and "@" in item:
                found.add(item.lower())
    return found


@dataclass(frozen=True)
class Area:
    """A filter choice of the log: one feature's entries."""

    key: str
    label: str
    prefixes: tuple[str, ...]


def areas() -> list[Area]:
    """Each feature's part of the log, as the page's filter offers it, in the order they plugged in."""
    grouped: dict[int, tuple[Any, list[str]]] = {}
    for key, words in hooks.registry().audit_words.items():
        grouped.setdefault(id(words), (words, []))[1].append(key)
    return [Area(keys[0].rstrip("."), str(words.area), tuple(keys)) for words, keys in grouped.values()]
