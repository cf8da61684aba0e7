"""Rendered HTML kept per process, keyed by the very data it shows – never by a guess of when that changes.

The public read pages (the home page, an event's page) are read far more often than their data change,
and rendering them costs more than reading their data. A fragment here is rendered once for a key that
holds *everything it shows* – rows read afresh from the database on every request, with one lean query
(plain columns, no ORM objects) – plus the language and the site's address. Whatever changes what a
fragment shows changes its key, on every worker process at once, so there is nothing to invalidate;
a stale entry is simply never asked for again and falls out of the bounded LRU.

Rules for a key: every value the template reads, no person's data (a signed-in person's own state goes in
as a plain flag such as "may manage", never as their name), no secret. Links in a fragment are paths
(url_for without _external): the key holds the path the site is mounted at, not its host. A fragment that
carries a CSRF token is refused (rendered, not kept): forms belong outside fragments.

A whole page is kept only for a signed-out visitor with no message waiting (`render_public_page`): then
base.html shows nobody's name, menu, banner or form, and depends only on the language and the address
asked (the other language's link repeats its path and query).

A key's rows can be read inside the statement that reads the page's own row (`json_rows`, a scalar
subquery): the event page reads the event and every panel's key in one round trip (eventhub.hooks).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

EXTENSION_KEY = "eventhub.fragments"
MAX_ENTRIES = 1024
# Characters kept per process, the keys' text counted too (a whole page's key holds its fragments): an
# event page is 5–20 thousand, a home page of 150 events 80 thousand. Python keeps Vietnamese text at two
# bytes a character, so this is at most ~8 MB per process however the entries are asked for.
MAX_CHARACTERS = 4_000_000
_CSRF_MARK = 'name="csrf_token"'


class FragmentCache:
    """A bounded, thread-safe LRU of rendered HTML (gunicorn's gthread workers share one per process)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_characters: int = MAX_CHARACTERS) -> None:
        self.max_entries = max_entries
        self.max_characters = max_characters
        self._entries: OrderedDict[Hashable, tuple[Markup, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.characters = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.characters = 0
            self.hits = self.misses = 0

    def get_or_render(self, key: Hashable, render: Callable[[], str],
                      still: Callable[[], bool] | None = None) -> Markup:
        """The HTML kept for `key`, else `render()`'s, kept unless it carries a CSRF token or `still()` –
        asked after rendering – says the data the key was read from have changed meanwhile (the HTML
        may then show the newer data: kept under the older key, it would show them when the data
        return to the older state)."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[0]
            self.misses += 1
        html = Markup(render())  # outside the lock: another thread may render the same key meanwhile
        if _CSRF_MARK in html or (still is not None and not still()):
            return html
        size = len(html) + _characters(key)
        if size > self.max_characters // 4:
            return html  # one entry never crowds out most of the others
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.characters -= previous[1]
            self._entries[key] = (html, size)
            self.characters += size
            while len(self._entries) > self.max_entries or self.characters > self.max_characters:
                self.characters -= self._entries.popitem(last=False)[1][1]
        return html


def _characters(value, depth: int = 0) -> int:
    """The text a key holds (a whole page's key holds its fragments' HTML)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple | list) and depth < 4:
        return sum(_characters(item, depth + 1) for item in value)
    return 8


def cache() -> FragmentCache:
    extensions = current_app.extensions
    found = extensions.get(EXTENSION_KEY)
    if found is None:
        found = extensions.setdefault(EXTENSION_KEY, FragmentCache(
            int(current_app.config.get("FRAGMENT_CACHE_ENTRIES", MAX_ENTRIES))))
    return found


def cached(name: str, data: Hashable | None, render: Callable[[], str],
           again: Callable[[], Hashable | None] | None = None) -> Markup:
    """The HTML `render()` gives, kept for (name, data, language, the path the site is mounted at). `data`
    must hold everything the fragment shows (see the module's rules); None renders afresh, keeps nothing.
    When `render` reads the data anew rather than from `data`, `again()` reads `data` once more after it:
    the HTML is kept only if they did not change in between."""
    here = _here() if data is not None else None
    if here is None:
        return Markup(render())
    kept, language, root = here
    still = (lambda: again() == data) if again is not None else None
    return kept.get_or_render((name, language, root, data), render, still)


_HERE = "eventhub.fragments.here"  # this request's _here(), in its WSGI environ


def _here() -> tuple[FragmentCache, str, str] | None:
    """(the cache, the language, the path the site is mounted at – what url_for puts before a path) for
    this request, or None when fragments are off. Worked out once a request rather than once a fragment
    (a page asks for five or more); the language is asked each time, but named once for each locale
    object (force_locale may change it within a request)."""
    locale = get_locale()
    if not has_request_context():
        return _work_out(locale, "")
    environ = request.environ
    found = environ.get(_HERE)
    if found is None or found[0] is not locale:
        found = environ[_HERE] = (locale, _work_out(locale, request.root_path))
    return found[1]


def _work_out(locale, root: str) -> tuple[FragmentCache, str, str] | None:
    if not current_app.config.get("FRAGMENT_CACHE", True):
        return None
    return cache(), str(locale), root


def render_public_page(template: str, key: Hashable, **context) -> str:
    """render_template(template, **context); for a signed-out visitor with no flashed message waiting, kept
    for `key` – everything the page's own blocks show (typically its fragments' HTML, which their own keys
    keep current) – and the address asked. Anyone signed in, or with a message to see, or asking with a
    query other than the language, gets it rendered."""
    if (getattr(current_user, "is_authenticated", False) or session.get("_flashes")
            or any(name != "lang" for name in request.args)):
        # any other query (?utm_source=…) is rendered, not kept: it would only fill the cache
        return render_template(template, **context)
    return cached("page:" + template, (key, request.path, request.args.get("lang")),
                  lambda: render_template(template, **context))


# --- a key's rows as one value, read inside another statement ---------------------------------------------

class _JsonArray(FunctionElement):
    """One row's values as a JSON array (json_array on SQLite, json_build_array on PostgreSQL)."""

    type = Text()
    name = "json_array"
    inherit_cache = True


class _JsonRows(FunctionElement):
    """The aggregate of its first argument, a _JsonArray, as JSON text, in the order of the others."""

    type = Text()
    name = "json_rows"
    inherit_cache = True


@compiles(_JsonArray)
def _json_array(element, compiler, **kw) -> str:
    return f"json_array({compiler.process(element.clauses, **kw)})"


@compiles(_JsonArray, "postgresql")
def _json_build_array(element, compiler, **kw) -> str:
    return f"json_build_array({compiler.process(element.clauses, **kw)})"


def _row_and_order(element, compiler, **kw) -> tuple[str, str]:
    row, *order = element.clauses.clauses
    by = ", ".join(compiler.process(column, **kw) for column in order)
    return compiler.process(row, **kw), f" ORDER BY {by}" if by else ""


@compiles(_JsonRows)
def _json_group_array(element, compiler, **kw) -> str:
    row, order = _row_and_order(element, compiler, **kw)
    # ORDER BY inside an aggregate needs SQLite 3.44; before, the rows come in the index's order (the same
    # on every read of the same rows – which is all a key needs: see json_rows).
    if (compiler.dialect.server_version_info or (0,)) < (3, 44):
        order = ""
    return f"json_group_array({row}{order})"


@compiles(_JsonRows, "postgresql")
def _json_agg(element, compiler, **kw) -> str:
    row, order = _row_and_order(element, compiler, **kw)
    return f"CAST(json_agg({row}{order}) AS TEXT)"  # text: a key as it comes, no JSON parsed per request


def json_rows(*columns, order_by=()) -> _JsonRows:
    """An aggregate of the rows' `columns` into one text – JSON, so that different rows give different text
    – for a key read inside the statement of the page's own row: `db.select(json_rows(...)).where(...)
    .scalar_subquery()`. Put into `columns` whatever orders the rows on the page (a position, an id): the
    key then holds the order even where the database cannot order an aggregate (SQLite before 3.44). No
    rows: NULL on PostgreSQL, "[]" on SQLite."""
    return _JsonRows(_JsonArray(*columns), *order_by)
