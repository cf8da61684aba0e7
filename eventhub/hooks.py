"""The one place where features meet: what a feature shows or does on behalf of another.

A feature lower in the layering (accounts, events, registration) owns pages and duties that
features above it add to – the event page shows contests and booths, a registrant's page shows
certificates and the people's-choice vote, the organizer's menu links to every feature, and a
person's data export and erasure span all of them. The lower feature must not import the upper
ones, so each feature says what it adds in its own `plugs.py` (`plug_in(hooks)`), and
`create_app` calls them in layer order. Pages then ask this module, never the other features.

Panels get their data in Python, when the route asks for them (`render_panels`), so no template
runs a query; a panel whose loader returns None shows nothing. A panel of the event page may have its HTML
kept (eventhub.fragments) under a key whose stored part the page reads with the event's own row: one
statement for the event and every panel's key (`Panel.key_data`, `panel_keys`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from flask import Flask, current_app, render_template, url_for
from markupsafe import Markup
from sqlalchemy import bindparam, select

from . import fragments
from .extensions import db

EXTENSION_KEY = "eventhub.hooks"

# The slots pages offer. The event page's loaders get (event, user), the registrant's page's (reg, token).
EVENT_PAGE = "event_page"  # the event's page, below its description
EVENT_LINKS = "event_links"  # the event page's row of links for visitors
EVENT_GATE = "event_gate"  # the event page's row for the gate team
EVENT_ORGANIZER = "event_organizer"  # the event page's row for its organizers, after Edit and Manage
REGISTRATION_PAGE = "registration_page"  # a registrant's page behind the e-mailed link
REGISTRATION_ADMIN = "registration_admin"  # the organizers' page of one registration; loaders get (reg, user)
# The organizers' list of an event's sessions, a part in each session's row: loaders get (event, sessions,
# user) and return {session id: context} (one query for the whole list), rendered by `render_row_panels`.
SESSIONS_ADMIN = "sessions_admin"
# The slots whose loaders get the page's event: their panels may read their keys with the event's row.
EVENT_SLOTS = (EVENT_PAGE, EVENT_LINKS, EVENT_GATE, EVENT_ORGANIZER)


@dataclass(frozen=True, eq=False)  # a panel is itself (a key of PanelKeys.split), whatever its fields
class Panel:
    """A part of another feature's page: a template and the loader of its context."""

    template: str
    load: Callable[..., dict[str, Any] | None]  # gets the page's objects by keyword; None hides the panel
    order: int = 100
    # Optional, for panels of pages read by crowds (the event page): gets the page's objects like `load` and
    # returns, read afresh with a lean query, everything the panel shows (hashable: tuples of plain values),
    # or None to render afresh. With a key the HTML is kept per process (eventhub.fragments) and `load`
    # runs only when that key has not been rendered yet.
    key: Callable[..., Hashable | None] | None = None
    # Optional, with `key`, in EVENT_SLOTS: the stored part of the key, as SQL the event page reads with the
    # event's own row – one statement for the event and every panel's key, not one each. Gets the SQL
    # expression of the event's id and returns a tuple of expressions of it (scalar subqueries such as
    # `select(fragments.json_rows(...)).where(... == event_id).scalar_subquery()`, EXISTS); `key` then gets
    # their values as `data=` (a tuple) with the page's objects, and adds what is not stored (the
    # visitor's flags). The feature owns both: what its key holds, and how it is read.
    key_data: Callable[[Any], tuple] | None = None


@dataclass(frozen=True)
class Link:
    """A link in a menu: its label (lazy_gettext), its endpoint, and who sees it."""

    label: Any
    endpoint: str
    visible: Callable[..., bool]  # (user) for the main menu; (user, event) for an event's organizer menu
    order: int = 100


@dataclass(frozen=True)
class PersonalData:
    """One feature's part of a person's data: what the export shows, and how erasure removes it."""

    key: str  # the export's section name (a stable code: clients read the JSON)
    export: Callable[[Any], Any]  # (user) -> JSON-ready data; an empty list/dict when there is none
    forget: Callable[[Any], None] | None = None  # (user) -> None; runs inside the erasure's transaction
    order: int = 100


