"""How the audit log reads booths' entries: the floor plan, applications, placements (issue 16).

An exhibitor is named by its organization, a booth by its code."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit.words import Words, ids_of, ints, labelled, load_names, names_of
from .forms import SIZE_LABELS, STATUS_LABELS
from .models import Booth, Exhibitor


def _swapped(entry) -> list[int]:
    if entry.action != "booths.swapped":
        return []
    return sorted(ints(list(entry.changes or {})))


def _load(entries, context) -> None:
    exhibitors = ids_of(entries, object_type="exhibitor") | ids_of(entries, key="exhibitor_id")
    exhibitors |= ids_of(entries, key="displaced")
    for entry in entries:
        exhibitors.update(_swapped(entry))
    load_names(context, "exhibitor", Exhibitor.organization, exhibitors)
    load_names(context, "booth", Booth.code, ids_of(entries, object_type="booth"))


def _name(entry, context) -> str:
    if entry.object_type == "exhibitor":
        return context.name("exhibitor", entry.object_id, (entry.changes or {}).get("organization"))
    if entry.object_type == "booth":
        return context.name("booth", entry.object_id, (entry.changes or {}).get("booth"))
    return ""


def _placed(entry, context) -> dict:
    exhibitor = (entry.changes or {}).get("exhibitor_id")
    return {"exhibitor": context.name("exhibitor", exhibitor) if exhibitor else _("nobody")}


def _swap(entry, context) -> dict:
    changes = entry.changes or {}
    sides = []
    for key in _swapped(entry)[:2]:
        codes = changes.get(str(key)) or ["", ""]
        sides.append(_("%(exhibitor)s (%(old)s → %(new)s)", exhibitor=context.name("exhibitor", key),
                       old=codes[0], new=codes[1]))
    sides += ["—"] * (2 - len(sides))
    return {"first": sides[0], "second": sides[1]}


words = Words(_l("Booths"), name=_name, load=_load)
say = words.say
say("floorplan.replaced", _l("%(actor)s replaced the floor plan"))
say("booths.cleared", _l("%(actor)s removed every exhibitor from the booths"))
say("booths.assigned", _l("%(actor)s ran the booth optimizer"), hide=("objective", "gap", "status"))
say("booths.placed", _l("%(actor)s put %(exhibitor)s in booth %(object)s"), params=_placed,
    hide=("booth", "exhibitor_id"))
say("booths.swapped", _l("%(actor)s swapped the booths of %(first)s and %(second)s"), params=_swap)
say("booths.locked", _l("%(actor)s locked the booth of %(object)s"))
say("booths.unlocked", _l("%(actor)s unlocked the booth of %(object)s"))
say("booths.confirmed", _l("%(actor)s confirmed the booths and e-mailed the exhibitors"))
say("exhibitor.applied", _l("%(actor)s applied for a booth for %(object)s"), hide=("organization",))
say("exhibitor.updated", _l("%(actor)s changed the booth application of %(object)s"), diff=("status",))
say("exhibitor.approved", _l("%(actor)s approved the booth application of %(object)s"), diff=("status",))
say("exhibitor.rejected", _l("%(actor)s turned down the booth application of %(object)s"), diff=("status",))
say("exhibitor.changes_requested", _l("%(actor)s asked %(object)s to change its booth application"),
    diff=("status",))
say("exhibitor.withdrawn", _l("%(actor)s withdrew the booth application of %(object)s"), diff=("status",))

field = words.field
field("zones", _l("Zones"))
field("booths", _l("Booths"))
field("removed", _l("Placements removed"))
field("placed", _l("Exhibitors placed"))
field("preference_points", _l("Wishes met (points)"))
field("optimal", _l("Best possible plan"))
field("seconds", _l("Seconds"))
field("locked", _l("Locked"))
field("displaced", _l("Moved out"), names_of("exhibitor"))
field("emails", _l("E-mails sent"))
field("size", _l("Booth size"), labelled(SIZE_LABELS))
field("status", _l("Status"), labelled(STATUS_LABELS))
field("booth_released", _l("Booth given back"))
field("note", _l("Note"))


def plug_in(hooks) -> None:
    for prefix in ("floorplan.", "booths.", "exhibitor."):
        hooks.add_audit_words(prefix, words)