# --- the organizer's cockpit (events.manage): what each feature reports about one event ---------------
# Loaders get (event, user) – the user may manage the event – and return a CockpitPart, or None when the
# feature has nothing to say for that event. Labels are lazy_gettext strings or already translated text;
# every item carries the URL of the page where it is acted on. A loader runs a bounded number of
# aggregate queries, whatever the size of the event (tests/events/test_cockpit.py counts them).

@dataclass(frozen=True)
class Figure:
    """A number that matters now: `value` (of `total`, when there is one) and where to act on it."""

    label: Any
    value: int
    url: str
    total: int | None = None  # "312 of 400"
    note: Any = ""  # a short line under the number
    meter: bool = False  # draw value/total as a filling bar (places taken of a capacity)


@dataclass(frozen=True)
class Decision:
    """Something waiting for an organizer: a sentence that says how many, and the page where it is done."""

    text: Any
    count: int
    url: str
    urgent: bool = False  # something went wrong (a failed job or e-mail), not just waiting


@dataclass(frozen=True)
class Deadline:
    """A moment ahead that the organizers plan for (registration closes, judging ends, …)."""

    label: Any
    at: Any  # an aware datetime
    url: str


@dataclass(frozen=True)
class CockpitPart:
    """One feature's card on the cockpit: its title, figures, decisions and deadlines."""

    title: Any
    url: str
    figures: list[Figure] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    order: int = 100


@dataclass(frozen=True)
class Cockpit:
    load: Callable[[Any, Any], CockpitPart | list[CockpitPart] | None]  # (event, user)
    order: int = 100


# --- the exhibition floor, for features that send people to a booth (pairwise judging) ---------------

@dataclass(frozen=True)
class BoothSpot:
    """A booth on an event's floor: where it is and who is there."""

    code: str
    zone: str  # the zone's name
    x: float  # the booth's centre on the floor plan's grid
    y: float
    organization: str  # its exhibitor's organization (the first day's, when split by day); "" when free


@dataclass(frozen=True)
class Floor:
    """The booths feature's answers: `spots(event)` lists every booth; `render(event, target=code,
    here=code)` draws the floor map with the booth to walk to and the one the person is at marked (an
    empty Markup when the event has no floor plan)."""

    spots: Callable[[Any], list[BoothSpot]]
    render: Callable[..., Markup]


# --- one organization across the series (issue 19): what each feature knows of it ----------------------

@dataclass(frozen=True)
class HistoryItem:
    """One line of an organization's history: at an event, what it did (exhibited, entered, won, met)."""

    event_id: int
    at: Any  # an aware datetime or a date: the history is sorted by it, newest first
    kind: str  # a stable code ("exhibited", "entered", "award", "meeting", "outcome", "registered", …)
    text: Any  # the sentence people read, translated ("Trưng bày tại gian A12")
    url: str | None = None  # where an organizer sees it


@dataclass(frozen=True)
class OrganizationRecords:
    """A feature's part of organizations: `events(org_ids)` → {org id: {event ids}} where the feature has
    them; `history(org_ids)` → HistoryItems. Each runs a bounded number of queries for any number of ids."""

    events: Callable[[list[int]], dict[int, set[int]]]
    history: Callable[[list[int]], list[HistoryItem]]
    order: int = 100


@dataclass(frozen=True)
class ReportFigures:
    """Figures a feature above the reports adds to the summary report: `load(event_ids)` →
    {event id: {key: value}}; `labels` {key: lazy label}, in the order the report shows them."""

    labels: dict[str, Any]
    load: Callable[[list[int]], dict[int, dict[str, int]]]
    order: int = 100
    # A series' values {key: value} over its events, for a figure that is not a sum (a distinct count);
    # None: the series sums its events' values.
    total: Callable[[list[int]], dict[str, int]] | None = None


@dataclass
class Hooks:
    """The registries one app holds; filled once by create_app, read on every request."""

    panels: dict[str, list[Panel]] = field(default_factory=dict)
    menu: list[Link] = field(default_factory=list)
    organizer_menu: list[Link] = field(default_factory=list)
    personal_data: list[PersonalData] = field(default_factory=list)
    audit_words: dict[str, Any] = field(default_factory=dict)  # an action, or a prefix ending in "."
    cockpit: list[Cockpit] = field(default_factory=list)
    # What erasing one registration (its manage link) removes in features above registration: each gets
    # (registration) inside the erasure's transaction and must not commit.
    registration_erasure: list[tuple[int, Callable[[Any], None]]] = field(default_factory=list)
    # What a registration's own download (its manage link) shows of features above registration: each
    # gets (registration) and returns JSON-ready data, under its key.
    registration_export: list[tuple[int, str, Callable[[Any], Any]]] = field(default_factory=list)
    floor: Floor | None = None  # set by the booths feature
    organization_records: list[OrganizationRecords] = field(default_factory=list)
    report_figures: list[ReportFigures] = field(default_factory=list)
    # Statements built from the panels once, on first use: {(what, …): built} (panel_keys, _read_alone).
    built: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def add_panel(self, slot: str, template: str, load: Callable[..., dict | None], order: int = 100,
                  key: Callable[..., Hashable | None] | None = None,
                  key_data: Callable[[Any], tuple] | None = None) -> None:
        if key_data is not None and (key is None or slot not in EVENT_SLOTS):
            raise ValueError(f"{template}: key_data goes with a key, on the event page's slots")
        self.panels.setdefault(slot, []).append(Panel(template, load, order, key, key_data))
        self.panels[slot].sort(key=lambda panel: panel.order)

    def add_menu_link(self, label, endpoint: str, visible: Callable[..., bool], order: int = 100) -> None:
        _add_link(self.menu, Link(label, endpoint, visible, order))

    def add_organizer_link(self, label, endpoint: str, visible: Callable[..., bool],
                           order: int = 100) -> None:
        _add_link(self.organizer_menu, Link(label, endpoint, visible, order))

    def add_personal_data(self, key: str, export: Callable, forget: Callable | None = None,
                          order: int = 100) -> None:
        if any(part.key == key for part in self.personal_data):
            raise ValueError(f"two features export personal data as {key!r}")
        self.personal_data.append(PersonalData(key, export, forget, order))
        self.personal_data.sort(key=lambda part: part.order)

    def add_audit_words(self, prefix_or_action: str, words: Any) -> None:
        """How a feature's audit entries read (an `audit.words.Words`): its sentences and field labels."""
        if prefix_or_action in self.audit_words:
            raise ValueError(f"two features describe the audit entries {prefix_or_action!r}")
        self.audit_words[prefix_or_action] = words

    def audit_words_for(self, action: str) -> Any:
        """The words registered for the action itself, else for its longest prefix; None if none."""
        if action in self.audit_words:
            return self.audit_words[action]
        prefixes = [key for key in self.audit_words if key.endswith(".") and action.startswith(key)]
        return self.audit_words[max(prefixes, key=len)] if prefixes else None


    def add_cockpit(self, load: Callable[[Any, Any], CockpitPart | list[CockpitPart] | None],
                    order: int = 100) -> None:
        self.cockpit.append(Cockpit(load, order))
        self.cockpit.sort(key=lambda part: part.order)

    def add_registration_erasure(self, forget: Callable[[Any], None], order: int = 100) -> None:
        """A feature's part of erasing one registration's personal data (registration.services)."""
        self.registration_erasure.append((order, forget))
        self.registration_erasure.sort(key=lambda part: part[0])

    def add_registration_export(self, key: str, export: Callable[[Any], Any], order: int = 100) -> None:
        """A feature's part of one registration's download (registration.privacy.export_registration)."""
        if any(taken == key for _order, taken, _export in self.registration_export):
            raise ValueError(f"two features export a registration's data as {key!r}")
        self.registration_export.append((order, key, export))
        self.registration_export.sort(key=lambda part: part[0])


    def set_floor(self, spots: Callable[[Any], list[BoothSpot]], render: Callable[..., Markup]) -> None:
        if self.floor is not None:
            raise ValueError("two features draw the floor")
        self.floor = Floor(spots, render)


    def add_organization_records(self, events: Callable, history: Callable, order: int = 100) -> None:
        self.organization_records.append(OrganizationRecords(events, history, order))
        self.organization_records.sort(key=lambda part: part.order)

    def add_report_figures(self, labels: dict[str, Any], load: Callable, order: int = 100,
                           total: Callable | None = None) -> None:
        taken = {key for part in self.report_figures for key in part.labels}
        if taken & set(labels):
            raise ValueError(f"two features report the figures {sorted(taken & set(labels))!r}")
        self.report_figures.append(ReportFigures(dict(labels), load, order, total))
        self.report_figures.sort(key=lambda part: part.order)


def _add_link(menu: list[Link], link: Link) -> None:
    menu.append(link)
    menu.sort(key=lambda item: item.order)


def install(app: Flask, plugs: Iterable[ModuleType]) -> Hooks:
    """Called by create_app with each feature's `plugs` module, lowest layer first."""
    hooks = Hooks()
    for module in plugs:
        module.plug_in(hooks)
    app.extensions[EXTENSION_KEY] = hooks
    return hooks


def registry() -> Hooks:
    return current_app.extensions[EXTENSION_KEY]


@dataclass(frozen=True)
class PanelKeys:
    """The stored part of the keys of some slots' panels (`Panel.key_data`), as columns for the statement
    that reads the page's own row; `split` hands each panel its values."""

    columns: tuple  # every panel's expressions, one after the other
    spans: tuple[tuple[Panel, int, int], ...]  # (panel, its first column, after its last)

    def split(self, values: Sequence[Any]) -> dict[Panel, tuple]:
        """{panel: its values} from the values of `columns`, in their order."""
        return {panel: tuple(values[start:end]) for panel, start, end in self.spans}


def panel_keys(slots: Sequence[str], event_id: Any) -> PanelKeys:
    """The columns reading the keys of the panels in `slots`, correlated to `event_id` (the event's id
    column in the page's statement); built once per app."""
    hooks = registry()
    found = hooks.built.get(("keys", tuple(slots), event_id))
    if found is None:
        columns: list = []
        spans = []
        for slot in slots:
            for panel in hooks.panels.get(slot, ()):
                if panel.key_data is not None:
                    parts = tuple(panel.key_data(event_id))
                    spans.append((panel, len(columns), len(columns) + len(parts)))
                    columns.extend(parts)
        found = hooks.built[("keys", tuple(slots), event_id)] = PanelKeys(tuple(columns), tuple(spans))
    return found


def render_panels(slot: str, *, data: dict[Panel, tuple] | None = None, **page: Any) -> Markup:
    """The HTML of every panel other features put in `slot`, their data loaded here, not in templates.
    `data`: the panels' key data the page read with its own row (PanelKeys.split); a keyed panel missing
    from it reads its own."""
    parts = []
    for panel in registry().panels.get(slot, ()):
        if panel.key_data is not None:
            read = data.get(panel) if data is not None else None
            if read is None:
                read = _read_alone(panel, page)
            # the loader reads the data again: kept only if the key reads the same afterwards
            html = fragments.cached(
                panel.template, panel.key(**page, data=read), lambda panel=panel: _render(panel, page),
                again=lambda panel=panel: panel.key(**page, data=_read_alone(panel, page)))
        elif panel.key is not None:
            html = fragments.cached(panel.template, panel.key(**page),
                                    lambda panel=panel: _render(panel, page),
                                    again=lambda panel=panel: panel.key(**page))
        else:
            html = _render(panel, page)
        if html:
            parts.append(html)
    return Markup("\n".join(parts))


def _read_alone(panel: Panel, page: dict[str, Any]) -> tuple:
    """One panel's key data for the page's event, in a statement of its own (built once per app)."""
    built = registry().built
    statement = built.get(("alone", panel))
    if statement is None:
        statement = built[("alone", panel)] = select(*panel.key_data(bindparam("event_id")))
    return tuple(db.session.execute(statement, {"event_id": page["event"].id}).one())


def _render(panel: Panel, page: dict[str, Any]) -> str:
    context = panel.load(**page)
    return "" if context is None else render_template(panel.template, **context)


def render_row_panels(slot: str, **page: Any) -> dict[Any, Markup]:
    """A list page's panels, row by row: {row key: the HTML every feature puts in that row}."""
    rows: dict[Any, list[str]] = {}
    for panel in registry().panels.get(slot, ()):
        for key, context in (panel.load(**page) or {}).items():
            if context is not None:
                rows.setdefault(key, []).append(render_template(panel.template, **context))
    return {key: Markup("\n".join(parts)) for key, parts in rows.items()}


def menu_links(user) -> list[tuple[str, str]]:
    """(label, url) of the main menu's feature links this person sees."""
    return [(str(link.label), url_for(link.endpoint)) for link in registry().menu if link.visible(user)]


def organizer_links(user, event) -> list[tuple[str, str]]:
    """(label, url) of the organizer's menu of one event, as far as this person may use it."""
    return [(str(link.label), url_for(link.endpoint, slug=event.slug))
            for link in registry().organizer_menu if link.visible(user, event)]


def cockpit_parts(event, user) -> list[CockpitPart]:
    """Every feature's card of one event's cockpit, in order; features with nothing to say are left out."""
    parts: list[CockpitPart] = []
    for entry in registry().cockpit:
        loaded = entry.load(event, user)
        if loaded is None:
            continue
        parts.extend(loaded if isinstance(loaded, list) else [loaded])
    return sorted(parts, key=lambda part: part.order)


def export_personal_data(user) -> dict[str, Any]:
    """Every feature's part of one person's data, by section."""
    return {part.key: part.export(user) for part in registry().personal_data}


def export_registration_data(reg) -> dict[str, Any]:
    """Every feature's part of one registration's download, by key."""
    return {key: export(reg) for _order, key, export in registry().registration_export}


def forget_registration(reg) -> None:
    """Every feature forgets what it keeps of one registration that is being erased; the caller commits."""
    for _order, forget in registry().registration_erasure:
        forget(reg)


def forget_personal_data(user) -> None:
    """Every feature forgets the person; the caller commits once."""
    for part in registry().personal_data:
        if part.forget is not None:
            part.forget(user)


def booth_spots(event) -> list[BoothSpot]:
    """Every booth of the event's floor plan; none when no feature draws the floor."""
    floor = registry().floor
    return floor.spots(event) if floor is not None else []


def floor_map_html(event, *, target: str | None = None, here: str | None = None) -> Markup:
    """The event's floor map with the booth to walk to (`target`) and the one the person is at (`here`)
    marked; empty when there is no floor plan."""
    floor = registry().floor
    return floor.render(event, target=target, here=here) if floor is not None else Markup("")


def organization_events(org_ids: list[int]) -> dict[int, set[int]]:
    """{organization id: ids of the events where any feature has it}; every id asked is a key."""
    found: dict[int, set[int]] = {org_id: set() for org_id in org_ids}
    for part in registry().organization_records:
        for org_id, event_ids in part.events(list(org_ids)).items():
            found.setdefault(org_id, set()).update(event_ids)
    return found


def events_by_organization(rows) -> dict[int, set[int]]:
    """{organization id: event ids} from (organization id, event id) rows: what an `events` loader returns."""
    found: dict[int, set[int]] = {}
    for org_id, event_id in rows:
        found.setdefault(org_id, set()).add(event_id)
    return found


def organization_history(org_ids: list[int]) -> list[HistoryItem]:
    """Every feature's history of these organizations, newest first."""
    items = [item for part in registry().organization_records for item in part.history(list(org_ids))]
    return sorted(items, key=lambda item: _sort_moment(item.at), reverse=True)


def _sort_moment(at: Any) -> tuple:
    """Dates and aware datetimes in one order: a date counts as its start."""
    from_date = getattr(at, "date", None)
    day = at.date() if callable(from_date) else at
    return (day, at.timestamp() if callable(from_date) else 0.0)


def report_figure_labels() -> dict[str, Any]:
    """{key: label} of the figures features add to the report, in order."""
    return {key: label for part in registry().report_figures for key, label in part.labels.items()}


def extra_report_figures(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """{event id: {key: value}} of the figures features add; 0 where a feature has nothing."""
    keys = report_figure_labels()
    found = {event_id: dict.fromkeys(keys, 0) for event_id in event_ids}
    for part in registry().report_figures:
        for event_id, values in part.load(list(event_ids)).items():
            found.setdefault(event_id, dict.fromkeys(keys, 0)).update(values)
    return found


def series_report_figures(event_ids: list[int], per_event: dict[int, dict[str, int]]) -> dict[str, int]:
    """{key: value} of the added figures for a series: the feature's own total where it gives one (a
    distinct count), else the sum of `per_event` (as extra_report_figures gives it)."""
    found: dict[str, int] = {}
    for part in registry().report_figures:
        if part.total is not None:
            found.update(part.total(list(event_ids)))
        else:
            found.update({key: sum(values.get(key, 0) for values in per_event.values())
                          for key in part.labels})
    return found
